"""Two parts of a mapping beyond one table: the catalog's roles, and links restricted to rows.

Roles: top-level ``items: Film`` and ``users: Viewer`` (a type name or a list of them; defaults
Product and User) say which node types are the items and the users; ``audience: viewers`` is the
noun for counted people. Each name must be a type the mapping gives some node.

Links restricted to rows: a link column (or a fact end) with ``targets: rows`` links only to
ids that are rows of a node table of its ``type``; a link to any other id is left out, so an
also_bought id outside the catalog never becomes an item. ``outside: OtherProduct`` keeps such
links, to a node of that other type instead (``targets: rows`` is then implied). Links of a
node table's columns are held until every node table has been read, so a column may point
to rows of its own table or of a later one.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.load.table_values import LANG_KEY
from kg.roles import Roles, check_audience
from kg.yamlfile import Y

if TYPE_CHECKING:
    from kg.build import GraphBuilder
    from kg.load.tables import _Mapping

TARGETS = ("any", "rows")


@dataclass(frozen=True)
class Restriction:
    """How a link column or fact end treats ids that are no row of its type's node tables."""

    type_name: str
    outside: str | None  # None: leave the link out; else link to a node of this type


@dataclass(frozen=True)
class Held:
    subject: str
    predicate: str
    restriction: Restriction
    local: str
    spec: Y


class RowLinks:
    """Row ids per node type, and the links waiting for them."""

    def __init__(self) -> None:
        self.rows: dict[str, set[str]] = {}
        self.held: list[Held] = []
        self.left_out = 0  # links whose target is no row (counted, for the curious)

    def table(self, type_name: str) -> None:
        self.rows.setdefault(type_name, set())

    def row(self, type_name: str, local: str) -> None:
        self.rows.setdefault(type_name, set()).add(local)

    def is_row(self, type_name: str, local: str) -> bool:
        return local in self.rows.get(type_name, ())

    def flush(self, m: "_Mapping", b: "GraphBuilder") -> None:
        """Add the held links whose targets are rows (or that go to the outside type)."""
        for h in self.held:
            target = self.target(m, h.restriction, h.local, h.spec)
            if target is not None:
                b.add(h.subject, h.predicate, target)
                m.type_node(b, target, self.type_of(h.restriction, h.local), h.spec)
        self.held.clear()

    def type_of(self, r: Restriction, local: str) -> str:
        return r.type_name if self.is_row(r.type_name, local) else (r.outside or r.type_name)

    def target(self, m: "_Mapping", r: Restriction, local: str, spec: Y) -> str | None:
        """The node a restricted link goes to, or None to leave it out."""
        if r.type_name not in self.rows:
            raise m.fail(spec, f"'targets: rows' but no node table has type {r.type_name!r}",
                         hint=f"add a nodes: table with 'type: {r.type_name}', or drop 'targets'")
        if self.is_row(r.type_name, local):
            return m.node(r.type_name, local)
        if r.outside:
            return m.node(r.outside, local)
        self.left_out += 1
        return None


def restriction(m: "_Mapping", spec: Y, type_name: str | None) -> Restriction | None:
    """The ``targets:`` / ``outside:`` of a column or fact end, checked; None when unrestricted."""
    targets, outside = m.text(spec, "targets", False), m.text(spec, "outside", False)
    if targets is not None and targets not in TARGETS:
        raise m.fail(spec.get("targets"), f"targets must be 'rows' or 'any', not {targets!r}",
                     hint="targets: rows links only to ids that are rows of the type's node table")
    if targets == "any" and outside is not None:
        raise m.fail(spec.get("outside"), "'outside' needs 'targets: rows' (or no 'targets')")
    if targets != "rows" and outside is None:
        return None
    if not type_name or spec.get("type_column") is not None:
        raise m.fail(spec, "'targets: rows' needs a fixed 'type' (the node tables whose rows are the targets)")
    return Restriction(type_name, outside)


def mapping_roles(m: "_Mapping", tree: Y) -> Roles:
    """The mapping's ``items:``, ``users:`` and ``audience:``, checked against the types it uses."""
    types = declared_types(m, tree)
    found: dict[str, tuple[str, ...]] = {}
    for key in ("items", "users"):
        node = tree.get(key)
        if node is None:
            continue
        names = [x.text for x in node.value] if isinstance(node.value, list) else [node.text]
        if not names or any(not n for n in names):
            raise m.fail(node, f"'{key}' names a node type or a list of them", "K025", f"e.g. {key}: Film")
        for name in names:
            if types is not None and name not in types:
                close = difflib.get_close_matches(name, sorted(types), n=1)
                raise m.fail(node, f"{key}: no table gives nodes the type {name!r}", "K025",
                             f"did you mean {close[0]!r}?" if close else f"types: {', '.join(sorted(types))}")
        found[key] = tuple(m.class_iri(n) for n in names)
    audience, others = _audience(m, tree.get("audience"))
    return Roles(found.get("items", ()), found.get("users", ()), audience, m.where(tree), others)


def _audience(m: "_Mapping", node: Y | None) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """``audience: shoppers`` or ``audience: {en: shoppers, zh: 顾客}``: (the default noun, the
    nouns of other languages). English (or a plain noun) is the default; it stays untagged."""
    if node is None:
        return None, ()
    if isinstance(node.value, dict):
        nouns: dict[str, str] = {}
        for lang, v in node.value.items():
            if not LANG_KEY.match(lang) or lang.lower() in nouns:
                raise KGError("K025", f"{lang[:40]!r} is not a language tag, or is given twice", m.where(v, key=True),
                              "write audience: {en: shoppers, zh: 顾客}")
            if not v.text:
                raise m.fail(v, "'audience' is a plural noun", "K025", "e.g. audience: {en: viewers, zh: 观众}")
            nouns[lang.lower()] = check_audience(v.text, m.where(v))
        if not nouns:
            raise m.fail(node, "'audience' names no noun", "K025", "e.g. audience: {en: viewers, zh: 观众}")
        default = nouns.pop("en", None)
        return default, tuple(sorted(nouns.items()))
    if not node.text:
        raise m.fail(node, "'audience' is a plural noun", "K025", "e.g. audience: viewers")
    return check_audience(node.text, m.where(node)), ()


def declared_types(m: "_Mapping", tree: Y) -> set[str] | None:
    """Every type name the mapping gives nodes; None when a ``type_column`` lets the data name more."""
    types: set[str] = set()

    def visit(spec: Y) -> bool:
        if not isinstance(spec.value, dict):
            return True
        if spec.get("type_column") is not None:
            return False
        for key in ("type", "outside"):
            if spec.get(key) is not None and spec.get(key).text:
                types.add(spec.get(key).text)
        return True

    for spec in m.list("nodes"):
        visit(spec)
        columns = spec.get("columns")
        if columns is not None and isinstance(columns.value, dict):
            for col in columns.value.values():
                visit(col)
    for spec in m.list("facts"):
        for end in ("subject", "object"):
            if spec.get(end) is not None and not visit(spec.get(end)):
                return None
    return types
