"""Relation phrasings in languages written without spaces (Chinese), from generation/lang/<code>.py.

A pattern reads "{s}HEAD{o}TAIL": the head is the relation phrase, said between subject and
object; the tail, when there is one, closes the object ("{s}常与{o}一起购买"). The reader
(generation.claims_zh) reads heads as relation phrases and accepts a tail only after its own head.

>>> from reasoning.chains import Fact
>>> from generation.phrasing import say_fact
>>> say_fact(Fact("p1", "brand", "b1", "光彩精华", "Lumière", "Product", "Brand"), lang="zh")
'光彩精华出自Lumière'
>>> say_shared_in("ingredient", ("光彩精华", "光彩面霜"), "甘油", None, 0, "zh")
'光彩精华和光彩面霜都含有甘油'
>>> sorted(phrase_table(None, "zh")["出自"].senses)
[Sense(relation='brand', inverted=False, user_subject=False)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.vocab import DEFAULT_RELATIONS, Relation, Vocabulary, default_vocabulary
from generation.lang import get_language
from generation.phrasing import SYMMETRIC, Phrasing, Sense, pick

_SPLIT = re.compile(r"(\{s\}|\{n\}位\{a\}|\{n\}\{a\}|你)?(.*?)\{o\}(.*)")


def split_pattern(pattern: str) -> tuple[str, str, str]:
    """(subject part, head, tail) of a pattern: '{s}常与{o}一起购买' -> ('{s}', '常与', '一起购买');
    a score pattern's tail stops before its score: '你给{o}打了{score}星' -> ('你', '给', '打了')."""
    m = _SPLIT.fullmatch(pattern)
    if m is None:
        return "", "", ""
    tail = m.group(3).split("{", 1)[0]
    return m.group(1) or "", m.group(2), tail


@lru_cache(maxsize=1024)
def phrasing_in(rel: Relation, lang: str, default: bool) -> Phrasing:
    """How ``rel`` is said in ``lang``: a default relation from the language's own list, a shop's own
    relation with the language's pattern for one ("{s}的<label>是{o}")."""
    mod = get_language(lang).module
    # by name: a catalog that declares "price" itself (a unit, a currency) has no Chinese words for it
    spec = mod.RELATIONS.get(rel.name)
    if spec is None:  # a shop's own relation: its words in this language (the mapping's), else its label
        words_in = getattr(rel, "words_in", None)
        words = words_in(lang) if callable(words_in) else None
        phrases = tuple(p.strip() for p in (words.phrases if words is not None else ()) if p.strip())
        label = (words.label if words is not None and words.label else "") or rel.label or rel.name.replace("_", " ")
        own = mod.OWN_PATTERN.replace("{rel}", label)
        patterns = tuple(f"{{s}}{p}{{o}}" for p in phrases[:3]) or (own,)
        inverse = (words.inverse,) if words is not None and words.inverse else ()
        return Phrasing(rel.name, tuple(dict.fromkeys(phrases + (split_pattern(own)[1],))), patterns,
                        tuple(p.replace("{s}", "你") for p in patterns), (), (patterns[0].replace("{s}", "{n}位{a}"),),
                        inverse, rel.name in SYMMETRIC)
    patterns = spec.get("patterns", ())
    heads = [split_pattern(p)[1] for p in patterns + spec.get("user", ()) + spec.get("score", ()) + spec.get("crowd", ())]
    verbs = tuple(dict.fromkeys(h for h in heads + list(spec.get("verbs", ())) if h))
    return Phrasing(rel.name, verbs, patterns, spec.get("user", ()), spec.get("score", ()), spec.get("crowd", ()),
                    spec.get("inverse", ()), rel.name in SYMMETRIC)


def say_shared_in(relation: str, subjects: tuple[str, str], obj: str, vocab: Vocabulary | None, variant: int,
                  lang: str) -> str:
    """'A和B都出自X': the two subjects joined, the language's "both" before the head."""
    from generation.phrasing import fill, phrasing
    language = get_language(lang)
    options = []
    for p in phrasing(relation, vocab, lang).patterns[:3]:
        if p.startswith("{s}") and not split_pattern(p)[1].startswith("的"):  # never "A和B都的颜色是X"
            options.append(fill("{s}" + language.module.BOTH + p[3:], lang, s=language.join_names(subjects), o=obj))
    if not options:  # every pattern opens with 的 ("{s}的产品线是{o}"): each subject says it in turn
        options = [fill(p, lang, s=a, o=obj) + "，" + fill(p, lang, s=b, o=obj)
                   for a, b in (subjects,) for p in phrasing(relation, vocab, lang).patterns[:2]]
    return pick(options, variant)


def say_crowd_in(verbs: tuple[str, str], count: int | str, first: str, second: str, audience: str, lang: str) -> str:
    """Two facts of one crowd: '12位顾客买过A，也浏览过B' ('12位顾客买过A和B' with one verb)."""
    language = get_language(lang)
    noun = language.audience if audience == "people" else audience
    head = f"{language.count_text(count)}位{noun}{verbs[0]}"
    if verbs[0] == verbs[1]:
        return f"{head}{language.join_names((first, second))}"
    return f"{head}{first}，也{verbs[1]}{second}"


@dataclass(frozen=True)
class Head:
    """A relation phrase of the reader's table: what it can say, and the tails that may close its object."""

    senses: frozenset[Sense]
    tails: frozenset[str]


def phrase_table(vocab: Vocabulary | None, lang: str) -> dict[str, Head]:
    """Every head of ``lang`` -> the relations it can say (with direction) and its tails."""
    return dict(_table(vocab or default_vocabulary(), lang))


@lru_cache(maxsize=64)
def _table(vocab: Vocabulary, lang: str) -> tuple[tuple[str, Head], ...]:
    from generation.phrasing import phrasing
    both = get_language(lang).module.BOTH
    senses: dict[str, set[Sense]] = {}
    tails: dict[str, set[str]] = {}

    def add(head: str, sense: Sense, tail: str = "") -> None:
        for h in (head, both + head) if not head.startswith(("你", both)) else (head,):
            senses.setdefault(h, set()).add(sense)
            if tail:
                tails.setdefault(h, set()).add(tail)

    names = {r.name for r in vocab.relations}
    rels = list(vocab.relations) + [r for r in DEFAULT_RELATIONS if r.name not in names]
    for rel in rels:
        if rel.name in ("score", "summary", "date", "verified"):
            continue  # values of a fact, read as numbers next to it
        ph = phrasing(rel.name, vocab, lang)
        fixed = rel.name == "budget"
        read = get_language(lang).module.RELATIONS.get(rel.name, {}).get("read", ())
        for p in ph.patterns + ph.user + ph.score + ph.crowd + read:
            _, head, tail = split_pattern(p)
            if head:
                add(head, Sense(rel.name, False, fixed or "你" in head), tail)
        for v in ph.verbs:
            add(v, Sense(rel.name, False, fixed or "你" in v))
        for v in ph.inverse:
            add(v, Sense(rel.name, True))
    return tuple(sorted((h, Head(frozenset(s), frozenset(tails.get(h, ())))) for h, s in senses.items()))
