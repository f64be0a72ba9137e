"""The knowledge graph: RDF triples as the record, an integer index for traversal.

>>> from kg.build import GraphBuilder
>>> b = GraphBuilder("example")
>>> b.add("<https://ex.org/user/u1>", "<https://whyrec.dev/ns#purchased>", "<https://ex.org/product/p1>")
>>> g = b.build()
>>> g.node("u1") == g.node("https://ex.org/user/u1")
True
>>> [g.key(n) for n in g.neighbors(g.node("u1"), "purchased")]
['p1']
"""
from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from kg import terms as T
from kg.build import Parts
from kg.errors import KGError
from kg.index import RelationIndex
from kg.labels import tag_candidates
from kg.vocab import Relation, Vocabulary

if TYPE_CHECKING:
    import rdflib


class KnowledgeGraph:
    """An immutable product knowledge graph. Build it with :func:`kg.load_graph`."""

    def __init__(self, parts: Parts):
        self._p = parts

    # -- the record ------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._p.triples)

    @property
    def source(self) -> str:
        return self._p.source

    def lines(self) -> Iterator[str]:
        """The graph as canonical N-Triples lines (sorted, unique), without newlines."""
        terms = self._p.terms
        # Term ids follow sorted term order and rows are sorted by id, so rows are in string order
        # unless a term that is a prefix of another is followed there by a character <= " "
        # (never in canonical terms); then sort the lines to be exact.
        if _id_order_is_text_order(terms):
            return _lines_in_row_order(terms, self._p.triples)
        return iter(sorted(f"{terms[s]} {terms[p]} {terms[o]} ." for s, p, o in self._p.triples.tolist()))

    @cached_property
    def rdf(self) -> "rdflib.Graph":
        """The record as an ``rdflib.Graph`` (built on first use; the index never needs it)."""
        import rdflib
        g = rdflib.Graph()
        g.parse(data="\n".join(self.lines()) + "\n", format="nt")
        return g

    def save(self, path: str) -> None:
        """Write the graph atomically; ``.nt`` (canonical), ``.ttl`` or ``.jsonld`` by extension."""
        from kg.store import save_graph
        save_graph(self, path)

    # -- nodes -----------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self._p.node_terms)

    def node(self, key: str | int) -> int:
        """Node id of a source id (``u042``, an ASIN), a ``type/id`` key or a full IRI."""
        if isinstance(key, (int, np.integer)):
            if 0 <= key < self.n_nodes:
                return int(key)
            raise KGError("K040", f"no node number {key}")
        found = self._lookup.get(key) or self._lookup.get(key.strip("<>"))
        if not found:
            close = difflib.get_close_matches(key, self._keys_sample(), n=3, cutoff=0.7)
            hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else None
            raise KGError("K040", f"unknown node {key!r} in {self.source}", hint=hint)
        if len(found) > 1:
            options = ", ".join(self.iri(n) for n in found[:4])
            raise KGError("K041", f"{key!r} names {len(found)} nodes: {options}")
        return found[0]

    @cached_property
    def _lookup(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for n, t in enumerate(self._p.node_terms.tolist()):
            iri = T.iri_value(self._p.terms[t])
            table.setdefault(iri, []).append(n)
            for key in {T.local_name(iri), T.short_key(iri)} - {None, iri}:
                table.setdefault(key, []).append(n)
        return table

    def _keys_sample(self) -> list[str]:
        return list(self._lookup)[:200000]

    def iri(self, node: int) -> str:
        return T.iri_value(self._p.terms[self._p.node_terms[node]])

    def key(self, node: int) -> str:
        """The node's source id (the IRI's last segment, decoded)."""
        return self._keys[node]

    @cached_property
    def _keys(self) -> list[str]:
        terms = self._p.terms
        return [T.local_name(T.iri_value(terms[t])) for t in self._p.node_terms.tolist()]

    @cached_property
    def _class_names(self) -> list[str]:
        return [self.vocab.class_name(iri) for iri in self._p.classes]

    @cached_property
    def user_mask(self) -> np.ndarray:
        """True for every node typed as a user (primary or additional class)."""
        return self._role_mask(self.user_classes)

    @cached_property
    def item_mask(self) -> np.ndarray:
        """True for every node typed as an item (primary or additional class)."""
        return self._role_mask(self.item_classes)

    def _role_mask(self, class_iris: tuple[str, ...]) -> np.ndarray:
        ks = [k for k, iri in enumerate(self._p.classes) if iri in class_iris]
        mask = np.isin(self._p.node_class, ks) if ks else np.zeros(self.n_nodes, dtype=bool)
        for n, extra in self._p.extra_types.items():
            if not mask[n] and any(k in ks for k in extra):
                mask[n] = True
        return mask

    def label(self, node: int) -> str:
        return self._p.labels[node]

    def label_in(self, node: int, lang: str) -> tuple[str, str]:
        """(the node's label in ``lang``, the tag it is in): a form of the same language counts
        (zh-cn for zh); without one, the default label and its tag ("" untagged), so the
        caller can say the name is not in the language asked for."""
        got = self._p.lang_labels.lookup(node, lang)
        return got if got is not None else (self._p.labels[node], self._p.lang_labels.default_tag(node))

    @property
    def languages(self) -> tuple[str, ...]:
        """The language tags (lower case, sorted) that at least one node's label carries."""
        return self._p.lang_labels.langs

    def type_iri(self, node: int) -> str | None:
        k = int(self._p.node_class[node])
        return self._p.classes[k] if k >= 0 else None

    def type_name(self, node: int) -> str:
        k = int(self._p.node_class[node])
        return self._class_names[k] if k >= 0 else "Thing"

    def has_type(self, node: int, class_iri: str) -> bool:
        k = int(self._p.node_class[node])
        if k >= 0 and self._p.classes[k] == class_iri:
            return True
        return any(self._p.classes[j] == class_iri for j in self._p.extra_types.get(node, ()))

    def nodes_of(self, class_iri: str) -> np.ndarray:
        """Ids of the nodes with this class (primary or additional), ascending."""
        if class_iri not in self._p.classes:
            return np.zeros(0, dtype=np.int32)
        k = self._p.classes.index(class_iri)
        ids = set(np.flatnonzero(self._p.node_class == k).tolist())
        ids.update(n for n, extra in self._p.extra_types.items() if k in extra)
        return np.array(sorted(ids), dtype=np.int32)

    # -- roles: which nodes are the items and which the users (kg/roles.py) ------------
    @property
    def item_classes(self) -> tuple[str, ...]:
        """IRIs of the classes whose nodes are items (default ``schema:Product``)."""
        return self._p.roles.item_classes

    @property
    def user_classes(self) -> tuple[str, ...]:
        """IRIs of the classes whose nodes are users (default ``wr:User``)."""
        return self._p.roles.user_classes

    @cached_property
    def item_types(self) -> frozenset[str]:
        """Type names (as :meth:`type_name` gives them) of the item classes: ``{"Film"}``."""
        return frozenset(self.vocab.class_name(c) for c in self.item_classes)

    @cached_property
    def user_types(self) -> frozenset[str]:
        """Type names of the user classes: ``{"Viewer"}``."""
        return frozenset(self.vocab.class_name(c) for c in self.user_classes)

    @property
    def audience(self) -> str:
        """The noun for counted people in sentences ("12 other viewers"); default "people"."""
        return self._p.roles.audience

    def audience_in(self, lang: str) -> tuple[str, str]:
        """(the noun for counted people in ``lang``, its tag): ``audience: {en: shoppers, zh: 顾客}``
        in a mapping; without one in that language, the default :attr:`audience` and ""."""
        nouns = dict(self._p.roles.audiences)
        tag = next(iter(tag_candidates(lang, tuple(nouns))), None)
        return (nouns[tag], tag) if tag else (self._p.roles.audience, "")

    @cached_property
    def n_items(self) -> int:
        return int(self.item_mask.sum())

    @cached_property
    def n_users(self) -> int:
        return int(self.user_mask.sum())

    def is_item(self, node: int) -> bool:
        return bool(self.item_mask[node])

    def is_user(self, node: int) -> bool:
        return bool(self.user_mask[node])

    def item_nodes(self) -> np.ndarray:
        """Ids of the item nodes, ascending (int32)."""
        return np.flatnonzero(self.item_mask).astype(np.int32)

    def user_nodes(self) -> np.ndarray:
        return np.flatnonzero(self.user_mask).astype(np.int32)

    def users(self) -> Iterator[str]:
        """Source ids of the users (per type: a user and an item may share one)."""
        return (self.key(n) for n in self.user_nodes().tolist())

    def items(self) -> Iterator[str]:
        return (self.key(n) for n in self.item_nodes().tolist())

    def user_ends(self, relation: str) -> tuple[bool, bool]:
        """Whether every subject, and every object, of ``relation``'s facts is a user (a relation
        of users' own doings, such as rated: a rule walking it may step onto other users)."""
        got = self._user_ends.get(relation)
        if got is None:
            index = self._p.edges.get(relation)
            if index is None or not index.n_edges:
                got = (False, False)
            else:
                subjects = np.flatnonzero(np.diff(index.out.indptr))
                objects = np.flatnonzero(np.diff(index.inn.indptr))
                got = (bool(self.user_mask[subjects].all()), bool(self.user_mask[objects].all()))
            self._user_ends[relation] = got
        return got

    @cached_property
    def _user_ends(self) -> dict[str, tuple[bool, bool]]:
        return {}

    def node_of(self, key: str | int, role: str) -> int:
        """Node id of a user (``role="user"``) or an item (``role="item"``): an id that names a user
        and an item ("1" in MovieLens) resolves to the one of the role asked for."""
        from kg.roles import resolve_role
        return resolve_role(self, key, role)

    # -- relations -------------------------------------------------------------------
    @property
    def vocab(self) -> Vocabulary:
        return self._p.vocab

    def relation(self, name: str) -> Relation:
        rel = self._p.vocab.get(name)
        if rel is None:
            guess = self._p.vocab.suggest(name)
            raise KGError("K042", f"unknown relation {name!r}", hint=f"did you mean {guess!r}?" if guess else None)
        return rel

    def edges(self, name: str) -> RelationIndex | None:
        """The index of a node relation, or None when the graph has no such facts."""
        return self._p.edges.get(name)

    def neighbors(self, node: int, relation: str, reverse: bool = False) -> np.ndarray:
        index = self._p.edges.get(relation)
        if index is None:
            return np.zeros(0, dtype=np.int32)
        return (index.inn if reverse else index.out).row(node)

    def values(self, node: int, relation: str) -> list[str | float]:
        """Literal values of a node for a literal relation (numbers as floats)."""
        lit = self._p.literals.get(relation)
        if lit is None:
            return []
        out: list[str | float] = []
        for t in lit.of(node).tolist():
            term = self._p.terms[t]
            number = T.literal_number(term)
            out.append(number if number is not None else T.literal_parts(term)[0])
        return out

    def numbers(self, relation: str) -> np.ndarray | None:
        """Dense per-node numbers of a literal relation (NaN where absent)."""
        lit = self._p.literals.get(relation)
        return None if lit is None else lit.numbers

    @property
    def parts(self) -> Parts:
        """The raw arrays, for index-level code (reasoning) and savers."""
        return self._p


def _id_order_is_text_order(terms: list[str]) -> bool:
    """Whether sorting lines equals sorting their (s, p, o) ids, for sorted unique ``terms``.

    Lines differ from their terms only by the " " after each term, so the orders agree unless
    a term A is a proper prefix of a term B and B[len(A)] <= " ". Checking neighbours is enough:
    every term between A and B starts with A too.
    """
    prefixed = np.flatnonzero(np.fromiter(map(str.startswith, terms[1:], terms[:-1]), dtype=bool,
                                          count=max(len(terms) - 1, 0)))
    return all(terms[k + 1][len(terms[k])] > " " for k in prefixed.tolist())


def _lines_in_row_order(terms: list[str], triples: np.ndarray, chunk: int = 65536) -> Iterator[str]:
    """Lines formatted a block at a time: no list of every line is ever held."""
    get, line = terms.__getitem__, "{} {} {} .".format
    for k in range(0, len(triples), chunk):
        block = triples[k:k + chunk]
        yield from map(line, map(get, block[:, 0].tolist()), map(get, block[:, 1].tolist()),
                       map(get, block[:, 2].tolist()))
