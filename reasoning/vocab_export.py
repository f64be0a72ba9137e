"""What a domain expert may write in a rule, read from one graph: the vocabulary as data.

Programmers own the vocabulary, experts own the rules (business-rules' split): this module
lists every relation with its labels, the node types it links in *this* data, how many facts
it has and two example facts, so that an expert can write steps without reading code.
Users are private: an example fact never shows a user's id or label, only "a shopper" (in the
catalog's word: "a viewer"), and text that users wrote (review summaries) is counted, never quoted.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from kg import KnowledgeGraph
from kg.roles import singular
from kg.vocab import default_vocabulary


@dataclass(frozen=True)
class RelationInfo:
    name: str
    label: str
    inverse: str
    phrases: tuple[str, ...]
    kind: str  # "node": a step links two nodes; "value": a step reads a value (price, budget ...)
    domain: tuple[str, ...]  # subject node types seen in the data, most frequent first
    range: tuple[str, ...]  # object node types seen ("number"/"text"/"date" for values)
    count: int
    examples: tuple[str, ...]  # at most two facts, with labels, users written as "a shopper" ("a viewer")
    minimum: str | None = None  # values: the smallest and largest number (or date)
    maximum: str | None = None


@dataclass(frozen=True)
class FactValueInfo:
    """A value that sits on facts (a rating's score, a purchase's date): read it with ``as r``."""

    name: str
    on: tuple[str, ...]  # relations whose facts carry it
    count: int
    kind: str  # number | text
    minimum: str | None = None
    maximum: str | None = None
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class VocabReport:
    graph: str
    relations: tuple[RelationInfo, ...]
    node_types: tuple[tuple[str, int], ...]
    fact_values: tuple[FactValueInfo, ...]
    unused: tuple[str, ...]  # default relations a rule may name although this graph has no such facts
    items: tuple[str, ...] = ("Product",)  # the item and user types; 'item' and 'user' in a rule are these
    users: tuple[str, ...] = ("User",)
    audience: str = "people"  # the word for counted users ({count} other people)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _class_names(graph: KnowledgeGraph) -> list[str]:
    return [graph.vocab.class_name(c) for c in graph.parts.classes]


def _type_counts(graph: KnowledgeGraph, nodes: np.ndarray, names: list[str]) -> tuple[str, ...]:
    if not len(nodes):
        return ()
    classes = graph.parts.node_class[nodes].astype(np.int64)
    counts = Counter(names[k] if k >= 0 else "Thing" for k in classes.tolist())
    return tuple(name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _is_user(graph: KnowledgeGraph, node: int) -> bool:
    return graph.is_user(node)


def _show(graph: KnowledgeGraph, node: int) -> str:
    if _is_user(graph, node):
        return f"a {singular(graph.audience)}"
    label, key = graph.label(node), graph.key(node)
    return label if label == key else f"{label} ({key})"


def _examples(graph: KnowledgeGraph, label: str, src: np.ndarray, dst: np.ndarray) -> tuple[str, ...]:
    """Two different facts, the first and one from the middle onwards: deterministic and varied."""
    n = len(src)
    found: list[str] = []
    for e in [0] + list(range(n // 2, n, max(1, n // 64))):
        text = f"{_show(graph, int(src[e]))} {label} {_show(graph, int(dst[e]))}"
        if text not in found:
            found.append(text)
        if len(found) == 2:
            break
    return tuple(found)


def _fmt(x: float) -> str:
    return f"{x:g}"


def vocab_report(graph: KnowledgeGraph) -> VocabReport:
    """Everything a rule author may name for ``graph`` (see module docstring for privacy)."""
    names = _class_names(graph)
    relations: list[RelationInfo] = []
    fact_values: dict[str, dict[str, object]] = {}
    for rel in graph.vocab.relations:
        index = graph.edges(rel.name)
        if index is not None:
            src = np.repeat(np.arange(graph.n_nodes, dtype=np.int64), np.diff(index.out.indptr))
            dst = index.out.indices.astype(np.int64)
            examples = _examples(graph, rel.label, src, dst)
            relations.append(RelationInfo(rel.name, rel.label, rel.inverse, rel.phrases, "node",
                                          _type_counts(graph, np.unique(src), names),
                                          _type_counts(graph, np.unique(dst), names), index.n_edges, examples))
            _collect_fact_values(graph, rel.name, index, src, fact_values)
            continue
        lit = graph.parts.literals.get(rel.name)
        if lit is None:
            continue  # only on facts: listed under fact values
        relations.append(_literal_info(graph, rel, lit, names))
    types = Counter(graph.type_name(n) for n in range(graph.n_nodes))
    present = {r.name for r in graph.vocab.relations}
    unused = tuple(r.name for r in default_vocabulary().relations if r.name not in present)
    values = tuple(FactValueInfo(name, tuple(v["on"]), int(v["count"]), str(v["kind"]), v["min"], v["max"],
                                 tuple(v["examples"]))  # type: ignore[arg-type]
                   for name, v in sorted(fact_values.items()))
    return VocabReport(graph.source, tuple(relations),
                       tuple(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))), values, unused,
                       tuple(sorted(graph.item_types)), tuple(sorted(graph.user_types)), graph.audience)


def _literal_info(graph: KnowledgeGraph, rel, lit, names: list[str]) -> RelationInfo:
    owners = np.unique(lit.nodes.astype(np.int64))
    private = bool(len(owners)) and all(_is_user(graph, int(n)) for n in owners[:50].tolist())
    numbers = lit.numbers[~np.isnan(lit.numbers)]
    kind_range: tuple[str, ...]
    lo = hi = None
    examples: tuple[str, ...] = ()
    if len(numbers):
        kind_range = ("number",)
        lo, hi = _fmt(float(numbers.min())), _fmt(float(numbers.max()))
    else:
        kind_range = (rel.range or "text",)
        texts = sorted({str(v) for n in owners[:200].tolist() for v in graph.values(int(n), rel.name)})
        if texts and not private:
            examples = tuple(texts[:3])
        if texts and rel.range == "date":
            lo, hi = texts[0], texts[-1]
    if not examples and len(owners) and len(numbers):
        first = int(owners[0])
        shown = graph.values(first, rel.name)
        if shown:
            value = shown[0]
            examples = (f"{_show(graph, first)} {rel.label} {_fmt(value) if isinstance(value, float) else value}",)
    return RelationInfo(rel.name, rel.label, rel.inverse, rel.phrases, "value",
                        _type_counts(graph, owners, names), kind_range, len(lit.nodes), examples, lo, hi)


def _collect_fact_values(graph: KnowledgeGraph, relation: str, index, src: np.ndarray,
                         out: dict[str, dict[str, object]]) -> None:
    user_subjects = bool(index.n_edges) and _is_user(graph, int(src[0]))
    for name, arr in sorted(index.values.items()):
        seen = arr[~np.isnan(arr)]
        entry = out.setdefault(name, {"on": [], "count": 0, "kind": "number", "min": None, "max": None, "examples": []})
        entry["on"].append(relation)  # type: ignore[union-attr]
        entry["count"] = int(entry["count"]) + len(seen)  # type: ignore[call-overload]
        if len(seen):
            lo, hi = float(seen.min()), float(seen.max())
            entry["min"] = _fmt(lo) if entry["min"] is None else _fmt(min(lo, float(entry["min"])))  # type: ignore[arg-type]
            entry["max"] = _fmt(hi) if entry["max"] is None else _fmt(max(hi, float(entry["max"])))  # type: ignore[arg-type]
    for name, texts in sorted(index.texts.items()):
        entry = out.setdefault(name, {"on": [], "count": 0, "kind": "text", "min": None, "max": None, "examples": []})
        entry["on"].append(relation)  # type: ignore[union-attr]
        entry["count"] = int(entry["count"]) + len(texts)  # type: ignore[call-overload]
        values = sorted(set(texts.values()))
        declared = graph.vocab.get(name)
        if declared is not None and declared.range == "boolean":  # yes/no flags: not anyone's words
            entry["kind"] = "boolean"
            entry["examples"] = sorted(set(entry["examples"]) | set(values))[:5]  # type: ignore[arg-type]
        elif values and _looks_like_dates(values):
            lo, hi = values[0], values[-1]
            entry["min"] = lo if entry["min"] is None else min(lo, str(entry["min"]))
            entry["max"] = hi if entry["max"] is None else max(hi, str(entry["max"]))
            entry["kind"] = "date"
        elif values and not user_subjects and len(entry["examples"]) < 3:  # type: ignore[arg-type]
            entry["examples"] = (list(entry["examples"]) + values)[:3]  # type: ignore[call-overload]


def _looks_like_dates(values: list[str]) -> bool:
    sample = values[:20]
    return all(len(v) >= 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit() for v in sample)


# -- text -----------------------------------------------------------------------------------

def vocab_text(report: VocabReport) -> str:
    """The report as the page an expert reads next to their rule file."""
    lines = [f"Vocabulary of {report.graph}", "",
             "Relations that link two nodes (a step: subject relation object, e.g. 'item brand brand'):"]
    for r in report.relations:
        if r.kind != "node":
            continue
        lines.append(f"  {r.name:<18} {r.count:>8,} facts   {_types(r.domain)} -> {_types(r.range)}")
        lines.append(f"  {'':<18} says: {r.label!r} / inverse {r.inverse!r}; phrases: {', '.join(r.phrases)}")
        for ex in r.examples:
            lines.append(f"  {'':<18} e.g. {ex}")
    lines += ["", "Relations that hold a value (end a step, then compare it: 'item price price' + 'price <= budget'):"]
    for r in report.relations:
        if r.kind != "value":
            continue
        span = f" {r.minimum} to {r.maximum}" if r.minimum is not None else ""
        ex = f"; e.g. {', '.join(r.examples)}" if r.examples else ""
        lines.append(f"  {r.name:<18} {r.count:>8,} values  on {_types(r.domain)}: {r.range[0]}{span}{ex}")
    if not any(r.kind == "value" for r in report.relations):
        lines.append("  (none in this graph)")
    lines += ["", "Values on facts (name the fact with 'as r', then use r.NAME, e.g. 'user rated product as r' + 'r.score >= 4'):"]
    for v in report.fact_values:
        span = f" {v.minimum} to {v.maximum}" if v.minimum is not None else ""
        ex = f"; e.g. {', '.join(repr(e) for e in v.examples)}" if v.examples else (
            f"; written by {report.audience}, not shown" if v.kind == "text" else "")
        lines.append(f"  {v.name:<18} {v.count:>8,} facts   on {', '.join(v.on)}: {v.kind}{span}{ex}")
    if not report.fact_values:
        lines.append("  (none in this graph)")
    lines += ["", "Node types:"]
    lines += [f"  {name:<18} {count:>8,}" for name, count in report.node_types]
    if report.unused:
        lines += ["", "Also accepted in rules, but this graph has no such facts: " + ", ".join(report.unused)]
    lines += ["", f"Words 'user' and 'item' are reserved ('user' is a {_types(report.users)}, 'item' a "
                  f"{_types(report.items)}); every other word in a step is a variable. Other users are "
                  f"counted, never named: '{{count}} other {report.audience}'."]
    return "\n".join(lines)


def _types(types: tuple[str, ...]) -> str:
    return "|".join(types) if types else "?"

