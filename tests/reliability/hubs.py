"""Graphs that make the chain search work hard: a hub of 100,000 products, and hubs on every step.

``hub_shop``: brand "hub" has 100,000 products, u1 prefers it, and every one of them is also bought
with "item". The rule ``favourite-brand-also`` (user prefers brand; product brand brand; product
also_bought item) can only be matched through the hub, from both ends: the search must stop at
the hub cap and say the result was truncated, quickly.

``four_hubs``: u1 bought 1,000 products, each also bought with the same 1,000 others, and all
1,000 also bought with "item": a four-step rule through them needs millions of steps, so the
work budget runs out and the result says it timed out.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from kg.vocab import RDF_TYPE, SCHEMA, WR

E = "https://ex.org/"
HUB_RULES = """\
- id: favourite-brand-also
  says: "You like {brand}; {product} is by {brand} and is often bought with {item}."
  path:
    - user prefers brand
    - product brand brand
    - product also_bought item
- id: same-brand
  says: "You bought {product}; {item} is also by {brand}."
  path:
    - user purchased product
    - product brand brand
    - item brand brand
"""
FOUR_HUB_RULES = """\
- id: four-hubs
  says: "You bought {a}; {b} goes with it and with {c}, which goes with {item}."
  path:
    - user purchased a
    - a also_bought b
    - c also_bought b
    - c also_bought item
"""


def _graph(terms: list[str], rows: list[np.ndarray], source: str):
    from kg.build import GraphBuilder

    b = GraphBuilder(source)
    b.add_many(terms, np.concatenate(rows))
    return b.build()


def hub_shop(products: int = 100_000):
    """(graph, rules text): u1 prefers the hub brand and bought hub product h0."""
    hub = [f"<{E}product/h{k}>" for k in range(products)]
    terms = hub + [f"<{E}brand/hub>", f"<{E}product/item>", f"<{E}user/u1>", f"<{RDF_TYPE}>", f"<{SCHEMA}Product>",
                   f"<{WR}User>", f"<{SCHEMA}brand>", f"<{WR}alsoBought>", f"<{WR}prefers>", f"<{WR}purchased>",
                   f"<{SCHEMA}name>", '"Hub"']
    HUB, ITEM, U, TY, PR, US, BR, AB, PF, PU, NAME, LABEL = range(products, products + 12)
    n = np.arange(products)
    rows = [np.stack([n, np.full(products, TY), np.full(products, PR)], 1),
            np.stack([n, np.full(products, BR), np.full(products, HUB)], 1),
            np.stack([n, np.full(products, AB), np.full(products, ITEM)], 1),
            np.array([[ITEM, TY, PR], [U, TY, US], [U, PF, HUB], [U, PU, 0], [HUB, NAME, LABEL]])]
    return _graph(terms, rows, "hub-shop"), HUB_RULES


def four_hubs(width: int = 1_000):
    """(graph, rules text): a complete bipartite also_bought between two sets of ``width`` products."""
    a = [f"<{E}product/a{k}>" for k in range(width)]
    b = [f"<{E}product/b{k}>" for k in range(width)]
    terms = a + b + [f"<{WR}alsoBought>", f"<{E}user/u1>", f"<{WR}purchased>", f"<{E}product/item>", f"<{RDF_TYPE}>",
                     f"<{SCHEMA}Product>", f"<{WR}User>"]
    AB, U, PU, ITEM, TY, PR, US = range(2 * width, 2 * width + 7)
    n = np.arange(width)
    rows = [np.stack([np.repeat(n, width), np.full(width * width, AB), np.tile(n, width) + width], 1),
            np.stack([np.full(width, U), np.full(width, PU), n], 1),
            np.stack([n, np.full(width, AB), np.full(width, ITEM)], 1),
            np.stack([np.arange(2 * width), np.full(2 * width, TY), np.full(2 * width, PR)], 1),
            np.array([[U, TY, US], [ITEM, TY, PR]])]
    return _graph(terms, rows, "four-hubs"), FOUR_HUB_RULES


def rules_for(graph, text: str, folder: Path):
    from reasoning.ruleset import load_rules

    path = folder / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path, graph)
