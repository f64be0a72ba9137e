"""Justification chains: the exact facts, with labels, that link a user to an item."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    """One fact of the graph. ``subject`` is None for a crowd of other shoppers (see ``count``)."""

    subject: str | None
    relation: str
    object: str
    subject_label: str
    object_label: str
    subject_type: str = "Thing"
    object_type: str = "Thing"
    is_value: bool = False  # object is a literal value (a price, a budget)
    count: int | None = None  # how many other shoppers stand behind a crowd fact
    values: tuple[tuple[str, str | float], ...] = ()  # values on the fact: score, date ...

    def to_dict(self) -> dict[str, object]:
        return {"subject": self.subject, "subject_label": self.subject_label, "subject_type": self.subject_type,
                "relation": self.relation, "object": self.object, "object_label": self.object_label,
                "object_type": self.object_type, "is_value": self.is_value, "count": self.count,
                "values": dict(self.values)}


@dataclass(frozen=True)
class Binding:
    """What a rule variable stands for: a node (key, label, type) or a value."""

    key: str
    label: str
    type: str
    is_value: bool = False


@dataclass(frozen=True)
class Chain:
    rule: str
    facts: tuple[Fact, ...]
    bindings: tuple[tuple[str, Binding], ...]
    nodes: tuple[int, ...] = field(default=(), compare=False)  # spine node ids (-1: crowd)
    support: int | None = None  # collaborative rules: distinct other shoppers behind it
    specificity: float = 0.0  # higher: middle nodes are rarer (less of a hub)

    def binding(self, var: str) -> Binding | None:
        for name, b in self.bindings:
            if name == var:
                return b
        return None

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "support": self.support, "specificity": round(self.specificity, 4),
                "facts": [f.to_dict() for f in self.facts],
                "bindings": {k: {"key": b.key, "label": b.label, "type": b.type, "is_value": b.is_value}
                             for k, b in self.bindings}}


@dataclass(frozen=True)
class ChainResult:
    """All chains for one pair, and whether a cap or the time budget cut the search short."""

    user: str
    item: str
    chains: tuple[Chain, ...]
    truncated: bool = False  # a hub cap or a per-rule chain cap dropped candidates
    timed_out: bool = False  # the time/work budget ran out before every rule was tried
    notes: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many chains (a lazy result answers without building them)."""
        return len(self.chains)
