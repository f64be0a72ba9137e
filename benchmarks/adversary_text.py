"""What the adversary knows about one correct sentence: where the chain's names and numbers are
written, who the user and the item are, and how to say a fact in the catalog's own words.

Only the chain, the graph's vocabulary and generation.phrasing (the catalog's wording) are used:
never the verifier's reader.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from reasoning.chains import Binding, Chain, Fact
from generation.phrasing import SYMMETRIC, crowd_verb, phrasing, say_fact
from generation.templates import tidy
from benchmarks.independent_check import chain_names, chain_numbers, find_spans

AUDIENCE_WORDS = ("shoppers", "people", "viewers", "readers", "customers", "buyers", "listeners")


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    role: str  # "score" | "count" | "value"


@dataclass(frozen=True)
class Ctx:
    text: str
    chain: Chain
    others: tuple[Chain, ...]
    graph: object
    user: str | None
    item: Binding | None
    names: tuple[tuple[str, str], ...]  # (key, label) of the chain's named nodes
    spans: tuple[tuple[int, int, str, str], ...]  # where they are written
    numbers: tuple[Number, ...]  # chain numbers written in the text
    latest: str | None  # the latest date any given chain knows (ISO text)
    audience: str

    @property
    def base(self) -> str:
        """The sentence without its final stop (one character: a label may end in '.'), ready for a
        clause to be added."""
        text = self.text.rstrip()
        return text[:-1] if text.endswith((".", "!", "?")) else text

    def spans_of(self, key: str) -> list[tuple[int, int, str, str]]:
        return [s for s in self.spans if s[2] == key]

    def free(self, start: int, end: int) -> bool:
        """True when [start, end) touches no written name."""
        return not any(s < end and start < e for s, e, _, _ in self.spans)

    def label(self, key: str) -> str:
        return dict(self.names).get(key, key)


def context(text: str, chain: Chain, others: Sequence[Chain], graph) -> Ctx:
    names = tuple(chain_names(chain))
    spans = tuple(find_spans(text, names))
    user = chain.binding("user").key if chain.binding("user") is not None else next(
        (f.subject for f in chain.facts if f.subject is not None and f.subject_type == "User"), None)
    dates = [str(v) for c in (chain, *others) for f in c.facts for k, v in f.values if k == "date"]
    audience = getattr(graph, "audience", None) or "shoppers"
    ctx = Ctx(text, chain, tuple(others), graph, user, chain.binding("item"), names, spans, (),
              max(dates) if dates else None, audience)
    return replace(ctx, numbers=tuple(_numbers(ctx)))


def _numbers(ctx: Ctx) -> list[Number]:
    wanted = chain_numbers(ctx.chain)
    scores = {float(v) for f in ctx.chain.facts for k, v in f.values if k == "score"}
    counts = {float(f.count) for f in ctx.chain.facts if f.count is not None}
    if ctx.chain.support is not None:
        counts.add(float(ctx.chain.support))
    out = []
    for m in re.finditer(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", ctx.text):
        x = float(m.group(0))
        if x in wanted and ctx.free(*m.span()):
            role = "count" if x in counts else "score" if x in scores else "value"
            out.append(Number(m.start(), m.end(), x, role))
    return out


def days_between(a: str, b: str) -> int:
    """Days between two ISO dates; a huge number when either is not a date (nothing is recent)."""
    from datetime import date
    try:
        return abs((date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days)
    except ValueError:
        return 10 ** 6


# -- editing text ------------------------------------------------------------------------------

def splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def lower_first(text: str) -> str:
    """'You bought X' -> 'you bought X'; a sentence that starts with a name keeps its capital."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first in ("You", "Your", "Shoppers", "Like", "People") else text


def free_matches(ctx: Ctx, pattern: str, flags: int = 0) -> list[re.Match[str]]:
    """Matches of ``pattern`` that touch no written name."""
    return [m for m in re.finditer(pattern, ctx.text, flags) if ctx.free(*m.span())]


def number_text(x: float, like: str = "") -> str:
    """``x`` written as the number it replaces was (cents kept when the original had them)."""
    if "." in like and not float(x).is_integer():
        return f"{x:.2f}"
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


# -- saying facts in the catalog's words -------------------------------------------------------

def clause(ctx: Ctx, fact: Fact, variant: int = 0) -> str:
    return say_fact(fact, getattr(ctx.graph, "vocab", None), variant, ctx.user)


def generic(ctx: Ctx, facts: Sequence[Fact], variant: int = 0, swap: dict[int, str] | None = None) -> str:
    """The facts said one clause each (no merged clauses: nothing implied by 'also' or 'like'),
    clause k replaced by ``swap[k]`` when given."""
    parts = [(swap or {}).get(k) or clause(ctx, f, variant + k) for k, f in enumerate(facts)]
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return tidy(text)


def node_verb(ctx: Ctx, relation: str) -> str:
    """'is made by': the canonical verb of ``relation`` for a node subject."""
    return phrasing(relation, getattr(ctx.graph, "vocab", None)).verbs[0]


def user_verb(ctx: Ctx, relation: str) -> str:
    """'bought', 'rated', 'looked at': how the user's (or a crowd's) act is said after 'who'."""
    try:
        return crowd_verb(relation, getattr(ctx.graph, "vocab", None))
    except (IndexError, KeyError):
        return relation.replace("_", " ")


def user_facts(ctx: Ctx) -> list[Fact]:
    return [f for f in ctx.chain.facts if f.subject is not None and f.subject == ctx.user and not f.is_value]


def same_fact(a: Fact, b: Fact) -> bool:
    """The same fact, reading symmetric relations both ways."""
    if a.relation != b.relation:
        return False
    if (a.subject, a.object) == (b.subject, b.object):
        return True
    return a.relation in SYMMETRIC and (a.subject, a.object) == (b.object, b.subject)


def catalog_words(ctx: Ctx) -> set[str]:
    """Lower-case words of the chain's labels and of every relation's label and phrases."""
    words = {w.lower() for _, label in ctx.names for w in re.findall(r"[\w'-]+", label)}
    return words | _relation_words(ctx.graph)


@lru_cache(maxsize=16)
def _relation_words(graph) -> frozenset[str]:
    vocab = getattr(graph, "vocab", None)
    words: set[str] = set()
    for rel in getattr(vocab, "relations", ()):
        for t in (rel.label, rel.inverse, *rel.phrases, *phrasing(rel.name, vocab).verbs):
            words.update(w.lower() for w in re.findall(r"[\w'-]+", t or ""))
    return frozenset(words)
