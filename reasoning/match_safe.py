"""When the plain join (reasoning/match_direct.py) may stand in for the layered search, and the
whole-graph tables the matcher prepares per rule set before a pair's clock runs.

The layered search grows the side whose frontier touches fewer neighbour entries; a frontier
holding a hub touches more than the hub cap. A frontier's entries are bounded by the end's own
degree times the largest degree (over the graph) of each hop on the way; if at every stage one
side's bound is within the cap, the side grown never holds a hub. Layers are bounded the same way
(a layer holds at most what its parent frontier touched, and it was grown only when that frontier
was the cheaper side), hence the partial paths of every hop: if none can pass the limit, nothing
is cut. Then the search's answer is every simple path, whichever side it grows (:func:`safe`).
"""
from __future__ import annotations

import numpy as np

from reasoning.match_finish import Compiled
from reasoning.match_index import Lookups


def for_rules(lk: Lookups, rules: tuple, cap: int, limit: int) -> tuple[tuple[bool, ...], tuple["Bounds", ...], tuple]:
    """Per compiled rule: whether the graph has no fact for its first or last hop (it never fires:
    the matcher's first check), and its :class:`Bounds` with answers for this hub cap and limit;
    and the rules that may fire, as (index, rule, bounds, its degrees at the user's and the item's
    end, its safety table for this budget: see :func:`safe_for`). Built once per graph (rows'
    tables, specificity tables, degree statistics, safety tables), so that no pair's clock runs
    while they are built."""
    store = lk.tables.setdefault("rule_sets", {})
    key = (id(rules), cap, limit)
    got = store.get(key)
    if got is None or got[0] is not rules:
        if len(store) > 64:  # (entries keep their rules alive: a long-lived graph sees few sets)
            store.clear()
        lk.whole_rows([(rel, fwd) for cr in rules for rel, f in cr.sig for fwd in (f, not f)])
        for cr in rules:
            for rel, fwd in cr.sig:
                lk.dirs[(rel, fwd)], lk.dirs[(rel, not fwd)]
            for _, rel in cr.spec:
                lk.spec(rel)
            lk.private(cr)
        dead = tuple(lk.dirs[cr.lsteps[0]].indptr is None or lk.dirs[cr.rsteps[cr.k]].indptr is None for cr in rules)
        bounds = tuple(bounds_of(lk, cr) for cr in rules)
        for b in bounds:
            prepare(b, cap, limit)
        live = tuple((at, cr, b, b.deg_u, b.deg_i, b.always[(cap, limit)])
                     for at, (cr, never, b) in enumerate(zip(rules, dead, bounds)) if not never)
        got = store[key] = (rules, dead, bounds, live)
    return got[1], got[2], got[3]


def bounds_of(lk: Lookups, cr: Compiled) -> "Bounds":
    """The rule's whole-graph degree bounds, built once per graph."""
    store = lk.tables.setdefault("bounds", {})
    got = store.get(id(cr))
    if got is None or got[0] is not cr:
        if len(store) > 4096:
            store.clear()
        got = store[id(cr)] = (cr, Bounds(lk, cr))
    return got[1]


def degree_stats(lk: Lookups, relation: str, forward: bool) -> tuple[int, float]:
    """(largest degree, mean degree of the nodes with any) of ``relation`` walked this way."""
    store = lk.tables.setdefault("degree_stats", {})
    key = (relation, forward)
    got = store.get(key)
    if got is None:
        d = lk.dirs[key]
        if d.indptr is None or len(d.indptr) < 2:
            got = (0, 0.0)
        else:
            deg = np.asarray(d.deg)
            rows = int(np.count_nonzero(deg))
            got = (int(deg.max()), len(d.indices) / rows if rows else 0.0)
        store[key] = got
    return got


class Bounds:
    """Whole-graph products of the largest degrees along one rule's hops (see :func:`safe`)."""

    __slots__ = ("k", "pl", "pr", "mr", "mr_ge", "ml_le", "dl", "top", "always", "m", "lkey", "rkey", "plain",
                 "ends", "counted", "slot", "deg_u", "deg_i")

    def __init__(self, lk: Lookups, cr: Compiled):
        k = self.k = cr.k
        dl = [degree_stats(lk, rel, fwd)[0] for rel, fwd in cr.sig]  # hop t walked toward the item
        db = [degree_stats(lk, rel, not fwd)[0] for rel, fwd in cr.sig]  # ... toward the user
        self.dl = tuple(dl)
        pl = [1] * k  # frontier j hops from the user touches at most deg(user) * pl[j] entries
        for j in range(1, k):
            pl[j] = pl[j - 1] * dl[j]
        pr = [1] * (k + 1)  # frontier at position j from the item: deg(item) * pr[j]
        for j in range(k - 1, 0, -1):
            pr[j] = pr[j + 1] * db[j - 1]
        self.pl, self.pr = tuple(pl), tuple(pr)
        self.mr = tuple(max(pr[a + 1:]) for a in range(k))  # the right frontiers facing left frontier a
        self.mr_ge = tuple(max(pr[j:]) if 0 < j <= k else 0 for j in range(k + 1))
        self.ml_le = tuple(max(pl[:j + 1]) if j < k else max(pl) for j in range(k + 1))
        self.top = (dl[0], db[k - 1])  # the largest end degrees: safe for them, safe for every pair
        self.always: dict[tuple[int, int], tuple[int, ...] | None] = {}  # see prepare
        self.slot = ("P", cr.sig)  # the pair's cache key of the rule's paths (match._match)
        # whole-graph degrees of the user on the first hop and of the item on the last
        self.deg_u, self.deg_i = lk.dirs[cr.lsteps[0]].deg, lk.dirs[cr.rsteps[k]].deg
        self.m = _join_hop(lk, cr)
        self.lkey = ("DL",) + cr.sig[:self.m]  # a pair's prefixes, shared by rules that start alike
        self.rkey = ("DR",) + cr.sig[self.m + 1:]  # ... and the item side, by rules that end alike
        # a rule whose paths are its chains (no checks, crowds, values, nor a shopper in the middle
        # on this graph), ranked by one to three specificity terms: the terms' tables (see rank)
        tabs = None if (cr.crowd or cr.path_checks or lk.private(cr) or not 1 <= len(cr.spec) <= 3) \
            else tuple((j, lk.spec(rel)) for j, rel in cr.spec)
        self.plain = None if (cr.lookups or cr.conds or cr.negs) else tabs
        # ... or whose checks (values looked up, conditions, 'not') read only the user and the item: its
        # chains are each path followed by each choice of values that passes (match_finish.end_tails)
        self.ends = tabs if self.plain is None else None
        # a crowd rule whose crowd is the node before the item, joined at the hop into it: supports are
        # counted per prefix, no path listed (match_direct.crowd_rows)
        self.counted = cr.crowd == (k - 1,) and self.m == k - 2 and not (cr.lookups or cr.conds or cr.negs
                                                                           or lk.private(cr))


def _join_hop(lk: Lookups, cr: Compiled) -> int:
    """The hop where :func:`paths` joins prefixes from the user with levels from the item: the one
    that reads the fewest entries for a typical pair. A hop's width is its mean degree at the ends,
    and further in the degree of a node weighted by the ways the previous hop arrives at it (an item
    is likelier to sit in a big category than a category is to be big)."""
    k = cr.k
    fwd = [_mean(lk, cr.sig[0], None)] + [_mean(lk, cr.sig[t], _back(cr.sig[t - 1])) for t in range(1, k)]
    back = [_mean(lk, _back(cr.sig[t]), cr.sig[t + 1]) for t in range(k - 1)] + [_mean(lk, _back(cr.sig[-1]), None)]
    best, at = None, 0
    for m in range(k):
        cost, width = 0.0, 1.0
        for t in range(m):  # prefixes up to position m
            width *= fwd[t]
            cost += width
        prefixes = width
        width = 1.0
        for t in range(k - 1, m, -1):  # levels from the item down to position m + 1
            width *= back[t]
            # the item's row is one dict.fromkeys; a further level a Python loop over dicts
            cost += width * (0.2 if t == k - 1 else 3.0)
        cost += min(prefixes * fwd[m], width * back[m])  # the join, read from the cheaper side
        if best is None or cost < best:
            best, at = cost, m
    return at


def _back(step: tuple[str, bool]) -> tuple[str, bool]:
    return step[0], not step[1]


def _mean(lk: Lookups, step: tuple[str, bool], arrive: tuple[str, bool] | None) -> float:
    """Mean degree along ``step`` of the nodes that have one, or (``arrive``: the step by which a
    walk reaches the node, read backwards) weighted by the ways a walk arrives."""
    d = lk.dirs[step]
    if d.indptr is None:
        return 0.0
    deg = np.asarray(d.deg, dtype=np.float64)
    if arrive is None:
        n = np.count_nonzero(deg)
        return float(deg.sum() / n) if n else 0.0
    a = lk.dirs[arrive]
    if a.indptr is None:
        return 0.0
    w = np.asarray(a.deg, dtype=np.float64)
    total = w.sum()
    return float(w @ deg / total) if total else 0.0


TABLE_DU = 256  # first-hop degrees up to this are answered from a table per (hub cap, limit)


def prepare(b: Bounds, cap: int, limit: int) -> None:
    """Build the rule's answers to :func:`safe` for one budget (None: every pair is safe; else, per
    user degree up to TABLE_DU, the largest item degree that is). Built before a pair's clock runs:
    safety only shrinks as either degree grows, so one binary search per user degree finds it."""
    if (cap, limit) in b.always:
        return
    top_du, top_di = b.top
    if safe(b, top_du, top_di, cap, limit):
        b.always[(cap, limit)] = None
        return
    table, hi = [], top_di
    for du in range(min(top_du, TABLE_DU) + 1):
        lo, best = 0, -1
        while lo <= hi:
            mid = (lo + hi) // 2
            if safe(b, du, mid, cap, limit):
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        table.append(best)
        hi = max(best, 0)
    b.always[(cap, limit)] = tuple(table)


def safe_for(b: Bounds, du: int, di: int, cap: int, limit: int) -> bool:
    """:func:`safe` from the table :func:`prepare` built (computed for degrees past the graph's
    largest, which no pair of it has, or for a user past the table)."""
    if du <= b.top[0] and di <= b.top[1]:
        table = b.always.get((cap, limit), ())
        if table is None:
            return True
        if du < len(table):
            return di <= table[du]
        if not table:
            prepare(b, cap, limit)
            return safe_for(b, du, di, cap, limit)
    return safe(b, du, di, cap, limit)


def safe(b: Bounds, du: int, di: int, cap: int, limit: int) -> bool:
    """Whether the layered search, for a user of degree ``du`` on the first hop and an item of
    degree ``di`` on the last, can neither skip a hub nor cut its list of partial paths."""
    k, pl, pr = b.k, b.pl, b.pr
    for a in range(k):  # stage with left frontier a: the side grown touches min(left, right) entries
        if du * pl[a] > cap and di * b.mr[a] > cap:
            return False
    # nodes allowed at position j: the layer grown there from the user, or from the item
    sizes = [max(min(du * pl[j - 1], di * b.mr_ge[j]), min(di * pr[j + 1], du * b.ml_le[j])) for j in range(1, k)]
    sizes.append(1)  # the item
    count = min(du, sizes[0])  # partial paths after each hop
    if count > limit:
        return False
    for j in range(1, k):
        count *= min(b.dl[j], sizes[j])
        if count > limit:
            return False
    return True
