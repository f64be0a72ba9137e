"""Pick a loader by what the path is, and return a :class:`~kg.graph.KnowledgeGraph`."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.roles import Roles, as_names

RDF_SUFFIXES = {".ttl", ".nt", ".jsonld", ".json-ld", ".rdf", ".xml", ".owl", ".nq", ".trig"}
MAPPING_NAMES = ("whyrec.yaml", "whyrec.yml", "mapping.yaml", "mapping.yml")

Plan = tuple[Callable[[], KnowledgeGraph], "list[Path] | None"]


def load_graph(path: str | os.PathLike[str], *, items: str | Sequence[str] | None = None,
               users: str | Sequence[str] | None = None, audience: str | None = None,
               cache: bool | str | os.PathLike[str] | None = None) -> KnowledgeGraph:
    """Load a graph from RDF, a table mapping, an Amazon 2018 folder or the demo catalog.

    - an RDF file (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``/``.xml``): parsed offline;
    - a mapping file (``.yaml``) or a folder holding ``whyrec.yaml``: CSV/JSON-lines tables;
    - a folder with an Amazon 2018 reviews file and its ``meta_*`` file;
    - a folder of RDF files: all of them, merged;
    - an on-disk Oxigraph store (a folder), or a SPARQL endpoint (an ``http(s)://`` URL): one
      CONSTRUCT, streamed (kg/load/sparql.py; never cached: the store is the record).

    ``items`` / ``users``: the node types (names such as ``"Film"`` or class IRIs) whose nodes are
    the items and the users, over what the data declares (default ``Product`` and ``User``);
    ``audience``: the noun for counted people ("viewers"). See kg/roles.py.

    ``cache``: a second load of unchanged sources maps a binary cache instead (kg/cache.py).
    None: the user cache folder (``$WHYREC_CACHE_DIR``; off with ``WHYREC_CACHE=0``); a folder:
    that one; False: never.
    """
    roles = Roles(as_names(items), as_names(users), audience)
    if isinstance(path, str) and path.lower().startswith(("http://", "https://")):
        from kg.load.sparql import load_endpoint
        return load_endpoint(path, roles=roles)
    p = Path(path)
    load, files = plan_load(p, roles)
    from kg.cache import load_through
    return load_through(p, files, load, cache, variant=_variant(roles))


def cache_status(path: str | os.PathLike[str], *, items: str | Sequence[str] | None = None,
                 users: str | Sequence[str] | None = None, audience: str | None = None,
                 cache: bool | str | os.PathLike[str] | None = None):
    """What :func:`load_graph` with the same arguments would find in the cache (kg.cache.Status)."""
    from kg.cache import status
    roles = Roles(as_names(items), as_names(users), audience)
    p = Path(path)
    return status(p, plan_load(p, roles)[1], cache, _variant(roles))


def _variant(roles: Roles) -> str:
    """The load options that change the graph: part of the cache key."""
    return repr((roles.items, roles.users, roles.audience))


def plan_load(p: Path, roles: Roles | None = None) -> Plan:
    """(the load to run, every file it reads or None when that is not known beforehand)."""
    roles = roles or Roles()
    if not p.exists():
        raise KGError("K001", f"{str(p)!r} does not exist", Where(str(p)))
    if p.is_dir():
        from kg.load.sparql import is_store
        if is_store(p):
            from kg.load.sparql import load_store
            return (lambda: load_store(p, roles=roles)), None
        for name in MAPPING_NAMES:
            if (p / name).is_file():
                return _tables(p / name, roles)
        from kg.load.amazon import find_amazon_files, load_amazon
        found = find_amazon_files(p)
        if found is not None:
            return (lambda: load_amazon(*found, roles=roles)), [f for f in found if f is not None]
        rdf_files = sorted(f for f in p.iterdir() if f.is_file() and _rdf_suffix(f) in RDF_SUFFIXES)
        if rdf_files:
            from kg.load.rdf import load_rdf
            return (lambda: load_rdf(*rdf_files, roles=roles)), rdf_files
        raise KGError("K002", "no whyrec.yaml, Amazon files or RDF files in this folder", Where(str(p)))
    suffix = p.suffix.lower()
    if suffix in (".gz", ".json") and find_reviews(p):
        from kg.load.amazon import find_amazon_files, load_amazon
        found = find_amazon_files(p.parent)
        if found is not None and found[0].resolve() == p.resolve():
            return (lambda: load_amazon(*found, roles=roles)), [f for f in found if f is not None]
    if suffix in (".yaml", ".yml"):
        return _tables(p, roles)
    if _rdf_suffix(p) in RDF_SUFFIXES:
        from kg.load.rdf import load_rdf
        return (lambda: load_rdf(p, roles=roles)), [p]
    raise KGError("K002", f"cannot tell what kind of input {p.name!r} is", Where(str(p)))


def _tables(mapping: Path, roles: Roles) -> Plan:
    from kg.load.tables import load_tables
    return (lambda: load_tables(mapping, roles=roles)), table_files(mapping)


def table_files(mapping: Path) -> list[Path] | None:
    """The mapping and every table it names (any ``file:`` key), or None when that is unclear.

    None turns the cache off for this load: the loader itself then reports what is wrong.
    """
    from kg.yamlfile import parse_yaml
    try:
        if not mapping.is_file() or mapping.stat().st_size > 20_000_000:
            return None
        tree, problems = parse_yaml(mapping.read_bytes())
        folder = mapping.parent.resolve()
    except OSError:
        return None
    if tree is None or problems:
        return None
    names: list[str] = []
    stack, seen = [tree], 0
    while stack and seen < 100_000:  # bounded: a mapping is a few hundred nodes
        node, seen = stack.pop(), seen + 1
        if isinstance(node.value, dict):
            for k, v in node.value.items():
                if k == "file" and isinstance(v.value, str):
                    names.append(v.value)
                else:
                    stack.append(v)
        elif isinstance(node.value, list):
            stack.extend(node.value)
    files = [mapping]
    for name in sorted(set(names)):
        try:
            f = (mapping.parent / name).resolve()
            if not f.is_relative_to(folder) or not f.is_file():
                return None
        except (OSError, ValueError):
            return None
        files.append(f)
    return files


def _rdf_suffix(p: Path) -> str:
    """The RDF suffix of a file, looking through a final .gz (``x.ttl.gz`` -> ``.ttl``)."""
    suffixes = [x.lower() for x in p.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def find_reviews(p: Path) -> bool:
    """Whether a single file looks like an Amazon 2018 reviews file (``*_5.json(.gz)``)."""
    name = p.name.lower()
    return not name.startswith("meta_") and (name.endswith(".json.gz") or name.endswith(".json"))
