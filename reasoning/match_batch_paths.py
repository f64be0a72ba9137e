"""Paths of one rule for a batch of pairs (reasoning/match_batch.py grows the layers;
reasoning/match_batch_finish.py makes the chains).

Paths are rows of one int32 matrix with the pair of each row beside it; rows of one pair stay
together and in the reference's order (lexicographic: each path's extensions ascending), so the
partial-path limit cuts each pair at the reference's path.
"""
from __future__ import annotations

import numpy as np

from reasoning.match_batch import Batch, degrees, gather, member
from reasoning.match_finish import Compiled, _passes, expand
from reasoning.match_order import stable_order, starts_of

_I64 = np.int64


def limit_of(bt: Batch) -> int:
    return max(bt.budget.max_chains_per_rule * 200, 1000)


def prune(bt: Batch, cr: Compiled, allowed: list[np.ndarray], live: np.ndarray) -> np.ndarray:
    """Drop pairs whose rule cannot fire (a check on the two ends fails, or the crowd is too small).

    As match_finish.cannot_fire: only pairs whose partial paths cannot pass the limit either, so
    that no truncated flag changes.
    """
    if not (cr.pair_checks or cr.crowd):
        return live
    sizes = [bt.count(a // bt.NN) for a in allowed]
    bound = np.ones(bt.P, dtype=np.float64)
    for s in sizes[1:]:
        bound *= s
    sure = live & (bound <= limit_of(bt))
    if cr.crowd:
        most = np.ones(bt.P, dtype=np.float64)
        for j in cr.crowd:
            most *= sizes[j]
        live = live & ~(sure & (most < cr.plan.rule.min_support))
        sure &= live
    if cr.pair_checks:
        memo: dict = {}
        lk, k = bt.lk, cr.k
        for kind, n, deps in cr.pair_checks:  # a value the rule looks up at an end must exist
            if kind == "value":
                _, p, rel = cr.lookups[n]
                ends = bt.U if p == 0 else bt.I
                live &= ~(sure & ~lk.has_value(rel)[ends])
        sure &= live
        for p in np.flatnonzero(sure).tolist():
            ends = (int(bt.U[p]),) + (-1,) * (k - 1) + (int(bt.I[p]),)
            if not any(all(_passes(lk, cr, x, memo, c) for c in cr.pair_checks) for x in expand(lk, cr, ends)):
                live[p] = False
    return live


def ends_pass(bt: Batch, cr: Compiled, live: np.ndarray) -> np.ndarray:
    """Which live pairs pass the rule's checks on the user and item alone (for some choice of their
    looked-up values): the others can have no chain of it."""
    live = live.copy()
    lk, k = bt.lk, cr.k
    for kind, n, _ in cr.pair_checks:  # a value the rule looks up at an end must exist
        if kind == "value":
            _, p, rel = cr.lookups[n]
            live &= lk.has_value(rel)[bt.U if p == 0 else bt.I]
    memo: dict = {}
    for p in np.flatnonzero(live).tolist():
        ends = (int(bt.U[p]),) + (-1,) * (k - 1) + (int(bt.I[p]),)
        if not any(all(_passes(lk, cr, x, memo, c) for c in cr.pair_checks) for x in expand(lk, cr, ends)):
            live[p] = False
    return live


def paths_of(bt: Batch, cr: Compiled, allowed: list[np.ndarray], live: np.ndarray,
             meet_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair of each path, the paths): every simple path of each live pair through its allowed nodes.

    ``meet_at``: where each pair's two sides met. The first hop of a pair that met past it needs no
    edge test (its allowed nodes there are the user's own neighbours: the user is never capped),
    nor the last hop of a pair that met before the item (its allowed nodes there are the item's).
    """
    return grow_paths(bt, cr, allowed, live, meet_at, cr.k)[:2]


def grow_paths(bt: Batch, cr: Compiled, allowed: list[np.ndarray], live: np.ndarray, meet_at: np.ndarray,
               steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`paths_of` for the first ``steps`` hops only; (pairs, paths, marks for step_hits)."""
    live = prune(bt, cr, allowed, live)
    limit = limit_of(bt)
    pp = np.flatnonzero(live).astype(_I64)
    paths = bt.U[pp].astype(np.int32)[:, None]  # node ids fit 32 bits: half the bytes to move
    marks = np.arange(bt.P + 1, dtype=_I64) * bt.NN
    for j in range(steps):
        if not len(pp):
            break
        rows, ys = step_hits(bt, cr, j, pp, paths[:, -1], allowed, meet_at, marks)
        # one hit per row, in order (the last hop to the item, mostly): the rows themselves
        grown = paths if len(rows) == len(paths) and rows[-1] == len(rows) - 1 and rows[0] == 0 \
            and not (np.diff(rows) != 1).any() else np.take(paths, rows, axis=0)
        clash = grown[:, 0] == ys
        for c in range(1, grown.shape[1]):
            clash |= grown[:, c] == ys
        if clash.any():  # simple paths only
            ok = np.flatnonzero(~clash)
            rows, ys, grown = rows[ok], ys[ok], np.take(grown, ok, axis=0)
        keep = _cut(bt, pp, rows, limit)
        if keep is not None:
            ok = np.flatnonzero(keep)
            rows, ys, grown = rows[ok], ys[ok], np.take(grown, ok, axis=0)
        paths = np.empty((len(rows), grown.shape[1] + 1), dtype=np.int32)
        paths[:, :-1] = grown
        paths[:, -1] = ys
        pp = pp[rows]
    return pp, paths, marks


def step_hits(bt: Batch, cr: Compiled, j: int, pp: np.ndarray, last: np.ndarray, allowed: list[np.ndarray],
              meet_at: np.ndarray, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, node) for each allowed node at position j + 1 next to each row's ``last`` node (rows
    ascending, each row's nodes ascending); ``pp`` the rows' pairs, ascending."""
    NN, k = bt.NN, cr.k
    rel, fwd = cr.sig[j]
    d = bt.lk.dirs[(rel, fwd)]
    target = allowed[j + 1]
    tstart = np.searchsorted(target, marks)
    tcount = tstart[pp + 1] - tstart[pp]
    if j == 0 or j == k - 1:
        known = meet_at[pp] > 0 if j == 0 else meet_at[pp] < k
        rk = np.flatnonzero(known)
    else:
        known, rk = None, np.zeros(0, dtype=_I64)
    if len(rk) < len(pp):
        todo = ~known if known is not None else np.ones(len(pp), dtype=bool)
        back = bt.lk.dirs[(rel, not fwd)]
        rows, ys = _hits_from_targets(bt, back, pp, last, target, tstart, todo) \
            if _targets_cheaper(bt, d, back, pp, last, target, tstart, tcount, todo) \
            else _hits(bt, d, pp, last, target, tstart, tcount, todo)
        if not len(rk):
            return rows, ys.astype(np.int32)
    # every allowed node of these rows is a hit: list them
    tc = tcount[rk]
    if not (tc != 1).any():  # one each (the item, on the last hop)
        kp = pp[rk]
        kr, ky = rk, target[tstart[kp]] - kp * NN
    else:
        owner = np.repeat(np.arange(len(rk), dtype=_I64), tc)
        at = tstart[pp[rk]][owner] + np.arange(len(owner), dtype=_I64) - (np.cumsum(tc) - tc)[owner]
        kr, ky = rk[owner], target[at] - pp[rk][owner] * NN
    if len(rk) == len(pp):
        return kr, ky.astype(np.int32)
    rows = np.concatenate((rows, kr))
    ys = np.concatenate((ys, ky))
    order = stable_order(rows)  # rows of both kinds: in row order (each row's hits come from one side)
    return rows[order], ys[order].astype(np.int32)


def _hits(bt: Batch, d, pp: np.ndarray, last: np.ndarray, target: np.ndarray, tstart: np.ndarray,
          tcount: np.ndarray, todo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, neighbour) for each allowed neighbour of each row's last node (rows in ``todo``), ascending."""
    NN = bt.NN
    deg = degrees(d, last)
    big = todo & (deg > np.maximum(8 * tcount, 32))  # a hub row: probe it for the few allowed nodes instead
    small = np.flatnonzero(todo & ~big)
    owner, ys = gather(d, last[small], deg[small])
    rs = small[owner]
    ok = member(target, pp[rs] * NN + ys)
    rs, ys = rs[ok], ys[ok]
    bt.work += bt.count(pp[small], deg[small])
    rb = np.flatnonzero(big)
    if not len(rb):
        return rs, ys
    tc = tcount[rb]
    owner = np.repeat(np.arange(len(rb), dtype=_I64), tc)
    at = tstart[pp[rb]][owner] + np.arange(len(owner), dtype=_I64) - (np.cumsum(tc) - tc)[owner]
    yb = target[at] - pp[rb][owner] * NN
    hit = member(d.keys(), last[rb][owner] * NN + yb)
    bt.work += bt.count(pp[rb], tc)
    rows = np.concatenate((rs, rb[owner][hit]))
    ys = np.concatenate((ys, yb[hit]))
    order = stable_order(rows)  # a row's hits come from one side, ascending
    return rows[order], ys[order]


def _targets_cheaper(bt: Batch, d, back, pp, last, target, tstart, tcount, todo) -> bool:
    """Whether walking back from the allowed nodes touches far fewer entries than walking forward."""
    if not todo.any() or back.indptr is None:
        return False
    deg = degrees(d, last[todo])
    tc = tcount[todo]
    forward = int(np.where(deg > np.maximum(8 * tc, 32), 4 * tc, deg).sum())  # as _hits would: probes cost more
    pairs = _distinct(pp[todo])
    keys = _ranges(target, tstart[pairs], tstart[pairs + 1])
    backward = int(degrees(back, keys % bt.NN).sum())
    return 2 * backward < forward


def _distinct(sorted_: np.ndarray) -> np.ndarray:
    return sorted_[starts_of(sorted_)]


def _ranges(a: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """a[lo[0]:hi[0]] ++ a[lo[1]:hi[1]] ++ ... without a Python loop."""
    n = hi - lo
    owner = np.repeat(np.arange(len(lo), dtype=_I64), n)
    return a[lo[owner] + np.arange(int(n.sum()), dtype=_I64) - (np.cumsum(n) - n)[owner]]


def _hits_from_targets(bt: Batch, back, pp, last, target, tstart, todo) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_hits` by a join from the other side: each allowed node lists the nodes that reach it.

    The same hits in the same order (by row, each row's ascending), for a step whose rows have
    many neighbours but whose allowed nodes have few (a category's products vs a product's
    categories).
    """
    NN = bt.NN
    rows = np.flatnonzero(todo)
    pairs = _distinct(pp[rows])
    keys = _ranges(target, tstart[pairs], tstart[pairs + 1])
    tp, tx = bt.split(keys)
    bdeg = degrees(back, tx)
    bt.work += bt.count(tp, bdeg)
    owner, xs = gather(back, tx, bdeg)
    left = tp[owner] * NN + xs  # (pair, node at this position) that reaches ...
    right = tx[owner]  # ... this allowed node
    if int(bt.P) * int(NN) * int(NN) < (1 << 62):
        joined = np.sort(left * NN + right)
        want = pp[rows] * NN + last[rows]
        lo = np.searchsorted(joined, want * NN)
        hi = np.searchsorted(joined, (want + 1) * NN)
        n = hi - lo
        at = np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(int(n.sum()), dtype=_I64)
        return np.repeat(rows, n), joined[at] % NN
    order = np.lexsort((right, left))
    left, right = left[order], right[order]
    want = pp[rows] * NN + last[rows]
    lo, hi = np.searchsorted(left, want), np.searchsorted(left, want, side="right")
    n = hi - lo
    at = np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(int(n.sum()), dtype=_I64)
    return np.repeat(rows, n), right[at]


def _cut(bt: Batch, pp: np.ndarray, rows: np.ndarray, limit: int) -> np.ndarray | None:
    """Per pair, stop after the path whose extensions passed the limit, as the reference does.

    Returns which hits to keep, or None for all.
    """
    if not len(rows):
        return None
    m = len(pp)
    starts = starts_of(pp)  # pp ascending: each pair's paths together; rows ascending too
    if int(np.diff(np.searchsorted(rows, np.append(starts, m))).max()) <= limit:
        return None  # no pair has more than the limit in all: nothing to cut (the usual case)
    c = np.bincount(rows, minlength=m)
    cum = np.cumsum(c)
    first = np.repeat(starts, np.diff(np.append(starts, m)))
    within = cum - (cum[first] - c[first])
    over = np.flatnonzero(within > limit)
    if not len(over):
        return None
    pairs = pp[over]
    firsts = over[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    bt.truncated[pp[firsts]] = True
    cutoff = np.full(bt.P, m, dtype=_I64)
    cutoff[pp[firsts]] = firsts
    return rows <= cutoff[pp[rows]]
