"""The fast matcher returns exactly what the frozen reference matcher returns.

``reference_match.py`` is a copy of the first, simple matcher (per-rule layered expansion in
plain Python). The fast one in ``reasoning/match.py`` must give the same chains (facts,
bindings, nodes, support, exact specificity), in the same order, with the same truncated and
timed-out flags and notes, for: the demo shop and a small synthetic Beauty graph with the
default rules, extra rule shapes (conditions, negations, reversed hops, crowds, four steps),
tight budgets that make hub and chain caps bite, and small random graphs with random rules.
"""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from kg import load_graph
from kg import terms as T
from kg.build import GraphBuilder
from kg.graph import KnowledgeGraph
from kg.vocab import RDF, RDF_TYPE, SCHEMA, WR
from reasoning import Budget, find_chains, find_chains_many, load_rules
from reasoning.ruleset import check_rules
from tests.reasoning import reference_match as ref

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
DEFAULT_RULES = ROOT / "data" / "rules" / "default.yaml"
ROOMY = Budget(seconds=60.0)  # no wall-clock timeouts on a slow shared machine: flags must match exactly

EXTRA_RULES = """
- id: also-viewed-not-self
  says: "{item} {product}"
  path:
    - user purchased product
    - product also_viewed item
  when:
    - product != item
- id: brand-with-a
  says: "{item} {brand}"
  path:
    - user purchased product
    - product brand brand
    - item brand brand
  when:
    - brand contains "a"
    - product != item
- id: named-brand
  says: "{item} {brand}"
  path:
    - user purchased product
    - product brand brand
    - item brand brand
  when:
    - brand == "aurelle"
- id: cheaper-than-before
  says: "{item} {price} {old}"
  path:
    - user purchased product
    - product category category
    - item category category
    - item price price
    - product price old
  when:
    - price < old
- id: label-regex
  says: "{item} {product}"
  path:
    - user purchased product
    - product also_bought item
  when:
    - product matches "^[A-Ma-m]"
- id: rated-words
  says: "{item} {product} {r.score}"
  path:
    - user rated product as r
    - product also_bought item
  when:
    - r.score >= 3
    - r.summary contains "e"
- id: dated-purchase
  says: "{item} {product} {f.date}"
  path:
    - user purchased product as f
    - product also_bought item
  when:
    - f.date contains "20"
- id: reversed-middle
  says: "{item} {product} {other}"
  path:
    - user purchased product
    - other also_bought product
    - other also_viewed item
- id: not-bought-no-claim
  says: "{item} {product}"
  path:
    - user purchased product
    - product also_bought item
  when:
    - not user purchased item
    - not item claim anything
- id: cheap-item
  says: "{item} {product}"
  path:
    - user viewed product
    - product category category
    - item category category
  when:
    - item.price <= 25
- id: bought-it
  says: "{item}"
  path:
    - user purchased item
- id: ingredient-neighbours
  says: "{item} {other} {ingredient} {product}"
  path:
    - user purchased product
    - product ingredient ingredient
    - other ingredient ingredient
    - other also_bought item
- id: category-tree-up
  says: "{item} {category} {top}"
  path:
    - user purchased product
    - product category category
    - category parent top
    - sub parent top
    - item category sub
- id: crowd-viewed
  says: "{count} {product} {item}"
  path:
    - user viewed product
    - shopper viewed product
    - shopper purchased item
  tags: [collaborative]
  min_support: 2
  min_support_reason: "a tiny test graph"
- id: crowd-brand-fans
  says: "{count} {brand} {item}"
  path:
    - user purchased product
    - product brand brand
    - other brand brand
    - shopper purchased other
    - shopper purchased item
  tags: [collaborative]
  min_support: 2
  min_support_reason: "a tiny test graph"
- id: crowd-same-taste
  says: "{count} {brand} {item}"
  path:
    - user prefers brand
    - shopper prefers brand
    - shopper rated item as r
  when:
    - r.score >= 4
  tags: [collaborative]
  min_support: 2
  min_support_reason: "a tiny test graph"
"""


def _snapshot(res) -> tuple:
    return (res.user, res.item, res.truncated, res.timed_out, res.notes,
            [(c.to_dict(), c.nodes, c.specificity, c.support) for c in res.chains])


def _assert_same(graph: KnowledgeGraph, plans, pairs, budget: Budget = ROOMY) -> dict[str, int]:
    """Compare find_chains and find_chains_many with the reference; returns coverage counts."""
    expected = [_snapshot(ref.find_chains(graph, plans, u, i, budget)) for u, i in pairs]
    assert not any(e[3] for e in expected), "the reference timed out: raise the test budget"
    got = [_snapshot(find_chains(graph, plans, u, i, budget)) for u, i in pairs]
    many = [_snapshot(r) for r in find_chains_many(graph, plans, pairs, budget)]
    for k, (u, i) in enumerate(pairs):
        assert got[k] == expected[k], f"find_chains differs for pair {k} ({u}, {i})"
        assert many[k] == expected[k], f"find_chains_many differs for pair {k} ({u}, {i})"
    return {"pairs": len(pairs), "with_chains": sum(bool(e[5]) for e in expected),
            "chains": sum(len(e[5]) for e in expected), "truncated": sum(e[2] for e in expected)}


def _pairs(graph: KnowledgeGraph, n: int, seed: int) -> list[tuple[str, str]]:
    """Half random pairs, half items the user's purchases lead to (two hops): those have chains."""
    rng = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    pairs = []
    for k in range(n):
        u = rng.choice(users)
        near = []
        if k % 2:
            for p in graph.neighbors(graph.node(u), "purchased").tolist():
                for rel in ("also_bought", "also_viewed", "brand", "category"):
                    for mid in graph.neighbors(p, rel).tolist():
                        near += graph.neighbors(mid, rel, reverse=True).tolist() if rel in ("brand", "category") \
                            else [mid]
        near = [graph.key(x) for x in near if graph.type_name(x) == "Product"]
        pairs.append((u, rng.choice(near) if near else rng.choice(items)))
    return pairs


def _plans(graph: KnowledgeGraph, text: str) -> tuple:
    plans, problems = check_rules("extra.yaml", graph, text=text)
    assert len(plans) >= 10, problems  # rules naming relations a graph lacks still validate
    return tuple(plans)


# -- the demo shop -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo() -> KnowledgeGraph:
    return load_graph(DEMO)


def test_demo_default_rules(demo: KnowledgeGraph) -> None:
    seen = _assert_same(demo, load_rules(DEFAULT_RULES, demo).plans, _pairs(demo, 300, seed=1))
    assert seen["with_chains"] > 150 and seen["chains"] > 1000  # the comparison is not vacuous


def test_demo_extra_shapes(demo: KnowledgeGraph) -> None:
    seen = _assert_same(demo, _plans(demo, EXTRA_RULES), _pairs(demo, 120, seed=2))
    assert seen["with_chains"] > 60


def test_demo_tight_budgets(demo: KnowledgeGraph) -> None:
    plans = load_rules(DEFAULT_RULES, demo).plans + _plans(demo, EXTRA_RULES)
    for budget in (Budget(60.0, hub_cap=15, max_chains_per_rule=3), Budget(60.0, hub_cap=40, max_chains_per_rule=1),
                   Budget(60.0, hub_cap=3, max_chains_per_rule=50)):
        seen = _assert_same(demo, plans, _pairs(demo, 40, seed=budget.hub_cap), budget)
        assert seen["truncated"] > 0


def _dense_graph(seed: int) -> KnowledgeGraph:
    """Users who bought much, products each also bought with a third of the others: paths explode."""
    rng = random.Random(seed)
    b = GraphBuilder(f"dense-{seed}")
    users = [f"<{NS}user/u{k}>" for k in range(3)]
    products = [f"<{NS}product/p{k:02d}>" for k in range(40)]
    for t in users:
        b.add(t, f"<{RDF_TYPE}>", f"<{WR}User>")
        for p in rng.sample(products, 20):
            b.add(t, f"<{RELS['purchased']}>", p)
    for p in products:
        b.add(p, f"<{RDF_TYPE}>", f"<{SCHEMA}Product>")
        for q in rng.sample(products, 14):
            if q != p:
                b.add(p, f"<{RELS['also_bought']}>", q)
    return b.build()


DENSE_RULES = """
- id: three-also-bought
  says: "{item}"
  path:
    - user purchased p
    - p also_bought q
    - q also_bought r
    - r also_bought item
- id: crowd-three
  says: "{count} {item}"
  path:
    - user purchased p
    - p also_bought q
    - s purchased q
    - s purchased item
  tags: [collaborative]
  min_support: 2
  min_support_reason: "a tiny test graph"
"""


@pytest.mark.parametrize("chains_per_rule", [2, 25])
def test_enumeration_limit(chains_per_rule: int) -> None:
    """More than max(200 * max_chains_per_rule, 1000) partial paths: the search stops there."""
    g = _dense_graph(chains_per_rule)
    plans, problems = check_rules("dense.yaml", g, text=DENSE_RULES)
    assert len(plans) == 2, problems
    pairs = [(u, p) for u in sorted(g.users()) for p in sorted(g.items())[::7]]
    seen = _assert_same(g, tuple(plans), pairs, Budget(60.0, max_chains_per_rule=chains_per_rule))
    assert seen["truncated"] > 0


# -- a small synthetic Beauty graph ---------------------------------------------------------------

@pytest.fixture(scope="module")
def beauty(tmp_path_factory) -> KnowledgeGraph:
    spec = importlib.util.spec_from_file_location("synth_beauty", ROOT / "benchmarks" / "synth_beauty.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    path = tmp_path_factory.mktemp("beauty") / "beauty_0.01.nt"
    synth.write(path, scale=0.01, seed=0)
    return load_graph(path)


def test_beauty_default_rules(beauty: KnowledgeGraph) -> None:
    seen = _assert_same(beauty, load_rules(DEFAULT_RULES, beauty).plans, _pairs(beauty, 200, seed=4))
    assert seen["with_chains"] > 100


def test_beauty_extra_shapes_and_hub_cap(beauty: KnowledgeGraph) -> None:
    plans = load_rules(DEFAULT_RULES, beauty).plans + _plans(beauty, EXTRA_RULES)
    seen = _assert_same(beauty, plans, _pairs(beauty, 60, seed=5), Budget(60.0, hub_cap=60, max_chains_per_rule=5))
    assert seen["truncated"] > 0


# -- small random graphs, random rules -------------------------------------------------------------

NS = "https://ex.org/"
RELS = {"purchased": WR + "purchased", "rated": WR + "rated", "viewed": WR + "viewed", "prefers": WR + "prefers",
        "brand": SCHEMA + "brand", "also_bought": WR + "alsoBought", "knows": NS + "knows"}


def _random_graph(seed: int) -> KnowledgeGraph:
    """Users, products, brands; shared hubs; a 'knows' relation (no domain) that reaches users."""
    rng = random.Random(seed)
    b = GraphBuilder(f"random-{seed}")
    node = lambda kind, k: f"<{NS}{kind}/{kind[0]}{k}>"  # noqa: E731
    users = [node("user", k) for k in range(rng.randint(4, 9))]
    products = [node("product", k) for k in range(rng.randint(5, 12))]
    brands = [node("brand", k) for k in range(rng.randint(1, 3))]
    for terms, cls in ((users, WR + "User"), (products, SCHEMA + "Product"), (brands, SCHEMA + "Brand")):
        for t in terms:
            b.add(t, f"<{RDF_TYPE}>", f"<{cls}>")
            if rng.random() < 0.8:
                b.add(t, f"<{SCHEMA}name>", T.literal(rng.choice(["Ana", "bo", "Cy", "dee"]) + t[-3:-1]))
    rel = lambda name: f"<{RELS[name]}>"  # noqa: E731
    for u in users:
        for p in rng.sample(products, rng.randint(0, len(products))):
            b.add(u, rel("purchased"), p)
        for p in rng.sample(products, rng.randint(0, 4)):
            b.add(u, rel("rated"), p)
            stmt = f"<{NS}fact/{u[-4:-1]}-{p[-4:-1]}>"
            b.add(stmt, f"<{RDF}subject>", u)
            b.add(stmt, f"<{RDF}predicate>", rel("rated"))
            b.add(stmt, f"<{RDF}object>", p)
            b.add(stmt, f"<{WR}score>", T.literal(str(rng.randint(1, 5)), T.XSD + "decimal"))
        for p in rng.sample(products, rng.randint(0, 3)):
            b.add(u, rel("viewed"), p)
        for x in rng.sample(brands + users + products, rng.randint(0, 3)):
            b.add(u, rel("prefers" if x in brands else "knows"), x)
        if rng.random() < 0.6:
            b.add(u, f"<{WR}budget>", T.literal(str(rng.randint(5, 40)), T.XSD + "decimal"))
    for p in products:
        if rng.random() < 0.8:
            b.add(p, rel("brand"), rng.choice(brands))
        for q in rng.sample(products + users[:1], rng.randint(0, 4)):
            if q != p:
                b.add(p, rel("also_bought" if q in products else "knows"), q)
        for _ in range(rng.choice([0, 1, 1, 2])):  # some have no price, a text price or two prices
            b.add(p, f"<{SCHEMA}price>", rng.choice([T.literal(str(rng.randint(3, 50)), T.XSD + "decimal"),
                                                     T.literal("n/a")]))
    return b.build()


SHAPES = [
    ("user purchased item",),
    ("user purchased p", "p also_bought item"),
    ("user purchased p", "p brand b", "item brand b"),
    ("user knows x", "x knows item"),
    ("user purchased p", "p knows x", "x knows item"),
    ("user purchased p", "q also_bought p", "q also_bought item"),
    ("user rated p as r", "p brand b", "q brand b", "q also_bought item"),
    ("user prefers b", "item brand b"),
    ("user viewed p", "p also_bought q", "q also_bought item"),
    ("user purchased p", "p also_bought q", "q brand b", "item brand b"),
]
CROWD_SHAPES = [
    ("user purchased p", "s purchased p", "s purchased item"),
    ("user prefers b", "s prefers b", "s rated item as r"),
]
CONDITIONS = ["", "p != item", "item.price <= budget", "r.score >= 3", "not user purchased item", "b contains \"a\"",
              "x != p", "item.price > 10", "not item also_bought any"]


def _random_rules(rng: random.Random) -> str:
    out = []
    for k in range(8):
        crowd = rng.random() < 0.3
        steps = list(rng.choice(CROWD_SHAPES if crowd else SHAPES))
        cond = rng.choice(CONDITIONS)
        if cond == "item.price <= budget":
            steps.append("user budget budget")
            cond = "item.price <= budget"
        lines = [f"- id: r{k}", "  says: \"{item}\"", "  path:"] + [f"    - {s}" for s in steps]
        if cond:
            lines += ["  when:", f"    - {cond}"]
        if crowd:
            lines += ["  tags: [collaborative]", f"  min_support: {rng.randint(2, 3)}",
                      '  min_support_reason: "a tiny test graph"']
        out.append("\n".join(lines))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", range(25))
def test_random_graphs(seed: int) -> None:
    g = _random_graph(seed)
    rng = random.Random(seed)
    plans, _ = check_rules("random.yaml", g, text=_random_rules(rng))  # rules that do not validate drop out
    users, items = sorted(g.users()), sorted(g.items())
    pairs = [(rng.choice(users), rng.choice(items)) for _ in range(25)]
    budget = Budget(60.0, hub_cap=rng.choice([1, 2, 3, 5000]), max_chains_per_rule=rng.choice([1, 2, 25]))
    _assert_same(g, tuple(plans), pairs, budget)


def test_work_budget_runs_out(demo: KnowledgeGraph) -> None:
    """Not compared (the counters differ by design): a tiny work budget must stop and say so."""
    plans = load_rules(DEFAULT_RULES, demo).plans
    u, i = _pairs(demo, 2, seed=6)[1]
    res = find_chains(demo, plans, u, i, Budget(60.0, max_work=1))
    assert res.timed_out and any("budget ran out" in n for n in res.notes)


# -- the array paths, forced ------------------------------------------------------------------------

@pytest.fixture
def arrays(monkeypatch):
    """Every step on arrays (reasoning/match_bulk.py) and every layer grown with numpy."""
    import reasoning.match as match
    import reasoning.match_bulk as bulk
    monkeypatch.setattr(bulk, "BULK", 0)
    monkeypatch.setattr(match, "_NUMPY_FROM", 2)


def test_arrays_demo(arrays, demo: KnowledgeGraph) -> None:
    plans = load_rules(DEFAULT_RULES, demo).plans + _plans(demo, EXTRA_RULES)
    _assert_same(demo, plans, _pairs(demo, 60, seed=7))
    _assert_same(demo, plans, _pairs(demo, 30, seed=8), Budget(60.0, hub_cap=15, max_chains_per_rule=3))


def test_arrays_beauty(arrays, beauty: KnowledgeGraph) -> None:
    _assert_same(beauty, load_rules(DEFAULT_RULES, beauty).plans, _pairs(beauty, 60, seed=9))


def test_arrays_dense_and_random(arrays) -> None:
    g = _dense_graph(2)
    plans, _ = check_rules("dense.yaml", g, text=DENSE_RULES)
    pairs = [(u, p) for u in sorted(g.users()) for p in sorted(g.items())[::7]]
    assert _assert_same(g, tuple(plans), pairs, Budget(60.0, max_chains_per_rule=2))["truncated"] > 0
    for seed in range(10):
        rg = _random_graph(seed)
        rng = random.Random(seed)
        rplans, _ = check_rules("random.yaml", rg, text=_random_rules(rng))
        users, items = sorted(rg.users()), sorted(rg.items())
        rpairs = [(rng.choice(users), rng.choice(items)) for _ in range(15)]
        _assert_same(rg, tuple(rplans), rpairs, Budget(60.0, hub_cap=rng.choice([1, 3, 5000]), max_chains_per_rule=2))


def test_the_memo_lets_a_graph_go() -> None:
    """The per-graph memo holds its graph weakly: a dropped graph is freed."""
    import gc
    import weakref
    g = _random_graph(3)
    plans, _ = check_rules("random.yaml", g, text=_random_rules(random.Random(3)))
    find_chains_many(g, tuple(plans), [(u, i) for u in sorted(g.users())[:2] for i in sorted(g.items())[:3]])
    ref_g = weakref.ref(g)
    del g
    gc.collect()
    assert ref_g() is None


# -- the batched matcher, forced -------------------------------------------------------------------

@pytest.fixture
def batched(monkeypatch):
    """find_chains_many on arrays for every call, in batches of 7 pairs (so batches split users)."""
    import reasoning.match as match
    monkeypatch.setattr(match, "BATCH_FROM", 1)
    monkeypatch.setattr(match, "BATCH", 7)


def test_batched_demo(batched, demo: KnowledgeGraph) -> None:
    plans = load_rules(DEFAULT_RULES, demo).plans + _plans(demo, EXTRA_RULES)
    _assert_same(demo, plans, _pairs(demo, 60, seed=17))
    _assert_same(demo, plans, _pairs(demo, 30, seed=18), Budget(60.0, hub_cap=15, max_chains_per_rule=3))


def test_batched_dense_and_random(batched) -> None:
    g = _dense_graph(3)
    plans, _ = check_rules("dense.yaml", g, text=DENSE_RULES)
    pairs = [(u, p) for u in sorted(g.users()) for p in sorted(g.items())[::5]]
    assert _assert_same(g, tuple(plans), pairs, Budget(60.0, max_chains_per_rule=2))["truncated"] > 0
    for seed in range(30, 45):
        rg = _random_graph(seed)
        rng = random.Random(seed)
        rplans, _ = check_rules("random.yaml", rg, text=_random_rules(rng))
        users, items = sorted(rg.users()), sorted(rg.items())
        rpairs = [(rng.choice(users), rng.choice(items)) for _ in range(20)]
        _assert_same(rg, tuple(rplans), rpairs, Budget(60.0, hub_cap=rng.choice([1, 2, 3, 5000]),
                                                       max_chains_per_rule=rng.choice([1, 2, 25])))


def test_batched_work_budget_runs_out(batched, demo: KnowledgeGraph) -> None:
    plans = load_rules(DEFAULT_RULES, demo).plans
    pairs = _pairs(demo, 8, seed=6)
    for res in find_chains_many(demo, plans, pairs, Budget(60.0, max_work=1)):
        assert res.timed_out and any("budget ran out" in n for n in res.notes)


def test_lazy_views_build_the_same_chains(demo: KnowledgeGraph) -> None:
    """The rows a lazy result keeps give each chain alone, equal to the one ``chains`` builds."""
    plans = load_rules(DEFAULT_RULES, demo).plans
    pairs = _pairs(demo, 40, seed=21)
    for res in find_chains_many(demo, plans, pairs, ROOMY) + [find_chains(demo, plans, u, i, ROOMY) for u, i in pairs[:5]]:
        views = res.views()
        assert res.count == len(views) == len(res.chains)
        for view, chain in zip(views, res.chains):
            assert view.build() == chain
            assert (view.rule, view.nodes, view.support, view.specificity) == \
                (chain.rule, chain.nodes, chain.support, chain.specificity)
