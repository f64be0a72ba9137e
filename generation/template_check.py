"""Reading a rule's own ``says`` templates back, when the rules load: the expert learns at once
that a template cannot be shown, instead of seeing it silently replaced later.

Each template is filled with real chains of its rule (from the rule's ``expect`` examples first,
then from sampled pairs of the graph) and verified closed-world like any model sentence. A template
that fails on a chain is reported at its place in the file with the verifier's reasons (R055).
"""
from __future__ import annotations

import random
import time
from collections.abc import Sequence

from kg.vocab import ITEM_CLASS, USER_CLASS
from reasoning import Budget, find_chains_many
from reasoning.chains import Chain
from reasoning.errors import Problem
from generation.templates import fill_template
from generation.verify import verify

_PAIRS_PER_ROUND = 64


def chains_per_rule(graph, rules, want: int = 3, seconds: float = 3.0, seed: int = 0) -> dict[str, list[Chain]]:
    """Up to ``want`` chains of each rule: its ``expect`` pairs first, then random pairs, within ``seconds``."""
    found: dict[str, list[Chain]] = {p.rule.id: [] for p in rules.plans}
    budget = Budget()
    examples = [(e.user, e.item) for p in rules.plans for e in p.rule.expect if e.match]
    _collect(graph, rules, _resolvable(graph, examples), budget, found, want)
    users = graph.user_nodes() if hasattr(graph, "user_nodes") else graph.nodes_of(USER_CLASS)
    items = graph.item_nodes() if hasattr(graph, "item_nodes") else graph.nodes_of(ITEM_CLASS)
    if len(users) == 0 or len(items) == 0:
        return found
    rnd = random.Random(seed)
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(len(v) < want for v in found.values()):
        pairs = [(int(rnd.choice(users)), int(rnd.choice(items))) for _ in range(_PAIRS_PER_ROUND)]
        _collect(graph, rules, pairs, budget, found, want)
    return found


def _resolvable(graph, pairs: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    out = []
    for u, i in pairs:
        try:
            out.append((_node(graph, u, "user"), _node(graph, i, "item")))
        except Exception:  # an example naming an unknown id is `rules test`'s to report, not ours
            continue
    return out


def _node(graph, key: str, role: str) -> int:
    if hasattr(graph, "node_of"):
        return graph.node_of(key, role)
    return graph.node(key)


def _collect(graph, rules, pairs, budget: Budget, found: dict[str, list[Chain]], want: int) -> None:
    if not pairs:
        return
    for res in find_chains_many(graph, rules, pairs, budget):
        for c in res.chains:
            bucket = found.get(c.rule)
            if bucket is not None and len(bucket) < want and c not in bucket:
                bucket.append(c)


def check_templates(graph, rules, chains: dict[str, list[Chain]] | None = None) -> list[Problem]:
    """R055 for each template the verifier cannot read back on a real chain of its rule."""
    chains = chains_per_rule(graph, rules) if chains is None else chains
    problems: list[Problem] = []
    for plan in rules.plans:
        rule = plan.rule
        places = rule.says_pos or (rule.pos,) * len(rule.says)
        for template, pos in zip(rule.says, places):
            for chain in chains.get(rule.id, ()):
                text = fill_template(template, chain, plan=plan, rule=rule, graph=graph)
                if text is None:
                    continue
                verdict = verify(text, chain, graph, rules)
                if not verdict.ok:
                    why = "; ".join(str(p) for p in verdict.unsupported[:3])
                    problems.append(Problem("R055", f"template of {rule.id!r} does not read back: \"{text}\" ({why})",
                                            pos.file, pos.line, pos.col))
                    break
    return problems
