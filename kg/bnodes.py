"""Blank-node labels that depend on the graph's content only.

Parsers invent blank-node labels (some at random), so loading the same file twice,
or reloading a saved file, would otherwise give a different graph. Each blank node is
relabelled by hashing its facts, refined a few rounds with its neighbours' labels
(Weisfeiler-Lehman colouring). Blank nodes that no fact tells apart get one label and
merge, which keeps the graph's meaning (it is simple entailment-equivalent).
"""
from __future__ import annotations

import hashlib

import numpy as np

MAX_ROUNDS = 8


def canonical_bnodes(terms: list[str], rows: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``terms`` with every ``_:label`` replaced by a content-derived ``_:c<hash>`` label.

    Rows are remapped so that blank nodes given the same label share one term id.
    """
    blank = np.fromiter((t.startswith("_:") for t in terms), dtype=bool, count=len(terms))
    if not blank.any():
        return terms, rows
    touching = rows[blank[rows[:, 0]] | blank[rows[:, 2]]].tolist()
    facts: dict[int, list[tuple[str, int, int]]] = {int(b): [] for b in np.flatnonzero(blank)}
    for s, p, o in touching:
        if blank[s]:
            facts[s].append(("out", p, o))
        if blank[o]:
            facts[o].append(("in", p, s))
    colour = {b: "" for b in facts}
    distinct = 1
    for _ in range(MAX_ROUNDS):
        def show(x: int) -> str:
            return "_:" + colour[x] if blank[x] else terms[x]
        new = {}
        for b, fs in facts.items():
            sig = sorted(f"{d} {terms[p]} {show(x)}" for d, p, x in fs)
            new[b] = hashlib.sha1((colour[b] + "\n" + "\n".join(sig)).encode("utf-8")).hexdigest()[:20]
        colour = new
        now = len(set(colour.values()))
        if now == distinct:
            break
        distinct = now
    out = list(terms)
    first: dict[str, int] = {}
    remap = np.arange(len(terms), dtype=np.int64)
    for b in sorted(colour):
        label = "_:c" + colour[b]
        out[b] = label
        remap[b] = first.setdefault(label, b)
    return out, remap[rows] if len(rows) else rows
