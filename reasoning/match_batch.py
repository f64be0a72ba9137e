"""Finding chains for many pairs at once: the reference search, one rule at a time, on arrays.

The per-pair matcher (reasoning/match.py) spends most of a pair in Python: a few dozen set and
dict operations per rule, times 18 rules. Here each rule runs once for a whole batch of pairs:
a layer is one sorted int64 array of keys ``pair * n_nodes + node`` holding that layer of every
pair, so growing it, costing it, capping hubs and meeting in the middle are a handful of numpy
calls for all pairs together. Each pair still makes its own decisions (which side to grow, which
hub to skip, where the partial-path limit cuts), so the chains, their order and the truncated
flags are the reference's (tests/reasoning/reference_match.py). Only the budget differs: work is
counted per pair and checked between rules, and the clock per batch (see :func:`run_batch`).

This module holds the batch and runs the rules; reasoning/match_batch_layers.py grows the layers,
reasoning/match_batch_paths.py lists the paths and reasoning/match_batch_finish.py makes the chains;
reasoning/match_batch_top.py lists a plain rule's last two hops and ranks them in one pass, copying
only the chains kept (a pair may have thousands of paths and keep 25); reasoning/match_order.py
holds the sorts (numpy's lexsort and stable argsort cost several times a plain sort).
"""
from __future__ import annotations

import gc
import time
from collections import Counter

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
    """Each node's degree (int32): one read of the whole-graph table (Lookups.views), no copy."""
    if d.indptr is None:
        return np.zeros(len(x), dtype=np.int32)
    return np.asarray(d.deg)[x]


def gather(d: Dir, x: np.ndarray, deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row of each neighbour, the neighbours): every row of ``x`` in order, each ascending.
    The neighbours keep the index's integer type (arithmetic with int64 keys widens them)."""
    total = int(deg.sum())
    if not total:
        return np.zeros(0, dtype=_I64), np.zeros(0, dtype=_I64)
    owner = np.repeat(np.arange(len(x), dtype=_I64), deg)
    starts = d.indptr[x] - (np.cumsum(deg, dtype=_I64) - deg)
    return owner, d.indices[starts[owner] + np.arange(total, dtype=_I64)]


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


def run_batch(graph: KnowledgeGraph, rules: tuple[Compiled, ...], users: np.ndarray, items: np.ndarray,
              budget, lk: Lookups) -> list[LazyChainResult]:
    """Every rule over every pair; one lazy result per pair, in input order.

    Budget: a pair's work (neighbour entries gathered and probed for it) is checked before each
    rule, like the per-pair matcher's; the clock is the batch's: when the batch has run longer than
    ``budget.seconds`` per pair still searching, the rules left are skipped for every pair.
    """
    # Thousands of lists, tuples and results a batch, no cycles: as find_chains does for a pair,
    # the collector waits (else it walks the whole heap, memo included, every few batches).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(graph, rules, users, items, budget, lk)
    finally:
        if paused:
            gc.enable()


def _run(graph: KnowledgeGraph, rules: tuple[Compiled, ...], users: np.ndarray, items: np.ndarray,
         budget, lk: Lookups) -> list[LazyChainResult]:
    from reasoning.match_batch_finish import finish_rule
    from reasoning.match_batch_layers import allowed_sets
    from reasoning.match_batch_paths import ends_pass, paths_of
    from reasoning.match_batch_top import plain, ranked_chains
    from reasoning.match_safe import for_rules
    dead = for_rules(lk, rules, budget.hub_cap, max(budget.max_chains_per_rule * 200, 1000))[0]
    bt = Batch(graph, lk, budget, users, items)
    parts: list[list[tuple]] = [[] for _ in range(bt.P)]
    start = time.perf_counter()
    live_pairs = np.ones(bt.P, dtype=bool)
    # Paths of a rule with no checks on its ends and no crowd (nothing pruned before listing), by
    # path: a later rule with the same path finds the same ones and sets the same flags (set already).
    done: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    # how many rules still to run walk each path: the last one of a plain rule is ranked as it is listed
    left = Counter(cr.sig for cr, never in zip(rules, dead) if not never)
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
        left[cr.sig] -= 1
        got = done.get(cr.sig)
        if got is None and not left[cr.sig] and plain(lk, cr):
            allowed, live, meet_at = allowed_sets(bt, cr, live_pairs)
            if live.any():
                ranked_chains(bt, cr, allowed, live, meet_at, parts)
            continue
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
