"""A trained scorer is kept for the same graph, rules and options; anything else trains again."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import load_graph
from kg.cache import fingerprint
from reasoning import load_rules, train_scorer
from reasoning.scorer_cache import cached_scorer

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"


@pytest.fixture
def cache_on(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("WHYREC_CACHE", "1")
    monkeypatch.setenv("WHYREC_CACHE_DIR", str(tmp_path / "graphs"))
    return tmp_path / "scorers"


def test_second_call_reads_the_scorer_back(cache_on, tmp_path) -> None:
    graph = load_graph(DEMO, cache=False)
    rules = load_rules(RULES, graph)
    calls = []

    def train(g, r, **options):
        calls.append(options)
        return train_scorer(g, r, **options)
    first = cached_scorer(graph, rules, train, max_users=60)
    again = cached_scorer(load_graph(DEMO, cache=tmp_path / "c"), rules, train, max_users=60)
    assert len(calls) == 1 and again == first and first.trained
    cached_scorer(graph, rules, train, max_users=61)  # other options: another scorer
    other_rules = load_rules(RULES, graph)
    other_rules.plans = other_rules.plans[:-1]
    cached_scorer(graph, other_rules, train, max_users=60)  # other rules: another scorer
    assert len(calls) == 3
    for f in cache_on.glob("*.json"):
        f.write_text("{ damaged")
    cached_scorer(graph, rules, train, max_users=60)  # a damaged file is trained again
    assert len(calls) == 4


def test_fingerprint_follows_content_not_the_object(tmp_path) -> None:
    from tests.kg.tiny import tiny_builder
    a, b = tiny_builder().build(), tiny_builder().build()
    assert fingerprint(a) == fingerprint(b)
    path = tmp_path / "g.nt"
    a.save(path)
    load_graph(path, cache=tmp_path / "c")
    assert fingerprint(load_graph(path, cache=tmp_path / "c")) == fingerprint(a)
    path.write_text(path.read_text().replace("Glow Serum", "Glow"))
    assert fingerprint(load_graph(path, cache=False)) != fingerprint(a)
