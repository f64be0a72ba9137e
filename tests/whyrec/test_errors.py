"""One ``except whyrec.Error`` catches every documented failure; each carries code, message, hint
and where; the codes callers branch on raise named subclasses; ``--json`` prints errors as JSON."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import whyrec
from kg.errors import Where
from whyrec.cli import main
from whyrec.schema import error_schema

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"


@pytest.fixture(scope="module")
def demo():
    graph = whyrec.load_graph(DEMO)
    rules = whyrec.load_rules(RULES, graph)
    return graph, rules, whyrec.Explainer(graph, rules, verbalizer=None, scorer="weights")


def _bad_rules(tmp: Path, graph):
    path = tmp / "bad.yaml"
    path.write_text("- id: Same Brand\n  sayz: hi\n  path: [user purchased item]\n")
    return whyrec.load_rules(path, graph)


def _bad_feedback(tmp: Path, graph, rules):
    path = tmp / "feedback.json"
    path.write_text("[1, 2]")
    return whyrec.Explainer(graph, rules, verbalizer=None, scorer="weights", feedback=path).explain("u001", "p0001")


def _bad_ranker(tmp: Path, graph, rules):
    path = tmp / "ranker.json"
    path.write_text("{}")
    return whyrec.Explainer(graph, rules, verbalizer=None, scorer=str(path))


def _bad_mapping(tmp: Path):
    (tmp / "whyrec.yaml").write_text("nodes:\n  - file: products.csv\n    typo: Product\n")
    return whyrec.load_graph(tmp / "whyrec.yaml")


# (what the README's "Errors" table documents, the call, the class a caller may catch, the code)
FAILURES = [
    ("missing graph path", lambda d, t: whyrec.load_graph(t / "nope"), "InputError", "K001"),
    ("bad mapping key", lambda d, t: _bad_mapping(t), "InputError", "K021"),
    ("unknown node", lambda d, t: d[0].node("no-such-node"), "UnknownNode", "K040"),
    ("bad rule file", lambda d, t: _bad_rules(t, d[0]), "RuleError", "R002"),
    ("unknown user", lambda d, t: d[2].explain("u0011", "p0001"), "UnknownUser", "E001"),
    ("unknown item", lambda d, t: d[2].explain("u001", "p99999"), "UnknownItem", "E002"),
    ("a brand is not an item", lambda d, t: d[2].explain("u001", "aurelle"), "UnknownItem", "E002"),
    ("k below 1", lambda d, t: d[2].explain("u001", "p0001", k=0), "BadRequest", "E004"),
    ("bad feedback file", lambda d, t: _bad_feedback(t, d[0], d[1]), "FeedbackError", "E003"),
    ("bad ranker file", lambda d, t: _bad_ranker(t, d[0], d[1]), "ReasoningError", "R100"),
    ("missing checkpoint", lambda d, t: whyrec.Explainer(d[0], d[1], verbalizer=t, scorer="weights"), "ModelError", "V001"),
    ("page of two users", lambda d, t: whyrec.render_html([d[2].explain("u001", "p0001"), d[2].explain("u002", "p0001")]),
     "BadRequest", "E004"),
    ("no page without reasons", lambda d, t: whyrec.render_html([]), "BadRequest", "E004"),
]


@pytest.mark.parametrize("what,call,name,code", FAILURES, ids=[f[0] for f in FAILURES])
def test_one_except_catches_every_documented_failure(demo, tmp_path, what, call, name, code) -> None:
    try:
        call(demo, tmp_path)
    except whyrec.Error as exc:
        err = exc
    else:
        pytest.fail(f"{what}: no error")
    assert isinstance(err, getattr(whyrec, name)) and err.code == code, (type(err), err)
    assert err.message and err.hint and isinstance(err.where, Where)
    assert not str(err).startswith("<input>")  # no made-up place when there is none
    assert err.code in str(err) and err.message in str(err)
    jsonschema.validate({"error": err.to_dict()}, error_schema())
    again = pickle.loads(pickle.dumps(err))  # a worker process can send it back
    assert type(again) is type(err) and again.to_dict() == err.to_dict()


def test_named_classes_are_also_the_builtin_kind() -> None:
    assert issubclass(whyrec.UnknownUser, LookupError) and issubclass(whyrec.UnknownItem, LookupError)
    assert issubclass(whyrec.UnknownNode, LookupError) and issubclass(whyrec.BadRequest, ValueError)
    for name in ("KGError", "RuleError", "ReasoningError", "GenerationError", "InputError", "UnknownNode",
                 "UnknownUser", "UnknownItem", "BadRequest", "ModelError", "FeedbackError"):
        assert issubclass(getattr(whyrec, name), whyrec.Error), name


def test_the_package_error_with_a_named_code_is_the_named_class() -> None:
    err = whyrec.GenerationError("E001", "unknown user 'x'")
    assert type(err) is whyrec.UnknownUser and str(err) == "E001 unknown user 'x'; " + err.hint
    assert type(whyrec.GenerationError("V010", "no data")) is whyrec.GenerationError


def test_a_rule_error_lists_every_problem_with_its_place(demo, tmp_path) -> None:
    with pytest.raises(whyrec.RuleError) as info:
        _bad_rules(tmp_path, demo[0])
    d = info.value.to_dict()
    assert len(d["problems"]) >= 2 and d["where"]["file"].endswith("bad.yaml") and d["where"]["line"] >= 1
    assert {p["code"] for p in d["problems"]} >= {"R001", "R002", "R041"}


def test_cli_json_prints_errors_as_json_on_stderr(capsys) -> None:
    code = main(["explain", "--graph", str(DEMO), "--user", "u0011", "--item", "p0001", "--templates", "--json"])
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    doc = json.loads(out.err.strip().splitlines()[-1])
    jsonschema.validate(doc, error_schema())
    assert doc["error"]["code"] == "E001" and "'u001'" in doc["error"]["hint"] and doc["error"]["where"] is None


def test_cli_text_errors_keep_the_compiler_form(tmp_path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text("- id: x\n  sayz: hi\n")
    proc = subprocess.run([sys.executable, "-m", "whyrec.cli", "explain", "--graph", str(DEMO), "--rules", str(bad),
                           "--user", "u001", "--item", "p0001", "--templates", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    doc = json.loads(proc.stderr.strip().splitlines()[-1])
    jsonschema.validate(doc, error_schema())
    assert doc["error"]["where"]["file"] == str(bad) and doc["error"]["problems"]
