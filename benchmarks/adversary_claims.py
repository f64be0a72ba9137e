"""Surface forms of the failure kinds about claims: counts, roles, facts that are not the chain's,
negation, numbers and names (see benchmarks/adversary.py for why each kind is wrong).

Each function takes the sentence's context and a seeded ``random.Random`` and returns candidate
(form, text) pairs; an empty list means the kind does not apply to this chain or sentence.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace

from generation.phrasing import SYMMETRIC
from benchmarks.adversary_text import (AUDIENCE_WORDS, Ctx, clause, free_matches, generic, lower_first, node_verb,
                                       number_text, same_fact, splice, user_facts, user_verb)

Forms = list[tuple[str, str]]
INVENTED = ("Zentara Vale", "Quillon Marsh", "Oster Lune", "Kestrel Nine", "Marrowby Finch", "Thessaly Brook")
WRONG_PEOPLE = ("students", "voters", "children", "doctors", "pilots", "tourists")


def count_slot(ctx: Ctx, rng: random.Random) -> Forms:
    kind = ctx.item.type if ctx.item is not None else "Product"
    ids = {f.subject if side else f.object for f in ctx.chain.facts for side in (True, False)
           if (f.subject_type if side else f.object_type) == kind}
    keys = sorted(k for k in ids if k) + ([ctx.user] if ctx.user else [])  # ids of items and of the user
    out: Forms = []
    for n in ctx.numbers:
        if n.role == "count":
            out.append(("id-as-count", splice(ctx.text, n.start, n.end, rng.choice(keys))))
            scores = [m for m in ctx.numbers if m.role == "score"]
            if scores:
                out.append(("score-as-count", splice(ctx.text, n.start, n.end, ctx.text[scores[0].start:scores[0].end])))
    uf = [f for f in user_facts(ctx) if ctx.item is None or f.object != ctx.item.key]
    if uf and ctx.item is not None and not any(f.count is not None for f in ctx.chain.facts):
        p = uf[0]
        out.append(("id-in-new-count", f"{rng.choice(keys)} {ctx.audience} who {user_verb(ctx, p.relation)} "
                                       f"{p.object_label}, like you, also bought {ctx.item.label}."))
        others = [x for x in ctx.numbers if x.role != "count"]
        if others:
            num = ctx.text[others[0].start:others[0].end]
            out.append(("value-as-count", f"{num} {ctx.audience} who {user_verb(ctx, p.relation)} {p.object_label}, "
                                          f"like you, also bought {ctx.item.label}."))
    return out


def role_swap(ctx: Ctx, rng: random.Random) -> Forms:
    out: Forms = []
    pairs = [(a, b) for i, a in enumerate(ctx.spans) for b in ctx.spans[i + 1:] if a[2] != b[2] and a[3] != b[3]]
    pairs = [p for p in pairs if not _symmetric_only(ctx, p[0][2], p[1][2])]
    if pairs:
        a, b = rng.choice(pairs)
        text = splice(splice(ctx.text, b[0], b[1], a[3]), a[0], a[1], b[3])
        out.append(("names-swapped", text))
    facts = ctx.chain.facts
    turn = [k for k, f in enumerate(facts) if f.subject is not None and f.subject != ctx.user and not f.is_value
            and f.relation not in SYMMETRIC and f.object_type != "User" and f.subject_label != f.object_label]
    if turn:
        k = rng.choice(turn)
        f = facts[k]
        back = replace(f, subject=f.object, object=f.subject, subject_label=f.object_label, object_label=f.subject_label,
                       subject_type=f.object_type, object_type=f.subject_type)
        out.append(("fact-reversed", generic(ctx, facts, 0, {k: clause(ctx, back)})))
    return out


def _symmetric_only(ctx: Ctx, a: str, b: str) -> bool:
    """Swapping the two ends of a symmetric fact that nothing else mentions changes nothing."""
    link = [f for f in ctx.chain.facts if f.relation in SYMMETRIC and {f.subject, f.object} == {a, b}]
    rest = [f for f in ctx.chain.facts if f not in link and ({f.subject, f.object} & {a, b})]
    return bool(link) and not rest


def glued_fact(ctx: Ctx, rng: random.Random) -> Forms:
    keys = {k for k, _ in ctx.names}
    pool = [g for c in ctx.others for g in c.facts
            if not any(same_fact(g, f) for f in ctx.chain.facts) and g.subject is not None
            and (g.subject_type != "User" or g.subject == ctx.user)]
    near = [g for g in pool if {g.subject, g.object} & keys]
    if not pool:
        return []
    g = rng.choice(near or pool)
    out = [("and-tail", f"{ctx.base}, and {clause(ctx, g, rng.randrange(3))}."),
           ("prefix", f"{clause(ctx, g).capitalize() if clause(ctx, g).startswith('you') else clause(ctx, g)}; "
                      f"{lower_first(ctx.text)}")]
    about = [h for h in near if h.subject in keys and h.subject_type != "User" and ctx.spans_of(h.subject)]
    if about:
        h = rng.choice(about)
        _, e, _, _ = ctx.spans_of(h.subject)[0]
        obj = h.object_label
        out.append(("relative", splice(ctx.text, e, e, f", which {node_verb(ctx, h.relation)} {obj},").replace(",,", ",")))
    return out


def compound(ctx: Ctx, rng: random.Random) -> Forms:
    if ctx.item is None:
        return []
    item = ctx.item.key
    uf = [f for f in user_facts(ctx) if f.object != item]
    out: Forms = []
    if not uf:
        return out
    p = rng.choice(uf)
    verb = user_verb(ctx, p.relation)
    linked = any({f.subject, f.object} == {p.object, item} for f in ctx.chain.facts)
    if not linked and not any(f.count is not None for f in ctx.chain.facts):
        out.append(("co-purchase", f"{ctx.audience.capitalize()} who {verb} {p.object_label}, like you, "
                                   f"also bought {ctx.item.label}."))
    facts = ctx.chain.facts
    k = next((k for k, f in enumerate(facts) if f.subject == item), None)
    if k is not None:
        said = clause(ctx, facts[k])
        moved = said.replace(ctx.item.label, f"{ctx.item.label}, which you {verb},", 1)
        out.append(("relative-moved", generic(ctx, facts, 0, {k: moved})))
    spans = ctx.spans_of(p.object)
    if spans:
        _, e, _, _ = spans[0]
        out.append(("joined-object", splice(ctx.text, e, e, f" and {ctx.item.label}")))
    return out


def negation(ctx: Ctx, rng: random.Random) -> Forms:
    out: Forms = []
    t = ctx.text
    for m in free_matches(ctx, r"\b(is|are)\b")[:1]:
        out.append(("is-not", splice(t, m.end(), m.end(), " not")))
    spots = [m for m in free_matches(ctx, r"\b[Yy]ou (?=[a-z])") if not t.startswith("will", m.end())]
    if spots:
        m = rng.choice(spots)
        out.append(("never", splice(t, m.end(), m.end(), "never ")))
    for m in free_matches(ctx, r"\b[Ll]ike\b")[:1]:
        out.append(("unlike", splice(t, m.start(), m.end(), "Unlike" if m.group(0) == "Like" else "unlike")))
    out.append(("not-true", f"It is not true that {lower_first(t)}"))
    return out


def changed_number(ctx: Ctx, rng: random.Random) -> Forms:
    out: Forms = []
    taken = {n.value for n in ctx.numbers}
    for n in ctx.numbers:
        x, like = n.value, ctx.text[n.start:n.end]
        if n.role == "score":
            options = [v for v in (x - 1, x - 2, x + 1) if 1 <= v <= 5]
        else:
            options = [x + 1, x * 2, max(x - 1, 1) if n.role == "count" else round(x / 2, 2)]
        for form, v in zip(("minus", "plus", "other"), options):
            if v != x and v not in taken:
                out.append((f"{n.role}-{form}", splice(ctx.text, n.start, n.end, number_text(v, like))))
    return out


def wrong_name(ctx: Ctx, rng: random.Random) -> Forms:
    if not ctx.spans:
        return []
    s, e, key, lab = rng.choice(ctx.spans)
    kind = next((f.subject_type if f.subject == key else f.object_type for f in ctx.chain.facts
                 if key in (f.subject, f.object)), None)
    labels = {lb for _, lb in ctx.names}
    keys = {k for k, _ in ctx.names}
    same = sorted({(f.subject if side else f.object, f.subject_label if side else f.object_label)
                   for c in ctx.others for f in c.facts for side in (True, False)
                   if (f.subject_type if side else f.object_type) == kind and not (not side and f.is_value)
                   and (f.subject if side else f.object) not in keys and (f.subject if side else f.object)})
    same = [(k, lb) for k, lb in same if lb not in labels and lb.strip()]
    out: Forms = []
    if same:
        out.append(("same-type", splice(ctx.text, s, e, rng.choice(same)[1])))
    invented = [n for n in INVENTED if n not in labels]
    out.append(("invented", splice(ctx.text, s, e, rng.choice(invented))))
    return out


def audience(ctx: Ctx, rng: random.Random) -> Forms:
    words = "|".join(dict.fromkeys((ctx.audience, *AUDIENCE_WORDS)))
    found = free_matches(ctx, rf"\b({words})\b", re.I)
    if not found:
        return []
    m = rng.choice(found)
    wrong = rng.choice([w for w in WRONG_PEOPLE if w != ctx.audience])
    return [("other-people", splice(ctx.text, m.start(), m.end(), wrong.capitalize() if m.start() == 0 else wrong))]
