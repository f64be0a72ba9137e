"""How strong a piece of evidence is, measured once per graph and kept on the graph object.

- reach: how many items each node touches (directly, or through the nodes below it in a
  category tree), so a middle node shared by half the catalog (glycerin, a root category)
  reads as weak evidence and a two-product brand as strong;
- departments: the top of the catalog's own grouping (the first level of a category tree
  that splits the items, or a coarse item grouping when there is no tree), found from the
  shape of the data, never from a relation's name;
- popularity of each item (its share of the interactions, log-scaled), the baseline a
  chain's evidence is measured against; the newest date, each user's newest date, the score
  range and each user's mean score, for recency and rating features.

>>> from kg.build import GraphBuilder
>>> b = GraphBuilder("doc")
>>> ex = lambda kind, k: f"<https://ex.org/{kind}/{k}>"
>>> P, T = "<https://whyrec.dev/ns#purchased>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
>>> for n in range(4):
...     b.add(ex("product", f"p{n}"), T, "<https://schema.org/Product>")
...     b.add(ex("product", f"p{n}"), "<https://schema.org/brand>", ex("brand", "big" if n else "small"))
>>> b.add(ex("user", "u"), P, ex("product", "p1"))
>>> g = b.build()
>>> ev = evidence(g)
>>> [round(ev.share(g.node(k)), 2) for k in ("small", "big")]
[0.25, 0.75]
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kg import KnowledgeGraph
from reasoning.holdout import edge_days, interaction_relation
from reasoning.roles import graph_cache, item_nodes, mask, user_nodes

MAX_DEPTH = 32  # a category tree deeper than this is cut (and a cycle cannot loop)
MEMO_MAX = 500_000
TREE_SHARE = 0.95  # a relation is a tree when this share of its facts link two nodes of one type


@dataclass(frozen=True)
class Evidence:
    """Per-graph measures the chain features read; build with :func:`evidence`."""

    n_items: int
    is_item: np.ndarray  # bool per node
    reach: np.ndarray  # per node: distinct items it touches, itself or through the nodes below it
    department: dict[int, tuple[int, ...]]  # item -> its department nodes (absent: unknown)
    grouping: str  # how departments were found ("tree: parent", "grouping: category", "")
    popularity: np.ndarray  # per node in [0, 1]: log1p(interactions) / log1p(most interactions)
    chosen: np.ndarray  # per node: how many people chose it (its interactions)
    interactions: str | None  # the relation counted for popularity
    newest_day: float | None  # newest date on any fact (days, proleptic ordinal)
    user_newest: np.ndarray  # per node: newest date on a fact it is the subject of (NaN: none)
    score_lo: float | None
    score_hi: float | None
    user_mean_score: np.ndarray  # per node: mean score on facts it is the subject of (NaN: none)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # per link and per user, filled as asked

    def remember(self, key: tuple, value: object) -> object:
        """Keep ``value`` for ``key``; the memo is emptied when it passes MEMO_MAX (a server that
        explains for millions of users must not grow without bound)."""
        if len(self.memo) >= MEMO_MAX:
            self.memo.clear()
        self.memo[key] = value
        return value

    def share(self, node: int) -> float:
        """Share of the catalog's items ``node`` touches (0 for an unknown node)."""
        return float(self.reach[node]) / self.n_items if self.n_items and node >= 0 else 0.0

    def same_department(self, a: int, b: int) -> bool | None:
        """Whether two items share a department; None when either has none."""
        da, db = self.department.get(a), self.department.get(b)
        if not da or not db:
            return None
        return bool(set(da) & set(db))


def evidence(graph: KnowledgeGraph) -> Evidence:
    """The graph's :class:`Evidence`, computed on first use and kept on the graph."""
    cache = graph_cache(graph)
    got = cache.get("evidence")
    if got is None:
        got = cache["evidence"] = _build(graph)
    return got


def _build(graph: KnowledgeGraph) -> Evidence:
    items = item_nodes(graph)
    is_item = mask(graph, items)
    tree = find_tree(graph, is_item)
    parent = _parents(graph, *tree) if tree else None
    reach = _reach(graph, is_item, parent)
    department, grouping = _departments(graph, items, is_item, reach, tree, parent)
    newest, lo, hi, mean = _dates_and_scores(graph)
    rel = interaction_relation(graph)
    pop, chosen = np.zeros(graph.n_nodes), np.zeros(graph.n_nodes, dtype=np.int64)
    if rel is not None:
        chosen = graph.edges(rel).inn.degrees().astype(np.int64)
        counts = np.log1p(chosen.astype(float))
        pop = counts / counts.max() if counts.max() > 0 else pop
    newest_day = None if np.all(np.isnan(newest)) else float(np.nanmax(newest))
    return Evidence(len(items), is_item, reach, department, grouping, pop, chosen, rel, newest_day, newest, lo, hi,
                    mean)


def _endpoints(graph: KnowledgeGraph, name: str) -> tuple[np.ndarray, np.ndarray]:
    index = graph.parts.edges[name]
    return np.repeat(np.arange(graph.n_nodes), index.out.degrees()), index.out.indices.astype(np.int64)


def find_tree(graph: KnowledgeGraph, is_item: np.ndarray) -> tuple[str, bool] | None:
    """(relation, child is the subject) of the category tree that reaches the most items, or None.

    A tree relation links nodes of one type (not items, not users) to each other; its child side
    is the one where every node has at most one link (else the side with fewer links per node).
    """
    node_class = graph.parts.node_class
    is_user = mask(graph, user_nodes(graph))
    best, best_items = None, 0
    for name in sorted(graph.parts.edges):
        src, dst = _endpoints(graph, name)
        if not len(src) or np.mean(node_class[src] == node_class[dst]) < TREE_SHARE:
            continue
        if (is_item[src] | is_item[dst] | is_user[src] | is_user[dst]).any() or np.any(src == dst):
            continue
        index = graph.parts.edges[name]
        out_deg, in_deg = index.out.degrees(), index.inn.degrees()
        if out_deg.max() <= 1:
            child_is_subject = True
        elif in_deg.max() <= 1:
            child_is_subject = False
        else:
            child_is_subject = out_deg[out_deg > 0].mean() <= in_deg[in_deg > 0].mean()
        members = mask(graph, np.concatenate([src, dst]))
        linked = _items_linked_to(graph, is_item, members, skip=name)
        if linked > best_items:
            best, best_items = (name, child_is_subject), linked
    return best


def _items_linked_to(graph: KnowledgeGraph, is_item: np.ndarray, members: np.ndarray, skip: str) -> int:
    got = np.zeros(graph.n_nodes, dtype=bool)
    for name in graph.parts.edges:
        if name != skip:
            src, dst = _endpoints(graph, name)
            got[src[is_item[src] & members[dst]]] = True
            got[dst[is_item[dst] & members[src]]] = True
    return int(got.sum())


def _parents(graph: KnowledgeGraph, name: str, child_is_subject: bool) -> np.ndarray:
    """Each node's parent in the tree (-1: none); with several parents, the lowest id (deterministic)."""
    src, dst = _endpoints(graph, name)
    child, par = (src, dst) if child_is_subject else (dst, src)
    parent = np.full(graph.n_nodes, -1, dtype=np.int64)
    order = np.lexsort((-par, child))  # per child, the lowest parent written last wins
    parent[child[order]] = par[order]
    return parent


def _ancestors(parent: np.ndarray, nodes: np.ndarray) -> list[np.ndarray]:
    """[nodes, their parents, grandparents, ...] aligned, -1 past the top (at most MAX_DEPTH levels)."""
    levels = [nodes]
    for _ in range(MAX_DEPTH):
        up = np.where(levels[-1] >= 0, parent[np.maximum(levels[-1], 0)], -1)
        if not (up >= 0).any():
            break
        levels.append(up)
    return levels


def _item_links(graph: KnowledgeGraph, is_item: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(node, item) for every fact between an item and another node, either way."""
    nodes, its = [], []
    for name in sorted(graph.parts.edges):
        src, dst = _endpoints(graph, name)
        a, b = is_item[dst], is_item[src]
        nodes += [src[a], dst[b]]
        its += [dst[a], src[b]]
    node, item = np.concatenate(nodes) if nodes else np.zeros(0, np.int64), np.concatenate(its) if its else np.zeros(0, np.int64)
    keep = node != item
    return node[keep], item[keep]


def _reach(graph: KnowledgeGraph, is_item: np.ndarray, parent: np.ndarray | None) -> np.ndarray:
    node, item = _item_links(graph, is_item)
    if parent is not None and len(node):
        in_tree = parent[node] >= 0
        ups = _ancestors(parent, node[in_tree])[1:]
        node = np.concatenate([node] + [u[u >= 0] for u in ups])
        item = np.concatenate([item] + [item[in_tree][u >= 0] for u in ups])
    n = np.int64(graph.n_nodes)
    keys = np.unique(node.astype(np.int64) * n + item)
    return np.bincount(keys // n, minlength=graph.n_nodes)


def _departments(graph: KnowledgeGraph, items: np.ndarray, is_item: np.ndarray, reach: np.ndarray,
                 tree: tuple[str, bool] | None, parent: np.ndarray | None) -> tuple[dict[int, tuple[int, ...]], str]:
    node, item = _item_links(graph, is_item)
    if tree is not None and parent is not None:
        in_tree = (parent[node] >= 0) | (np.isin(node, parent[parent >= 0]))
        node, item = node[in_tree], item[in_tree]
        top = _top_level(parent, reach, node)
        levels = _ancestors(parent, node)
        dept = np.full(len(node), -1, dtype=np.int64)
        for lv in levels:  # the first ancestor (or the node itself) that is a department
            hit = (dept < 0) & (lv >= 0) & top[np.maximum(lv, 0)]
            dept[hit] = lv[hit]
        return _by_item(item[dept >= 0], dept[dept >= 0]), f"tree: {tree[0]}"
    return _flat_grouping(graph, items, is_item)


def _top_level(parent: np.ndarray, reach: np.ndarray, linked: np.ndarray) -> np.ndarray:
    """Departments: the tree's roots, or the first level below them that splits the items in two or more."""
    in_tree = np.zeros(len(parent), dtype=bool)
    in_tree[linked] = True
    in_tree[parent[parent >= 0]] = True
    for lv in _ancestors(parent, np.flatnonzero(in_tree)):
        in_tree[lv[lv >= 0]] = True
    level = np.flatnonzero(in_tree & (parent < 0) & (reach > 0))
    for _ in range(MAX_DEPTH):
        if len(level) != 1:
            break
        children = np.flatnonzero((parent == level[0]) & (reach > 0))
        if not len(children):
            break
        level = children
    top = np.zeros(len(parent), dtype=bool)
    top[level] = True
    return top


def _flat_grouping(graph: KnowledgeGraph, items: np.ndarray, is_item: np.ndarray) -> tuple[dict[int, tuple[int, ...]], str]:
    """Without a tree: the coarsest relation that gives most items exactly one group, with between
    2 and sqrt(items) groups (a brand or a leaf category is too fine to be a department)."""
    n = len(items)
    is_user = mask(graph, user_nodes(graph))
    best = None
    for name in sorted(graph.parts.edges):
        src, dst = _endpoints(graph, name)
        for item, group in ((src, dst), (dst, src)):
            keep = is_item[item] & ~is_item[group] & ~is_user[group]
            item, group = item[keep], group[keep]
            per_item = np.bincount(item, minlength=graph.n_nodes)[items]
            groups = len(np.unique(group))
            if n and np.mean(per_item == 1) >= 0.8 and 2 <= groups <= max(2, math.isqrt(n)):
                if best is None or groups < best[0]:
                    best = (groups, name, item, group)
    if best is None:
        return {}, ""
    return _by_item(best[2], best[3]), f"grouping: {best[1]}"


def _by_item(item: np.ndarray, dept: np.ndarray) -> dict[int, tuple[int, ...]]:
    out: dict[int, set[int]] = {}
    for i, d in zip(item.tolist(), dept.tolist()):
        out.setdefault(i, set()).add(d)
    return {i: tuple(sorted(ds)) for i, ds in out.items()}


def _dates_and_scores(graph: KnowledgeGraph) -> tuple[np.ndarray, float | None, float | None, np.ndarray]:
    n = graph.n_nodes
    newest = np.full(n, np.nan)
    total, count = np.zeros(n), np.zeros(n)
    lo = hi = None
    for name in sorted(graph.parts.edges):
        index = graph.parts.edges[name]
        subjects = np.repeat(np.arange(n), index.out.degrees())
        days = edge_days(graph, name)
        if days is not None:
            ok = ~np.isnan(days)
            np.fmax.at(newest, subjects[ok], days[ok])
        scores = index.values.get("score")
        if scores is not None and not np.all(np.isnan(scores)):
            ok = ~np.isnan(scores)
            np.add.at(total, subjects[ok], scores[ok])
            np.add.at(count, subjects[ok], 1.0)
            s_lo, s_hi = float(np.nanmin(scores)), float(np.nanmax(scores))
            lo, hi = (s_lo if lo is None else min(lo, s_lo)), (s_hi if hi is None else max(hi, s_hi))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return newest, lo, hi, mean
