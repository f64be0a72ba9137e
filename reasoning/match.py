"""Finding chains: every way a rule's path links a user to an item, within a budget.

The search expands from both ends and meets in the middle, always growing the side
that touches fewer edges, so a hub (a brand with 100,000 products) is crossed from its
small side. Nodes whose degree passes the hub cap are not expanded, and the result
says so. Output order is deterministic (node ids follow sorted IRIs; no set order leaks).

Speed comes from sharing, not from a different search: a layer (the nodes ``j`` hops from
the user along a rule's first relations, or from the item along its last ones) is computed
once per call and reused by every rule that starts (ends) with the same relations and, in
find_chains_many, by every pair of the same user (item); rules with the same relations share
their paths; a rule that cannot fire is dropped before its paths are listed. The modules:
match_index (per-graph memo of rows, degrees, names), match_paths (listing paths),
match_bulk (the same on arrays, for thousands of paths), match_finish (conditions, crowds,
ranking), match_build (Fact and Chain objects). The chains, their order and the truncated /
timed-out flags are exactly those of the plain per-rule search kept in
tests/reasoning/reference_match.py (test_match_equivalence.py compares them); only the work
counter differs (see Budget). numpy runs single-threaded here: every array operation is small.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import ChainResult
from reasoning.lazy import LazyChainResult
from reasoning.match_finish import Compiled, cannot_fire, compiled, ends_fail, finish, row_of
from reasoning import match_direct as direct
from reasoning.match_index import bounds_of, lookups_for
from reasoning.match_paths import ALL, ITEM, enumerate_paths

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
    call = _Call(graph, budget or Budget())
    return _pair(call, compiled(plans_of(rules)), u, i)


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


# -- layers ------------------------------------------------------------------------------------

class _Layer:
    """Nodes ``j`` hops from one end (sorted), and the frontier nodes the hub cap skipped to get here."""

    __slots__ = ("nodes", "capped", "_members", "costs")

    def __init__(self, nodes: Sequence[int], capped: tuple[int, ...] = (), members: set[int] | None = None):
        self.nodes, self.capped, self._members = nodes, capped, members
        self.costs: dict[tuple[str, bool], int] = {}

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def members(self) -> set[int]:
        if self._members is None:
            self._members = set(self.nodes)
        return self._members


class _Call:
    """State shared by the pairs of one call: lookups and the layers grown from each user and item."""

    def __init__(self, graph: KnowledgeGraph, budget: Budget):
        self.graph, self.budget = graph, budget
        self.lk = lookups_for(graph)
        self.left: dict[tuple, _Layer] = {}  # layers grown from a user, by (user, slot)
        self.right: dict[tuple, _Layer] = {}  # ... from an item


class _Pair:
    def __init__(self, call: _Call, u: int, i: int):
        self.call, self.u, self.i = call, u, i
        self.lk, self.budget = call.lk, call.budget
        self.local: dict[tuple, object] = {}
        self.truncated = self.timed_out = False
        self.start = time.perf_counter()
        self.work0 = call.lk.base.fetched
        self.probes = 0

    def out_of_budget(self) -> bool:
        b = self.budget
        if self.lk.base.fetched - self.work0 + self.probes > b.max_work or time.perf_counter() - self.start > b.seconds:
            self.timed_out = True
        return self.timed_out


def _grow(call: _Call, frontier: _Layer, rel: str, fwd: bool, exempt: tuple[int, ...]) -> _Layer:
    """The next layer: every neighbour of the frontier, except through hubs (other than ``exempt``)."""
    d = call.lk.dir(rel, fwd)
    cap = call.budget.hub_cap
    nodes = frontier.nodes
    if len(nodes) == 1:
        x = nodes[0]
        if d.deg[x] > cap and x not in exempt:
            return _Layer([], (x,))
        return _Layer(d.rows[x])
    if len(nodes) < _NUMPY_FROM:
        out: set[int] = set()
        capped = []
        deg, rows = d.deg, d.rows
        for x in nodes:
            if deg[x] > cap and x not in exempt:
                capped.append(x)
            else:
                out.update(rows[x])
        return _Layer(sorted(out), tuple(capped), out)
    if d.indptr is None:
        return _Layer([])
    f = np.asarray(nodes, dtype=np.int64)
    deg = d.degrees(nodes)
    hub = deg > cap
    if hub.any():
        hub &= ~np.isin(f, np.asarray(exempt, dtype=np.int64))
    capped = tuple(f[hub].tolist())
    starts, lens = d.indptr[f[~hub]], deg[~hub]
    total = int(lens.sum())
    call.lk.base.fetched += total
    if not total:
        return _Layer([], capped)
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
    return _Layer(np.unique(d.indices[offsets]).tolist(), capped)


def _cost(call: _Call, layer: _Layer, rel: str, fwd: bool) -> int:
    """Neighbour entries that expanding ``layer`` would touch (hubs included, as the choice of side counts them)."""
    key = (rel, fwd)
    c = layer.costs.get(key)
    if c is None:
        d = call.lk.dirs[key]
        nodes = layer.nodes
        c = sum(map(d.deg.__getitem__, nodes)) if len(nodes) < _NUMPY_FROM else int(d.degrees(nodes).sum())
        layer.costs[key] = c
    return c


def _side(pair: _Pair, cr: Compiled, left: bool, j: int) -> tuple[_Layer, bool]:
    """The layer at spine position ``j`` grown from the user (``left``) or from the item.

    Layers are cached per call under their anchor, computed with only the anchor exempt from
    the hub cap; the pair's other end is exempt too, so a layer that capped it is grown again
    for this pair alone (``generic`` False: layers grown from it are the pair's own as well).
    """
    slot = cr.lkeys[j] if left else cr.rkeys[j]
    got = pair.local.get(slot)
    if got is not None:
        return got  # type: ignore[return-value]
    anchor, other = (pair.u, pair.i) if left else (pair.i, pair.u)
    call = pair.call
    cache = call.left if left else call.right
    if j == (0 if left else cr.k):
        lay = cache.get((anchor,))
        if lay is None:
            lay = cache[(anchor,)] = _Layer([anchor])
        res = (lay, True)
    else:
        parent, generic = _side(pair, cr, left, j - 1 if left else j + 1)
        rel, fwd = cr.lsteps[j - 1] if left else cr.rsteps[j + 1]
        lay = None
        if generic:
            ck = (anchor, slot)
            lay = cache.get(ck)
            if lay is None:
                lay = cache[ck] = _grow(call, parent, rel, fwd, (anchor,))
            if other in lay.capped:
                lay, generic = None, False
        if lay is None:
            lay = _grow(call, parent, rel, fwd, (pair.u, pair.i))
        res = (lay, generic)
    pair.local[slot] = res
    return res


def _allowed(pair: _Pair, cr: Compiled) -> tuple[list[set[int]], tuple[int, ...]] | None:
    """Per spine position the nodes a chain may use there (None: the rule cannot fire), and per hop
    what listing paths may skip (match_paths.KNOWN): every neighbour is allowed, or only the item."""
    k, lsteps, rsteps = cr.k, cr.lsteps, cr.rsteps
    lk, local = pair.lk, pair.local
    # A side with nothing to expand ends the search at once, and no hub is met before: skip cheaply.
    if lk.dirs[lsteps[0]].deg[pair.u] == 0 or lk.dirs[rsteps[k]].deg[pair.i] == 0:
        return None
    lkeys, rkeys, call = cr.lkeys, cr.rkeys, pair.call
    left: list[_Layer] = [(local.get(lkeys[0]) or _side(pair, cr, True, 0))[0]]
    right: dict[int, _Layer] = {k: (local.get(rkeys[k]) or _side(pair, cr, False, k))[0]}
    a, b = 0, k
    while a < b:
        la, rb, ka, kb = left[a], right[b], lsteps[a], rsteps[b]
        ca = la.costs.get(ka)
        if ca is None:
            ca = _cost(call, la, *ka)
        cb = rb.costs.get(kb)
        if cb is None:
            cb = _cost(call, rb, *kb)
        if ca <= cb:
            a += 1
            lay = (local.get(lkeys[a]) or _side(pair, cr, True, a))[0]
            left.append(lay)
        else:
            b -= 1
            lay = right[b] = (local.get(rkeys[b]) or _side(pair, cr, False, b))[0]
        if lay.capped:
            pair.truncated = True
        if not lay.nodes:
            return None
    meet = left[a].members & right[a].members
    if not meet:
        return None
    known = _KNOWN.get((k, a))
    if known is None or (a > 1 and (left[1].capped or any(left[j].capped for j in range(2, a)))):
        known = _known(k, a, left)
    # positions whose every neighbour is allowed keep their layer (its size is all that is asked)
    return [left[j] if 0 < j < a and known[j - 1] == ALL else left[j].members if j < a else
            (meet if j == a else right[j].members) for j in range(k + 1)], known


def _known(k: int, a: int, left: list[_Layer]) -> tuple[int, ...]:
    """Per hop, what listing paths may skip (match_paths.ALL / ITEM / 0 for a membership test).

    A hop into a left layer that capped nothing: every neighbour is in it. The last hop from a right
    layer: the layer next to the item is the item's whole row (the item is never capped).
    """
    return tuple(ALL if j + 1 < a and not (left and left[j + 1].capped) else (ITEM if j == k - 1 and a < k else 0)
                 for j in range(k))


_KNOWN = {(k, a): _known(k, a, []) for k in range(1, 9) for a in range(k + 1)}  # when no left layer capped


def _match(pair: _Pair, cr: Compiled, bounds: direct.Bounds | None = None) -> list[tuple]:
    """The rule's chains for the pair, as rows for a lazy result (reasoning/lazy.py); ``bounds``:
    the rule's (match_index.bounds_of)."""
    if pair.truncated and cr.pair_checks and ends_fail(pair.lk, cr, pair.u, pair.i):
        return []  # no path can pass, and the search could only set a flag that is already set
    slot = ("P", cr.sig)
    got = pair.local.get(slot)
    if got is None:
        lk, k, u, i = pair.lk, cr.k, pair.u, pair.i
        du, di = lk.dirs[cr.lsteps[0]].deg[u], lk.dirs[cr.rsteps[k]].deg[i]
        if not (du and di):
            return []  # nothing to expand on one side: no chain, and no hub met
        limit = max(pair.budget.max_chains_per_rule * 200, 1000)
        if bounds is None:
            bounds = bounds_of(lk, cr)
        if direct.safe_for(lk, bounds, du, di, pair.budget.hub_cap, limit):
            # no hub can be met nor any limit reached: every simple path, found the short way
            if cr.pair_checks and ends_fail(lk, cr, u, i):
                return []
            if cr.crowd:
                most = 1  # distinct crowds behind a chain: at most the shoppers next to the user or item
                for j in cr.crowd:
                    most *= di if j == k - 1 else (du if j == 1 else limit)
                if most < cr.plan.rule.min_support:
                    return []
            found = direct.paths(pair, cr, bounds)
            if found is not None:
                got = pair.local[slot] = (found, False)
    if got is None:
        got = _allowed(pair, cr)
        allowed = None if got is None else got[0]
        if allowed is not None and (cr.pair_checks or cr.crowd) and \
                cannot_fire(pair.lk, cr, allowed, max(pair.budget.max_chains_per_rule * 200, 1000), pair.u, pair.i):
            return []  # not cached: a rule with the same path but other conditions may still fire
        before = pair.truncated
        paths = enumerate_paths(pair, cr, allowed, got[1]) if got is not None else []
        got = pair.local[slot] = (paths, pair.truncated and not before)
    paths, cut = got  # type: ignore[misc]
    if cut:
        pair.truncated = True
    if not len(paths):
        return []
    if cr.pair_checks and ends_fail(pair.lk, cr, pair.u, pair.i):
        return []  # no path can pass (the flags above are the enumeration's, kept as they are)
    if bounds is not None and bounds.plain is not None and isinstance(paths, list):
        rows, capped = direct.rank(bounds.plain, paths, pair.budget.max_chains_per_rule)
    else:
        rows, capped = finish(pair.lk, cr, paths, pair.budget.max_chains_per_rule, row_of)
    if capped:
        pair.truncated = True
    return rows


def _pair(call: _Call, rules: tuple[Compiled, ...], u: int, i: int) -> ChainResult:
    dead = call.lk.dead(rules)
    bounds = call.lk.rule_bounds(rules)
    pair = _Pair(call, u, i)
    parts: list[tuple] = []
    notes: list[str] = []
    for cr, never, b in zip(rules, dead, bounds):
        if pair.out_of_budget():
            notes.append(f"budget ran out before rule {cr.rid!r}")
            break
        if never:
            continue
        rows = _match(pair, cr, b)
        if rows:
            parts.append((cr, rows))
    if pair.truncated:
        notes.append("a hub or chain cap dropped some candidates")
    g = call.graph
    return LazyChainResult.make(g.key(u), g.key(i), call.lk, parts, pair.truncated, pair.timed_out, tuple(notes))
