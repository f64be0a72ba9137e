"""Evidence strength: reach, departments, link strength, ratings, popularity; weak chains in ranking."""
from __future__ import annotations

import math

import pytest

from kg import load_graph
from reasoning import find_chains, load_rules
from reasoning.evidence import evidence
from reasoning.features import chain_features, pair_features
from reasoning.rank import rank, weight_scorer
from tests.reasoning import evidence_shop
from tests.reasoning.test_rank import loaded, write_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    folder = evidence_shop.write(tmp_path_factory.mktemp("evidence"))
    graph = load_graph(folder)
    return graph, load_rules(folder / "rules.yaml", graph)


def chains_by(graph, rules, user: str, item: str) -> dict[tuple[str, str], object]:
    """(rule, the middle node that is not a product) -> chain, for one pair."""
    out = {}
    for c in find_chains(graph, rules, user, item).chains:
        middle = [b.key for v, b in c.bindings if v not in ("user", "item", "product")]
        out[(c.rule, middle[0] if middle else "")] = c
    return out


def test_departments_come_from_the_tree_below_its_single_root(shop):
    graph, _ = shop
    ev = evidence(graph)
    dept = {graph.key(i): {graph.key(d) for d in ds} for i, ds in ev.department.items()}
    assert ev.grouping == "tree: parent" and len(dept) == 24
    assert dept["s00"] == dept["s01"] == {"skin"} and dept["h00"] == {"hair"}  # "all" splits nothing
    assert ev.same_department(graph.node("s03"), graph.node("s04")) is True
    assert ev.same_department(graph.node("s03"), graph.node("h04")) is False
    # reach climbs the tree: the root touches every item, a department its own
    assert [int(ev.reach[graph.node(k)]) for k in ("all", "skin", "hair", "glycerin", "rare0")] == [24, 16, 8, 20, 3]


def test_evidence_lives_on_its_graph(shop, tmp_path):
    graph, _ = shop
    assert evidence(graph) is evidence(graph) and vars(graph)["__whyrec_cache__"]["evidence"] is evidence(graph)
    other = load_graph(evidence_shop.write(tmp_path / "copy"))
    assert evidence(other) is not evidence(graph) and evidence(other).grouping == evidence(graph).grouping


def test_a_flat_grouping_is_a_department_and_one_group_is_none(tmp_path):
    products = [(f"p{n:02d}", f"b{n}", f"c{n % 3}") for n in range(16)]  # 16 brands: too fine; 3 categories
    graph, _ = loaded(write_shop(tmp_path / "flat", products, [("u", "p00", "2024-01-01")]))
    ev = evidence(graph)
    assert ev.grouping == "grouping: category" and ev.same_department(graph.node("p00"), graph.node("p03"))
    assert ev.same_department(graph.node("p00"), graph.node("p01")) is False
    graph, _ = loaded(write_shop(tmp_path / "one", [(p, b, "c") for p, b, _ in products], [("u", "p00", "2024-01-01")]))
    assert evidence(graph).department == {} and evidence(graph).same_department(0, 1) is None


def test_a_hub_ingredient_is_broad_and_a_rare_one_specific(shop):
    graph, rules = shop
    by = chains_by(graph, rules, "u00", "s01")  # u00 bought s00 (rare0), s05 and s10 (glycerin)
    rare = chain_features(by[("shared-ingredient", "rare0")], graph, rules)
    hub = chain_features(by[("shared-ingredient", "glycerin")], graph, rules)
    assert rare["broad"] == 0.0 and hub["broad"] == 1.0  # glycerin: 20 of 24 items
    assert rare["idf"] == pytest.approx(math.log(24 / 3) / math.log(24)) and hub["idf"] == pytest.approx(
        math.log(24 / 20) / math.log(24))
    assert rare["same_department"] == hub["same_department"] == 1.0 and not rare["cross_department"]


def test_departments_and_links_on_chains(shop):
    graph, rules = shop
    by = chains_by(graph, rules, "u00", "h00")  # a shampoo, for a skin-care buyer
    link = chain_features(by[("also-bought", "")], graph, rules)
    shared = chain_features(by[("shared-ingredient", "rare0")], graph, rules)
    assert link["cross_department"] == 1.0 and link["cross_shared"] == 0.0  # a co-purchase link may cross
    assert link["habit"] == 1.0  # every choice of u00 is in the department of s00, skin care
    assert shared["cross_department"] == 1.0 and shared["cross_shared"] == 1.0  # an ingredient should not
    # s00 -> s01 holds both ways, and two people (u02, u04) chose both ends
    f = chain_features(chains_by(graph, rules, "u00", "s01")[("also-bought", "")], graph, rules)
    assert f["link_mutual"] == 1.0 and f["link"] == pytest.approx(math.log1p(2))
    own = chain_features(chains_by(graph, rules, "u02", "s01")[("also-bought", "")], graph, rules)
    assert own["link"] == pytest.approx(math.log1p(1))  # u02 is one of the two: their own choice is not counted


def test_rating_against_the_users_own_mean_and_popularity(shop):
    graph, rules = shop
    loved = chain_features(chains_by(graph, rules, "u00", "s01")[("loved-ingredient", "rare0")], graph, rules)
    # u00 rated s00 5 and s05 4 (mean 4.5); scores run 3 to 5
    assert loved["rating"] == 1.0 and loved["rating_delta"] == pytest.approx(0.25)
    ev = evidence(graph)
    buyers = {k: len(graph.neighbors(graph.node(k), "purchased", reverse=True)) for k in ("s00", "h07")}
    most = max(len(graph.neighbors(n, "purchased", reverse=True)) for n in range(graph.n_nodes))
    assert ev.popularity[graph.node("s00")] == pytest.approx(math.log1p(buyers["s00"]) / math.log1p(most))
    assert pair_features(graph, graph.node("h07"))["no_chain"] == 1.0
    assert loved["popularity"] == pytest.approx(ev.popularity[graph.node("s01")])


def test_weak_chains_come_alone_or_not_at_all(shop):
    graph, rules = shop
    cross = find_chains(graph, rules, "u00", "h00")
    picks = rank(graph, rules, cross, weight_scorer(), k=3)
    assert [rc.chain.rule for rc in picks] == ["also-bought"]  # the glycerin and cross-department ones stay out
    kept = rank(graph, rules, cross, weight_scorer(), k=3, weak_chains="keep")
    assert len(kept) == 2 and any(rc.features["broad"] for rc in kept)
    only_weak = find_chains(graph, rules, "u00", "s07")  # s07 shares glycerin alone with u00's products
    assert only_weak.chains and all(chain_features(c, graph, rules)["broad"] for c in only_weak.chains)
    alone = rank(graph, rules, only_weak, weight_scorer(), k=3)
    assert len(alone) == 1 and alone[0].chain.rule == "loved-ingredient"  # the best of them, so the pair keeps one
    assert rank(graph, rules, only_weak, weight_scorer(), k=3, weak_chains="drop") == []
    with pytest.raises(Exception) as err:
        rank(graph, rules, only_weak, weight_scorer(), weak_chains="sometimes")
    assert getattr(err.value, "code", "") == "R103"


def test_a_lone_weak_reason_is_shown_only_when_it_reaches_the_scorers_floor(shop):
    from dataclasses import replace
    graph, rules = shop
    only_weak = find_chains(graph, rules, "u00", "s07")  # linked by glycerin alone
    best = rank(graph, rules, only_weak, weight_scorer(), k=3, weak_chains="always")[0].score
    above, below = replace(weight_scorer(), weak_floor=best + 0.01), replace(weight_scorer(), weak_floor=best)
    assert rank(graph, rules, only_weak, above, k=3) == []  # scores under the floor: no reason at all
    assert len(rank(graph, rules, only_weak, below, k=3)) == 1  # at the floor: the pair keeps its one reason
    assert len(rank(graph, rules, only_weak, above, k=3, weak_chains="always")) == 1
    strong = find_chains(graph, rules, "u00", "h00")  # a real link beside the weak ones: the floor does not apply
    assert [rc.chain.rule for rc in rank(graph, rules, strong, above, k=3)] == ["also-bought"]


def test_training_sets_the_floor_from_real_choices_linked_only_weakly(tmp_path):
    from reasoning.rank import Scorer
    from reasoning.train import WEAK_KEEP_REAL, train_scorer
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    graph = load_graph(root / "data" / "demo")
    rules = load_rules(root / "data" / "rules" / "default.yaml", graph)
    scorer = train_scorer(graph, rules)
    assert scorer.weak_floor is not None and math.isfinite(scorer.weak_floor)
    assert 0.5 < WEAK_KEEP_REAL < 1.0
    path = tmp_path / "scorer.json"
    scorer.save(path)
    assert Scorer.load(path).weak_floor == scorer.weak_floor  # kept with the scorer (and its cache)
    old = path.read_text().replace('"version": 3', '"version": 2').replace(f'"weak_floor": {scorer.weak_floor!r},', "")
    assert Scorer.from_json(old).weak_floor is None  # an older file: no floor, a lone weak reason shows
    with pytest.raises(Exception) as err:
        Scorer.from_json(path.read_text().replace(f'"weak_floor": {scorer.weak_floor!r}', '"weak_floor": "high"'))
    assert getattr(err.value, "code", "") == "R100"


def test_reasons_never_repeat_a_product_and_rules_differ_first(shop):
    graph, rules = shop
    for user, item in (("u00", "s01"), ("u03", "s04"), ("u09", "h01")):
        picks = rank(graph, rules, find_chains(graph, rules, user, item), weight_scorer(), k=3, weak_chains="keep")
        products = [b.key for rc in picks for v, b in rc.chain.bindings if v == "product"]
        assert len(products) == len(set(products))
        said = [rc.chain.rule for rc in picks]
        assert said[:len(set(said))] == list(dict.fromkeys(said))  # repeats only after every distinct rule


VIEWS = """\
namespace: https://shop.example/
nodes:
  - {file: products.csv, type: Product, id: id}
facts:
  - file: events.csv
    subject: {column: user, type: User}
    relation: {column: relation}
    object: {column: item, type: Product}
    values:
      date: {column: date, datatype: date}
"""


def test_holding_out_keeps_what_was_there_before_the_choice(tmp_path):
    from reasoning.holdout import holdout, without_facts
    (tmp_path / "whyrec.yaml").write_text(VIEWS)
    (tmp_path / "products.csv").write_text("id\na\nb\nc\n")
    (tmp_path / "events.csv").write_text("user,relation,item,date\n"
                                         "u,purchased,a,2024-01-01\nu,purchased,b,2024-02-01\n"
                                         "u,viewed,b,2024-01-20\nu,rated,b,2024-02-05\nu,viewed,c,2024-01-03\n")
    graph = load_graph(tmp_path)
    held = holdout(graph, "purchased")
    assert [(graph.key(u), graph.key(i)) for u, i in held.pairs] == [("u", "b")] and held.by == "date"
    kept, removed = without_facts(graph, held.pairs, before="purchased")
    u = kept.node("u")
    assert removed == 2 and [kept.key(n) for n in kept.neighbors(u, "viewed")] == ["b", "c"]  # the earlier look stays
    assert [kept.key(n) for n in kept.neighbors(u, "purchased")] == ["a"] and not len(kept.neighbors(u, "rated"))
    strict, removed = without_facts(graph, held.pairs)
    assert removed == 3 and [strict.key(n) for n in strict.neighbors(strict.node("u"), "viewed")] == ["c"]
