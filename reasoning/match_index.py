"""Lookups the matcher repeats thousands of times, memoised per graph.

Each graph gets one :class:`Lookups` (:func:`lookups_for`): neighbour rows come out of the CSR
index once, as tuples of ids (the sets the matcher handles are mostly a few dozen ids, where
Python sets beat numpy calls), with node names and literal values. The tables are dicts that
fill themselves (``__missing__``), so a repeated lookup never enters a Python frame. Degrees, row
pointers, neighbour ids and specificity terms are whole-graph memoryviews kept on the graph (an
index into one gives a Python int or float, with no memo entry), as are the tables per rule set
(reasoning/match_safe.py, ``Lookups.tables``), and the rows of the rule sets' smaller relations,
built whole once per graph (reasoning/match_rows.py, up to ``WHOLE_ROWS`` entries): the first
pair after loading reads those as fast as the thousandth. Each call gets a view with its own Fact
and Binding tables, made when it first builds a chain: a fact is built once per call and shared
by every chain holding it (facts are immutable). The memo lives on the graph's own cache, holds
the graph weakly, starts afresh once it holds ``MAX_ENTRIES`` entries, and :func:`forget` drops it.
"""
from __future__ import annotations

import math
import weakref
from bisect import bisect_left

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import Binding, Fact
from reasoning.match_build import new_binding, new_fact
from reasoning.match_rows import Dir, _Dirs, whole_rows
from reasoning.roles import graph_cache
from kg.terms import number_text

MAX_ENTRIES = 1_000_000  # row entries, degrees and nodes memoised per graph (some 60 MB at most)
SPEC_DENSE = 1 << 16  # specificity terms come from a table of every degree up to this (larger: np.unique)


def lookups_for(graph: KnowledgeGraph) -> "Lookups":
    """The graph's memo (fresh once it has grown past ``MAX_ENTRIES``), with a call's own Fact tables.

    Facts and bindings are the call's output: kept across calls they would be long-lived objects
    that every full garbage collection walks (the memo's rows are tuples of ints, which the
    collector stops tracking); built per call, they die with results nobody keeps.
    """
    cache = graph.__dict__.get("__whyrec_cache__")  # (on the graph itself: the memo holds it weakly)
    if cache is None:
        cache = graph_cache(graph)
    lk = cache.get("match_memo")
    if lk is None or lk.cached + len(lk.info) > MAX_ENTRIES:
        lk = cache["match_memo"] = Lookups(graph)
    return lk.for_call()


def forget(graph: KnowledgeGraph) -> None:
    """Drop the graph's memo (its rows, values and names read so far), keeping the whole-graph
    tables: the next call starts cold, as the first one after loading (benchmarks measure it)."""
    graph_cache(graph).pop("match_memo", None)


class _Info(dict):
    """node -> (key, label, type name)."""

    __slots__ = ("graph", "labels", "node_class", "class_names")

    def __missing__(self, node: int) -> tuple[str, str, str]:
        k = self.node_class.item(node)
        got = self[node] = (self.graph.key(node), self.labels[node], self.class_names[k] if k >= 0 else "Thing")
        return got


class _Facts(dict):
    """(relation, subject, object) -> Fact."""

    __slots__ = ("owner", "info", "valued")

    def __missing__(self, key: tuple[str, int, int]) -> Fact:
        relation, s, o = key
        info = self.info
        ks, ls, ts = info[s]
        ko, lo, to = info[o]
        values = self.owner.fact_values(relation, s, o) if relation in self.valued else ()
        f = self[key] = new_fact(ks, relation, ko, ls, lo, ts, to, False, None, values)
        return f


class _Bindings(dict):
    """(variable, node) -> (variable, Binding)."""

    __slots__ = ("info",)

    def __missing__(self, key: tuple[str, int]) -> tuple[str, Binding]:
        b = self[key] = (key[0], new_binding(*self.info[key[1]]))
        return b


def _static(graph: KnowledgeGraph, tables: dict) -> dict:
    """What every memo of the graph shares (a new memo copies these references): the graph held
    weakly, its parts, and the whole-graph tables by name."""
    graph_ref = weakref.ref(graph)  # which graph the ids are of (lazy results are ranked only on it)
    proxy = weakref.proxy(graph)  # kept in the graph's own cache: never keep it alive
    parts = graph.parts
    class_names = [graph.vocab.class_name(iri) for iri in parts.classes]
    return {
        "graph_ref": graph_ref, "graph": proxy, "edges": parts.edges, "user_mask": graph.user_mask,
        "crowd_type": min(graph.user_types) if graph.user_types else "User",  # a crowd fact's people side
        "_info_parts": (proxy, parts.labels, parts.node_class, class_names),
        "valued": frozenset(name for name, index in parts.edges.items() if index.values or index.texts),
        "_dense": tables.setdefault("dense_counts", {}),
        "_spec_tables": tables.setdefault("spec", {}),
        "_spec_views": tables.setdefault("spec_views", {}),
        "_has_value": tables.setdefault("has_value", {}),
        "_edge_attrs": tables.setdefault("edge_attrs", {}),
        "_private": tables.setdefault("private", {}),
        "_reach": tables.setdefault("reach", {}),
        "_shared_dirs": tables.setdefault("whole_dirs", {}),  # see Lookups.whole_rows
        "_views": tables.setdefault("views", {}),
        "tables": tables,  # for reasoning/match_safe.py's tables per rule set
    }


class Lookups:
    """Memoised rows, degrees, names, values and specificity terms of one graph (+ a call's facts)."""

    def __init__(self, graph: KnowledgeGraph):
        # Whole-graph tables (one entry per relation, arrays over the nodes) live on the graph
        # itself: they do not grow with the pairs, so a fresh memo does not pay for them again.
        tables = graph_cache(graph).setdefault("match_tables", {})
        static = tables.get("lookups")
        if static is None:
            static = tables["lookups"] = _static(graph, tables)
        self.__dict__.update(static)
        self.base = self  # the graph's memo (a call's view points back to it)
        self.fetched = 0  # neighbour entries materialised or gathered: the work budget counts these
        self.cached = 0  # entries kept in the rows tables
        self.dirs = _Dirs(static["_shared_dirs"])  # (the rest fill themselves, each with its memo)
        self.dirs.owner = self
        self.info = info = _Info()
        info.graph, info.labels, info.node_class, info.class_names = static["_info_parts"]
        self._values: dict[tuple[int, str], object] = {}
        self._all_values: dict[tuple[int, str], tuple] = {}
        # facts, bindings, _value_facts: a call's own, made on first use (see __getattr__)

    def __getattr__(self, name: str):
        """A call's Fact and Binding tables, made when it first builds a chain (most calls keep
        their chains as rows and never do)."""
        if name not in ("facts", "bindings", "_value_facts"):
            raise AttributeError(name)
        self.facts, self.bindings, self._value_facts = _Facts(), _Bindings(), {}
        self.facts.owner, self.facts.info, self.bindings.info = self, self.info, self.info
        self.facts.valued = self.valued
        return self.__dict__[name]

    def for_call(self) -> "Lookups":
        """A view sharing every memo but the Fact and Binding tables, which start empty."""
        view = object.__new__(Lookups)  # copy.copy, without its generic protocol (a call makes one)
        view.__dict__.update(self.__dict__)
        if "facts" in self.__dict__:  # (the graph's memo built a chain itself: the call gets its own)
            del view.__dict__["facts"], view.__dict__["bindings"], view.__dict__["_value_facts"]
        return view

    def dir(self, relation: str, forward: bool) -> Dir:
        return self.dirs[(relation, forward)]

    def views(self, csr) -> tuple[memoryview, memoryview, memoryview]:
        """(degrees, indptr, indices) of one CSR as memoryviews: indexing one gives a Python int at
        a third of numpy's ``.item`` cost. Whole-graph tables, kept on the graph (~1 ms a relation)."""
        got = self._views.get(id(csr))
        if got is None or got[0] is not csr:
            deg = np.diff(csr.indptr).astype(np.int32)
            got = self._views[id(csr)] = (csr, memoryview(deg), memoryview(np.ascontiguousarray(csr.indptr)),
                                          memoryview(np.ascontiguousarray(csr.indices)))
        return got[1:]

    def whole_rows(self, keys) -> None:
        """Build every row of these relation directions at once (reasoning/match_rows.py)."""
        whole_rows(self, keys)

    def is_user(self, node: int) -> bool:
        return self.user_mask.item(node)

    def spec(self, relation: str) -> memoryview:
        """node -> log1p of its degree in one relation, both ways (a hub gets a large term): the
        whole-graph table of :meth:`spec_terms`, indexed from Python."""
        got = self._spec_views.get(relation)
        if got is None:
            self.spec_terms(relation, np.zeros(0, dtype=np.int64))
            got = self._spec_views[relation] = memoryview(self._spec_tables[relation])
        return got

    def spec_terms(self, relation: str, nodes: np.ndarray) -> np.ndarray:
        """:meth:`spec` for an array of nodes: the same floats (math.log1p of each distinct degree)."""
        table = self._spec_tables.get(relation)
        if table is None:
            total = np.zeros(self.graph.n_nodes, dtype=np.int64)
            for forward in (True, False):
                d = self.dirs[(relation, forward)]
                if d.indptr is not None:
                    total += np.diff(d.indptr)
            top = int(total.max()) if len(total) else 0
            if top <= SPEC_DENSE:  # every degree up to the largest: a short list, no sort of the nodes
                terms = np.array([math.log1p(v) for v in range(top + 1)], dtype=np.float64)
                table = self._spec_tables[relation] = terms[total]
            else:
                values, inv = np.unique(total, return_inverse=True)
                table = self._spec_tables[relation] = \
                    np.array([math.log1p(v) for v in values.tolist()], dtype=np.float64)[inv.reshape(-1)]
        return table[nodes]

    def has_value(self, relation: str) -> np.ndarray:
        """Per node: whether it holds a literal of ``relation`` (so :meth:`first_value` is not None)."""
        mask = self._has_value.get(relation)
        if mask is None:
            counts = self._numbers(relation)[1]  # (the same counts has_values reads)
            mask = self._has_value[relation] = np.zeros(self.graph.n_nodes, dtype=bool) if counts is None \
                else np.asarray(counts) > 0
        return mask

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
        numbers, counts = self._numbers(relation)
        n = counts[node] if counts is not None else 0
        if not n:  # no value (most nodes, for most relations): no need to ask the graph
            v = None
        else:
            v = numbers[node]
            if n > 1 or math.isnan(v):  # text, or several values: ask the graph
                values = self.graph.values(node, relation)
                v = values[0] if values else None
        self._values[key] = v
        return v

    def has_values(self, node: int, relation: str) -> bool:
        """Whether the node holds any literal of ``relation`` (``all_values`` is not empty)."""
        counts = self._numbers(relation)[1]
        return counts is not None and counts[node] > 0

    def all_values(self, node: int, relation: str) -> tuple:
        """``graph.values(node, relation)`` in the node's literal order; its first is :meth:`first_value`."""
        key = (node, relation)
        got = self._all_values.get(key)
        if got is None:
            numbers, counts = self._numbers(relation)
            n = counts[node] if counts is not None else 0
            if not n:
                got = ()
            else:
                v = numbers[node]
                got = tuple(self.graph.values(node, relation)) if n > 1 or math.isnan(v) else (v,)
            self._all_values[key] = got
        return got

    def _numbers(self, relation: str) -> tuple[memoryview | None, memoryview | None]:
        """The relation's dense numbers (the first numeric value of each node, NaN for none) and
        how many values each node holds (one numeric value: it is the first and only one), as
        whole-graph memoryviews."""
        got = self._dense.get(relation)
        if got is None:
            lit = self.graph.parts.literals.get(relation)
            got = self._dense[relation] = (None, None) if lit is None else \
                (memoryview(np.ascontiguousarray(lit.numbers, dtype=np.float64)),
                 memoryview(np.bincount(lit.nodes, minlength=len(lit.numbers)).astype(np.int64)))
        return got

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
        key = (node, relation, var, value)  # a node may hold several values: one fact each
        got = self._value_facts.get(key)
        if got is None:
            text = number_text(value)
            k, label, type_ = self.info[node]
            got = self._value_facts[key] = (new_fact(k, relation, text, label, text, type_, "Value", True),
                                            (var, new_binding(text, text, "Value", True)))
        return got

    def fact_values(self, relation: str, s: int, o: int) -> tuple[tuple[str, str | float], ...]:
        """Values on the fact (a rating's score, a purchase's date): numbers by name, then texts by name."""
        attrs = self._edge_attrs.get(relation)
        if attrs is None:
            index = self.edges.get(relation)
            attrs = self._edge_attrs[relation] = ((), ()) if index is None else \
                (tuple(sorted(index.values.items())), tuple(sorted(index.texts.items())))
        numbers, texts = attrs
        if not (numbers or texts):
            return ()
        edge = self.edge_id(relation, s, o)
        if edge is None:
            return ()
        out: list[tuple[str, str | float]] = []
        for name, arr in numbers:
            v = arr.item(edge)
            if not math.isnan(v):
                out.append((name, v))
        for name, by_edge in texts:
            if edge in by_edge:
                out.append((name, by_edge[edge]))
        return tuple(out)
