"""templates.py: rule templates filled from the chain only; the generic sentence when they cannot be."""
from reasoning.chains import Binding, Chain, Fact
from reasoning.rules import Pos, Rule, Step
from generation.claims import read_claims
from generation.templates import fill_template, realize_chain_generic, realize_template, tidy
from tests.generation.shop import chains_by_rule, shop

P = Pos("t.yaml", 1, 1)
CHAIN = Chain("same-brand-loved", (
    Fact("u1", "rated", "p1", "u1", "Glow Serum", "User", "Product", values=(("score", 5.0),)),
    Fact("p1", "brand", "b1", "Glow Serum", "Lumière", "Product", "Brand"),
    Fact("p2", "brand", "b1", "Glow Cream", "Lumière", "Product", "Brand")),
    (("user", Binding("u1", "u1", "User")), ("product", Binding("p1", "Glow Serum", "Product")),
     ("brand", Binding("b1", "Lumière", "Brand")), ("item", Binding("p2", "Glow Cream", "Product"))), support=None)


def rule(*says: str) -> Rule:
    path = (Step("user", "rated", "product", P, "r"), Step("product", "brand", "brand", P),
            Step("item", "brand", "brand", P))
    return Rule("same-brand-loved", path, says, P)


def test_placeholders_attributes_and_escapes():
    text = realize_template(CHAIN, rule("you rated {product} {r.score} stars; {item} is by {brand} {{really}}"))
    assert text == "You rated Glow Serum 5 stars; Glow Cream is by Lumière {really}."


def test_variant_picks_a_template_and_wraps():
    r = rule("{item} is by {brand}.", "You rated {product} {r.score} stars.")
    assert realize_template(CHAIN, r, variant=1) == "You rated Glow Serum 5 stars."
    assert realize_template(CHAIN, r, variant=2) == "Glow Cream is by Lumière."


def test_a_template_naming_what_the_chain_lacks_is_not_used():
    assert fill_template("{item} is by {maker}", CHAIN) is None
    assert fill_template("{count} shoppers like {item}", CHAIN) is None  # not a crowd chain
    other = Chain("x", CHAIN.facts, CHAIN.bindings + (("friend", Binding("u2", "u2", "User")),))
    assert fill_template("{friend} bought it", other) is None  # another shopper is never named
    assert fill_template("{user} bought it", other) == "You bought it."
    text = realize_template(CHAIN, rule("{item} is by {maker}"))
    assert text == realize_chain_generic(CHAIN)
    assert "Lumière" in text and "Glow Serum" in text


def test_generic_sentence_joins_shared_objects_and_uses_a_namer():
    assert realize_chain_generic(CHAIN) == ("You rated Glow Serum 5 stars, and Glow Serum and Glow Cream are both "
                                            "made by Lumière.")
    tokens = {"p1": "<P1>", "p2": "<ITEM>", "b1": "<B1>", "5": "<V1>"}
    slotted = realize_chain_generic(CHAIN, name=lambda key, label, t: tokens.get(key, label))
    assert slotted == "You rated <P1> <V1> stars, and <P1> and <ITEM> are both made by <B1>."


def test_tidy():
    assert tidy("  you bought it ,and  it is good ") == "You bought it,and it is good."
    assert tidy("iPhone case fits.") == "iPhone case fits."
    assert tidy("e.l.f. is the brand.") == "E.l.f. is the brand."
    # a name that ends in its own full stop ends the sentence with it: one stop, not two
    assert tidy("It is by Trusted Media Brands, Inc..") == "It is by Trusted Media Brands, Inc."
    assert tidy("You bought e.l.f.") == "You bought e.l.f." and tidy("Wait...") == "Wait..."


def test_every_default_rule_template_names_only_the_chain():
    graph, rules = shop()
    found = chains_by_rule()
    assert set(found) == {r.id for r in rules}
    for rule_id, chains in found.items():
        for c in chains:
            labels = {f.subject_label.casefold() for f in c.facts} | {f.object_label.casefold() for f in c.facts}
            for v in range(len(rules.get(rule_id).says)):
                text = realize_template(c, rules, graph, v)
                assert text.endswith(".") and not text[0].islower(), text
                for m in read_claims(text, graph).mentions:
                    if m.kind == "entity":
                        assert m.entry.labels[0].casefold() in labels, (rule_id, text, m.text)
