"""Pick a loader by what the path is, and return a :class:`~kg.graph.KnowledgeGraph`."""
from __future__ import annotations

import os
from pathlib import Path

from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph

RDF_SUFFIXES = {".ttl", ".nt", ".jsonld", ".json-ld", ".rdf", ".xml", ".owl", ".nq", ".trig", ".n3"}
MAPPING_NAMES = ("whyrec.yaml", "whyrec.yml", "mapping.yaml", "mapping.yml")


def load_graph(path: str | os.PathLike[str]) -> KnowledgeGraph:
    """Load a graph from RDF, a table mapping, an Amazon 2018 folder or the demo catalog.

    - an RDF file (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``/``.xml``): parsed offline;
    - a mapping file (``.yaml``) or a folder holding ``whyrec.yaml``: CSV/JSON-lines tables;
    - a folder with an Amazon 2018 reviews file and its ``meta_*`` file;
    - a folder of RDF files: all of them, merged.
    """
    p = Path(path)
    if not p.exists():
        raise KGError("K001", f"{str(p)!r} does not exist", Where(str(p)))
    if p.is_dir():
        for name in MAPPING_NAMES:
            if (p / name).is_file():
                from kg.load.tables import load_tables
                return load_tables(p / name)
        from kg.load.amazon import find_amazon_files, load_amazon
        found = find_amazon_files(p)
        if found is not None:
            return load_amazon(*found)
        rdf_files = sorted(f for f in p.iterdir() if f.suffix.lower() in RDF_SUFFIXES)
        if rdf_files:
            from kg.load.rdf import load_rdf
            return load_rdf(*rdf_files)
        raise KGError("K002", "no whyrec.yaml, Amazon files or RDF files in this folder", Where(str(p)))
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from kg.load.tables import load_tables
        return load_tables(p)
    if suffix in RDF_SUFFIXES or p.name.endswith(".nt.gz"):
        from kg.load.rdf import load_rdf
        return load_rdf(p)
    raise KGError("K002", f"cannot tell what kind of input {p.name!r} is", Where(str(p)))
