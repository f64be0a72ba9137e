"""What the explainer returns: frozen, JSON-ready, and free of anyone else's data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reasoning.chains import Chain, Fact


@dataclass(frozen=True)
class Reason:
    """One short, checked sentence and the chain of facts behind it."""

    text: str
    rule: str
    score: float
    verified: bool
    chain: Chain
    source: str  # "model" or "template"
    verified_claims: tuple[str, ...] = ()
    unsupported_claims: tuple[str, ...] = ()
    unsaid_facts: tuple[str, ...] = ()
    contributions: tuple[tuple[str, float], ...] = ()  # why it ranked where it did
    claims: tuple = ()  # generation.verify.Span: each claim's stretch of text and the fact it reads
    unread: tuple = ()  # generation.verify.Span: words that did not read back (empty when shown)
    verdict_ok: bool = True

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.chain.facts

    def relations(self) -> tuple[str, ...]:
        return tuple(sorted({f.relation for f in self.chain.facts}))

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "rule": self.rule, "score": round(self.score, 4), "verified": self.verified,
                "source": self.source, "facts": [f.to_dict() for f in self.chain.facts],
                "support": self.chain.support,
                "verdict": {"ok": self.verdict_ok, "claims": [c.to_dict() for c in self.claims],
                            "unread": [u.to_dict() for u in self.unread], "unsaid": list(self.unsaid_facts),
                            "problems": list(self.unsupported_claims), "verified": list(self.verified_claims)},
                "ranking": {k: round(v, 4) for k, v in self.contributions}}


@dataclass(frozen=True)
class Explanation:
    """Why ``item`` for ``user``: up to k reasons, or an empty result that says why it is empty."""

    user: str
    item: str
    item_label: str
    reasons: tuple[Reason, ...]
    message: str = ""
    truncated: bool = False
    timed_out: bool = False
    notes: tuple[str, ...] = ()
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)  # stage -> milliseconds

    @property
    def empty(self) -> bool:
        return not self.reasons

    def to_dict(self) -> dict[str, Any]:
        return {"user": self.user, "item": self.item, "item_label": self.item_label,
                "reasons": [r.to_dict() for r in self.reasons], "message": self.message,
                "truncated": self.truncated, "timed_out": self.timed_out, "notes": list(self.notes),
                "timings_ms": {k: round(v, 3) for k, v in self.timings}}
