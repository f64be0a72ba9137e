"""Short names and "it": the verifier reads exactly the forms a catalog allows, and "it" only as the item."""
from __future__ import annotations

from reasoning.match import find_chains_many
from generation import verify as V
from generation.articles import article
from generation.linearize import refill
from generation.short import shorten_chains
from generation.templates import fill_template
from generation.verify import verify
from tests.generation.shop import chains_by_rule, shop


def tiny(rule: str, item: str):
    return next(c for c in chains_by_rule()[rule] if c.binding("item").label == item)


def reasons(text: str, chain, graph) -> tuple[str, ...]:
    return verify(text, chain, graph).reasons


# -- "it" -------------------------------------------------------------------------------------

def test_it_after_the_item_is_read_as_the_item() -> None:
    graph, rules = shop()
    c = next(iter(chains_by_rule()["within-budget"]))
    text = fill_template("{item} costs {price}, within your budget of {budget}, and it is in {category}, "
                         "like {product}, which you bought.", c, rule=rules.get("within-budget"), graph=graph)
    assert verify(text, c, graph).ok, text


def test_it_for_the_other_product_is_refused() -> None:
    graph, _ = shop()
    c = tiny("same-brand", "Glow Cream")
    assert verify("You bought Glow Serum, and Glow Cream is also by Lumière.", c, graph).ok
    # "it" stands for Glow Serum here: true of the chain, but "it" is only ever the item
    assert V.UNCLEAR_IT in reasons("Glow Cream is by Lumière; you bought Glow Serum, and it is also by Lumière.",
                                   c, graph)
    assert V.UNCLEAR_IT in reasons("You bought Glow Serum, and it is also by Lumière, like Glow Cream.", c, graph)


def test_it_before_the_item_is_named_is_refused() -> None:
    graph, _ = shop()
    c = tiny("same-brand", "Glow Cream")
    assert V.UNCLEAR_IT in reasons("It is by Lumière, like Glow Serum, which you bought; Glow Cream.", c, graph)


def test_it_that_could_mean_two_products_is_refused() -> None:
    graph, rules = shop()
    c = next(iter(chains_by_rule()["within-budget"]))
    text = fill_template("{item} costs {price}, within your budget of {budget}; like {product}, which you bought, "
                         "it is in {category}.", c, rule=rules.get("within-budget"), graph=graph)
    assert V.UNCLEAR_IT in verify(text, c, graph).reasons, text


# -- short names ------------------------------------------------------------------------------

def _demo_chain(graph, rules, user: str, item: str, rule: str):
    res = find_chains_many(graph, rules, [(graph.node_of(user, "user"), graph.node_of(item, "item"))])[0]
    return next(c for c in res.chains if c.rule == rule)


def test_the_catalogs_short_name_is_read_and_a_made_up_one_is_not(graph, rules) -> None:
    c = _demo_chain(graph, rules, "u015", "p0130", "viewed")
    full = c.binding("item").label
    assert full == "Aurelle Pro Artist Dewy Foundation in Fair"
    assert verify(f"You looked at {full}.", c, graph, rules).ok
    assert verify("You looked at Pro Artist Foundation in Fair.", c, graph, rules).ok  # the short_name column
    for made_up in ("Pro Artist Foundation", "Pro Artist Dewy Foundation", "Dewy Foundation in Fair"):
        assert not verify(f"You looked at {made_up}.", c, graph, rules).ok, made_up


def test_a_name_without_its_brand_needs_the_brand_said(graph, rules) -> None:
    c = _demo_chain(graph, rules, "u001", "p0001", "same-brand")
    product = c.binding("product").label
    assert product == "Aurelle Root Rescue Detangling Leave-In Conditioner 150 ml"
    with_brand = ("You bought Root Rescue Detangling Leave-In Conditioner 150 ml, and "
                  "Aurelle Aqua Veil Clarifying Gel Cleanser 150 ml is also by Aurelle.")
    assert verify(with_brand, c, graph, rules).ok
    # the same brand-less name in a sentence that says no brand: refused
    no_brand = "You looked at Aqua Veil Clarifying Gel Cleanser 150 ml."
    viewed = find_chains_many(graph, rules, [(graph.node_of("u001", "user"), graph.node_of("p0001", "item"))])[0].chains
    assert V.SHORT_NO_BRAND in verify(no_brand, viewed, graph, rules).reasons


def test_shorten_uses_the_allowed_forms_and_keeps_the_sentence_true(graph, rules) -> None:
    c = _demo_chain(graph, rules, "u001", "p0001", "same-brand")
    long = fill_template(rules.get("same-brand").says[0], c, rule=rules.get("same-brand"), graph=graph)
    short = shorten_chains(long, [c], graph)
    assert len(short.split()) < len(long.split()) - 4, (long, short)
    assert verify(short, c, graph, rules).ok, short


def test_the_forms_are_built_once_per_graph_and_cannot_be_changed_by_a_caller(graph) -> None:
    from generation.short import forms_by_label
    forms = forms_by_label(graph)
    assert forms and forms_by_label(graph) is forms  # a batch of 100k pairs must not rebuild them per sentence
    assert all(isinstance(v, tuple) for v in forms.values())  # shared: no caller can append to another's


# -- articles ---------------------------------------------------------------------------------

def test_the_article_before_a_slot_follows_the_name_put_back() -> None:
    assert refill("<ITEM> has a <F1> finish.", {"<ITEM>": "X", "<F1>": "ivory"}) == "X has an ivory finish."
    assert refill("<ITEM> has an <F1> finish.", {"<ITEM>": "X", "<F1>": "matte"}) == "X has a matte finish."
    # an "a" inside a name is the catalog's own and stays
    assert refill("You bought <P1>.", {"<P1>": "Gift Card in a Ornament Tin"}) == "You bought Gift Card in a Ornament Tin."
    assert [article(w) for w in ("umbrella", "unisex", "hour", "SPF", "8-piece", "Eyeshadow")] == \
        ["an", "a", "an", "an", "an", "an"]


def test_the_item_named_again_becomes_it_and_reads_back() -> None:
    from generation.realize import _shortest
    from generation.short import item_as_it
    graph, rules = shop()
    c = next(iter(chains_by_rule()["within-budget"]))
    twice = fill_template("{item} costs {price}, within your budget of {budget}, and {item} is in {category}, "
                          "like {product}, which you bought.", c, rule=rules.get("within-budget"), graph=graph)
    once = item_as_it(twice, [c], graph)
    assert once.count(c.binding("item").label) == 1 and ", and it is in " in once
    text, verdict = _shortest(twice, [c], graph, rules)
    assert text == once and verdict.ok
    # the other product named twice stays named: "it" is only ever the item
    p = c.binding("product").label
    assert item_as_it(f"You bought {p}, and {p} is in Serums.", [c], graph) == f"You bought {p}, and {p} is in Serums."


def test_it_is_held_to_what_a_name_is_held_to(graph, rules) -> None:
    """"it" reads as the item at its own place: a bare "it" in no claim dangles, a third one loops."""
    c = _demo_chain(graph, rules, "u015", "p0130", "viewed")
    verdict = verify("You looked at Pro Artist Foundation in Fair, and it and it and it.", c, graph, rules)
    assert not verdict.ok
    assert {V.DANGLING, V.LOOP} & set(verdict.reasons) and V.UNCLEAR_IT not in verdict.reasons
