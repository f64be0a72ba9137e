"""``whyrec kg info PATH``: what a graph holds, and how long it took to load."""
from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np

from kg import KnowledgeGraph, load_graph


def register(sub: argparse._SubParsersAction) -> None:
    kg = sub.add_parser("kg", help="inspect a knowledge graph", description="Inspect a product knowledge graph.")
    kg_sub = kg.add_subparsers(dest="kg_command", metavar="SUBCOMMAND", required=True)
    info = kg_sub.add_parser("info", help="counts by node type and relation, users, items, load time",
                             description="Load PATH (RDF file, mapping .yaml, Amazon folder, or a folder with "
                                         "whyrec.yaml) and print counts by node type and relation.")
    info.add_argument("path", help="graph to load")
    info.set_defaults(run=run_info)
    save = kg_sub.add_parser("convert", help="load a graph and save it (.nt canonical, .ttl, .jsonld, .oxigraph store)",
                             description="Load PATH and save it atomically as OUT; the format follows OUT's extension. "
                                         "OUT ending in .oxigraph is a new on-disk Oxigraph store (a folder) for SPARQL "
                                         "audit queries; `whyrec kg info OUT` and --graph OUT read it back.")
    save.add_argument("path")
    save.add_argument("out")
    save.set_defaults(run=run_convert)


def info_text(graph: KnowledgeGraph, seconds: float) -> str:
    types = Counter(graph.type_name(n) for n in range(graph.n_nodes))
    lines = [f"graph      {graph.source}",
             f"triples    {len(graph):,}",
             f"nodes      {graph.n_nodes:,}",
             f"users      {sum(1 for _ in graph.users()):,}",
             f"items      {sum(1 for _ in graph.items()):,}",
             f"load time  {seconds:.2f} s",
             "", "nodes by type:"]
    lines += [f"  {name:<24} {count:>10,}" for name, count in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", "facts by relation:"]
    for rel in graph.vocab.relations:
        index = graph.edges(rel.name)
        if index is not None:
            lines.append(f"  {rel.name:<24} {index.n_edges:>10,}  ({rel.label} / {rel.inverse})")
        elif rel.name in graph.parts.literals:
            lines.append(f"  {rel.name:<24} {len(graph.parts.literals[rel.name].nodes):>10,}  (values)")
        else:
            lines.append(f"  {rel.name:<24} {_on_facts(graph, rel.name):>10,}  (on facts)")
    return "\n".join(lines)


def _on_facts(graph: KnowledgeGraph, name: str) -> int:
    """How many facts carry a value of ``name`` (a rating's score, a purchase's date)."""
    total = 0
    for index in graph.parts.edges.values():
        if name in index.values:
            total += int(np.count_nonzero(~np.isnan(index.values[name])))
        total += len(index.texts.get(name, {}))
    return total


def run_info(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    graph = load_graph(args.path)
    print(info_text(graph, time.perf_counter() - start))
    return 0


def run_convert(args: argparse.Namespace) -> int:
    graph = load_graph(args.path)
    if str(args.out).rstrip("/").lower().endswith(".oxigraph"):
        from kg.load.sparql import save_store
        save_store(graph, args.out.rstrip("/"))
    else:
        graph.save(args.out)
    print(f"saved {len(graph):,} triples to {args.out}")
    return 0
