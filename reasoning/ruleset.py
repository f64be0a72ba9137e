"""Loading a rule file into a validated :class:`RuleSet` (or one error listing every problem)."""
from __future__ import annotations

from pathlib import Path

from kg import KnowledgeGraph
from reasoning.errors import RuleError
from reasoning.plan import Plan
from reasoning.rulefile import read_rules
from reasoning.rules import Rule
from reasoning.validate import validate


class RuleSet:
    """Rules that passed validation against one graph, with their compiled plans."""

    def __init__(self, plans: tuple[Plan, ...], source: str = ""):
        self.plans = plans
        self.source = source

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(p.rule for p in self.plans)

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.plans)

    def get(self, rule_id: str) -> Rule:
        for p in self.plans:
            if p.rule.id == rule_id:
                return p.rule
        raise KeyError(rule_id)

    def plan(self, rule_id: str) -> Plan:
        for p in self.plans:
            if p.rule.id == rule_id:
                return p
        raise KeyError(rule_id)


def check_rules(path: str | Path, graph: KnowledgeGraph | None = None, text: str | bytes | None = None):
    """(plans, problems) for a rule file; never raises for bad rules."""
    rules, problems = read_rules(path, text)
    plans, more = validate(rules, graph)
    return plans, sorted(problems + more, key=lambda p: (p.file, p.line, p.col, p.code))


def load_rules(path: str | Path, graph: KnowledgeGraph | None = None) -> RuleSet:
    """Parse and validate a rule file against ``graph``; raises one RuleError listing every problem."""
    plans, problems = check_rules(path, graph)
    if problems:
        raise RuleError(problems, f"{len(problems)} problem(s) in {path}")
    return RuleSet(tuple(plans), str(path))


def plans_of(rules) -> tuple[Plan, ...]:
    if isinstance(rules, RuleSet):
        return rules.plans
    if isinstance(rules, (list, tuple)) and all(isinstance(p, Plan) for p in rules):
        return tuple(rules)
    raise TypeError("pass a RuleSet from load_rules()")
