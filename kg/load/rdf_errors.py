"""pyoxigraph's errors as KGErrors: a code, file, line, column, what is wrong and how to fix it.

pyoxigraph raises ``SyntaxError("Parser error at line 3 between columns 5 and 9: ... (line 3)")``
or ``"Parser error between line 2 column 23 and line 3 column 1: ..."``; its RDF/XML and
JSON-LD errors often carry no position, and then the quoted text in the message is looked up.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import CATALOG, KGError, Where
from kg.load.rdf_guards import where
from kg.load.rdf_jsonld import context_error

_POSITION = re.compile(r"Parser error (?:at line (\d+)(?: between columns (\d+) and \d+| column (\d+))?"
                       r"|between line (\d+) column (\d+) and line \d+ column \d+)(?:: )?")
_LINE_TAIL = re.compile(r" \(line \d+\)$")
_QUOTED = re.compile(r"'([^'\n]{2,200})'|`([^`\n]{2,200})`")
_GRAPH_BLOCK = re.compile(rb"(?m)^[ \t]*(?:GRAPH[ \t]+)?(?:<[^>\s]*>|[\w.-]*:[\w.-]*|_:\S+|\[[ \t]*\])\s*\{")
_NAMED_GRAPH_HINT = ("whyrec loads one graph: convert the file to triples (.nt or .ttl, e.g. its default graph), "
                     "or call kg.load.rdf.load_rdf(path, allow_named_graphs=True) to merge all its graphs")
_SURROGATE_HINT = ("\\uD800-\\uDFFF are halves of a UTF-16 pair, not characters; "
                   "write the character itself or its \\U0001XXXX escape")

_TRIG = "a { } block names a graph: that is TriG, and a .ttl file holds one graph"
_TRIG_HINT = "move the triples out of the block, or rename the file .trig"

# (text in the parser's message, code, what to say instead or None, hint or None); first match wins.
_RULES: list[tuple[str, str, str | None, str | None]] = [
    ("Invalid UTF-8", "K008", None, None),
    ("is not a valid unicode character", "K008", None, _SURROGATE_HINT),
    ("Quads must be followed by a dot", "K007", "a fourth term on this line names a graph: that is N-Quads, "
     "and a .nt file holds triples", "remove the graph names, or rename the file .nq (see allow_named_graphs)"),
    ("{ is not a valid predicate", "K007", _TRIG, _TRIG_HINT),
    ("GRAPH is not a valid", "K007", _TRIG, _TRIG_HINT),
    ("prefix", "K003", None, "declare the prefix before using it, e.g. @prefix schema: <https://schema.org/> ."),
    ("No scheme found", "K003", None, "write absolute IRIs such as <https://example.org/x> (N-Triples has no base)"),
    ("IRI", "K003", None, "IRIs may not hold spaces, quotes, <, >, {, }, |, ^, ` or backslashes: "
     "percent-encode them (a space is %20)"),
    ("dot is expected", "K003", None, "end every statement with ' .'"),
]


class NamedGraph(Exception):
    """A quad in a named graph where one graph was expected."""

    def __init__(self, graph: object):
        super().__init__(str(graph))
        self.graph = graph


class Unsupported(Exception):
    """An RDF 1.2 term whyrec cannot represent: a triple term, a directional language string."""

    def __init__(self, term: object):
        super().__init__(str(term))
        self.term = term


def parse_error(message: str, data: bytes, fmt: ox.RdfFormat, name: str) -> KGError:
    if "LoadDocumentCallback" in message:  # the JSON-LD parser asked to fetch a context
        return context_error(data, name)
    m = _POSITION.match(message)
    if m:
        line = int(m.group(1) or m.group(4))
        col = m.group(2) or m.group(3) or m.group(5)
        at = Where(name, line, int(col) if col else None)
        detail = _LINE_TAIL.sub("", message[m.end():])
    else:
        at, detail = _locate_quoted(message, data, name), message
    line_text = _line_text(data, at.line) if at.line is not None else ""
    before = line_text[:(at.col or 1) - 1]
    code, says, hint = next(((c, m, h) for text, c, m, h in _RULES if text in detail), ("K003", None, None))
    if code == "K007" and "Quads" in detail and not before.strip():  # the "graph name" opens the next
        code, says, hint = "K003", None, "the line before lacks its final ' .'"  # line: a missing dot
    near = line_text[len(before):][:40].rstrip()
    what = CATALOG[code][0] if code not in ("K003", "K007") else "syntax error"
    return KGError(code, f"{fmt.name} {what}: {says or detail}" + (f", near {near!r}" if near else ""), at, hint)


def named_graph_error(exc: NamedGraph, data: bytes, fmt: ox.RdfFormat, name: str, index: int) -> KGError:
    """K007 at the first statement in a named graph (the ``index``-th quad of the file)."""
    graph = str(exc.graph)
    offset = _nth_statement(data, index) if fmt is ox.RdfFormat.N_QUADS else _graph_start(data, exc.graph)
    at = where(name, data, offset) if offset is not None else Where(name)
    return KGError("K007", f"the {fmt.name} file puts triples in the named graph {graph[:100]}; "
                   "whyrec expects one graph", at, _NAMED_GRAPH_HINT)


def unsupported_error(exc: Unsupported, data: bytes, name: str) -> KGError:
    if isinstance(exc.term, ox.Literal):
        offset = _find_first(data, (b"--ltr", b"--rtl", b'"@direction"'))
        what, hint = (f"the literal {str(exc.term)[:60]} has a text direction (RDF 1.2)",
                      "drop the --ltr/--rtl direction (or @direction) from the language tag")
    else:
        offset = _find_first(data, (b"<<", b'"Triple"'))
        what, hint = (f"the triple term {str(exc.term)[:100]} is RDF 1.2",
                      "state the triple, or describe it as a reified statement with rdf:subject, "
                      "rdf:predicate and rdf:object, as whyrec does for facts with values")
    at = where(name, data, offset) if offset is not None else Where(name)
    return KGError("K003", f"{what}; whyrec reads RDF 1.1 terms only", at, hint)


def _locate_quoted(message: str, data: bytes, name: str) -> Where:
    """For a message without a position: where the first text it quotes occurs in the file."""
    for m in _QUOTED.finditer(message):
        offset = data.find((m.group(1) or m.group(2)).encode("utf-8"))
        if offset >= 0:
            return where(name, data, offset)
    return Where(name)


def _line_text(data: bytes, line: int) -> str:
    """The text of a line (from 1), for the message; empty if there is no such line."""
    start = 0
    for _ in range(line - 1):  # error path only: a loop over the lines before it is fine
        start = data.find(b"\n", start) + 1
        if start == 0:
            return ""
    end = data.find(b"\n", start)
    return data[start:end if end >= 0 else len(data)].decode("utf-8", "replace")


def _nth_statement(data: bytes, index: int) -> int | None:
    """Offset of the ``index``-th (from 0) statement line of N-Quads: blanks and comments skipped."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if data[start:end].strip() and not data[start:end].lstrip().startswith(b"#"):
            if index == 0:
                return start
            index -= 1
        start = end + 1
    return None


def _graph_start(data: bytes, graph: object) -> int | None:
    """Where a named graph starts in TriG or JSON-LD: its name, else the first graph block."""
    value = getattr(graph, "value", "")
    local = re.split(r"[/#:]", value)[-1]
    needles = [f"<{value}>", f'"{value}"'] + ([f"_:{value}"] if isinstance(graph, ox.BlankNode) else [])
    needles += [f'"{local}"', f"<{local}>", f":{local}"] if local else []
    for needle in needles:  # most specific first
        offset = data.find(needle.encode("utf-8"))
        if offset >= 0:
            return offset
    m = _GRAPH_BLOCK.search(data)
    return m.start() if m else None


def _find_first(data: bytes, needles: tuple[bytes, ...]) -> int | None:
    found = [k for k in (data.find(n) for n in needles) if k >= 0]
    return min(found) if found else None
