"""Chains of one rule's paths for a batch of pairs: into each pair's parts, as lazy rows.

A rule with neither lookups nor crowds is finished on the arrays (privacy guard, conditions once
per distinct binding, specificity, sort, cap); so is a rule whose lookups read only the user and
the item when one choice of their values passes for a pair (the usual case: one price, one
budget); crowds and the rest go pair by pair through the per-pair matcher's ``finish``. The
order, the floats and the flags are those of ``finish``: rows of a pair are in path order, so
a stable sort on the specificity total is its sort on (total, path).
"""
from __future__ import annotations

import numpy as np

from reasoning.lazy import RuleRows
from reasoning.match_batch import Batch
from reasoning.match_bulk import finish_rows
from reasoning.match_finish import Compiled, _passes, expand, finish, row_of
from reasoning.match_order import starts_of, top_per_pair

_I64 = np.int64


def finish_rule(bt: Batch, cr: Compiled, pp: np.ndarray, paths: np.ndarray, parts: list[list[tuple]]) -> None:
    """Chains of the rule's paths, into each pair's parts (lazy rows); truncated where a cap cut some."""
    lk, cap = bt.lk, bt.budget.max_chains_per_rule
    if cr.crowd or cr.lookups:
        starts = starts_of(pp)
        ends = np.append(starts[1:], len(pp))
        if cr.crowd:  # a chain stands for at least min_support of the pair's paths: fewer give none
            enough = ends - starts >= cr.plan.rule.min_support
            starts, ends = starts[enough], ends[enough]
        # lookups on the user and item only (finish's array case): the values passing for a pair
        ends_only = not cr.crowd and not (lk.private(cr) or cr.path_checks)
        memo: dict = {}
        zero = (0,) * len(cr.lookups)
        ranked: list[tuple[int, int]] = []  # pairs whose one passing choice is each value's first
        for p, lo, hi in zip(pp[starts].tolist(), starts.tolist(), ends.tolist()):
            if ends_only:
                tails = _tails(lk, cr, tuple(paths[lo].tolist()), memo)
                if tails == [zero]:
                    ranked.append((lo, hi))
                    continue
                rows, cut = finish_rows(lk, cr, paths[lo:hi], cap, row_of, tails) if tails else ([], False)
            else:
                rows, cut = finish(lk, cr, paths[lo:hi], cap, row_of)
            if cut:
                bt.truncated[p] = True
            if rows:
                parts[p].append((cr, rows))
        if ranked:
            lo_, hi_ = np.array(ranked, dtype=_I64).T
            n = hi_ - lo_
            sel = np.repeat(lo_ - (np.cumsum(n) - n), n) + np.arange(int(n.sum()), dtype=_I64)
            _rank(bt, cr, pp[sel], np.take(paths, sel, axis=0), parts, len(zero))
        return
    private = lk.private(cr)
    if private:  # never name another shopper through an untagged variable
        keep = ~lk.user_mask[paths[:, list(private)]].any(axis=1)
        pp, paths = pp[keep], paths[keep]
    for check in cr.pair_checks + cr.path_checks:
        if not len(pp):
            return
        keep = _check(lk, cr, paths, check)
        pp, paths = pp[keep], paths[keep]
    if len(pp):
        _rank(bt, cr, pp, paths, parts, 0)


def _tails(lk, cr: Compiled, first: tuple[int, ...], memo: dict) -> list[tuple[int, ...]]:
    """The choices of looked-up values that pass the checks on the user and item (as finish)."""
    return [x[cr.k + 1:] for x in expand(lk, cr, first) if all(_passes(lk, cr, x, memo, c) for c in cr.pair_checks)]


def _rank(bt: Batch, cr: Compiled, pp: np.ndarray, paths: np.ndarray, parts: list[list[tuple]], zeros: int) -> None:
    """The most specific ``max_chains_per_rule`` paths of each pair, as rows (``zeros``: value
    indices appended, each value's first)."""
    lk, cap = bt.lk, bt.budget.max_chains_per_rule
    total = np.zeros(len(pp))
    for n, (j, rel) in enumerate(cr.spec):  # the reference's float additions, in its order
        terms = lk.spec_terms(rel, paths[:, j])
        total = terms if n == 0 else total + terms
    # ties: the path decides, and each pair's rows are already in path order (paths_of keeps the
    # reference's lexicographic order): a stable order on (pair, total), cut per pair, is the full sort's
    top, over = top_per_pair(pp, total, cap)
    bt.truncated[over] = True
    kept = np.take(paths, top, axis=0)
    if zeros:
        kept = np.concatenate((kept, np.zeros((len(kept), zeros), dtype=kept.dtype)), axis=1)
    rows = RuleRows(cr, pp[top], kept, -total[top])
    starts = starts_of(rows.pair)
    ends = np.append(starts[1:], len(rows.pair))
    for p, lo, hi in zip(rows.pair[starts].tolist(), starts.tolist(), ends.tolist()):
        parts[p].append((cr, rows, lo, hi))


def _check(lk, cr: Compiled, paths: np.ndarray, check: tuple) -> np.ndarray:
    """One condition or negation for every row, evaluated once per distinct tuple of what it reads."""
    deps = check[2]
    if not deps:
        ok = _passes(lk, cr, (-1,) * paths.shape[1], {}, check)
        return np.full(len(paths), ok)
    cols = paths[:, list(deps)]
    uniq, inv = np.unique(cols, axis=0, return_inverse=True)
    memo: dict = {}
    fake = [-1] * paths.shape[1]
    results = np.zeros(len(uniq), dtype=bool)
    for n, row in enumerate(uniq.tolist()):
        for j, v in zip(deps, row):
            fake[j] = v
        results[n] = _passes(lk, cr, tuple(fake), memo, check)
    return results[inv.reshape(-1)]
