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
from generation.lang import languages
from generation.lang.relabel import relabel

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
    """R055 for each template the verifier cannot read back on a real chain of its rule, each
    language's templates (``says: {en: [...], zh: [...]}``) with that language's reader and labels."""
    chains = chains_per_rule(graph, rules) if chains is None else chains
    problems: list[Problem] = []
    relabelled: dict[tuple[str, str], list[Chain]] = {}
    for plan in rules.plans:
        rule = plan.rule
        for lang, template, pos in _templates(rule):
            if lang not in languages():  # no reader for it: nothing of it could ever be shown
                problems.append(Problem("R055", f"template ({lang}) of {rule.id!r} is in a language whyrec cannot "
                                        f"read back (known: {', '.join(languages())})", pos.file, pos.line, pos.col))
                continue
            key = (lang, rule.id)
            if key not in relabelled:  # a Chinese template names things by their Chinese labels
                relabelled[key] = relabel(chains.get(rule.id, ()), graph, lang)[0]
            for chain in relabelled[key]:
                text = fill_template(template, chain, plan=plan, rule=rule, graph=graph, lang=lang)
                if text is None:
                    continue
                verdict = verify(text, chain, graph, rules, lang)
                if not verdict.ok:
                    why = "; ".join(str(p) for p in verdict.unsupported[:3])
                    where = "" if lang == "en" else f" ({lang})"
                    problems.append(Problem("R055", f"template{where} of {rule.id!r} does not read back: \"{text}\" ({why})",
                                            pos.file, pos.line, pos.col))
                    break
    return problems


def _templates(rule) -> list[tuple[str, str, object]]:
    """(language, template, place in the file) of every template of ``rule``, English first; a rule
    file without per-language ``says`` has English ones only."""
    every = getattr(rule, "templates", None)
    if callable(every):
        return [(lang, text, pos) for lang, text, pos in every()]
    places = rule.says_pos or (rule.pos,) * len(rule.says)
    return [("en", t, pos) for t, pos in zip(rule.says, places)]
