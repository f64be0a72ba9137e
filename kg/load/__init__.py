"""Pick a loader by what the path is, and return a :class:`~kg.graph.KnowledgeGraph`."""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.roles import Roles, as_names

RDF_SUFFIXES = {".ttl", ".nt", ".jsonld", ".json-ld", ".rdf", ".xml", ".owl", ".nq", ".trig"}
MAPPING_NAMES = ("whyrec.yaml", "whyrec.yml", "mapping.yaml", "mapping.yml")


def load_graph(path: str | os.PathLike[str], *, items: str | Sequence[str] | None = None,
               users: str | Sequence[str] | None = None, audience: str | None = None) -> KnowledgeGraph:
    """Load a graph from RDF, a table mapping, an Amazon 2018 folder or the demo catalog.

    - an RDF file (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``/``.xml``): parsed offline;
    - a mapping file (``.yaml``) or a folder holding ``whyrec.yaml``: CSV/JSON-lines tables;
    - a folder with an Amazon 2018 reviews file and its ``meta_*`` file;
    - a folder of RDF files: all of them, merged.

    ``items`` / ``users``: the node types (names such as ``"Film"`` or class IRIs) whose nodes are
    the items and the users, over what the data declares (default ``Product`` and ``User``);
    ``audience``: the noun for counted people ("viewers"). See kg/roles.py.
    """
    roles = Roles(as_names(items), as_names(users), audience)
    p = Path(path)
    if not p.exists():
        raise KGError("K001", f"{str(p)!r} does not exist", Where(str(p)))
    if p.is_dir():
        for name in MAPPING_NAMES:
            if (p / name).is_file():
                from kg.load.tables import load_tables
                return load_tables(p / name, roles=roles)
        from kg.load.amazon import find_amazon_files, load_amazon
        found = find_amazon_files(p)
        if found is not None:
            return load_amazon(*found, roles=roles)
        rdf_files = sorted(f for f in p.iterdir() if f.is_file() and _rdf_suffix(f) in RDF_SUFFIXES)
        if rdf_files:
            from kg.load.rdf import load_rdf
            return load_rdf(*rdf_files, roles=roles)
        raise KGError("K002", "no whyrec.yaml, Amazon files or RDF files in this folder", Where(str(p)))
    suffix = p.suffix.lower()
    if suffix in (".gz", ".json") and find_reviews(p):
        from kg.load.amazon import find_amazon_files, load_amazon
        found = find_amazon_files(p.parent)
        if found is not None and found[0].resolve() == p.resolve():
            return load_amazon(*found, roles=roles)
    if suffix in (".yaml", ".yml"):
        from kg.load.tables import load_tables
        return load_tables(p, roles=roles)
    if _rdf_suffix(p) in RDF_SUFFIXES:
        from kg.load.rdf import load_rdf
        return load_rdf(p, roles=roles)
    raise KGError("K002", f"cannot tell what kind of input {p.name!r} is", Where(str(p)))


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
