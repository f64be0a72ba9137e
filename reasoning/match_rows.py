"""Neighbour rows for the matcher: one relation walked one way (:class:`Dir`), its rows memoised
per graph memo (a dict that fills itself), or, for the rule sets' smaller relations, built whole
once per graph (:func:`whole_rows`) and shared by every memo of the graph.

The memo suits rows read again and again (a category's members); a whole list suits rows read
once per pair (a random shopper's purchases, a random product's categories): with it, the first
pair after loading reads them as fast as the thousandth. ``WHOLE_ROWS`` bounds the entries built
whole per graph (the smallest relations first): some 45 MB at most (34 MB and 115 ms for the
748,000 entries of the Beauty-scale graph's default rules; benchmarks/README.md, chains part 3).
"""
from __future__ import annotations

import numpy as np

_EMPTY = np.zeros(0, dtype=np.int32)
WHOLE_ROWS = 1_000_000  # row entries per graph built whole for the rule sets' relations


class _Rows(dict):
    __slots__ = ("indptr", "indices", "owner")

    def __missing__(self, x: int) -> tuple[int, ...]:
        ip = self.indptr  # memoryviews: a slice of one costs half a numpy slice and its tolist
        row = self[x] = tuple(self.indices[ip[x]:ip[x + 1]])
        self.owner.fetched += len(row)
        self.owner.cached += len(row)
        return row


def _all_rows(indptr: np.ndarray, indices: np.ndarray, ints: np.ndarray) -> list[tuple[int, ...]]:
    """Each node's row as a tuple of ids (the empty tuple where it has none), built at once."""
    n = len(indptr) - 1
    flat = ints[indices].tolist()  # the shared int objects, not a new int per entry
    ip = indptr.tolist()
    rows: list[tuple[int, ...]] = [()] * n
    for x in np.flatnonzero(np.diff(indptr)).tolist():
        rows[x] = tuple(flat[ip[x]:ip[x + 1]])
    return rows


class _NoDegrees(dict):
    __slots__ = ()

    def __missing__(self, x: int) -> int:
        return 0


class _NoRows(dict):
    __slots__ = ()

    def __missing__(self, x: int) -> tuple[int, ...]:
        return ()


class Dir:
    """One relation walked one way: ``deg[x]`` and ``rows[x]`` (ascending ids) of its CSR."""

    __slots__ = ("indptr", "indices", "deg", "rows", "_keys")
    deg: "memoryview | dict[int, int]"  # deg[x]; a whole-graph table (Lookups.views)
    rows: "dict[int, tuple[int, ...]] | list[tuple[int, ...]]"  # the memo, or every row (whole_rows)

    def __init__(self, owner, index, forward: bool):  # owner: match_index.Lookups
        self._keys: np.ndarray | None = None
        csr = None if index is None else (index.out if forward else index.inn)
        if csr is None:  # the graph has no such facts: every degree is 0, every row empty
            self.indptr, self.indices = None, _EMPTY
            self.deg, self.rows = _NoDegrees(), _NoRows()
            return
        self.indptr, self.indices = csr.indptr, csr.indices
        self.deg, ip, ind = owner.views(csr)
        self.rows = _Rows()
        self.rows.indptr, self.rows.indices, self.rows.owner = ip, ind, owner

    def array(self, x: int) -> np.ndarray:
        if self.indptr is None:
            return _EMPTY
        ip = self.indptr
        return self.indices[ip.item(x):ip.item(x + 1)]

    def keys(self) -> np.ndarray:
        """Every entry as ``x * n_nodes + y``, ascending (rows are sorted): edge tests for many pairs at once."""
        if self._keys is None:
            if self.indptr is None:
                self._keys = np.zeros(0, dtype=np.int64)
            else:
                n = len(self.indptr) - 1
                self._keys = np.repeat(np.arange(n, dtype=np.int64) * n, np.diff(self.indptr)) + self.indices
        return self._keys

    def degrees(self, nodes: list[int]) -> np.ndarray:
        f = np.asarray(nodes, dtype=np.int64)
        if self.indptr is None:
            return np.zeros(len(f), dtype=np.int64)
        return self.indptr[f + 1] - self.indptr[f]


class _Dirs(dict):
    __slots__ = ("owner",)

    def __missing__(self, key: tuple[str, bool]) -> Dir:
        shared = self.owner._shared_dirs.get(key)  # one whose rows are all built: no memo of its own
        d = self[key] = shared if shared is not None else Dir(self.owner, self.owner.edges.get(key[0]), key[1])
        return d


def whole_rows(lk, keys) -> None:  # lk: match_index.Lookups
    """Build every row of these relation directions (``(relation, forward)``) at once, the
    smallest first while the graph's total stays within ``WHOLE_ROWS`` entries: a whole-graph
    list (node -> tuple) in place of the memo, so that the first pair reads them as fast as the
    thousandth. Called before any pair's clock runs (reasoning/match_safe.for_rules); the Dirs
    holding them are shared by every memo of the graph."""
    store = lk._shared_dirs
    done = lk.tables.setdefault("whole_entries", [0])
    todo = []
    for key in set(keys):
        if key in store:
            continue
        index = lk.edges.get(key[0])
        csr = None if index is None else (index.out if key[1] else index.inn)
        if csr is not None:
            todo.append((len(csr.indices), key, csr))
    for size, key, csr in sorted(todo, key=lambda t: (t[0], t[1])):
        if done[0] + size > WHOLE_ROWS:
            break
        done[0] += size
        d = object.__new__(Dir)
        d._keys = None
        d.indptr, d.indices = csr.indptr, csr.indices
        d.deg = lk.views(csr)[0]
        d.rows = _all_rows(csr.indptr, csr.indices, _node_ints(lk))
        store[key] = lk.dirs[key] = d  # (the memo's own Dir for it, if any, is replaced)


def _node_ints(lk) -> np.ndarray:
    """Every node id as one Python int, shared by the whole rows (no int object per entry)."""
    got = lk.tables.get("node_ints")
    if got is None:
        got = lk.tables["node_ints"] = np.array(list(range(lk.graph.n_nodes)), dtype=object)
    return got
