"""A rule's paths for one pair without the layered search, where it is safe to skip it.

The layered search (reasoning/match_layers.py) meets in the middle, skips hubs (nodes over the
hub cap) and stops listing past a limit of partial paths; those three decide which chains come
out and whether the pair is flagged truncated. Where no hub can be met and no limit reached
(decided from degrees alone, before searching: reasoning/match_safe.py), its answer is simply
every simple path from the user to the item, whatever side it grows. Those are listed here by a
plain meet in the middle with no hub rule (:func:`paths`, each rule joining at the hop chosen for
it once per graph), and ranked as match_finish.finish ranks them (match_finish.rank; their
order does not matter). Anything else goes the layered way. tests/reasoning/test_match_equivalence.py
compares both with the reference matcher, tests/reasoning/test_match_direct.py the parts.
"""
from __future__ import annotations

from reasoning.match_finish import Compiled
from reasoning.match_safe import Bounds


MANY = 512  # more (partial) paths than this: None, the layered search lists them on arrays
_TOO_MANY: list = []  # a side that passed MANY, remembered as such per pair


def paths(pair, cr: Compiled, b: Bounds) -> list[tuple[int, ...]] | None:  # pair: match._Pair
    """Every simple path of the rule from ``u`` to ``i`` (in no particular order), or None when
    there are more than ``MANY`` (tuples one by one would be slower than the arrays).

    Prefixes grow from the user as tuples up to the join hop (:func:`_join_hop`); from the item grow
    levels of nodes down to the hop's far end, each node with its neighbours one position nearer
    the item. Both are kept in the pair's scratch (``pair.local``) for the rules that share them.
    The join hop is read from the cheaper side, and suffixes are spelled out only for reached nodes.
    The entries read count as probes against the pair's work budget (``pair.probes``).
    """
    if b.m == cr.k - 2:
        return _two_hops(pair, cr, b) if cr.k == 2 else _before_item(pair, cr, b)
    got = sides(pair, cr, b)
    if got is None:
        return None
    if not got:
        return []
    lefts, level, nearer = got
    lk, i, local, k, m = pair.lk, pair.i, pair.local, cr.k, b.m
    rel, fwd = cr.sig[m]
    fw, bw = lk.dirs[(rel, fwd)], lk.dirs[(rel, not fwd)]
    forward = _forward(pair, lefts, level, fw, bw)
    if m == k - 1:  # the join's far end is the item itself: each match is a path
        if forward:
            rows = fw.rows
            out = [p + (y,) for p in lefts for y in rows[p[-1]] if y in level and y not in p]
        else:
            by_last, rows, out = _by_last(local, b.lkey, lefts), bw.rows, []
            for y in level:
                for x in rows[y]:
                    prefs = by_last.get(x)
                    if prefs:
                        out += [p + (y,) for p in prefs if y not in p]
        return None if len(out) > MANY else out
    if forward:
        rows = fw.rows
        matches = [(p, y) for p in lefts for y in rows[p[-1]] if y in level]
    else:
        by_last = _by_last(local, b.lkey, lefts)
        rows = bw.rows
        matches = []
        for y in level:
            for x in rows[y]:
                prefs = by_last.get(x)
                if prefs:
                    matches += [(p, y) for p in prefs]
    if len(matches) > MANY:
        return None
    out = []
    n = k + 1
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


def _two_hops(pair, cr: Compiled, b: Bounds) -> list[tuple[int, ...]] | None:
    """:func:`paths` of a two-hop rule joined at its first hop (user -> x -> item), without the
    general machinery: the same paths, the same probes, the item's level shared the same way."""
    lk, u, i = pair.lk, pair.u, pair.i
    level = _item_level(pair, cr, b)
    if not level:
        return []
    fw, bw = lk.dirs[cr.sig[0]], lk.dirs[(cr.sig[0][0], not cr.sig[0][1])]
    du, deg_r, behind = fw.deg[u], bw.deg, 0
    for x in level:  # as _forward: the cheaper side, and the entries it reads
        behind += deg_r[x]
        if behind >= du:
            break
    pair.probes += min(du, behind) + 1 + len(level)
    if u == i:
        return []
    if du <= behind:
        out = [(u, y, i) for y in fw.rows[u] if y in level and y != u and y != i]
    else:
        rows = bw.rows
        out = [(u, y, i) for y in level if y != u and y != i and u in rows[y]]
    return None if len(out) > MANY else out


def _item_level(pair, cr: Compiled, b: Bounds) -> dict[int, list[int]]:
    """The item's row on the rule's last hop, each node with the item as its one neighbour nearer
    it: the level _levels grows first, kept in the pair's scratch for the rules that end alike."""
    right = pair.local.get(b.rkey)
    if right is None:
        rel, fwd = cr.sig[cr.k - 1]
        level = dict.fromkeys(pair.lk.dirs[(rel, not fwd)].rows[pair.i], [pair.i])
        right = pair.local[b.rkey] = (level, {1: level})
    return right[0]


def _before_item(pair, cr: Compiled, b: Bounds) -> list[tuple[int, ...]] | None:
    """:func:`paths` of a rule joined one hop before the item (the item side is the item's row):
    the general steps without their generality; the same paths, probes and shared scratch."""
    lk, i, local = pair.lk, pair.i, pair.local
    lefts = _lefts(pair, cr, b)
    if lefts is _TOO_MANY:
        return None
    if not lefts:
        return []
    level = _item_level(pair, cr, b)
    if not level:
        return []
    rel, fwd = cr.sig[b.m]
    fw, bw = lk.dirs[(rel, fwd)], lk.dirs[(rel, not fwd)]
    if _forward(pair, lefts, level, fw, bw):  # read the hop forward
        rows = fw.rows
        out = [p + (y, i) for p in lefts if i not in p for y in rows[p[-1]] if y in level and y not in p and y != i]
    else:  # ... or backward from the nodes the item side reached
        by_last, rows, out = _by_last(local, b.lkey, lefts), bw.rows, []
        for y in level:
            if y != i:
                for x in rows[y]:
                    prefs = by_last.get(x)
                    if prefs:
                        out += [p + (y, i) for p in prefs if y not in p and i not in p]
    return None if len(out) > MANY else out


def sides(pair, cr: Compiled, b: Bounds) -> tuple | None:
    """(prefixes from the user up to the join hop, the level the item side reached at its far end,
    the levels nearer the item), () when one side is empty, None when one has too many."""
    lk, i, local = pair.lk, pair.i, pair.local
    sig, k, dirs, m = cr.sig, cr.k, lk.dirs, b.m
    lefts = _lefts(pair, cr, b)
    if lefts is _TOO_MANY or not lefts:
        return None if lefts is _TOO_MANY else ()
    right = local.get(b.rkey)
    if right is None:
        right = local[b.rkey] = _levels(dirs, sig, k, m, i)
    if right is _TOO_MANY:
        return None
    level, nearer = right
    if not level:
        return ()
    return lefts, level, nearer


def _lefts(pair, cr: Compiled, b: Bounds) -> list[tuple[int, ...]]:
    """The prefixes from the user up to the join hop (or _TOO_MANY), from the pair's scratch, or
    grown on from a shorter list of the same hops another rule left there, and kept there."""
    local, sig, dirs, m = pair.local, cr.sig, pair.lk.dirs, b.m
    got = local.get(b.lkey)
    if got is not None:
        return got
    lefts, t0 = [(pair.u,)], 0
    for t in range(m - 1, 0, -1):
        shorter = local.get(("DL",) + sig[:t])
        if shorter is not None:
            lefts, t0 = shorter, t
            break
    if lefts is not _TOO_MANY:
        for t in range(t0, m):
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
    return lefts


def _by_last(local: dict, lkey: tuple, lefts: list) -> dict[int, list[tuple[int, ...]]]:
    """The prefixes by their last node, kept in the pair's scratch and shared like them."""
    by_last = local.get(("BL",) + lkey)
    if by_last is None:
        by_last = local[("BL",) + lkey] = {}
        for p in lefts:
            got = by_last.get(p[-1])
            if got is None:
                by_last[p[-1]] = [p]
            else:
                got.append(p)
    return by_last


def _forward(pair, lefts: list, level: dict, fw, bw) -> bool:
    """Whether the join reads its hop forward from the prefixes (fewer entries than backward from
    the level); the entries it reads, and the sides, count as probes."""
    deg_r = bw.deg
    behind = sum([deg_r[x] for x in level])
    deg_l = fw.deg
    ahead = 0
    for p in lefts:  # (stops once past the other side: the min below is the same)
        ahead += deg_l[p[-1]]
        if ahead > behind:
            break
    pair.probes += min(ahead, behind) + len(lefts) + len(level)
    return ahead <= behind


def _levels(dirs: dict, sig: tuple[tuple[str, bool], ...], k: int, m: int,
            i: int) -> tuple[dict[int, list[int] | None], dict[int, dict[int, list[int]]]] | list:
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
