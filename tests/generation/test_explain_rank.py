"""The explainer and the ranker together: the cached scorer, the first answer, re-ranking candidates."""
from __future__ import annotations

import pytest

import generation.explain as explain_module
from generation.explain import Explainer
from kg import load_graph
from reasoning import load_rules

from tests.generation.conftest import DEMO, RULES

PAIRS = [("u001", "p0050"), ("u022", "p0112"), ("u008", "p0038"), ("u015", "p0130")]


def said(e) -> list[tuple[str, str, float]]:
    return [(r.rule, r.text, round(r.score, 9)) for r in e.reasons]


def test_the_first_answer_equals_a_warm_one_and_the_scorer_is_trained_once(monkeypatch, tmp_path):
    calls = []
    import reasoning.calibrate as calibrate
    real = calibrate.train_ranker
    monkeypatch.setattr(calibrate, "train_ranker", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    answers = []
    for _ in range(2):  # two cold starts: a fresh graph, rules and explainer each time
        graph = load_graph(DEMO)
        ex = Explainer(graph, load_rules(RULES, graph), verbalizer=None, feedback=tmp_path / "fb.json")
        first = [said(ex.explain(u, i)) for u, i in PAIRS]
        warm = [said(ex.explain(u, i)) for u, i in PAIRS]
        assert first == warm and all(first)
        answers.append(first)
    assert answers[0] == answers[1] and len(calls) <= 1  # the second start reads the cached scorer


def test_rank_items_orders_candidates_by_their_best_reason(graph, rules, scorer, tmp_path):
    ex = Explainer(graph, rules, verbalizer=None, scorer=scorer, feedback=tmp_path / "fb.json")
    candidates = ["p0112", "p0050", "p0001", "p0200", "p0300"]
    ranked = ex.rank_items("u022", candidates, k=2)
    assert sorted(e.item for e in ranked) == sorted(candidates) and all(len(e.reasons) <= 2 for e in ranked)

    def score(e) -> float:
        return max((r.score for r in e.reasons), default=scorer.baseline(graph, graph.node(e.item)))

    scores = [score(e) for e in ranked]
    assert scores == sorted(scores, reverse=True)
    from reasoning.rank import rank_items
    plain = rank_items(graph, rules, scorer, "u022", candidates, k=2)
    assert [r.item for r in plain] == [e.item for e in ranked]
    assert [round(r.score, 9) for r in plain] == [round(s, 9) for s in scores]


def test_baseline_is_popularity_alone(graph, scorer):
    items = sorted(graph.items())[:40]
    popular = max(items, key=lambda k: len(graph.neighbors(graph.node(k), "purchased", reverse=True)))
    rare = min(items, key=lambda k: len(graph.neighbors(graph.node(k), "purchased", reverse=True)))
    assert scorer.contributions({"popularity": 1.0}).get("popularity", 0.0) > 0
    assert scorer.baseline(graph, graph.node(popular)) > scorer.baseline(graph, graph.node(rare))
    with pytest.raises(Exception):
        Explainer(graph, load_rules(RULES, graph), verbalizer=None, scorer=scorer).rank_items("u022", ["nope"])
