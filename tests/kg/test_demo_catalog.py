"""The shipped demo catalog (data/demo): big and varied enough for every default rule, and reproducible."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from kg import load_graph
from kg.graph import KnowledgeGraph

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
RELATIONS = ["purchased", "rated", "viewed", "prefers", "brand", "category", "parent", "ingredient", "suits",
             "finish", "colour", "claim", "also_bought", "also_viewed", "bought_together"]
LITERALS = ["price", "budget", "size"]


@pytest.fixture(scope="module")
def g() -> KnowledgeGraph:
    return load_graph(DEMO)


def _typed(g: KnowledgeGraph, type_name: str) -> list[int]:
    return [n for n in range(g.n_nodes) if g.type_name(n) == type_name]


def test_size_items_users_departments(g: KnowledgeGraph) -> None:
    assert len(list(g.items())) >= 300
    assert len(list(g.users())) >= 100
    roots = [c for c in _typed(g, "Category") if len(g.neighbors(c, "parent")) == 0]
    assert len(roots) >= 3
    # three levels: every product's category has a parent that has a parent (a department)
    for p in _typed(g, "Product")[:50]:
        (leaf,) = g.neighbors(p, "category")
        (mid,) = g.neighbors(int(leaf), "parent")
        (dept,) = g.neighbors(int(mid), "parent")
        assert int(dept) in roots


def test_every_default_relation_has_facts(g: KnowledgeGraph) -> None:
    for name in RELATIONS:
        index = g.edges(name)
        assert index is not None and index.n_edges > 0, name
    for name in LITERALS:
        assert g.numbers(name) is not None or g.parts.literals.get(name) is not None, name


def test_ratings_carry_score_and_summary(g: KnowledgeGraph) -> None:
    rated = g.edges("rated")
    scores = rated.values["score"]
    assert not np.isnan(scores).any() and set(np.unique(scores)) <= {1, 2, 3, 4, 5}
    assert len(rated.texts["summary"]) == rated.n_edges
    assert len(set(rated.texts["summary"].values())) >= 30  # varied, not one template


def test_product_names_read_real_and_are_unique(g: KnowledgeGraph) -> None:
    names = [g.label(n) for n in _typed(g, "Product")]
    assert not [n for n in names if re.search(r"\b(product|item)\s*\d+", n, re.I)]
    assert len(set(names)) == len(names)
    assert all(len(n.split()) >= 4 for n in names)


def test_hubs(g: KnowledgeGraph) -> None:
    by_brand = Counter(g.label(int(b)) for p in _typed(g, "Product") for b in g.neighbors(p, "brand"))
    assert by_brand.most_common(1)[0][1] >= 50
    assert 25 <= len(by_brand) <= 40
    used = g.edges("ingredient").inn.degrees()
    assert used.max() >= 100  # one ingredient (glycerin) in many products


def test_labels_and_types_are_readable(g: KnowledgeGraph) -> None:
    assert g.label(g.node("brand/aurelle")) == "Aurelle"
    assert g.label(g.node("category/skin-care/serums/vitamin-c")) == "Vitamin C serums"
    assert g.label(g.node("hyaluronic-acid")) == "hyaluronic acid"
    # every stated preference points at a typed node (a brand, claim, skin type, ...)
    for u in _typed(g, "User"):
        for target in g.neighbors(u, "prefers"):
            assert g.type_name(int(target)) != "Thing", g.key(int(target))
    # users are ids only, no personal names
    assert all(re.fullmatch(r"u\d{3}", g.label(u)) for u in _typed(g, "User"))


def test_generator_is_deterministic(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONHASHSEED="123")
    subprocess.run([sys.executable, str(DEMO / "generate.py"), "--out", str(tmp_path)], check=True, env=env,
                   capture_output=True)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert "whyrec.yaml" in made and "products.csv" in made
    for name in made:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), f"{name} differs: rerun generate.py"


def test_small_enough_to_ship() -> None:
    assert sum(p.stat().st_size for p in DEMO.iterdir() if p.is_file()) < 2_000_000
