"""From triples of canonical N-Triples terms to the graph's parts.

Loaders call :class:`GraphBuilder`; nothing is visible until ``build()``
returns, so a load is all-or-nothing.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

import numpy as np

from kg import terms as T
from kg.bnodes import canonical_bnodes
from kg.labels import LangLabels, lang_labels, language_of
from kg.index import LiteralIndex, RelationIndex, relation_index
from kg.roles import AUDIENCE, ROLE, ROLE_ANNOTATIONS, RoleInfo, Roles, read_roles, role_triples, typed_classes
from kg.vocab import (ANNOTATION_CURRENCY, ANNOTATION_INVERSE, ANNOTATION_LABEL, ANNOTATION_PHRASE, ANNOTATION_UNIT,
                      ANNOTATIONS,
                      DEFAULT_CLASSES, LABEL_PREDICATES, RDF_TYPE, REIFY, Relation, RelationWords, Vocabulary,
                      default_vocabulary, relation_for)


class Interner(dict):
    """term -> id; a new term gets the next id. Lookups of known terms stay in C (no Python frame)."""

    __slots__ = ()

    def __missing__(self, term: str) -> int:
        i = self[term] = len(self)
        return i


class GraphBuilder:
    """Collects triples as term strings; interns them to integers as they come."""

    def __init__(self, source: str):
        self.source = source
        self._ids = Interner()  # insertion order is id order, so the keys are the term list
        self._get = self._ids.__getitem__
        self._rows: list[int] = []  # s, p, o ids of add(), flat
        self._blocks: list[np.ndarray] = []  # (n, 3) int64 id rows of add_many()
        self.relation_meta: dict[str, dict[str, object]] = {}  # iri -> label/inverse/phrases
        self.roles: Roles | None = None  # declared by the loader: written as annotation triples at build()

    @property
    def _terms(self) -> list[str]:  # the term of each id (older code and tests read it)
        return list(self._ids)

    def add(self, s: str, p: str, o: str) -> None:
        get = self._get
        self._rows += (get(s), get(p), get(o))

    def add_many(self, terms: Sequence[str], rows: np.ndarray) -> None:
        """Add many triples at once: ``rows`` (n, 3) are positions in ``terms`` (term strings).

        Bulk loaders (kg/load/ntriples_fast.py) intern on their own and hand over the result;
        ``terms`` may repeat a string, it is still one term.
        """
        rows = np.asarray(rows).reshape(-1, 3)  # any integer dtype: no int64 copy of a big input
        if len(rows):
            local = np.fromiter(map(self._get, terms), dtype=np.int64, count=len(terms))
            self._blocks.append(local[rows])

    def describe_relation(self, iri: str, label: str | None = None, inverse: str | None = None,
                          phrases: tuple[str, ...] = (), unit: str | None = None,
                          currency: str | None = None, lang: str | None = None) -> None:
        """Labels for a relation, and the unit or currency of its values, as a mapping file gives
        them; saved as annotation triples, so a saved graph keeps them. ``lang``: the words are
        in that language (written with its tag; without one they are the default language's)."""
        p = T.iri(iri)
        if lang:
            for kind, values in ((ANNOTATION_LABEL, [label]), (ANNOTATION_INVERSE, [inverse]),
                                 (ANNOTATION_PHRASE, [f"{k:02d} {x}" for k, x in enumerate(phrases)])):
                for value in values:
                    if value:
                        self.add(p, f"<{kind}>", T.literal(value, lang=lang))
            return
        if unit:
            self.add(p, f"<{ANNOTATION_UNIT}>", T.literal(unit))
        if currency:
            self.add(p, f"<{ANNOTATION_CURRENCY}>", T.literal(currency))
        if label:
            self.add(p, f"<{ANNOTATION_LABEL}>", T.literal(label))
        if inverse:
            self.add(p, f"<{ANNOTATION_INVERSE}>", T.literal(inverse))
        for k, phrase in enumerate(phrases):
            self.add(p, f"<{ANNOTATION_PHRASE}>", T.literal(f"{k:02d} {phrase}"))

    def __len__(self) -> int:
        return len(self._rows) // 3 + sum(len(b) for b in self._blocks)

    def build(self):  # -> KnowledgeGraph (imported late: graph imports this module)
        from kg.graph import KnowledgeGraph
        rows = np.array(self._rows, dtype=np.int64).reshape(-1, 3)
        if self._blocks:
            rows = np.concatenate([rows, *self._blocks])
        if self.roles:
            rows = self._declare_roles(rows, self.roles)
        return KnowledgeGraph(assemble(list(self._ids), rows, self.source))

    def _declare_roles(self, rows: np.ndarray, roles: Roles) -> np.ndarray:
        """``rows`` with the role annotations of ``roles``; what they declare replaces what the data said."""
        terms = list(self._ids)
        added, replaced = role_triples(roles, typed_classes(terms, rows, self._ids.get(f"<{RDF_TYPE}>")))
        role_p, audience_p = self._ids.get(f"<{ROLE}>"), self._ids.get(f"<{AUDIENCE}>")
        drop = np.zeros(len(rows), dtype=bool)
        for word in replaced - {"audience"}:
            said = self._ids.get(T.literal(word))
            if role_p is not None and said is not None:
                drop |= (rows[:, 1] == role_p) & (rows[:, 2] == said)
        if "audience" in replaced and audience_p is not None:
            drop |= rows[:, 1] == audience_p
        new = np.array([[self._get(s), self._get(p), self._get(o)] for s, p, o in added], dtype=np.int64)
        return np.concatenate([rows[~drop], new.reshape(-1, 3)])


@dataclass(frozen=True)
class Parts:
    """Everything a KnowledgeGraph holds; built once, never mutated."""

    source: str
    terms: list[str]  # sorted canonical term strings; term id = position
    triples: np.ndarray  # (n, 3) int32 term ids, unique, sorted
    node_terms: np.ndarray  # int32 term id of each node
    term_node: np.ndarray  # int32 node id of each term, -1 when not a node
    labels: list[str]
    node_class: np.ndarray  # int16 index into classes, -1 none
    classes: list[str]  # class IRIs
    extra_types: dict[int, tuple[int, ...]]  # node -> further class indexes
    vocab: Vocabulary  # the relations present in this graph (default ones first)
    edges: dict[str, RelationIndex]
    literals: dict[str, LiteralIndex]
    roles: RoleInfo = RoleInfo()  # which classes are items and users; the audience noun
    lang_labels: LangLabels = field(default_factory=LangLabels)  # labels per language tag


def _canonical(terms: list[str], rows: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Renumber terms in sorted order and sort unique triples: ids independent of input order."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    remap = np.empty(len(terms), dtype=np.int64)
    remap[np.array(order, dtype=np.int64)] = np.arange(len(terms))
    rows = remap[rows] if len(rows) else rows.reshape(0, 3)
    bits = max(1, (len(terms) - 1).bit_length())
    if len(rows) and 3 * bits <= 63:  # one int64 key per triple: a single sort, no lexsort
        key = np.sort((rows[:, 0] << (2 * bits)) | (rows[:, 1] << bits) | rows[:, 2])
        if len(key) > 1:  # np.sort + mask, not np.unique: numpy 2.4's hashing unique is ~30x slower here
            key = key[np.concatenate(([True], key[1:] != key[:-1]))]
        mask = (1 << bits) - 1
        rows = np.empty((len(key), 3), dtype=np.int32)
        rows[:, 0] = key >> (2 * bits)
        rows[:, 1] = (key >> bits) & mask
        rows[:, 2] = key & mask
        return [terms[i] for i in order], rows
    if len(rows):
        key = np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))
        rows = rows[key]
        keep = np.ones(len(rows), dtype=bool)
        keep[1:] = np.any(rows[1:] != rows[:-1], axis=1)
        rows = rows[keep]
    return [terms[i] for i in order], rows.astype(np.int32)


def _finder(terms: list[str]):
    """Id of a term in the sorted term list, or -1 (a binary search; no dict of every term)."""
    def find(term: str) -> int:
        k = bisect_left(terms, term)
        return k if k < len(terms) and terms[k] == term else -1
    return find


def assemble(terms: list[str], rows: np.ndarray, source: str) -> Parts:
    terms, rows = canonical_bnodes(terms, rows)  # content-derived labels: same input, same graph
    terms, rows = _canonical(terms, rows)
    find = _finder(terms)
    special = lambda iri: find(f"<{iri}>")  # noqa: E731
    p_type = special(RDF_TYPE)
    p_labels = {special(i) for i in LABEL_PREDICATES} - {-1}
    p_reify = [special(i) for i in REIFY]
    p_annot = {special(i): i for i in ANNOTATIONS + ROLE_ANNOTATIONS if special(i) >= 0}
    is_lit = np.zeros(len(terms), dtype=bool)  # literals start with '"': one block of the sorted terms
    is_lit[bisect_left(terms, '"'):bisect_left(terms, '#')] = True
    s, p, o = rows[:, 0], rows[:, 1], rows[:, 2]

    stmt = np.zeros(len(terms), dtype=bool)
    if p_reify[0] >= 0:
        stmt[s[p == p_reify[0]]] = True
    annot = np.isin(p, list(p_annot)) if p_annot else np.zeros(len(rows), dtype=bool)
    in_stmt = stmt[s]
    is_type = p == p_type
    is_label = np.isin(p, list(p_labels)) & is_lit[o] if p_labels else np.zeros(len(rows), dtype=bool)
    content = ~(annot | in_stmt)
    edge_rows = content & ~is_type & ~is_label & ~is_lit[o]
    lit_rows = content & ~is_type & ~is_label & is_lit[o]

    # Nodes: subjects of content triples and objects of edges; not classes, predicates, statements.
    node_mask = np.zeros(len(terms), dtype=bool)
    node_mask[s[content]] = True
    node_mask[o[edge_rows]] = True
    node_terms = np.flatnonzero(node_mask).astype(np.int32)
    term_node = np.full(len(terms), -1, dtype=np.int32)
    term_node[node_terms] = np.arange(len(node_terms), dtype=np.int32)
    n = len(node_terms)

    labels, by_lang = _labels(terms, node_terms, term_node, rows[content & is_label])
    classes, node_class, extra = _types(terms, term_node, rows[content & is_type], n)
    meta = _annotations(terms, rows[annot], p_annot)
    roles = read_roles(terms, rows[annot], special(ROLE), special(AUDIENCE))
    taken = set(default_vocabulary().names())
    relations: list[Relation] = []
    edges: dict[str, RelationIndex] = {}
    literals: dict[str, LiteralIndex] = {}
    for pid in np.unique(p[edge_rows]):
        sel = edge_rows & (p == pid)
        rel = relation_for(T.iri_value(terms[pid]), "node", taken, **meta.get(int(pid), {}))
        taken.add(rel.name)
        relations.append(rel)
        edges[rel.name] = relation_index(term_node[s[sel]], term_node[o[sel]], n)
    lit_names: dict[int, str] = {}
    for pid in np.unique(np.concatenate([p[lit_rows], p[in_stmt & is_lit[o]]])):
        iri = T.iri_value(terms[pid])
        rel = relation_for(iri, "literal", taken, **meta.get(int(pid), {}))
        if any(r.name == rel.name for r in relations):  # same predicate used with nodes too
            rel = replace(rel, name=rel.name + "_value", kind="literal", domain=None, range=None)
        taken.add(rel.name)
        relations.append(rel)
        lit_names[int(pid)] = rel.name
        sel = lit_rows & (p == pid)
        if sel.any():
            literals[rel.name] = _literal_index(terms, term_node[s[sel]], o[sel], n)
    by_iri = {r.iri: r for r in relations if r.kind == "node"}
    _edge_values(terms, rows[in_stmt], p_reify, term_node, by_iri, edges, lit_names)
    default_order = {r.name: k for k, r in enumerate(default_vocabulary().relations)}
    relations.sort(key=lambda r: (default_order.get(r.name, len(default_order)), r.name))
    return Parts(source, terms, rows, node_terms, term_node, labels, node_class, classes, extra,
                 Vocabulary(tuple(relations), DEFAULT_CLASSES), edges, literals, roles, by_lang)


def _labels(terms: list[str], node_terms: np.ndarray, term_node: np.ndarray,
            rows: np.ndarray) -> tuple[list[str], LangLabels]:
    """Each node's default label, and every tagged label per language (kg/labels.py)."""
    labels = _default_labels(terms, node_terms)
    if not len(rows):
        return labels, LangLabels()
    # Prefer untagged or English labels; ties broken by sorted order (rows are sorted, sorts stable).
    objs, inv = np.unique(rows[:, 2], return_inverse=True)
    rank = np.fromiter(map(_label_rank, map(terms.__getitem__, objs.tolist())), dtype=np.int8, count=len(objs))[inv]
    nodes = term_node[rows[:, 0]]
    order = np.lexsort((rank, nodes))
    first = np.ones(len(order), dtype=bool)
    first[1:] = nodes[order][1:] != nodes[order][:-1]
    chosen = order[first]
    for node, t in zip(nodes[chosen].tolist(), rows[chosen, 2].tolist()):
        labels[node] = T.literal_parts(terms[t])[0]
    return labels, lang_labels(terms, objs, inv.reshape(-1), nodes, chosen, len(node_terms))


def _label_rank(term: str) -> int:
    lang = language_of(term)
    return 0 if not lang else (1 if lang == "en" or lang.startswith("en-") else 2)


def _default_labels(terms: list[str], node_terms: np.ndarray) -> list[str]:
    """``T.local_name(T.iri_value(term))`` of every node, inlined: it runs once per node."""
    out: list[str] = []
    append = out.append
    for t in map(terms.__getitem__, node_terms.tolist()):
        x = t[1:-1] if t.startswith("<") else t
        cut = max(x.rfind("/"), x.rfind("#"))
        if cut < 0:
            cut = x.rfind(":")
        if cut < len(x) - 1:
            tail = x[cut + 1:]
            append(unquote(tail) if "%" in tail else tail)
        else:
            append(x)
    return out


def _types(terms: list[str], term_node: np.ndarray, rows: np.ndarray, n: int):
    known = [c.iri for c in DEFAULT_CLASSES]
    class_ids = sorted({int(o) for o in np.unique(rows[:, 2])}, key=lambda t: (T.iri_value(terms[t]) not in known,
                                                                                known.index(T.iri_value(terms[t])) if T.iri_value(terms[t]) in known else 0,
                                                                                terms[t]))
    classes = [T.iri_value(terms[t]) for t in class_ids]
    node_class = np.full(n, -1, dtype=np.int16)
    extra: dict[int, tuple[int, ...]] = {}
    if not len(rows):
        return classes, node_class, extra
    ids = np.array(class_ids, dtype=np.int64)  # class term ids, most important first
    by_id = np.argsort(ids)  # position in `classes` of each class, in term id order
    k = by_id[np.searchsorted(ids[by_id], rows[:, 2])]
    nodes = term_node[rows[:, 0]].astype(np.int64)
    order = np.lexsort((k, nodes))  # per node, the most important class first: it becomes primary
    nodes, k = nodes[order], k[order]
    first = np.ones(len(nodes), dtype=bool)
    first[1:] = nodes[1:] != nodes[:-1]
    node_class[nodes[first]] = k[first]
    for node, kk in zip(nodes[~first].tolist(), k[~first].tolist()):  # ascending, so tuples stay sorted
        extra[node] = extra.get(node, ()) + (kk,)
    return classes, node_class, extra


def _annotations(terms: list[str], rows: np.ndarray, p_annot: dict[int, str]) -> dict[int, dict[str, object]]:
    meta: dict[int, dict[str, object]] = {}
    for s, p, o in rows:
        if not T.is_literal(terms[o]):
            continue
        value, _, lang = T.literal_parts(terms[o])
        kind = p_annot[int(p)]
        if kind in ROLE_ANNOTATIONS:  # about classes, not relations: read by kg.roles
            continue
        if lang and kind in (ANNOTATION_LABEL, ANNOTATION_INVERSE, ANNOTATION_PHRASE):
            _lang_words(meta.setdefault(int(s), {}), lang.lower(), kind, value)
            continue
        entry = meta.setdefault(int(s), {})
        if kind == ANNOTATION_LABEL:
            entry["label"] = value
        elif kind == ANNOTATION_INVERSE:
            entry["inverse"] = value
        elif kind == ANNOTATION_PHRASE:  # "NN phrase": the number keeps the author's order
            head, _, rest = value.partition(" ")
            phrase = rest if head.isdigit() and rest else value
            entry["phrases"] = tuple(entry.get("phrases", ())) + (phrase,)
        elif kind == ANNOTATION_UNIT:
            entry["unit"] = value
        elif kind == ANNOTATION_CURRENCY:
            entry["currency"] = value
    return meta


def _lang_words(entry: dict[str, object], lang: str, kind: str, value: str) -> None:
    """One tagged label, inverse label or phrase of a relation, kept under its language."""
    langs = dict(entry.get("langs", ()))  # type: ignore[arg-type]
    words = langs.get(lang, RelationWords())
    if kind == ANNOTATION_LABEL:
        words = replace(words, label=words.label or value)
    elif kind == ANNOTATION_INVERSE:
        words = replace(words, inverse=words.inverse or value)
    else:  # "NN phrase": the number keeps the author's order (annotation rows come sorted)
        head, _, rest = value.partition(" ")
        words = replace(words, phrases=words.phrases + (rest if head.isdigit() and rest else value,))
    langs[lang] = words
    entry["langs"] = tuple(sorted(langs.items()))


def _literal_index(terms: list[str], nodes: np.ndarray, objs: np.ndarray, n: int) -> LiteralIndex:
    order = np.argsort(nodes, kind="stable")
    nodes, objs = nodes[order], objs[order]
    numbers = np.full(n, np.nan)
    if len(objs):  # each distinct literal parsed once; per node the first numeric value wins
        distinct, inv = np.unique(objs, return_inverse=True)
        parsed = [T.literal_number(terms[t]) for t in distinct.tolist()]
        is_num = np.array([v is not None for v in parsed], dtype=bool)[inv]
        value = np.array([np.nan if v is None else v for v in parsed], dtype=np.float64)[inv]
        at = np.flatnonzero(is_num)
        owner = nodes[at]
        first = np.ones(len(at), dtype=bool)
        first[1:] = owner[1:] != owner[:-1]
        numbers[owner[first]] = value[at[first]]
    return LiteralIndex(nodes.astype(np.int32), objs.astype(np.int32), numbers)


def _edge_values(terms, rows, p_reify, term_node, by_iri, edges, lit_names) -> None:
    """Attach literal properties of reified statements to the facts they describe."""
    if not len(rows):
        return
    parts: dict[int, dict[int, int]] = {}
    for s, p, o in rows:
        parts.setdefault(int(s), {})[int(p)] = int(o)
    for props in parts.values():
        s, p, o = (props.get(k, -1) for k in p_reify)
        rel = by_iri.get(T.iri_value(terms[p])) if p >= 0 else None
        if rel is None or s < 0 or o < 0 or term_node[s] < 0 or term_node[o] < 0:
            continue  # a statement about a fact the graph does not assert: nothing to attach
        index = edges[rel.name]
        edge = index.edge_id(int(term_node[s]), int(term_node[o]))
        if edge is None:
            continue
        for pid, tid in props.items():
            name = lit_names.get(pid)
            if name is None or not T.is_literal(terms[tid]):
                continue
            number = T.literal_number(terms[tid])
            if number is not None:
                arr = index.values.get(name)
                if arr is None:  # not setdefault: that would build a full array for every value
                    arr = index.values[name] = np.full(index.n_edges, np.nan)
                arr[edge] = number
            else:
                index.texts.setdefault(name, {})[edge] = T.literal_parts(terms[tid])[0]
