"""RDF files (Turtle, N-Triples, JSON-LD, RDF/XML), parsed offline, strictly and all-or-nothing.

pyoxigraph parses: it is strict, conformant and fast. Around it this module
- refuses, before parsing, what would make the parser fetch, expand, hang or crash
  (kg/load/rdf_guards.py for bytes, lines and XML; kg/load/rdf_jsonld.py for JSON-LD);
- turns every parser error into a KGError naming file, line and column, with a hint;
- turns terms into whyrec's canonical N-Triples strings (kg/terms.py).

Blank nodes get labels that depend only on the file's bytes and their order of appearance: the
same file always gives the same labels, and two files' nodes never share one. (The builder then
relabels them by content, kg/bnodes.py, so that save -> load -> save gives identical bytes.)
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote
from pathlib import Path

import pyoxigraph as ox

from kg import terms as T
from kg.build import GraphBuilder
from kg.files import FileProblem, read_bytes
from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.roles import Roles
from kg.load import rdf_errors
from kg.load.rdf_guards import check_line_length, check_no_dtd, check_utf8, check_xml, gunzip
from kg.load.ntriples_fast import add_ntriples
from kg.load.rdf_jsonld import check_jsonld

MAX_LINE_BYTES = 10 << 20  # an N-Triples line holds one triple; a longer one is an attack or an accident
MAX_JSON_DEPTH = 128  # the JSON-LD parser recurses per level: ~2.5 KB of stack each (crashes, not raises)
MAX_XML_DEPTH = 256  # the RDF/XML parser's time per element grows with depth
MAX_GUNZIPPED_BYTES = 8 << 30  # a .gz is read into memory whole; refuse a decompression bomb

_F = ox.RdfFormat
FORMATS = {".ttl": _F.TURTLE, ".nt": _F.N_TRIPLES, ".nq": _F.N_QUADS, ".trig": _F.TRIG,
           ".jsonld": _F.JSON_LD, ".json-ld": _F.JSON_LD, ".rdf": _F.RDF_XML, ".xml": _F.RDF_XML,
           ".owl": _F.RDF_XML}
_DATASETS = frozenset({_F.N_QUADS, _F.TRIG, _F.JSON_LD})  # formats that can hold named graphs
_LINE_BASED = frozenset({_F.N_TRIPLES, _F.N_QUADS})
_BOM = b"\xef\xbb\xbf"


def load_rdf(*paths: str | Path, base_iri: str | None = None, allow_named_graphs: bool = False,
             roles: Roles | None = None) -> KnowledgeGraph:
    """One graph from RDF files; any error in any file raises and nothing is returned.

    ``base_iri`` resolves relative IRIs (default: each file's own ``file:`` URI).
    ``allow_named_graphs`` merges the named graphs of .nq/.trig/JSON-LD files into one graph
    instead of refusing them (K007). ``roles``: item and user types over what the data declares
    (``wr:role`` annotations, kg/roles.py).
    """
    paths = tuple(Path(p) for p in paths)
    builder = GraphBuilder(str(paths[0]) if len(paths) == 1 else str(paths[0].parent))
    builder.roles = roles
    for path in paths:
        add_rdf_file(builder, path, base_iri=base_iri, allow_named_graphs=allow_named_graphs)
    return builder.build()


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format of an RDF file by its suffix (``.gz`` after it allowed); K002 if none."""
    name = path.name.lower()
    suffix = Path(name[:-3] if name.endswith(".gz") else name).suffix
    fmt = FORMATS.get(suffix)
    if fmt is not None:
        return fmt
    if suffix == ".n3":
        raise KGError("K002", "N3 is not supported: its formulas and rules are not RDF graphs", Where(str(path)),
                      "save the data as Turtle (.ttl), which N3 tools can write")
    raise KGError("K002", f"no RDF parser for {suffix or path.name!r}", Where(str(path)))


def default_base(path: Path) -> str:
    """Relative IRIs resolve against the file's name only, so a graph never records local folders."""
    return "https://whyrec.invalid/file/" + quote(path.name, safe="")


def add_rdf_file(builder: GraphBuilder, path: str | Path, *, base_iri: str | None = None,
                 allow_named_graphs: bool = False) -> int:
    """Parse one RDF file into ``builder``; return the number of triples read.

    On error the builder may hold part of the file: discard it (``load_rdf`` does).
    """
    path = Path(path)
    name = str(path)
    fmt = rdf_format(path)
    data = _read(path, fmt)
    if data.startswith(_BOM):  # a byte-order mark is an encoding marker, not content
        data = data[len(_BOM):]
    _check(data, fmt, name)
    before = len(builder)
    base = base_iri or default_base(path)
    if fmt is ox.RdfFormat.N_TRIPLES and add_ntriples(builder, data, Terms(data), base):
        return len(builder) - before  # the fast path took it all (it adds nothing when it declines)
    try:
        quads = ox.parse(data, fmt, base_iri=base,
                         without_named_graphs=fmt not in _DATASETS)
        _add_quads(builder, quads, Terms(data), fmt in _DATASETS and not allow_named_graphs)
    except SyntaxError as exc:
        raise rdf_errors.parse_error(str(exc), data, fmt, name) from None
    except rdf_errors.NamedGraph as exc:
        raise rdf_errors.named_graph_error(exc, data, fmt, name, len(builder) - before) from None
    except rdf_errors.Unsupported as exc:
        raise rdf_errors.unsupported_error(exc, data, name) from None
    except KGError as exc:
        if exc.where.file is None:
            raise KGError(exc.code, exc.message, Where(name), exc.hint) from None
        raise
    except MemoryError:
        raise KGError("K006", "not enough memory to load this file", Where(name)) from None
    except (ValueError, TypeError, OSError, UnicodeError, RecursionError) as exc:  # a bug, not bad input
        raise KGError("K003", f"the {fmt.name} parser failed: {type(exc).__name__}: {exc}", Where(name),
                      "this is a whyrec bug: please report it with the file") from exc
    return len(builder) - before


def _read(path: Path, fmt: ox.RdfFormat) -> bytes:
    name = str(path)
    try:
        if path.name.lower().endswith(".gz"):
            return gunzip(path, name, MAX_GUNZIPPED_BYTES, MAX_LINE_BYTES if fmt in _LINE_BASED else None)
        return read_bytes(path, MAX_GUNZIPPED_BYTES)
    except FileProblem as exc:
        if exc.kind == "missing":
            raise KGError("K001", f"{name!r} does not exist", Where(name)) from None
        raise KGError("K006" if exc.kind == "size" else "K001", f"cannot read {name!r}: {exc.message}", Where(name),
                      "give a regular file (not a pipe or a device)" if exc.kind == "kind" else None) from None
    except OSError as exc:
        raise KGError("K001", f"cannot read {name!r}: {exc.strerror or exc}", Where(name)) from None
    except MemoryError:
        raise KGError("K006", "not enough memory to read this file", Where(name)) from None


def _check(data: bytes, fmt: ox.RdfFormat, name: str) -> None:
    """The guards that must pass before the parser sees ``data``."""
    if fmt is _F.RDF_XML:
        check_no_dtd(data, name)  # first: nothing may look at entities before this
    check_utf8(data, name)
    if fmt in _LINE_BASED:
        check_line_length(data, name, MAX_LINE_BYTES)
    elif fmt is _F.RDF_XML:
        check_xml(data, name, MAX_XML_DEPTH)
    elif fmt is _F.JSON_LD:
        check_jsonld(data, name, MAX_JSON_DEPTH)


class Terms:
    """pyoxigraph terms of one file -> canonical term strings (kg/terms.py)."""

    def __init__(self, data: bytes):
        self._data = data
        self._salt: str | None = None  # hashed only when the file has a blank node
        self._blanks: dict[str, str] = {}
        self._literals: dict[ox.Literal, str] = {}

    def __call__(self, term: object) -> str:
        kind = type(term)
        if kind is ox.NamedNode:
            return f"<{term.value}>"
        if kind is ox.Literal:
            return self.literal(term)
        if kind is ox.BlankNode:
            return self.blank(term.value)
        raise rdf_errors.Unsupported(term)

    def literal(self, lit: ox.Literal) -> str:
        # Cached: catalogs repeat values (prices, ratings, dates) and T.literal costs a regex.
        text = self._literals.get(lit)
        if text is None:
            if lit.direction is not None:
                raise rdf_errors.Unsupported(lit)
            lang = lit.language
            text = T.literal(lit.value, None if lang else lit.datatype.value, lang)
            if len(self._literals) >= 1 << 16:  # unique texts (reviews) would only fill memory
                self._literals.clear()
            self._literals[lit] = text
        return text

    def blank(self, label: str) -> str:
        # The parser names anonymous nodes ([], lists) at random; number them in order of
        # appearance instead, salted by the file's bytes so two files' nodes never meet.
        text = self._blanks.get(label)
        if text is None:
            if self._salt is None:
                self._salt = hashlib.sha1(self._data).hexdigest()
            digest = hashlib.sha1(f"{self._salt}:{len(self._blanks)}".encode()).hexdigest()
            text = self._blanks[label] = "_:b" + digest[:16]
        return text


def _add_quads(builder: GraphBuilder, quads: ox.QuadParser, terms: Terms, refuse_named: bool) -> None:
    """The hot loop: IRIs formatted inline, literals cached, everything else through ``terms``."""
    add, literal, blank = builder.add, terms.literal, terms.blank
    named_node, literal_type, blank_node, default = ox.NamedNode, ox.Literal, ox.BlankNode, ox.DefaultGraph
    for q in quads:
        if refuse_named and type(q.graph_name) is not default:
            raise rdf_errors.NamedGraph(q.graph_name)
        s, o = q.subject, q.object
        kind = type(o)
        add(f"<{s.value}>" if type(s) is named_node else blank(s.value) if type(s) is blank_node else terms(s),
            f"<{q.predicate.value}>",
            f"<{o.value}>" if kind is named_node else literal(o) if kind is literal_type
            else blank(o.value) if kind is blank_node else terms(o))
