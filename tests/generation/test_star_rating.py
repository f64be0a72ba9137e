"""'your 5-star X': a rating said before the name, read as the user's rating of X with that score."""
from __future__ import annotations

import random

from generation.claims import read_claims
from generation.linearize import linearize
from generation.templates import realize_template
from generation.verify import verify
from reasoning.match import Budget, find_chains
from training.compose import candidates


def _rated_chain(graph, rules, rule: str = "shared-ingredient"):
    rng = random.Random(3)
    users, items = sorted(graph.users()), sorted(graph.items())
    for _ in range(4000):
        res = find_chains(graph, rules, rng.choice(users), rng.choice(items), budget=Budget(seconds=60))
        for c in res.chains:
            if c.rule == rule:
                return c
    raise AssertionError(f"no {rule} chain on the demo")


def test_the_rating_before_the_name_is_read_as_the_users_rating(graph):
    r = read_claims("Glow Cream contains glycerin, like your 4-star Calm Cica Clay Mask 75 ml.", graph, "en")
    rated = [c for c in r.claims if c.subject is not None and c.subject.kind == "user"]
    assert len(rated) == 1 and {s.relation for s in rated[0].senses} == {"rated"}
    assert [(v.value, v.unit) for v in rated[0].values] == [(4.0, "stars")]
    assert rated[0].object is not None and rated[0].object.text == "Calm Cica Clay Mask 75 ml"
    # the thing compared is the product, not "your": "like your 4-star X" is "like X"
    assert any(c.origin == "like" and c.subject is not None and c.subject.text == "Calm Cica Clay Mask 75 ml"
               for c in r.claims)


def test_the_rules_rating_templates_read_back_and_a_changed_score_does_not(graph, rules):
    for rule in ("shared-ingredient", "same-brand-loved"):
        c = _rated_chain(graph, rules, rule)
        text = realize_template(c, rules, graph)
        score = next(dict(f.values)["score"] for f in c.facts if "score" in dict(f.values))
        assert f"your {score:g}-star " in text and verify(text, c, graph, rules).ok, text
        wrong = text.replace(f"your {score:g}-star ", f"your {score - 1:g}-star ")
        assert not verify(wrong, c, graph, rules).ok, wrong
        bare = text.replace(f"your {score:g}-star ", "your ")
        assert not verify(bare, c, graph, rules).ok, bare  # the score a rule compares must be said


def test_the_corpus_says_a_rated_product_with_its_stars_first(graph, rules):
    c = _rated_chain(graph, rules)
    user, item = c.binding("user").key, c.binding("item").key
    lin = linearize([c], item, user)
    said = {cand(0) for style in candidates(c, user, item, lin, graph, rules) for cand in style}
    assert any(s and "your <V1>-star <P1>" in s for s in said), said
