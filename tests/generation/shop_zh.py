"""The tiny shop (tests/generation/shop.py) with Chinese labels, untagged: how a catalog whose only
labels are Chinese reads. Same nodes, links and numbers; 精华 inside 光彩精华 tests longest match."""
from __future__ import annotations

from functools import lru_cache

from tests.generation.shop import RULES, builder

NAMES_ZH = {
    "product/p1": "光彩精华", "product/p2": "光彩面霜", "product/p3": "晚安精油", "product/p4": "焕亮维C精华液",
    "product/p5": "光彩面膜", "product/p6": "润色唇膏", "brand/b1": "露米耶", "brand/b2": "夜曲",
    "brand/b3": "索兰", "category/serums": "精华", "category/vitc": "维C精华", "category/oils": "面部精油",
    "category/skin": "护肤", "ingredient/nia": "烟酰胺", "ingredient/ret": "视黄醇", "finish/dewy": "水润",
    "claim/vegan": "纯素", "skintype/oily": "油性肌肤",
}


@lru_cache(maxsize=1)
def shop_zh():
    """(graph, default rules) of the Chinese tiny shop, built once per test session."""
    import reasoning
    graph = builder(NAMES_ZH).build()
    return graph, reasoning.load_rules(RULES, graph)
