"""generation/explain.py: the per-pair pipeline on the demo catalog, end to end, with templates
(and a fake verbalizer for the model path; the shipped model when it is there)."""
from __future__ import annotations

import dataclasses
import json
import math

import pytest

from generation.errors import GenerationError
from generation.explain import Explainer
from generation.explanation import Explanation, Reason
from generation.verbalizer import default_model_dir
from generation.verify import verify
from reasoning import find_chains, load_rules
from reasoning.match import Budget

from tests.generation.conftest import RULES
STAGES = ("chains", "ranking", "generation", "verification")
# Pairs of the demo catalog with three reasons each, from different rules (what `whyrec demo` shows).
PAIRS = [("u001", "p0001"), ("u008", "p0038"), ("u015", "p0130"), ("u022", "p0112"), ("u029", "p0204")]


@pytest.fixture(scope="module")
def explainer(graph, rules, scorer, tmp_path_factory):
    # an explicit feedback path: the tests never write beside the shipped catalog; a search budget no
    # loaded machine runs out of (the 0.25 s wall default cut one pair of a CI run under load, so two
    # calls that must agree did not): these tests compare answers, the budget has tests of its own
    return Explainer(graph, rules, verbalizer=None, scorer=scorer, budget=Budget(seconds=60.0),
                     feedback=tmp_path_factory.mktemp("fb") / "feedback.json")


@pytest.fixture(scope="module")
def empty_pair(graph, rules) -> tuple[str, str]:
    for user in ("u011", "u003", "u008"):
        for item in sorted(graph.items())[:60]:
            if not find_chains(graph, rules, user, item).chains:
                return user, item
    pytest.fail("every pair of the sample has a chain; pick another sample")


def test_explain_returns_frozen_checked_reasons_with_their_chains(explainer, rules, graph) -> None:
    e = explainer.explain("u022", "p0112")
    assert isinstance(e, Explanation) and (e.user, e.item) == ("u022", "p0112")
    assert e.item_label == graph.label(graph.node("p0112")) and not e.empty and e.message == ""
    assert 1 <= len(e.reasons) <= 3
    rule_ids = {r.id for r in rules.rules}
    for r in e.reasons:
        assert isinstance(r, Reason) and r.text.strip()
        assert r.rule in rule_ids and r.chain.rule == r.rule
        assert r.verified is True and r.source == "template"
        assert r.verified_claims and not r.unsupported_claims
        assert isinstance(r.score, float) and math.isfinite(r.score)
        assert r.facts and all(f.subject_label and f.object_label and f.relation for f in r.facts)
        assert r.chain.binding("user").key == "u022" and r.chain.binding("item").key == "p0112"
        assert r.contributions and all(isinstance(v, float) for _, v in r.contributions)
    assert len({r.rule for r in e.reasons}) == len(e.reasons)  # different rules on the demo pair
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.reasons[0].text = "something else"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.message = "x"  # type: ignore[misc]


def test_timings_cover_every_stage(explainer) -> None:
    e = explainer.explain("u015", "p0130")
    assert tuple(name for name, _ in e.timings) == STAGES
    times = dict(e.timings)
    assert all(v >= 0 for v in times.values())
    assert times["generation"] == 0.0  # templates: no model ran


def test_k_limits_the_reasons_and_must_be_positive(explainer) -> None:
    assert len(explainer.explain("u022", "p0112", k=1).reasons) == 1
    with pytest.raises(GenerationError) as err:
        explainer.explain("u022", "p0112", k=0)
    assert err.value.code == "E004"


def test_to_dict_is_json_and_carries_every_field(explainer) -> None:
    e = explainer.explain("u001", "p0001")
    d = e.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert (d["user"], d["item"], d["item_label"], d["message"]) == (e.user, e.item, e.item_label, e.message)
    assert (d["truncated"], d["timed_out"], d["notes"]) == (e.truncated, e.timed_out, list(e.notes))
    assert "debug" not in d and not any("debug" in rd or "score" in rd for rd in d["reasons"])  # off by default
    full = e.to_dict(debug=True)
    assert list(full["debug"]["timings_ms"]) == list(STAGES)
    assert len(d["reasons"]) == len(e.reasons)
    for n, (rd, r, rf) in enumerate(zip(d["reasons"], e.reasons, full["reasons"]), 1):
        assert (rd["rank"], rd["text"], rd["rule"]["id"], rd["verified"], rd["source"]) == (n, r.text, r.rule, True, r.source)
        assert rd["rule"]["tags"] == list(r.tags) and rd["rule"]["title"]
        assert [f["relation"] for f in rd["facts"]] == [f.relation for f in r.facts]
        assert [f["object_label"] for f in rd["facts"]] == [f.object_label for f in r.facts]
        assert rd["verdict"]["problems"] == [] and rd["verdict"]["ok"] is True
        assert rf["debug"]["score"] == pytest.approx(r.score, abs=1e-4)
        assert rf["debug"]["verified_claims"] == list(r.verified_claims)
        # claims read as words, not as the claim reader's internal records
        assert all("Claim(" not in c and "Mention(" not in c for c in rf["debug"]["verified_claims"])
        assert set(rf["debug"]["ranking"]) == {k for k, _ in r.contributions}


def test_explain_many_gives_what_explain_gives_one_by_one(explainer, empty_pair) -> None:
    pairs = PAIRS + [empty_pair]
    many = explainer.explain_many(pairs)
    assert [(e.user, e.item) for e in many] == pairs
    assert many == [explainer.explain(u, i) for u, i in pairs]  # timings are left out of equality
    assert explainer.explain_many([]) == []


def test_ids_and_iris_give_the_same_result(explainer, graph) -> None:
    by_iri = explainer.explain(graph.iri(graph.node("u022")), graph.iri(graph.node("p0112")))
    assert by_iri == explainer.explain("u022", "p0112")


@pytest.mark.parametrize("user, item, code, named, suggested", [
    ("u0011", "p0002", "E001", "unknown user 'u0011'", "'u001'"),
    ("p0002", "p0002", "E001", "'p0002' is a Product, not a user", "'u002'"),
    ("u001", "p00022", "E002", "unknown item 'p00022'", "'p0002'"),
    ("u001", "u002", "E002", "'u002' is a User, not an item", "'p0"),
    ("u001", "aurelle", "E002", "'aurelle' is a Brand, not an item", ""),
])
def test_unknown_user_or_item_is_a_clear_error(explainer, user, item, code, named, suggested) -> None:
    with pytest.raises(GenerationError) as err:
        explainer.explain(user, item)
    assert err.value.code == code
    text = str(err.value)
    assert named in text and suggested in text
    if code == "E001":  # suggestions for a user are users, never products
        assert "'p0" not in err.value.hint


def test_a_pair_no_rule_links_is_empty_and_says_so(explainer, empty_pair) -> None:
    e = explainer.explain(*empty_pair)
    assert e.empty and e.reasons == ()
    assert "no rule links" in e.message and "does not invent" in e.message
    assert e.to_dict()["reasons"] == []


def test_no_reason_names_anything_outside_its_chain(explainer, graph) -> None:
    product_labels = {graph.label(graph.node(i)) for i in graph.items()}
    for e in explainer.explain_many(PAIRS):
        for r in e.reasons:
            assert verify(r.text, r.chain, graph).ok, r.text
            chain_labels = {f.subject_label for f in r.facts} | {f.object_label for f in r.facts}
            # independent of the verifier: every product the sentence names is one of the chain's
            named = {p for p in product_labels if p in r.text and not any(p in c for c in chain_labels)}
            assert not named, (r.text, named)
            assert "u0" not in r.text  # no user id is ever said, not even the user's own


class FakeModel:
    """A verbalizer stand-in: for every source, a made-up claim first, then one sentence."""

    def __init__(self, hallucination: str, sentence: str):
        self.calls: list[list[str]] = []
        self.hallucination, self.sentence = hallucination, sentence

    def generate(self, sources: list[str], n: int) -> list[list[str]]:
        self.calls.append(list(sources))
        return [[self.hallucination, self.sentence][:n] for _ in sources]


def test_model_sentences_are_verified_and_the_rest_fall_back(graph, rules, scorer, tmp_path) -> None:
    outside = graph.label(graph.node("p0360"))  # a product in none of the pair's chains
    model = FakeModel(f"You bought <ITEM> and {outside}.", "You looked at <ITEM>.")
    ex = Explainer(graph, rules, verbalizer=model, scorer=scorer, feedback=tmp_path / "fb.json", n_best=2)
    e = ex.explain("u015", "p0130")
    by_rule = {r.rule: r for r in e.reasons}
    assert "viewed" in by_rule and len(by_rule) >= 2
    assert by_rule["viewed"].source == "model"
    # the item by the short name its catalog allows (the demo's short_name column)
    assert by_rule["viewed"].text == "You looked at Pro Artist Foundation in Fair."
    for r in e.reasons:
        assert outside not in r.text and r.verified
        if r.rule != "viewed":  # the model's sentence says the wrong fact for these chains
            assert r.source == "template"
    assert dict(e.timings)["generation"] > 0


def test_explain_many_batches_the_model(graph, rules, scorer, tmp_path) -> None:
    model = FakeModel("nonsense <P9>", "nothing")
    # without the verbalization cache, which would ask once per distinct input (test_vcache.py)
    ex = Explainer(graph, rules, verbalizer=model, scorer=scorer, feedback=tmp_path / "fb.json", vcache=0)
    results = ex.explain_many(PAIRS)
    # one greedy call for all reasons, one beam call for those that failed (here: all)
    assert len(model.calls) == 2
    assert len(model.calls[0]) == len(model.calls[1]) == sum(len(e.reasons) for e in results)
    assert all(r.source == "template" and r.verified for e in results for r in e.reasons)


def test_a_verbalizer_must_have_generate(graph, rules, scorer) -> None:
    with pytest.raises(GenerationError) as err:
        Explainer(graph, rules, verbalizer=object(), scorer=scorer)
    assert err.value.code == "E004"


def test_weights_scorer_ranks_by_rule_weight(graph, rules, tmp_path) -> None:
    ex = Explainer(graph, rules, verbalizer=None, scorer="weights", feedback=tmp_path / "fb.json")
    e = ex.explain("u022", "p0112")
    assert not ex.scorer.trained and e.reasons and all(r.verified for r in e.reasons)


SHIPPED = default_model_dir() / "config.json"


@pytest.mark.slow
@pytest.mark.skipif(not SHIPPED.exists(), reason="the shipped verbalizer (data/models/verbalizer) is absent")
def test_shipped_model_says_verified_reasons(graph, rules, scorer, tmp_path) -> None:
    ex = Explainer(graph, rules, scorer=scorer, feedback=tmp_path / "fb.json")
    assert ex.verbalizer is not None
    results = ex.explain_many(PAIRS)
    reasons = [r for e in results for r in e.reasons]
    assert reasons and all(r.verified and verify(r.text, r.chain, graph).ok for r in reasons)
    assert any(r.source == "model" for r in reasons)


@pytest.mark.skipif(SHIPPED.exists(), reason="the shipped verbalizer is present")
def test_default_verbalizer_falls_back_to_templates_without_a_model(graph, rules, scorer, tmp_path) -> None:
    ex = Explainer(graph, rules, scorer=scorer, feedback=tmp_path / "fb.json")
    assert ex.verbalizer is None
    assert all(r.source == "template" for r in ex.explain("u022", "p0112").reasons)


def test_an_id_shared_by_a_brand_and_a_product_still_explains(tmp_path) -> None:
    """Source ids are unique per type only: 'lumiere' is a brand and a product here."""
    from kg.build import GraphBuilder
    from kg.vocab import RDF_TYPE, SCHEMA, WR
    e = "https://shop.example/"
    b = GraphBuilder("ambiguous")
    for key, cls, name in [("user/u1", WR + "User", None), ("product/glow", SCHEMA + "Product", "Glow Serum"),
                           ("product/lumiere", SCHEMA + "Product", "Lumiere Cream"),
                           ("brand/lumiere", SCHEMA + "Brand", "Lumiere")]:
        b.add(f"<{e}{key}>", f"<{RDF_TYPE}>", f"<{cls}>")
        if name:
            b.add(f"<{e}{key}>", f"<{SCHEMA}name>", f'"{name}"')
    b.add(f"<{e}user/u1>", f"<{WR}purchased>", f"<{e}product/glow>")
    for p in ("glow", "lumiere"):
        b.add(f"<{e}product/{p}>", f"<{SCHEMA}brand>", f"<{e}brand/lumiere>")
    g = b.build()
    ex = Explainer(g, load_rules(RULES, g), verbalizer=None, scorer="weights", feedback=tmp_path / "fb.json")
    results = [ex.explain("u1", item) for item in ("lumiere", "product/lumiere", f"{e}product/lumiere")]
    assert results[0] == results[1] == results[2]
    assert results[0].item_label == "Lumiere Cream"
    assert [r.text for r in results[0].reasons] == ["You bought Glow Serum, and Lumiere Cream is also by Lumiere."]
