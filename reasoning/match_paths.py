"""Enumerating a rule's paths through the allowed nodes, in the order of the first matcher.

``pair`` is the matcher's per-pair state (reasoning/match.py): ``u``, ``lk`` (lookups),
``budget``, ``truncated``, ``probes`` and ``out_of_budget()``.
"""
from __future__ import annotations

from bisect import bisect_left
from operator import itemgetter

import numpy as np

import reasoning.match_bulk as bulk
from reasoning.match_bulk import bulk_hits, extend, hits_table
from reasoning.match_finish import Compiled

_LAST = itemgetter(-1)


ALL, ITEM = 1, 2  # a hop whose every neighbour is allowed; a hop whose only allowed node is the item
SMALL = 256  # partial paths listed as plain tuples with no bookkeeping; more go the general way


def enumerate_paths(pair, cr: Compiled, allowed: list[set[int]],
                    known: tuple[int, ...] | None = None) -> list[tuple[int, ...]] | np.ndarray:
    """Simple paths through the allowed sets, in the reference order, with its partial-path limit.

    ``known``: per hop, ALL when every neighbour of a path's last node is allowed next, ITEM when
    the item is its one allowed neighbour (reasoning/match.py knows from how the layers grew), so
    no membership test is needed. Few paths are listed directly; otherwise see :func:`_general`.
    """
    if known is None:
        return _general(pair, cr, allowed)
    lk = pair.lk
    small = min(SMALL, bulk.BULK)  # (BULK 0: every path on arrays)
    paths: list[tuple[int, ...]] = [(pair.u,)]
    for j, (rel, fwd) in enumerate(cr.sig):
        how = known[j]
        if how == ALL:
            rows = lk.dirs[(rel, fwd)].rows
            nxt = [p + (y,) for p in paths for y in rows[p[-1]] if y not in p]
        elif how == ITEM:
            i = pair.i
            nxt = [p + (i,) for p in paths if i not in p]
        else:
            lasts = list(map(_LAST, paths))
            hits_of = _hits(pair, lk.dirs[(rel, fwd)], lk.dirs[(rel, not fwd)], set(lasts), allowed[j + 1])
            per_path = list(map(hits_of.__getitem__, lasts))
            if sum(map(len, per_path)) > small:  # many: arrays, and the partial-path limit
                return _general(pair, cr, allowed, j, paths, known, hits_of)
            nxt = [p + (y,) for p, hits in zip(paths, per_path) for y in hits if y not in p]
        if len(nxt) > small:
            return _general(pair, cr, allowed, j, paths, known)
        if not nxt or pair.out_of_budget():
            return []
        paths = nxt
    return paths


def _general(pair, cr: Compiled, allowed: list, start: int = 0, paths: list[tuple[int, ...]] | None = None,
             known: tuple[int, ...] | None = None,
             first_hits: dict[int, list[int]] | None = None) -> list[tuple[int, ...]] | np.ndarray:
    """:func:`enumerate_paths` with a membership test at every hop, from hop ``start`` on (``paths``:
    the partial paths before it, fewer than the limit; ``first_hits``: that hop's hits if known),
    but for a hop to the item on arrays.

    Paths are tuples while few; a step that would make more than ``BULK`` of them switches to
    an array of rows (reasoning/match_bulk.py), same order, same cut.
    """
    lk = pair.lk
    allowed = [a if isinstance(a, set) else a.members for a in allowed]  # a layer stands for its nodes
    limit = max(pair.budget.max_chains_per_rule * 200, 1000)
    paths = [(pair.u,)] if paths is None else paths
    for j, (rel, fwd) in enumerate(cr.sig):
        if j < start:
            continue
        d = lk.dirs[(rel, fwd)]
        target = allowed[j + 1]
        if isinstance(paths, np.ndarray) and known is not None and known[j] == ITEM:
            paths = _to_item(pair, paths, limit)
        elif isinstance(paths, np.ndarray):
            xu = np.unique(paths[:, -1])
            starts, hits = bulk_hits(pair, d, lk.dirs[(rel, not fwd)], xu, target)
            paths = extend(pair, paths, xu, starts, hits, limit)
        else:
            lasts = list(map(_LAST, paths))
            if j == start and first_hits is not None:
                hits_of = first_hits
            else:
                hits_of = _hits(pair, d, lk.dirs[(rel, not fwd)], set(lasts), target)
            per_path = list(map(hits_of.__getitem__, lasts))
            if sum(map(len, per_path)) > bulk.BULK:
                xu, starts, hits = hits_table(list(hits_of), hits_of)
                paths = extend(pair, np.array(paths, dtype=np.int64), xu, starts, hits, limit)
            else:
                nxt: list[tuple[int, ...]] = []
                for path, hits in zip(paths, per_path):
                    if hits:
                        nxt += [path + (y,) for y in hits if y not in path]
                        if len(nxt) > limit:
                            pair.truncated = True
                            break
                paths = nxt
        if not len(paths) or pair.out_of_budget():
            return []
    return paths


def _to_item(pair, paths: np.ndarray, limit: int) -> np.ndarray:
    """Every path (an array row) that does not hold the item already, extended by it; cut as
    match_bulk.extend cuts (one extension each: the first ``limit + 1`` stay)."""
    i = pair.i
    paths = paths[(paths != i).all(axis=1)]
    if len(paths) > limit:
        paths = paths[:limit + 1]
        pair.truncated = True
    return np.column_stack((paths, np.full(len(paths), i, dtype=paths.dtype)))


def _hits(pair, d, back, xs: set[int], target: set[int]) -> dict[int, list[int]]:
    """Each node's neighbours that the target allows, ascending (``back`` walks the hop the other way).

    A short row is filtered; a long one (a hub) is probed for the allowed nodes: through their
    own short rows the other way when there are few of them, else by binary search.
    """
    deg_of, rows = d.deg, d.rows
    if len(xs) > 4 and len(target) > 16:
        # many long rows (a category's products) against allowed nodes with short rows the other
        # way (a product's categories): walk back from the allowed nodes instead
        ahead = sum([min(deg_of[x], 4 * len(target)) for x in xs])
        back_deg = back.deg
        behind = sum([back_deg[y] for y in target])
        if 2 * behind < ahead:
            pair.probes += behind
            out_b: dict[int, list[int]] = {x: [] for x in xs}
            back_rows = back.rows
            for y in sorted(target):
                for x in back_rows[y]:
                    got = out_b.get(x)
                    if got is not None:
                        got.append(y)
            return out_b
    out: dict[int, list[int]] = {}
    tsorted = tarr = None
    for x in xs:
        deg = deg_of[x]
        if deg <= 64 or (deg <= 256 and deg <= 2 * len(target)):
            out[x] = [y for y in rows[x] if y in target]
            continue
        if tsorted is None:
            tsorted = sorted(target)
        if deg <= 2 * len(target):  # a long row and many allowed nodes: look the row up among them
            if tarr is None:
                tarr = np.array(tsorted, dtype=np.int64)
            arr = d.array(x)
            pair.probes += deg
            pos = np.searchsorted(tarr, arr)
            pos[pos == len(tarr)] = 0
            out[x] = arr[tarr[pos] == arr].tolist()
            continue
        pair.probes += len(tsorted)
        if len(tsorted) <= 16:
            hits = []
            for y in tsorted:
                if back.deg[y] <= 64:
                    row, at = back.rows[y], bisect_left(back.rows[y], x)
                    if at < len(row) and row[at] == x:
                        hits.append(y)
                else:
                    arr = d.array(x)
                    at = int(arr.searchsorted(y))
                    if at < len(arr) and arr[at] == y:
                        hits.append(y)
            out[x] = hits
        else:
            if tarr is None:
                tarr = np.array(tsorted, dtype=np.int64)
            arr = d.array(x)
            pos = np.searchsorted(arr, tarr)
            ok = pos < len(arr)
            ok[ok] = arr[pos[ok]] == tarr[ok]
            out[x] = tarr[ok].tolist()
    return out
