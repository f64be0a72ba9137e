"""A validated rule compiled for matching: the path as hops from ``user`` to ``item``."""
from __future__ import annotations

from dataclasses import dataclass

from reasoning.rules import Rule, Step


@dataclass(frozen=True)
class Hop:
    """Walk ``relation`` from spine variable j to j+1; ``forward`` when the fact reads that way."""

    relation: str
    forward: bool
    step: Step


@dataclass(frozen=True)
class Lookup:
    """``node_var relation var``: bind a literal value of a node (e.g. item price price)."""

    node_var: str
    relation: str
    var: str


@dataclass(frozen=True)
class Plan:
    rule: Rule
    vars: tuple[str, ...]  # spine variables; vars[0] == "user", vars[-1] == "item"
    hops: tuple[Hop, ...]
    lookups: tuple[Lookup, ...]
    values: tuple[tuple[str, int], ...]  # ('as' name, hop index)
    crowd: frozenset[str]  # variables standing for other shoppers: counted, never named

    @property
    def length(self) -> int:
        return len(self.hops)

    def value_hop(self, name: str) -> int | None:
        for n, k in self.values:
            if n == name:
                return k
        return None
