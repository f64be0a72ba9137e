"""Adversary for the rated rules' "like your N-star P" form (shared-ingredient, same-finish,
same-brand-loved), on real demo chains.

Written from the public behaviour only (verify(...).ok), not from the reader's code. Each bad
sentence changes one thing in a correct one, aimed at the "your N-star" phrase; each must be
refused. Chains come from seeded random demo pairs: the three rated rules with score 4 and 5, and
rules where the user only bought the product (no rating in the chain). A bad sentence the
verifier accepts is an xfail(strict) naming why it is wrong, for the lead to fix; one it crashes on
(TypeError) an xfail(strict, raises=TypeError). What it found first is fixed (see XFAIL below).

Judged fine, so not in the bad table (true, and the exact score or the rule's own bound):
"your five-star P" when the score is 5 ("four-star" for 4; the verifier refuses these today, which
is safe), "4.0-star", "which you rated 4 stars or more", "which you gave 4 stars", "4 out of 5".
"""
from __future__ import annotations

import csv
import random

import pytest

from generation.templates import realize_template
from generation.verify import verify
from reasoning.match import Budget, find_chains
from tests.generation.conftest import DEMO

RATED = ("shared-ingredient", "same-finish", "same-brand-loved")
SHARED = {"shared-ingredient": "ingredient", "same-finish": "finish", "same-brand-loved": "brand"}
VERB = {"shared-ingredient": ("contains {x}", "also contains {x}"),  # (plain, after "Like your N-star P,")
        "same-finish": ("has a {x} finish", "also has a {x} finish"),
        "same-brand-loved": ("is also by {x}", "is also by {x}")}
# the user bought P and never rated it
BOUGHT = ("same-brand", "same-category", "also-bought", "crowd-also-bought", "crowd-rated-highly")
# bought P and rated it, but the chain holds only the purchase: the rating is outside the chain
RATED_OUTSIDE = ("same-brand:rated-outside", "same-category:rated-outside")
KEYS = [f"{r}:{n}" for r in RATED for n in (4, 5)] + [f"{r}:bought" for r in BOUGHT] + list(RATED_OUTSIDE)
WORD = {4: "four", 5: "five"}


def _key(chain, rated: dict) -> str | None:
    first = chain.facts[0]
    if chain.rule in RATED and first.relation == "rated":
        return f"{chain.rule}:{int(dict(first.values)['score'])}"
    if first.relation != "purchased":
        return None
    if (first.subject, first.object) not in rated:
        return f"{chain.rule}:bought"
    return f"{chain.rule}:rated-outside"


@pytest.fixture(scope="module")
def demo(graph, rules) -> dict:
    return build_demo(graph, rules)


def build_demo(graph, rules) -> dict:
    """KEYS -> (chain, fields the sentences are built from), from seeded random demo pairs."""
    users, items = sorted(graph.users()), sorted(graph.items())
    label = {p: graph.label(graph.node_of(p, "item")) for p in items}
    with open(DEMO / "ratings.csv", encoding="utf-8") as f:
        rated = {(r["user_id"], r["product_id"]): int(r["rating"]) for r in csv.DictReader(f)}
    rng, found = random.Random(2), {}  # seed 2: every kind within ~700 pairs (crowd-rated-highly is rare)
    for _ in range(4000):
        u, i = rng.choice(users), rng.choice(items)
        for c in find_chains(graph, rules, u, i, budget=Budget(seconds=60)).chains:
            k = _key(c, rated)
            if k in KEYS and k not in found:
                found[k] = c
        if len(found) == len(KEYS):
            break
    assert sorted(found) == sorted(KEYS), set(KEYS) - set(found)
    out = {}
    for k, c in found.items():
        u, p, i = c.facts[0].subject, c.facts[0].object, c.binding("item").key
        n = int(dict(c.facts[0].values)["score"]) if c.rule in RATED else rated.get((u, p), 0)
        f = {"I": c.binding("item").label, "P": c.binding("product").label, "N": n,
             "S": realize_template(c, rules, graph)}
        if c.rule in RATED:
            x = c.binding(SHARED[c.rule]).label
            plain, also = VERB[c.rule]
            mine = sorted(q for (v, q) in rated if v == u and q not in (p, i))
            others = [q for q in items if q not in (p, i) and (u, q) not in rated]
            f.update(X=x, V=plain.format(x=x), VA=also.format(x=x), VS=plain.format(x=f"your {n}-star {x}"),
                     W=9 - n, WW=WORD[9 - n], D=n - 1,  # W: the other high score; D.999: just under the score
                     Q=label[others[len(others) // 2]],  # a catalog product the user never rated
                     R=label[mine[0]], RN=rated[u, mine[0]])  # another product the user rated, its true score
        out[k] = (c, f)
    return out


GOOD = [  # correct sentences of a rated chain: each must be shown
    ("template", "{S}"),
    ("like-first", "Like your {N}-star {P}, {I} {VA}."),
    ("old-form", "{I} {V}, like {P}, which you rated {N} stars."),
]
BAD = [  # (kind, sentence) on a rated chain: each must be refused
    ("wrong-score", "{I} {V}, like your {W}-star {P}."),
    ("wrong-score", "{I} {V}, like your 2-star {P}."),
    ("wrong-score", "Like your {W}-star {P}, {I} {VA}."),
    ("wrong-score", "{I} {V}, like {P}, which you rated {W} stars."),
    ("wrong-score", "{I} {V}, like your {WW}-star {P}."),
    ("out-of-range", "{I} {V}, like your 7-star {P}."),
    ("out-of-range", "{I} {V}, like your 0-star {P}."),
    ("out-of-range", "{I} {V}, like your 10-star {P}."),
    ("out-of-range", "{I} {V}, like your -{N}-star {P}."),
    ("decimal", "{I} {V}, like your {N}.5-star {P}."),
    ("decimal", "{I} {V}, like your 4.2-star {P}."),
    ("decimal", "{I} {V}, like your {N}.004-star {P}."),
    ("decimal", "{I} {V}, like your {D}.999-star {P}."),
    ("decimal", "{I} {V}, like {P}, which you rated {N}.001 stars."),
    ("wrong-scale", "{I} {V}, like {P}, which you rated {N} out of 10."),  # 4/10 is 2 stars
    ("wrong-scale", "{I} {V}, like {P}, which you rated {N} out of 100."),
    ("wrong-scale", "{I} {V}, like {P}, which you rated {N} out of 4."),  # 4 out of 4: a perfect score
    ("wrong-scale", "{I} {V}, like your {N}/10 {P}."),
    ("score-dropped", "{I} {V}, like your {P}."),
    ("score-dropped", "{I} {V}, like your -star {P}."),
    ("score-dropped", "{I} {V}, like your star {P}."),
    ("score-dropped", "Like your {P}, {I} {VA}."),
    # vague: the rule compares r.score, so the score itself must be said; these drop it, and
    # "top-rated" / "favourite" also claim more than a score >= 4 (a rank, a preference)
    ("vague-score", "{I} {V}, like your top-rated {P}."),
    ("vague-score", "{I} {V}, like your favourite {P}."),
    ("vague-score", "{I} {V}, like your highly rated {P}."),
    ("vague-score", "{I} {V}, like your many-star {P}."),
    # a bound below the rule's own (r.score >= 4) is entailed by the score but no longer says
    # why P counts, and reads as a poor rating; "4 stars or more" (the rule's bound) is fine
    ("vague-bound", "{I} {V}, like {P}, which you rated at least 1 star."),
    ("vague-bound", "{I} {V}, like {P}, which you rated 2 stars or more."),
    ("two-scores", "{I} {V}, like your {N}- or {W}-star {P}."),
    ("two-scores", "{I} {V}, like your {N}-star, {W}-star {P}."),
    ("two-scores", "{I} {V}, like {P}, which you rated {N} stars, or {W}."),
    ("star-on-item", "Your {N}-star {I} {V}, like {P}."),
    ("star-on-item", "{I}, your {N}-star pick, {V}, like {P}."),
    ("star-on-item", "{P} {V}, like your {N}-star {I}."),
    ("star-on-entity", "{I} {VS}, like {P}."),
    ("star-on-entity", "{I} {VS}, like your {N}-star {P}."),
    ("other-product", "{I} {V}, like your {N}-star {Q}."),
    ("other-product", "{I} {V}, like your {RN}-star {R}."),
    ("other-product", "{I} {V}, like your {N}-star {P} and {Q}."),
    ("purchase-claimed", "{I} {V}, like your {N}-star {P}, which you bought."),  # the chain holds the rating only
    ("purchase-claimed", "{I} {V}, like the {P} you bought and rated {N} stars."),
    ("comparative", "{I} {V} more than your {N}-star {P}."),
    ("comparative", "{I} {V}, like your {N}-star {P}, but better."),
    ("odd-form", "{I} {V}, like your {N}-stars {P}."),
    ("odd-form", "{I} {V}, like your {N} stars {P}."),
    ("odd-form", "{I} {V}, like your {N}-point {P}."),
    ("odd-form", "{I} {V}, like your {N}-heart {P}."),
    ("doubled", "{I} {V}, like your {N}-star your {N}-star {P}."),
    ("doubled", "{I} {V}, like your your {N}-star {P}."),
    ("doubled", "{I} {V}, like your {N}-star {N}-star {P}."),
    ("loop", "{I} {V}, like your {N}-star {P}, like your {N}-star {P}."),
    ("loop", "Like your {N}-star {P}, {I} {VA}, like your {N}-star {P}."),
    ("negation", "{I} {V}, not like your {N}-star {P}."),
    ("negation", "{I} {V}, unlike your {N}-star {P}."),
    ("negation", "{I} {V}, like your not {N}-star {P}."),
    ("negation", "{I} {V}, like your {N}-star {P} does not."),
    ("other-user", "{I} {V}, like their {N}-star {P}."),
    ("other-user", "{I} {V}, like her {N}-star {P}."),
    ("other-user", "{I} {V}, like his {N}-star {P}."),
    ("other-user", "{I} {V}, like someone's {N}-star {P}."),
    ("other-user", "{I} {V}, like another shopper's {N}-star {P}."),
    ("other-user", "{I} {V}, like my {N}-star {P}."),
    ("time", "{I} {V}, like your old {N}-star {P}."),
    ("time", "{I} {V}, like your recent {N}-star {P}."),
    ("time", "{I} {V}, like your latest {N}-star {P}."),
    ("time", "{I} {V}, like your first {N}-star {P}."),
    ("sentiment", "{I} {V}, like your beloved {N}-star {P}."),
    ("sentiment", "{I} {V}, like your favourite {N}-star {P}."),
    ("sentiment", "{I} {V}, like your trusted {N}-star {P}."),
    ("sentiment", "{I} {V}, like your disappointing {N}-star {P}."),
    ("quoted", "{I} {V}, like your {N}-star {P}, \"a must-have\"."),  # a review summary the chain lacks
    ("quoted", "{I} {V}, like your {N}-star {P}, which you called \"Terrible\"."),
]
BAD_BOUGHT = [  # on a chain where the user bought P: a rating claimed for it is not in the chain
    ("claimed-rating", lambda f: f["S"].replace(f["P"], f"your 5-star {f['P']}", 1)),
    ("claimed-rating", lambda f: f["S"].replace(f["P"], f"your 4-star {f['P']}", 1)),
    ("claimed-rating", lambda f: f"{f['S'][:-1]}, like your 5-star {f['P']}."),
    ("claimed-rating", lambda f: f"{f['I']} is often bought with your 5-star {f['P']}."),
]
BAD_OUTSIDE = [  # the user did rate P (its true score), but this chain holds only the purchase
    ("rating-outside-chain", lambda f: f["S"].replace(f["P"], f"your {f['N']}-star {f['P']}", 1)),
    ("rating-outside-chain", lambda f: f"{f['S'][:-1]}, like your {f['N']}-star {f['P']}."),
]
BAD_CROWD = [  # shoppers rated the item 4 stars or more (a rule's bound, no score in the chain)
    ("crowd-as-yours", lambda f: f["S"].replace(f"rated {f['I']}", f"rated your 4-star {f['I']}")),
    ("crowd-as-yours", lambda f: f"You rated {f['I']} 4 stars or more."),
    ("crowd-as-yours", lambda f: f"{f['S'][:-1]}, like your 4-star {f['P']}."),
    ("crowd-wrong-bound", lambda f: f["S"].replace("4 stars or more", "5 stars or more")),
    ("crowd-wrong-bound", lambda f: f["S"].replace("4 stars or more", "4 out of 10 or more")),
    ("crowd-wrong-bound", lambda f: f["S"].replace("4 stars or more", "3 stars or more")),
]
RATED_KEYS = [k for k in KEYS if k.split(":")[0] in RATED]
# Found by this table when it was written (2026-12-02) and fixed in the verifier since, so every one of
# them is a plain must-refuse now: numbers within ~0.005 of the score passed as equal ("4.004-star",
# "3.999-star", "rated 4.001 stars"); "4 out of 10" / "out of 100" / "out of 4" read as 4 stars; bounds
# weaker than the rule's own ("at least 1 star", "2 stars or more", a crowd's "3 stars or more");
# any double-quoted text against a rated chain made verify raise TypeError instead of refusing.
# A bad sentence the verifier accepts goes in XFAIL ("{kind}{n}" -> (why, keys it hits)) as a strict
# xfail for the lead to fix; one it crashes on goes in CRASH.
XFAIL: dict[str, tuple[str, tuple[str, ...]]] = {}
CRASH: dict[str, str] = {}


def _params(table, keys):
    out, seen = [], {}
    for kind, make in table:
        seen[kind] = seen.get(kind, 0) + 1
        for k in keys:
            pid = f"{kind}{seen[kind]}-{k}"
            why, only = XFAIL.get(f"{kind}{seen[kind]}", ("", ()))
            hit = why and (not only or k.endswith(only))
            marks = [pytest.mark.xfail(strict=True, reason=f"verifier accepts: {why}")] if hit else []
            if f"{kind}{seen[kind]}" in CRASH:
                marks = [pytest.mark.xfail(strict=True, raises=TypeError, reason=CRASH[f"{kind}{seen[kind]}"])]
            out.append(pytest.param(k, make, id=pid, marks=marks))
    return out


def _say(make, f: dict) -> str:
    return make(f) if callable(make) else make.format(**f)


@pytest.mark.parametrize("key, make", _params(GOOD, RATED_KEYS))
def test_correct_sentence_is_shown(demo, graph, rules, key, make):
    chain, f = demo[key]
    sentence = _say(make, f)
    assert verify(sentence, chain, graph, rules).ok, sentence


@pytest.mark.parametrize("key, make", _params(BAD, RATED_KEYS))
def test_bad_star_phrase_is_refused(demo, graph, rules, key, make):
    chain, f = demo[key]
    sentence = _say(make, f)
    assert sentence != f["S"] and verify(f["S"], chain, graph, rules).ok  # the change is what makes it bad
    assert not verify(sentence, chain, graph, rules).ok, sentence


NOT_IN_CHAIN = (_params(BAD_BOUGHT, [f"{r}:bought" for r in BOUGHT]) + _params(BAD_OUTSIDE, list(RATED_OUTSIDE))
                + _params(BAD_CROWD, ["crowd-rated-highly:bought"]))


@pytest.mark.parametrize("key, make", NOT_IN_CHAIN)
def test_rating_not_in_chain_is_refused(demo, graph, rules, key, make):
    chain, f = demo[key]
    sentence = _say(make, f)
    assert sentence != f["S"] and verify(f["S"], chain, graph, rules).ok
    assert not verify(sentence, chain, graph, rules).ok, sentence
