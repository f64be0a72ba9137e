"""reasoning.match_direct: when the plain join may stand in for the layered search, and that it
then lists the same paths.

test_match_equivalence.py compares whole answers with the reference matcher (the plain join on
where it is safe, and off where the array paths are forced); here the parts: the safety table
against the bound it tabulates, and the join against the layered listing, pair by pair.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg import load_graph
from reasoning import Budget, load_rules
from reasoning import match_direct as direct
from reasoning import match_safe as safety
from reasoning.match import _Call, _Pair
from reasoning.match_finish import compiled
from reasoning.match_index import lookups_for
from reasoning.match_safe import bounds_of
from reasoning.match_layers import allowed_sets
from reasoning.match_paths import enumerate_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    return load_graph(ROOT / "data" / "demo")


@pytest.fixture(scope="module")
def rules(demo):
    return compiled(load_rules(ROOT / "data" / "rules" / "default.yaml", demo).plans)


@pytest.mark.parametrize("cap, limit", [(5000, 5000), (15, 5000), (3, 1000), (40, 60)])
def test_table_answers_as_the_bound(demo, rules, cap: int, limit: int) -> None:
    lk = lookups_for(demo)
    unsafe = 0
    for cr in rules:
        b = bounds_of(lk, cr)
        safety.prepare(b, cap, limit)
        for du in range(0, b.top[0] + 3):
            for di in range(0, b.top[1] + 3):
                assert safety.safe_for(b, du, di, cap, limit) == safety.safe(b, du, di, cap, limit), (cr.rid, du, di)
                unsafe += not safety.safe(b, du, di, cap, limit)
    if cap <= 15:
        assert unsafe  # small caps must leave some pairs to the layered search


def test_safety_shrinks_with_degrees(demo, rules) -> None:
    lk = lookups_for(demo)
    for cr in rules:
        b = bounds_of(lk, cr)
        for du in range(1, 12):
            for di in range(1, 12):
                if safety.safe(b, du, di, 20, 300):
                    assert safety.safe(b, du - 1, di, 20, 300) and safety.safe(b, du, di - 1, 20, 300)


@pytest.mark.parametrize("budget", [Budget(60.0), Budget(60.0, hub_cap=25, max_chains_per_rule=3)])
def test_join_lists_the_layered_paths(demo, rules, budget: Budget) -> None:
    rng = random.Random(3)
    users, items = sorted(demo.users()), sorted(demo.items())
    compared = 0
    for _ in range(150):
        u, i = demo.node_of(rng.choice(users), "user"), demo.node_of(rng.choice(items), "item")
        for cr in rules:
            call = _Call(demo, budget)
            lk = call.lk
            du, di = lk.dirs[cr.lsteps[0]].deg[u], lk.dirs[cr.rsteps[cr.k]].deg[i]
            limit = max(budget.max_chains_per_rule * 200, 1000)
            b = bounds_of(lk, cr)
            if not (du and di) or not safety.safe(b, du, di, budget.hub_cap, limit):
                continue
            found = direct.paths(_Pair(call, u, i), cr, b)
            layered = _Pair(call, u, i)
            got = allowed_sets(layered, cr)
            listed = [] if got is None else enumerate_paths(layered, cr, got[0], got[1])
            listed = [tuple(p) for p in (listed.tolist() if hasattr(listed, "tolist") else listed)]
            assert not layered.truncated  # safe: no hub met, no list cut
            if found is not None:
                assert sorted(found) == sorted(listed), (cr.rid, u, i)
                compared += 1
    assert compared > 300
