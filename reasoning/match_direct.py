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

from reasoning.match_finish import Compiled
from reasoning.match_index import Lookups


class Bounds:
    """Whole-graph products of the largest degrees along one rule's hops (see :func:`safe`)."""

    __slots__ = ("k", "pl", "pr", "mr", "mr_ge", "ml_le", "dl")

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


def paths(lk: Lookups, cr: Compiled, u: int, i: int) -> list[tuple[int, ...]]:
    """Every simple path of the rule from ``u`` to ``i`` (in no particular order): prefixes grown
    from the user and suffixes from the item, always on the side with less to read, then joined."""
    sig, k, dirs = cr.sig, cr.k, lk.dirs
    lefts: list[tuple[int, ...]] = [(u,)]
    right: dict[int, list[tuple[int, ...]]] = {i: [(i,)]}
    a, b = 0, k
    while a < b:
        fw = dirs[sig[a]]
        rel, fwd = sig[b - 1]
        bw = dirs[(rel, not fwd)]
        deg_l, deg_r = fw.deg, bw.deg
        cost_l = sum([deg_l[p[-1]] for p in lefts])
        cost_r = sum([deg_r[x] * len(s) for x, s in right.items()])
        if cost_l <= cost_r:
            rows = fw.rows
            lefts = [p + (y,) for p in lefts for y in rows[p[-1]] if y not in p]
            a += 1
            if not lefts:
                return []
        else:
            rows = bw.rows
            grown: dict[int, list[tuple[int, ...]]] = {}
            for x, sufs in right.items():
                for y in rows[x]:
                    ext = [(y,) + s for s in sufs if y not in s]
                    if ext:
                        got = grown.get(y)
                        if got is None:
                            grown[y] = ext
                        else:
                            got += ext
            right = grown
            b -= 1
            if not right:
                return []
    out: list[tuple[int, ...]] = []
    n = k + 1
    for p in lefts:
        sufs = right.get(p[-1])
        if sufs:
            for s in sufs:
                path = p + s[1:]
                if len(set(path)) == n:
                    out.append(path)
    return out
