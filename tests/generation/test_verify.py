"""verify.py: template sentences of every default rule pass; every kind of planted error fails."""
import random

import pytest

from reasoning.chains import Chain
from generation import verify as V
from generation.inject import KINDS, inject
from generation.templates import realize_chain_generic, realize_template
from generation.verify import verify
from tests.generation.shop import chains_by_rule, shop


def same_brand() -> Chain:
    return next(c for c in chains_by_rule()["same-brand"] if c.binding("item").label == "Glow Cream")


def check(text: str, chain: Chain | None = None):
    graph, _ = shop()
    return verify(text, chain or same_brand(), graph)


def true_sentences():
    graph, rules = shop()
    for rule_id, chains in sorted(chains_by_rule().items()):
        for c in chains:
            for v in range(len(rules.get(rule_id).says)):
                yield rule_id, c, realize_template(c, rules, graph, v)
            for v in range(3):
                yield rule_id, c, realize_chain_generic(c, graph, v)


def test_every_template_and_generic_sentence_of_every_default_rule_is_verified():
    graph, _ = shop()
    seen = set()
    for rule_id, chain, text in true_sentences():
        verdict = verify(text, chain, graph)
        assert verdict.ok, (rule_id, text, [str(p) for p in verdict.unsupported])
        seen.add(rule_id)
    assert len(seen) == len(chains_by_rule())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_injected_error_kind_is_caught(kind):
    graph, _ = shop()
    rng = random.Random(3)
    injected = 0
    for rule_id, chain, text in true_sentences():
        bad = inject(text, chain, graph, kind, rng)
        if bad is None or bad == text:
            continue
        injected += 1
        verdict = verify(bad, chain, graph)
        assert not verdict.ok, (kind, text, bad)
    assert injected > 0, kind


def test_verdict_parts_for_a_true_sentence():
    v = check("You bought Glow Serum, and Glow Cream is also by Lumière.")  # "also": Glow Serum is by it too
    assert v.ok and len(v.verified) == 2 and not v.unsupported and not v.unsaid
    v = check("You bought Glow Serum, and Glow Cream is by Lumière.")  # the shared brand goes unsaid
    assert not v.ok and V.FACT_UNSAID in v.reasons
    assert [(f.subject, f.relation) for f in v.unsaid] == [("p1", "brand")]


@pytest.mark.parametrize("text, reason", [
    ("You bought Glow Serum, and Glow Cream is also by Nocturne.", V.NOT_IN_CHAIN),  # another real brand
    ("You bought Night Oil, and Glow Cream is also by Lumière.", V.NOT_IN_CHAIN),  # another real product
    ("You bought Glow Serum, and Zentara Balm is also by Lumière.", V.UNKNOWN_NAME),  # an invented name
    ("You bought Glow Serum, and Glow Cream isn't made by Lumière.", V.NEGATED),
    ("You never bought Glow Serum, and Glow Cream is also by Lumière.", V.NEGATED),
    ("You bought Glow Serum, and Glow Cream contains Lumière.", V.WRONG_RELATION),
    ("You looked at Glow Serum, and Glow Cream is also by Lumière.", V.WRONG_RELATION),
    ("Lumière is made by Glow Cream.", V.WRONG_RELATION),  # the right relation, backwards
    ("You bought Glow Serum 3 stars, and Glow Cream is by Lumière.", V.WRONG_NUMBER),
    ("You bought <P2>, and Glow Cream is also by Lumière.", V.UNKNOWN_SLOT),
    ("You bought Glow Serum, like u2, and Glow Cream is by Lumière.", V.OTHER_USER),
    ("Glow Cream is by.", V.INCOMPLETE),
])
def test_false_sentences_fail_with_a_reason(text, reason):
    v = check(text)
    assert not v.ok
    assert reason in v.reasons, [str(p) for p in v.unsupported]


def test_partly_true_sentence_fails_but_keeps_its_verified_claims():
    v = check("You bought Glow Serum, and Glow Cream contains retinol.")
    assert not v.ok and len(v.verified) == 1 and v.unsupported


def test_no_claim_is_not_ok_and_a_bare_mention_of_a_chain_entity_is_fine():
    assert not check("Glow Cream!").ok  # names only the chain, but claims nothing
    v = check("Glow Cream is by Lumière, also like Glow Serum. Nice, Glow Serum.")
    assert not v.ok and V.UNREAD in v.reasons and V.DANGLING in v.reasons


def test_numbers_are_checked():
    graph, _ = shop()
    budget = chains_by_rule()["within-budget"][0]
    price = budget.binding("price").label
    rest = "and is in Serums like Glow Serum, which you bought."
    assert verify(f"Glow Cream costs {price}, within your budget of 40, {rest}", budget, graph).ok
    assert verify(f"Glow Cream costs ${price}, within your budget of $40, {rest}", budget, graph).ok
    assert not verify(f"Glow Cream costs 99, within your budget of 40, {rest}", budget, graph).ok
    assert not verify(f"Glow Cream costs {price}, within your budget of 45, {rest}", budget, graph).ok
    v = verify(f"Glow Cream costs {price}, above your budget of 40, {rest}", budget, graph)
    assert V.WRONG_COMPARISON in v.reasons  # both numbers are true; the comparison is not


def test_crowd_facts_are_checked_by_count_and_scores_against_the_graph():
    graph, _ = shop()
    crowd = chains_by_rule()["crowd-rated-highly"][0]
    assert verify("10 people who bought Glow Serum, like you, rated Night Oil 4 stars or more.", crowd, graph).ok
    assert verify("10 people who bought Glow Serum, like you, rated Night Oil 5 stars.", crowd, graph).ok
    for bad in ("11 people who bought Glow Serum, like you, rated Night Oil 4 stars or more.",
                "10 people who bought Glow Serum, like you, rated Night Oil 3 stars."):
        v = verify(bad, crowd, graph)
        assert V.WRONG_NUMBER in v.reasons, bad


def test_several_chains_of_one_pair_are_checked_together():
    graph, _ = shop()
    viewed = next(c for c in chains_by_rule()["viewed"] if c.binding("item").label == "Glow Cream")
    text = "You bought Glow Serum, and Glow Cream is also by Lumière; you looked at Glow Cream."
    assert not verify(text, same_brand(), graph).ok
    assert verify(text, [same_brand(), viewed], graph).ok
    assert V.FACT_UNSAID in verify("You bought Glow Serum, and Glow Cream is also by Lumière.",
                                   [same_brand(), viewed], graph).reasons
