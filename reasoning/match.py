"""Finding chains: every way a rule's path links a user to an item, within a budget.

The search expands from both ends and meets in the middle, always growing the side
that touches fewer edges, so a hub (a brand with 100,000 products) is crossed from its
small side. Nodes whose degree passes the hub cap are not expanded, and the result
says so. Output order is deterministic (node ids follow sorted IRIs; no set order leaks).

Speed comes from sharing and from skipping what cannot matter: a layer (the nodes ``j`` hops
from the user along a rule's first relations, or from the item along its last ones) is computed
once per call and reused by every rule that starts (ends) with the same relations and, in
find_chains_many, by every pair of the same user (item); rules with the same relations share
their paths; a rule that cannot fire is dropped before its paths are listed; a rule with no fact
for its first or last hop on the graph is never tried; and where the degrees at the two ends show
that the layered search could meet no hub and cut no list, a rule's paths are simply all its
simple paths, found by a plainer join (match_direct: short paths for rules joined one hop before
the item, and a crowd's support counted per prefix without listing its members). Checks that read
only the user and the item run once per rule and pair, and a plain rule's ranked paths stay as
they are until the result is read. The modules: match_index (per-graph memo of
rows, degrees, names, and whole-graph tables), match_layers (the layered search), match_direct
(the plain join), match_safe (when it is safe), match_paths (listing paths through the layers), match_bulk
(the same on arrays, for thousands of paths), match_finish (conditions, crowds, ranking),
match_build (Fact and Chain objects). The chains, their order and the truncated /
timed-out flags are exactly those of the plain per-rule search kept in
tests/reasoning/reference_match.py (test_match_equivalence.py compares them); only the work
counter differs (see Budget). numpy runs single-threaded here: every array operation is small.
"""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import ChainResult
from reasoning.lazy import LazyChainResult
from reasoning.match_finish import Compiled, cannot_fire, compiled, end_tails, finish, rank, row_of
from reasoning import match_bulk as bulk
from reasoning import match_direct as direct
from reasoning.match_crowd import crowd_rows
from reasoning.match_index import lookups_for
from reasoning.match_safe import Bounds, for_rules, safe_for
from reasoning.match_layers import Layer, allowed_sets
from reasoning.match_paths import enumerate_paths

_NUMPY_FROM = 48  # frontiers at least this long are expanded with numpy, shorter ones in Python
BATCH = 2048  # pairs per array pass of find_chains_many
BATCH_FROM = 24  # fewer pairs than this go one by one (measured crossover on a Beauty-sized graph)


@dataclass(frozen=True)
class Budget:
    seconds: float = 0.25  # wall time per pair
    hub_cap: int = 5000  # never expand through a middle node with more neighbours than this
    max_chains_per_rule: int = 25  # keep the most specific ones
    max_work: int = 2_000_000  # neighbour entries read from the index (not memoised before) or probed, per pair


def find_chains(graph: KnowledgeGraph, rules, user: str | int, item: str | int, budget: Budget | None = None) -> ChainResult:
    """Every chain the rules find between ``user`` and ``item`` (ids or IRIs), in a fixed order.

    ``user`` is looked up among the graph's users and ``item`` among its items, so a user and an
    item may share an id; a graph with no users (items) at all, untyped RDF, takes any node."""
    from reasoning.ruleset import plans_of
    u, i = resolve(graph, user, "user"), resolve(graph, item, "item")
    # A pair makes a few hundred short-lived tuples and lists, no cycles: the collector would walk
    # them (and the memo) while they are alive; paused, it finds them freed afterwards.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _pair(_Call(graph, budget or Budget()), compiled(plans_of(rules)), u, i)
    finally:
        if paused:
            gc.enable()


def resolve(graph: KnowledgeGraph, key: str | int, role: str) -> int:
    """The node of ``role`` that ``key`` names; any node when the graph has none of that role."""
    if isinstance(key, (int, np.integer)):
        return graph.node(key)  # a node id is what the caller already chose
    if not (graph.n_users if role == "user" else graph.n_items):
        return graph.node(key)
    return graph.node_of(key, role)


def find_chains_many(graph: KnowledgeGraph, rules, pairs, budget: Budget | None = None,
                     batch: int = BATCH) -> list[ChainResult]:
    """:func:`find_chains` for many pairs (same chains, same flags), ``batch`` pairs at a time.

    Each rule runs once per batch on arrays over all its pairs (reasoning/match_batch.py), pairs
    of one user together. The work budget holds per pair; the clock per batch (see run_batch).
    """
    from reasoning.match_batch import run_batch
    from reasoning.ruleset import plans_of
    rules_ = compiled(plans_of(rules))
    budget = budget or Budget()
    from reasoning.match_batch import node_pairs
    resolved = node_pairs(graph, pairs)
    if resolved is None:
        resolved = np.array([(resolve(graph, u, "user"), resolve(graph, i, "item")) for u, i in pairs],
                            dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((resolved[:, 1], resolved[:, 0]))  # one user's pairs together
    results: list[ChainResult | None] = [None] * len(resolved)
    if len(resolved) < BATCH_FROM:  # a few pairs: array calls cost more than they save
        call = _Call(graph, budget)
        for k in order.tolist():
            if call.left and next(iter(call.left))[0] != resolved[k, 0]:
                call.left.clear()  # the last user's layers are done with
            results[k] = _pair(call, rules_, int(resolved[k, 0]), int(resolved[k, 1]))
        return results  # type: ignore[return-value]
    lk = lookups_for(graph)
    for lo in range(0, len(order), max(batch, 1)):
        idx = order[lo:lo + batch]
        for k, res in zip(idx.tolist(), run_batch(graph, rules_, resolved[idx, 0], resolved[idx, 1], budget, lk)):
            results[k] = res
    return results  # type: ignore[return-value]


class _Call:
    """State shared by the pairs of one call: lookups and the layers grown from each user and item."""

    def __init__(self, graph: KnowledgeGraph, budget: Budget):
        self.graph, self.budget = graph, budget
        self.lk = lookups_for(graph)
        self.numpy_from = _NUMPY_FROM  # read per call (tests force the array paths through it)
        self.left: dict[tuple, Layer] = {}  # layers grown from a user, by (user, slot)
        self.right: dict[tuple, Layer] = {}  # ... from an item


class _Pair:
    def __init__(self, call: _Call, u: int, i: int):
        self.call, self.u, self.i = call, u, i
        self.lk, self.budget = call.lk, call.budget
        self.local: dict[tuple, object] = {}
        self.truncated = self.timed_out = False
        self.limit = max(call.budget.max_chains_per_rule * 200, 1000)  # partial paths listed per rule
        self.start = time.perf_counter()
        self.work0 = call.lk.base.fetched
        self.probes = 0

    def out_of_budget(self) -> bool:
        b = self.budget
        if self.lk.base.fetched - self.work0 + self.probes > b.max_work or time.perf_counter() - self.start > b.seconds:
            self.timed_out = True
        return self.timed_out


def _match(pair: _Pair, cr: Compiled, bounds: Bounds, du: int, di: int, safe: bool) -> tuple | None:
    """The rule's chains for the pair, as a part of a lazy result (reasoning/lazy.py: the rule and
    its rows, or its ranked (sum of terms, path) pairs for a plain rule), None when it has none;
    ``bounds``: the rule's (match_safe.bounds_of); ``du``, ``di``: the user's degree on its first
    hop and the item's on its last, neither 0 (else it has no chain and meets no hub); ``safe``:
    whether the layered search could neither meet a hub nor cut a list (match_safe.safe_for)."""
    tails = None  # the checks on the user and item alone, once run (they read nothing else): end_tails
    if pair.truncated and cr.pair_checks:
        tails = end_tails(pair.lk, cr, pair.u, pair.i)
        if not tails:
            return None  # no path can pass, and the search could only set a flag that is already set
    slot = bounds.slot  # ("P", the rule's hops): rules with the same path share its paths
    got = pair.local.get(slot)
    if got is None:
        lk, k, u, i, limit = pair.lk, cr.k, pair.u, pair.i, pair.limit
        # (BULK 0 asks for every path on arrays: the plain join, which lists tuples, steps aside)
        if bulk.BULK and safe:
            # no hub can be met nor any limit reached: every simple path, found the short way
            if cr.pair_checks and tails is None:
                tails = end_tails(lk, cr, u, i)
                if not tails:
                    return None
            if cr.crowd:
                most = 1  # distinct crowds behind a chain: at most the shoppers next to the user or item
                for j in cr.crowd:
                    most *= di if j == k - 1 else (du if j == 1 else limit)
                if most < cr.plan.rule.min_support:
                    return None
            if bounds.counted:
                counted = crowd_rows(pair, cr, bounds, pair.budget.max_chains_per_rule)
                if counted is not None:
                    if counted[1]:
                        pair.truncated = True
                    return (cr, counted[0]) if counted[0] else None
            found = direct.paths(pair, cr, bounds)
            if found is not None:
                got = pair.local[slot] = (found, False)
    if got is None:
        got = allowed_sets(pair, cr)
        allowed = None if got is None else got[0]
        if allowed is not None and (cr.pair_checks or cr.crowd) and \
                cannot_fire(pair.lk, cr, allowed, pair.limit, pair.u, pair.i):
            return None  # not cached: a rule with the same path but other conditions may still fire
        before = pair.truncated
        paths = enumerate_paths(pair, cr, allowed, got[1]) if got is not None else []
        got = pair.local[slot] = (paths, pair.truncated and not before)
    paths, cut = got  # type: ignore[misc]
    if cut:
        pair.truncated = True
    if not len(paths):
        return None
    if cr.pair_checks and tails is None:
        tails = end_tails(pair.lk, cr, pair.u, pair.i)
        if not tails:
            return None  # no path can pass (the flags above are the enumeration's, kept as they are)
    cap = pair.budget.max_chains_per_rule
    if isinstance(paths, list) and (bounds.plain is not None or bounds.ends is not None):
        if bounds.plain is None and tails != [()]:  # every check read only the ends: each path with each tail
            paths = [p + t for p in paths for t in tails]  # type: ignore[operator]
        scored, capped = rank(bounds.plain or bounds.ends, paths, cap)
        if capped:
            pair.truncated = True
        return cr, scored, None  # (the rows are built when read: reasoning/lazy.py)
    rows, capped = finish(pair.lk, cr, paths, cap, row_of)
    if capped:
        pair.truncated = True
    return (cr, rows) if rows else None


def _pair(call: _Call, rules: tuple[Compiled, ...], u: int, i: int) -> ChainResult:
    b = call.budget
    limit = max(b.max_chains_per_rule * 200, 1000)
    live = for_rules(call.lk, rules, b.hub_cap, limit)[2]  # the rules that may fire, with their tables
    pair = _Pair(call, u, i)
    parts: list[tuple] = []
    notes: list[str] = []
    # Pair.out_of_budget, unrolled: the same two limits, before every rule (a rule that cannot fire
    # does no work, so it is checked for at the next one that can: ``tried`` is the last rule tried)
    base, most, clock, cap = pair.lk.base, pair.work0 + b.max_work, time.perf_counter, b.hub_cap
    tried, stopped = -1, False
    for at, cr, rb, deg_u, deg_i, table in live:
        if pair.timed_out or base.fetched + pair.probes > most or clock() - pair.start > b.seconds:
            pair.timed_out = stopped = True
            break
        tried = at
        du, di = deg_u[u], deg_i[i]
        if not (du and di):
            continue  # nothing to expand on one side: no chain, and no hub met
        safe = table is None or (di <= table[du] if du < len(table) else safe_for(rb, du, di, cap, limit))
        part = _match(pair, cr, rb, du, di, safe)
        if part is not None:
            parts.append(part)
    else:  # (checked before the rules after the last that may fire, as before any other)
        if tried + 1 < len(rules) and (pair.timed_out or base.fetched + pair.probes > most
                                       or clock() - pair.start > b.seconds):
            pair.timed_out = stopped = True
    if stopped:
        notes.append(f"budget ran out before rule {rules[tried + 1].rid!r}")
    if pair.truncated:
        notes.append("a hub or chain cap dropped some candidates")
    g = call.graph
    return LazyChainResult.make(g.key(u), g.key(i), call.lk, parts, pair.truncated, pair.timed_out, tuple(notes))
