"""phrasing.py: every relation has wordings, custom relations need no code, and the verifier's
phrase table knows every wording the writers use."""
from kg.vocab import DEFAULT_RELATIONS, Relation, Vocabulary, default_vocabulary
from reasoning.chains import Fact
from generation.phrasing import (Sense, normalize_phrase, phrasing, pick, relation_phrases,
                                 say_fact, say_shared)

NODE = [r for r in DEFAULT_RELATIONS if r.kind == "node"]


def test_every_default_relation_has_a_canonical_pattern_from_its_first_phrase():
    for rel in NODE:
        ph = phrasing(rel.name)
        assert ph.patterns, rel.name
        if rel.domain != "User" and rel.name not in ("finish", "also_bought", "also_viewed"):
            assert ph.patterns[0] == "{s} " + rel.phrases[0] + " {o}", rel.name


def test_user_facts_are_said_to_you_and_scores_are_numbers():
    bought = Fact("u1", "purchased", "p1", "u1", "Glow Serum", "User", "Product")
    assert [say_fact(bought, user="u1", variant=v) for v in range(2)] == ["you bought Glow Serum",
                                                                          "you purchased Glow Serum"]
    rated = Fact("u1", "rated", "p1", "u1", "Glow Serum", "User", "Product", values=(("score", 5.0),))
    assert say_fact(rated, user="u1") == "you rated Glow Serum 5 stars"
    crowd = Fact(None, "purchased", "p1", "12 other shoppers", "Glow Serum", "User", "Product", count=12)
    assert say_fact(crowd) == "12 people bought Glow Serum"  # the neutral noun, unless the catalog has its own
    assert say_fact(crowd, audience="viewers") == "12 viewers bought Glow Serum"


def test_values_and_a_namer_for_slot_tokens():
    price = Fact("p1", "price", "24.5", "Glow Serum", "24.5", "Product", "Value", is_value=True)
    assert say_fact(price) == "Glow Serum costs 24.50"
    tokens = {"p1": "<ITEM>", "24.5": "<V1>"}
    assert say_fact(price, name=lambda key, label, t: tokens[key]) == "<ITEM> costs <V1>"
    budget = Fact("u1", "budget", "40", "u1", "40", "User", "Value", is_value=True)
    assert say_fact(budget, user="u1") == "your budget is 40"


def test_variants_are_deterministic_and_wrap():
    assert pick(["a", "b", "c"], 4) == "b"
    brand = Fact("p1", "brand", "b1", "Glow Serum", "Lumière", "Product", "Brand")
    assert {say_fact(brand, variant=v) for v in range(8)} == {say_fact(brand, variant=v) for v in range(4)}


def test_shared_objects_take_the_plural():
    assert say_shared("brand", ("A", "B"), "X") == "A and B are both made by X"
    assert say_shared("ingredient", ("A", "B"), "X") == "A and B both contain X"
    assert say_shared("finish", ("A", "B"), "matte") == "A and B both have a matte finish"


def test_custom_relation_from_the_vocabulary_needs_no_code():
    line = Relation("line", "https://x/ns#line", "product line", "product line of", ("belongs to the line",))
    vocab = Vocabulary(tuple(DEFAULT_RELATIONS) + (line,))
    fact = Fact("p1", "line", "l1", "Glow Serum", "Hydra-Glow", "Product", "ProductLine")
    assert say_fact(fact, vocab) == "Glow Serum belongs to the line Hydra-Glow"
    table = relation_phrases(vocab)
    assert Sense("line") in table["belongs to line"]
    assert Sense("line", inverted=True) in table["product line of"]
    assert phrasing("made_up").patterns == ("{s} made up {o}",)  # unknown to any vocabulary: still sayable


def test_phrase_table_has_inverses_and_user_phrases():
    table = relation_phrases()
    assert Sense("brand") in table[normalize_phrase("is also made by")]
    assert Sense("brand", inverted=True) in table["brand of"]
    assert Sense("brand", inverted=True) in table["makes"]
    assert Sense("budget", user_subject=True) in table["your budget is"]
    assert "like" not in table  # "like X" compares; only "you like" says a preference


def test_every_written_pattern_can_be_read_back():
    table = relation_phrases()
    vocab = default_vocabulary()
    for rel in vocab.relations:
        if rel.name in ("score", "summary", "date", "verified"):
            continue
        ph = phrasing(rel.name)
        for p in ph.patterns + ph.user + ph.score:
            if not p.startswith(("{s} ", "you ", "your ")) or "{o}" not in p:
                continue
            middle = p.split("{o}")[0].replace("{s}", "").strip()
            middle = middle[4:] if middle.startswith("you ") else middle
            assert any(rel.name == s.relation for s in table.get(normalize_phrase(middle), ())), p
