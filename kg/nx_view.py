"""A networkx view of any part of the graph, built on demand from the index.

>>> from tests.kg.tiny import tiny_builder
>>> g = tiny_builder().build()
>>> view = to_networkx(g, ["u1", "p1", "b1"])
>>> sorted(view.edges(keys=True))
[('p1', 'b1', 'brand'), ('u1', 'p1', 'purchased'), ('u1', 'p1', 'rated')]
>>> view.nodes["p1"]["label"], view.nodes["p1"]["type"]
('Glow Serum', 'Product')
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.graph import KnowledgeGraph


def to_networkx(graph: KnowledgeGraph, nodes: Iterable[str | int], hops: int = 0) -> nx.MultiDiGraph:
    """The subgraph induced by ``nodes`` (ids, keys or IRIs), grown by ``hops`` steps in any direction.

    Nodes are keyed by source id and carry ``label``, ``type`` and ``iri``; each edge's key is its
    relation name, with the fact's values (score, date ...) as edge attributes.
    """
    chosen = {graph.node(n) for n in nodes}
    for _ in range(hops):
        grown = set(chosen)
        for n in chosen:
            for rel, index in graph.parts.edges.items():
                grown.update(index.out.row(n).tolist())
                grown.update(index.inn.row(n).tolist())
        chosen = grown
    view = nx.MultiDiGraph()
    for n in sorted(chosen):
        view.add_node(graph.key(n), label=graph.label(n), type=graph.type_name(n), iri=graph.iri(n))
    for n in sorted(chosen):
        for rel, index in graph.parts.edges.items():
            lo, hi = int(index.out.indptr[n]), int(index.out.indptr[n + 1])
            for edge in range(lo, hi):
                m = int(index.out.indices[edge])
                if m in chosen:
                    values = {k: float(v[edge]) for k, v in index.values.items() if v[edge] == v[edge]}
                    values.update({k: t[edge] for k, t in index.texts.items() if edge in t})
                    view.add_edge(graph.key(n), graph.key(m), key=rel, **values)
    return view
