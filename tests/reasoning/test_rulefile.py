"""reasoning.rulefile: rule files to Rule objects; every problem with its exact line:col.

The table covers what needs no graph: YAML hazards, keys, ids, step shapes, templates,
conditions, numbers. Problems that need a vocabulary are in test_validate.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reasoning.rulefile import placeholders, read_rules
from reasoning.ruleset import check_rules

CASES = Path(__file__).parent / "rule_cases"

BASE = """\
- id: same-brand
  says: "You bought {product}; {item} is by {brand}."
  path:
    - user purchased product
    - product brand brand
    - item brand brand
"""


def codes(text: str) -> list[tuple[str, int, int]]:
    _, problems = read_rules("r.yaml", text)
    return [(p.code, p.line, p.col) for p in problems]


BAD = [
    # (name, text, [(code, line, col)]) -- line:col of the offending key, word or value
    ("unknown key", BASE + "  wieght: 2\n", [("R001", 7, 3)]),
    ("step of two words", BASE.replace("product brand brand", "product brand"), [("R010", 5, 7)]),
    ("step of four words", BASE.replace("product brand brand", "product brand the brand"), [("R010", 5, 7)]),
    ("step word not a name", BASE.replace("product brand brand", "product brand 'b+'"), [("R010", 5, 21)]),
    ("step is a mapping", BASE.replace("    - product brand brand", "    - {product: brand}"), [("R010", 5, 7)]),
    ("relation not a name", BASE.replace("product brand brand", "product br@nd brand"), [("R011", 5, 15)]),
    ("unbalanced open brace", BASE.replace("{brand}.", "{brand."), [("R021", 2, 9)]),
    ("unbalanced close brace", BASE.replace("{brand}.", "brand}."), [("R021", 2, 9)]),
    ("duplicate id", BASE + BASE, [("R040", 7, 3)]),
    ("bad id: capitals and underscore", BASE.replace("id: same-brand", "id: Same_Brand"), [("R041", 1, 7)]),
    ("bad id: trailing dash", BASE.replace("id: same-brand", "id: same-"), [("R041", 1, 7)]),
    ("missing id", BASE.replace("- id: same-brand\n  says", "- says"), [("R002", 1, 3)]),
    ("missing path", BASE.split("  path:")[0], [("R002", 1, 3)]),
    ("bad operator", BASE + "  when:\n    - product =< item\n", [("R030", 8, 7)]),
    ("condition without operator", BASE + "  when:\n    - product item\n", [("R030", 8, 7)]),
    ("constant on the left", BASE + "  when:\n    - 4 <= item.price\n", [("R030", 8, 7)]),
    ("contains needs quoted text", BASE + "  when:\n    - item contains 4\n", [("R030", 8, 7)]),
    ("regex RE2 cannot run: backreference", BASE + '  when:\n    - item matches "(a)\\1"\n', [("R032", 8, 7)]),
    ("regex RE2 cannot run: lookahead", BASE + '  when:\n    - item matches "(?=a)b"\n', [("R032", 8, 7)]),
    ("regex too large to run in bounded time", BASE + '  when:\n    - item matches "(a?){300}"\n', [("R032", 8, 7)]),
    ("not a regex", BASE + '  when:\n    - item matches "(unclosed"\n', [("R032", 8, 7)]),
    ("negated step of two words", BASE + "  when:\n    - not user purchased\n", [("R010", 8, 11)]),
    ("weight not a number", BASE + "  weight: heavy\n", [("R050", 7, 11)]),
    ("weight out of range", BASE + "  weight: 1000\n", [("R050", 7, 11)]),
    ("weight a list", BASE + "  weight: [1, 2]\n", [("R050", 7, 11)]),
    ("min_support not whole", BASE + "  min_support: 2.5\n", [("R051", 7, 16)]),
    ("min_support zero", BASE + "  min_support: 0\n", [("R051", 7, 16)]),
    ("bad tag", BASE + "  tags: [ok, 'two words']\n", [("R052", 7, 14)]),
    ("expect without item", BASE + "  expect:\n    - {user: u1, match: yes}\n", [("R070", 8, 7)]),
    ("expect match maybe", BASE + "  expect:\n    - {user: u1, item: p2, match: maybe}\n", [("R070", 8, 35)]),
    ("expect unknown key", BASE + "  expect:\n    - {user: u1, item: p2, matches: yes}\n", [("R070", 8, 28)]),
    ("YAML anchor and alias", BASE.replace("    - item brand brand", "    - &x item brand brand\n    - *x"),
     [("R061", 6, 7), ("R061", 7, 7)]),
    ("duplicate key", BASE + "  weight: 2\n  weight: 3\n", [("R062", 8, 3)]),
    ("YAML syntax", BASE + "  says: [unclosed\n", [("R063", 7, 9)]),  # where the bracket opens, not the end of file
    ("not a list of rules", "id: same-brand\n", [("R004", 1, 1)]),
    ("a rule that is text", "- same-brand\n", [("R004", 1, 3)]),
    ("not UTF-8", b"- id: caf\xe9\n", [("R064", 1, 1)]),
]


@pytest.mark.parametrize("name,text,expected", BAD, ids=[c[0] for c in BAD])
def test_bad_rules_report_exact_code_and_position(name: str, text: str | bytes, expected: list) -> None:
    assert codes(text) == expected


def test_unknown_key_suggests_the_right_one() -> None:
    _, problems = read_rules("r.yaml", BASE + "  wieght: 2\n")
    assert str(problems[0]) == "r.yaml:7:3: R001 unknown key 'wieght'; did you mean 'weight'?"


def test_a_broken_step_is_reported_alone() -> None:
    # The rule is passed on marked broken: checked for placeholders and conditions, never for its
    # path, which without the broken step would also look disconnected (R012).
    text = BASE.replace("product brand brand", "product brand")
    rules, problems = read_rules("r.yaml", text)
    assert [r.broken for r in rules] == [("product brand",)] and [p.code for p in problems] == ["R010"]
    plans, problems = check_rules("r.yaml", None, text=text)
    assert plans == [] and [p.code for p in problems] == ["R010"]


def test_a_broken_step_hides_no_other_problem() -> None:
    text = BASE.replace("product brand brand", "product brand").replace('says: "', 'says: "{colour} ')
    text += BASE.replace("{item}", "{item}", 1)  # the same id again
    _, problems = check_rules("r.yaml", None, text=text)
    assert sorted(p.code for p in problems) == ["R010", "R020", "R040"]


def test_yaml_tags_never_execute(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    text = BASE + f"  weight: !!python/object/apply:os.system ['touch {marker}']\n"
    text2 = f"!!python/object/apply:os.system ['touch {marker}']\n"
    assert codes(text) == [("R060", 7, 11)]
    assert codes(text2) == [("R060", 1, 1)]
    assert not marker.exists()


def test_no_stays_a_string_where_it_matters() -> None:
    text = """\
- id: no
  says: "{item}"
  path:
    - user viewed item
  expect:
    - {user: u1, item: p1, match: no}
    - {user: u1, item: p2, match: yes}
    - {user: u1, item: p3}
"""
    rules, problems = read_rules("r.yaml", text)
    assert problems == []
    assert rules[0].id == "no"
    assert [e.match for e in rules[0].expect] == [False, True, True]
    assert [(e.pos.line, e.pos.col) for e in rules[0].expect] == [(6, 7), (7, 7), (8, 7)]


def test_a_good_rule_keeps_every_part_and_position() -> None:
    text = BASE + """\
  when:
    - product != item
    - not user purchased item
    - item.price <= 30
  weight: 2.5
  tags: [preference]
  min_support: 3
  min_support_reason: a catalogue of forty shoppers
  description: Same brand as a purchase.
"""
    (rule,), problems = read_rules("r.yaml", text)
    assert problems == []
    assert [str(s) for s in rule.path] == ["user purchased product", "product brand brand", "item brand brand"]
    assert [(s.pos.line, s.pos.col) for s in rule.path] == [(4, 7), (5, 7), (6, 7)]
    assert [(c.left.var, c.op, c.right.var) for c in rule.when] == [("product", "!=", "item"), ("item", "<=", None)]
    assert rule.when[1].left.attr == "price" and rule.when[1].right.const == 30.0
    assert str(rule.negations[0].step) == "user purchased item"
    assert (rule.weight, rule.tags, rule.min_support, rule.description) == (2.5, ("preference",), 3, "Same brand as a purchase.")
    assert rule.min_support_reason == "a catalogue of forty shoppers"


def test_as_names_the_fact() -> None:
    (rule,), problems = read_rules("r.yaml", BASE.replace("user purchased product", "user rated product as r"))
    assert problems == [] and rule.path[0].value == "r" and str(rule.path[0]) == "user rated product as r"


def test_placeholders_skip_escaped_braces() -> None:
    assert placeholders("{{literal}} {item} and { brand }") == ["item", "brand"]


def test_parse_problems_of_both_rules_are_all_listed() -> None:
    # The vocabulary problem of this file (R011, 7:15) needs a graph: see test_validate.py.
    _, problems = read_rules(CASES / "three_problems.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("R001", 3, 3), ("R050", 13, 11)]


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    rules, problems = read_rules(tmp_path / "nope.yaml")
    assert rules == [] and problems[0].code == "R063" and problems[0].file.endswith("nope.yaml")


def test_a_title_is_read_and_the_id_stands_in_without_one() -> None:
    rules, problems = read_rules("r.yaml", BASE.replace("- id: same-brand\n", "- id: same-brand\n  title: Same brand as before\n"))
    assert not problems and rules[0].title == rules[0].heading == "Same brand as before"
    rules, _ = read_rules("r.yaml", BASE)
    assert rules[0].title == "" and rules[0].heading == "Same brand"


def test_a_title_is_one_short_line() -> None:
    assert codes(BASE.replace("- id: same-brand\n", f"- id: same-brand\n  title: {'x' * 81}\n")) == [("R003", 2, 10)]
    assert codes(BASE.replace("- id: same-brand\n", "- id: same-brand\n  title: [a, b]\n")) == [("R003", 2, 10)]
