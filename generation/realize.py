"""From chains to one checked sentence: the model's n-best first, the rule's template as fallback.

For each pair: linearize the chains -> the verbalizer's n best slot-level sentences -> refill the
exact labels -> the short names the catalog allows (generation.short), kept only when they read back
-> verify each, best first; the first one whose every claim a chain supports wins.
When none passes (or there is no verbalizer) the rule's own templates are said, and verified too.
If even those fail, the chosen template is returned with its failing verdict (the explainer drops
it): ``verified`` is only ever True for a sentence that passed :func:`generation.verify.verify`,
and ``source`` says who wrote the sentence shown: ``"model"`` or ``"template"`` (the rule's author).
No other sentence is ever made up on the way.
"""
from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from reasoning.chains import Chain
from generation.linearize import refill
from generation.short import item_as_it, shorten_chains
from generation.templates import audience_noun, fill_template, realize_chain_generic, realize_template, says_in, tidy
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
            n_best: int = 4, variant: int = 0, lang: str = "en") -> Realized:
    """One checked sentence for the chains of one pair (best chain first)."""
    return realize_many([chains], graph, ruleset, verbalizer, n_best, variant, lang)[0]


def realize_many(batch: Sequence[Chain | Sequence[Chain]], graph, ruleset,
                 verbalizer: SentenceModel | None = None, n_best: int = 4, variant: int = 0,
                 lang: str = "en") -> list[Realized]:
    """:func:`realize` for many pairs with one verbalizer call for all of them.

    The model first decodes greedily (one sentence each, the cheap call); only sources whose greedy
    sentence fails verification go back for ``n_best`` beams, then to the template. ``lang``: the
    sentences' language (the chains carry labels in it: generation.lang.relabel; the verbalizer is
    that language's model).
    """
    groups = [[c] if isinstance(c, Chain) else list(c) for c in batch]
    slots: list[dict[str, str]] = [{} for _ in groups]
    sources: dict[int, tuple[str, int]] = {}
    out: list[Realized | None] = [None] * len(groups)
    if verbalizer is not None and n_best > 0:
        for k, g in enumerate(groups):
            if g:
                source, slots[k], style = _source(g, graph, ruleset, lang)
                sources[k] = (source, style)
        todo = sorted(sources)
        for n, last in ((1, n_best == 1), (n_best, True)) if n_best > 1 else ((1, True),):
            if not todo:
                break
            beams = generate_styled(verbalizer, [sources[k][0] for k in todo], n, [sources[k][1] for k in todo])
            failed = []
            for k, texts in zip(todo, beams):
                r = _one(groups[k], graph, ruleset, list(texts)[:n], slots[k], variant, fallback=last, lang=lang)
                if r is None:
                    failed.append(k)
                else:
                    out[k] = r
            todo = failed
    return [r if r is not None else _one(g, graph, ruleset, [], {}, variant, lang=lang) for r, g in zip(out, groups)]


def _one(chains: list[Chain], graph, ruleset, beams: list[str], slots: dict[str, str], variant: int,
         fallback: bool = True, lang: str = "en") -> Realized | None:
    if not chains:
        raise ValueError("realize() needs at least one chain")
    tried = 0
    seen: set[str] = set()
    for beam in beams:
        text = tidy(refill(beam, slots), lang)
        if not text or text in seen:
            continue
        seen.add(text)
        tried += 1
        short, verdict = _shortest(text, chains, graph, ruleset, lang)
        if verdict.ok:
            return Realized(short, verdict, "model", tried)
    return _fallback(chains, graph, ruleset, variant, tried, lang) if fallback else None


def _fallback(chains: list[Chain], graph, ruleset, variant: int, tried: int, lang: str = "en") -> Realized:
    """The rule's templates (the chosen variant first); the first that verifies wins. When none
    does, the chosen one comes back with its failing verdict. A rule without a usable template
    (only possible for a Rule built in code) is said by the generic sentence, still verified."""
    first = chains[0]
    texts = _templates(first, ruleset, graph, variant, lang) or [realize_chain_generic(first, graph, variant, lang=lang)]
    if lang != "en":  # templates of a newer language may not all read back yet: the generic sentence last
        texts.append(realize_chain_generic(first, graph, variant, lang=lang))
    chosen_verdict = None
    for text in dict.fromkeys(t for t in texts if t):
        short, verdict = _shortest(text, chains, graph, ruleset, lang)
        chosen_verdict = chosen_verdict or verdict
        if verdict.ok:
            return Realized(short, verdict, "template", tried)
    return Realized(texts[0], chosen_verdict or verify(texts[0], chains, graph, ruleset, lang), "template", tried)


def _shortest(text: str, chains: list[Chain], graph, ruleset, lang: str = "en"):
    """The sentence with the short names its catalog allows and the item named again as "it", when that
    reads back; else with the short names only; else as it is. (English: short names and "it" are
    English forms; other languages are said as they are.)"""
    if lang == "en":
        short = shorten_chains(text, chains, graph)
        for candidate in dict.fromkeys((item_as_it(short, chains, graph), short)):  # "it" for the item named again
            if candidate != text:
                verdict = verify(candidate, chains, graph, ruleset)
                if verdict.ok:
                    return candidate, verdict
    return text, verify(text, chains, graph, ruleset, lang)


def _templates(chain: Chain, ruleset, graph, variant: int, lang: str = "en") -> list[str]:
    """The chain said with each of its rule's templates, template number ``variant`` first."""
    chosen = realize_template(chain, ruleset, graph, variant, generic=False, lang=lang)
    return [t for t in [chosen] + _other_templates(chain, ruleset, graph, lang) if t]


def _other_templates(chain: Chain, ruleset, graph, lang: str = "en") -> list[str]:
    try:
        plan = ruleset.plan(chain.rule) if hasattr(ruleset, "plan") else None
    except KeyError:
        return []
    rule = plan.rule if plan is not None else ruleset
    says = says_in(rule, lang) if rule is not None else ()
    texts = [fill_template(t, chain, plan=plan, rule=rule, graph=graph, lang=lang) for t in says]
    return [t for t in texts if t]


def _rule_of(chain: Chain, ruleset):
    try:
        return ruleset.get(chain.rule) if hasattr(ruleset, "get") else None
    except KeyError:
        return None


def _source(chains: list[Chain], graph, ruleset=None, lang: str = "en") -> tuple[str, dict[str, str], int]:
    """The model input as the verbalizer was trained (generation.verbalizer), and its slots."""
    from generation.verbalizer import source_for, style_for  # light: torch is imported lazily there
    item = _bound(chains, "item")
    user = _bound(chains, "user")
    lin = source_for(chains, item, user, graph.vocab, audience_noun(graph, _rule_of(chains[0], ruleset), lang), lang)
    return lin.source, dict(lin.slots), style_for(user or "", item or "")


def _bound(chains: list[Chain], var: str) -> str | None:
    for c in chains:
        b = c.binding(var)
        if b is not None:
            return b.key
    return None


def generate_styled(verbalizer: SentenceModel, sources: list[str], n: int,
                    styles: list[int] | None = None) -> list[list[str]]:
    """``verbalizer.generate`` with the per-pair styles when it takes them (models built elsewhere may not)."""
    if styles is None:
        return verbalizer.generate(sources, n)
    try:
        takes_styles = "styles" in inspect.signature(verbalizer.generate).parameters
    except (TypeError, ValueError):
        takes_styles = False
    if takes_styles:
        return verbalizer.generate(sources, n, styles=styles)  # type: ignore[call-arg]
    return verbalizer.generate(sources, n)
