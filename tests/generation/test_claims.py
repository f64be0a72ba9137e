"""claims.py: names by longest whole-token match, numbers, the user, phrases, negation -> claims."""
from generation.claims import label_index, read_claims, tokenize
from tests.generation.shop import shop


def claims(text: str):
    graph, _ = shop()
    r = read_claims(text, graph)
    side = lambda m: None if m is None else m.text  # noqa: E731
    return [(side(c.subject), sorted(s.relation for s in c.senses), side(c.object), c.negated, c.origin)
            for c in r.claims]


def mentions(text: str, kind: str = "entity"):
    graph, _ = shop()
    return [m.text for m in read_claims(text, graph).mentions if m.kind == kind]


def test_longest_whole_token_match_case_and_accent_insensitive():
    assert mentions("Glow Serum and glow cream by LUMIERE") == ["Glow Serum", "glow cream", "LUMIERE"]
    assert mentions("Night Oils are nice") == []  # no match inside a longer word
    assert mentions("Vitamin C serums sit under Serums") == ["Vitamin C serums", "Serums"]


def test_index_is_built_once_per_graph():
    graph, _ = shop()
    assert label_index(graph) is label_index(graph)
    assert label_index(graph).longest(tokenize("night oil"), 0)[1].keys == ("p3",)


def test_true_sentence_reads_into_claims():
    assert claims("You bought Glow Serum, and Glow Cream is also made by Lumière.") == [
        ("You", ["purchased"], "Glow Serum", False, "phrase"),
        ("Glow Cream", ["brand"], "Lumière", False, "phrase")]


def test_relative_clauses_comparisons_and_gaps():
    got = claims("Glow Cream contains niacinamide, like Glow Serum, which you rated 5 stars.")
    assert got == [("Glow Cream", ["ingredient"], "niacinamide", False, "phrase"),
                   ("Glow Serum", ["ingredient"], "niacinamide", False, "like"),
                   ("you", ["rated"], "Glow Serum", False, "phrase")]
    graph, _ = shop()
    rated = read_claims("Glow Cream contains niacinamide, like Glow Serum, which you rated 5 stars.", graph).claims[2]
    assert [(v.value, v.unit) for v in rated.values] == [(5.0, "stars")]


def test_shared_subjects_and_inverse_phrases():
    assert claims("Glow Serum and Glow Cream are both made by Lumière.") == [
        ("Glow Serum", ["brand"], "Lumière", False, "phrase"), ("Glow Cream", ["brand"], "Lumière", False, "phrase")]
    assert claims("Lumière makes Glow Cream.") == [("Lumière", ["brand"], "Glow Cream", False, "phrase")]


def test_negations_are_attached():
    for text in ("Glow Cream isn't made by Lumière.", "Glow Cream is not made by Lumière.",
                 "Glow Cream no longer comes from Lumière.", "You never bought Glow Serum."):
        assert [c[3] for c in claims(text)] == [True], text


def test_values_crowds_and_budget():
    graph, _ = shop()
    r = read_claims("10 shoppers who bought Glow Serum rated Night Oil 4 stars or more.", graph)
    assert [(m.kind, m.value) for m in r.mentions if m.kind in ("crowd", "value")] == [("crowd", 10.0), ("value", 4.0)]
    assert r.claims[1].values[0].op == ">="
    assert claims("Glow Cream costs $25, within your budget of 40.") == [
        ("Glow Cream", ["price"], "$25", False, "phrase"), ("your budget of", ["budget"], "40", False, "phrase")]


def test_unknown_names_slots_and_unattached_mentions_are_reported():
    graph, _ = shop()
    r = read_claims("You bought <P7>; Zentara Night Balm is by Lumière. Night Oil.", graph)
    assert [m.text for m in r.of_kind("slot")] == ["<P7>"]
    assert [m.text for m in r.of_kind("unknown")] == ["Zentara Night Balm"]
    assert "Night Oil" in [m.text for m in r.of_kind("entity")]  # named, though no phrase uses it
    assert ("Zentara Night Balm", ["brand"], "Lumière", False, "phrase") in claims(
        "You bought Glow Serum; Zentara Night Balm is by Lumière.")


def test_partly_true_sentence_keeps_every_claim():
    got = claims("You bought Glow Serum and Glow Cream contains retinol.")
    assert ("Glow Cream", ["ingredient"], "retinol", False, "phrase") in got
    assert ("You", ["purchased"], "Glow Serum", False, "phrase") in got


def test_a_phrase_without_arguments_is_an_incomplete_claim():
    assert claims("It is made by Lumière.") == [(None, ["brand"], "Lumière", False, "phrase")]
    assert claims("Glow Cream is great.") == [("Glow Cream", ["claim"], None, False, "phrase")]
