"""Running the ``expect`` examples of a rule file: unit tests written by the domain expert.

An example ``{user: u001, item: p0042, match: yes}`` passes when :func:`find_chains`, given
only that rule, returns at least one chain for the pair (``match: no``: none). An example that
names a user or item the graph lacks fails with R071; one that contradicts the rule, with R090,
saying which step or condition stopped it (:mod:`reasoning.diagnose`).
"""
from __future__ import annotations

from dataclasses import dataclass

from kg import KGError, KnowledgeGraph
from reasoning.diagnose import why_no_chain
from reasoning.match import Budget, find_chains, resolve
from reasoning.plan import Plan
from reasoning.rules import Expect
from reasoning.ruleset import RuleSet, plans_of

# Examples are few and a wrong verdict misleads an expert: give each pair plenty of time.
EXPECT_BUDGET = Budget(seconds=5.0, max_work=20_000_000)


@dataclass(frozen=True)
class ExpectResult:
    rule: str
    expect: Expect
    passed: bool
    chains: int  # chains found for the pair (0 when the pair could not be tried)
    code: str | None = None  # R071 unknown user/item, R090 wrong verdict
    message: str = ""

    @property
    def where(self) -> str:
        return f"{self.expect.pos.file}:{self.expect.pos.line}:{self.expect.pos.col}"

    def __str__(self) -> str:
        verdict = "pass" if self.passed else "FAIL"
        head = f"{self.where}: {verdict} {self.rule} {self.expect.user} -> {self.expect.item} (match: " \
               f"{'yes' if self.expect.match else 'no'})"
        return head + (f": {self.code} {self.message}" if not self.passed else "")


def run_expects(graph: KnowledgeGraph, rules: RuleSet | tuple[Plan, ...], budget: Budget = EXPECT_BUDGET
                ) -> list[ExpectResult]:
    """Every example of every rule, in file order."""
    results: list[ExpectResult] = []
    for plan in plans_of(rules):
        one = RuleSet((plan,))
        for ex in plan.rule.expect:
            results.append(_run(graph, one, plan, ex, budget))
    return sorted(results, key=lambda r: (r.expect.pos.file, r.expect.pos.line, r.expect.pos.col))


def _run(graph: KnowledgeGraph, one: RuleSet, plan: Plan, ex: Expect, budget: Budget) -> ExpectResult:
    rid = plan.rule.id
    for what, key in (("user", ex.user), ("item", ex.item)):
        try:
            resolve(graph, key, what)  # among the users (items): a user and an item may share an id
        except KGError as exc:
            why = f"unknown {what} {key!r}" if exc.code == "K040" else exc.message
            return ExpectResult(rid, ex, False, 0, "R071", f"{why} ({exc.hint})")
    found = find_chains(graph, one, ex.user, ex.item, budget)
    n = len(found.chains)
    if (n > 0) == ex.match:
        return ExpectResult(rid, ex, True, n)
    if ex.match:
        why = "the search ran out of budget" if found.timed_out else (
            "a hub cap cut the search" if found.truncated else
            why_no_chain(graph, plan, graph.node(ex.user), graph.node(ex.item), budget))
        return ExpectResult(rid, ex, False, 0, "R090", f"expected a match, but {why}")
    return ExpectResult(rid, ex, False, n, "R090", f"expected no match, but found {n} chain(s)")
