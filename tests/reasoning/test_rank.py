"""The chain ranker: features, the trained scorer, per-user weights, diversity, saving."""
from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kg import load_graph
from reasoning import find_chains, load_rules
from reasoning.errors import ReasoningError
from reasoning.features import FEATURES, chain_features, holdout, without_facts
from reasoning.rank import Scorer, UserWeights, rank, weight_scorer
from reasoning.train import fit_logistic, train_scorer

ROOT = Path(__file__).resolve().parents[2]

MAPPING = """\
namespace: https://shop.example/
nodes:
  - file: products.csv
    type: Product
    id: id
    columns:
      brand: {relation: brand, type: Brand, split: "|"}
      category: {relation: category, type: Category, split: "|"}
      maker: {relation: made_by, type: Maker}
facts:
  - file: purchases.csv
    subject: {column: user, type: User}
    relation: purchased
    object: {column: item, type: Product}
    values:
      date: {column: date, datatype: date}
"""
RULES = """\
- id: same-brand
  says: "You bought {product}; {item} is also by {brand}."
  path: [user purchased product, product brand brand, item brand brand]
  weight: 2
- id: same-category
  says: "Like {product}, {item} is in {category}."
  path: [user purchased product, product category category, item category category]
  weight: 1.6
"""
MAKER_RULE = """\
- id: same-maker
  says: "{item} is made by {maker}, like {product}."
  path: [user purchased product, product made_by maker, item made_by maker]
  weight: 1
"""


def write_shop(folder: Path, products: list[tuple[str, str, str]], purchases: list[tuple[str, str, str]],
               makers: dict[str, str] | None = None) -> Path:
    """A shop as tables: products (id, brands 'a|b', categories), purchases (user, item, date)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{p},{b},{c},{(makers or {}).get(p, '')}\n" for p, b, c in products)
    (folder / "products.csv").write_text("id,brand,category,maker\n" + rows)
    (folder / "purchases.csv").write_text("user,item,date\n" + "".join(f"{u},{i},{d}\n" for u, i, d in purchases))
    (folder / "whyrec.yaml").write_text(MAPPING)
    (folder / "rules.yaml").write_text(RULES)
    return folder


def hub_shop(folder: Path) -> Path:
    """Shoppers buy a second product of a small brand; a 200-product hub brand predicts nothing."""
    rng = random.Random(7)
    products = [(f"h{k:03d}", "hub", f"c{k}") for k in range(200)]
    purchases = []
    for n in range(30):
        products += [(f"n{n:02d}a", f"niche{n:02d}", f"ca{n}"), (f"n{n:02d}b", f"niche{n:02d}", f"cb{n}")]
        user = f"u{n:02d}"
        purchases += [(user, f"h{rng.randrange(200):03d}", "2024-01-01"), (user, f"n{n:02d}a", "2024-02-01"),
                      (user, f"n{n:02d}b", "2024-03-01")]
    # the probe: one pair reached through a 2-product brand and through the hub brand
    products += [("pn", "nicheprobe", "cpn"), ("x", "nicheprobe|hub", "cx")]
    purchases += [("probe", "pn", "2024-01-05"), ("probe", "h000", "2024-01-06")]
    return write_shop(folder, products, purchases)


def loaded(folder: Path):
    graph = load_graph(folder)
    return graph, load_rules(folder / "rules.yaml", graph)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    graph, rules = loaded(hub_shop(tmp_path_factory.mktemp("hub")))
    return graph, rules, train_scorer(graph, rules, seed=0)


def test_specific_brand_beats_hub_brand(hub):
    graph, rules, scorer = hub
    result = find_chains(graph, rules, "probe", "x")
    via = lambda rc: rc.chain.binding("brand").key  # noqa: E731
    assert sorted(c.binding("brand").key for c in result.chains) == ["hub", "nicheprobe"]
    assert scorer.trained and scorer.stats.positives_with_chains > 0 and scorer.stats.negatives_with_chains > 0
    for s in (weight_scorer(), scorer):  # weights tie: specificity decides; trained: it learned so
        assert via(rank(graph, rules, result, s, k=2)[0]) == "nicheprobe"
    niche, hub_chain = sorted(result.chains, key=lambda c: c.binding("brand").key != "nicheprobe")
    assert scorer.score(niche, graph, rules) > scorer.score(hub_chain, graph, rules)
    f = chain_features(hub_chain, graph, rules)
    assert f["hub"] == pytest.approx(np.log1p(201)) and f["specificity"] < chain_features(niche, graph, rules)["specificity"]


def test_contributions_sum_to_the_score(hub):
    graph, rules, scorer = hub
    for rc in rank(graph, rules, find_chains(graph, rules, "probe", "x"), scorer, k=2):
        assert sum(rc.contributions.values()) == pytest.approx(rc.score)
        assert set(FEATURES) <= set(rc.features) and rc.features["rule:same-brand"] == 1.0
        bare = dataclasses.replace(rc.chain, nodes=())  # e.g. a chain read back from JSON
        assert chain_features(bare, graph, rules) == rc.features


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """Users d and e bought p1, p5 (brand B1), p2 (brand B2) and p3 (category C); x is B1, B2 and C."""
    products = [("p1", "B1", "C1"), ("p5", "B1", "C5"), ("p2", "B2", "C2"), ("p3", "B9", "C"),
                ("x", "B1|B2", "C"), ("y", "B8", "C8")]
    purchases = [(u, p, f"2024-01-0{k + 1}") for u in ("d", "e") for k, p in enumerate(("p1", "p2", "p3", "p5"))]
    return loaded(write_shop(tmp_path_factory.mktemp("varied"), products, purchases))


def middles(rc) -> set[str]:
    return {b.key for v, b in rc.chain.bindings if v not in ("user", "item")}


def test_diverse_no_middle_node_twice_and_rules_vary(varied):
    graph, rules = varied
    result = find_chains(graph, rules, "d", "x")
    through = lambda chains, key: sum(any(b.key == key for _, b in c.bindings) for c in chains)  # noqa: E731
    assert through(result.chains, "B1") == 2 and len(result.chains) == 4
    top = rank(graph, rules, result, weight_scorer(), k=5)
    for a in range(len(top)):
        for b in range(a + 1, len(top)):
            assert not middles(top[a]) & middles(top[b])
    assert through([rc.chain for rc in top], "B1") == 1
    # B2 (2 products) is more specific than B1 (3); the category chain beats a second brand chain
    assert [(rc.chain.rule, rc.penalty) for rc in top] == [("same-brand", 0.0), ("same-category", 0.0), ("same-brand", 1.0)]
    assert top[0].chain.binding("brand").key == "B2"
    # a rule is said a second time only when no other rule has a chain left, whatever the penalty
    no_penalty = rank(graph, rules, result, weight_scorer(), k=5, rule_penalty=0.0)
    assert [rc.chain.rule for rc in no_penalty] == ["same-brand", "same-category", "same-brand"]
    assert [rc.chain.rule for rc in rank(graph, rules, result, weight_scorer(), k=2)] == ["same-brand", "same-category"]


def test_user_weights_change_only_their_user(varied):
    graph, rules = varied
    d, e = find_chains(graph, rules, "d", "x"), find_chains(graph, rules, "e", "x")
    likes_categories = UserWeights("d", rules=(("same-category", 3.0),))
    assert rank(graph, rules, d, weight_scorer(), k=1)[0].chain.rule == "same-brand"
    top = rank(graph, rules, d, weight_scorer(), k=1, user_weights=likes_categories)[0]
    assert top.chain.rule == "same-category" and top.contributions["user:rule:same-category"] == 3.0
    plain = [(rc.chain, rc.score) for rc in rank(graph, rules, e, weight_scorer(), k=3)]
    own = [(rc.chain, rc.score) for rc in rank(graph, rules, e, weight_scorer(), k=3, user_weights=UserWeights("e"))]
    assert plain == own
    with pytest.raises(ReasoningError) as err:
        rank(graph, rules, e, weight_scorer(), user_weights=likes_categories)
    assert err.value.code == "R101"
    with pytest.raises(ReasoningError):
        weight_scorer().score(e.chains[0], graph, rules, likes_categories)
    no_brands = UserWeights("d", relations=(("brand", -5.0),))
    assert rank(graph, rules, d, weight_scorer(), k=1, user_weights=no_brands)[0].chain.rule == "same-category"


DETERMINISM = """
import sys
from kg import load_graph
from reasoning import load_rules
from reasoning.train import train_scorer
g = load_graph(sys.argv[1])
sys.stdout.write(train_scorer(g, load_rules(sys.argv[1] + '/rules.yaml', g), seed=3).to_json())
"""


def test_training_is_deterministic_under_any_hash_seed(tmp_path):
    folder = hub_shop(tmp_path / "shop")
    graph, rules = loaded(folder)
    here = train_scorer(graph, rules, seed=3).to_json()
    for seed in ("1", "987"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "OMP_NUM_THREADS": "1"}
        out = subprocess.run([sys.executable, "-c", DETERMINISM, str(folder)], capture_output=True, text=True,
                             env=env, cwd=ROOT, check=True).stdout
        assert out == here
    assert json.loads(here)["stats"]["heldout"] == "date"


def test_no_interactions_falls_back_to_rule_weights(tmp_path):
    graph, rules = loaded(write_shop(tmp_path / "a", [("p1", "B", "C"), ("p2", "B", "C")], [("u", "p1", "2024-01-01")]))
    scorer = train_scorer(graph, rules)
    assert not scorer.trained and scorer.names == ("rule_weight",) and "two or more" in scorer.stats.note
    result = find_chains(graph, rules, "u", "p2")
    # same brand and same category both lean on the user's one product p1: a pair's reasons never repeat a product
    assert [rc.score for rc in rank(graph, rules, result, scorer)] == [2.0]
    assert sorted(scorer.score(c, graph, rules) for c in result.chains) == [1.6, 2.0]
    catalog_only = tmp_path / "b"
    write_shop(catalog_only, [("p1", "B", "C")], [])
    (catalog_only / "whyrec.yaml").write_text(MAPPING.split("facts:")[0])
    graph, rules = loaded(catalog_only)
    assert train_scorer(graph, rules).stats.note.startswith("the graph has no user-item interactions")


def test_json_round_trip_and_bad_files(hub, tmp_path):
    _, _, scorer = hub
    path = tmp_path / "scorer.json"
    scorer.save(path)
    assert Scorer.load(path) == scorer and Scorer.from_json(scorer.to_json()) == scorer
    assert Scorer.from_json(weight_scorer("why").to_json()) == weight_scorer("why")
    for bad in ("{", '{"format": "other"}', scorer.to_json().replace('"bias": ', '"bias": "x", "_": ')):
        path.write_text(bad)
        with pytest.raises(ReasoningError) as err:
            Scorer.load(path)
        assert err.value.code == "R100" and str(path) in str(err.value)


def test_holdout_takes_the_newest_and_masks_both_ways(hub):
    graph, _, _ = hub
    held = holdout(graph, "purchased", seed=0)
    newest = {graph.key(u): graph.key(i) for u, i in held.pairs}
    assert held.by == "date" and newest["u05"] == "n05b" and len(newest) == 31
    masked, removed = without_facts(graph, held.pairs)
    assert removed == 31 and len(masked) == len(graph) - 31
    assert "n05b" not in {masked.key(n) for n in masked.neighbors(masked.node("u05"), "purchased")}
    assert len(masked.neighbors(masked.node("u05"), "purchased")) == 2


def test_a_relation_the_shop_added_is_a_feature(tmp_path):
    products = [("p1", "B1", "C1"), ("p2", "B2", "C2"), ("q", "B3", "C3")]
    makers = {"p1": "m1", "q": "m1", "p2": "m2"}
    folder = write_shop(tmp_path, products, [("u", "p1", "2024-01-01"), ("u", "p2", "2024-01-02")], makers)
    (folder / "rules.yaml").write_text(RULES + MAKER_RULE)
    graph, rules = loaded(folder)
    chain = find_chains(graph, rules, "u", "q").chains[0]
    f = chain_features(chain, graph, rules)
    assert chain.rule == "same-maker" and f["rel:made_by"] == 1.0 and f["hub"] == pytest.approx(np.log1p(2))
    assert f["dated"] == 1.0 and 0 < f["recency"] < 1 and f["recency_user"] < 1


def test_fit_logistic_reaches_the_optimum():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3)) * [1, 10, 1]
    y = (x @ [1.5, -0.2, 0.0] + rng.normal(size=200) > 0).astype(float)
    w, scale, l2 = rng.uniform(0.5, 1.5, size=200), np.array([True, True, False]), 0.5
    coef, bias, _, _ = fit_logistic(x, y, w, scale, l2)
    sd = np.where(scale, np.sqrt(w @ (x - (w @ x) / w.sum()) ** 2 / w.sum()), 1.0)

    def objective(c: np.ndarray, b: float) -> float:  # the same loss, written on raw features
        t = x @ c + b
        return float(w @ (np.logaddexp(0, t) - y * t) + 0.5 * l2 * np.sum((c * sd) ** 2))

    best = objective(coef, bias)
    for k in range(4):
        for eps in (1e-3, -1e-3):
            c, b = coef.copy(), bias
            if k < 3:
                c[k] += eps
            else:
                b += eps
            assert objective(c, b) > best
    assert coef[0] > 0.5 and coef[1] < -0.05
