"""Ranking a lazy result from its rows gives exactly what ranking every built Chain gives.

rank() scores the chains of a LazyChainResult without building them (reasoning/rank_views.py)
and builds only the picked ones; the answer (chains, scores to the last bit, features,
contributions in their order, penalties) must equal the eager path's, which scores a plain
ChainResult of the same chains with Scorer.explain. A scorer with a weight on every feature,
a bias and user weights makes every feature count.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg import load_graph
from kg.graph import KnowledgeGraph
from reasoning import find_chains, find_chains_many, load_rules
from reasoning.chains import ChainResult
from reasoning.features import FEATURES, REL_PREFIX, RULE_PREFIX, chain_features
from reasoning.rank import Scorer, UserWeights, rank
from reasoning.ruleset import RuleSet
from tests.reasoning.test_match_equivalence import EXTRA_RULES, ROOMY, _pairs, _plans

ROOT = Path(__file__).resolve().parents[2]
MAGAZINE = ROOT.parent / "shared" / "data" / "amazon_magazine_2018"
DEFAULT_RULES = ROOT / "data" / "rules" / "default.yaml"


def _scorer(graph: KnowledgeGraph, ruleset, seed: int) -> Scorer:
    rng = random.Random(seed)
    names = list(FEATURES) + [RULE_PREFIX + p.rule.id for p in ruleset.plans]
    names += sorted({REL_PREFIX + h.relation for p in ruleset.plans for h in p.hops})
    return Scorer(tuple(names), tuple(round(rng.uniform(-2, 2), 3) for _ in names), bias=0.37)


def _eager(res) -> ChainResult:
    return ChainResult(res.user, res.item, tuple(res.chains), res.truncated, res.timed_out, res.notes)


def _same_answers(graph: KnowledgeGraph, ruleset, pairs, seed: int) -> int:
    scorer = _scorer(graph, ruleset, seed)
    picked = 0
    lazy_results = find_chains_many(graph, ruleset, pairs, ROOMY)
    for n, (u, i) in enumerate(pairs):
        for res in (lazy_results[n], find_chains(graph, ruleset, u, i, ROOMY)):
            eager = _eager(find_chains(graph, ruleset, u, i, ROOMY))
            weights = UserWeights(res.user, ((ruleset.plans[n % len(ruleset.plans)].rule.id, 0.8),),
                                  (("purchased", -0.3),)) if n % 3 == 0 else None
            for weak_chains in ("alone", "always", "drop", "keep"):
                want = rank(graph, ruleset, eager, scorer, 3, weights, weak_chains=weak_chains)
                got = rank(graph, ruleset, res, scorer, 3, weights, weak_chains=weak_chains)
                assert [(r.chain, r.chain.nodes, r.score, r.features, list(r.contributions.items()), r.penalty)
                        for r in got] == \
                       [(r.chain, r.chain.nodes, r.score, r.features, list(r.contributions.items()), r.penalty)
                        for r in want], f"pair {n} ({u}, {i}), weak_chains={weak_chains}"
                picked += len(got)
            assert "chains" not in res.__dict__  # ranking built only the picked chains
            for view, chain in zip(res.views(), eager.chains):  # every chain's features, not only the picked
                assert view.build() == chain
    return picked


@pytest.fixture(scope="module")
def demo() -> KnowledgeGraph:
    return load_graph(ROOT / "data" / "demo")


def test_demo_default_rules(demo: KnowledgeGraph) -> None:
    rules = load_rules(DEFAULT_RULES, demo)
    assert _same_answers(demo, rules, _pairs(demo, 60, seed=3), seed=1) > 100


def test_demo_extra_shapes(demo: KnowledgeGraph) -> None:
    """Lookups, values on facts (scores, dates), crowds, negations, conditions."""
    rules = RuleSet(_plans(demo, EXTRA_RULES), "extra.yaml")
    assert _same_answers(demo, rules, _pairs(demo, 60, seed=4), seed=2) > 50


def test_features_of_rows_equal_chain_features(demo: KnowledgeGraph) -> None:
    from reasoning.rank_views import view_features
    rules = RuleSet(load_rules(DEFAULT_RULES, demo).plans + _plans(demo, EXTRA_RULES), "both")
    seen = 0
    for res in find_chains_many(demo, rules, _pairs(demo, 40, seed=5), ROOMY):
        for view in res.views():
            assert view_features(view, rules.plan(view.rule), demo) == chain_features(view.build(), demo, rules)
            seen += 1
    assert seen > 200


def test_rows_of_another_graph_take_the_chain_path(demo: KnowledgeGraph, tmp_path) -> None:
    """Chains found on one graph and ranked on another (a masked copy) are scored from their bindings."""
    rules = load_rules(DEFAULT_RULES, demo)
    other = load_graph(ROOT / "data" / "demo")
    assert other is not demo
    pairs = _pairs(demo, 20, seed=6)
    scorer = _scorer(demo, rules, 7)
    for res, (u, i) in zip(find_chains_many(demo, rules, pairs, ROOMY), pairs):
        want = rank(other, rules, _eager(find_chains(demo, rules, u, i, ROOMY)), scorer)
        assert [(r.chain, r.score) for r in rank(other, rules, res, scorer)] == [(r.chain, r.score) for r in want]


@pytest.mark.skipif(not MAGAZINE.exists(), reason="the shared Amazon Magazine data is not here")
def test_magazine_default_rules() -> None:
    g = load_graph(MAGAZINE)
    rules = load_rules(DEFAULT_RULES, g)
    rng = random.Random(8)
    users, items = sorted(g.users()), sorted(g.items())
    pairs = [(rng.choice(users), rng.choice(items)) for _ in range(40)]
    for u in users[:10]:  # the user's own neighbourhood: pairs with chains
        bought = g.neighbors(g.node(u), "purchased").tolist()
        pairs += [(u, g.key(b)) for b in bought[:2]]
    assert _same_answers(g, rules, pairs, seed=9) > 0
