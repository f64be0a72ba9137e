"""What the explainer returns: frozen, JSON-ready, and free of anyone else's data.

``to_dict()`` follows the versioned JSON Schema ``whyrec/schema/explanation.v1.json`` (its
``$id`` is :data:`SCHEMA_ID`); what a page shows is at the top, how the ranker got there only
under ``debug`` (``to_dict(debug=True)``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reasoning.chains import Binding, Chain, Fact

SCHEMA_ID = "https://whyrec.dev/schema/explanation.v1.json"

# (relation name, unit, currency): how the values of a relation are measured, as the catalog says
Units = tuple[tuple[str, "str | None", "str | None"], ...]


@dataclass(frozen=True)
class Reason:
    """One short, checked sentence and the chain of facts behind it.

    ``claims`` (each with ``.text``, ``.start``, ``.end`` and the ``.fact`` it says) and ``unread``
    (words the verifier could not read, each with ``.text``, ``.start``, ``.end``, ``.why``) are
    spans of ``text``; ``verdict_ok`` is the verifier's verdict on the whole sentence.
    """

    text: str
    rule: str
    score: float  # the ranker's logit, with this user's weights: unbounded, for debugging
    verified: bool
    chain: Chain
    source: str  # "model" or "template"
    verified_claims: tuple[str, ...] = ()
    unsupported_claims: tuple[str, ...] = ()
    unsaid_facts: tuple[str, ...] = ()
    contributions: tuple[tuple[str, float], ...] = ()  # why it ranked where it did
    rank: int = 0  # 1 for the first reason shown
    confidence: float | None = None  # calibrated, in [0, 1]; None when the ranker has no calibration
    title: str = ""  # the rule's title (or its id in words)
    description: str = ""  # the rule's description
    tags: tuple[str, ...] = ()  # the rule's tags
    units: Units = ()  # units and currencies of the values in ``chain``
    claims: tuple = ()
    unread: tuple = ()
    verdict_ok: bool = True
    you: str = field(default="you", compare=False)  # the user as the facts name them ("你" in Chinese)

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.chain.facts

    def relations(self) -> tuple[str, ...]:
        return tuple(sorted({f.relation for f in self.chain.facts}))

    def to_dict(self, debug: bool = False) -> dict[str, Any]:
        units = {name: (unit, currency) for name, unit, currency in self.units}
        out: dict[str, Any] = {
            "rank": self.rank, "text": self.text,
            "confidence": None if self.confidence is None else round(float(self.confidence), 4),
            "verified": self.verified, "source": self.source,
            "rule": {"id": self.rule, "title": self.title or self.rule.replace("-", " ").capitalize(),
                     "description": self.description, "tags": list(self.tags)},
            "facts": [_fact(f, units, self.chain.binding("user"), self.you) for f in self.chain.facts],
            "support": self.chain.support,
            "verdict": {"ok": bool(self.verdict_ok),
                        "claims": [c.to_dict() for c in self.claims],  # generation.verify.Span
                        "unread": [u.to_dict() for u in self.unread],
                        "unsaid": list(self.unsaid_facts), "problems": list(self.unsupported_claims)}}
        if debug:
            out["debug"] = {"score": round(self.score, 4), "ranking": {k: round(v, 4) for k, v in self.contributions},
                            "verified_claims": list(self.verified_claims)}
        return out


def _quantity(value: object, unit_currency: tuple[str | None, str | None] | None) -> dict[str, Any]:
    unit, currency = unit_currency or (None, None)
    return {"value": value, "unit": unit, "currency": currency}


def _fact(f: Fact, units: dict[str, tuple[str | None, str | None]], user: Binding | None,
          you: str = "you") -> dict[str, Any]:
    """A fact as JSON; a value object and the values on the fact carry their unit or currency.
    The user's own node is labelled "you": a page never shows the shop's id for its reader."""
    unit, currency = units.get(f.relation, (None, None)) if f.is_value else (None, None)
    mine = user is not None and f.subject == user.key and f.subject_type == user.type
    return {"subject": f.subject, "subject_label": you if mine else f.subject_label, "subject_type": f.subject_type,
            "relation": f.relation, "object": f.object, "object_label": f.object_label,
            "object_type": f.object_type, "is_value": f.is_value, "unit": unit, "currency": currency,
            "count": f.count, "values": {k: _quantity(v, units.get(k)) for k, v in f.values}}


@dataclass(frozen=True)
class Explanation:
    """Why ``item`` for ``user``: up to k reasons, or an empty result that says why it is empty.

    ``calibration`` says what ``confidence`` was calibrated on (``reasoning.calibrate``).
    """

    user: str
    item: str
    item_label: str
    reasons: tuple[Reason, ...]
    message: str = ""
    truncated: bool = False
    timed_out: bool = False
    notes: tuple[str, ...] = ()
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)  # stage -> milliseconds
    calibration: object = field(default=None, compare=False)  # reasoning.calibrate.Calibration | None

    @property
    def empty(self) -> bool:
        return not self.reasons

    def to_dict(self, debug: bool = False) -> dict[str, Any]:
        """JSON-ready data following ``whyrec/schema/explanation.v1.json``; ``debug`` adds how the
        ranker scored each reason and the time of each stage."""
        cal = self.calibration
        out: dict[str, Any] = {
            "schema": SCHEMA_ID, "user": self.user, "item": self.item, "item_label": self.item_label,
            "reasons": [r.to_dict(debug) for r in self.reasons], "message": self.message,
            "truncated": self.truncated, "timed_out": self.timed_out, "notes": list(self.notes),
            "calibration": None if cal is None else {"method": cal.method, "basis": cal.basis,
                                                     "pairs": cal.pairs, "ece": cal.ece}}
        if debug:
            out["debug"] = {"timings_ms": {k: round(v, 3) for k, v in self.timings}}
        return out
