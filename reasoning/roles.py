"""Which nodes are items and users: the graph's roles when it has them, the default classes otherwise.

A mapping may name its own item and user types (``items: Film``); graphs that know their
roles expose ``item_nodes()`` / ``user_nodes()``. Older graphs only know the default classes
(Product, User). Everything in reasoning that asks "is this an item?" asks here, so both work.
"""
from __future__ import annotations

import numpy as np

from kg import KnowledgeGraph
from kg.vocab import ITEM_CLASS, USER_CLASS


def item_nodes(graph: KnowledgeGraph) -> np.ndarray:
    """Node ids of the items, ascending."""
    own = getattr(graph, "item_nodes", None)
    return np.asarray(own() if callable(own) else graph.nodes_of(ITEM_CLASS), dtype=np.int64)


def user_nodes(graph: KnowledgeGraph) -> np.ndarray:
    """Node ids of the users, ascending."""
    own = getattr(graph, "user_nodes", None)
    return np.asarray(own() if callable(own) else graph.nodes_of(USER_CLASS), dtype=np.int64)


def mask(graph: KnowledgeGraph, nodes: np.ndarray) -> np.ndarray:
    out = np.zeros(graph.n_nodes, dtype=bool)
    out[nodes] = True
    return out


def graph_cache(graph: KnowledgeGraph) -> dict:
    """Derived data kept on the graph object itself (as networkx keeps ``G.__networkx_cache__``):
    it lives and dies with the graph, and two graphs never share it."""
    return vars(graph).setdefault("__whyrec_cache__", {})
