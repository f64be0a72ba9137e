"""Training on a catalog whose users and items share ids (viewer "1", film "1"): the corpus finds
the catalog's own chains and `whyrec train` runs a few steps (it once crashed with K041)."""
from __future__ import annotations

import json
from pathlib import Path

import torch

from reasoning import load_rules
from training.config import TINY
from training.corpus import graph_chains
from kg import load_graph
from whyrec.cli import main

FILMS = Path(__file__).resolve().parents[1] / "data" / "films_tiny"


def test_the_corpus_draws_chains_of_the_films_own_pairs() -> None:
    graph = load_graph(FILMS)
    rules = load_rules(FILMS / "films.rules.yaml", graph)
    found = graph_chains(graph, rules, 200, seed=0)
    assert found
    users, items = set(graph.users()), set(graph.items())
    assert all(u in users and i in items for u, i, _ in found)
    assert any(u == i for u, i, _ in found)  # a viewer explained a film of the same id
    relations = {f.relation for _, _, chains in found for c in chains for f in c.facts}
    assert relations & {"directed_by", "starring", "similar_to"}


def test_whyrec_train_runs_on_a_catalog_with_shared_ids(tmp_path, monkeypatch) -> None:
    torch.set_num_threads(1)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    (tmp_path / "tiny.json").write_text(TINY.replace(epochs=1).to_json())
    out = tmp_path / "model"
    assert main(["train", "--graph", str(FILMS), "--rules", str(FILMS / "films.rules.yaml"), "--out", str(out),
                 "--config", str(tmp_path / "tiny.json"), "--no-progress"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["train"]["epochs_run"] == 1 and metrics["overall"]["verified_after_fallback"] == 1.0
