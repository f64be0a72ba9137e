"""The demo catalog's Chinese names: every named node has one, they are unique, written without
spaces between CJK characters, and some contain others (the Chinese reader's longest match)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg import KnowledgeGraph, load_graph

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
CJK = "\u3400-\u9fff\uf900-\ufaff"
SPACED = re.compile(f"[{CJK}]\\s+[{CJK}]")


@pytest.fixture(scope="module")
def g() -> KnowledgeGraph:
    return load_graph(DEMO, cache=False)


def test_every_named_node_has_a_chinese_name_and_english_stays_default(g):
    assert g.languages == ("en", "zh")
    for n in range(g.n_nodes):
        if g.is_user(n):
            continue
        zh, tag = g.label_in(n, "zh")
        assert tag == "zh" and re.search(f"[{CJK}]", zh), (g.key(n), zh)
        assert g.label_in(n, "en") == (g.label(n), "en")


def test_chinese_names_are_unique_and_never_spaced(g):
    names = [g.label_in(n, "zh")[0] for n in range(g.n_nodes) if not g.is_user(n)]
    assert len(set(names)) == len(names)
    assert not [x for x in names if SPACED.search(x) or x != x.strip()]


def test_names_inside_longer_names_exist(g):
    """A category inside a product name (精华 in ...精华液), a brand and its line inside a product."""
    def zh(key: str) -> str:
        return g.label_in(g.node(key), "zh")[0]
    products = [n for n in g.item_nodes().tolist()]
    serum = zh("skin-care/serums")
    assert serum == "精华" and sum(serum in g.label_in(p, "zh")[0] for p in products) >= 10
    p = products[0]
    brand, line = (g.neighbors(p, rel)[0] for rel in ("brand", "line"))
    name = g.label_in(p, "zh")[0]
    assert name.startswith(g.label_in(int(line), "zh")[0]) and g.label_in(int(line), "zh")[0].startswith(
        g.label_in(int(brand), "zh")[0])
