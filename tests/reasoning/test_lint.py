"""reasoning.lint: rules that load but can never fire in this graph, each warned with its reason.

A table of rules on the five-product shop (tests/reasoning/rule_cases/shop): each row is one way a
valid rule matches nothing (the six the studio's first users wrote among them), the code expected
and words the message must contain; then rules that do fire must get no warning at all.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import load_graph
from reasoning import check_rules, find_chains
from reasoning.lint import lint
from reasoning.ruleset import RuleSet

SHOP = Path(__file__).parent / "rule_cases" / "shop"


@pytest.fixture(scope="module")
def shop():
    return load_graph(str(SHOP))


def rule(path: list[str], when: list[str] = (), says: str = "{item}") -> str:
    lines = ["- id: r", f'  says: "{says}"', "  path:"] + [f"    - {s}" for s in path]
    if when:
        lines += ["  when:"] + [f"    - {w}" for w in when]
    return "\n".join(lines) + "\n"


BOUGHT = ["user purchased product", "product also_bought item"]
NEVER = [  # (rule text, code, line, words in the message)
    (rule(BOUGHT + ["item price price"], ['price < "30"']), "R112", 8, "write 30 without quotes"),
    (rule(["user rated product as r", "product also_bought item"], ['r.score == "5"']), "R112", 7,
     "compares the number r.score with the text '5'"),
    (rule(["user purchased product", "brand brand product", "item brand brand"]), "R111", 5,
     "write 'product brand brand'"),
    (rule(["user purchased brand", "item brand brand"]), "R110", 4, "no User purchased a Brand"),
    (rule(["user purchased product as p", "product also_bought item"], ["p.score >= 4"]), "R114", 7,
     "no 'purchased' fact has a 'score'"),
    (rule(["user rated product as r", "product also_bought item"], ["r.score >= 6"]), "R113", 7,
     "they run from 2 to 5"),
    (rule(["user purchased product", "product brand brand", "item brand brand"], ['brand == "Lumire"']), "R115", 8,
     "did you mean 'Lumière'?"),
    (rule(["user budget budget", "user purchased item"], ["budget >= 100"]), "R113", 7, "from 30 to 60"),
    (rule(BOUGHT, ["item.size == 3"]), "R114", 7, "no Product has a 'size' value"),
    (rule(["user rated product as r", "product also_bought item"], ["r.summary < 4"]), "R112", 7,
     "'<' orders numbers and dates"),
    (rule(["user purchased product as p", "product also_bought item"], ["p.date >= 2024"]), "R112", 7,
     "put the date in quotes"),
]


@pytest.mark.parametrize("text, code, line, words", NEVER, ids=[f"{c}-{w[:24]}" for _, c, _, w in NEVER])
def test_a_rule_that_never_fires_is_warned_with_its_reason(shop, text, code, line, words) -> None:
    plans, problems = check_rules("r.yaml", shop, text=text)
    assert problems == [] and len(plans) == 1  # it loads ...
    warnings = lint(shop, plans)
    assert [(w.code, w.line, w.severity) for w in warnings] == [(code, line, "warning")], [str(w) for w in warnings]
    assert words in str(warnings[0])
    assert str(warnings[0]).startswith(f"r.yaml:{line}:") and " warning: " in str(warnings[0])
    # ... and indeed finds nothing for any pair of the shop
    rules = RuleSet(tuple(plans))
    assert not any(find_chains(shop, rules, u, i).chains for u in ("u1", "u2", "u3", "u4")
                   for i in ("p1", "p2", "p3", "p4"))


FIRING = [
    rule(BOUGHT),
    rule(BOUGHT + ["item price price"], ["price <= 30"]),
    rule(["user rated product as r", "product also_bought item"], ["r.score >= 2"]),
    rule(["user purchased product", "product brand brand", "item brand brand"], ['brand == "lumière"', "product != item"]),
    rule(["user purchased product as p", "product brand brand", "item brand brand"], ['p.date >= "2024-01-01"']),
    rule(["user rated product as r", "product brand brand", "item brand brand"], ['r.summary contains "love"']),
]


@pytest.mark.parametrize("text", FIRING)
def test_rules_that_fire_get_no_warning(shop, text) -> None:
    plans, problems = check_rules("r.yaml", shop, text=text)
    assert problems == [] and lint(shop, plans) == []
    rules = RuleSet(tuple(plans))
    assert any(find_chains(shop, rules, u, i).chains for u in ("u1", "u2", "u3", "u4") for i in ("p1", "p2", "p3", "p4"))


def test_duplicate_and_narrower_rules(shop) -> None:
    text = (rule(BOUGHT).replace("id: r", "id: wide") + rule(["user purchased p", "p also_bought item"]).replace("id: r", "id: same")
            + rule(BOUGHT, ["product != item"]).replace("id: r", "id: narrow")
            + rule(BOUGHT, ["product != item"]).replace("id: r", "id: heavy") + "  weight: 3\n")
    plans, problems = check_rules("r.yaml", shop, text=text)
    assert problems == []
    found = {(w.code, w.message.split("'")[1]) for w in lint(shop, plans)}
    # 'same' duplicates 'wide' (only variable names differ); 'narrow' adds a condition and weighs no
    # more; 'heavy' outranks 'wide' (a deliberate special case, not R121) but finds what 'narrow' finds
    assert found == {("R120", "same"), ("R121", "narrow"), ("R120", "heavy")}


def test_the_shipped_rules_have_no_warning_on_the_demo() -> None:
    root = Path(__file__).resolve().parents[2]
    graph = load_graph(str(root / "data" / "demo"))
    plans, problems = check_rules(root / "data" / "rules" / "default.yaml", graph)
    assert problems == [] and lint(graph, plans) == []
