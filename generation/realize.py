"""From chains to one checked sentence: the model's n-best first, the rule's template as fallback.

For each pair: linearize the chains -> the verbalizer's n best slot-level sentences -> refill the
exact labels -> verify each, best first; the first one whose every claim a chain supports wins.
When none passes (or there is no verbalizer) the rule's template is said, and verified too. If even
that fails, the template is returned with its failing verdict: ``verified`` is only ever True for a
sentence that passed :func:`generation.verify.verify`.
"""
from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from reasoning.chains import Chain
from generation.linearize import refill
from generation.templates import fill_template, realize_chain_generic, realize_template, tidy
from generation.verify import Verdict, verify


class SentenceModel(Protocol):
    """What realize() needs of a verbalizer: n-best slot-level sentences for each source."""

    def generate(self, sources: list[str], n: int) -> list[list[str]]: ...


@dataclass(frozen=True)
class Realized:
    text: str
    verdict: Verdict
    source: str  # "model" | "template"
    tried: int  # model sentences checked (including the winner when source == "model")

    @property
    def verified(self) -> bool:
        return self.verdict.ok


def realize(chains: Chain | Sequence[Chain], graph, ruleset, verbalizer: SentenceModel | None = None,
            n_best: int = 4, variant: int = 0) -> Realized:
    """One checked sentence for the chains of one pair (best chain first)."""
    return realize_many([chains], graph, ruleset, verbalizer, n_best, variant)[0]


def realize_many(batch: Sequence[Chain | Sequence[Chain]], graph, ruleset,
                 verbalizer: SentenceModel | None = None, n_best: int = 4, variant: int = 0) -> list[Realized]:
    """:func:`realize` for many pairs with one verbalizer call for all of them."""
    groups = [[c] if isinstance(c, Chain) else list(c) for c in batch]
    beams: list[list[str]] = [[] for _ in groups]
    slots: list[dict[str, str]] = [{} for _ in groups]
    todo = [k for k, g in enumerate(groups) if g]
    if verbalizer is not None and todo and n_best > 0:
        sources, styles = [], []
        for k in todo:
            source, slots[k], style = _source(groups[k], graph)
            sources.append(source)
            styles.append(style)
        out = _generate(verbalizer, sources, n_best, styles)
        for k, texts in zip(todo, out):
            beams[k] = list(texts)[:n_best]
    return [_one(g, graph, ruleset, beams[k], slots[k], variant) for k, g in enumerate(groups)]


def _one(chains: list[Chain], graph, ruleset, beams: list[str], slots: dict[str, str], variant: int) -> Realized:
    if not chains:
        raise ValueError("realize() needs at least one chain")
    tried = 0
    seen: set[str] = set()
    for beam in beams:
        text = tidy(refill(beam, slots))
        if not text or text in seen:
            continue
        seen.add(text)
        tried += 1
        verdict = verify(text, chains, graph)
        if verdict.ok:
            return Realized(text, verdict, "model", tried)
    return _fallback(chains, graph, ruleset, variant, tried)


def _fallback(chains: list[Chain], graph, ruleset, variant: int, tried: int) -> Realized:
    """The rule's templates (the chosen variant first), then the generic sentence; the first that
    verifies wins. When none does, the chosen template comes back marked unverified."""
    first = chains[0]
    chosen = realize_template(first, ruleset, graph, variant)
    candidates = [chosen] + _other_templates(first, ruleset, graph) + [realize_chain_generic(first, graph, variant)]
    for text in dict.fromkeys(t for t in candidates if t):
        verdict = verify(text, chains, graph)
        if verdict.ok:
            return Realized(text, verdict, "template", tried)
    return Realized(chosen, verify(chosen, chains, graph), "template", tried)


def _other_templates(chain: Chain, ruleset, graph) -> list[str]:
    try:
        plan = ruleset.plan(chain.rule) if hasattr(ruleset, "plan") else None
    except KeyError:
        return []
    rule = plan.rule if plan is not None else ruleset
    says = getattr(rule, "says", ()) if rule is not None else ()
    texts = [fill_template(t, chain, plan=plan, rule=rule, graph=graph) for t in says]
    return [t for t in texts if t]


def _source(chains: list[Chain], graph) -> tuple[str, dict[str, str], int]:
    """The model input as the verbalizer was trained (generation.verbalizer), and its slots."""
    from generation.verbalizer import source_for, style_for  # light: torch is imported lazily there
    item = _bound(chains, "item")
    user = _bound(chains, "user")
    lin = source_for(chains, item, user, graph.vocab)
    return lin.source, dict(lin.slots), style_for(user or "", item or "")


def _bound(chains: list[Chain], var: str) -> str | None:
    for c in chains:
        b = c.binding(var)
        if b is not None:
            return b.key
    return None


def _generate(verbalizer: SentenceModel, sources: list[str], n: int, styles: list[int]) -> list[list[str]]:
    try:
        takes_styles = "styles" in inspect.signature(verbalizer.generate).parameters
    except (TypeError, ValueError):
        takes_styles = False
    if takes_styles:
        return verbalizer.generate(sources, n, styles=styles)  # type: ignore[call-arg]
    return verbalizer.generate(sources, n)
