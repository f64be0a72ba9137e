"""Cheap checks on the raw bytes of an RDF file, run before the parser sees them.

Each guard refuses input that a conforming parser would either take far too long on, expand
without bound, or crash on, and says where the problem is. They work on bytes with C-level
methods (find, rfind, decode, expat), so a hostile 100 MB file is refused in well under a second.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from xml.parsers import expat

from kg.files import FileProblem, Limits, gunzipped, open_checked
from kg.errors import KGError, Where

_CHUNK = 1 << 23  # bytes decoded or decompressed per step
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset, both from 1; the column counts characters."""
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, col


def where(name: str, data: bytes, offset: int) -> Where:
    return Where(name, *position(data, offset))


def check_utf8(data: bytes, name: str) -> None:
    """Refuse bytes that are not UTF-8 (K008), naming the first bad byte's line and column."""
    if data.isascii():
        return
    view, pos = memoryview(data), 0
    while pos < len(data):
        final = pos + _CHUNK >= len(data)
        try:  # a chunk at a time: no second full-size copy of a big file as text
            _, used = codecs.utf_8_decode(view[pos:pos + _CHUNK], "strict", final)
        except UnicodeDecodeError as exc:
            bad = pos + exc.start
            raise KGError("K008", f"byte 0x{data[bad]:02X} is not valid UTF-8 ({exc.reason})",
                          where(name, data, bad)) from None
        pos += used


def check_line_length(data: bytes, name: str, limit: int) -> None:
    """Refuse a line longer than ``limit`` bytes (K006).

    Jumps a window of ``limit`` bytes at a time to the last line end inside it, so the cost is
    a handful of rfind calls however long the file, and a 100 MB line is found at once.
    """
    pos = 0
    while len(data) - pos > limit:
        end = data.rfind(b"\n", pos, pos + limit + 1)
        if end < 0:
            end = data.rfind(b"\r", pos, pos + limit + 1)  # a lone CR also ends an N-Triples line
        if end < 0:
            line = data.count(b"\n", 0, pos) + 1
            raise KGError("K006", f"line {line} is longer than {limit:,} bytes; N-Triples holds one "
                          "triple per line, so no real line is this long", Where(name, line, 1))
        pos = end + 1


def check_no_dtd(data: bytes, name: str) -> None:
    """Refuse XML with a DOCTYPE or ENTITY declaration (K005), before any parser expands one.

    The parser expands internal entities: a few lines of nested entities ("billion laughs")
    become gigabytes. RDF/XML needs no DTD, so any declaration is refused, wherever it is.
    """
    m = _DECLARATION.search(data)
    if m:
        kind = m.group(1).decode().upper()
        raise KGError("K005", f"the XML declares <!{kind}>; whyrec does not read DTDs or expand entities",
                      where(name, data, m.start()))


class _TooDeep(Exception):
    pass


def check_xml(data: bytes, name: str, max_depth: int) -> None:
    """Well-formedness and nesting depth of RDF/XML, checked by expat (K003, K010, K005).

    The RDF/XML parser reports XML errors without a line and accepts a truncated document;
    expat reports both with a position. Its time per element grows with depth, so 100,000
    nested elements (2 MB) take minutes: depth is capped. expat fetches nothing by itself.
    """
    parser = expat.ParserCreate(namespace_separator=" ")  # namespaces on: an unbound prefix has a line
    depth = 0

    def start(tag: str, attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > max_depth:
            raise _TooDeep

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def declaration(*args: object) -> None:  # check_no_dtd runs first; this is the backstop
        raise KGError("K005", "the XML declares a DTD or an entity",
                      Where(name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = declaration
    try:
        parser.Parse(data, True)
    except _TooDeep:
        raise KGError("K010", f"elements are nested more than {max_depth} deep",
                      Where(name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1),
                      "RDF/XML rarely nests more than a few levels; write nested nodes with "
                      "rdf:nodeID or rdf:resource instead") from None
    except expat.ExpatError as exc:
        raise KGError("K003", f"XML error: {expat.ErrorString(exc.code)}",
                      Where(name, exc.lineno, exc.offset + 1)) from None


def gunzip(path: Path, name: str, max_bytes: int, line_limit: int | None) -> bytes:
    """The decompressed bytes of a gzip file, refusing a bomb early (K006) or a corrupt file (K011).

    With ``line_limit``, a run of that many bytes without a line end stops decompression at
    once, so a small file of compressed zeros is refused after ``line_limit`` bytes, not 8 GB;
    a run of compressed line ends is refused by its ratio (kg/files.py), not after 8 GB either.
    """
    parts: list[bytes] = []
    since_newline = lines = 0
    limits = Limits(max_bytes=max_bytes, max_lines=1 << 62, max_line=1 << 62)
    try:
        with open_checked(path, max_bytes) as raw:
            for chunk in gunzipped(raw, limits):
                last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
                if line_limit is not None:
                    first = chunk.find(b"\n")
                    if since_newline + (len(chunk) if first < 0 else first) > line_limit:
                        raise KGError("K006", f"line {lines + 1} is longer than {line_limit:,} bytes",
                                      Where(name, lines + 1, 1))
                since_newline = since_newline + len(chunk) if last < 0 else len(chunk) - last - 1
                lines += chunk.count(b"\n")
                parts.append(chunk)
    except FileProblem as exc:
        if exc.kind in ("missing", "kind"):
            raise KGError("K001", f"cannot read {name!r}: {exc.message}", Where(name)) from None
        code = "K011" if exc.kind == "io" else "K006"
        raise KGError(code, f"not a valid gzip file: {exc.message}" if code == "K011" else exc.message,
                      Where(name) if code == "K011" else Where(name, lines + 1, 1)) from None
    return b"".join(parts)
