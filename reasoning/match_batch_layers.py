"""The meet in the middle of reasoning/match_batch.py, for all pairs of a batch at once.

A layer is one sorted int64 array of keys ``pair * n_nodes + node``; each pair grows the side
whose frontier touches fewer entries, skips hubs other than its own ends, and is dropped when a
layer comes out empty or its sides do not meet, as the reference does. Rules that start (end)
with the same relations grow the same frontiers: a layer is grown once per batch (Batch.layers),
and its cost along each next step is computed once.
"""
from __future__ import annotations

import numpy as np

from reasoning.match_batch import _NONE, Batch, degrees, gather, member, unique_sorted
from reasoning.match_finish import Compiled
from reasoning.match_index import Dir, Lookups

_I64 = np.int64


def _expand(bt: Batch, d: Dir, keys: np.ndarray) -> tuple:
    """The next layer of these pairs' frontier nodes, skipping hubs other than each pair's ends:
    (its keys, its pair of each key, a dict of its costs along each next step; see _cost).

    Rules that start (end) with the same relations grow the same frontiers: each is grown once
    per batch, and a later rule gets the layer, its work and its hub flags again.
    """
    memo = (id(d), keys.tobytes())
    layer = _grown(bt, memo)
    if layer is not None:
        return layer
    pi, owner, y, work, hubs = _reach(bt, d, keys)
    out = unique_sorted(pi[owner] * bt.NN + y)
    layer = (out, out // bt.NN, {})
    bt.layers[memo] = (layer, work, hubs)
    return layer


def _grown(bt: Batch, memo: tuple) -> tuple | None:
    """The layer grown before in this batch from the same frontier along the same step, its work
    and hub flags charged again (as growing it again would), or None."""
    got = bt.layers.get(memo)
    if got is None:
        return None
    layer, work, hubs = got
    bt.work += work
    bt.truncated[hubs] = True
    return layer


def _reach(bt: Batch, d: Dir, keys: np.ndarray) -> tuple:
    """(pair of each frontier node kept, owner and node of each neighbour, work, hub pairs) of one
    step from these frontier keys; the work and the hub flags are counted here."""
    pi, x = bt.split(keys)
    deg = degrees(d, x)
    hub = deg > bt.budget.hub_cap
    hubs = _NONE
    if hub.any():
        hub &= (x != bt.U[pi]) & (x != bt.I[pi])
        hubs = pi[hub]
        bt.truncated[hubs] = True
        pi, x, deg = pi[~hub], x[~hub], deg[~hub]
    work = bt.count(pi, deg)
    bt.work += work
    owner, y = gather(d, x, deg)
    return pi, owner, y, work, hubs


def _meet(bt: Batch, d: Dir, keys: np.ndarray, other: np.ndarray) -> np.ndarray:
    """The keys of ``other`` (the far side's frontier, sorted) that one step from these frontier
    keys reaches: the last step of the search, whose layer is used only where it meets the other
    side. As :func:`_expand` (work, hub flags), without sorting every neighbour it lists."""
    memo = (id(d), keys.tobytes())
    layer = _grown(bt, memo)
    if layer is not None:
        return layer[0][member(other, layer[0])]
    pi, owner, y, work, hubs = _reach(bt, d, keys)
    near = np.zeros(int(bt.NN), dtype=bool)  # nodes on the far side of any pair: few of the neighbours
    near[other % bt.NN] = True
    hit = np.flatnonzero(near[y])
    if 2 * len(hit) > len(y):  # most are (a few categories): keep the whole layer for rules to come
        out = unique_sorted(pi[owner] * bt.NN + y)
        bt.layers[memo] = ((out, out // bt.NN, {}), work, hubs)
        return out[member(other, out)]
    found = unique_sorted(pi[owner[hit]] * bt.NN + y[hit])
    return found[member(other, found)]


def _cost(bt: Batch, layer: tuple, d: Dir) -> np.ndarray:
    """Per pair: the neighbour entries growing this layer one step along ``d`` would touch."""
    got = layer[2].get(id(d))
    if got is None:
        got = layer[2][id(d)] = bt.count(layer[1], degrees(d, layer[0] - layer[1] * bt.NN))
    return got


def _grow_side(bt: Batch, lk: Lookups, keys: np.ndarray, go: np.ndarray, pos: np.ndarray, steps,
               delta: int, pieces: dict[int, list[tuple]], cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grow the frontier of the pairs in ``go`` one step; (the new frontier of all pairs, who came out
    empty). ``cost``: each pair's cost of growing its frontier, updated for the pairs that moved."""
    pi = keys // bt.NN
    moving = go[pi]
    new = [keys[~moving]]
    at = pos[pi]
    grown = np.zeros(bt.P, dtype=bool)
    cost[go] = 0
    for j in np.flatnonzero(np.bincount(at[moving])).tolist() if moving.any() else ():
        layer = _expand(bt, lk.dirs[steps[j]], keys[moving & (at == j)])
        pieces.setdefault(j + delta, []).append(layer)
        grown[layer[1]] = True
        new.append(layer[0])
        q = j + delta  # the layer's position: its next step (none past the far end)
        if q < len(steps) and steps[q] is not None:
            cost += _cost(bt, layer, lk.dirs[steps[q]])
    return np.sort(np.concatenate(new), kind="stable") if len(new) > 1 else new[0], go & ~grown


def allowed_sets(bt: Batch, cr: Compiled, live: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Per spine position the keys of the nodes each live pair's chains may use there.

    The reference's meet in the middle (grow the side that touches fewer entries; a pair whose
    layer comes out empty, or whose two sides do not meet, has no chain). Returns (allowed keys
    per position 0..k, the pairs still live, each pair's meeting position).
    """
    lk, k, NN = bt.lk, cr.k, bt.NN
    idx = np.flatnonzero(live).astype(_I64)
    a = np.zeros(bt.P, dtype=_I64)
    b = np.full(bt.P, k, dtype=_I64)
    left = idx * NN + bt.U[idx]
    right = idx * NN + bt.I[idx]
    lpieces: dict[int, list[tuple]] = {0: [(left, idx)]}
    rpieces: dict[int, list[tuple]] = {k: [(right, idx)]}
    cl = np.zeros(bt.P, dtype=_I64)
    cb = np.zeros(bt.P, dtype=_I64)
    cl[idx] = degrees(lk.dirs[cr.lsteps[0]], bt.U[idx])
    cb[idx] = degrees(lk.dirs[cr.rsteps[k]], bt.I[idx])
    live = live.copy()
    meet = None
    for it in range(k):
        if not live.any():
            break
        go_left = live & (cl <= cb)
        go_right = live & ~go_left
        if it == k - 1:  # the sides meet: only the nodes where they do are wanted
            meet = _last_step(bt, lk, cr, left, right, go_left, go_right, a, b)
            a[go_left] += 1
            b[go_right] -= 1
            break
        left, empty_l = _grow_side(bt, lk, left, go_left, a, cr.lsteps, 1, lpieces, cl)
        right, empty_r = _grow_side(bt, lk, right, go_right, b, cr.rsteps, -1, rpieces, cb)
        a[go_left] += 1
        b[go_right] -= 1
        dead = empty_l | empty_r
        if dead.any():
            live &= ~dead
            left, right = left[live[left // NN]], right[live[right // NN]]
    if meet is None:  # every pair died on the way
        meet = _NONE
    mi = meet // NN
    met = np.zeros(bt.P, dtype=bool)
    met[mi] = True
    live &= met
    allowed = []
    for j in range(k + 1):
        parts = [p[0][(a[p[1]] > j) & live[p[1]]] for p in lpieces.get(j, [])]
        parts += [p[0][(a[p[1]] < j) & live[p[1]]] for p in rpieces.get(j, [])]
        parts.append(meet[(a[mi] == j) & live[mi]])
        allowed.append(np.sort(np.concatenate(parts), kind="stable") if len(parts) > 1 else parts[0])
    return allowed, live, a


def _last_step(bt: Batch, lk: Lookups, cr: Compiled, left: np.ndarray, right: np.ndarray, go_left: np.ndarray,
               go_right: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The meeting nodes (keys, sorted) of the pairs' last step: each grows the side it chose
    into the other side's frontier."""
    NN = bt.NN
    found = []
    for keys, go, pos, steps, far in ((left, go_left, a, cr.lsteps, right), (right, go_right, b, cr.rsteps, left)):
        if not go.any():
            continue
        pi = keys // NN
        moving = go[pi]
        at = pos[pi]
        other = far[go[far // NN]]
        for j in np.flatnonzero(np.bincount(at[moving])).tolist():
            found.append(_meet(bt, lk.dirs[steps[j]], keys[moving & (at == j)], other))
    if not found:
        return _NONE
    return np.sort(np.concatenate(found), kind="stable") if len(found) > 1 else found[0]
