"""The matcher's short cuts give what the general steps give.

test_match_equivalence.py compares whole answers with the reference matcher (every short cut on);
here each short cut is turned off or bounded and the answers compared pair by pair: rows built
whole per graph against the memo, crowd supports counted against crowd paths listed, the checks
on the user and the item run once against per path, the budget's note with rules that cannot
fire, and a memo emptied by ``forget``.
"""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import numpy as np
import pytest

from kg import load_graph
from kg.graph import KnowledgeGraph
from reasoning import Budget, find_chains, load_rules
from reasoning import match
from reasoning import match_rows
from reasoning.match_finish import compiled, end_tails, ends_fail
from reasoning.match_index import forget, lookups_for
from tests.reasoning.test_match_equivalence import _pairs  # half random, half near pairs

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "data" / "rules" / "default.yaml"
ROOMY = Budget(seconds=60.0)


def _snapshot(res) -> tuple:
    return (res.user, res.item, res.truncated, res.timed_out, res.notes,
            [(c.to_dict(), c.nodes, c.specificity, c.support) for c in res.chains])


def _beauty(tmp: Path) -> KnowledgeGraph:
    spec = importlib.util.spec_from_file_location("synth_beauty", ROOT / "benchmarks" / "synth_beauty.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    path = tmp / "beauty_0.01.nt"
    if not path.exists():
        synth.write(path, scale=0.01, seed=0)
    return load_graph(path)


@pytest.fixture(scope="module")
def beauty_path(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("beauty")
    _beauty(tmp)
    return tmp


def test_whole_rows_are_the_rows(beauty_path: Path) -> None:
    g = _beauty(beauty_path)
    rules = load_rules(RULES, g)
    find_chains(g, rules, *_pairs(g, 1, seed=0)[0], ROOMY)  # builds the rule set's tables
    lk = lookups_for(g)
    whole = lk.tables["whole_dirs"]
    assert whole, "the small relations of the default rules are built whole"
    for (rel, fwd), d in whole.items():
        index = g.parts.edges[rel]
        csr = index.out if fwd else index.inn
        assert isinstance(d.rows, list) and len(d.rows) == len(csr.indptr) - 1
        for x in range(len(d.rows)):
            assert d.rows[x] == tuple(csr.indices[csr.indptr[x]:csr.indptr[x + 1]].tolist()), (rel, fwd, x)
    built = sum(len((g.parts.edges[r].out if f else g.parts.edges[r].inn).indices) for r, f in whole)
    assert built == lk.tables["whole_entries"][0] <= match_rows.WHOLE_ROWS


@pytest.mark.parametrize("cap", [0, 3000])
def test_chains_do_not_depend_on_the_whole_rows(beauty_path: Path, monkeypatch, cap: int) -> None:
    pairs = _pairs(_beauty(beauty_path), 120, seed=2)
    g_all = _beauty(beauty_path)
    expected = [_snapshot(find_chains(g_all, load_rules(RULES, g_all), u, i, ROOMY)) for u, i in pairs]
    monkeypatch.setattr(match_rows, "WHOLE_ROWS", cap)  # none, or only the smallest relations
    g = _beauty(beauty_path)
    rules = load_rules(RULES, g)
    got = [_snapshot(find_chains(g, rules, u, i, ROOMY)) for u, i in pairs]
    assert lookups_for(g).tables["whole_entries"][0] <= cap
    assert got == expected
    assert sum(bool(e[5]) for e in expected) > 40


def test_crowd_counts_are_the_listed_crowds(beauty_path: Path, monkeypatch) -> None:
    g = _beauty(beauty_path)
    rules = load_rules(RULES, g)
    crowd = [p for p in rules.plans if p.rule.id == "crowd-also-bought"]
    assert crowd
    # items many shoppers bought, so that supports reach the rule's minimum
    buyers = np.diff(g.parts.edges["purchased"].inn.indptr)
    popular = [g.key(int(x)) for x in np.argsort(-buyers)[:15]]
    users = sorted(g.users())[:40]
    pairs = [(u, it) for u in users for it in popular]
    for budget in (ROOMY, Budget(seconds=60.0, max_chains_per_rule=1)):
        counted = [_snapshot(find_chains(g, crowd, u, i, budget)) for u, i in pairs]
        with monkeypatch.context() as m:
            m.setattr(match, "crowd_rows", lambda *a: None)  # the crowd paths listed and grouped
            listed = [_snapshot(find_chains(g, crowd, u, i, budget)) for u, i in pairs]
        assert counted == listed
    assert sum(bool(c[5]) for c in counted) > 5, "some pairs must reach the minimum support"


def test_end_checks_once_are_the_end_checks() -> None:
    demo = load_graph(ROOT / "data" / "demo")
    rules = compiled(load_rules(RULES, demo).plans)
    lk = lookups_for(demo)
    rng = random.Random(5)
    users = [demo.node_of(u, "user") for u in sorted(demo.users())]
    items = [demo.node_of(i, "item") for i in sorted(demo.items())]
    checked = passed = 0
    for cr in rules:
        if not cr.pair_checks:
            continue
        for _ in range(80):
            u, i = rng.choice(users), rng.choice(items)
            tails = end_tails(lk, cr, u, i)
            assert bool(tails) == (not ends_fail(lk, cr, u, i)), (cr.rid, u, i)
            assert all(len(t) == len(cr.lookups) for t in tails)
            checked += 1
            passed += bool(tails)
    assert checked and 0 < passed < checked


def test_budget_note_names_the_next_rule_even_one_that_cannot_fire(beauty_path: Path) -> None:
    g = _beauty(beauty_path)
    plans = {p.rule.id: p for p in load_rules(RULES, g).plans}
    assert not g.parts.edges.get("prefers"), "favourite-brand cannot fire on this graph"
    u, i = next((u, i) for u, i in _pairs(g, 60, seed=3)
                if find_chains(g, (plans["also-bought"],), u, i, ROOMY).count)
    tight = Budget(seconds=60.0, max_work=1)
    after = find_chains(g, (plans["also-bought"], plans["favourite-brand"]), u, i, tight)
    assert after.timed_out and after.notes[0] == "budget ran out before rule 'favourite-brand'"
    before = find_chains(g, (plans["favourite-brand"], plans["also-bought"]), u, i, tight)
    assert not before.timed_out and not any("budget" in n for n in before.notes)  # no rule left to stop


def test_forget_starts_cold_with_the_same_answers() -> None:
    demo = load_graph(ROOT / "data" / "demo")
    rules = load_rules(RULES, demo)
    pairs = _pairs(demo, 40, seed=6)
    warm = [_snapshot(find_chains(demo, rules, u, i, ROOMY)) for u, i in pairs]
    memo = lookups_for(demo).base
    assert memo.cached > 0 or memo.dirs
    forget(demo)
    assert lookups_for(demo).base is not memo
    cold = []
    for u, i in pairs:
        forget(demo)
        cold.append(_snapshot(find_chains(demo, rules, u, i, ROOMY)))
    assert cold == warm
