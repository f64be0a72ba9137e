"""A strict YAML reader for mapping and rule files.

Built from the event stream, so nothing is ever constructed from a tag: explicit
tags (``!!python/object``), anchors and aliases (alias bombs) and duplicate keys
are reported as problems, never executed. Every scalar stays a string (YAML 1.1
would read ``no`` as false); each value keeps its line and column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml

from kg.yaml_words import explain

MAX_DEPTH = 64
# libyaml's event parser when present: 10,000 rules parse in ~0.5 s instead of ~4 s; the same events
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Y:
    """A YAML value with its 1-based position: ``value`` is str, list[Y] or dict[str, Y]."""

    value: Union[str, list["Y"], dict[str, "Y"], None]
    line: int
    col: int
    key_pos: tuple[int, int] | None = None  # where the key naming this value sits

    def get(self, key: str) -> "Y | None":
        return self.value.get(key) if isinstance(self.value, dict) else None

    @property
    def text(self) -> str | None:
        return self.value if isinstance(self.value, str) else None


@dataclass(frozen=True)
class YamlProblem:
    kind: str  # syntax | tag | alias | duplicate | depth | size | encoding
    message: str
    line: int
    col: int


def parse_yaml(text: str | bytes) -> tuple[Y | None, list[YamlProblem]]:
    """Parse one YAML document; returns (tree, problems). A tree is returned only when clean."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            return None, [YamlProblem("size", f"file is {len(text)} bytes, over the {MAX_BYTES} limit", 1, 1)]
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [YamlProblem("encoding", f"not UTF-8 (byte {exc.start})", 1, 1)]
    elif not text.isascii():
        try:  # a str may hold half a surrogate pair, which no file can (and libyaml cannot take)
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return None, [YamlProblem("encoding", f"not UTF-8 text (a lone surrogate at {exc.start})", 1, 1)]
    problems: list[YamlProblem] = []
    stack: list[tuple[object, int, int, tuple[int, int] | None]] = []  # (container, line, col, key_pos)
    pending_key: list[tuple[str, int, int] | None] = []
    root: Y | None = None
    documents = 0

    def attach(node: Y) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        container = stack[-1][0]
        if isinstance(container, list):
            container.append(node)
        elif pending_key[-1] is None:  # this node is a key
            if not isinstance(node.value, str):
                problems.append(YamlProblem("syntax", "mapping keys must be plain words", node.line, node.col))
                pending_key[-1] = ("?", node.line, node.col)
            else:
                pending_key[-1] = (node.value, node.line, node.col)
        else:
            key, kl, kc = pending_key[-1]
            if key in container:
                problems.append(YamlProblem("duplicate", f"duplicate key {key!r}", kl, kc))
            else:
                container[key] = Y(node.value, node.line, node.col, (kl, kc))
            pending_key[-1] = None

    try:
        for ev in yaml.parse(text, Loader=_LOADER):
            line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:  # the last document would silently replace the others
                    problems.append(YamlProblem("syntax", "a second YAML document ('---'); "
                                                "the file must hold one list or mapping", line, col))
                    return None, problems
            if isinstance(ev, yaml.AliasEvent):
                problems.append(YamlProblem("alias", "aliases (*name) are not allowed", line, col))
                return None, problems
            anchor = getattr(ev, "anchor", None)
            tag = getattr(ev, "tag", None)
            if anchor:
                problems.append(YamlProblem("alias", f"anchors (&{anchor}) are not allowed", line, col))
            if tag and tag != "!":  # the parser reports a tag only when the file wrote one
                problems.append(YamlProblem("tag", f"tags ({tag}) are not allowed", line, col))
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    problems.append(YamlProblem("depth", f"nested deeper than {MAX_DEPTH}", line, col))
                    return None, problems
                stack.append(({} if isinstance(ev, yaml.MappingStartEvent) else [], line, col, None))
                pending_key.append(None)
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                container, l0, c0, _ = stack.pop()
                pending_key.pop()
                attach(Y(container, l0, c0))
            elif isinstance(ev, yaml.ScalarEvent):
                value = ev.value
                if not value.isascii() and _lone_surrogate(value):  # from an escape such as "\\ud800"
                    problems.append(YamlProblem("encoding", "a lone UTF-16 surrogate escape", line, col))
                if ev.implicit[0] and ev.style is None and value in ("", "~", "null", "Null", "NULL"):
                    attach(Y(None, line, col))
                else:
                    attach(Y(value, line, col))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = ((mark.line + 1), (mark.column + 1)) if mark else (1, 1)
        at = exc.context_mark.line + 1 if exc.context_mark else None
        message, line, col = explain(exc.problem or "", exc.context, text.splitlines(), line, col, at)
        problems.append(YamlProblem("syntax", message, line, col))
        return None, problems
    except yaml.YAMLError as exc:  # reader errors: control characters, bad encoding
        problems.append(YamlProblem("encoding", str(exc).splitlines()[0], 1, 1))
        return None, problems
    return (root if not problems else None), problems


def _lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
