"""A pair linked only by weak evidence: the Explainer shows a lone weak reason only when it reaches the floor."""
from __future__ import annotations

from dataclasses import replace

import pytest

from generation.explain import Explainer
from kg import load_graph
from reasoning import load_rules
from reasoning.rank import weight_scorer
from tests.reasoning import evidence_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    folder = evidence_shop.write(tmp_path_factory.mktemp("weak"))
    graph = load_graph(folder)
    return graph, load_rules(folder / "rules.yaml", graph)


def test_a_weak_only_pair_below_the_floor_gets_no_reason_and_says_why(shop, tmp_path):
    graph, rules = shop
    high = replace(weight_scorer(), weak_floor=1e6)
    e = Explainer(graph, rules, verbalizer=None, scorer=high, feedback=tmp_path / "fb.json").explain("u00", "s07")
    assert e.reasons == () and "only weak links" in e.message and "weak_chains='always'" in e.message
    shown = Explainer(graph, rules, verbalizer=None, scorer=high, feedback=tmp_path / "fb.json",
                      weak_chains="always").explain("u00", "s07")
    assert len(shown.reasons) == 1 and shown.reasons[0].verified  # asked for: the best weak link, still checked
    dropped = Explainer(graph, rules, verbalizer=None, scorer=weight_scorer(), feedback=tmp_path / "fb.json",
                        weak_chains="drop").explain("u00", "s07")
    assert dropped.reasons == ()


def test_an_unknown_weak_chains_mode_is_refused_before_any_work(shop):
    graph, rules = shop
    with pytest.raises(Exception) as err:
        Explainer(graph, rules, verbalizer=None, scorer="weights", weak_chains="sometimes")
    assert getattr(err.value, "code", "") == "E004" and "always" in str(err.value)
