"""A tiny corpus from the tiny test shop (tests/generation/shop.py), built once per session."""
from __future__ import annotations

from functools import lru_cache

from training.config import TINY


@lru_cache(maxsize=1)
def tiny_corpus():
    """Invented chains of many domains (how the shipped model's corpus is made) plus the shop's."""
    from tests.generation.shop import shop
    from training.corpus import build_corpus

    graph, rules = shop()
    return graph, rules, build_corpus(graph, rules, TINY.replace(synthetic="domains"))


@lru_cache(maxsize=1)
def tiny_catalog_corpus():
    """The shop's own corpus: its rules' chains and random walks on its graph, nothing invented."""
    from tests.generation.shop import shop
    from training.corpus import build_corpus

    graph, rules = shop()
    return graph, rules, build_corpus(graph, rules, TINY)
