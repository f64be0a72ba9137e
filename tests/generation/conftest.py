"""The demo catalog, its default rules and a ranker trained on it, shared by the explainer tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import load_graph
from reasoning import load_rules, train_scorer

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"


@pytest.fixture(scope="session")
def graph():
    return load_graph(DEMO)


@pytest.fixture(scope="session")
def rules(graph):
    return load_rules(RULES, graph)


@pytest.fixture(scope="session")
def scorer(graph, rules):
    return train_scorer(graph, rules)


@pytest.fixture(scope="session")
def ranker(graph, rules):
    """The scorer with its confidence calibration, as Explainer(graph, rules) trains it."""
    from reasoning.calibrate import train_ranker
    return train_ranker(graph, rules)
