"""A rule's paths for one pair without the layered search, where it is safe to skip it.

The layered search (reasoning/match.py) meets in the middle, skips hubs (nodes over the hub cap)
and stops listing past a limit of partial paths; those three decide which chains come out and
whether the pair is flagged truncated. Where no hub can be met and no limit reached, its answer
is simply every simple path from the user to the item, whatever side it grows. Both are decided
here before searching, from degrees alone:

- the layered search grows the side whose frontier touches fewer entries; a frontier holding a
  hub touches more than the cap. Each frontier's entries are bounded by the end's own degree
  times the largest degree of each hop on the way (a whole-graph maximum): if, at every stage,
  one side's bound is within the cap, the side grown never holds a hub;
- the layers are bounded the same way (a layer holds at most what its parent frontier touched,
  and it was grown only when that frontier was the cheaper side), hence the partial paths of
  every hop: if none can pass the limit, nothing is cut.

Then the paths are listed by a plain meet in the middle with no hub rule (:func:`paths`), and
finished as usual (match_finish.finish sorts them, so their order does not matter). Anything
else goes the layered way. tests/reasoning/test_match_equivalence.py compares both with the
reference matcher.
"""
from __future__ import annotations

import numpy as np

from reasoning.match_finish import Compiled
from reasoning.match_index import Lookups


class Bounds:
    """Whole-graph products of the largest degrees along one rule's hops (see :func:`safe`)."""

    __slots__ = ("k", "pl", "pr", "mr", "mr_ge", "ml_le", "dl", "top", "always", "m", "lkey", "rkey", "plain")

    def __init__(self, lk: Lookups, cr: Compiled):
        k = self.k = cr.k
        dl = [lk.max_degree(rel, fwd) for rel, fwd in cr.sig]  # hop t walked toward the item
        db = [lk.max_degree(rel, not fwd) for rel, fwd in cr.sig]  # ... toward the user
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
        self.m = _join_hop(lk, cr)
        self.lkey = ("DL",) + cr.sig[:self.m]  # a pair's prefixes, shared by rules that start alike
        self.rkey = ("DR",) + cr.sig[self.m + 1:]  # ... and the item side, by rules that end alike
        # a rule whose paths are its chains (no checks, crowds, values, nor a shopper in the middle
        # on this graph), ranked by one to three specificity terms: the terms' tables (see rank)
        self.plain = None if (cr.crowd or cr.lookups or cr.conds or cr.negs or lk.private(cr)
                              or not 1 <= len(cr.spec) <= 3) else tuple((j, lk.spec(rel)) for j, rel in cr.spec)


def rank(tabs: tuple, paths: list[tuple[int, ...]], cap: int) -> tuple[list[tuple], bool]:
    """match_finish.finish for a plain rule's tuple paths: rows (path, None, specificity) of the
    ``cap`` most specific, and whether more were found; the same float sums in the same order."""
    if len(tabs) == 1:
        (j1, t1), = tabs
        scored = [(t1[p[j1]], p) for p in paths]
    elif len(tabs) == 2:
        (j1, t1), (j2, t2) = tabs
        scored = [(t1[p[j1]] + t2[p[j2]], p) for p in paths]
    else:
        (j1, t1), (j2, t2), (j3, t3) = tabs
        scored = [(t1[p[j1]] + t2[p[j2]] + t3[p[j3]], p) for p in paths]
    scored.sort()
    return [(p, None, -total) for total, p in scored[:cap]], len(scored) > cap


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


MANY = 512  # more (partial) paths than this: None, the layered search lists them on arrays
_TOO_MANY: list = []  # a side that passed MANY, remembered as such per pair


def paths(pair, cr: Compiled, b: Bounds) -> list[tuple[int, ...]] | None:
    """Every simple path of the rule from ``u`` to ``i`` (in no particular order), or None when
    there are more than ``MANY`` (tuples one by one would be slower than the arrays).

    Prefixes grow from the user as tuples up to the join hop (:func:`_join_hop`); from the item grow
    levels of nodes down to the hop's far end, each node with its neighbours one position nearer
    the item. Both are kept in the pair's scratch (``pair.local``) for the rules that share them.
    The join hop is read from the cheaper side, and suffixes are spelled out only for reached nodes.
    The entries read count as probes against the pair's work budget (``pair.probes``).
    """
    lk, u, i, local = pair.lk, pair.u, pair.i, pair.local
    sig, k, dirs, m = cr.sig, cr.k, lk.dirs, b.m
    lefts = local.get(b.lkey)
    if lefts is None:
        lefts = [(u,)]
        for t in range(m):
            d = dirs[sig[t]]
            if t and sum([d.deg[p[-1]] for p in lefts]) > 8 * MANY:
                lefts = _TOO_MANY  # a hub ahead: not worth reading here
                break
            rows = d.rows
            lefts = [p + (y,) for p in lefts for y in rows[p[-1]] if y not in p]
            if len(lefts) > MANY:
                lefts = _TOO_MANY
                break
        local[b.lkey] = lefts
    if lefts is _TOO_MANY:
        return None
    if not lefts:
        return []
    right = local.get(b.rkey)
    if right is None:
        right = local[b.rkey] = _levels(dirs, sig, k, m, i)
    if right is _TOO_MANY:
        return None
    level, nearer = right
    if not level:
        return []
    fw = dirs[sig[m]]
    rel, fwd = sig[m]
    bw = dirs[(rel, not fwd)]
    deg_l, deg_r = fw.deg, bw.deg
    ahead, behind = sum([deg_l[p[-1]] for p in lefts]), sum([deg_r[x] for x in level])
    pair.probes += min(ahead, behind) + len(lefts) + len(level)
    if ahead <= behind:  # read the hop forward
        rows = fw.rows
        matches = [(p, y) for p in lefts for y in rows[p[-1]] if y in level]
    else:  # ... or backward from the nodes the item side reached
        by_last = local.get(("BL",) + b.lkey)  # the prefixes by their last node, shared like them
        if by_last is None:
            by_last = local[("BL",) + b.lkey] = {}
            for p in lefts:
                got_p = by_last.get(p[-1])
                if got_p is None:
                    by_last[p[-1]] = [p]
                else:
                    got_p.append(p)
        rows = bw.rows
        matches = []
        for y in level:
            for x in rows[y]:
                prefs = by_last.get(x)
                if prefs:
                    matches += [(p, y) for p in prefs]
    if len(matches) > MANY:
        return None
    out: list[tuple[int, ...]] = []
    n = k + 1
    if m == k - 1:  # the far end is the item itself
        return [p + (y,) for p, y in matches if y not in p]
    if m == k - 2:  # one hop from the far end to the item
        return [p + (y, i) for p, y in matches if y not in p and i not in p and y != i]
    spelled: dict[int, list[tuple[int, ...]]] = {}
    for p, y in matches:
        sufs = spelled.get(y)
        if sufs is None:
            sufs = [(y,)]
            for t in range(m + 1, k):
                step = nearer[k - t]
                sufs = [s + (z,) for s in sufs for z in step[s[-1]]]
            spelled[y] = sufs
        for s in sufs:
            path = p + s
            if len(set(path)) == n:
                out.append(path)
        if len(out) > MANY:
            return None
    return out


def _levels(dirs, sig, k: int, m: int, i: int):
    """(the nodes at position m + 1 that reach the item, {hops from the item: {node: its neighbours
    one position nearer the item}}), or _TOO_MANY. Counted from the item, as rules that end alike
    share them whatever their length."""
    level: dict[int, list[int] | None] = {i: None}
    nearer: dict[int, dict[int, list[int]]] = {}
    for t in range(k - 1, m, -1):  # the level at position t, from the one at t + 1 over hop t
        rel, fwd = sig[t]
        rows = dirs[(rel, not fwd)].rows
        if t == k - 1:  # the item's own row: each node's one neighbour nearer the item is the item
            level = nearer[1] = dict.fromkeys(rows[i], [i])
            if not level:
                break
            continue
        d = dirs[(rel, not fwd)]
        if sum([d.deg[x] for x in level]) > 8 * MANY:
            return _TOO_MANY  # a hub ahead: not worth reading here
        grown: dict[int, list[int]] = {}
        for x in level:
            for y in rows[x]:
                got = grown.get(y)
                if got is None:
                    grown[y] = [x]
                else:
                    got.append(x)
        if len(grown) > 4 * MANY:
            return _TOO_MANY
        level = nearer[k - t] = grown  # type: ignore[assignment]
        if not grown:
            break
    return level, nearer
