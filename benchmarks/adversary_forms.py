"""Surface forms of the failure kinds about wording: loops, missing or vague parts, words the chain
cannot support (see benchmarks/adversary.py for why each kind is wrong).

Each function takes the sentence's context and a seeded ``random.Random`` and returns candidate
(form, text) pairs; an empty list means the kind does not apply to this chain or sentence.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace

from benchmarks.adversary_text import (Ctx, catalog_words, days_between, free_matches, generic, lower_first,
                                       node_verb, splice, user_facts, user_verb)

Forms = list[tuple[str, str]]
UNKNOWN_VERBS = ("smells of", "tastes like", "is haunted by", "was banned by", "sings about", "orbits",
                 "is allergic to", "was stolen from", "dreams of", "glows next to")
UNKNOWN_PAST = ("sniffed", "haunted", "sang about", "painted", "orbited", "stole", "buried")
ADJECTIVES = ("stunning", "bestselling", "award-winning", "luxurious", "gorgeous", "iconic", "overrated",
              "legendary", "flawless", "addictive", "cheap", "underrated")
TIME_ADVERBS = ("often", "always", "regularly", "repeatedly", "recently", "just", "lately")
TIME_TAILS = ("yesterday", "last week", "every day", "for years", "again and again", "every morning",
              "twice a week", "all the time")


def _other_names(ctx: Ctx) -> list[tuple[str, str]]:
    item = ctx.item.key if ctx.item else None
    return [(k, lab) for k, lab in ctx.names if k != item]


def _type(ctx: Ctx, key: str) -> str | None:
    for f in ctx.chain.facts:
        if f.subject == key:
            return f.subject_type
        if f.object == key:
            return f.object_type
    return None


def loop(ctx: Ctx, rng: random.Random) -> Forms:
    labels = [lab for _, lab in ctx.names]
    if not labels:
        return []
    name = rng.choice(labels)
    out = [("tail", f"{ctx.base}, and {name} and {name} and {name}."),
           ("said-twice", f"{ctx.base}, and {lower_first(ctx.base)}.")]
    keep = [f for f in ctx.chain.facts if ctx.item is None or ctx.item.key not in (f.subject, f.object)]
    others = _other_names(ctx)
    if keep and others:  # the loop: never reaches the item
        m = rng.choice(others)[1]
        out.append(("never-the-item", f"{generic(ctx, keep).rstrip('.')}, and {m} and {m} and {m} and {m}."))
    return out


def missing_item(ctx: Ctx, rng: random.Random) -> Forms:
    if ctx.item is None or not ctx.spans_of(ctx.item.key):
        return []
    out = []
    for form, word in (("pronoun", "it"), ("vague", rng.choice(("this product", "this one", "something new")))):
        text = ctx.text
        for s, e, _, _ in sorted(ctx.spans_of(ctx.item.key), reverse=True):
            text = splice(text, s, e, word.capitalize() if s == 0 else word)
        out.append((form, text))
    keep = [f for f in ctx.chain.facts if ctx.item.key not in (f.subject, f.object)]
    if keep:
        out.append(("dropped", generic(ctx, keep, rng.randrange(3))))
    return out


def omitted_fact(ctx: Ctx, rng: random.Random) -> Forms:
    facts = ctx.chain.facts
    out: Forms = []
    if len(facts) >= 2:
        item = ctx.item.key if ctx.item else None
        for k, f in enumerate(facts):
            rest = facts[:k] + facts[k + 1:]
            if item is None or any(item in (g.subject, g.object) for g in rest):
                out.append((f"generic-without-{f.relation}", generic(ctx, rest, rng.randrange(3))))
    cuts = [m.start() for m in free_matches(ctx, r"[,;] ")]
    bounds = [0] + cuts + [len(ctx.base)]
    for a, b in zip(bounds, bounds[1:]):
        if ctx.item is not None and any(a <= s < b for s, _, _, _ in ctx.spans_of(ctx.item.key)):
            continue
        if a == 0:
            continue  # the generic sentence above covers a missing first clause
        text = ctx.text[:a] + ctx.text[b:]
        said = lambda t: {k for s, e, k, _ in ctx.spans if ctx.text[s:e] in t}  # noqa: E731
        lost_name = said(text) < said(ctx.text)
        lost_number = any(ctx.text[n.start:n.end] not in text for n in ctx.numbers)
        if text and (lost_name or lost_number):  # a name or a number of the chain is gone: a fact is unsaid
            out.append(("clause-cut", text[0].upper() + text[1:]))
    return out


def omitted_value(ctx: Ctx, rng: random.Random) -> Forms:
    out: Forms = []
    for n in ctx.numbers:
        t = ctx.text
        if n.role == "score":
            m = re.compile(r"\s*(stars?|out of 5)?").match(t, n.end)
            out.append(("score-dropped", splice(t, n.start, m.end(), "").replace("  ", " ")))
            out.append(("score-vague", splice(t, n.start, m.end(), "highly")))
        elif n.role == "count":
            out.append(("count-dropped", splice(t, n.start, n.end + 1, "")))
            out.append(("count-vague", splice(t, n.start, n.end, rng.choice(("many", "lots of", "some")))))
        else:
            m = re.search(r"(costs|is priced at|of|at|is)\s+$", t[:n.start])
            out.append(("value-dropped", splice(t, m.start() if m else n.start, n.end, "")))
    plain = [replace(f, values=tuple((k, v) for k, v in f.values if k != "score"))
             for f in ctx.chain.facts if not f.is_value]
    if ctx.numbers and not any(f.count is not None for f in ctx.chain.facts) and plain:
        out.append(("generic-without-values", generic(ctx, plain, rng.randrange(3))))
    return out


def _unknown(ctx: Ctx, options: tuple[str, ...]) -> list[str]:
    known = catalog_words(ctx)
    return [v for v in options if not set(v.split()) & known] or list(options[:1])


def unknown_verb(ctx: Ctx, rng: random.Random) -> Forms:
    out: Forms = []
    third, past = _unknown(ctx, UNKNOWN_VERBS), _unknown(ctx, UNKNOWN_PAST)
    phrases = set()
    for f in ctx.chain.facts:
        phrases.update([node_verb(ctx, f.relation), user_verb(ctx, f.relation)])
    for p in sorted(phrases, key=len, reverse=True):
        for m in free_matches(ctx, rf"(?<!\w){re.escape(p)}(?!\w)", re.I):
            after_person = re.search(r"\b(you|who)\s+(\w+\s+)?$", ctx.text[:m.start()], re.I) is not None
            out.append(("verb-replaced", splice(ctx.text, m.start(), m.end(), rng.choice(past if after_person else third))))
            break
    others = _other_names(ctx)
    if ctx.item is not None and others:
        out.append(("clause-added", f"{ctx.base}, and {ctx.item.label} also {rng.choice(third)} {rng.choice(others)[1]}."))
    facts = ctx.chain.facts
    nodes = [k for k, f in enumerate(facts) if f.subject is not None and f.subject != ctx.user and not f.is_value]
    if nodes:
        k = rng.choice(nodes)
        out.append(("generic-verb", generic(ctx, facts, 0, {k: f"{facts[k].subject_label} {rng.choice(third)} "
                                                                f"{facts[k].object_label}"})))
    return out


def adjective(ctx: Ctx, rng: random.Random) -> Forms:
    adjs = _unknown(ctx, ADJECTIVES)
    out: Forms = []
    if ctx.spans:
        s, e, _, lab = rng.choice(ctx.spans)
        adj = rng.choice(adjs)
        out.append(("before-name", splice(ctx.text, s, s, f"{adj.capitalize()} " if s == 0 else f"the {adj} ")))
        if e < len(ctx.base):
            out.append(("apposition", splice(ctx.text, e, e, f", which is {rng.choice(adjs)},").replace(",,", ",")))
    if ctx.item is not None:
        out.append(("predicate", f"{ctx.base}, and {ctx.item.label} is {rng.choice(adjs)}."))
    return out


def sentiment(ctx: Ctx, rng: random.Random) -> Forms:
    if ctx.item is None:
        return []
    item = ctx.item.label
    same = [lab for k, lab in _other_names(ctx) if _type(ctx, k) == ctx.item.type]
    kinds = [lab for k, lab in _other_names(ctx) if _type(ctx, k) != ctx.item.type] or ["one"]
    other = rng.choice(same) if same else "anything else"
    out = [("will-hate", rng.choice((f"You will hate {item}.", f"You are going to hate {item}."))),
           ("worst-unlike", f"{item} is the worst {rng.choice(kinds)} ever made, unlike {other}."),
           ("will-love-tail", f"{ctx.base}, and you will love it."),
           ("sadly", f"Sadly, {lower_first(ctx.text)}"),
           ("best-ever", f"{ctx.base}; {item} is the best thing you will ever own.")]
    return out


def time_words(ctx: Ctx, rng: random.Random) -> Forms:
    dates = [str(v) for f in user_facts(ctx) for k, v in f.values if k == "date"]
    recent = bool(dates and ctx.latest and days_between(max(dates), ctx.latest) <= 180)
    adverbs = [a for a in TIME_ADVERBS if not (recent and a in ("recently", "just", "lately"))]
    out: Forms = []
    spots = [m for m in free_matches(ctx, r"\b[Yy]ou (?=[a-z])") if not ctx.text.startswith("will", m.end())]
    if spots:
        m = rng.choice(spots)
        out.append(("after-you", splice(ctx.text, m.end(), m.end(), f"{rng.choice(adverbs)} ")))
    out.append(("tail", f"{ctx.base} {rng.choice(TIME_TAILS)}."))
    if not recent and "recently" not in ctx.text:
        out.append(("recently", f"{ctx.base}, recently."))
    return out


