"""Mined path patterns written as rules an expert can paste: ids, variables, a template, YAML.

The text is plain: steps read ``subject relation object`` as the facts sit in the graph,
the template uses each relation's first phrase, and other users are only ever
``{count} other shoppers`` in the catalog's word (a collaborative rule may not name them).
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from kg import KnowledgeGraph
from kg.roles import singular
from kg.vocab import Relation, snake
from reasoning.rules import MIN_SUPPORT, PRIVACY_FLOOR

if TYPE_CHECKING:  # mine.py imports this module; the types are only for annotations
    from reasoning.mine import MineConfig, Move, Pattern


def variable_names(graph: KnowledgeGraph, seq: tuple["Move", ...], types: tuple[frozenset[int], ...],
                   crowd: tuple[int, ...]) -> tuple[str, ...]:
    """A word per position, from the node type there: user, product, brand, ..., item."""
    names = ["user"]
    # the walker's node kinds: each class, then the users, then the items (reasoning/mine.py)
    kinds = [graph.vocab.class_name(c) for c in graph.parts.classes]
    kinds += [min(graph.user_types, default="User"), min(graph.item_types, default="Product")]
    for j in range(1, len(seq)):
        if j in crowd:
            base = singular(graph.audience)
        elif len(types[j]) == 1 and min(types[j]) >= 0:
            base = snake(kinds[min(types[j])])
        else:  # several types (suits: SkinType|HairType): the relation's declared range, if any
            rel = graph.vocab.get(seq[j - 1][0])
            declared = (rel.range if seq[j - 1][1] else rel.domain) if rel is not None else None
            base = snake(declared) if declared and declared not in ("number", "text", "date") else "thing"
        base = re.sub(r"[^a-z0-9_]", "_", base.lower()) or "thing"
        name = base if base not in names and base not in ("user", "item") else f"other_{base}"
        k = 2
        while name in names:
            name, k = f"{base}{k}", k + 1
        names.append(name)
    return tuple(names + ["item"])


def rule_id(seq: tuple["Move", ...]) -> str:
    parts = [rel + ("" if fwd else "-of") for rel, fwd in seq]
    text = re.sub(r"[^a-z0-9]+", "-", "mined-" + "-".join(parts).lower()).strip("-")
    return re.sub(r"-+", "-", text)


def _step(seq: tuple["Move", ...], names: tuple[str, ...], k: int) -> str:
    rel, fwd = seq[k]
    a, b = names[k], names[k + 1]
    return f"{a} {rel} {b}" if fwd else f"{b} {rel} {a}"


def _says(graph: KnowledgeGraph, p: "Pattern") -> str:
    clauses, crowd_named = [], False
    for k, (rel_name, fwd) in enumerate(p.moves):
        rel: Relation | None = graph.vocab.get(rel_name)
        verb = rel.phrases[0] if rel is not None and rel.phrases else rel_name.replace("_", " ")
        s, o = (k, k + 1) if fwd else (k + 1, k)

        def word(j: int) -> str:
            nonlocal crowd_named
            if j == 0:
                return "you"
            if j in p.crowd:
                said, crowd_named = crowd_named, True
                return "they" if said else f"{{count}} other {graph.audience}"
            return "{" + p.names[j] + "}"
        clauses.append(f"{word(s)} {verb} {word(o)}")
    text = "; ".join(clauses) + "."
    return text[0].upper() + text[1:]


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def to_yaml(graph: KnowledgeGraph, p: "Pattern", rid: str, n_users: int, n_facts: int, cfg: "MineConfig") -> str:
    """One rule as YAML, with its numbers in the description and a weight of 1 + 4 x PCA confidence."""
    desc = (f"Mined from {n_users} sampled users (seed {cfg.seed}): connects {p.support} of "
            f"{n_facts} {cfg.target} facts without using them; confidence {_fmt(p.confidence)} "
            f"({p.support} of {p.body} pairs it links), PCA confidence {_fmt(p.pca_confidence)}"
            + ("; a hub cap skipped some paths" if p.truncated else "") + ".")
    weight = round(min(5.0, 1.0 + 4.0 * p.pca_confidence), 1)
    lines = [f"- id: {rid}",
             f"  description: {json.dumps(desc, ensure_ascii=False)}",
             f"  says: {json.dumps(_says(graph, p), ensure_ascii=False)}",
             "  path:"]
    lines += [f"    - {json.dumps(_step(p.moves, p.names, k))}" for k in range(len(p.moves))]
    lines.append(f"  weight: {weight:g}")
    if p.crowd:
        lines += ["  tags: [collaborative]", f"  min_support: {max(cfg.crowd_min, PRIVACY_FLOOR)}"]
        if cfg.crowd_min < MIN_SUPPORT:  # an explicit, logged override: the reader decides whether it stays
            lines.append("  min_support_reason: " + json.dumps(
                f"mined with --crowd-min {max(cfg.crowd_min, PRIVACY_FLOOR)}; keep this floor only if you "
                f"accept it, else raise min_support to {MIN_SUPPORT} and remove this line"))
    return "\n".join(lines) + "\n"
