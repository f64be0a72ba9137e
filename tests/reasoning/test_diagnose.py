"""reasoning.diagnose through `rules test`'s examples: a failing example names what stopped it."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import load_graph
from reasoning import check_rules
from reasoning.expect import run_expects
from reasoning.ruleset import RuleSet

SHOP = Path(__file__).parent / "rule_cases" / "shop"


@pytest.fixture(scope="module")
def shop():
    return load_graph(str(SHOP))


def why(graph, path: list[str], when: list[str], user: str, item: str) -> str:
    text = "\n".join(['- id: r', '  says: "{item}"', "  path:", *[f"    - {s}" for s in path],
                      *(["  when:", *[f"    - {w}" for w in when]] if when else []),
                      "  expect:", f"    - {{user: {user}, item: {item}, match: yes}}"]) + "\n"
    plans, problems = check_rules("r.yaml", graph, text=text)
    assert problems == []
    (result,) = run_expects(graph, RuleSet(tuple(plans)))
    assert not result.passed and result.code == "R090"
    return result.message


SAME_BRAND = ["user purchased product", "product brand brand", "item brand brand"]
CASES = [  # path, conditions, user, item, the words that must name the cause
    (SAME_BRAND, [], "u1", "p3", '"user purchased product" stops it: from the user it reaches product Glow Serum, '
                                 'but walking back from the item, "product brand brand" needs one of 2 products'),
    (["user rated product as r", "product brand brand", "item brand brand"], ["r.score >= 5"], "u2", "p1",
     "the condition 'r.score >= 5' (line 8) rejects every chain"),
    (SAME_BRAND, ["not user purchased item"], "u2", "p1", "'not user purchased item' (line 8) rejects every chain"),
    (SAME_BRAND + ["user budget budget"], [], "u2", "p2", "a value is missing: 'user budget budget'"),
    (["user purchased product", "product also_bought item"], [], "u1", "p4", '"user purchased product" stops it'),
    (["user rated item"], [], "u1", "p3", '"user rated item" stops it: it reaches item Glow Serum, not Night Oil'),
]


@pytest.mark.parametrize("path, when, user, item, words", CASES, ids=[c[-1][:30] for c in CASES])
def test_a_failing_example_names_its_cause(shop, path, when, user, item, words) -> None:
    message = why(shop, path, when, user, item)
    assert message.startswith("expected a match, but ") and words in message, message
