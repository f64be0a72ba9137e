"""The feedback store under attack: damaged rows, odd files, symlinks, read-only marks, namespaces,
and eight processes voting at once. Each case names the class it closes (issue 14, feedback store).

Timings (a vote at a million users) live in benchmarks/bench_feedback.py, not here.
"""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat

import pytest

from generation.errors import GenerationError
from generation.feedback import LIMIT, RELATION_STEP, RULE_STEP, FeedbackStore, Vote

PROCESSES, VOTES = 8, 40


def _voter(path: str, tag: str, barrier) -> None:
    store = FeedbackStore(path)
    barrier.wait()
    for k in range(VOTES):
        store.record(Vote("https://ex.org/user/u1", f"{tag}-{k}", ("brand", f"{tag}-rel"), helpful=True))


def test_eight_processes_voting_at_once_lose_no_vote(tmp_path):
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method")
    ctx = multiprocessing.get_context("fork")
    path = str(tmp_path / "f.sqlite")
    barrier = ctx.Barrier(PROCESSES)
    procs = [ctx.Process(target=_voter, args=(path, f"p{n}", barrier)) for n in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    w = FeedbackStore(path).weights("https://ex.org/user/u1")
    assert dict(w.rules) == {f"p{n}-{k}": RULE_STEP for n in range(PROCESSES) for k in range(VOTES)}
    rel = dict(w.relations)
    assert rel.pop("brand") == LIMIT  # 320 votes of +0.25, capped
    assert rel == {f"p{n}-rel": min(LIMIT, VOTES * RELATION_STEP) for n in range(PROCESSES)}


def _crafted(path, rows, extra_sql: str = "") -> None:
    """A store with whyrec's schema and rows the CHECK constraints would refuse (a hand-edited file)."""
    FeedbackStore(path).record(Vote("seed", "r", (), True))
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.executemany("INSERT INTO weights VALUES (?, ?, ?, ?)", rows)
        if extra_sql:
            db.execute(extra_sql)


@pytest.mark.parametrize("row", [
    ("u1", "rule", "r", 1e308),  # out of range: the old JSON store raised OverflowError in explain
    ("u1", "rule", "r", 9.5),
    ("u1", "bogus", "r", 1.0),
    ("u1", "rule", "", 1.0),
    ("u1", "rule", "x" * 5000, 1.0),
], ids=["1e308", "over the limit", "unknown kind", "empty name", "5,000-character name"])
def test_a_damaged_row_is_a_clear_error_never_a_silent_reset(tmp_path, row):
    path = tmp_path / "f.sqlite"
    _crafted(path, [row])
    before = path.read_bytes()
    with pytest.raises(GenerationError) as err:
        FeedbackStore(path).weights("u1")
    assert err.value.code == "E003" and str(path) in str(err.value) and "damaged" in str(err.value)
    assert FeedbackStore(path).weights("seed").rules == (("r", RULE_STEP),)  # other users still read
    assert path.read_bytes() == before


@pytest.mark.parametrize("sql,why", [
    ("CREATE TABLE weights (user, kind, name, value)", "not whyrec's"),
    ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT", "missing"),
])
def test_a_store_with_another_schema_is_refused(tmp_path, sql, why):
    path = tmp_path / "f.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(sql)
    with pytest.raises(GenerationError) as err:
        FeedbackStore(path)
    assert err.value.code == "E003" and why in str(err.value)


def test_a_newer_or_foreign_format_is_refused(tmp_path):
    path = tmp_path / "f.sqlite"
    _crafted(path, [], "UPDATE meta SET value = '3' WHERE key = 'version'")
    with pytest.raises(GenerationError, match="version '3'"):
        FeedbackStore(path)


def test_extra_tables_and_meta_survive_a_vote(tmp_path):
    path = tmp_path / "f.sqlite"
    _crafted(path, [], "CREATE TABLE notes (text TEXT)")
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO notes VALUES ('keep me')")
        db.execute("INSERT INTO meta VALUES ('owner', 'shop team')")
    FeedbackStore(path).record(Vote("u1", "r", ("brand",), True))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT text FROM notes").fetchall() == [("keep me",)]
        assert ("owner", "shop team") in db.execute("SELECT key, value FROM meta").fetchall()


def test_a_symlinked_store_is_written_through(tmp_path):
    real = tmp_path / "real" / "f.sqlite"
    real.parent.mkdir()
    FeedbackStore(real).record(Vote("u1", "a", (), True))
    link = tmp_path / "link.sqlite"
    link.symlink_to(real)
    FeedbackStore(link).record(Vote("u1", "b", (), True))
    assert link.is_symlink() and os.readlink(link) == str(real)  # still a link: not replaced by a plain file
    assert dict(FeedbackStore(real).weights("u1").rules) == {"a": RULE_STEP, "b": RULE_STEP}


def test_a_read_only_store_is_never_written(tmp_path):
    path = tmp_path / "f.sqlite"
    FeedbackStore(path).record(Vote("u1", "a", (), True))
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)  # marked read-only (root could still write: the mark counts)
    before = path.read_bytes()
    store = FeedbackStore(path)
    assert dict(store.weights("u1").rules) == {"a": RULE_STEP}  # still readable
    with pytest.raises(GenerationError, match="read-only") as err:
        store.record(Vote("u1", "b", (), True))
    assert err.value.code == "E003" and path.read_bytes() == before
    with pytest.raises(GenerationError, match="read-only"):
        FeedbackStore(tmp_path / "other.sqlite", read_only=True).record(Vote("u1", "b", (), True))
    assert not (tmp_path / "other.sqlite").exists()


def test_reading_never_creates_a_store(tmp_path):
    path = tmp_path / "deep" / "f.sqlite"
    assert FeedbackStore(path).weights("u1").rules == ()
    assert not (tmp_path / "deep").exists()


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_store_that_is_not_a_regular_file_is_refused_without_waiting(tmp_path, kind):
    path = tmp_path / "f.sqlite"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(GenerationError) as err:
        FeedbackStore(path)
    assert err.value.code == "E003" and "not a regular file" in str(err.value)


def test_two_users_with_one_local_id_in_two_namespaces_keep_their_own_weights(tmp_path):
    from generation.explain import Explainer
    from kg.build import GraphBuilder
    from reasoning import load_rules

    b = GraphBuilder("two-shops")
    rdf_type, user, product = ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://whyrec.dev/ns#User>",
                               "<https://schema.org/Product>")
    for ns in ("https://a.example/", "https://b.example/"):
        b.add(f"<{ns}user/u1>", rdf_type, user)
        b.add(f"<{ns}user/u1>", "<https://whyrec.dev/ns#viewed>", f"<{ns}product/p1>")
        b.add(f"<{ns}product/p1>", rdf_type, product)
    g = b.build()
    (tmp_path / "rules.yaml").write_text("- id: seen\n  says: \"You looked at {item}.\"\n  path:\n"
                                         "    - user viewed item\n")
    ex = Explainer(g, load_rules(tmp_path / "rules.yaml", g), verbalizer=None, scorer="weights",
                   feedback=tmp_path / "f.sqlite")
    a, b_ = "https://a.example/user/u1", "https://b.example/user/u1"
    reason_a = ex.explain(a, "https://a.example/product/p1").reasons[0]
    before_b = ex.explain(b_, "https://b.example/product/p1")
    ex.feedback(a, reason_a, helpful=False)
    assert dict(ex.store.weights(a).rules) == {"seen": -RULE_STEP}
    assert ex.store.weights(b_).rules == ()
    assert ex.explain(b_, "https://b.example/product/p1") == before_b  # the other shop's u1 is untouched
    with pytest.raises(GenerationError) as err:  # a's reason is not b's, though both are "u1"
        ex.feedback(b_, reason_a, helpful=False)
    assert err.value.code == "E004"
