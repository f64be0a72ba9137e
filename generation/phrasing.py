"""How each relation is said: the single source of relation phrasings.

Everything that writes a sentence (templates, the generic fallback, the training corpus of the
verbalizer) takes its wording from here, and the verifier reads sentences back with the phrase
table built from the same lists, so every phrasing a sentence can use is one the verifier knows.

A pattern is a string with placeholders ``{s}`` (subject), ``{o}`` (object), ``{n}`` (how many
people), ``{a}`` (the catalog's noun for them: "shoppers", "viewers"; "people" by default) and
``{score}`` (a rating's score). The user is always "you". Default relations get
hand-written variants; a shop's own relations (``graph.vocab``: label, inverse, phrases) are said
as ``"{s} {phrase} {o}"`` with no code change.

>>> say_fact(Fact("u1", "purchased", "p1", "u1", "Glow Serum", "User", "Product"), user="u1")
'you bought Glow Serum'
>>> say_fact(Fact("p1", "brand", "b1", "Glow Serum", "Lumière", "Product", "Brand"), variant=1)
'Glow Serum is by Lumière'
>>> say_shared("brand", ("Glow Serum", "Glow Cream"), "Lumière")
'Glow Serum and Glow Cream are both made by Lumière'
>>> sorted(relation_phrases()["is made by"])[0]
Sense(relation='brand', inverted=False, user_subject=False)
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.vocab import DEFAULT_RELATIONS, Relation, Vocabulary, default_vocabulary
from reasoning.chains import Fact
from kg.terms import number_text as _exact
from generation.lang import get_language
from generation.lang.en import (  # the English words, moved to the language layer; old names kept
    AUX as _AUX, FILLER, NOT_SAID as _NOT_SAID, PARTICIPLES as _PARTICIPLES, PLURAL as _PLURAL,
    RELATIONS as _DEFAULTS)

# Product-to-product links that read the same both ways ("A is often bought with B").
SYMMETRIC = frozenset({"also_bought", "also_viewed", "bought_together"})

# name(key, label, type_name) -> text; the default says the label. Counts arrive as
# ("#12", "12", "N"), values (prices, scores) as (text, text, "Value") -- the keys linearize() uses.
Namer = Callable[[str, str, str], str]


@dataclass(frozen=True, order=True)
class Sense:
    """One reading of a relation phrase: ``inverted`` when the phrase names the fact's object first
    ("Lumière makes Glow Serum"); ``user_subject`` when the phrase itself says the subject is the user
    ("your budget is 40")."""

    relation: str
    inverted: bool = False
    user_subject: bool = False


@dataclass(frozen=True)
class Phrasing:
    """All the ways to say one relation."""

    relation: str
    verbs: tuple[str, ...]  # "{s} VERB {o}", first canonical
    patterns: tuple[str, ...]  # node subject: "{s} is made by {o}", "{s} has a {o} finish"
    user: tuple[str, ...]  # the user is the subject: "you bought {o}"
    score: tuple[str, ...]  # a user fact with a score: "you rated {o} {score} stars"
    crowd: tuple[str, ...]  # a crowd of other shoppers is the subject: "{n} {a} bought {o}"
    inverse: tuple[str, ...]  # "{o} INV {s}", for reading only
    symmetric: bool = False


def pick(options: Sequence[str], variant: int) -> str:
    """The variant-th option, wrapping around: deterministic for a given index."""
    return options[variant % len(options)]


def phrasing(relation: str, vocab: Vocabulary | None = None, lang: str = "en") -> Phrasing:
    """How to say ``relation`` (a default one, or any relation of ``vocab`` with its label/phrases)
    in language ``lang`` (generation/lang/)."""
    rel = (vocab or default_vocabulary()).get(relation) or _default(relation)
    rel = rel if rel is not None else _stub(relation)
    if lang != "en":
        from generation.phrasing_zh import phrasing_in  # other languages build from their own lists
        return phrasing_in(rel, lang, _default(rel.name) == rel)
    return _phrasing(rel)


@lru_cache(maxsize=4096)
def _phrasing(rel: Relation) -> Phrasing:
    spec = _DEFAULTS.get(rel.name) if _default(rel.name) == rel else None
    verbs = _dedup((spec or {}).get("verbs", ()) + _own_phrases(rel)) if spec else _own_phrases(rel)
    if not verbs:
        verbs = (rel.label,)
    # a node-subject pattern for each verb that reads as "{s} VERB {o}"
    said = tuple(f"{{s}} {v} {{o}}" for v in verbs if not _user_verb(v) and v not in _NOT_SAID)
    extra = (spec or {}).get("extra", ())
    # finish reads best as "has a matte finish": its extra patterns lead
    patterns = _dedup(extra + said[:4]) if rel.name == "finish" else _dedup(said[:4] + extra)
    if spec is not None:  # a default relation: only those about users have user and crowd forms
        user, crowd, inverse = spec.get("user", ()), spec.get("crowd", ()), spec.get("inverse", ())
    else:  # a shop's own relation: "you <phrase> X" reads well enough for the rare user subject
        user = tuple(f"you {_you_form(v)} {{o}}" for v in verbs[:3])
        crowd = (f"{{n}} {{a}} {_you_form(verbs[0])} {{o}}",)
        inverse = (rel.inverse,) if rel.inverse else ()
    return Phrasing(rel.name, verbs, patterns or (f"{{s}} {verbs[0]} {{o}}",), user,
                    (spec or {}).get("score", ()), crowd, inverse, rel.name in SYMMETRIC)




def _own_phrases(rel: Relation) -> tuple[str, ...]:
    # Phrases a shop wrote for its relation, minus the default ones that only fit a crowd ("shoppers also bought").
    return tuple(p.strip() for p in rel.phrases if p.strip() and not p.startswith("shoppers ")
                 and p.strip() not in ("like", "a score of", "stars"))


def _user_verb(v: str) -> bool:
    return v.startswith(("you ", "your ", "told us", "said you")) or v in ("is yours",)


def _you_form(verb: str) -> str:
    return verb[3:] if verb.startswith("is ") else verb


_DEFAULT_BY_NAME = {r.name: r for r in DEFAULT_RELATIONS}


def _default(name: str) -> Relation | None:
    return _DEFAULT_BY_NAME.get(name)


def _stub(name: str) -> Relation:
    text = name.replace("_", " ")
    return Relation(name, name, text, f"{text} of", (text,))


def _dedup(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


# -- saying facts -----------------------------------------------------------------------------

def fill(pattern: str, lang: str = "en", **values: str) -> str:
    """``pattern`` with its placeholders filled (missing ones raise KeyError)."""
    if "{a}" in pattern and "a" not in values:
        # counted people with no catalog noun given: the neutral word ("people", "顾客")
        values["a"] = "people" if lang == "en" else get_language(lang).audience
    if lang == "en" and (" a {" in pattern or " an {" in pattern):
        from generation.articles import fill_articles
        pattern = fill_articles(pattern, values)
    return pattern.format(**values)


def number_text(value: float | str) -> str:
    """A number as people write it: 5.0 -> '5', 4.5 -> '4.5', 24.99 -> '24.99'; text stays as it is."""
    return _exact(value)


def price_text(value: float | str) -> str:
    """A price with cents when it has any: 5.5 -> '5.50', 40.0 -> '40'; non-numbers stay as they are."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(v)) if v.is_integer() else f"{v:.2f}"


def _number_label(label: str) -> str:
    """A value label as people write it ('5.0' -> '5'); text labels ('30 ml') unchanged."""
    if re.fullmatch(r"-?\d+(\.\d+)?", label.strip()):
        return number_text(float(label))
    return label


def _label(name: Namer | None, key: str, label: str, type_name: str) -> str:
    return name(key, label, type_name) if name is not None else label


def fact_patterns(fact: Fact, vocab: Vocabulary | None = None, user: str | None = None,
                  lang: str = "en") -> tuple[str, ...]:
    """The patterns that can say ``fact``, given who its subject is (the user, a crowd, a node)."""
    ph = phrasing(fact.relation, vocab, lang)
    crowd, you = ("{n} {a}", "you") if lang == "en" else ("{n}位{a}", "你")
    if fact.subject is None:
        return ph.crowd or tuple(p.replace("{s}", crowd) for p in ph.patterns)
    if (user is not None and fact.subject == user) or (user is None and fact.subject_type == "User"):
        if ph.score and any(k == "score" for k, _ in fact.values):
            return ph.score
        return ph.user or tuple(p.replace("{s}", you) for p in ph.patterns)
    return ph.patterns


def say_fact(fact: Fact, vocab: Vocabulary | None = None, variant: int = 0, user: str | None = None,
             name: Namer | None = None, audience: str = "people", lang: str = "en") -> str:
    """One clause for one fact (lower-case "you", no final period): 'you rated Glow Serum 5 stars'
    ("你给光彩精华打了5星" with ``lang="zh"``; an English ``audience`` noun becomes the language's own)."""
    pattern = pick(fact_patterns(fact, vocab, user, lang), variant)
    if lang != "en" and audience == "people":
        audience = get_language(lang).audience
    return fill(pattern, lang, **_fields(fact, name, audience if "{a}" in pattern else None))


AUDIENCE_KEY = "@audience"  # the key a Namer sees for the audience noun (linearize makes it a slot)


def _fields(fact: Fact, name: Namer | None, audience: str | None = None) -> dict[str, str]:
    out: dict[str, str] = {} if audience is None else {"a": _label(name, AUDIENCE_KEY, audience, "Audience")}
    if fact.subject is not None:
        out["s"] = _label(name, fact.subject, fact.subject_label, fact.subject_type)
    if fact.is_value:
        text = price_text(fact.object_label) if fact.relation == "price" else _number_label(fact.object_label)
        out["o"] = _label(name, fact.object, text, "Value")
    else:
        out["o"] = _label(name, fact.object, fact.object_label, fact.object_type)
    if fact.count is not None:
        out["n"] = _label(name, f"#{fact.count}", str(fact.count), "N")
    for k, v in fact.values:
        if k == "score":
            text = number_text(v)
            out["score"] = _label(name, text, text, "Value")
    return out


def say_shared(relation: str, subjects: tuple[str, str], obj: str, vocab: Vocabulary | None = None,
               variant: int = 0, lang: str = "en") -> str:
    """Two subjects sharing one object: 'A and B are both made by X' ('B is X, like A' without a plural)."""
    if lang != "en":
        from generation.phrasing_zh import say_shared_in
        return say_shared_in(relation, subjects, obj, vocab, variant, lang)
    a, b = subjects
    options = [fill(p, s=f"{a} and {b}", o=obj) for p in _plural_patterns(relation, vocab)]
    if not options:  # no plural form known (a shop's own phrase): compare instead
        options = [fill(p, s=b, o=obj) + f", like {a}" for p in phrasing(relation, vocab).patterns[:2]]
    return pick(options, variant)


def _plural_patterns(relation: str, vocab: Vocabulary | None) -> list[str]:
    out = []
    for p in phrasing(relation, vocab).patterns[:3]:
        head, _, rest = p.partition("{s} ")
        if head or not rest:
            continue
        first, _, tail = rest.partition(" ")
        plural = _PLURAL.get(first)
        if plural is not None:
            out.append(f"{{s}} {plural} both {tail}" if first == "is" else f"{{s}} both {plural} {tail}")
    return out


def say_crowd(verbs: tuple[str, str], count: int | str, first: str, second: str, audience: str = "people",
              lang: str = "en") -> str:
    """Two facts of one crowd: '12 shoppers who bought A also bought B' (verbs: past forms)."""
    if lang != "en":
        from generation.phrasing_zh import say_crowd_in
        return say_crowd_in(verbs, count, first, second, audience, lang)
    return f"{count} {audience} who {verbs[0]} {first} also {verbs[1]} {second}"


def crowd_verb(relation: str, vocab: Vocabulary | None = None, lang: str = "en") -> str:
    """The past-tense verb a crowd pattern uses ('bought', 'rated', 'looked at'; '买过')."""
    pattern = phrasing(relation, vocab, lang).crowd[0]
    if lang != "en":
        return pattern.replace("{n}位{a}", "").replace("{o}", "").strip()
    return pattern.replace("{n} {a} ", "").replace(" {o}", "").strip()


# -- reading (for the verifier) ---------------------------------------------------------------

_WORD = re.compile(r"[\w']+|[^\w\s]")


def normalize_phrase(text: str) -> str:
    """Lower-case words of a phrase with filler dropped: 'are both made by' -> 'is made by'."""
    words = [_AUX.get(w, w) for w in _WORD.findall(text.lower().replace("’", "'"))]
    if words and words[0] in ("has", "have", "had"):
        return " ".join(["has"] + [w for w in words[1:] if w not in FILLER])
    return " ".join(w for w in words if w not in FILLER)


def relation_phrases(vocab: Vocabulary | None = None) -> dict[str, frozenset[Sense]]:
    """Every normalized relation phrase -> the relations it can say (with direction)."""
    return dict(_relation_phrases(vocab or default_vocabulary()))


@lru_cache(maxsize=64)
def _relation_phrases(vocab: Vocabulary) -> tuple[tuple[str, frozenset[Sense]], ...]:
    table: dict[str, set[Sense]] = {}

    def add(text: str, sense: Sense) -> None:
        key = normalize_phrase(text)
        if key and key not in ("you",):
            # the phrase itself names the user ("told us you like", "your budget of") or it does not
            words = set(key.split())
            mine = sense.user_subject or bool(words & {"you", "your", "yours"}) or key.startswith("told us")
            table.setdefault(key, set()).add(Sense(sense.relation, sense.inverted, mine))
            first, _, rest = key.partition(" ")
            if first in _PLURAL and first != "is" and not mine:  # "A and B both sit in X" says it too
                table.setdefault(f"{_PLURAL[first]} {rest}".strip(), set()).add(Sense(sense.relation, sense.inverted))

    rels = list(vocab.relations) + [r for r in DEFAULT_RELATIONS if vocab.get(r.name) is None]
    for rel in rels:
        if rel.name in ("score", "summary", "date", "verified"):
            continue  # values of a fact, read as numbers next to it, not as relations
        ph = phrasing(rel.name, vocab)
        fixed = rel.name == "budget"
        for v in ph.verbs:
            add(v, Sense(rel.name, False, fixed))
            rest = v[3:] if v.startswith("is ") else ""
            if rest and (rest.split()[0].endswith("ed") or rest.split()[0] in _PARTICIPLES):
                add(rest, Sense(rel.name, False, fixed))  # "Glow Cream, made by Lumière, ..."
        for p in ph.patterns + ph.user + ph.score:
            middle = _middle(p)
            if middle:
                add(middle, Sense(rel.name, False, fixed or p.startswith("your ")))
        for v in ph.inverse:
            add(v, Sense(rel.name, True))
        if _default(rel.name) != rel and rel.label and rel.kind == "node":  # a shop's relation: its label too
            add(rel.label, Sense(rel.name))
    return tuple(sorted((k, frozenset(v)) for k, v in table.items()))




def _middle(pattern: str) -> str:
    """The words between subject and object of a pattern: '{s} has a {o} finish' -> 'has a'."""
    m = re.fullmatch(r"(?:\{s\}|your\b|you\b)?\s*(.*?)\s*\{o\}.*", pattern)
    if m is None:
        return ""
    middle = m.group(1)
    return "" if "{" in middle else middle
