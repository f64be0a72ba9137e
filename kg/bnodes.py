"""Blank-node labels that depend on the graph's content, never on a parser's whims.

Parsers invent blank-node labels (some at random), so loading the same file twice, or
reloading a saved file, would otherwise give a different graph. Each blank node is
relabelled by hashing its facts, refined round by round with its neighbours' labels
(Weisfeiler-Lehman colouring) until the colouring stops splitting. Blank nodes that
still share a colour are told apart by a suffix in the order of their input labels, so
no two blank nodes ever merge: the graph keeps every fact.
"""
from __future__ import annotations

import hashlib

import numpy as np

MAX_ROUNDS = 64  # a chain of blank nodes longer than this is separated by input order
MAX_INDIVIDUALISE = 64  # ties left after this many are told apart by input order
WORK = 300_000  # node hashes per load at most: hostile nesting must not make a load slow


def canonical_bnodes(terms: list[str], rows: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``terms`` with every ``_:label`` replaced by a content-derived ``_:c<hash>`` label."""
    blank = np.fromiter((t.startswith("_:") for t in terms), dtype=bool, count=len(terms))
    if not blank.any():
        return terms, rows
    # Each distinct fact once: the builder drops repeated triples only after this, and a label that
    # counted a repeat would change when the saved (deduplicated) graph is loaded again.
    touching = sorted(set(map(tuple, rows[blank[rows[:, 0]] | blank[rows[:, 2]]].tolist())))
    facts: dict[int, list[tuple[str, int, int]]] = {int(b): [] for b in np.flatnonzero(blank)}
    for s, p, o in touching:
        if blank[s]:
            facts[s].append(("out", p, o))
        if blank[o]:
            facts[o].append(("in", p, s))
    rounds = max(2, min(MAX_ROUNDS, WORK // (2 * len(facts))))
    colour = _refine(terms, blank, facts, {b: "" for b in facts}, rounds)
    # Blank nodes still tied (two identical lists under one subject): single one out, refine
    # again, so that its neighbours follow it; automorphic choices give the same lines.
    for _ in range(MAX_INDIVIDUALISE if len(facts) * rounds * 4 <= WORK else 0):
        tied: dict[str, list[int]] = {}
        for b, c in colour.items():
            tied.setdefault(c, []).append(b)
        classes = sorted(c for c, members in tied.items() if len(members) > 1)
        if not classes:
            break
        chosen = min(tied[classes[0]], key=terms.__getitem__)
        colour[chosen] = hashlib.sha1((colour[chosen] + "!").encode("utf-8")).hexdigest()[:20]
        colour = _refine(terms, blank, facts, colour, rounds)
    out = list(terms)
    seen: dict[str, int] = {}
    for b in sorted(colour, key=lambda x: (colour[x], terms[x])):
        c = colour[b]
        k = seen.get(c, 0)
        seen[c] = k + 1
        out[b] = f"_:c{c}" + (f"x{k}" if k else "")
    return out, rows


def _refine(terms: list[str], blank: np.ndarray, facts: dict[int, list[tuple[str, int, int]]],
            colour: dict[int, str], rounds: int) -> dict[int, str]:
    """Weisfeiler-Lehman rounds until the colouring stops splitting (or ``rounds``)."""
    distinct = len(set(colour.values()))
    for _ in range(rounds):
        def show(x: int) -> str:
            return "_:" + colour[x] if blank[x] else terms[x]
        colour = {b: hashlib.sha1((colour[b] + "\n" + "\n".join(sorted(f"{d} {terms[p]} {show(x)}" for d, p, x in fs))
                                   ).encode("utf-8")).hexdigest()[:20] for b, fs in facts.items()}
        now = len(set(colour.values()))
        if now == distinct or now == len(colour):
            break
        distinct = now
    return colour
