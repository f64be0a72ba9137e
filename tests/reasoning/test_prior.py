"""The expert's rule weights as a prior: the data moves them within a bound, or keeps their order."""
from __future__ import annotations

import json
import random

import pytest

from reasoning import find_chains
from reasoning.errors import ReasoningError
from reasoning.features import RULE_LEVEL
from reasoning.prior import clip, learned_weights
from reasoning.rank import Scorer, rank
from reasoning.train import MIN_SCALE, train_scorer
from tests.reasoning.test_rank import loaded, write_shop

# The expert got it backwards: the brand predicts the next purchase, the category does not.
RULES = """\
- id: same-brand
  says: "You bought {product}; {item} is also by {brand}."
  path: [user purchased product, product brand brand, item brand brand]
  weight: 1
- id: same-category
  says: "Like {product}, {item} is in {category}."
  path: [user purchased product, product category category, item category category]
  weight: 3
"""


def backwards_shop(folder):
    """40 users each buy three products of one brand; categories are drawn at random."""
    rng = random.Random(5)
    products = [(f"b{b:02d}p{k}", f"brand{b:02d}", f"cat{rng.randrange(4)}") for b in range(20) for k in range(3)]
    purchases = [(f"u{n:02d}", f"b{n % 20:02d}p{k}", f"2024-0{k + 1}-01") for n in range(40) for k in range(3)]
    write_shop(folder, products, purchases)
    (folder / "rules.yaml").write_text(RULES)
    return loaded(folder)


@pytest.fixture(scope="module")
def backwards(tmp_path_factory):
    return backwards_shop(tmp_path_factory.mktemp("backwards"))


@pytest.mark.parametrize("expert, wanted, bound, out", [
    (2.0, 5.0, 0.5, 3.0), (2.0, 0.1, 0.5, 1.0), (2.0, 2.4, 0.5, 2.4), (0.0, 3.0, 0.5, 0.5), (1.0, 9.0, 0.0, 1.0)])
def test_clip_holds_a_weight_within_the_bound(expert, wanted, bound, out):
    assert clip(expert, wanted, bound) == pytest.approx(out)


def test_keep_order_never_puts_a_rule_below_one_the_expert_weighs_less():
    experts = {"a": 1.0, "b": 1.5, "c": 1.5, "d": 3.0}
    wanted = {"a": 1.5, "b": 0.9, "c": 2.0, "d": 1.6}
    free = learned_weights(experts, wanted, 0.5)
    assert free == {"a": 1.5, "b": 0.9, "c": 2.0, "d": 1.6} and free["d"] < free["c"]
    kept = learned_weights(experts, wanted, 0.5, keep_order=True)
    assert kept["a"] <= min(kept["b"], kept["c"]) and max(kept["b"], kept["c"]) <= kept["d"]
    assert all(clip(experts[r], kept[r], 0.5) == kept[r] for r in kept)


def test_the_data_moves_the_experts_weights_only_within_the_bound(backwards):
    graph, rules = backwards
    scorer = train_scorer(graph, rules, seed=0)
    rw = {r.rule: r for r in scorer.rules}
    assert scorer.trained and scorer.scale >= MIN_SCALE and scorer.bound == 0.5
    assert rw["same-brand"].wanted > 1.5 and rw["same-brand"].learned == pytest.approx(1.5)  # raised, to the bound
    assert rw["same-category"].learned < 3.0 and rw["same-category"].learned >= 1.5
    assert rw["same-brand"].real > rw["same-brand"].sampled and "100% of real next choices" in rw["same-brand"].why
    assert "the bound 0.50-1.50" in rw["same-brand"].why
    assert not set(scorer.names) & (RULE_LEVEL - {"rule_weight"})  # no second, unbounded rule weight
    # the rule part of a chain's score is scale * learned weight
    chain = next(c for c in find_chains(graph, rules, "u00", "b00p1").chains if c.rule == "same-brand")
    _, _, parts = scorer.explain(chain, graph, rules)
    assert parts["rule_weight"] + parts.get("rule:same-brand", 0.0) == pytest.approx(scorer.scale * 1.5)


def test_keep_order_keeps_the_experts_order(backwards):
    graph, rules = backwards
    scorer = train_scorer(graph, rules, seed=0, keep_order=True)
    rw = {r.rule: r for r in scorer.rules}
    assert scorer.keep_order and rw["same-brand"].learned <= rw["same-category"].learned
    strict = train_scorer(graph, rules, seed=0, bound=0.0)
    assert all(r.learned == r.expert for r in strict.rules)


def test_scorer_json_keeps_the_rule_table_and_reads_version_1(backwards, tmp_path):
    graph, rules = backwards
    scorer = train_scorer(graph, rules, seed=0)
    path = tmp_path / "s.json"
    scorer.save(path)
    again = Scorer.load(path)
    assert again == scorer and again.rules == scorer.rules and again.rule_weight("same-brand").learned == 1.5
    doc = json.loads(scorer.to_json())
    old = {k: doc[k] for k in ("format", "trained", "l2", "bias", "weights", "stats")} | {"version": 1}
    assert Scorer.from_json(json.dumps(old)).rules == ()
    for bad in ({**doc, "rules": [{"rule": "x"}]}, {**doc, "rules": "x"}, {**doc, "scale": "big"},
                {**doc, "rules": [{**doc["rules"][0], "real": -1}]}):
        with pytest.raises(ReasoningError) as err:
            Scorer.from_json(json.dumps(bad), "s.json")
        assert err.value.code == "R100" and "s.json" in str(err.value)
    (tmp_path / "folder").mkdir()
    with pytest.raises(ReasoningError):
        Scorer.load(tmp_path / "folder")


def test_keep_order_pools_rules_the_data_would_swap(backwards):
    """With a wider bound the data would put the brand rule above the category rule; the order holds."""
    graph, rules = backwards
    free = {r.rule: r for r in train_scorer(graph, rules, bound=0.9).rules}
    kept = {r.rule: r for r in train_scorer(graph, rules, bound=0.9, keep_order=True).rules}
    assert free["same-brand"].learned > free["same-category"].learned  # the data swaps them
    assert kept["same-brand"].learned == pytest.approx(kept["same-category"].learned)  # pooled: order kept
    assert "the expert's order of rules" in kept["same-brand"].why
    top = rank(graph, rules, find_chains(graph, rules, "u00", "b00p1"), train_scorer(graph, rules), k=1)
    assert top[0].chain.rule == "same-brand"  # within the bound the data still ranks the brand first here
