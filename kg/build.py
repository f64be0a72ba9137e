"""From triples of canonical N-Triples terms to the graph's parts.

Loaders call :class:`GraphBuilder`; nothing is visible until ``build()``
returns, so a load is all-or-nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kg import terms as T
from kg.index import LiteralIndex, RelationIndex, relation_index
from kg.vocab import (ANNOTATION_INVERSE, ANNOTATION_LABEL, ANNOTATION_PHRASE, ANNOTATIONS,
                      DEFAULT_CLASSES, LABEL_PREDICATES, RDF_TYPE, REIFY, Relation, Vocabulary,
                      default_vocabulary, relation_for)


class GraphBuilder:
    """Collects triples as term strings; interns them to integers as they come."""

    def __init__(self, source: str):
        self.source = source
        self._ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._rows: list[int] = []
        self.relation_meta: dict[str, dict[str, object]] = {}  # iri -> label/inverse/phrases

    def _id(self, term: str) -> int:
        i = self._ids.get(term)
        if i is None:
            i = self._ids[term] = len(self._terms)
            self._terms.append(term)
        return i

    def add(self, s: str, p: str, o: str) -> None:
        self._rows += (self._id(s), self._id(p), self._id(o))

    def describe_relation(self, iri: str, label: str | None = None, inverse: str | None = None,
                          phrases: tuple[str, ...] = ()) -> None:
        """Labels for a relation, as a mapping file gives them; saved as annotation triples."""
        p = T.iri(iri)
        if label:
            self.add(p, f"<{ANNOTATION_LABEL}>", T.literal(label))
        if inverse:
            self.add(p, f"<{ANNOTATION_INVERSE}>", T.literal(inverse))
        for k, phrase in enumerate(phrases):
            self.add(p, f"<{ANNOTATION_PHRASE}>", T.literal(f"{k:02d} {phrase}"))

    def __len__(self) -> int:
        return len(self._rows) // 3

    def build(self):  # -> KnowledgeGraph (imported late: graph imports this module)
        from kg.graph import KnowledgeGraph
        return KnowledgeGraph(assemble(self._terms, np.array(self._rows, dtype=np.int64).reshape(-1, 3), self.source))


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


def _canonical(terms: list[str], rows: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Renumber terms in sorted order and sort unique triples: ids independent of input order."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    remap = np.empty(len(terms), dtype=np.int64)
    remap[np.array(order, dtype=np.int64)] = np.arange(len(terms))
    rows = remap[rows] if len(rows) else rows.reshape(0, 3)
    if len(rows):
        key = np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))
        rows = rows[key]
        keep = np.ones(len(rows), dtype=bool)
        keep[1:] = np.any(rows[1:] != rows[:-1], axis=1)
        rows = rows[keep]
    return [terms[i] for i in order], rows.astype(np.int32)


def assemble(terms: list[str], rows: np.ndarray, source: str) -> Parts:
    terms, rows = _canonical(terms, rows)
    ids = {t: i for i, t in enumerate(terms)}  # only the handful of special predicates are looked up
    special = lambda iri: ids.get(f"<{iri}>", -1)  # noqa: E731
    p_type = special(RDF_TYPE)
    p_labels = {special(i) for i in LABEL_PREDICATES} - {-1}
    p_reify = [special(i) for i in REIFY]
    p_annot = {special(i): i for i in ANNOTATIONS if special(i) >= 0}
    is_lit = np.fromiter((t[0] == '"' for t in terms), dtype=bool, count=len(terms))
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

    labels = _labels(terms, node_terms, term_node, rows[content & is_label])
    classes, node_class, extra = _types(terms, term_node, rows[content & is_type], n)
    meta = _annotations(terms, rows[annot], p_annot)
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
            rel = Relation(rel.name + "_value", iri, rel.label, rel.inverse, rel.phrases, "literal")
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
                 Vocabulary(tuple(relations), DEFAULT_CLASSES), edges, literals)


def _labels(terms: list[str], node_terms: np.ndarray, term_node: np.ndarray, rows: np.ndarray) -> list[str]:
    labels = [T.local_name(T.iri_value(terms[t])) for t in node_terms]
    best: dict[int, tuple[int, str]] = {}
    for s, _, o in rows:  # prefer untagged or English labels; ties broken by sorted order
        value, _, lang = T.literal_parts(terms[o])
        rank = 0 if not lang else (1 if lang.startswith("en") else 2)
        node = int(term_node[s])
        if node not in best or rank < best[node][0]:
            best[node] = (rank, value)
    for node, (_, value) in best.items():
        labels[node] = value
    return labels


def _types(terms: list[str], term_node: np.ndarray, rows: np.ndarray, n: int):
    known = [c.iri for c in DEFAULT_CLASSES]
    class_ids = sorted({int(o) for o in rows[:, 2]}, key=lambda t: (T.iri_value(terms[t]) not in known,
                                                                     known.index(T.iri_value(terms[t])) if T.iri_value(terms[t]) in known else 0,
                                                                     terms[t]))
    classes = [T.iri_value(terms[t]) for t in class_ids]
    position = {t: k for k, t in enumerate(class_ids)}
    node_class = np.full(n, -1, dtype=np.int16)
    extra: dict[int, tuple[int, ...]] = {}
    for s, _, o in rows:  # rows sorted by subject; the most important class becomes primary
        node, k = int(term_node[s]), position[int(o)]
        if node_class[node] < 0:
            node_class[node] = k
        elif k < node_class[node]:
            extra[node] = tuple(sorted(extra.get(node, ()) + (int(node_class[node]),)))
            node_class[node] = k
        else:
            extra[node] = tuple(sorted(extra.get(node, ()) + (k,)))
    return classes, node_class, extra


def _annotations(terms: list[str], rows: np.ndarray, p_annot: dict[int, str]) -> dict[int, dict[str, object]]:
    meta: dict[int, dict[str, object]] = {}
    for s, p, o in rows:
        if not T.is_literal(terms[o]):
            continue
        value = T.literal_parts(terms[o])[0]
        entry = meta.setdefault(int(s), {})
        kind = p_annot[int(p)]
        if kind == ANNOTATION_LABEL:
            entry["label"] = value
        elif kind == ANNOTATION_INVERSE:
            entry["inverse"] = value
        elif kind == ANNOTATION_PHRASE:  # "NN phrase": the number keeps the author's order
            head, _, rest = value.partition(" ")
            phrase = rest if head.isdigit() and rest else value
            entry["phrases"] = tuple(entry.get("phrases", ())) + (phrase,)
    return meta


def _literal_index(terms: list[str], nodes: np.ndarray, objs: np.ndarray, n: int) -> LiteralIndex:
    order = np.argsort(nodes, kind="stable")
    nodes, objs = nodes[order], objs[order]
    numbers = np.full(n, np.nan)
    for node, t in zip(nodes[::-1].tolist(), objs[::-1].tolist()):  # reversed: first value wins
        v = T.literal_number(terms[t])
        if v is not None:
            numbers[node] = v
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
                arr = index.values.setdefault(name, np.full(index.n_edges, np.nan))
                arr[edge] = number
            else:
                index.texts.setdefault(name, {})[edge] = T.literal_parts(terms[tid])[0]
