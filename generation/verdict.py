"""A verdict as data: why a sentence was refused (the reason strings), the claims it was shown for
(:class:`Support`), and the stretches of text each says (:class:`Span`). :mod:`generation.verify`
builds verdicts; everything that reads one (API, page, schema, tests) can import this module alone."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reasoning.chains import Fact
from generation.claims import Claim, Mention, tokenize
from generation.lang.relabel import Fallback

NOT_IN_CHAIN = "entity not in the chain"
UNKNOWN_NAME = "name not in the graph"
WRONG_RELATION = "relation not between these entities in the chain"
NEGATED = "negated fact"
WRONG_NUMBER = "wrong number"
UNKNOWN_SLOT = "unknown slot token left in the text"
OTHER_USER = "mention of another user"
INCOMPLETE = "relation with no subject or object"
UNREAD = "words that say nothing the chain holds"
SAID_TWICE = "a fact said twice"
DANGLING = "a name or value outside any claim"
LOOP = "a name repeated in a loop"
ITEM_UNNAMED = "the item is never named"
FACT_UNSAID = "a fact of the chain left unsaid"
VALUE_UNSAID = "a value of the chain left unsaid (one the rule compares, a count, the user's own score)"
WRONG_COMPARISON = "a comparison the values do not bear out"
WRONG_AUDIENCE = "people counted with another catalog's noun"
UNCLEAR_IT = "'it' that may not mean the item (before it is named, or beside another product)"
NOT_THE_RULES_BOUND = "a bound other than the one the rule compares with"
SHORT_NO_BRAND = "a name shortened by its brand in a sentence that does not say the brand"
REASONS = (NOT_IN_CHAIN, UNKNOWN_NAME, WRONG_RELATION, NEGATED, WRONG_NUMBER, UNKNOWN_SLOT, OTHER_USER,
           INCOMPLETE, UNREAD, SAID_TWICE, DANGLING, LOOP, ITEM_UNNAMED, FACT_UNSAID, VALUE_UNSAID,
           WRONG_COMPARISON, WRONG_AUDIENCE, UNCLEAR_IT, SHORT_NO_BRAND, NOT_THE_RULES_BOUND)


@dataclass(frozen=True)
class Problem:
    """Something the chains do not support: a claim, a mention, or a fact the sentence owes."""

    reason: str
    claim: Claim | None = None
    mention: Mention | None = None
    fact: Fact | None = None

    def __str__(self) -> str:
        if self.mention is not None:
            what = self.mention.text
        elif self.claim is not None:
            what = _say(self.claim)
        elif self.fact is not None:
            what = f"{self.fact.subject_label} {self.fact.relation} {self.fact.object_label}"
        else:
            what = ""
        return f"{self.reason}: {what}"


@dataclass(frozen=True)
class Support:
    claim: Claim
    facts: tuple[Fact, ...]  # the chain facts that make it true


@dataclass(frozen=True)
class Span:
    """A stretch of the sentence: a claim (with the fact it reads and where its subject and object
    stand), or words that could not be read (with why)."""

    text: str
    start: int
    end: int
    fact: Fact | None = None
    why: str = ""
    subject: tuple[int, int] | None = None
    object: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, object]:
        if self.fact is None:
            return {"text": self.text, "start": self.start, "end": self.end, "why": self.why}
        f = self.fact
        side = lambda se: None if se is None else {"start": se[0], "end": se[1]}  # noqa: E731
        return {"text": self.text, "start": self.start, "end": self.end,
                "fact": {"subject": f.subject, "relation": f.relation, "object": f.object},
                "subject": side(self.subject), "object": side(self.object)}


@dataclass(frozen=True)
class Verdict:
    sentence: str
    verified: tuple[Support, ...]
    unsupported: tuple[Problem, ...]
    unsaid: tuple[Fact, ...]  # chain facts no verified claim says (only those the rule lets go when ok)
    ok: bool
    unread: tuple[Mention, ...] = ()  # stretches of the sentence that read as nothing of the chain
    fallbacks: tuple[Fallback, ...] = ()  # nodes named by a label in another language than asked

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.reason for p in self.unsupported))

    def claim_spans(self) -> tuple[Span, ...]:
        """Each verified claim as the stretch of text that says it and the fact it reads."""
        out = []
        for s in self.verified:
            c = s.claim
            parts = [p for p in (c.subject, c.object, *c.values) if p is not None and p.end > p.start]
            lo = min([c.span[0]] + [p.start for p in parts])
            hi = max([c.span[1]] + [p.end for p in parts])
            where = lambda m: (m.start, m.end) if m is not None and m.end > m.start else None  # noqa: E731
            out.append(Span(self.sentence[lo:hi], lo, hi, s.facts[0], "", where(c.subject), where(c.object)))
        return tuple(out)

    def problem_spans(self) -> tuple[Span, ...]:
        """Words that did not read back into the chain, each with the reason."""
        out = []
        for p in self.unsupported:
            m = p.mention
            if m is None and p.claim is not None:
                lo, hi = p.claim.span
                out.append(Span(self.sentence[lo:hi], lo, hi, why=p.reason))
            elif m is not None:
                out.append(Span(m.text, m.start, m.end, why=p.reason))
        return tuple(out)


def _say(claim: Claim | None) -> str:
    if claim is None:
        return ""
    side = lambda m: "?" if m is None else m.text  # noqa: E731
    return f"{'not ' if claim.negated else ''}{side(claim.subject)} {claim.phrase} {side(claim.object)}"


@lru_cache(maxsize=65536)
def norm(label: str) -> str:
    """A label as the claim reader compares it (lower case, no accents, tokens); cached: the same
    chain labels come back for every sentence checked."""
    return " ".join(t.word for t in tokenize(label))
