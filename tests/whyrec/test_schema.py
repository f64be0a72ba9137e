"""Every output path follows the shipped JSON Schema: the API's to_dict() (with and without debug,
with and without calibration) and ``whyrec explain --json``. The batch output and the service,
when they land, validate against the same file."""
from __future__ import annotations

import json

from generation.verify import Span
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import whyrec
from reasoning.calibrate import train_ranker
from whyrec.cli import main
from whyrec.commands.explain_cmd import demo_pairs
from whyrec.schema import error_schema, explanation_schema

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"
VALIDATOR = jsonschema.Draft202012Validator(explanation_schema())


def check(doc: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    graph = whyrec.load_graph(DEMO)
    rules = whyrec.load_rules(RULES, graph)
    ranker = train_ranker(graph, rules)
    ex = whyrec.Explainer(graph, rules, verbalizer=None, scorer=ranker,
                          feedback=tmp_path_factory.mktemp("fb") / "feedback.json")
    return graph, rules, ex


@pytest.mark.parametrize("name", ["explanation.v1.json", "error.v1.json"])
def test_the_schemas_are_valid_and_shipped(name) -> None:
    schema = json.loads(resources.files("whyrec.schema").joinpath(name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("/" + name)
    assert 'whyrec = ["schema/*.json"]' in (ROOT / "pyproject.toml").read_text()  # package data in the wheel


def test_api_output_follows_the_schema_for_many_pairs(demo) -> None:
    graph, _, ex = demo
    pairs = demo_pairs(graph, ex, 8) + [("u011", "p0004"), ("u001", "p0001"), ("u001", "p0121")]
    for x in ex.explain_many(pairs, k=5, consent=True):
        for debug in (False, True):
            doc = x.to_dict(debug=debug)
            check(doc)
            assert doc["schema"] == explanation_schema()["$id"]
            assert ("debug" in doc) is debug
    assert any(not x.reasons for x in ex.explain_many(pairs)), "an empty explanation was checked too"


def test_confidence_is_in_0_1_and_follows_the_rank(demo) -> None:
    _, _, ex = demo
    x = ex.explain("u001", "p0001", k=5, consent=True)
    confidences = [r.confidence for r in x.reasons]
    assert all(0 <= c <= 1 for c in confidences) and x.to_dict()["calibration"]["method"] == "platt"
    assert [r.rank for r in x.reasons] == list(range(1, len(x.reasons) + 1))
    scores = [r.score for r in x.reasons]
    assert sorted(zip(scores, confidences)) == sorted(zip(sorted(scores), sorted(confidences)))  # monotone


def test_without_calibration_confidence_is_null(demo, tmp_path) -> None:
    graph, rules, _ = demo
    ex = whyrec.Explainer(graph, rules, verbalizer=None, scorer="weights", feedback=tmp_path / "f.json")
    doc = ex.explain("u001", "p0121").to_dict()
    check(doc)
    assert doc["calibration"] is None and all(r["confidence"] is None for r in doc["reasons"])


def test_values_carry_the_currency_and_unit_the_catalog_declares(demo) -> None:
    _, _, ex = demo
    doc = ex.explain("u001", "p0121", k=5).to_dict()  # within-budget: price <= budget
    values = {f["relation"]: f for r in doc["reasons"] for f in r["facts"] if f["is_value"]}
    assert values["price"]["currency"] == values["budget"]["currency"] == "EUR"
    assert values["price"]["unit"] is None
    scores = [f["values"]["score"] for r in ex.explain("u022", "p0123", k=5).to_dict()["reasons"]
              for f in r["facts"] if "score" in f["values"]]
    assert scores and all(s["unit"] == "stars" and isinstance(s["value"], float) for s in scores)


def test_rule_id_title_description_and_tags(demo) -> None:
    _, rules, ex = demo
    for r in ex.explain("u001", "p0001", k=5, consent=True).to_dict()["reasons"]:
        rule = rules.get(r["rule"]["id"])
        assert r["rule"] == {"id": rule.id, "title": rule.heading, "description": rule.description,
                             "tags": list(rule.tags)}


def test_the_verdict_with_spans_follows_the_contract(demo) -> None:
    """What the verifier's spans become (Reason.claims / Reason.unread), in the agreed shape."""
    _, _, ex = demo
    x = ex.explain("u001", "p0121", k=1)
    r = x.reasons[0]
    fact = r.chain.facts[-1]
    at = r.text.find(fact.object_label) if fact.object_label in r.text else 0
    claim = Span(r.text[at:at + 3], at, at + 3, fact, subject=None, object=(at, at + 3))
    unread = Span(r.text[:2], 0, 2, why="not a claim the reader knows")
    doc = replace(x, reasons=(replace(r, claims=(claim,), unread=(unread,), verdict_ok=True),)).to_dict()
    check(doc)
    verdict = doc["reasons"][0]["verdict"]
    assert set(verdict) == {"ok", "claims", "unread", "unsaid", "problems"}
    assert verdict["claims"] == [{"text": claim.text, "start": at, "end": at + 3,
                                  "fact": {"subject": fact.subject, "relation": fact.relation, "object": fact.object},
                                  "subject": None, "object": {"start": at, "end": at + 3}}]
    assert verdict["unread"] == [{"text": unread.text, "start": 0, "end": 2, "why": unread.why}]
    bad = json.loads(json.dumps(doc))
    bad["reasons"][0]["verdict"]["claims"][0]["extra"] = 1
    assert list(VALIDATOR.iter_errors(bad)), "unknown keys are refused: the schema is strict"


@pytest.mark.parametrize("extra", [[], ["--debug"], ["--consent", "--hide-tag", "preference"]])
def test_cli_json_follows_the_schema(capsys, monkeypatch, demo, extra) -> None:
    import generation.explain as explain
    monkeypatch.setattr(explain, "cached_ranker", lambda graph, rules, **kw: demo[2].scorer and
                        whyrec.Ranker(demo[2].scorer, demo[2].calibration))
    code = main(["explain", "--graph", str(DEMO), "--user", "u001", "--item", "p0001", "--templates", "--json", *extra])
    out = capsys.readouterr()
    assert code == 0
    doc = json.loads(out.out)
    check(doc)
    assert ("debug" in doc) is ("--debug" in extra)
    if "--hide-tag" in extra:
        assert all("preference" not in r["rule"]["tags"] for r in doc["reasons"])


def test_error_schema_matches_what_errors_give() -> None:
    err = whyrec.UnknownUser("E001", "unknown user 'x'")
    jsonschema.validate({"error": err.to_dict()}, error_schema())
