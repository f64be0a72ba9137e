"""Hostile rule files: tags never run, aliases and repeats are refused, `no` means no, patterns are safe.

Each file is loaded the way the command line does (reasoning.load_rules against a graph) and
must give one RuleError listing problems as ``file:line:col: CODE``. tests/reasoning/test_rulefile.py
holds the per-key table; these are the attacks and the YAML traps.
"""
from __future__ import annotations

import types

import pytest
import yaml

from reasoning.errors import RuleError
from reasoning.ruleset import load_rules

BASE = """\
- id: seen
  says: "You looked at {item} recently."
  path:
    - user viewed item
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    from kg import load_graph
    from tests.reliability.shop import write_shop

    return load_graph(write_shop(tmp_path_factory.mktemp("shop")))


def problems(path, text: str, graph) -> list[tuple[str, int, int]]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(path, graph)
    for p in err.value.problems:
        assert p.file == str(path) and f"{path}:{p.line}:{p.col}: {p.code} " in str(err.value)
    return [(p.code, p.line, p.col) for p in err.value.problems]


# -- tags: nothing is ever constructed from one ----------------------------------------------------

def _payloads(marker) -> list[tuple[str, tuple[str, int, int]]]:
    cmd = f"['touch {marker}']"
    return [
        (BASE + f"  weight: !!python/object/apply:os.system {cmd}\n", ("R060", 5, 11)),
        (f"!!python/object/apply:os.system {cmd}\n", ("R060", 1, 1)),
        (BASE + f"  weight: !!python/object/new:os.system {cmd}\n", ("R060", 5, 11)),
        (BASE + "  weight: !!python/name:os.system\n", ("R060", 5, 11)),
        (BASE + f"  ? !!python/object/apply:os.system {cmd}\n  : 1\n", ("R060", 5, 5)),
        (BASE + f"  expect:\n    - {{user: !!python/object/apply:os.system {cmd}, item: p1}}\n", ("R060", 6, 14)),
        (f"%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n" + BASE.replace("seen", "seen2")
         + f"  weight: !p!os.system {cmd}\n", ("R060", 7, 11)),
        (BASE + "  weight: !local 2\n", ("R060", 5, 11)),
    ]


@pytest.mark.parametrize("k", range(8))
def test_yaml_tags_are_refused_and_never_run(graph, tmp_path, k):
    marker = tmp_path / "EXECUTED"
    text, first = _payloads(marker)[k]
    assert problems(tmp_path / "rules.yaml", text, graph)[0] == first
    assert not marker.exists()


def test_the_payloads_are_live(tmp_path):
    # the control: PyYAML's unsafe loader runs the first payload, so a refusal above is a real one
    marker = tmp_path / "EXECUTED"
    yaml.unsafe_load(_payloads(marker)[0][0])
    assert marker.exists()


# -- aliases, merge keys, repeated keys, several documents -----------------------------------------

def test_an_alias_bomb_is_refused_at_its_first_anchor(graph, tmp_path):
    bomb = "".join(f"- &l{k} [" + ", ".join([f"*l{k - 1}"] * 9 if k else ['"lol"'] * 9) + "]\n" for k in range(10))
    assert problems(tmp_path / "rules.yaml", bomb, graph)[0] == ("R061", 1, 3)


def test_a_merge_key_is_an_alias_and_is_refused(graph, tmp_path):
    text = BASE.replace("- id: seen", "- &base\n  id: seen") + "- <<: *base\n  id: seen-again\n"
    assert ("R061", 6, 7) in problems(tmp_path / "rules.yaml", text, graph)


@pytest.mark.parametrize("text, found", [
    (BASE + "  weight: 2\n  weight: 3\n", ("R062", 6, 3)),
    (BASE + '  "weight": 2\n  weight: 3\n', ("R062", 6, 3)),
    (BASE + "  expect:\n    - {user: u1, user: u2, item: p2}\n", ("R062", 6, 18)),
    (BASE + "---\n" + BASE.replace("seen", "other"), ("R063", 5, 1)),  # a second document would replace the first
])
def test_repeated_keys_and_documents_are_refused(graph, tmp_path, text, found):
    assert problems(tmp_path / "rules.yaml", text, graph) == [found]


# -- YAML 1.1's booleans: `no` is the word no, except where a yes/no is asked --------------------

def test_match_no_means_no_and_id_no_stays_the_text_no(graph, tmp_path):
    from reasoning.expect import run_expects

    text = BASE.replace("id: seen", "id: no") + "  tags: [no]\n  expect:\n" \
        "    - {user: u1, item: p4, match: no}\n    - {user: u1, item: p2, match: yes}\n" \
        "    - {user: u1, item: p2, match: off}\n"
    (tmp_path / "rules.yaml").write_text(text)
    rules = load_rules(tmp_path / "rules.yaml", graph)
    rule = rules.get("no")
    assert rule.id == "no" and rule.tags == ("no",) and [e.match for e in rule.expect] == [False, True, False]
    verdicts = [(r.passed, r.code) for r in run_expects(graph, rules)]
    assert verdicts == [(True, None), (True, None), (False, "R090")]  # u1 did view p2: 'off' is a no


# -- patterns: run on RE2, linear by construction (reasoning/safe_regex.py) ------------------------

# Each of these backtracks for minutes or forever in Python's re on a long enough label; the first
# guard (nesting, wide repetitions) missed the chains of short bounded repetitions at the end.
CATASTROPHIC_FOR_RE = ["(a+)+$", "(a|a)*b", r"(\w+\s?)+$", "(.*a){20}", "^(([a-z])+.)+[A-Z]([a-z])+$", "(x+x+)+y",
                       ".*.*.*x", r"\w+\s*\w+x", ".{0,30}.{0,30}x", "(a?){25}a{25}", "(a{0,9}){8}b", "(a|b)*a(a|b){20}",
                       "(?:a?){60}$", r"(\d+\.?)+x"]


@pytest.mark.parametrize("pattern", ["(a)\\1", "(?=a)b", "(?<!a)b", "x" * 201, "(a?){300}", "[" , "a{1001}",
                                     "(\\pL|\\pN){0,40}x"])
def test_patterns_re2_cannot_run_or_too_large_are_refused_at_load(graph, tmp_path, pattern):
    text = BASE + f"  when:\n    - item matches {yaml.safe_dump(pattern, default_style=chr(39)).strip()}\n"
    assert problems(tmp_path / "rules.yaml", text, graph) == [("R032", 6, 7)]


@pytest.mark.parametrize("pattern", CATASTROPHIC_FOR_RE)
def test_patterns_catastrophic_for_re_load_and_run_on_a_long_label(tmp_path, pattern):
    from kg.build import GraphBuilder
    from reasoning import find_chains
    from reasoning.safe_regex import search

    b = GraphBuilder("long")
    b.add("<https://ex.org/user/u1>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://whyrec.dev/ns#User>")
    b.add("<https://ex.org/user/u1>", "<https://whyrec.dev/ns#viewed>", "<https://ex.org/product/p1>")
    label = "a" * 5_000 + "!"  # what makes re backtrack: a long run that almost matches
    b.add("<https://ex.org/product/p1>", "<https://schema.org/name>", f'"{label}"')
    g = b.build()
    (tmp_path / "rules.yaml").write_text(BASE + f"  when:\n    - item matches "
                                         f"{yaml.safe_dump(pattern, default_style=chr(39)).strip()}\n")
    rules = load_rules(tmp_path / "rules.yaml", g)  # accepted: RE2 runs it in linear time
    got = bool(find_chains(g, rules, "u1", "p1").chains)
    import re
    short = "aaa!"  # the same question on a text short enough for re to answer
    assert search(pattern, short) == (re.search(pattern, short) is not None)  # RE2 and re agree
    assert got == search(pattern, label[:2_000])


@pytest.mark.parametrize("pattern", ["(?i)spf", r"\d+ ?ml", "^[A-Ma-m]", "serum$", "glow|lueur", ".*x", r"^\pL+$"])
def test_ordinary_patterns_load(graph, tmp_path, pattern):
    (tmp_path / "rules.yaml").write_text(BASE + f"  when:\n    - item matches '{pattern}'\n")
    assert len(load_rules(tmp_path / "rules.yaml", graph)) == 1


# found by this suite: one wide repetition (.*x) is quadratic in re, so a 200,000-character label took
# minutes; reasoning/conditions.py reads at most MATCH_TEXT characters (RE2's time is linear in them)
def test_the_text_a_pattern_searches_is_bounded(tmp_path, monkeypatch):
    import reasoning.conditions as finish
    from kg.build import GraphBuilder
    from reasoning import find_chains, safe_regex

    b = GraphBuilder("long")
    b.add("<https://ex.org/user/u1>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://whyrec.dev/ns#User>")
    b.add("<https://ex.org/user/u1>", "<https://whyrec.dev/ns#viewed>", "<https://ex.org/product/p1>")
    b.add("<https://ex.org/product/p1>", "<https://schema.org/name>", '"G' + "a" * 200_000 + '"')
    g = b.build()
    (tmp_path / "rules.yaml").write_text(BASE + "  when:\n    - item matches '^G'\n")
    rules = load_rules(tmp_path / "rules.yaml", g)
    seen: list[int] = []
    real = safe_regex.search
    shim = types.SimpleNamespace(search=lambda p, s: (seen.append(len(s)), real(p, s))[1])
    monkeypatch.setattr(finish, "safe_regex", shim)
    assert find_chains(g, rules, "u1", "p1").chains
    assert seen and max(seen) <= finish.MATCH_TEXT <= 10_000, f"the pattern was given {max(seen):,} characters"


# -- size ---------------------------------------------------------------------------------------

def test_ten_thousand_rules_load_or_are_refused_clearly(graph, tmp_path):
    rels = ["brand", "category", "ingredient"]
    text = "".join(f'- id: rule-{k:05d}\n  says: "You bought {{product}}; {{item}} shares {{x}}."\n  path:\n'
                   f"    - user purchased product\n    - product {rels[k % 3]} x\n    - item {rels[k % 3]} x\n"
                   f"  when:\n    - product != item\n  weight: {1 + k % 7}\n" for k in range(10_000))
    (tmp_path / "rules.yaml").write_text(text)
    assert len(load_rules(tmp_path / "rules.yaml", graph)) == 10_000
    again = text + text[:text.index("- id: rule-00001")]  # the first rule once more, at line 90,001
    assert problems(tmp_path / "rules.yaml", again, graph) == [("R040", 90_001, 3)]
