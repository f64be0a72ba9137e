"""Planting one error in a true sentence, to measure whether the verifier catches it.

Each kind makes a sentence that is false with respect to the chain it says (or returns None when
the sentence has nothing to corrupt that way): another real brand of the graph in place of the
chain's, another relation's phrase in place of the one said, an invented product name, a negation,
a changed number. Deterministic for a given ``random.Random``.

>>> import random
>>> change_number("You rated Glow Serum 5 stars.", None, None, random.Random(0))
'You rated Glow Serum 3 stars.'
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from reasoning.chains import Chain
from generation.claims import read_claims
from generation.verify import norm

# Phrases said in place of the true one: node relations, and what a user did.
_NODE_PHRASES = {"brand": "is made by", "ingredient": "contains", "category": "is in", "suits": "suits",
                 "colour": "comes in", "finish": "has a finish of", "parent": "is part of",
                 "bought_together": "is bought together with", "material": "is made of", "claim": "is certified"}
_USER_PHRASES = {"purchased": "bought", "viewed": "looked at", "reviewed": "reviewed", "prefers": "prefer",
                 "rated": "rated"}
_SYLLABLES = ("zen", "ta", "ra", "vel", "lu", "mi", "qua", "dor", "ix", "on", "sel", "ka", "bri", "no")
_NOUNS = ("Night Balm", "Glow Tonic", "Silk Elixir", "Velvet Mist", "Dew Serum", "Cloud Cream")


def _chains(chains: Chain | Sequence[Chain] | None) -> list[Chain]:
    if chains is None:
        return []
    return [chains] if isinstance(chains, Chain) else list(chains)


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def swap_brand(sentence: str, chains, graph, rng: random.Random) -> str | None:
    """A brand the sentence names, replaced by another real brand of the graph."""
    return _swap(sentence, chains, graph, rng, {"Brand"})


def swap_entity(sentence: str, chains, graph, rng: random.Random) -> str | None:
    """Any name the sentence says (product, category, ingredient...), replaced by another of its type."""
    return _swap(sentence, chains, graph, rng, None)


def _swap(sentence: str, chains, graph, rng: random.Random, types: set[str] | None) -> str | None:
    mentions = [m for m in read_claims(sentence, graph).mentions if m.kind == "entity"
                and "User" not in m.entry.types and (types is None or m.entry.types & types)]
    if not mentions:
        return None
    m = rng.choice(mentions)
    said = {norm(f.subject_label) for c in _chains(chains) for f in c.facts} | \
           {norm(f.object_label) for c in _chains(chains) for f in c.facts}
    pool = _labels_of(graph, set(m.entry.types))
    choices = [lab for lab in pool if norm(lab) not in said and norm(lab) != m.norm]
    if not choices:
        return None
    return _replace(sentence, m.start, m.end, rng.choice(choices))


_POOLS: dict[tuple[int, frozenset[str]], list[str]] = {}


def _labels_of(graph, types: set[str]) -> list[str]:
    key = (id(graph), frozenset(types))
    if key not in _POOLS:
        _POOLS[key] = sorted({graph.label(n) for n in range(graph.n_nodes) if graph.type_name(n) in types})
    return _POOLS[key]


def change_relation(sentence: str, chains, graph, rng: random.Random) -> str | None:
    """One relation phrase replaced by the phrase of a relation the chain does not hold."""
    claims = [c for c in read_claims(sentence, graph).claims
              if c.origin == "phrase" and c.senses and c.span[1] > c.span[0]
              and not any(s.user_subject or s.relation in ("price", "size") for s in c.senses)]
    if not claims:
        return None
    held = {f.relation for c in _chains(chains) for f in c.facts}
    c = rng.choice(claims)
    said = {s.relation for s in c.senses}
    user = c.subject is not None and c.subject.kind in ("user", "crowd")
    table = _USER_PHRASES if user or said & set(_USER_PHRASES) else _NODE_PHRASES
    options = [p for r, p in sorted(table.items()) if r not in held and r not in said]
    if not options:
        return None
    return _replace(sentence, c.span[0], c.span[1], rng.choice(options))


def invent_name(sentence: str, chains, graph, rng: random.Random) -> str | None:
    """A product the sentence names, replaced by a made-up product name."""
    mentions = [m for m in read_claims(sentence, graph).mentions if m.kind == "entity"
                and m.entry.types & {"Product"}]
    if not mentions:
        return None
    m = rng.choice(mentions)
    brand = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
    return _replace(sentence, m.start, m.end, f"{brand} {rng.choice(_NOUNS)}")


def negate(sentence: str, chains, graph, rng: random.Random) -> str | None:
    """One claim of the sentence said as its opposite ('is not made by', 'never bought')."""
    claims = [c for c in read_claims(sentence, graph).claims
              if c.origin == "phrase" and c.span[1] > c.span[0] and not c.negated]
    if not claims:
        return None
    c = rng.choice(claims)
    phrase = sentence[c.span[0]:c.span[1]]
    first, _, rest = phrase.partition(" ")
    if first.lower() in ("is", "are", "was", "were") and rest:
        new = f"{first} not {rest}"
    elif first.lower() in ("is", "are"):
        new = f"{first} not"
    else:
        new = f"never {phrase}"
    return _replace(sentence, c.span[0], c.span[1], new)


def change_number(sentence: str, chains, graph, rng: random.Random) -> str | None:
    """One number of the sentence (a score, a price, a count) changed."""
    if graph is not None:
        # "4 stars or more" is left alone: lowering it keeps it true, raising it may too
        values = [m for m in read_claims(sentence, graph).mentions if m.kind in ("value", "crowd")
                  and isinstance(m.value, float) and m.op == "="]
        spans = [(m.start, m.end, m.value) for m in values]
    else:  # no graph: any number will do (used by the doctest)
        spans = [(x.start(), x.end(), float(x.group())) for x in re.finditer(r"\d+(?:\.\d+)?", sentence)]
    if not spans:
        return None
    start, end, value = rng.choice(spans)
    text = sentence[start:end]
    old = re.findall(r"\d+(?:\.\d+)?", text)[0]
    if value <= 5 and float(value).is_integer():  # a score: another score
        new_value = 3.0 if value >= 4 else value + 2
    elif float(value).is_integer():
        new_value = value + rng.choice((1, 2, 5))
    else:
        new_value = round(value + rng.choice((1.0, 2.5, 4.0)), 2)
    new = str(int(new_value)) if new_value.is_integer() and "." not in old else f"{new_value:.2f}"
    at = text.index(old)
    return _replace(sentence, start + at, start + at + len(old), new)


KINDS: dict[str, Callable[..., str | None]] = {
    "other brand": swap_brand,
    "other entity": swap_entity,
    "other relation": change_relation,
    "invented name": invent_name,
    "negation": negate,
    "changed number": change_number,
}


def inject(sentence: str, chains, graph, kind: str, rng: random.Random) -> str | None:
    """``sentence`` with one error of ``kind`` (a key of KINDS), or None when it has no place for one."""
    return KINDS[kind](sentence, chains, graph, rng)
