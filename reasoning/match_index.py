"""Lookups the matcher repeats thousands of times per call, memoised for one call.

A call (one :func:`find_chains`, or one :func:`find_chains_many` over many pairs) gets one
:class:`Lookups`: neighbour rows come out of the CSR index once as Python lists (the sets the
matcher handles are mostly a few dozen ids, where Python sets beat numpy calls), and the
Fact and Binding objects of chains are built once per fact and reused by every chain that
holds them. Nothing outlives the call, so memory stays bounded by what the call touched.
"""
from __future__ import annotations

import math

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import Binding, Fact

_EMPTY = np.zeros(0, dtype=np.int32)
_NO_PTR = np.zeros(2, dtype=np.int64)


class Dir:
    """One relation walked one way: degrees and rows of its CSR, rows cached as lists."""

    __slots__ = ("indptr", "indices", "empty", "rows", "owner")

    def __init__(self, owner: "Lookups", index, forward: bool):
        self.owner = owner
        self.empty = index is None
        csr = None if index is None else (index.out if forward else index.inn)
        self.indptr = _NO_PTR if csr is None else csr.indptr
        self.indices = _EMPTY if csr is None else csr.indices
        self.rows: dict[int, list[int]] = {}

    def degree(self, x: int) -> int:
        if self.empty:
            return 0
        ip = self.indptr
        return ip.item(x + 1) - ip.item(x)

    def row(self, x: int) -> list[int]:
        """Neighbours of ``x``, ascending (CSR rows are sorted)."""
        got = self.rows.get(x)
        if got is None:
            if self.empty:
                got = []
            else:
                ip = self.indptr
                got = self.indices[ip.item(x):ip.item(x + 1)].tolist()
            self.rows[x] = got
            self.owner.fetched += len(got)
        return got

    def array(self, x: int) -> np.ndarray:
        if self.empty:
            return _EMPTY
        ip = self.indptr
        return self.indices[ip.item(x):ip.item(x + 1)]

    def degrees(self, nodes: list[int]) -> np.ndarray:
        f = np.asarray(nodes, dtype=np.int64)
        if self.empty:
            return np.zeros(len(f), dtype=np.int64)
        return self.indptr[f + 1] - self.indptr[f]


class Lookups:
    """Memoised rows, degrees, values, specificity terms, facts and bindings of one graph."""

    def __init__(self, graph: KnowledgeGraph):
        self.graph = graph
        self.edges = graph.parts.edges
        self.user_mask = graph.user_mask
        self.fetched = 0  # neighbour entries materialised: the work budget counts these
        self._dirs: dict[tuple[str, bool], Dir] = {}
        self._values: dict[tuple[int, str], object] = {}
        self._edge_ids: dict[tuple[str, int, int], int | None] = {}
        self._spec: dict[tuple[str, int], float] = {}
        self._facts: dict[tuple[str, int, int], Fact] = {}
        self._bindings: dict[tuple[str, int], tuple[str, Binding]] = {}
        self._value_facts: dict[tuple[int, str, str], tuple[Fact, tuple[str, Binding]]] = {}

    def dir(self, relation: str, forward: bool) -> Dir:
        d = self._dirs.get((relation, forward))
        if d is None:
            d = self._dirs[(relation, forward)] = Dir(self, self.edges.get(relation), forward)
        return d

    def is_user(self, node: int) -> bool:
        return self.user_mask.item(node)

    def first_value(self, node: int, relation: str):
        """``graph.values(node, relation)[0]``, or None when the node has no such value."""
        key = (node, relation)
        if key in self._values:
            return self._values[key]
        values = self.graph.values(node, relation)
        v = self._values[key] = values[0] if values else None
        return v

    def edge_id(self, relation: str, s: int, o: int) -> int | None:
        key = (relation, s, o)
        if key in self._edge_ids:
            return self._edge_ids[key]
        index = self.edges.get(relation)
        e = self._edge_ids[key] = index.edge_id(s, o) if index is not None else None
        return e

    def spec_term(self, relation: str, node: int) -> float:
        """log1p of a node's degree in ``relation`` both ways: a hub scores a large term."""
        key = (relation, node)
        t = self._spec.get(key)
        if t is None:
            t = self._spec[key] = math.log1p(self.dir(relation, False).degree(node) + self.dir(relation, True).degree(node))
        return t

    def fact(self, relation: str, s: int, o: int) -> Fact:
        key = (relation, s, o)
        f = self._facts.get(key)
        if f is None:
            g = self.graph
            f = self._facts[key] = Fact(g.key(s), relation, g.key(o), g.label(s), g.label(o), g.type_name(s),
                                        g.type_name(o), values=self._fact_values(relation, s, o))
        return f

    def binding(self, var: str, node: int) -> tuple[str, Binding]:
        key = (var, node)
        b = self._bindings.get(key)
        if b is None:
            g = self.graph
            b = self._bindings[key] = (var, Binding(g.key(node), g.label(node), g.type_name(node)))
        return b

    def value_fact(self, node: int, relation: str, var: str, value) -> tuple[Fact, tuple[str, Binding]]:
        """The fact and binding of a looked-up literal (``item price price``)."""
        text = f"{value:g}" if isinstance(value, float) else str(value)
        key = (node, relation, var)
        got = self._value_facts.get(key)
        if got is None:
            g = self.graph
            got = self._value_facts[key] = (
                Fact(g.key(node), relation, text, g.label(node), text, g.type_name(node), "Value", is_value=True),
                (var, Binding(text, text, "Value", True)))
        return got

    def _fact_values(self, relation: str, s: int, o: int) -> tuple[tuple[str, str | float], ...]:
        index = self.edges.get(relation)
        if index is None or not (index.values or index.texts):
            return ()
        edge = self.edge_id(relation, s, o)
        if edge is None:
            return ()
        out: list[tuple[str, str | float]] = []
        for name, arr in sorted(index.values.items()):
            v = float(arr[edge])
            if not math.isnan(v):
                out.append((name, v))
        for name, texts in sorted(index.texts.items()):
            if edge in texts:
                out.append((name, texts[edge]))
        return tuple(out)
