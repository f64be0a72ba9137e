"""The layered search of one rule for one pair: layers grown from the user and the item, meeting
in the middle (reasoning/match.py runs it; the chains, order and flags are the reference's).

A layer is the nodes ``j`` hops from one end, shared through the pair's and the call's caches by
the rules that start (end) with the same hops; the side that touches fewer neighbour entries grows,
and a node past the hub cap is not expanded (the pair is flagged truncated).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from reasoning.match_finish import Compiled
from reasoning.match_paths import ALL, ITEM

if TYPE_CHECKING:
    from reasoning.match import _Call, _Pair

class Layer:
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


def _grow(call: _Call, frontier: Layer, rel: str, fwd: bool, exempt: tuple[int, ...]) -> Layer:
    """The next layer: every neighbour of the frontier, except through hubs (other than ``exempt``)."""
    d = call.lk.dir(rel, fwd)
    cap = call.budget.hub_cap
    nodes = frontier.nodes
    if len(nodes) == 1:
        x = nodes[0]
        if d.deg[x] > cap and x not in exempt:
            return Layer([], (x,))
        return Layer(d.rows[x])
    if len(nodes) < call.numpy_from:
        out: set[int] = set()
        capped = []
        deg, rows = d.deg, d.rows
        for x in nodes:
            if deg[x] > cap and x not in exempt:
                capped.append(x)
            else:
                out.update(rows[x])
        return Layer(sorted(out), tuple(capped), out)
    if d.indptr is None:
        return Layer([])
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
        return Layer([], capped)
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
    return Layer(np.unique(d.indices[offsets]).tolist(), capped)


def _cost(call: _Call, layer: Layer, rel: str, fwd: bool) -> int:
    """Neighbour entries that expanding ``layer`` would touch (hubs included, as the choice of side counts them)."""
    key = (rel, fwd)
    c = layer.costs.get(key)
    if c is None:
        d = call.lk.dirs[key]
        nodes = layer.nodes
        c = sum(map(d.deg.__getitem__, nodes)) if len(nodes) < call.numpy_from else int(d.degrees(nodes).sum())
        layer.costs[key] = c
    return c


def _side(pair: _Pair, cr: Compiled, left: bool, j: int) -> tuple[Layer, bool]:
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
            lay = cache[(anchor,)] = Layer([anchor])
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


def allowed_sets(pair: _Pair, cr: Compiled) -> tuple[list[set[int]], tuple[int, ...]] | None:
    """Per spine position the nodes a chain may use there (None: the rule cannot fire), and per hop
    what listing paths may skip (match_paths.KNOWN): every neighbour is allowed, or only the item."""
    k, lsteps, rsteps = cr.k, cr.lsteps, cr.rsteps
    lk, local = pair.lk, pair.local
    # A side with nothing to expand ends the search at once, and no hub is met before: skip cheaply.
    if lk.dirs[lsteps[0]].deg[pair.u] == 0 or lk.dirs[rsteps[k]].deg[pair.i] == 0:
        return None
    lkeys, rkeys, call = cr.lkeys, cr.rkeys, pair.call
    left: list[Layer] = [(local.get(lkeys[0]) or _side(pair, cr, True, 0))[0]]
    right: dict[int, Layer] = {k: (local.get(rkeys[k]) or _side(pair, cr, False, k))[0]}
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


def _known(k: int, a: int, left: list[Layer]) -> tuple[int, ...]:
    """Per hop, what listing paths may skip (match_paths.ALL / ITEM / 0 for a membership test).

    A hop into a left layer that capped nothing: every neighbour is in it. The last hop from a right
    layer: the layer next to the item is the item's whole row (the item is never capped).
    """
    return tuple(ALL if j + 1 < a and not (left and left[j + 1].capped) else (ITEM if j == k - 1 and a < k else 0)
                 for j in range(k))


_KNOWN = {(k, a): _known(k, a, []) for k in range(1, 9) for a in range(k + 1)}  # when no left layer capped
