"""What the data says each relation links, and which values it holds: the facts a rule linter needs.

A rule can be valid against the vocabulary and still never fire in *this* graph: a step whose
types no fact has (``user prefers colour`` where nobody prefers a colour), a value that no
node or fact carries, a number outside every value's range. These tables, read once per graph
in one pass over each relation's arrays, let :mod:`reasoning.lint` say so before anyone waits
for a rule that matches nothing.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from kg import KnowledgeGraph
from kg.vocab import ITEM_CLASS, USER_CLASS
from reasoning.conditions import is_date

TEXT_SAMPLE = 2_000  # texts read per relation to tell dates from words and to find their range


@dataclass(frozen=True)
class Values:
    """The values of one relation (on nodes) or one value name (on facts of a relation)."""

    kind: str  # number | date | text
    count: int
    owners: tuple[str, ...]  # node types that carry it (for values on facts: the relation's subject types)
    minimum: float | str | None = None
    maximum: float | str | None = None
    texts: tuple[str, ...] = ()  # when few distinct texts (flags such as yes/no): all of them


@dataclass(frozen=True)
class Signatures:
    links: dict[str, dict[tuple[str, str], int]]  # node relation -> (subject type, object type) -> facts
    node_values: dict[str, Values]  # value relation (price, budget) -> its values
    fact_values: dict[str, dict[str, Values]]  # node relation -> value name (score, date) -> its values
    user_types: frozenset[str]
    item_types: frozenset[str]

    def types_of(self, relation: str, subject: bool) -> frozenset[str]:
        return frozenset(s if subject else o for s, o in self.links.get(relation, {}))


def _names(graph: KnowledgeGraph) -> np.ndarray:
    parts = graph.parts
    names = [graph.vocab.class_name(c) for c in parts.classes] + ["Thing"]
    idx = parts.node_class.astype(np.int64)
    return np.array(names, dtype=object)[np.where(idx >= 0, idx, len(names) - 1)]


def _role(graph: KnowledgeGraph, role: str, fallback: str) -> frozenset[str]:
    """Type names of users or items: the graph's roles when it declares them (``graph.user_classes``)."""
    classes = getattr(graph, f"{role}_classes", None) or (fallback,)
    return frozenset(graph.vocab.class_name(c) for c in classes)


def signatures(graph: KnowledgeGraph) -> Signatures:
    type_of = _names(graph)
    n = graph.n_nodes
    links: dict[str, dict[tuple[str, str], int]] = {}
    fact_values: dict[str, dict[str, Values]] = {}
    for rel in graph.vocab.relations:
        index = graph.edges(rel.name)
        if index is None:
            continue
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(index.out.indptr))
        dst = index.out.indices.astype(np.int64)
        pairs = Counter(zip(type_of[src].tolist(), type_of[dst].tolist()))
        links[rel.name] = dict(pairs)
        owners = tuple(sorted({s for s, _ in pairs}))
        found: dict[str, Values] = {}
        for name, arr in index.values.items():
            seen = arr[~np.isnan(arr)]
            found[name] = Values("number", len(seen), owners, float(seen.min()) if len(seen) else None,
                                 float(seen.max()) if len(seen) else None)
        for name, texts in index.texts.items():
            found[name] = _texts(list(texts.values()), owners)
        fact_values[rel.name] = found
    node_values = {}
    for name, lit in graph.parts.literals.items():
        owners = tuple(sorted(set(type_of[np.unique(lit.nodes.astype(np.int64))].tolist())))
        numbers = lit.numbers[~np.isnan(lit.numbers)]
        if len(numbers):
            node_values[name] = Values("number", len(lit.nodes), owners, float(numbers.min()), float(numbers.max()))
        else:
            sample = [v for node in np.unique(lit.nodes)[:TEXT_SAMPLE].tolist() for v in graph.values(int(node), name)]
            node_values[name] = _texts([str(v) for v in sample], owners, len(lit.nodes))
    return Signatures(links, node_values, fact_values, _role(graph, "user", USER_CLASS), _role(graph, "item", ITEM_CLASS))


def _texts(values: list[str], owners: tuple[str, ...], count: int | None = None) -> Values:
    sample = values[:TEXT_SAMPLE]
    count = len(values) if count is None else count
    if sample and all(is_date(v) for v in sample):
        return Values("date", count, owners, min(sample), max(sample))
    distinct = sorted(set(sample))
    return Values("text", count, owners, texts=tuple(distinct) if len(distinct) <= 12 else ())
