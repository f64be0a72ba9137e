"""Two tiny catalogs like the ones issue 9 was found on, and a price-condition rule for tests/generation/shop.py.

- ``ids()``: a beauty shop whose products have no titles, only Amazon-style ids as names; u1
  bought B01AAAAAA1, which is often viewed with B03CCCCCC3, which is bought together with
  B02BBBBBB2; ten other people bought B01AAAAAA1 and B04DDDDDD4.
- ``films()``: a film catalog with a relation the shipped model never saw (``genre``, with the
  catalog's own phrases); v1 rated Metal Storm 2 (1991) 5 stars; it and Hardwired (1995) are
  Sci-Fi; Hardwired (1995) and Quiet Harbor (2016) are Drama.
- ``cheaper()``: the shop of tests/generation/shop.py with a rule whose point is a condition,
  ``price < paid`` (Glow Cream costs 25, the Glow Serum u1 bought costs 30).

Each returns (graph, rules); rules are read from the YAML text below (no file needed).
"""
from __future__ import annotations

from functools import lru_cache

from kg.build import GraphBuilder
from kg.vocab import RDF, RDF_TYPE, SCHEMA, WR
from reasoning import RuleSet, check_rules

XSD = "http://www.w3.org/2001/XMLSchema#"

IDS_RULES = """
- id: viewed-then-together
  says:
    - "You bought {product}, which is often viewed with {other}, and {item} is bought together with {other}."
  path:
    - user purchased product
    - product also_viewed other
    - other bought_together item
- id: crowd-also-bought
  says:
    - "{count} people who bought {product}, like you, also bought {item}."
  path:
    - user purchased product
    - shopper purchased product
    - shopper purchased item
  tags: [collaborative]
  min_support: 10
"""

FILM_RULES = """
- id: same-genre-loved
  says:
    - "You rated {film} {r.score} stars, and {item} is also in the genre {genre}."
  path:
    - user rated film as r
    - film genre genre
    - item genre genre
  when:
    - r.score >= 4
"""

CHEAPER_RULES = """
- id: cheaper-same-brand
  says:
    - "{item} is also by {brand} and costs {price}, cheaper than the {paid} you paid for {product}."
  path:
    - user purchased product
    - product brand brand
    - item brand brand
    - product price paid
    - item price price
  when:
    - price < paid
"""


def rules_from(text: str, name: str, graph) -> RuleSet:
    plans, problems = check_rules(name, graph, text=text)
    assert not problems, [str(p) for p in problems]
    return RuleSet(tuple(plans), name)


def _node(ns: str, key: str) -> str:
    return f"<{ns}{key}>"


@lru_cache(maxsize=1)
def ids():
    ns = "https://ids.example/"
    b = GraphBuilder("ids")
    for p in ("B01AAAAAA1", "B02BBBBBB2", "B03CCCCCC3", "B04DDDDDD4"):
        b.add(_node(ns, f"product/{p}"), f"<{RDF_TYPE}>", f"<{SCHEMA}Product>")
        b.add(_node(ns, f"product/{p}"), f"<{SCHEMA}name>", f'"{p}"')
    for u in ["u1"] + [f"c{k}" for k in range(10)]:
        b.add(_node(ns, f"user/{u}"), f"<{RDF_TYPE}>", f"<{WR}User>")

    def rel(s: str, r: str, o: str) -> None:
        b.add(_node(ns, s), f"<{WR}{r}>", _node(ns, o))

    rel("user/u1", "purchased", "product/B01AAAAAA1")
    rel("product/B01AAAAAA1", "alsoViewed", "product/B03CCCCCC3")
    rel("product/B03CCCCCC3", "boughtTogether", "product/B02BBBBBB2")
    for k in range(10):
        rel(f"user/c{k}", "purchased", "product/B01AAAAAA1")
        rel(f"user/c{k}", "purchased", "product/B04DDDDDD4")
    graph = b.build()
    return graph, rules_from(IDS_RULES, "ids.yaml", graph)


@lru_cache(maxsize=1)
def films():
    ns, onto = "https://films.example/", "https://films.example/ns/"
    b = GraphBuilder("films")
    names = {"film/f1": "Metal Storm 2 (1991)", "film/f2": "Hardwired (1995)", "film/f3": "Quiet Harbor (2016)",
             "genre/scifi": "Sci-Fi", "genre/drama": "Drama"}
    for key, name in names.items():
        cls = f"{SCHEMA}Product" if key.startswith("film/") else f"{onto}Genre"
        b.add(_node(ns, key), f"<{RDF_TYPE}>", f"<{cls}>")
        b.add(_node(ns, key), f"<{SCHEMA}name>", f'"{name}"')
    b.add(_node(ns, "user/v1"), f"<{RDF_TYPE}>", f"<{WR}User>")
    b.describe_relation(onto + "genre", "genre", "genre of", ("is in the genre", "belongs to the genre"))
    for film, genre in (("f1", "scifi"), ("f2", "scifi"), ("f2", "drama"), ("f3", "drama")):
        b.add(_node(ns, f"film/{film}"), f"<{onto}genre>", _node(ns, f"genre/{genre}"))
    b.add(_node(ns, "user/v1"), f"<{WR}rated>", _node(ns, "film/f1"))
    stmt = _node(ns, "fact/r1")  # the rating's score sits on the reified fact, as the table loader writes it
    b.add(stmt, f"<{RDF}subject>", _node(ns, "user/v1"))
    b.add(stmt, f"<{RDF}predicate>", f"<{WR}rated>")
    b.add(stmt, f"<{RDF}object>", _node(ns, "film/f1"))
    b.add(stmt, f"<{WR}score>", f'"5"^^<{XSD}decimal>')
    graph = b.build()
    return graph, rules_from(FILM_RULES, "films.yaml", graph)


@lru_cache(maxsize=1)
def cheaper():
    from tests.generation.shop import shop
    graph, _ = shop()
    return graph, rules_from(CHEAPER_RULES, "cheaper.yaml", graph)
