"""Paths as numpy arrays: for the few pairs where a rule has thousands of them.

A rule through a big category can have thousands of partial paths for one pair; extending,
rating and sorting them one tuple at a time costs milliseconds. Here the paths of one rule
are an (m, j+1) array whose rows stay in the reference order (lexicographic; each path's
extensions in ascending node order), so the partial-path limit cuts at the same path, the
specificity sums are the same float additions, and the sort is the same total order.
"""
from __future__ import annotations

import numpy as np

from reasoning.chains import Chain

BULK = 256  # a step that would make more partial paths than this runs on arrays


def hits_table(xs: list[int], hits_of: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct last nodes, start of each one's hits, all hits) from per-node hit lists."""
    xs = sorted(xs)
    counts = np.fromiter((len(hits_of[x]) for x in xs), dtype=np.int64, count=len(xs))
    starts = np.zeros(len(xs), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    flat = [y for x in xs for y in hits_of[x]]
    return np.asarray(xs, dtype=np.int64), starts, np.asarray(flat, dtype=np.int64)


def bulk_hits(pair, d, back, xu: np.ndarray, target: set[int]) -> tuple[np.ndarray, np.ndarray]:
    """For each distinct last node (ascending), its allowed neighbours: (starts, hits) in CSR form.

    ``d`` walks the hop forward, ``back`` the other way (to test a single target by its row).
    """
    if len(target) == 1:
        (z,) = target
        hit = np.isin(xu, back.array(z)) if back.indptr is not None else np.zeros(len(xu), dtype=bool)
        pair.probes += len(xu)
        counts = hit.astype(np.int64)
        return np.concatenate(([0], np.cumsum(counts)[:-1])), np.full(int(counts.sum()), z, dtype=np.int64)
    if d.indptr is None:
        return np.zeros(len(xu), dtype=np.int64), np.zeros(0, dtype=np.int64)
    tarr = np.array(sorted(target), dtype=np.int64)
    deg = d.indptr[xu + 1] - d.indptr[xu]
    hub = deg > max(8 * len(tarr), 32)
    owners, ys = [], []
    small = np.flatnonzero(~hub)
    if len(small):
        lens = deg[small]
        total = int(lens.sum())
        pair.lk.base.fetched += total
        offsets = np.repeat(d.indptr[xu[small]] - np.cumsum(lens) + lens, lens) + np.arange(total)
        nb = d.indices[offsets].astype(np.int64)
        keep = np.isin(nb, tarr)
        owners.append(np.repeat(small, lens)[keep])
        ys.append(nb[keep])
    for k in np.flatnonzero(hub).tolist():  # a hub row: probe it for the allowed nodes
        arr = d.array(int(xu[k]))
        pos = np.searchsorted(arr, tarr)
        ok = pos < len(arr)
        ok[ok] = arr[pos[ok]] == tarr[ok]
        pair.probes += len(tarr)
        owners.append(np.full(int(ok.sum()), k, dtype=np.int64))
        ys.append(tarr[ok])
    owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    y = np.concatenate(ys) if ys else np.zeros(0, dtype=np.int64)
    order = np.argsort(owner, kind="stable")  # each owner's hits are already ascending
    counts = np.bincount(owner, minlength=len(xu))
    return np.concatenate(([0], np.cumsum(counts)[:-1])), y[order]


def extend(pair, paths: np.ndarray, xu: np.ndarray, starts: np.ndarray, hits: np.ndarray, limit: int) -> np.ndarray:
    """Every path extended by each hit of its last node not already on it; cut like the reference."""
    m = len(paths)
    at = np.searchsorted(xu, paths[:, -1])
    ends = np.concatenate((starts[1:], [len(hits)]))
    counts = ends[at] - starts[at]
    total = int(counts.sum())
    parent = np.repeat(np.arange(m), counts)
    y = hits[np.repeat(starts[at] - np.cumsum(counts) + counts, counts) + np.arange(total)]
    grown = paths[parent]
    keep = (grown != y[:, None]).all(axis=1)  # simple paths only
    parent, grown, y = parent[keep], grown[keep], y[keep]
    if len(y) > limit:  # the reference stops after the path whose extensions passed the limit
        per = np.cumsum(np.bincount(parent, minlength=m))
        last = int(np.searchsorted(per, limit, side="right"))
        n = int(per[last])
        grown, y = grown[:n], y[:n]
        pair.truncated = True
    return np.column_stack((grown, y))


def finish_rows(lk, cr, paths: np.ndarray, max_chains: int, chain,
                tails: list[tuple[int, ...]] | tuple = ((),)) -> tuple[list[Chain], bool]:
    """Rank and cap array paths (no per-path checks left); ``chain`` builds one Chain from a tuple.

    ``tails``: the passing choices of looked-up values (match_finish.expand), the same for every
    row; each row gives one chain per tail, in order, as the tuple paths would.
    """
    per = len(tails)
    rows = -(-max_chains // per)  # rows enough for max_chains chains
    if cr.crowd:
        keycols = [j for j in range(paths.shape[1]) if j not in cr.crowd]
        keys, support = np.unique(paths[:, keycols], axis=0, return_counts=True)  # rows are distinct paths
        ok = support >= cr.plan.rule.min_support
        keys, support = keys[ok], support[ok]
        order = np.lexsort(tuple(keys[:, c] for c in range(keys.shape[1] - 1, -1, -1)) + (-support,))
        out = []
        for t in order[:rows].tolist():
            path = [-1] * paths.shape[1]
            for c, j in enumerate(keycols):
                path[j] = int(keys[t, c])
            path = tuple(path)
            out.extend(chain(lk, cr, path + tail, int(support[t]), _spec(lk, cr, path)) for tail in tails)
        return out[:max_chains], len(order) * per > max_chains
    total = None
    for j, rel in cr.spec:  # the same float additions as the reference, column by column
        terms = lk.spec_terms(rel, paths[:, j])
        total = terms if total is None else total + terms
    if total is None:
        total = np.zeros(len(paths))
    order = np.lexsort(tuple(paths[:, c] for c in range(paths.shape[1] - 1, -1, -1)) + (total,))
    top = order[:rows]
    return ([chain(lk, cr, tuple(paths[t].tolist()) + tail, None, -float(total[t]))
             for t in top.tolist() for tail in tails][:max_chains], len(order) * per > max_chains)


def _spec(lk, cr, path: tuple[int, ...]) -> float:
    total = 0.0
    for j, rel in cr.spec:
        if path[j] >= 0:
            total += lk.spec(rel)[path[j]]
    return -total
