"""reasoning.match: chain finding on tiny hand-made graphs.

Graphs are written as lines ``subject relation object [name=value ...]``; the first
letter of a node id gives its type (u/s user, p product, b brand, c category,
i ingredient, f finish, k claim, t skin type), ``name=value`` pairs are values on the
fact (score, summary, date); in values and text literals '_' stands for a space.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import KnowledgeGraph
from kg import terms as T
from kg.build import GraphBuilder
from kg.vocab import DEFAULT_RELATIONS, RDF, RDF_TYPE, SCHEMA, WR
from reasoning import Budget, check_rules, find_chains, find_chains_many, load_rules
from reasoning.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "rule_cases"
EX = "https://ex.org/"
TYPES = {"u": ("user", WR + "User"), "s": ("user", WR + "User"), "p": ("product", SCHEMA + "Product"),
         "b": ("brand", SCHEMA + "Brand"), "c": ("category", WR + "Category"), "i": ("ingredient", WR + "Ingredient"),
         "f": ("finish", WR + "Finish"), "k": ("claim", WR + "Claim"), "t": ("skintype", WR + "SkinType")}
RELS = {r.name: r for r in DEFAULT_RELATIONS}
BIG = Budget(seconds=60.0, max_work=50_000_000)  # tests must not depend on the machine's speed


def node(key: str) -> str:
    kind, cls = TYPES[key[0]]
    return f"<{EX}{kind}/{key}>"


def graph(*lines: str) -> KnowledgeGraph:
    b = GraphBuilder("test")
    typed: set[str] = set()
    for n, line in enumerate(lines):
        s, rel, o, *values = line.split()
        r = RELS[rel]
        for key in (s, o) if r.kind == "node" else (s,):
            if key not in typed:
                typed.add(key)
                b.add(node(key), f"<{RDF_TYPE}>", f"<{TYPES[key[0]][1]}>")
        if r.kind == "literal":
            number = o.replace(".", "", 1).isdigit()
            b.add(node(s), f"<{r.iri}>", T.literal(o.replace("_", " "), T.XSD + "decimal" if number else None))
            continue
        b.add(node(s), f"<{r.iri}>", node(o))
        if values:
            stmt = f"<{EX}stmt/{n}>"
            b.add(stmt, f"<{RDF}subject>", node(s))
            b.add(stmt, f"<{RDF}predicate>", f"<{r.iri}>")
            b.add(stmt, f"<{RDF}object>", node(o))
            for pair in values:
                name, _, value = pair.partition("=")
                datatype = T.XSD + "decimal" if name == "score" else None
                b.add(stmt, f"<{RELS[name].iri}>", T.literal(value.replace("_", " "), datatype))
    return b.build()


def rules(g: KnowledgeGraph, text: str) -> RuleSet:
    plans, problems = check_rules("t.yaml", g, text=text)
    assert problems == [], [str(p) for p in problems]
    return RuleSet(tuple(plans))


def rule(rid: str, *path: str, when: tuple[str, ...] = (), extra: str = "") -> str:
    lines = [f"- id: {rid}", "  says: x", "  path:"] + [f"    - {s}" for s in path]
    if when:
        lines += ["  when:"] + [f"    - {c!r}" if '"' in c else f"    - {c}" for c in when]
    return "\n".join(lines) + "\n" + extra


# -- every default rule shape ----------------------------------------------------------------

CROWD = [f"s{k} purchased p1" for k in range(10)] + [f"s{k} rated p16 score=5" for k in range(10)] \
    + [f"s{k} purchased p17" for k in range(10)]
SHAPES = graph(
    "u1 purchased p1", "u1 rated p1 score=5", "u1 budget 30", "p1 brand b1", "p2 brand b1", "p1 category c1",
    "p4 category c1", "p4 price 20", "p13 category c1", "p13 price 50", "c2 parent c1", "p5 category c2",
    "p1 ingredient i1", "p6 ingredient i1", "p1 finish f1", "p7 finish f1", "u1 prefers k1", "p8 claim k1",
    "u1 prefers t1", "p9 suits t1", "u1 prefers b3", "p10 brand b3", "p1 bought_together p11",
    "p1 also_bought p12", "p10 also_bought p14", "p4 also_bought p15", "u1 viewed p18", "p1 also_viewed p19",
    "u2 rated p1 score=2", *CROWD)

DEFAULT_SHAPES = [  # rule id, item that must match for u1, a binding it must show
    ("bought-together", "p11", ("product", "p1")),
    ("also-bought", "p12", ("product", "p1")),
    ("favourite-brand", "p10", ("brand", "b3")),
    ("stated-claim", "p8", ("claim", "k1")),
    ("suits-your-skin", "p9", ("type", "t1")),
    ("same-brand-loved", "p2", ("brand", "b1")),
    ("same-brand", "p2", ("brand", "b1")),
    ("same-category", "p4", ("category", "c1")),
    ("shared-ingredient", "p6", ("ingredient", "i1")),
    ("same-finish", "p7", ("finish", "f1")),
    ("within-budget", "p4", ("price", "20")),
    ("new-from-favourite-brand", "p14", ("product", "p10")),
    ("subcategory-of-purchase", "p5", ("subcategory", "c2")),
    ("category-neighbours-also-bought", "p15", ("other", "p4")),
    ("crowd-rated-highly", "p16", ("product", "p1")),
    ("crowd-also-bought", "p17", ("product", "p1")),
    ("viewed", "p18", ("item", "p18")),
    ("also-viewed", "p19", ("product", "p1")),
]


@pytest.fixture(scope="module")
def default_rules() -> RuleSet:
    return load_rules(ROOT / "data" / "rules" / "default.yaml", SHAPES)


def test_table_covers_every_default_rule(default_rules) -> None:
    # A new default rule needs a row in DEFAULT_SHAPES (and its facts in SHAPES).
    assert sorted(r.id for r in default_rules) == sorted(rid for rid, _, _ in DEFAULT_SHAPES)


@pytest.mark.parametrize("rid,item,binding", DEFAULT_SHAPES, ids=[c[0] for c in DEFAULT_SHAPES])
def test_each_default_rule_matches_its_shape(default_rules, rid: str, item: str, binding) -> None:
    one = RuleSet((default_rules.plan(rid),))
    found = find_chains(SHAPES, one, "u1", item, BIG)
    assert found.chains, f"{rid} found nothing for u1 -> {item}"
    var, key = binding
    assert any(c.binding(var) is not None and c.binding(var).key == key for c in found.chains)
    assert not find_chains(SHAPES, one, "u2", item, BIG).chains  # u2 only rated p1 two stars


def test_conditions_of_default_rules_filter(default_rules) -> None:
    within = RuleSet((default_rules.plan("within-budget"),))
    assert not find_chains(SHAPES, within, "u1", "p13", BIG).chains  # 50 > budget 30
    loved = RuleSet((default_rules.plan("same-brand-loved"),))
    assert find_chains(SHAPES, loved, "u1", "p2", BIG).chains[0].facts[0].values == (("score", 5.0),)


# -- hubs ------------------------------------------------------------------------------------

HUB_PRODUCTS = [f"p{k} brand b1" for k in range(100, 3100)]
FANS = [f"p{k} also_bought p2" for k in range(5000, 9000)]
HUB = graph("u1 purchased p1", "p1 brand b1", "p2 brand b1", "u1 prefers b1", "p100 also_bought p2",
            *HUB_PRODUCTS, *FANS)


def test_hub_is_crossed_from_the_small_side_when_it_is_the_meeting_point() -> None:
    rs = rules(HUB, rule("same-brand", "user purchased product", "product brand brand", "item brand brand"))
    found = find_chains(HUB, rs, "u1", "p2", Budget(seconds=60, hub_cap=1000))
    assert [c.binding("brand").key for c in found.chains] == ["b1"]
    assert not found.truncated and not found.timed_out


def test_hub_that_must_be_expanded_is_skipped_and_says_so() -> None:
    # Both sides are big (the brand: 3,001 products; the item: 4,001 also-bought sources), so the
    # search has to expand the brand; over the hub cap it is skipped and the result is truncated.
    rs = rules(HUB, rule("fav", "user prefers brand", "product brand brand", "product also_bought item"))
    capped = find_chains(HUB, rs, "u1", "p2", Budget(seconds=60, hub_cap=1000))
    assert capped.chains == () and capped.truncated
    assert any("cap" in n for n in capped.notes)
    full = find_chains(HUB, rs, "u1", "p2", Budget(seconds=60, hub_cap=10_000, max_work=50_000_000))
    assert [c.binding("product").key for c in full.chains] == ["p100"] and not full.truncated


# -- the per-rule cap keeps the most specific chains -----------------------------------------

SPECIFIC = graph("u1 purchased p1", *[f"p1 ingredient i{k}" for k in range(1, 5)],
                 *[f"p2 ingredient i{k}" for k in range(1, 5)],
                 *[f"p{k} ingredient i1" for k in range(10, 40)],  # i1 is common, i4 is rare
                 *[f"p{k} ingredient i2" for k in range(10, 20)], *[f"p{k} ingredient i3" for k in range(10, 13)])


def test_chain_cap_keeps_the_most_specific_chains() -> None:
    rs = rules(SPECIFIC, rule("shared", "user purchased product", "product ingredient ing", "item ingredient ing"))
    every = find_chains(SPECIFIC, rs, "u1", "p2", BIG)
    assert [c.binding("ing").key for c in every.chains] == ["i4", "i3", "i2", "i1"] and not every.truncated
    capped = find_chains(SPECIFIC, rs, "u1", "p2", Budget(seconds=60, max_chains_per_rule=2))
    assert [c.binding("ing").key for c in capped.chains] == ["i4", "i3"] and capped.truncated


# -- collaborative rules: counted, never named -----------------------------------------------

CROWD_G = graph("u1 purchased p1", *[f"s{k} purchased p1" for k in range(3)],
                *[f"s{k} rated p2 score=5 summary=secret_review_{k}" for k in range(3)],
                "s9 purchased p1", "s9 rated p2 score=1 summary=hated_it")
CROWD_RULE = """\
- id: crowd
  says: "{count} shoppers who bought {product} rated {item} highly."
  tags: [collaborative]
  min_support: MIN
  min_support_reason: "a tiny test graph"
  path:
    - user purchased product
    - shopper purchased product
    - shopper rated item as r
  when:
    - r.score >= 4
"""


@pytest.mark.parametrize("min_support,fires", [(3, True), (4, False)])
def test_crowd_fires_only_at_min_support(min_support: int, fires: bool) -> None:
    rs = rules(CROWD_G, CROWD_RULE.replace("MIN", str(min_support)))
    found = find_chains(CROWD_G, rs, "u1", "p2", BIG)
    assert bool(found.chains) == fires
    if fires:
        (chain,) = found.chains
        assert chain.support == 3  # s9 rated it one star: filtered by the condition, not counted
        assert [f.count for f in chain.facts] == [None, 3, 3]


def test_crowd_is_never_named() -> None:
    rs = rules(CROWD_G, CROWD_RULE.replace("MIN", "2"))
    (chain,) = find_chains(CROWD_G, rs, "u1", "p2", BIG).chains
    text = json.dumps(chain.to_dict())
    for secret in ("s0", "s1", "s2", "s9", "secret review", "hated it", "user/s"):
        assert secret not in text
    assert chain.binding("shopper") is None
    assert chain.facts[1].subject is None and chain.facts[1].subject_label == "3 other people"  # the default audience


def test_the_user_is_not_part_of_their_own_crowd() -> None:
    g = graph("u1 purchased p1", "u1 purchased p2", "s1 purchased p1", "s1 purchased p2")
    rs = rules(g, "- id: c\n  says: '{count}'\n  tags: [collaborative]\n  min_support: 2\n  min_support_reason: tiny\n  path:\n"
                  "    - user purchased product\n    - shopper purchased product\n    - shopper purchased item\n")
    assert find_chains(g, rs, "u1", "p2", BIG).chains == ()


# -- conditions ------------------------------------------------------------------------------

SHOP = graph("u1 purchased p1 date=2024-01-01", "u1 rated p1 score=5 summary=Love_it", "u1 budget 30",
             "u2 rated p1 score=3 summary=Fine", "u2 budget 10",
             "p1 brand b1", "p2 brand b1", "p3 brand b1", "p2 price 25", "p3 price 45", "u1 purchased p3")
SAME = ("user purchased product", "product brand brand", "item brand brand")


@pytest.mark.parametrize("when,item,fires", [
    (("not user purchased item",), "p2", True),
    (("not user purchased item",), "p3", False),
    (("not someone purchased item",), "p2", True),  # an unbound word means 'any': nobody bought p2
    (("not someone purchased item",), "p3", False),
    (("product != item",), "p2", True),
    (("item.price <= 30",), "p2", True),
    (("item.price <= 30",), "p3", False),
    (('brand == "b1"',), "p2", True),
    (('brand != "b1"',), "p2", False),
    (('item contains "p2"',), "p2", True),  # a node compares by id when the text is its id, else by label
    (('item matches "^p[0-9]$"',), "p2", True),
    (('item matches "^q"',), "p2", False),
])
def test_conditions(when: tuple[str, ...], item: str, fires: bool) -> None:
    rs = rules(SHOP, rule("r", *SAME, when=when))
    assert bool(find_chains(SHOP, rs, "u1", item, BIG).chains) == fires


@pytest.mark.parametrize("user,score,fires", [("u1", 4, True), ("u1", 6, False), ("u2", 4, False)])
def test_as_r_reads_the_score_of_that_fact(user: str, score: int, fires: bool) -> None:
    rs = rules(SHOP, rule("r", "user rated product as r", "product brand brand", "item brand brand",
                          when=(f"r.score >= {score}",)))
    found = find_chains(SHOP, rs, user, "p2", BIG)
    assert bool(found.chains) == fires


def test_as_r_reads_text_values() -> None:
    rs = rules(SHOP, rule("r", "user rated product as r", "product brand brand", "item brand brand",
                          when=('r.summary contains "love"',)))
    assert find_chains(SHOP, rs, "u1", "p2", BIG).chains
    assert not find_chains(SHOP, rs, "u2", "p2", BIG).chains


@pytest.mark.parametrize("user,item,fires", [("u1", "p2", True), ("u2", "p2", False)])
def test_literal_lookups_price_within_budget(user: str, item: str, fires: bool) -> None:
    rs = rules(SHOP, rule("r", "user rated product", "product brand brand", "item brand brand",
                          "item price price", "user budget budget", when=("price <= budget",)))
    found = find_chains(SHOP, rs, user, item, BIG)
    assert bool(found.chains) == fires
    if fires:
        values = {f.relation: f.object for f in found.chains[0].facts if f.is_value}
        assert values == {"price": "25", "budget": "30"}
        assert found.chains[0].binding("price").is_value


def test_lookup_without_a_value_does_not_match() -> None:
    g = graph("u1 purchased p1", "p1 brand b1", "p2 brand b1")  # no budget, no price
    rs = rules(g, rule("r", *SAME, "item price price", "user budget budget", when=("price <= budget",)))
    assert find_chains(g, rs, "u1", "p2", BIG).chains == ()


def test_dates_on_facts_compare() -> None:
    rs = rules(SHOP, rule("r", "user purchased product as r", "product brand brand", "item brand brand",
                          when=('r.date >= "2023-12-01"',)))
    assert find_chains(SHOP, rs, "u1", "p2", BIG).chains


def test_values_keep_their_digits() -> None:
    g = graph("u1 purchased p1", "p1 brand b1", "p2 brand b1", "p2 price 12999.99", "u1 budget 20000")
    rs = rules(g, rule("r", *SAME, "item price price", "user budget budget", when=("price <= budget",)))
    (chain,) = find_chains(g, rs, "u1", "p2", BIG).chains
    assert chain.binding("price").key == "12999.99"


def test_every_value_of_a_literal_step_is_tried() -> None:
    g = graph("u1 purchased p1", "p1 brand b1", "p2 brand b1", "p2 size 30_ml", "p2 size 50_ml")
    for size in ("30 ml", "50 ml"):
        rs = rules(g, rule("r", *SAME, "item size size", when=(f'size == "{size}"',)))
        assert find_chains(g, rs, "u1", "p2", BIG).chains, size


# -- determinism -----------------------------------------------------------------------------

SCRIPT = """
import json, sys
from kg import load_graph
from reasoning import find_chains_many, load_rules, Budget
g = load_graph(sys.argv[1])
rs = load_rules(sys.argv[2], g)
pairs = [(u, i) for u in sorted(g.users()) for i in sorted(g.items())]
out = [[c.to_dict() for c in r.chains] for r in find_chains_many(g, rs, pairs, Budget(seconds=60))]
print(json.dumps(out, sort_keys=True))
"""


def test_output_is_the_same_under_another_hash_seed() -> None:
    outs = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(CASES / "shop"), str(CASES / "shop_rules.yaml")],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
    assert outs[0] == outs[1] and len(json.loads(outs[0])) == 20 and '"rule"' in outs[0]


def test_many_pairs_equal_one_by_one() -> None:
    rs = rules(SHOP, rule("r", *SAME))
    pairs = [("u1", "p2"), ("u2", "p2"), ("u1", "p3")]
    many = find_chains_many(SHOP, rs, pairs, BIG)
    assert [m.chains for m in many] == [find_chains(SHOP, rs, u, i, BIG).chains for u, i in pairs]
