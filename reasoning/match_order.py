"""Orders and per-pair caps for the batch matcher, by sorting distinct int64 keys.

numpy's ``lexsort`` and stable ``argsort`` cost several times more than a plain sort of distinct
int64 keys (on 57,000 rows: about 10 ms and 4-6 ms against 1 ms). Every order the batch needs is
a stable one (ties keep the rows' order, which is the reference's path order), so here each is
a plain sort of keys made distinct by the row number: ``(pair, rank of the value) * m + row``.
"""
from __future__ import annotations

import numpy as np

_I64 = np.int64
_LIMIT = 1 << 62  # keys stay below this (int64, with room)


def stable_order(a: np.ndarray) -> np.ndarray:
    """``np.argsort(a, kind="stable")`` for non-negative integers."""
    m = len(a)
    if m < 2:
        return np.arange(m, dtype=_I64)
    top = int(a.max())
    if (top + 1) * m >= _LIMIT:
        return np.argsort(a, kind="stable")
    key = a.astype(_I64) * m + np.arange(m, dtype=_I64)
    key.sort()
    return key % m


def ranks(values: np.ndarray) -> tuple[np.ndarray, int]:
    """(each value's rank among the distinct values, how many distinct values): the same order
    and ties as the floats themselves (no NaN here: totals of log-degrees)."""
    o, r, n = _by_value(values)
    out = np.empty(len(values), dtype=_I64)
    out[o] = r
    return out, n


def _by_value(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(the rows by value, ties in any order; the rank of each of those rows' value; how many
    distinct values). An unstable argsort and a cumulative sum: faster than searching each value."""
    o = np.argsort(values)
    v = values[o]
    r = np.zeros(len(v), dtype=_I64)
    if len(v) > 1:
        np.cumsum(v[1:] != v[:-1], out=r[1:])
    return o, r, int(r[-1]) + 1 if len(r) else 0


def pair_order(pp: np.ndarray, total: np.ndarray) -> np.ndarray:
    """The rows by (pair, total, row): ``np.lexsort((total, pp))`` (``pp`` non-negative)."""
    m = len(pp)
    if m < 2:
        return np.arange(m, dtype=_I64)
    o, r, n = _by_value(total)
    if (int(pp.max()) + 1) * n * m >= _LIMIT:
        return np.lexsort((total, pp))
    key = (pp[o].astype(_I64) * n + r) * m + o
    key.sort()
    return key % m


def starts_of(pp: np.ndarray) -> np.ndarray:
    """Where each run of equal ``pp`` begins (``pp`` grouped: one pair's rows together)."""
    if not len(pp):
        return np.zeros(0, dtype=_I64)
    return np.flatnonzero(np.concatenate(([True], pp[1:] != pp[:-1])))


def top_per_pair(pp: np.ndarray, total: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows kept, pairs with more than ``cap`` rows): each pair's first ``cap`` rows by (total,
    row), pairs ascending; ``pp`` sorted ascending. The rows of a full stable sort, cut per pair."""
    m = len(pp)
    if not m:
        return np.zeros(0, dtype=_I64), np.zeros(0, dtype=_I64)
    starts = starts_of(pp)
    counts = np.diff(np.append(starts, m))
    over = pp[starts][counts > cap]
    if not len(over):
        return pair_order(pp, total), over
    sub = _contenders(pp, total, cap, starts, counts)
    if sub is not None:  # rows that cannot make their pair's cut are gone: rank the others
        kept, _ = top_per_pair(pp[sub], total[sub], cap)
        return sub[kept], over
    order = pair_order(pp, total)
    rank = np.arange(m, dtype=_I64) - np.repeat(starts, counts)  # pp[order] is pp: pairs keep their places
    return order[rank < cap], over


def _contenders(pp: np.ndarray, total: np.ndarray, cap: int, starts: np.ndarray,
                counts: np.ndarray) -> np.ndarray | None:
    """The rows (ascending) of each pair whose total is at most about its ``cap``-th smallest one:
    a superset of its first ``cap`` rows, found by sorting coarse keys (the top 32 bits of each
    total: non-negative floats order as their bits do). None when it would not pay or not hold."""
    m = len(pp)
    if m < 2 * cap * len(starts) or total.dtype != np.float64 or not (total >= 0).all() or int(pp.max()) >= 1 << 31:
        return None  # few rows to drop; or the bits would not order the totals
    coarse = ((total + 0.0).view(_I64) >> 32) | (pp.astype(_I64) << 31)  # (+0.0: no -0.0 sign bit)
    ranked = np.sort(coarse)  # pairs keep their places: pp ascending
    last = np.where(counts > cap, ranked[starts + np.minimum(counts, cap) - 1], ranked[starts + counts - 1])
    sub = np.flatnonzero(coarse <= np.repeat(last, counts))
    return sub if len(sub) < m else None
