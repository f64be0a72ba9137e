"""The compact integer index: per-relation CSR adjacency in both directions.

Node ids are dense integers; for each relation the forward CSR lists objects by
subject and the backward CSR subjects by object. Forward position ``k`` is the
edge id of that relation's k-th fact; edge values (a rating's score, a
purchase's date) are arrays aligned with edge ids.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class CSR:
    indptr: np.ndarray  # int64, n_nodes + 1
    indices: np.ndarray  # int32 neighbour ids, sorted within each row
    edge: np.ndarray  # int32 edge id of each entry (identity for the forward direction)

    def row(self, node: int) -> np.ndarray:
        return self.indices[self.indptr[node]:self.indptr[node + 1]]

    def degree(self, node: int) -> int:
        return int(self.indptr[node + 1] - self.indptr[node])

    def degrees(self) -> np.ndarray:
        return np.diff(self.indptr)


def csr_from_pairs(src: np.ndarray, dst: np.ndarray, n_nodes: int) -> CSR:
    """CSR of edges ``src -> dst``; entries sorted by (src, dst); edge ids are input positions."""
    order = np.lexsort((dst, src))
    counts = np.bincount(src, minlength=n_nodes)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return CSR(indptr, dst[order].astype(np.int32), order.astype(np.int32))


@dataclass(frozen=True)
class RelationIndex:
    """Adjacency of one node relation plus the values attached to its facts."""

    out: CSR
    inn: CSR
    values: dict[str, np.ndarray] = field(default_factory=dict)  # numeric, NaN = absent
    texts: dict[str, dict[int, str]] = field(default_factory=dict)  # edge id -> text

    @property
    def n_edges(self) -> int:
        return len(self.out.indices)

    def edge_id(self, subject: int, obj: int) -> int | None:
        lo, hi = self.out.indptr[subject], self.out.indptr[subject + 1]
        k = lo + int(np.searchsorted(self.out.indices[lo:hi], obj))
        return k if k < hi and self.out.indices[k] == obj else None


def relation_index(src: np.ndarray, dst: np.ndarray, n_nodes: int) -> RelationIndex:
    """Index ``src -> dst`` facts (already unique and sorted by (src, dst))."""
    src = src.astype(np.int64)
    dst = dst.astype(np.int64)
    counts = np.bincount(src, minlength=n_nodes)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    out = CSR(indptr, dst.astype(np.int32), np.arange(len(src), dtype=np.int32))
    return RelationIndex(out, csr_from_pairs(dst, src, n_nodes))


@dataclass(frozen=True)
class LiteralIndex:
    """Literal facts of one relation: node -> values, dense numbers for fast filters."""

    nodes: np.ndarray  # int32, sorted
    terms: np.ndarray  # int32 term ids of the literals, aligned with nodes
    numbers: np.ndarray  # float64 per node id (first numeric value), NaN when absent

    def of(self, node: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.nodes, [node, node + 1])
        return self.terms[lo:hi]
