"""Finding chains for many pairs at once: the reference search, one rule at a time, on arrays.

The per-pair matcher (reasoning/match.py) spends most of a pair in Python: a few dozen set and
dict operations per rule, times 18 rules. Here each rule runs once for a whole batch of pairs:
a layer is one sorted int64 array of keys ``pair * n_nodes + node`` holding that layer of every
pair, so growing it, costing it, capping hubs and meeting in the middle are a handful of numpy
calls for all pairs together. Each pair still makes its own decisions (which side to grow, which
hub to skip, where the partial-path limit cuts), so the chains, their order and the truncated
flags are the reference's (tests/reasoning/reference_match.py). Only the budget differs: work is
counted per pair and checked between rules, and the clock per batch (see :func:`run_batch`).

This module grows the layers; reasoning/match_batch_paths.py lists and finishes the paths.
"""
from __future__ import annotations

import time

import numpy as np

from kg import KnowledgeGraph
from reasoning.lazy import LazyChainResult
from reasoning.match_finish import Compiled
from reasoning.match_index import Dir, Lookups

_I64 = np.int64
_NONE = np.zeros(0, dtype=_I64)


class Batch:
    """The pairs of one call and their flags; ``U``/``I`` their users and items (int64)."""

    def __init__(self, graph: KnowledgeGraph, lk: Lookups, budget, users: np.ndarray, items: np.ndarray):
        self.graph, self.lk, self.budget = graph, lk, budget
        self.U, self.I = users.astype(_I64), items.astype(_I64)
        self.P = len(self.U)
        self.NN = _I64(max(graph.n_nodes, 1))
        self.truncated = np.zeros(self.P, dtype=bool)
        self.timed_out = np.zeros(self.P, dtype=bool)
        self.work = np.zeros(self.P, dtype=_I64)
        self.stopped_at: dict[int, str] = {}  # pair -> rule id before which its budget ran out
        self.layers: dict[tuple, tuple] = {}  # grown frontiers (see _expand)

    def split(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pi = keys // self.NN
        return pi, keys - pi * self.NN

    def count(self, pi: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Per pair: how many rows (or the sum of ``weights``) belong to it."""
        if weights is None:
            return np.bincount(pi, minlength=self.P)
        return np.bincount(pi, weights=weights, minlength=self.P).astype(_I64)


def degrees(d: Dir, x: np.ndarray) -> np.ndarray:
    if d.indptr is None:
        return np.zeros(len(x), dtype=_I64)
    ip = d.indptr
    return ip[x + 1] - ip[x]


def gather(d: Dir, x: np.ndarray, deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row of each neighbour, the neighbours): every row of ``x`` in order, each ascending."""
    total = int(deg.sum())
    if not total:
        return np.zeros(0, dtype=_I64), np.zeros(0, dtype=_I64)
    owner = np.repeat(np.arange(len(x), dtype=_I64), deg)
    starts = d.indptr[x] - (np.cumsum(deg) - deg)
    return owner, d.indices[starts[owner] + np.arange(total, dtype=_I64)].astype(_I64)


def unique_sorted(keys: np.ndarray) -> np.ndarray:
    """np.unique without its hashing path (slower on numpy 2.4 for these sizes)."""
    if len(keys) < 2:
        return keys
    # short sorted runs (one per row): numpy's default sort beats timsort here except on small arrays
    keys = np.sort(keys, kind="stable" if len(keys) < 2000 else None)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which ``keys`` are in ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(sorted_keys, keys)
    at[at == len(sorted_keys)] = 0
    return sorted_keys[at] == keys


def _expand(bt: Batch, d: Dir, keys: np.ndarray) -> tuple:
    """The next layer of these pairs' frontier nodes, skipping hubs other than each pair's ends:
    (its keys, its pair of each key, a dict of its costs along each next step; see _cost).

    Rules that start (end) with the same relations grow the same frontiers: each is grown once
    per batch, and a later rule gets the layer, its work and its hub flags again.
    """
    memo = (id(d), keys.tobytes())
    got = bt.layers.get(memo)
    if got is not None:
        layer, work, hubs = got
        bt.work += work
        bt.truncated[hubs] = True
        return layer
    pi, owner, y, work, hubs = _reach(bt, d, keys)
    out = unique_sorted(pi[owner] * bt.NN + y)
    layer = (out, out // bt.NN, {})
    bt.layers[memo] = (layer, work, hubs)
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
    got = bt.layers.get((id(d), keys.tobytes()))
    if got is not None:
        layer, work, hubs = got
        bt.work += work
        bt.truncated[hubs] = True
        return layer[0][member(other, layer[0])]
    pi, owner, y, _, _ = _reach(bt, d, keys)
    near = np.zeros(int(bt.NN), dtype=bool)  # nodes on the far side of any pair: few of the neighbours
    near[other % bt.NN] = True
    hit = np.flatnonzero(near[y])
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


def run_batch(graph: KnowledgeGraph, rules: tuple[Compiled, ...], users: np.ndarray, items: np.ndarray,
              budget, lk: Lookups) -> list[LazyChainResult]:
    """Every rule over every pair; one lazy result per pair, in input order.

    Budget: a pair's work (neighbour entries gathered and probed for it) is checked before each
    rule, like the per-pair matcher's; the clock is the batch's: when the batch has run longer than
    ``budget.seconds`` per pair still searching, the rules left are skipped for every pair.
    """
    from reasoning.match_batch_finish import finish_rule
    from reasoning.match_batch_paths import ends_pass, paths_of
    from reasoning.match_safe import for_rules
    dead = for_rules(lk, rules, budget.hub_cap, max(budget.max_chains_per_rule * 200, 1000))[0]
    bt = Batch(graph, lk, budget, users, items)
    parts: list[list[tuple]] = [[] for _ in range(bt.P)]
    start = time.perf_counter()
    live_pairs = np.ones(bt.P, dtype=bool)
    # Paths of a rule with no checks on its ends and no crowd (nothing pruned before listing), by
    # path: a later rule with the same path finds the same ones and sets the same flags (set already).
    done: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    for cr, never in zip(rules, dead):
        over = live_pairs & (bt.work > budget.max_work)
        if time.perf_counter() - start > budget.seconds * max(int(live_pairs.sum()), 1):
            over = live_pairs.copy()
        for p in np.flatnonzero(over).tolist():
            bt.stopped_at[p] = cr.rid
        bt.timed_out |= over
        live_pairs &= ~over
        if not live_pairs.any():
            break
        if never:  # no fact for its first or last hop on this graph
            continue
        got = done.get(cr.sig)
        if got is not None:
            ok = ends_pass(bt, cr, live_pairs) if cr.pair_checks else live_pairs
            pp, paths = got
            keep = ok[pp]
            pp, paths = pp[keep], paths[keep]
        else:
            allowed, live, meet_at = allowed_sets(bt, cr, live_pairs)
            if not live.any():
                pp, paths = np.zeros(0, dtype=_I64), np.zeros((0, cr.k + 1), dtype=np.int32)
            else:
                pp, paths = paths_of(bt, cr, allowed, live, meet_at)
            if not (cr.pair_checks or cr.crowd):
                done[cr.sig] = (pp, paths)
        if len(pp):
            finish_rule(bt, cr, pp, paths, parts)
    key = graph.key
    cut = ("a hub or chain cap dropped some candidates",)
    make = LazyChainResult.make
    out = []
    for p, (u, i, tr, to, pa) in enumerate(zip(bt.U.tolist(), bt.I.tolist(), bt.truncated.tolist(),
                                               bt.timed_out.tolist(), parts)):
        notes = cut if tr else ()
        if p in bt.stopped_at:
            notes = (f"budget ran out before rule {bt.stopped_at[p]!r}",) + notes
        out.append(make(key(u), key(i), lk, pa, tr, to, notes))
    return out


def node_pairs(graph: KnowledgeGraph, pairs) -> np.ndarray | None:
    """The pairs as an (n, 2) int64 array when they are node ids already (checked in one pass, as
    ``graph.node`` checks each); None when some are keys to resolve one by one, or out of range."""
    if not isinstance(pairs, (list, tuple, np.ndarray)) or not len(pairs):
        return None
    first = pairs[0]
    if not (isinstance(first, (tuple, list, np.ndarray)) and len(first) == 2
            and all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in first)):
        return None
    arr = np.asarray(pairs)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.dtype.kind not in "iu":
        return None
    if arr.min() < 0 or arr.max() >= graph.n_nodes:
        return None  # let graph.node name the first bad one
    return arr.astype(_I64)
