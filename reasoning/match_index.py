"""Lookups the matcher repeats thousands of times, memoised per graph.

Each graph gets one :class:`Lookups` (:func:`lookups_for`): neighbour rows come out of the CSR
index once as Python lists (the sets the matcher handles are mostly a few dozen ids, where
Python sets beat numpy calls), and the Fact and Binding objects of chains are built once and
shared by every chain that holds them (they are immutable). The tables are dicts that fill
themselves (``__missing__``), so a repeated lookup never enters a Python frame. The memo holds
the graph weakly and starts afresh once it has materialised ``MAX_ENTRIES`` ids.
"""
from __future__ import annotations

import dataclasses
import math
import weakref
from bisect import bisect_left

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import Binding, Chain, Fact

_EMPTY = np.zeros(0, dtype=np.int32)
_SHARED: "weakref.WeakKeyDictionary[KnowledgeGraph, Lookups]" = weakref.WeakKeyDictionary()
MAX_ENTRIES = 3_000_000  # row entries, facts and nodes memoised per graph (a few hundred MB at most)


def lookups_for(graph: KnowledgeGraph) -> "Lookups":
    """The graph's memo, fresh when it has grown past ``MAX_ENTRIES``."""
    lk = _SHARED.get(graph)
    if lk is None or lk.fetched + len(lk.facts) + len(lk.info) > MAX_ENTRIES:
        lk = _SHARED[graph] = Lookups(graph)
    return lk


# -- building chains: a frozen dataclass's __init__ sets every field through object.__setattr__,
# about 0.15 us a field; a call builds thousands of facts and chains, so these write the fields
# straight into the instance dict. The objects are the same (fields, eq, hash, repr, frozen).
# Used only while the classes are plain frozen dataclasses with exactly these fields.

_new = object.__new__


def _plain(cls: type, names: tuple[str, ...]) -> bool:
    return (dataclasses.is_dataclass(cls) and tuple(f.name for f in dataclasses.fields(cls)) == names
            and not hasattr(cls, "__post_init__") and "__slots__" not in cls.__dict__)


def _fact(s, relation, o, s_label, o_label, s_type, o_type, is_value=False, count=None, values=()) -> Fact:
    f = _new(Fact)
    d = f.__dict__
    d["subject"] = s
    d["relation"] = relation
    d["object"] = o
    d["subject_label"] = s_label
    d["object_label"] = o_label
    d["subject_type"] = s_type
    d["object_type"] = o_type
    d["is_value"] = is_value
    d["count"] = count
    d["values"] = values
    return f


def _binding(key, label, type_, is_value=False) -> Binding:
    b = _new(Binding)
    d = b.__dict__
    d["key"] = key
    d["label"] = label
    d["type"] = type_
    d["is_value"] = is_value
    return b


def _chain(rule, facts, bindings, nodes, support, specificity) -> Chain:
    c = _new(Chain)
    d = c.__dict__
    d["rule"] = rule
    d["facts"] = facts
    d["bindings"] = bindings
    d["nodes"] = nodes
    d["support"] = support
    d["specificity"] = specificity
    return c


new_fact = _fact if _plain(Fact, ("subject", "relation", "object", "subject_label", "object_label", "subject_type",
                                  "object_type", "is_value", "count", "values")) else Fact
new_binding = _binding if _plain(Binding, ("key", "label", "type", "is_value")) else Binding
new_chain = _chain if _plain(Chain, ("rule", "facts", "bindings", "nodes", "support", "specificity")) else Chain


class _Degrees(dict):
    __slots__ = ("indptr",)

    def __missing__(self, x: int) -> int:
        ip = self.indptr
        d = self[x] = ip.item(x + 1) - ip.item(x)
        return d


class _Rows(dict):
    __slots__ = ("indptr", "indices", "owner")

    def __missing__(self, x: int) -> list[int]:
        ip = self.indptr
        row = self[x] = self.indices[ip.item(x):ip.item(x + 1)].tolist()
        self.owner.fetched += len(row)
        return row


class _NoDegrees(dict):
    __slots__ = ()

    def __missing__(self, x: int) -> int:
        return 0


class _NoRows(dict):
    __slots__ = ()

    def __missing__(self, x: int) -> list[int]:
        return []


class Dir:
    """One relation walked one way: ``deg[x]`` and ``rows[x]`` (ascending ids) of its CSR."""

    __slots__ = ("indptr", "indices", "deg", "rows")
    deg: dict[int, int]
    rows: dict[int, list[int]]

    def __init__(self, owner: "Lookups", index, forward: bool):
        csr = None if index is None else (index.out if forward else index.inn)
        if csr is None:  # the graph has no such facts: every degree is 0, every row empty
            self.indptr, self.indices = None, _EMPTY
            self.deg, self.rows = _NoDegrees(), _NoRows()
            return
        self.indptr, self.indices = csr.indptr, csr.indices
        self.deg, self.rows = _Degrees(), _Rows()
        self.deg.indptr = self.rows.indptr = csr.indptr
        self.rows.indices, self.rows.owner = self.indices, owner

    def array(self, x: int) -> np.ndarray:
        if self.indptr is None:
            return _EMPTY
        ip = self.indptr
        return self.indices[ip.item(x):ip.item(x + 1)]

    def degrees(self, nodes: list[int]) -> np.ndarray:
        f = np.asarray(nodes, dtype=np.int64)
        if self.indptr is None:
            return np.zeros(len(f), dtype=np.int64)
        return self.indptr[f + 1] - self.indptr[f]


class _Dirs(dict):
    __slots__ = ("owner",)

    def __missing__(self, key: tuple[str, bool]) -> Dir:
        d = self[key] = Dir(self.owner, self.owner.edges.get(key[0]), key[1])
        return d


class _Info(dict):
    """node -> (key, label, type name)."""

    __slots__ = ("graph",)

    def __missing__(self, node: int) -> tuple[str, str, str]:
        g = self.graph
        got = self[node] = (g.key(node), g.label(node), g.type_name(node))
        return got


class _Spec(dict):
    """node -> log1p of its degree in one relation, both ways: a hub gets a large term."""

    __slots__ = ("out", "inn")

    def __missing__(self, node: int) -> float:
        t = self[node] = math.log1p(self.inn[node] + self.out[node])
        return t


class _Facts(dict):
    """(relation, subject, object) -> Fact."""

    __slots__ = ("owner",)

    def __missing__(self, key: tuple[str, int, int]) -> Fact:
        relation, s, o = key
        info = self.owner.info
        ks, ls, ts = info[s]
        ko, lo, to = info[o]
        f = self[key] = new_fact(ks, relation, ko, ls, lo, ts, to, False, None, self.owner.fact_values(relation, s, o))
        return f


class _Bindings(dict):
    """(variable, node) -> (variable, Binding)."""

    __slots__ = ("info",)

    def __missing__(self, key: tuple[str, int]) -> tuple[str, Binding]:
        b = self[key] = (key[0], new_binding(*self.info[key[1]]))
        return b


class Lookups:
    """Memoised rows, degrees, values, specificity terms, facts and bindings of one graph."""

    def __init__(self, graph: KnowledgeGraph):
        graph = weakref.proxy(graph)  # kept in a WeakKeyDictionary under the graph: never keep it alive
        self.graph = graph
        self.edges = graph.parts.edges
        self.user_mask = graph.user_mask
        self.fetched = 0  # neighbour entries materialised: the work budget counts these
        self.dirs = _Dirs()
        self.dirs.owner = self
        self.info = _Info()
        self.info.graph = graph
        self._specs: dict[str, _Spec] = {}
        self._values: dict[tuple[int, str], object] = {}
        self.facts = _Facts()
        self.facts.owner = self
        self.bindings = _Bindings()
        self.bindings.info = self.info
        self._value_facts: dict[tuple[int, str, str], tuple[Fact, tuple[str, Binding]]] = {}
        self._private: dict[tuple, tuple[int, ...]] = {}
        self._reach: dict[tuple[str, bool], bool] = {}

    def dir(self, relation: str, forward: bool) -> Dir:
        return self.dirs[(relation, forward)]

    def is_user(self, node: int) -> bool:
        return self.user_mask.item(node)

    def spec(self, relation: str) -> _Spec:
        tab = self._specs.get(relation)
        if tab is None:
            tab = self._specs[relation] = _Spec()
            tab.out, tab.inn = self.dirs[(relation, True)].deg, self.dirs[(relation, False)].deg
        return tab

    def private(self, cr) -> tuple[int, ...]:
        """The rule's middle positions where this graph could put another shopper (checked per path)."""
        key = (cr.private, cr.sig)
        got = self._private.get(key)
        if got is None:
            got = self._private[key] = tuple(j for j in cr.private if self.reaches_users(*cr.sig[j - 1]))
        return got

    def reaches_users(self, relation: str, forward: bool) -> bool:
        """Whether walking ``relation`` this way can land on a user (one pass over its edges, once)."""
        key = (relation, forward)
        if key not in self._reach:
            index = self.edges.get(relation)
            targets = None if index is None else (index.out if forward else index.inn).indices
            self._reach[key] = bool(targets is not None and len(targets) and self.user_mask[targets].any())
        return self._reach[key]

    def first_value(self, node: int, relation: str):
        """``graph.values(node, relation)[0]``, or None when the node has no such value."""
        key = (node, relation)
        if key in self._values:
            return self._values[key]
        values = self.graph.values(node, relation)
        v = self._values[key] = values[0] if values else None
        return v

    def edge_id(self, relation: str, s: int, o: int) -> int | None:
        """Forward CSR position of the fact ``s relation o`` (its edge id), or None."""
        d = self.dirs[(relation, True)]
        if d.indptr is None:
            return None
        row = d.rows[s]
        at = bisect_left(row, o)
        return d.indptr.item(s) + at if at < len(row) and row[at] == o else None

    def value_fact(self, node: int, relation: str, var: str, value) -> tuple[Fact, tuple[str, Binding]]:
        """The fact and binding of a looked-up literal (``item price price``)."""
        key = (node, relation, var)
        got = self._value_facts.get(key)
        if got is None:
            text = f"{value:g}" if isinstance(value, float) else str(value)
            k, label, type_ = self.info[node]
            got = self._value_facts[key] = (new_fact(k, relation, text, label, text, type_, "Value", True),
                                            (var, new_binding(text, text, "Value", True)))
        return got

    def fact_values(self, relation: str, s: int, o: int) -> tuple[tuple[str, str | float], ...]:
        index = self.edges.get(relation)
        if index is None or not (index.values or index.texts):
            return ()
        edge = self.edge_id(relation, s, o)
        if edge is None:
            return ()
        out: list[tuple[str, str | float]] = []
        for name, arr in sorted(index.values.items()):
            v = float(arr[edge])
            if not math.isnan(v):
                out.append((name, v))
        for name, texts in sorted(index.texts.items()):
            if edge in texts:
                out.append((name, texts[edge]))
        return tuple(out)
