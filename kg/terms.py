"""RDF terms as canonical N-Triples strings.

Every loader turns its input into triples of these strings, so that the saved
form is canonical (sorted N-Triples, one escaping) and two loads of the same
input give byte-identical output.
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

from kg.errors import KGError, Where

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
NUMERIC_TYPES = frozenset(XSD + t for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"))

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\n\r\x00-\x09\x0b\x0c\x0e-\x1f\x7f]')
_UNESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def iri(value: str, where: Where | None = None) -> str:
    """``value`` as an N-Triples IRI term; refuses characters IRIs may not hold."""
    if not value or _BAD_IRI.search(value) or ":" not in value:
        raise KGError("K051", f"invalid IRI {value[:80]!r}", where)
    return f"<{value}>"


def mint(namespace: str, kind: str, local: str) -> str:
    """A node IRI minted from a source id: every unsafe character is percent-encoded."""
    return f"<{namespace}{kind}/{quote(local, safe='')}>"


_TRANSLATE = {c: f"\\u{c:04X}" for c in list(range(0x20)) + [0x7F]}
_TRANSLATE.update({ord(k): v for k, v in _ESCAPES.items()})


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A canonical N-Triples literal (no ``^^xsd:string``, lower-case language tags)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise KGError("K008", f"text holds a lone surrogate at offset {exc.start}") from None
    body = '"' + (value.translate(_TRANSLATE) if _NEEDS_ESCAPE.search(value) else value) + '"'
    if lang:
        return f"{body}@{lang.lower()}"
    if datatype and datatype != XSD_STRING:
        return f"{body}^^<{datatype}>"
    return body


def is_literal(term: str) -> bool:
    return term.startswith('"')


def is_node(term: str) -> bool:
    return term.startswith("<") or term.startswith("_:")


def iri_value(term: str) -> str:
    """The IRI inside ``<...>`` (or the blank node label)."""
    return term[1:-1] if term.startswith("<") else term


def literal_parts(term: str) -> tuple[str, str | None, str | None]:
    """(lexical value, datatype IRI or None, language or None) of a literal term."""
    end = term.rfind('"')
    raw, tail = term[1:end], term[end + 1:]
    value = _UNESCAPE.sub(_unescape_one, raw) if "\\" in raw else raw
    if tail.startswith("^^<"):
        return value, tail[3:-1], None
    if tail.startswith("@"):
        return value, None, tail[1:]
    return value, None, None


def _unescape_one(m: re.Match[str]) -> str:
    if m.group(1) or m.group(2):
        return chr(int(m.group(1) or m.group(2), 16))
    return _ECHAR.get(m.group(3), m.group(3))


def literal_number(term: str) -> float | None:
    """The numeric value of a literal, or None when it is not a number."""
    value, datatype, lang = literal_parts(term)
    if lang or (datatype is not None and datatype not in NUMERIC_TYPES):
        return None
    try:
        return float(value)  # float() of a 10,000-digit string is inf, not an error
    except ValueError:
        return None


def local_name(iri_text: str) -> str:
    """The source id in an IRI: the part after the last '/', '#' or ':' , percent-decoded."""
    cut = max(iri_text.rfind("/"), iri_text.rfind("#"))
    if cut < 0:
        cut = iri_text.rfind(":")
    return unquote(iri_text[cut + 1:]) if cut < len(iri_text) - 1 else iri_text


def short_key(iri_text: str) -> str | None:
    """The 'kind/id' form of a minted IRI (``.../brand/Dove`` -> ``brand/Dove``)."""
    parts = iri_text.rstrip("/").rsplit("/", 2)
    return f"{parts[-2]}/{unquote(parts[-1])}" if len(parts) == 3 else None


def number_text(value: float | int | str) -> str:
    """A number written exactly and briefly: 5.0 -> '5', 12999.99 -> '12999.99' (never rounded)."""
    if isinstance(value, str):
        return value
    v = float(value)
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(v)
