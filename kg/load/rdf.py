"""RDF files (Turtle, N-Triples, JSON-LD, RDF/XML), parsed offline and all-or-nothing."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox

from kg import terms as T
from kg.build import GraphBuilder
from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
           ".json-ld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
           ".owl": ox.RdfFormat.RDF_XML}
_POS = re.compile(r"line (\d+)(?: between columns (\d+)| column (\d+))?")


def load_rdf(*paths: Path) -> KnowledgeGraph:
    builder = GraphBuilder(str(paths[0]) if len(paths) == 1 else str(paths[0].parent))
    for path in paths:
        add_rdf_file(builder, Path(path))
    return builder.build()


def add_rdf_file(builder: GraphBuilder, path: Path) -> None:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KGError("K002", f"no RDF parser for {path.suffix!r}", Where(str(path)))
    data = path.read_bytes()
    salt = hashlib.sha1(data).hexdigest()[:12]
    try:
        for q in ox.parse(data, fmt, base_iri=path.resolve().as_uri(), without_named_graphs=True):
            builder.add(_term(q.subject, salt), f"<{q.predicate.value}>", _term(q.object, salt))
    except SyntaxError as exc:
        msg = str(exc)
        m = _POS.search(msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2) or m.group(3)) if m and (m.group(2) or m.group(3)) else None
        raise KGError("K003", msg, Where(str(path), line, col)) from None


def _term(t: object, salt: str) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):  # stable labels: loading the same file twice merges
        return "_:b" + hashlib.sha1(f"{salt}:{t.value}".encode()).hexdigest()[:16]
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype is not None else None
        return T.literal(t.value, None if t.language else dt, t.language)
    raise KGError("K003", f"unsupported term {t!r}")
