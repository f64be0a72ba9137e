"""generation/feedback.py: votes change one user's later rankings, persist atomically, survive
concurrent writers, and a broken file is a clear error."""
from __future__ import annotations

import multiprocessing
import sqlite3
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


def test_weights_persist_in_the_store_keyed_by_the_user_iri(make, graph, tmp_path) -> None:
    path = tmp_path / "votes.sqlite"
    ex = make(path)
    top = ex.explain(USER, ITEM).reasons[0]
    ex.feedback(USER, top, helpful=False)
    after = ex.explain(USER, ITEM)
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT user, kind, name, value FROM weights").fetchall()
    iri = graph.iri(graph.node(USER))
    assert iri.startswith("http") and iri.endswith(USER)
    assert sorted(rows) == sorted([(iri, "rule", top.rule, -RULE_STEP)]
                                  + [(iri, "relation", rel, -RELATION_STEP) for rel in top.relations()])
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


def test_a_failed_write_leaves_the_store_and_weights_intact(make, tmp_path, monkeypatch) -> None:
    path = tmp_path / "feedback.sqlite"
    ex = make(path)
    reasons = ex.explain(USER, ITEM).reasons
    ex.feedback(USER, reasons[0], helpful=False)
    weights = ex.store.weights(USER)

    def disk_full(self, conn):
        conn.execute("INSERT INTO weights VALUES ('x', 'rule', 'half', 1.0)")  # half a vote, then the failure
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FeedbackStore, "_create", disk_full)
    with pytest.raises(GenerationError) as err:
        ex.feedback(USER, reasons[1], helpful=False)
    monkeypatch.undo()
    assert err.value.code == "E003" and "as it was" in str(err.value)
    assert ex.store.weights(USER) == weights  # nor a vote remembered that was never saved
    assert FeedbackStore(path).weights("x") == FeedbackStore(path).weights("x").__class__("x")
    # nothing beside the store but its write-ahead log while it is open: no temp file, no journal
    assert {p.name for p in tmp_path.iterdir()} <= {"feedback.sqlite", "feedback.sqlite-wal", "feedback.sqlite-shm"}


def _vote_many(path: str, tag: str, n: int, barrier) -> None:
    try:
        store = FeedbackStore(path)
        barrier.wait()
        for k in range(n):
            store.record(Vote("u1", f"{tag}-{k}", (f"{tag}-rel",), helpful=True))
    except BaseException:  # the child's exit code alone would hide why; say it in the test's output
        import traceback
        traceback.print_exc()
        raise


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
    b"{not json",
    b'{"format": "whyrec-feedback", "version": 1, "users": {}}',  # the older JSON store: converted, not read
    b"SQLite format 3\x00" + b"\x00" * 200,  # a damaged database
    b"\x00" * 4096,
])
def test_a_corrupt_feedback_file_is_a_clear_error(make, tmp_path, content) -> None:
    path = tmp_path / "feedback.sqlite"
    path.write_bytes(content)
    with pytest.raises(GenerationError) as err:
        FeedbackStore(path)
    assert err.value.code == "E003" and str(path) in str(err.value)
    with pytest.raises(GenerationError) as err:
        make(path).explain(USER, ITEM)  # the explainer says the same, not a traceback
    assert err.value.code == "E003" and str(path) in str(err.value)
    assert path.read_bytes() == content  # never reset


def test_an_empty_file_is_an_empty_store(tmp_path) -> None:
    path = tmp_path / "f.sqlite"
    path.write_bytes(b"")
    assert FeedbackStore(path).weights("u1").rules == ()
    FeedbackStore(path).record(Vote("u1", "r", ("brand",), helpful=True))
    assert dict(FeedbackStore(path).weights("u1").rules) == {"r": RULE_STEP}


def test_default_path_is_in_the_user_data_folder_one_per_graph(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    a, b = default_feedback_path("/shop/data"), default_feedback_path("/shop/other/data")
    assert a.is_relative_to(tmp_path / "data" / "whyrec") and a.suffix == ".sqlite"
    assert a != b and a == default_feedback_path("/shop/data")
    package = Path(__file__).resolve().parents[2]
    assert not default_feedback_path(str(package / "data" / "demo")).is_relative_to(package)
