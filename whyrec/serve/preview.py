"""A rule fired on sample users before it is saved: its matches, both sentences and their verdicts.

For one rule of an edited file: sample users who have a fact for the rule's first step (seeded),
walk the rule's path from each to the items it could reach, and find the chains on those pairs
(the real matcher: conditions, guards and caps as when explaining). For one match per user the
rule's template sentence and the model's sentence are said and verified side by side, and a
fact the template says but the model drops is named.
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass

import numpy as np

from generation.linearize import refill
from generation.realize import realize_many
from generation.templates import tidy
from generation.verbalizer import source_for
from generation.verify import Verdict, verify
from kg import KnowledgeGraph
from kg.vocab import ITEM_CLASS, USER_CLASS
from reasoning.chains import Chain, Fact
from reasoning.diagnose import reachable
from reasoning.match import Budget, find_chains_many
from reasoning.plan import Plan
from reasoning.ruleset import RuleSet

CANDIDATES = 30  # items tried per sample user (those the rule's path reaches first, by id): keeps it under 1 s
PREVIEW_BUDGET = Budget(seconds=1.0)


@dataclass(frozen=True)
class Sentence:
    text: str
    ok: bool  # every claim verified against the chain
    source: str  # "template" | "model"
    claims: tuple[str, ...]
    problems: tuple[str, ...]
    unsaid: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    user: str
    item: str
    item_label: str
    items: int  # items the rule fires on for this user (among those tried)
    facts: tuple[dict, ...]
    template: Sentence
    model: Sentence | None
    dropped: tuple[str, ...]  # facts the template says and the model does not


@dataclass(frozen=True)
class Sample:
    users: tuple[str, ...]
    pool: int  # users with a fact for the first step (the sample is drawn from them)
    fired: int  # sample users with at least one match
    pairs: int  # (user, item) pairs tried
    matched: int  # pairs with a chain
    cut: int  # pairs where a cap or the budget cut the search
    tried_per_user: int = CANDIDATES  # items tried per user at most


def role_nodes(graph: KnowledgeGraph, role: str) -> np.ndarray:
    """Node ids of users or items: the graph's roles when it has them (``graph.user_nodes()``)."""
    nodes = getattr(graph, f"{role}_nodes", None)
    return np.asarray(nodes() if nodes is not None else graph.nodes_of(USER_CLASS if role == "user" else ITEM_CLASS))


class Recorder:
    """A verbalizer that remembers what it said for each source (a rejected sentence is shown too)."""

    def __init__(self, model):
        self.model = model
        self.said: dict[str, list[str]] = {}

    def generate(self, sources: list[str], n: int, styles: list[int] | None = None) -> list[list[str]]:
        out = self.model.generate(sources, n, styles=styles) if styles is not None else self.model.generate(sources, n)
        self.said.update(zip(sources, out))
        return out


def sample_users(graph: KnowledgeGraph, plan: Plan, n: int, seed: int) -> tuple[list[int], int]:
    """Up to n users (seeded) with a fact for the rule's first step, and how many have one."""
    hop = plan.hops[0]
    index = graph.edges(hop.relation)
    if index is None:
        return [], 0
    csr = index.out if hop.forward else index.inn
    users = np.asarray(role_nodes(graph, "user"), dtype=np.int64)
    pool = users[np.diff(csr.indptr)[users] > 0].tolist()
    return sorted(random.Random(seed).sample(pool, min(n, len(pool)))), len(pool)


def fire(graph: KnowledgeGraph, plan: Plan, users: list[int]) -> tuple[dict[int, list[Chain]], int, int]:
    """Chains per user (first item each, in id order), pairs tried, pairs cut."""
    items = set(role_nodes(graph, "item").tolist())
    pairs = []
    for u in users:
        reached = reachable(graph, plan, u, True)[-1]
        pairs += [(u, int(i)) for i in reached.tolist() if int(i) in items][:CANDIDATES]
    results = find_chains_many(graph, RuleSet((plan,)), pairs, PREVIEW_BUDGET)
    found: dict[int, list[Chain]] = {}
    for (u, _), res in zip(pairs, results):
        if res.chains:
            found.setdefault(u, []).append(res.chains[0])
    return found, len(pairs), sum(r.truncated or r.timed_out for r in results)


def _sentence(verdict: Verdict, source: str) -> Sentence:
    return Sentence(verdict.sentence, verdict.ok, source, tuple(_claim(s.claim) for s in verdict.verified),
                    tuple(str(p) for p in verdict.unsupported), tuple(_fact(f) for f in verdict.unsaid))


def _claim(claim) -> str:
    side = lambda m: "?" if m is None else m.text  # noqa: E731
    return f"{'not ' if claim.negated else ''}{side(claim.subject)} {claim.phrase} {side(claim.object)}"


def _fact(f: Fact) -> str:
    return f"{f.subject_label} {f.relation} {f.object_label}"


def sentences(graph: KnowledgeGraph, plan: Plan, chains: list[Chain], verbalizer) -> list[tuple[Sentence, Sentence | None, tuple[str, ...]]]:
    """(template, model, dropped facts) for each chain; one batched model call for all."""
    rules = RuleSet((plan,))
    templates = realize_many(chains, graph, rules, None)
    if verbalizer is None or not chains:
        return [(_sentence(t.verdict, "template"), None, ()) for t in templates]
    rec = Recorder(verbalizer)
    said = realize_many(chains, graph, rules, rec, n_best=1)
    out = []
    for chain, t, m in zip(chains, templates, said):
        if m.source == "model":
            model = m.verdict
        else:  # the model's sentence failed its check: show it anyway, with why
            user, item = chain.binding("user"), chain.binding("item")
            lin = source_for([chain], item.key if item else "", user.key if user else "", graph.vocab)
            beams = rec.said.get(lin.source) or [""]
            model = verify(tidy(refill(beams[0], lin.slots)), [chain], graph)
        said_by_template = {_fact(f) for f in t.verdict.unsaid}
        dropped = tuple(_fact(f) for f in model.unsaid if _fact(f) not in said_by_template)  # the verifier's own account
        out.append((_sentence(t.verdict, "template"), _sentence(model, "model"), dropped))
    return out


def preview(graph: KnowledgeGraph, plan: Plan, n: int, seed: int, verbalizer) -> tuple[Sample, list[Match]]:
    users, pool = sample_users(graph, plan, n, seed)
    found, tried, cut = fire(graph, plan, users)
    firsts = [(u, found[u][0]) for u in users if u in found]
    said = sentences(graph, plan, [c for _, c in firsts], verbalizer)
    matches = []
    for (u, chain), (template, model, dropped) in zip(firsts, said):
        item = chain.binding("item")
        matches.append(Match(graph.key(u), item.key if item else "", item.label if item else "", len(found[u]),
                             tuple(f.to_dict() for f in chain.facts), template, model, dropped))
    sample = Sample(tuple(graph.key(u) for u in users), pool, len(found), tried,
                    sum(len(v) for v in found.values()), cut)
    return sample, matches


def to_json(sample: Sample, matches: list[Match]) -> dict:
    return {"sample": asdict(sample), "matches": [asdict(m) for m in matches]}
