"""reasoning.match_order: the batch's sorts on distinct int64 keys give numpy's stable orders.

Each function is checked against the numpy call it replaces, on random inputs full of ties
(few distinct values, so ties are the rule), including the fallback when the keys would not fit.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from reasoning import match_order as mo


def _totals(rng: np.random.Generator, m: int, distinct: int) -> np.ndarray:
    """Sums of log1p of small degrees, as specificity totals are: equal sums from different terms."""
    table = np.array([math.log1p(v) for v in range(distinct)])
    return table[rng.integers(0, distinct, m)] + table[rng.integers(0, distinct, m)]


@pytest.mark.parametrize("seed", range(6))
def test_stable_order_is_argsort_stable(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for m in (0, 1, 2, 7, 300, 5000):
        a = rng.integers(0, max(m // 10, 1) + 1, m)
        assert np.array_equal(mo.stable_order(a), np.argsort(a, kind="stable"))


def test_stable_order_falls_back_on_huge_values() -> None:
    a = np.array([1 << 61, 3, 1 << 61, 0, 3], dtype=np.int64)
    assert np.array_equal(mo.stable_order(a), np.argsort(a, kind="stable"))


@pytest.mark.parametrize("seed", range(6))
def test_ranks_keep_order_and_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    v = _totals(rng, 2000, 12)
    r, n = mo.ranks(v)
    assert n == len(set(v.tolist()))
    i, j = rng.integers(0, len(v), (2, 5000))
    assert np.array_equal(np.sign(r[i] - r[j]), np.sign(v[i] - v[j]))


@pytest.mark.parametrize("seed", range(6))
def test_pair_order_is_lexsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for m in (0, 1, 2, 50, 4000):
        pp = np.sort(rng.integers(0, 40, m))
        total = _totals(rng, m, 6)
        assert np.array_equal(mo.pair_order(pp, total), np.lexsort((total, pp)))
        unsorted = rng.permutation(pp)  # the order needs no grouping
        assert np.array_equal(mo.pair_order(unsorted, total), np.lexsort((total, unsorted)))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("cap", [1, 3, 25])
def test_top_per_pair_is_the_full_sort_cut(seed: int, cap: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(0, 3000))
    pp = np.sort(rng.integers(0, int(rng.integers(1, 200)), m))
    total = _totals(rng, m, int(rng.integers(2, 9)))
    order = np.lexsort((total, pp))
    starts = np.flatnonzero(np.concatenate(([True], pp[order][1:] != pp[order][:-1]))) if m else order
    counts = np.diff(np.append(starts, m))
    rank = np.arange(m) - np.repeat(starts, counts)
    kept, over = mo.top_per_pair(pp, total, cap)
    assert np.array_equal(kept, order[rank < cap])
    assert np.array_equal(over, pp[order][starts][counts > cap] if m else over)
    assert over.dtype.kind == "i" and kept.dtype.kind == "i"


def test_starts_of() -> None:
    assert mo.starts_of(np.array([], dtype=np.int64)).tolist() == []
    assert mo.starts_of(np.array([4, 4, 5, 9, 9, 9])).tolist() == [0, 2, 3]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("cap", [1, 2, 25])
def test_top_per_pair_drops_rows_only_past_the_cut(seed: int, cap: int) -> None:
    """Many rows per pair (the coarse pre-cut runs): still the full sort's first ``cap`` rows,
    with ties across the cut, zeros and -0.0 among the totals."""
    rng = np.random.default_rng(100 + seed)
    pairs = int(rng.integers(1, 12))
    m = 4 * cap * pairs + int(rng.integers(1, 4000))
    pp = np.sort(rng.integers(0, pairs, m))
    total = _totals(rng, m, int(rng.integers(2, 40)))
    total[rng.random(m) < 0.05] = 0.0
    total[rng.random(m) < 0.02] = -0.0
    starts = mo.starts_of(pp)
    counts = np.diff(np.append(starts, m))
    sub = mo._contenders(pp, total, cap, starts, counts)
    assert sub is not None and len(sub) < m
    order = np.lexsort((total, pp))
    rank = np.arange(m) - np.repeat(starts, counts)
    kept, over = mo.top_per_pair(pp, total, cap)
    assert np.array_equal(kept, order[rank < cap])
    assert np.array_equal(over, pp[starts][counts > cap])


def test_contenders_step_aside_for_negative_totals() -> None:
    pp = np.zeros(200, dtype=np.int64)
    total = np.linspace(-1.0, 1.0, 200)
    starts, counts = mo.starts_of(pp), np.array([200])
    assert mo._contenders(pp, total, 3, starts, counts) is None
    kept, _ = mo.top_per_pair(pp, total, 3)
    assert kept.tolist() == [0, 1, 2]
