"""``whyrec kg info PATH``: what a graph holds, and how long it took to load."""
from __future__ import annotations

import argparse
import re
import time
from collections import Counter

import numpy as np

from kg import KnowledgeGraph, load_graph
from whyrec.terminal import one_line


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
    n_users, n_items = graph.n_users, graph.n_items
    lines = [f"graph      {one_line(graph.source)}",
             f"triples    {len(graph):,}",
             f"nodes      {graph.n_nodes:,}",
             f"users      {n_users:,}",
             f"items      {n_items:,}",
             f"roles      items: {_names(graph.item_types)}; users: {_names(graph.user_types)}; "
             f"audience: {graph.audience}",
             f"labels     {label_summary(graph)}",
             f"load time  {seconds:.2f} s"]
    lines += [f"warning: {w}" for w in warnings(graph, types, n_users, n_items)]
    lines += ["", "nodes by type:"]
    lines += [f"  {one_line(name):<24} {count:>10,}" for name, count in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", "facts by relation:"]
    for rel in graph.vocab.relations:
        index = graph.edges(rel.name)
        if index is not None:
            lines.append(f"  {one_line(rel.name):<24} {index.n_edges:>10,}  ({one_line(rel.label)} / {one_line(rel.inverse)})")
        elif rel.name in graph.parts.literals:
            lines.append(f"  {one_line(rel.name):<24} {len(graph.parts.literals[rel.name].nodes):>10,}  (values)")
        else:
            lines.append(f"  {one_line(rel.name):<24} {_on_facts(graph, rel.name):>10,}  (on facts)")
    return "\n".join(lines)


def label_summary(graph: KnowledgeGraph) -> str:
    """The label languages and, for each, how many named-to-be nodes (users are never named)
    lack a label in it: "en (0 without), zh (12 without)"; "untagged" when no label has a tag."""
    if not graph.languages:
        return "untagged"
    named = np.flatnonzero(~graph.user_mask)
    parts = []
    for lang in graph.languages:
        table = graph.parts.lang_labels.table(lang)
        have = int(np.isin(named, table.nodes).sum()) if table is not None else 0
        parts.append(f"{lang} ({len(named) - have:,} without)")
    return ", ".join(parts)


def _names(types: frozenset[str]) -> str:
    return " or ".join(sorted(types))


_WORDS = re.compile(r"[^\W\d_]+(?:[ _'-][^\W\d_]+)*")  # "vegan", "light-medium": an id that reads as words


def unlabeled(graph: KnowledgeGraph) -> dict[str, int]:
    """Per node type, the nodes whose only name is an id that is not words ("B00KXL3R4E", "17").
    Users are left out: they are never named anyway."""
    labels, users = graph.parts.labels, graph.user_mask
    found = Counter(graph.type_name(n) for n in range(graph.n_nodes)
                    if not users[n] and graph.key(n) == labels[n] and not _WORDS.fullmatch(labels[n]))
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))


def warnings(graph: KnowledgeGraph, types: Counter, n_users: int, n_items: int) -> list[str]:
    """What a new catalog usually gets wrong: no items or users found, nodes without names."""
    out = []
    present = sorted(set(types) - {"Thing"})
    for n, role, kinds in ((n_items, "items", graph.item_types), (n_users, "users", graph.user_types)):
        if not n and graph.n_nodes:
            out.append(f"no {role}: no node is typed {_names(kinds)}; name the types in the mapping with a "
                       f"top-level '{role}: TYPE' (types here: {', '.join(present[:8]) or 'none'})")
    named_by_id = unlabeled(graph)
    if named_by_id:
        counts = ", ".join(f"{name} {count:,}" for name, count in list(named_by_id.items())[:8])
        out.append(f"nodes named only by their id (reasons would say the id): {counts}; add labels with a "
                   "'label:' column in the mapping's node table (or a table of names for that type), "
                   "or rdfs:label / schema:name triples in RDF")
    return out


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
