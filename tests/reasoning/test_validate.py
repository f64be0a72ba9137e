"""reasoning.validate: rules checked against a graph's vocabulary, as a table of cases.

Also: one RuleError lists every problem of a file, and the shipped default rules
validate against every graph we have (the demo shop, the Amazon samples).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kg import load_graph
from reasoning import RuleError, check_rules, load_rules

CASES = Path(__file__).parent / "rule_cases"
ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DEFAULT_RULES = ROOT / "data" / "rules" / "default.yaml"

BASE = """\
- id: same-brand
  says: "You bought {product}; {item} is by {brand}."
  path:
    - user purchased product
    - product brand brand
    - item brand brand
"""
CROWD = """\
- id: crowd
  says: "{count} shoppers who bought {product} also bought {item}."
  tags: [collaborative]
  path:
    - user purchased product
    - shopper purchased product
    - shopper purchased item
"""


@pytest.fixture(scope="module")
def shop():
    return load_graph(CASES / "shop")


def problems_of(graph, text: str) -> list[tuple[str, int, int]]:
    _, problems = check_rules("r.yaml", graph, text=text)
    return [(p.code, p.line, p.col) for p in problems]


BAD = [
    ("unknown relation", BASE.replace("product brand brand", "product brnd brand"), [("R011", 5, 15)]),
    ("path branches", BASE + "    - product category category\n", [("R012", 7, 7)]),
    ("path dead end", BASE.replace("    - item brand brand\n", ""), [("R012", 1, 3)]),
    ("path dead end in the middle", BASE.replace("item brand brand", "item category category"), [("R012", 1, 3)]),
    ("step off the path", "- id: off\n  says: x\n  path:\n    - user purchased item\n    - product brand brand\n",
     [("R012", 5, 7)]),
    ("self-loop", BASE.replace("product brand brand", "product also_bought product"), [("R012", 5, 7)]),
    ("path returns to a node", "- id: back\n  says: x\n  path:\n    - user purchased product\n"
     "    - user rated product\n    - item brand product\n", [("R012", 5, 7)]),
    ("no step from user", "- id: nouser\n  says: x\n  path:\n    - item brand brand\n", [("R012", 1, 3)]),
    ("five linking steps", "- id: long\n  says: x\n  path:\n    - user purchased a\n    - a also_bought b\n"
     "    - b also_bought c\n    - c also_bought d\n    - d also_bought item\n", [("R013", 1, 3)]),
    ("unbound placeholder", BASE.replace("{brand}.", "{maker}."), [("R020", 2, 9)]),
    ("attribute that is no value", BASE.replace("{brand}.", "{brand.brand}."), [("R020", 2, 9)]),
    ("count outside a collaborative rule", BASE.replace("{brand}.", "{count}."), [("R020", 2, 9)]),
    ("condition on an unbound variable", BASE + "  when:\n    - colour != item\n", [("R031", 8, 7)]),
    ("order on nodes", BASE + "  when:\n    - product < item\n", [("R030", 8, 7)]),
    ("fact compared whole", BASE.replace("user purchased product", "user rated product as r")
     + "  when:\n    - r >= 4\n", [("R030", 8, 7)]),
    ("value relation in a not", BASE + "  when:\n    - not item price p\n", [("R030", 8, 7)]),
    ("not about nothing bound", BASE + "  when:\n    - not a purchased b\n", [("R031", 8, 7)]),
    ("reserved word holds a value", BASE + "    - product price item\n", [("R014", 7, 7)]),
    ("value variable clashes with a node", BASE + "    - item price product\n", [("R015", 7, 7)]),
    ("value of a node not on the path", BASE + "    - other price price\n", [("R012", 7, 7)]),
    ("crowd variable without the tag", CROWD.replace("  tags: [collaborative]\n", "").replace("{count}", "Many"),
     [("R080", 1, 3)]),
    ("crowd variable in a placeholder", CROWD.replace("{count} shoppers", "{shopper}"), [("R020", 2, 9)]),
    # Bugs fixed in validate.py while writing these tests (see the report):
    ("value of another shopper", CROWD + "    - shopper budget budget\n", [("R080", 8, 7)]),
    ("quoting another shopper's fact", CROWD.replace("shopper purchased item", "shopper rated item as r")
     .replace("also bought {item}", "said {r.summary} of {item}"), [("R020", 2, 9)]),
    ("'as' on a value step", BASE + "    - item price price as r\n", [("R014", 7, 7)]),
    ("one 'as' name for two facts", BASE.replace("user purchased product", "user rated product as r")
     .replace("product brand brand", "product brand brand as r"), [("R015", 5, 7)]),
]


@pytest.mark.parametrize("name,text,expected", BAD, ids=[c[0] for c in BAD])
def test_bad_rules_report_exact_code_and_position(shop, name: str, text: str, expected: list) -> None:
    assert problems_of(shop, text) == expected


def test_unknown_relation_suggests_a_close_name(shop) -> None:
    _, problems = check_rules("r.yaml", shop, text=BASE.replace("product brand brand", "product brnd brand"))
    assert str(problems[0]) == ("r.yaml:5:15: R011 unknown relation 'brnd' in step \"product brnd brand\"; "
                                "did you mean 'brand'?")


GOOD = [
    ("two steps", "- id: a\n  says: '{item} is by {brand}, you love it'\n  path:\n    - user prefers brand\n"
     "    - item brand brand\n"),
    ("one step", "- id: a\n  says: '{item}'\n  path: [user viewed item]\n"),
    ("four steps", "- id: a\n  says: '{item} {sub} {category}'\n  path:\n    - user purchased product\n"
     "    - product category category\n    - sub parent category\n    - item category sub\n"),
    ("values and conditions", BASE.replace("user purchased product", "user rated product as r")
     + "    - item price price\n    - user budget budget\n  when:\n    - price <= budget\n    - r.score >= 4\n"
       "    - product != item\n    - brand == \"lumiere\"\n    - item contains \"glow\"\n    - item matches \"^G\"\n"
       "    - not user purchased item\n    - r.summary contains \"love\"\n"),
    ("placeholders of values", BASE.replace("{brand}.", "{brand}, {item.price}, {r.score}.")
     .replace("user purchased product", "user rated product as r")),
    ("collaborative with count", CROWD),
    ("a relation the default vocabulary knows but the graph lacks", "- id: a\n  says: '{item}'\n"
     "  path: [user viewed item]\n"),
    ("steps in any order", "- id: a\n  says: '{item}'\n  path:\n    - item brand brand\n"
     "    - product brand brand\n    - user purchased product\n"),
]


@pytest.mark.parametrize("name,text", GOOD, ids=[c[0] for c in GOOD])
def test_good_rules_compile(shop, name: str, text: str) -> None:
    plans, problems = check_rules("r.yaml", shop, text=text)
    assert problems == [] and len(plans) == 1
    assert plans[0].vars[0] == "user" and plans[0].vars[-1] == "item"


def test_plan_orders_steps_into_hops(shop) -> None:
    text = "- id: a\n  says: x\n  path:\n    - item brand brand\n    - product brand brand\n    - user purchased product\n"
    (plan,), _ = check_rules("r.yaml", shop, text=text)
    assert plan.vars == ("user", "product", "brand", "item")
    assert [(h.relation, h.forward) for h in plan.hops] == [("purchased", True), ("brand", True), ("brand", False)]


def test_crowd_is_found_from_the_relation(shop) -> None:
    (plan,), _ = check_rules("r.yaml", shop, text=CROWD)
    assert plan.crowd == frozenset({"shopper"})


def test_one_rule_error_lists_every_problem(shop) -> None:
    with pytest.raises(RuleError) as info:
        load_rules(CASES / "three_problems.yaml", shop)
    found = [(p.code, p.line, p.col) for p in info.value.problems]
    assert found == [("R001", 3, 3), ("R011", 7, 15), ("R050", 13, 11)]
    text = str(info.value)
    assert "3 problem(s)" in text and "did you mean 'says'?" in text and "did you mean 'brand'?" in text


def test_good_case_file_loads(shop) -> None:
    rules = load_rules(CASES / "shop_rules.yaml", shop)
    assert len(rules) >= 5 and all(r.expect for r in rules)


def test_default_rules_validate_without_a_graph() -> None:
    plans, problems = check_rules(DEFAULT_RULES)
    assert problems == [] and len(plans) >= 10


@pytest.mark.skipif(not (ROOT / "data" / "demo" / "whyrec.yaml").exists(), reason="data/demo is not generated yet")
def test_default_rules_validate_against_the_demo_shop() -> None:
    rules = load_rules(DEFAULT_RULES, load_graph(ROOT / "data" / "demo"))
    assert len(rules) >= 10


AMAZON = sorted(SHARED.glob("amazon_*")) if SHARED.exists() else []


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is absent (fresh clone)")
@pytest.mark.skipif(importlib.util.find_spec("kg.load.amazon") is None, reason="kg.load.amazon is not written yet")
@pytest.mark.parametrize("folder", AMAZON, ids=[p.name for p in AMAZON])
def test_default_rules_validate_against_amazon(folder: Path) -> None:
    rules = load_rules(DEFAULT_RULES, load_graph(folder))
    assert len(rules) >= 10


def test_relations_are_suggested_by_their_phrases_labels_and_inverse(shop) -> None:
    def hint(step: str) -> str:
        text = f'- id: a\n  says: "{{item}}"\n  path:\n    - {step}\n    - product also_bought item\n'
        _, problems = check_rules("r.yaml", shop, text=text)
        return str(problems[0])
    assert "did you mean 'purchased'? ('bought' is how whyrec says 'purchased')" in hint("user bought product")
    assert "did you mean 'purchased', written the other way? 'user purchased product'" in hint(
        "product purchased_by user")
    assert "did you mean 'purchased'?" in hint("user purchasd product")


def test_an_unquoted_name_is_told_to_be_quoted(shop) -> None:
    text = ('- id: a\n  says: "{item}"\n  path:\n    - user purchased product\n    - product brand brand\n'
            '    - item brand brand\n  when:\n    - brand == Lumiere\n')
    _, problems = check_rules("r.yaml", shop, text=text)
    assert [str(p) for p in problems] == [
        "r.yaml:8:7: R031 'Lumiere' is not a variable of the path; to compare with the text Lumiere, put it in "
        "quotes; write: brand == \"Lumiere\""]
