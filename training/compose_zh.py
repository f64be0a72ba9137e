"""Target sentences for a corpus in a language written without spaces (Chinese), slot-level.

The same sources as the English corpus (training/compose.py): the rule's own templates in the
language (``says: {zh: [...]}``) and the generic sentence of generation/templates.py, both said
with the language's phrase tables (generation/lang/), so every wording is one its reader knows;
the corpus keeps only sentences that reader verifies. Wording style k picks template k and
phrase variant k, so style stays a control the model can learn.

>>> join_spaceless(["你买过<P1>。", "<ITEM>出自<B1>。"], 1)
'你买过<P1>；而且<ITEM>出自<B1>。'
"""
from __future__ import annotations

from collections.abc import Sequence

from generation.linearize import Linearized
from generation.templates import realize_chain_generic, realize_template, says_in, tidy
from generation.verbalizer import STYLES
from reasoning.chains import Chain
from training.compose import Candidate, namer

# How two or three chain sentences become one: '；' keeps one chain's clauses from the next, the
# words after it are connectives of the Chinese reader's closed list (generation/lang/zh.py).
GLUES = ("；", "；而且", "；并且", "；同样")


def candidates_in(chain: Chain, user: str, item: str, lin: Linearized, graph, rules, lang: str
                  ) -> list[list[Candidate]]:
    """Per style: the wordings to try in order (the first one the reader accepts is the target)."""
    name = namer(lin)
    rule = _rule(rules, chain.rule)
    says = len(says_in(rule, lang)) if rule is not None else 0

    def template(k: int) -> Candidate:
        return lambda v: realize_template(chain, rules, graph, variant=k, name=name, generic=False, lang=lang) or None

    def generic(v: int) -> str | None:
        return realize_chain_generic(chain, graph, variant=v, name=name, lang=lang) or None

    per_style: list[list[Candidate]] = []
    for style in range(STYLES):
        order: list[Candidate] = []
        if says and style % 2 == 0:  # even styles: the rule's own words first; odd: the phrase tables'
            order.append(template(style // 2 % says))
        order.append(generic)
        order.extend(template(k) for k in range(says))
        per_style.append(order)
    return per_style


def _rule(rules, rule_id: str):
    if rules is None:
        return None
    try:
        return rules.get(rule_id)
    except KeyError:
        return None


def join_spaceless(parts: Sequence[str], style: int, lang: str = "zh") -> str:
    """Two or three chain sentences as one: '…；而且…' keeps each part's claims intact."""
    bodies = [p.rstrip("。.") for p in parts if p]
    glue = GLUES[style % len(GLUES)]
    return tidy(glue.join(bodies), lang)
