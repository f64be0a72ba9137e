"""A plain rule's last two hops and its ranking in one pass: only the chains kept are built.

For a rule with no lookups, crowds, conditions, negations nor shopper in the middle, a pair's
chains are its most specific paths (reasoning/match_batch_finish.py). A pair can have thousands
of paths (a category's products also bought with the item) and keep 25: here the paths through
the last two hops stay (parent path, node before the item, item) indices, the totals are summed
from the parents' terms, and only the rows kept are copied into paths. The hops, the simple-path
checks, the partial-path cuts and the truncated flags are paths_of's, step by step; the totals
are the same float additions (the parent's terms first, then the last middle node's), and ties
keep path order, so the rows are those of paths_of then finish_rule.
"""
from __future__ import annotations

import numpy as np

from reasoning.lazy import RuleRows
from reasoning.match_batch import Batch
from reasoning.match_batch_paths import _cut, grow_paths, limit_of, step_hits
from reasoning.match_finish import Compiled
from reasoning.match_order import starts_of, top_per_pair

_I64 = np.int64


def plain(lk, cr: Compiled) -> bool:
    """Whether the rule's chains are its ranked paths alone, through two hops at least."""
    return cr.k >= 2 and not (cr.crowd or cr.lookups or cr.pair_checks or cr.path_checks or lk.private(cr))


def ranked_chains(bt: Batch, cr: Compiled, allowed: list[np.ndarray], live: np.ndarray, meet_at: np.ndarray,
                  parts: list[list[tuple]]) -> None:
    """paths_of then finish_rule for a :func:`plain` rule: its chains into each pair's parts."""
    k, lk = cr.k, bt.lk
    limit = limit_of(bt)
    pp, paths, marks = grow_paths(bt, cr, allowed, live, meet_at, k - 2)
    if not len(pp):
        return
    # the node before the item: hits of each path, simple, cut as paths_of cuts
    r, q = _hop(bt, cr, k - 2, pp, paths[:, -1], allowed, meet_at, marks, limit, paths, None, None)
    if not len(r):
        return
    pq = pp[r]
    # the item: at most one hit each
    r2, z = _hop(bt, cr, k - 1, pq, q, allowed, meet_at, marks, limit, paths, r, q)
    if not len(r2):
        return
    parent, last, pz = r[r2], q[r2], pq[r2]
    spec = cr.spec  # positions 1 .. k-1 in order: the parent's, then the node before the item
    if len(spec) > 1:
        s = None
        for j, rel in spec[:-1]:
            terms = lk.spec_terms(rel, paths[:, j])
            s = terms if s is None else s + terms
        total = s[parent] + lk.spec_terms(spec[-1][1], last)
    else:
        total = lk.spec_terms(spec[-1][1], last)
    top, over = top_per_pair(pz, total, bt.budget.max_chains_per_rule)
    bt.truncated[over] = True
    kept = np.empty((len(top), k + 1), dtype=np.int32)
    kept[:, :k - 1] = np.take(paths, parent[top], axis=0)
    kept[:, k - 1] = last[top]
    kept[:, k] = z[top]
    rows = RuleRows(cr, pz[top], kept, -total[top])
    starts = starts_of(rows.pair)
    ends = np.append(starts[1:], len(rows.pair))
    for p, lo, hi in zip(rows.pair[starts].tolist(), starts.tolist(), ends.tolist()):
        parts[p].append((cr, rows, lo, hi))


def _hop(bt: Batch, cr: Compiled, j: int, pp: np.ndarray, ends: np.ndarray, allowed, meet_at, marks, limit: int,
         paths: np.ndarray, up: np.ndarray | None, mid: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Hop ``j`` from these path ends (pair of each: ``pp``): the hits (row, node) that keep the
    path simple (see :func:`_simple`), cut as paths_of cuts."""
    r, q = step_hits(bt, cr, j, pp, ends, allowed, meet_at, marks)
    r, q = _simple(paths, r, q, up, mid)
    keep = _cut(bt, pp, r, limit)
    if keep is not None:
        ok = np.flatnonzero(keep)
        r, q = r[ok], q[ok]
    return r, q


def _simple(paths: np.ndarray, rows: np.ndarray, ys: np.ndarray, up: np.ndarray | None,
            mid: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The hits whose node is not on their path yet: the path is ``paths[rows]`` (``up`` None),
    or ``paths[up[rows]]`` followed by ``mid[rows]``."""
    if not len(rows):
        return rows, ys
    at = rows if up is None else up[rows]
    clash = paths[:, 0][at] == ys
    for c in range(1, paths.shape[1]):
        clash |= paths[:, c][at] == ys
    if mid is not None:
        clash |= mid[rows] == ys
    if clash.any():
        ok = np.flatnonzero(~clash)
        return rows[ok], ys[ok]
    return rows, ys
