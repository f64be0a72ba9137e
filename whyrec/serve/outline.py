"""Where each part of each rule sits in the YAML text, so the studio can rewrite one list in place.

The studio edits the file's text, not a re-serialized copy: a change made with the step builder
replaces only the lines of that rule's ``path`` or ``when`` list, and every comment elsewhere
stays where the expert wrote it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from kg.yamlfile import Y, parse_yaml

LISTS = ("path", "when", "says", "expect")


@dataclass(frozen=True)
class Part:
    key_line: int  # the line of 'path:' (0 when the rule has no such key)
    lines: tuple[int, ...]  # the line of each entry
    texts: tuple[str, ...]  # each entry as text ('' for a mapping entry such as an expect example)
    flow: bool  # written inline ([a, b]): rewrite the key line only


@dataclass(frozen=True)
class Outline:
    id: str
    line: int  # the '- id:' line
    parts: dict[str, Part]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def outline(text: str) -> list[Outline]:
    """The rules of a file as positions; [] when the YAML does not parse (its problems say why)."""
    tree, problems = parse_yaml(text)
    if problems or tree is None or not isinstance(tree.value, list):
        return []
    found = []
    for node in tree.value:
        if not isinstance(node.value, dict):
            continue
        rid = node.get("id")
        parts = {}
        for key in LISTS:
            value = node.get(key)
            if value is not None:
                parts[key] = _part(value)
        found.append(Outline(rid.text or "" if rid is not None else "", node.line, parts))
    return found


def _part(value: Y) -> Part:
    key_line = value.key_pos[0] if value.key_pos else value.line
    items = value.value if isinstance(value.value, list) else [value]
    lines = tuple(i.line for i in items)
    texts = tuple(i.value if isinstance(i.value, str) else "" for i in items)
    flow = bool(lines) and all(line == key_line for line in lines)
    return Part(key_line, lines, texts, flow)
