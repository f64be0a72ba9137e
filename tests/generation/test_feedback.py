"""generation/feedback.py: votes change one user's later rankings, persist atomically, survive
concurrent writers, and a broken file is a clear error."""
from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from generation.errors import GenerationError
from generation.explain import Explainer
from generation.feedback import LIMIT, RELATION_STEP, RULE_STEP, FeedbackStore, Vote, default_feedback_path

USER, OTHER, ITEM = "u022", "u027", "p0112"  # both have several reasons for ITEM, same-category first


@pytest.fixture
def make(graph, rules, scorer, tmp_path):
    def make(path: Path | None = None) -> Explainer:
        return Explainer(graph, rules, verbalizer=None, scorer=scorer, feedback=path or tmp_path / "feedback.json")
    return make


def rules_of(e) -> list[str]:
    return [r.rule for r in e.reasons]


def test_a_down_vote_moves_that_rule_down_for_that_user_only(make, tmp_path) -> None:
    ex = make()
    before, other_before = ex.explain(USER, ITEM), ex.explain(OTHER, ITEM)
    assert len(before.reasons) >= 2 and len(set(rules_of(before))) >= 2
    top = before.reasons[0]
    assert other_before.reasons and top.rule in rules_of(other_before)  # the same rule serves the other user
    ex.feedback(USER, top, helpful=False)
    after = ex.explain(USER, ITEM)
    order = rules_of(after)
    assert order[0] != top.rule
    assert top.rule not in order or order.index(top.rule) > 0
    score = {r.rule: r.score for r in after.reasons}
    if top.rule in score:
        assert score[top.rule] < top.score
        assert dict(after.reasons[order.index(top.rule)].contributions)[f"user:rule:{top.rule}"] == -RULE_STEP
    assert ex.explain(OTHER, ITEM) == other_before  # another user's ranking is untouched


def test_up_votes_move_a_rule_up(make) -> None:
    ex = make()
    last = ex.explain(USER, ITEM).reasons[-1]
    for _ in range(3):
        ex.feedback(USER, last, helpful=True)
    assert ex.explain(USER, ITEM).reasons[0].rule == last.rule


def test_weights_persist_in_the_file(make, tmp_path) -> None:
    path = tmp_path / "votes.json"
    ex = make(path)
    top = ex.explain(USER, ITEM).reasons[0]
    ex.feedback(USER, top, helpful=False)
    after = ex.explain(USER, ITEM)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "whyrec-feedback"
    assert doc["users"][USER]["rules"] == {top.rule: -RULE_STEP}
    assert doc["users"][USER]["relations"] == {rel: -RELATION_STEP for rel in top.relations()}
    fresh = make(path)  # a new explainer (a new process, a restart) sees the same weights
    assert fresh.explain(USER, ITEM) == after


def test_weights_are_capped(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "f.json")
    for _ in range(20):
        w = store.record(Vote("u1", "r", ("brand",), helpful=False))
    assert dict(w.rules) == {"r": -LIMIT} and dict(w.relations) == {"brand": -LIMIT}


def test_a_reason_of_another_user_is_refused(make) -> None:
    ex = make()
    reason = ex.explain(OTHER, ITEM).reasons[0]
    with pytest.raises(GenerationError) as err:
        ex.feedback(USER, reason, helpful=False)
    assert err.value.code == "E004"
    with pytest.raises(GenerationError) as err:
        ex.feedback("u0222", reason, helpful=False)
    assert err.value.code == "E001"


def test_a_failed_write_leaves_the_old_file_and_weights_intact(make, tmp_path, monkeypatch) -> None:
    path = tmp_path / "feedback.json"
    ex = make(path)
    reasons = ex.explain(USER, ITEM).reasons
    ex.feedback(USER, reasons[0], helpful=False)
    old = path.read_bytes()
    weights = ex.store.weights(USER)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises((GenerationError, OSError)):
        ex.feedback(USER, reasons[1], helpful=False)
    monkeypatch.undo()
    assert path.read_bytes() == old  # never half-written
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temp file left behind
    assert ex.store.weights(USER) == weights  # nor a vote remembered that was never saved
    assert FeedbackStore(path).weights(USER) == weights


def _vote_many(path: str, tag: str, n: int, barrier) -> None:
    store = FeedbackStore(path)
    barrier.wait()
    for k in range(n):
        store.record(Vote("u1", f"{tag}-{k}", (f"{tag}-rel",), helpful=True))


def test_concurrent_votes_from_two_processes_are_all_kept(tmp_path) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method")
    ctx = multiprocessing.get_context("fork")
    path, n = str(tmp_path / "feedback.json"), 20
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_vote_many, args=(path, tag, n, barrier)) for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    w = FeedbackStore(path).weights("u1")
    assert dict(w.rules) == {f"{tag}-{k}": RULE_STEP for tag in ("a", "b") for k in range(n)}
    assert dict(w.relations) == {"a-rel": LIMIT, "b-rel": LIMIT}  # 20 x 0.25 each, capped at 4


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    '["a list"]',
    '{"format": "something-else", "users": {}}',
    '{"format": "whyrec-feedback", "users": []}',
    '{"format": "whyrec-feedback", "users": {"u022": ["rules"]}}',
    '{"format": "whyrec-feedback", "users": {"u022": {"rules": [1, 2]}}}',
])
def test_a_corrupt_feedback_file_is_a_clear_error(make, tmp_path, content) -> None:
    path = tmp_path / "feedback.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GenerationError) as err:
        FeedbackStore(path)
    assert err.value.code == "E003" and str(path) in str(err.value)
    with pytest.raises(GenerationError) as err:
        make(path).explain(USER, ITEM)  # the explainer says the same, not a traceback
    assert err.value.code == "E003" and str(path) in str(err.value)


def test_non_finite_weights_are_ignored(tmp_path) -> None:
    path = tmp_path / "f.json"
    path.write_text('{"format": "whyrec-feedback", "users": {"u1": {"rules": {"a": NaN, "b": 1.5, "c": true}}}}')
    assert dict(FeedbackStore(path).weights("u1").rules) == {"b": 1.5}


def test_default_path_is_beside_the_graph() -> None:
    assert default_feedback_path("/shop/data") == Path("/shop/data.feedback.json")
    assert default_feedback_path("/shop/g.nt") == Path("/shop/g.nt.feedback.json")
