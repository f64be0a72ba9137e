"""reasoning.match_batch and match_batch_layers: the parts of find_chains_many, one by one.

test_match_equivalence.py compares whole answers with the reference matcher; here: node-id pairs
are taken as they are only when they are valid node ids, and the search's last step (which lists
only the neighbours on the far side) finds exactly the full layer's meeting nodes, with the same
work and hub flags, whether the layer was grown before or not.
"""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from kg import load_graph
from reasoning import Budget
from reasoning.match_batch import Batch, node_pairs, unique_sorted
from reasoning.match_batch_layers import _expand, _meet
from reasoning.match_index import lookups_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    return load_graph(ROOT / "data" / "demo")


def test_node_pairs_takes_valid_ids_only(demo) -> None:
    n = demo.n_nodes
    got = node_pairs(demo, [(0, 1), (n - 1, 2)])
    assert got is not None and got.dtype == np.int64 and got.tolist() == [[0, 1], [n - 1, 2]]
    assert node_pairs(demo, [(np.int32(3), np.int64(4))]).tolist() == [[3, 4]]
    assert node_pairs(demo, np.array([[5, 6]], dtype=np.uint16)).tolist() == [[5, 6]]
    for bad in ([(0, n)], [(-1, 0)], [("u001", "p0001")], [(0, 1), ("u001", "p0001")], [(True, 1)],
                [], [(0, 1, 2)], ((u, i) for u, i in [(0, 1)])):
        assert node_pairs(demo, bad) is None  # resolved (or rejected) one by one, as before


def _keys(rng: random.Random, P: int, nn: int, nodes: list[int], per: int) -> np.ndarray:
    return unique_sorted(np.array([p * nn + rng.choice(nodes) for p in range(P) for _ in range(per)],
                                  dtype=np.int64))


@pytest.mark.parametrize("hub_cap", [2, 8, 5000])
@pytest.mark.parametrize("relation, forward", [("purchased", False), ("category", True), ("category", False),
                                               ("brand", False), ("also_bought", True)])
def test_meet_is_the_layer_met(demo, relation: str, forward: bool, hub_cap: int) -> None:
    lk = lookups_for(demo)
    d = lk.dirs[(relation, forward)]
    if d.indptr is None:
        pytest.skip("no such facts in the demo")
    rng = random.Random(hub_cap)
    users, items = demo.user_nodes().tolist(), demo.item_nodes().tolist()
    P, nn = 30, demo.n_nodes
    U = np.array([rng.choice(users) for _ in range(P)])
    I = np.array([rng.choice(items) for _ in range(P)])
    has = np.flatnonzero(np.diff(d.indptr)).tolist()
    keys = _keys(rng, P, nn, has, 3)
    budget = Budget(hub_cap=hub_cap)
    full = Batch(demo, lk, budget, U, I)
    layer = _expand(full, d, keys)[0]
    near = layer[np.array([rng.random() < 0.4 for _ in layer], dtype=bool)] if len(layer) else layer
    sample = unique_sorted(np.concatenate((near, _keys(rng, P, nn, list(range(nn)), 4))))
    for far in (sample, layer):  # few neighbours on the far side; all of them (the layer is kept)
        want = np.intersect1d(layer, far)
        for grown_before in (False, True):
            bt = Batch(demo, lk, budget, U, I)
            if grown_before:
                _expand(bt, d, keys)
                bt.work[:] = 0
                bt.truncated[:] = False
            got = _meet(bt, d, keys, far)
            assert np.array_equal(got, want)
            assert np.array_equal(bt.work, full.work) and np.array_equal(bt.truncated, full.truncated)
            kept = bt.layers.get((id(d), keys.tobytes()))
            assert kept is None or np.array_equal(kept[0][0], layer)  # what a later rule would reuse
        assert len(want) or not len(near)  # the check is not vacuous where the layer has nodes to meet


def _parts_of(bt, parts) -> list:
    """Each pair's chains as plain values: (rule, path, spec) rows in order."""
    out = []
    for ps in parts:
        rows = []
        for part in ps:
            cr, rr, lo, hi = part
            rows += [(cr.rid, tuple(p), s) for p, s in zip(rr.paths[lo:hi].tolist(), rr.spec[lo:hi].tolist())]
        out.append(rows)
    return out, bt.truncated.tolist()


@pytest.mark.parametrize("budget", [Budget(), Budget(max_chains_per_rule=1), Budget(max_chains_per_rule=3, hub_cap=12)])
def test_ranked_chains_are_paths_then_finish(budget: Budget) -> None:
    """The fused last hops (match_batch_top) against paths_of then finish_rule, rule by rule, on
    the demo shop and on a graph whose paths explode past the partial-path limit."""
    from reasoning.match_batch_finish import finish_rule
    from reasoning.match_batch_layers import allowed_sets
    from reasoning.match_batch_paths import paths_of
    from reasoning.match_batch_top import plain, ranked_chains
    from reasoning.match_finish import compiled
    from reasoning.ruleset import check_rules
    from tests.reasoning.test_match_equivalence import DENSE_RULES, EXTRA_RULES, _dense_graph
    demo = load_graph(ROOT / "data" / "demo")
    dense = _dense_graph(2)
    cases = [(demo, (ROOT / "data" / "rules" / "default.yaml").read_text() + EXTRA_RULES),
             (dense, DENSE_RULES)]
    tried = 0
    for g, text in cases:
        plans, _ = check_rules("rules.yaml", g, text=text)
        lk = lookups_for(g)
        rng = random.Random(5)
        users, items = g.user_nodes().tolist(), g.item_nodes().tolist()
        U = np.array([rng.choice(users) for _ in range(80)])
        I = np.array([rng.choice(items) for _ in range(80)])
        order = np.lexsort((I, U))
        U, I = U[order], I[order]
        for cr in compiled(tuple(plans)):
            if not plain(lk, cr) or lk.dirs[cr.lsteps[0]].indptr is None or lk.dirs[cr.rsteps[cr.k]].indptr is None:
                continue
            got = []
            for fused in (False, True):
                bt = Batch(g, lk, budget, U, I)
                parts = [[] for _ in range(bt.P)]
                allowed, live, meet_at = allowed_sets(bt, cr, np.ones(bt.P, dtype=bool))
                if live.any():
                    if fused:
                        ranked_chains(bt, cr, allowed, live, meet_at, parts)
                    else:
                        pp, paths = paths_of(bt, cr, allowed, live, meet_at)
                        if len(pp):
                            finish_rule(bt, cr, pp, paths, parts)
                got.append(_parts_of(bt, parts))
            assert got[0] == got[1], cr.rid
            tried += sum(map(len, got[0][0])) > 0
    assert tried >= 4  # rules with chains were compared
