"""Checks on a JSON-LD document before the RDF parser expands it.

- a context given by reference (a remote URL, a ``file:`` IRI, a relative path) or ``@import``
  would make the parser fetch another document: refused (K004); whyrec never fetches;
- a repeated key: the parser silently keeps the last value (K009);
- nesting deeper than a limit: the parser recurses once per level and crashes the whole
  process (a segmentation fault, not an exception) a few thousand levels down (K010);
- a lone UTF-16 surrogate escape (``"\\ud800"``): the parser gives a misleading message (K008).

The fast path is one ``json.loads`` in C plus a walk over the containers. Only when it finds a
problem is the text scanned token by token to say where (line and column).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import chain

from kg.errors import KGError, Where

_CONTAINERS = (dict, list)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]')  # strings and structure; numbers etc. skipped
_HIGH, _LOW = rb"\\u[dD][89abAB][0-9a-fA-F]{2}", rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")  # starts with a literal: a fast first pass
_LONE_SURROGATE = re.compile(_HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _LOW)  # pairs (emoji) pass


class _Duplicate(Exception):
    pass


def _no_number(text: str) -> None:
    """Numbers are not needed here; int() of a 10,000-digit number would raise."""


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Duplicate
    return obj


def check_jsonld(data: bytes, name: str, max_depth: int) -> None:
    """Refuse a JSON-LD document that would fetch, is ambiguous, too deep or holds bad text."""
    problem = None
    try:
        # decoded first: given bytes, json guesses UTF-16/32 from NUL bytes at the start and crashes
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_pairs, parse_int=_no_number,
                         parse_float=_no_number, parse_constant=_no_number)
    except _Duplicate:
        problem = "duplicate"
    except RecursionError:
        problem = "depth"
    except json.JSONDecodeError as exc:
        raise KGError("K003", f"JSON syntax error: {exc.msg}", Where(name, exc.lineno, exc.colno)) from None
    else:
        problem = _walk(doc, max_depth)
    if problem is None and _SURROGATE.search(data) and _LONE_SURROGATE.search(data):
        problem = "surrogate"  # or an escaped backslash before "u": the scan decides
    if problem is not None:
        _report(data.decode("utf-8"), problem, name, max_depth)


def _walk(doc: object, max_depth: int) -> str | None:
    """'depth' or 'context' for the first problem in the parsed document, else None.

    A level at a time, with the per-node work in comprehensions: a 20 MB document has a
    million containers, and this is the only pass over them in Python.
    """
    level, depth = [doc], 1
    while level:
        if depth > max_depth:
            return "depth"
        objects = [n for n in level if type(n) is dict]
        for obj in objects:
            if "@import" in obj or ("@context" in obj and _by_reference(obj["@context"])):
                return "context"
        children = chain(chain.from_iterable(map(dict.values, objects)),
                         chain.from_iterable(n for n in level if type(n) is list))
        level, depth = [v for v in children if type(v) in _CONTAINERS], depth + 1
    return None


def _by_reference(context: object) -> bool:
    """A context that is (or lists) a string names another document to load."""
    return isinstance(context, str) or (isinstance(context, list) and any(isinstance(c, str) for c in context))


@dataclass
class _Frame:
    is_object: bool
    context_list: bool = False  # the array value of an "@context" key
    keys: set[str] = field(default_factory=set)
    expect_key: bool = True


def _report(text: str, problem: str, name: str, max_depth: int) -> None:
    """Scan the tokens to find where ``problem`` is, then raise it with line and column."""
    stack: list[_Frame] = []
    after_context_key = False
    for m in _TOKEN.finditer(text):
        tok, at = m.group(), m.start()
        top = stack[-1] if stack else None
        if tok in "{[":
            if problem == "depth" and len(stack) >= max_depth:
                raise KGError("K010", f"JSON is nested more than {max_depth} deep", _where(text, name, at),
                              "JSON-LD rarely nests more than a few levels; flatten it with @id references")
            stack.append(_Frame(tok == "{", context_list=tok == "[" and after_context_key))
            after_context_key = False
        elif tok in "}]":
            if stack:
                stack.pop()
        elif tok == ",":
            after_context_key = False
            if top is not None and top.is_object:
                top.expect_key = True
        else:
            value = json.loads(tok)
            if problem == "surrogate" and _has_lone_surrogate(value):
                raise KGError("K008", f"the string {tok[:60]} holds a lone UTF-16 surrogate escape",
                              _where(text, name, at), "\\ud800-\\udfff are halves of a pair, not "
                              "characters; write the character itself or its full pair")
            if top is not None and top.is_object and top.expect_key:
                top.expect_key = False
                if problem == "duplicate" and value in top.keys:
                    raise KGError("K009", f"key {tok[:60]} appears twice in one object", _where(text, name, at),
                                  "remove the repeated key; a JSON-LD parser would silently keep only the last")
                top.keys.add(value)
                if problem == "context" and value == "@import":
                    raise _fetch_error(text, name, at, "@import")
                after_context_key = value == "@context"
            elif problem == "context" and (after_context_key or (top is not None and top.context_list)):
                raise _fetch_error(text, name, at, value)
    if problem != "surrogate":  # a surrogate hint can be an escaped backslash before "u": no problem
        raise KGError("K003", f"JSON-LD problem ({problem}) found but not located", Where(name))


def _fetch_error(text: str, name: str, at: int, ref: str) -> KGError:
    what = "@import of another context" if ref == "@import" else f"the context {ref[:100]!r}"
    return KGError("K004", f"{what} would be fetched from outside this file", _where(text, name, at))


def context_error(data: bytes, name: str) -> KGError:
    """K004 for a parser that asked to load a context (the checks above normally refuse first)."""
    try:
        _report(data.decode("utf-8"), "context", name, 1 << 30)
    except KGError as exc:
        if exc.code == "K004":
            return exc
    return KGError("K004", "a JSON-LD context would be fetched from outside this file", Where(name))


def _has_lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _where(text: str, name: str, at: int) -> Where:
    return Where(name, text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)
