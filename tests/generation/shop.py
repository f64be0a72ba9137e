"""A tiny shop on which every default rule (data/rules/default.yaml) finds a chain for u1.

u1 bought and rated Glow Serum (Lumière, Serums, niacinamide, dewy, vegan, oily skin), prefers
Lumière, vegan and oily skin, has a budget of 40 and looked at Night Oil and Glow Cream; ten other
shoppers bought Glow Serum and Night Oil and rated Night Oil 5 stars.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kg.build import GraphBuilder
from kg.vocab import RDF, RDF_TYPE, SCHEMA, SKOS, WR

E = "https://shop.example/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RULES = Path(__file__).resolve().parents[2] / "data" / "rules" / "default.yaml"
CLASSES = {"product": SCHEMA + "Product", "brand": SCHEMA + "Brand", "category": WR + "Category",
           "ingredient": WR + "Ingredient", "finish": WR + "Finish", "claim": WR + "Claim",
           "skintype": WR + "SkinType", "user": WR + "User"}
NAMES = {
    "product/p1": "Glow Serum", "product/p2": "Glow Cream", "product/p3": "Night Oil", "product/p4": "Bright C Drops",
    "product/p5": "Glow Mask", "product/p6": "Lip Tint", "brand/b1": "Lumière", "brand/b2": "Nocturne",
    "brand/b3": "Solenne", "category/serums": "Serums", "category/vitc": "Vitamin C serums",
    "category/oils": "Face oils", "category/skin": "Skin care", "ingredient/nia": "niacinamide",
    "ingredient/ret": "retinol", "finish/dewy": "dewy", "claim/vegan": "vegan", "skintype/oily": "oily",
}


def _n(key: str) -> str:
    return f"<{E}{key}>"


def builder(names: dict[str, str] | None = None) -> GraphBuilder:
    b = GraphBuilder("shop")
    add = b.add
    for key, name in (names or NAMES).items():
        add(_n(key), f"<{RDF_TYPE}>", f"<{CLASSES[key.split('/')[0]]}>")
        add(_n(key), f"<{SCHEMA}name>", f'"{name}"')
    for u in ["u1", "u2"] + [f"c{k}" for k in range(10)]:
        add(_n(f"user/{u}"), f"<{RDF_TYPE}>", f"<{WR}User>")

    def rel(s: str, r: str, o: str) -> None:
        add(_n(s), f"<{r}>", _n(o))

    for p, brand, cat, price in (("p1", "b1", "serums", 30), ("p2", "b1", "serums", 25), ("p3", "b2", "oils", 40),
                                 ("p4", "b3", "vitc", 35), ("p5", "b3", "oils", 20), ("p6", "b2", "oils", 15)):
        rel(f"product/{p}", SCHEMA + "brand", f"brand/{brand}")
        rel(f"product/{p}", SCHEMA + "category", f"category/{cat}")
        add(_n(f"product/{p}"), f"<{SCHEMA}price>", f'"{price}"^^<{XSD}decimal>')
    for p in ("p1", "p2"):
        rel(f"product/{p}", WR + "ingredient", "ingredient/nia")
        rel(f"product/{p}", WR + "finish", "finish/dewy")
        rel(f"product/{p}", WR + "claim", "claim/vegan")
        rel(f"product/{p}", WR + "suitableFor", "skintype/oily")
    rel("product/p3", WR + "ingredient", "ingredient/ret")
    rel("category/vitc", SKOS + "broader", "category/serums")
    for c in ("serums", "oils"):
        rel(f"category/{c}", SKOS + "broader", "category/skin")
    rel("product/p1", WR + "boughtTogether", "product/p5")
    rel("product/p1", WR + "alsoBought", "product/p6")
    rel("product/p1", WR + "alsoViewed", "product/p4")
    rel("product/p2", WR + "alsoBought", "product/p6")
    rel("user/u1", WR + "purchased", "product/p1")
    rel("user/u1", WR + "viewed", "product/p3")
    rel("user/u1", WR + "viewed", "product/p2")
    for o in ("brand/b1", "claim/vegan", "skintype/oily"):
        rel("user/u1", WR + "prefers", o)
    add(_n("user/u1"), f"<{WR}budget>", f'"40"^^<{XSD}decimal>')
    _rating(b, "u1", "p1", 5, "r1")
    rel("user/u2", WR + "purchased", "product/p2")
    for k in range(10):
        rel(f"user/c{k}", WR + "purchased", "product/p1")
        rel(f"user/c{k}", WR + "purchased", "product/p3")
        _rating(b, f"c{k}", "p3", 5, f"rc{k}")
    return b


def _rating(b: GraphBuilder, user: str, product: str, score: int, fact: str) -> None:
    b.add(_n(f"user/{user}"), f"<{WR}rated>", _n(f"product/{product}"))
    stmt = _n(f"fact/{fact}")
    b.add(stmt, f"<{RDF}subject>", _n(f"user/{user}"))
    b.add(stmt, f"<{RDF}predicate>", f"<{WR}rated>")
    b.add(stmt, f"<{RDF}object>", _n(f"product/{product}"))
    b.add(stmt, f"<{WR}score>", f'"{score}"^^<{XSD}decimal>')


@lru_cache(maxsize=1)
def shop():
    """(graph, default rules) of the tiny shop, built once per test session."""
    import reasoning
    graph = builder().build()
    return graph, reasoning.load_rules(RULES, graph)


@lru_cache(maxsize=1)
def chains_by_rule():
    """rule id -> chains found for u1 over every product of the shop."""
    import reasoning
    graph, rules = shop()
    out: dict[str, list] = {}
    for item in sorted(graph.items()):
        for c in reasoning.find_chains(graph, rules, "u1", item).chains:
            out.setdefault(c.rule, []).append(c)
    return out
