"""Which node types are the items and which the users: roles, not shop classes.

A catalog says it (a mapping's top-level ``items: Film``, ``users: Viewer``, ``audience:
viewers``; ``load_graph(path, items=..., users=..., audience=...)``), and the graph keeps it
as annotation triples on the classes, so a saved graph reloads with the same roles::

    <https://ex.org/vocab#Film>   <https://whyrec.dev/ns#role>     "item" .
    <https://ex.org/vocab#Viewer> <https://whyrec.dev/ns#role>     "user" .
    <https://ex.org/vocab#Viewer> <https://whyrec.dev/ns#audience> "viewers" .

RDF data may carry the same triples itself. Without any, items are ``schema:Product`` and
users ``wr:User``; the audience (the noun for counted people: "12 other viewers") is "people".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from kg import terms as T
from kg.errors import KGError, Where
from kg.vocab import DEFAULT_CLASSES, ITEM_CLASS, USER_CLASS, WR

ROLE = WR + "role"
AUDIENCE = WR + "audience"
ROLE_ANNOTATIONS = (ROLE, AUDIENCE)
DEFAULT_AUDIENCE = "people"
ROLE_WORDS = ("item", "user")
_NOUN = re.compile(r"^[^\W\d_][\w' -]{0,38}[^\W_]$|^[^\W\d_]$")  # a word or two, no digits first


@dataclass(frozen=True)
class Roles:
    """Roles a loader declares. Each entry is a class IRI (with ``://``) or a type name that is
    matched against the graph's classes (``Film`` finds ``https://ex.org/vocab#Film``).
    Empty: keep what the data says (or the default)."""

    items: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    audience: str | None = None
    where: Where | None = None  # where the declaration was written, for errors
    audiences: tuple[tuple[str, str], ...] = ()  # (language tag, noun) in other languages: ("zh", "顾客")

    def __bool__(self) -> bool:
        return bool(self.items or self.users or self.audience or self.audiences)

    def over(self, base: "Roles | None") -> "Roles":
        """These roles, falling back to ``base`` for what these leave unsaid."""
        if base is None:
            return self
        return Roles(self.items or base.items, self.users or base.users, self.audience or base.audience,
                     self.where or base.where, self.audiences or base.audiences)


def as_names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A type name or several, as given to ``load_graph(items=...)``."""
    if value is None:
        return ()
    names = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise KGError("K025", f"a role names node types by text, got {value!r}", hint="e.g. items='Film'")
    return tuple(n.strip() for n in names)


def check_audience(noun: str, where: Where | None = None) -> str:
    """The audience noun, checked: it is said in sentences ("12 other viewers")."""
    noun = " ".join(noun.split())
    if not _NOUN.match(noun):
        raise KGError("K025", f"audience {noun[:40]!r} is not a plural noun", where,
                      "write the word for the people counted in reasons, e.g. audience: viewers")
    return noun


@dataclass(frozen=True)
class RoleInfo:
    """The roles a built graph carries."""

    item_classes: tuple[str, ...] = (ITEM_CLASS,)
    user_classes: tuple[str, ...] = (USER_CLASS,)
    audience: str = DEFAULT_AUDIENCE
    audiences: tuple[tuple[str, str], ...] = ()  # (lower-case language tag, noun), sorted


def read_roles(terms: list[str], rows: np.ndarray, role_p: int, audience_p: int) -> RoleInfo:
    """Roles from annotation rows (subject, predicate, object term ids); defaults where none."""
    items: set[str] = set()
    users: set[str] = set()
    audiences: dict[str, str] = {}
    tagged: dict[str, str] = {}  # the noun in other languages (a language-tagged literal)
    for s, p, o in rows.tolist():
        subject, obj = terms[s], terms[o]
        if not subject.startswith("<") or not T.is_literal(obj):
            continue
        value = T.literal_parts(obj)[0].strip()
        if p == role_p and value.lower() in ROLE_WORDS:
            (items if value.lower() == "item" else users).add(T.iri_value(subject))
        elif p == audience_p and value and T.literal_parts(obj)[2]:
            tagged.setdefault(T.literal_parts(obj)[2].lower(), value)
        elif p == audience_p and value:
            audiences.setdefault(T.iri_value(subject), value)
    user_classes = tuple(sorted(users)) or (USER_CLASS,)
    noun = next((audiences[c] for c in user_classes if c in audiences), None)
    if noun is None and audiences:  # said of a class that is not the users': still the catalog's word
        noun = audiences[min(audiences)]
    return RoleInfo(tuple(sorted(items)) or (ITEM_CLASS,), user_classes, noun or DEFAULT_AUDIENCE,
                    tuple(sorted(tagged.items())))


def class_iris_for(names: tuple[str, ...], present: list[str], what: str, where: Where | None) -> list[str]:
    """Class IRIs for role entries: IRIs as given, names matched against the classes ``present``."""
    known = {c.name: c.iri for c in DEFAULT_CLASSES}
    out: list[str] = []
    for name in names:
        if "://" in name:
            out.append(name)
            continue
        found = [iri for iri in present if name in (T.local_name(iri), known.get(name))]
        if not found:
            import difflib
            shown = sorted({T.local_name(iri) for iri in present})
            close = difflib.get_close_matches(name, shown, n=1)
            raise KGError("K025", f"{what}: no node is typed {name!r}", where,
                          f"did you mean {close[0]!r}?" if close else
                          f"types in this graph: {', '.join(shown[:12]) or 'none'}")
        out.extend(found)
    return out


def role_triples(roles: Roles, present: list[str]) -> tuple[list[tuple[str, str, str]], set[str]]:
    """Annotation triples (as terms) declaring ``roles``, and the role words they replace."""
    triples: list[tuple[str, str, str]] = []
    replaced: set[str] = set()
    user_iris = class_iris_for(roles.users, present, "users", roles.where)
    for word, names in (("item", roles.items), ("user", roles.users)):
        if names:
            replaced.add(word)
            iris = class_iris_for(names, present, f"{word}s", roles.where)
            triples += [(T.iri(iri), T.iri(ROLE), T.literal(word)) for iri in dict.fromkeys(iris)]
    if roles.audience:
        noun = check_audience(roles.audience, roles.where)
        replaced.add("audience")
        for iri in dict.fromkeys(user_iris or [USER_CLASS]):
            triples.append((T.iri(iri), T.iri(AUDIENCE), T.literal(noun)))
    if roles.audiences:
        replaced.add("audience")
        for lang, other in roles.audiences:
            noun = check_audience(other, roles.where)
            for iri in dict.fromkeys(user_iris or [USER_CLASS]):
                triples.append((T.iri(iri), T.iri(AUDIENCE), T.literal(noun, lang=lang)))
    return triples, replaced


def typed_classes(terms: list[str], rows: np.ndarray, type_id: int | None) -> list[str]:
    """IRIs of the classes some node is typed with (objects of rdf:type, term id ``type_id``)."""
    if type_id is None or not len(rows):
        return []
    objs = np.unique(rows[rows[:, 1] == type_id, 2])
    return sorted(T.iri_value(terms[o]) for o in objs.tolist() if terms[o].startswith("<"))


def singular(noun: str) -> str:
    """One of the audience: 'viewers' -> 'viewer', 'people' -> 'person' (English, best effort)."""
    low = noun.lower()
    if low == "people":
        return "person"
    if low.endswith("ies") and len(low) > 4:
        return noun[:-3] + "y"
    if low.endswith("s") and not low.endswith("ss"):
        return noun[:-1]
    return noun


def resolve_role(graph, key: str | int, role: str) -> int:
    """:meth:`KnowledgeGraph.node_of`: the node of ``role`` that ``key`` names (see there)."""
    if role not in ROLE_WORDS:
        raise ValueError(f"role must be 'item' or 'user', not {role!r}")
    mask = graph.user_mask if role == "user" else graph.item_mask
    if isinstance(key, (int, np.integer)):
        found = [graph.node(key)]
    else:
        found = graph._lookup.get(key) or graph._lookup.get(key.strip("<>"))
        if not found:
            close = _close(graph, key, mask)
            raise KGError("K040", f"unknown {role} {key!r} in {graph.source}",
                          hint=f"did you mean {', '.join(map(repr, close))}?" if close else None)
    hits = [n for n in found if mask[n]]
    if len(hits) == 1:
        return hits[0]
    if hits:
        options = ", ".join(graph.iri(n) for n in hits[:4])
        raise KGError("K041", f"{key!r} names {len(hits)} {role}s: {options}")
    kinds = sorted({graph.type_name(n) for n in found})
    named = " or ".join(graph.vocab.class_name(c) for c in (graph.user_classes if role == "user" else graph.item_classes))
    close = _close(graph, str(key), mask)
    if close:
        hint = f"did you mean {', '.join(map(repr, close))}?"
    else:
        none = "" if mask.any() else f"this graph has no {role}s; "
        hint = (f"{none}{role}s are the nodes typed {named}: a mapping names the types with a top-level "
                f"'{role}s:' key (e.g. {role}s: {kinds[0]}), load_graph takes {role}s='{kinds[0]}'")
    article = "an" if role == "item" else "a"
    raise KGError("K043", f"{key!r} is {' or '.join('a ' + k for k in kinds)}, not {article} {role}", hint=hint)


def _close(graph, key: str, mask: np.ndarray) -> list[str]:
    """Ids of the role asked for that look like ``key`` (a bounded pool: difflib is quadratic)."""
    import difflib
    pool = [graph.key(n) for n in np.flatnonzero(mask)[:200_000].tolist()]
    return difflib.get_close_matches(key, pool, n=3, cutoff=0.6)
