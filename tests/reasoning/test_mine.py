"""reasoning.mine: AMIE-style path shapes, counted by hand on a tiny graph; suggestions load."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, load_graph
from kg.build import GraphBuilder
from kg.vocab import DEFAULT_RELATIONS, RDF_TYPE, SCHEMA, WR
from reasoning import Budget, check_rules, find_chains, load_rules
from reasoning.mine import MineConfig, mine, suggest
from reasoning.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "rule_cases"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
RELS = {r.name: r for r in DEFAULT_RELATIONS}
CLASSES = {"u": WR + "User", "s": WR + "User", "p": SCHEMA + "Product", "b": SCHEMA + "Brand"}


def graph(*lines: str) -> KnowledgeGraph:
    b = GraphBuilder("test")
    for line in lines:
        s, rel, o = line.split()
        for key in (s, o):
            b.add(f"<https://ex.org/{key}>", f"<{RDF_TYPE}>", f"<{CLASSES[key[0]]}>")
        b.add(f"<https://ex.org/{s}>", f"<{RELS[rel].iri}>", f"<https://ex.org/{o}>")
    return b.build()


# u1 and u2 buy within one brand; u3 buys across brands.
SHOP = graph("u1 purchased p1", "u1 purchased p2", "u2 purchased p3", "u2 purchased p4",
             "u3 purchased p1", "u3 purchased p3", "p1 brand b1", "p2 brand b1", "p3 brand b2", "p4 brand b2")
SAME_BRAND = (("purchased", True), ("brand", True), ("brand", False))
CO_BUYERS = (("purchased", True), ("purchased", False), ("purchased", True))


def pattern(patterns, moves):
    return next(p for p in patterns if p.moves == moves)


def test_support_and_confidence_counted_by_hand() -> None:
    mined = mine(SHOP, MineConfig(min_support=0, crowd_min=1))
    p = pattern(mined.patterns, SAME_BRAND)
    # u1 reaches p1, p2 (both bought), u2 reaches p3, p4 (both bought), u3 reaches p2, p4 (neither).
    assert (p.support, p.body, p.pca_body) == (4, 6, 6)
    assert p.confidence == pytest.approx(4 / 6) and p.crowd == ()
    assert (mined.users, mined.facts) == (3, 6)
    assert mined.patterns[0].moves == SAME_BRAND  # the best shape comes first


def test_no_fact_is_counted_through_itself() -> None:
    # u1 -> p1 -> u1 -> p1 would "explain" u1's purchase of p1 with itself; simple paths forbid it.
    mined = mine(SHOP, MineConfig(min_support=0, crowd_min=1))
    p = pattern(mined.patterns, CO_BUYERS)
    assert p.crowd == (2,)
    # u1 reaches p3 (via u3), u2 reaches p1 (via u3), u3 reaches p2 (via u1) and p4 (via u2): none bought.
    assert (p.support, p.body) == (0, 4)


def test_crowd_min_counts_shoppers_behind_one_chain() -> None:
    g = graph("u1 purchased p1", "u1 purchased p2", "s1 purchased p1", "s1 purchased p2", "s2 purchased p1",
              "s2 purchased p2", "u2 purchased p1")
    two = pattern(mine(g, MineConfig(min_support=0, crowd_min=2)).patterns, CO_BUYERS)
    three = pattern(mine(g, MineConfig(min_support=0, crowd_min=3)).patterns, CO_BUYERS)
    # Every user is sampled. u1, s1 and s2 each reach p2 from p1 and p1 from p2 through 2 other
    # buyers (support 2 each); u2 reaches p2 from p1 through 3 (u1, s1, s2) but never bought it.
    assert (two.support, two.body) == (6, 7)
    assert (three.support, three.body) == (0, 1)


def test_suggestions_load_and_fire_where_they_were_counted() -> None:
    report = suggest(SHOP, MineConfig(min_support=1, top=5))
    assert report.suggestions and report.suggestions[0].rule_id == "mined-purchased-brand-brand-of"
    plans, problems = check_rules("suggested.yaml", SHOP, text=report.yaml())
    assert problems == [] and len(plans) == len(report.suggestions)
    same = RuleSet((plans[0],))
    assert find_chains(SHOP, same, "u1", "p2", Budget(seconds=60)).chains
    assert not find_chains(SHOP, same, "u1", "p3", Budget(seconds=60)).chains
    text = report.suggestions[0].yaml
    assert "confidence 0.667" in text and "connects 4 of 6 purchased facts" in text
    assert "- \"user purchased product\"" in text and "{brand}" in text


def test_suggest_is_deterministic_and_seeded() -> None:
    cfg = MineConfig(min_support=1, users=2, seed=7)
    assert suggest(SHOP, cfg).yaml() == suggest(SHOP, cfg).yaml()


def test_a_relation_with_the_same_facts_is_left_out() -> None:
    g = graph("u1 purchased p1", "u1 rated p1", "u1 purchased p2", "u1 rated p2", "p1 brand b1", "p2 brand b1")
    mined = mine(g, MineConfig(min_support=0))
    assert any("rated has the same facts as purchased" in n for n in mined.notes)
    assert all(rel != "rated" for p in mined.patterns for rel, _ in p.moves)


def test_collaborative_suggestions_count_and_never_name(tmp_path: Path) -> None:
    g = graph(*[f"s{k} purchased p1" for k in range(4)], *[f"s{k} purchased p2" for k in range(4)],
              "u1 purchased p1", "u1 purchased p2")
    report = suggest(g, MineConfig(min_support=1, crowd_min=2))
    crowd = [s for s in report.suggestions if s.pattern.crowd]
    assert crowd and "tags: [collaborative]" in crowd[0].yaml and "{count}" in crowd[0].yaml
    assert "{shopper}" not in crowd[0].yaml and "min_support: 2" in crowd[0].yaml
    (tmp_path / "s.yaml").write_text(report.yaml())
    assert len(load_rules(tmp_path / "s.yaml", g)) == len(report.suggestions)


def test_nothing_to_mine_says_why() -> None:
    g = graph("p1 brand b1")
    mined = mine(g)
    assert mined.patterns == () and "no 'purchased' facts" in mined.notes[0]


GRAPHS = [ROOT / "data" / "demo", CASES / "shop"] + ([SHARED / "amazon_magazine_2018"] if SHARED.exists() else [])


@pytest.mark.parametrize("folder", GRAPHS, ids=[p.name for p in GRAPHS])
def test_suggested_yaml_loads_against_the_same_graph(folder: Path, tmp_path: Path) -> None:
    if not folder.exists() or (folder.name == "demo" and not (folder / "whyrec.yaml").exists()):
        pytest.skip(f"{folder} is absent")
    if "amazon" in folder.name:
        pytest.importorskip("kg.load.amazon")
    g = load_graph(folder)
    report = suggest(g, MineConfig(min_support=1, top=10, users=100))
    assert report.suggestions
    out = tmp_path / "suggested.yaml"
    out.write_text(report.yaml())
    assert len(load_rules(out, g)) == len(report.suggestions)
