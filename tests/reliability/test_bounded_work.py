"""Bounded work: a hub of 100,000 products is not crossed, and a rule through hubs stops at its budget.

Both say so in the result (ChainResult / Explanation .truncated and .timed_out) with the default
reasoning.Budget. Times are not asserted here: benchmarks/fuzz.py --bounded measures them (the
README table has the worst case per pair).
"""
from __future__ import annotations

import pytest

from reasoning import Budget, find_chains
from tests.reliability.hubs import four_hubs, hub_shop, rules_for


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    graph, text = hub_shop()
    return graph, rules_for(graph, text, tmp_path_factory.mktemp("hub"))


def test_a_hub_of_100000_products_is_capped_and_the_result_says_so(hub):
    graph, rules = hub
    assert len(graph.neighbors(graph.node("hub"), "brand", reverse=True)) == 100_000
    result = find_chains(graph, rules, "u1", "item", Budget())
    assert result.truncated and not result.timed_out
    assert any("cap" in note for note in result.notes)


def test_the_explanation_says_it_was_truncated(hub):
    from generation.explain import Explainer

    graph, rules = hub
    x = Explainer(graph, rules, verbalizer=None, scorer="weights").explain("u1", "item")
    assert x.truncated and x.message  # empty, and it says why instead of inventing a reason


def test_a_pair_that_avoids_the_hub_is_answered_in_full(hub):
    # the cap costs nothing where the hub need not be crossed: u1 bought h0, h5 shares its brand
    graph, rules = hub
    result = find_chains(graph, rules, "u1", "h5", Budget())
    assert [c.rule for c in result.chains] == ["same-brand"] and not result.timed_out


def test_a_rule_through_four_hubs_stops_at_the_budget_and_says_so(tmp_path):
    from generation.explain import Explainer

    graph, text = four_hubs()
    rules = rules_for(graph, text, tmp_path)
    result = find_chains(graph, rules, "u1", "item", Budget())
    assert result.timed_out
    x = Explainer(graph, rules, verbalizer=None, scorer="weights").explain("u1", "item")
    assert x.timed_out
