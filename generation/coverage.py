"""The closed-world half of verification: the sentence is the chain, all of it and nothing else.

:func:`generation.verify.verify` checks each claim on its own; this module checks the sentence as a
whole against its chains: no unread words, no negation, comparisons that the values bear out, the
catalog's own noun for counted people, no fact said twice, no name or value floating outside a
claim, no name looping, the item named, every fact said, and every value a ``when`` condition
compares said -- except what the rule's ``unsaid_ok`` lets go (``r.date``: the date of the fact
named ``r``; ``r``: that whole fact).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from reasoning.chains import Chain, Fact
from generation.claims import Mention, Reading
from generation import verify as V
from generation.lang import get_language

_OPS = {"<=": lambda a, b: a <= b + 1e-9, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b - 1e-9}
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
NEUTRAL_AUDIENCE = ("people", "others", "person")


def closed_world(reading: Reading, ch, verified: tuple, graph, rules=None) -> tuple[list, set[int]]:
    """Problems of the sentence as a whole, and the ids of the chain facts it says."""
    problems: list[V.Problem] = []
    problems += _unread(reading, ch.chains)
    problems += [V.Problem(V.NEGATED, mention=m) for m in reading.negations]
    problems += _comparisons(reading)
    problems += _audience(reading, graph, ch.chains, rules)
    problems += _twice(verified)
    problems += _dangling(reading)
    problems += _loops(reading)
    said = {f for s in verified for f in s.facts}
    said |= _parallel(reading, ch, verified, said)
    said |= _paid(reading, ch, verified)
    problems += _item_named(reading, ch.chains)
    problems += _owed(ch.chains, verified, said, rules)
    problems += _bounds(ch.chains, verified, rules)
    return problems, {id(f) for f in ch.facts if f in said}


def _bounds(chains, verified: tuple, rules) -> list:
    """A bound ("4 stars or more", "at least 4 stars") is the rule's own: a weaker one is true but says
    neither the fact ("you rated X 5 stars") nor why the rule counts it ("at least 1 star"). Without
    the rules nothing is known of their bounds, and a true bound stands."""
    if rules is None:
        return []
    out = []
    for s in verified:
        bounded = [v for v in s.claim.values if v.op != "=" and v.unit in ("", "stars")]
        if not bounded:
            continue
        consts = {float(o.const) for c in chains if any(f in c.facts for f in s.facts)
                  for plan in [_rule(rules, c.rule)] if plan is not None
                  for cond in plan.rule.when for o in (cond.left, cond.right)
                  if o.var is None and isinstance(o.const, (int, float))}
        out += [V.Problem(V.NOT_THE_RULES_BOUND, mention=v) for v in bounded
                if not any(V._same(float(v.value), k) for k in consts)]
    return out


def _type_words(chains: Iterable[Chain]) -> set[str]:
    """'product', 'products', 'brand', 'skin', 'type' ...: the nouns of the chain's own node types."""
    out: set[str] = set()
    for c in chains:
        for f in c.facts:
            for t in (f.subject_type, f.object_type):
                if t and t not in ("Value", "Thing"):
                    for w in _CAMEL.findall(t):
                        out |= {w.lower(), w.lower() + "s"}
    return out


def _unread(reading: Reading, chains) -> list:
    nouns = _type_words(chains)
    return [V.Problem(V.UNREAD, mention=m) for m in reading.unread if m.text.lower() not in nouns]


def _comparisons(reading: Reading) -> list:
    out = []
    for comp, before, after in reading.comparisons:
        a = _number(before)
        b = _number(after)
        if a is None or b is None or not _OPS[comp.op](a, b):
            out.append(V.Problem(V.WRONG_COMPARISON, mention=comp))
    return out


def _number(m: Mention | None) -> float | None:
    return float(m.value) if m is not None and isinstance(m.value, (int, float)) else None


def audience_words(graph, rules=None, chains: Iterable[Chain] = ()) -> set[str]:
    """The nouns this catalog counts people with: its audience noun (mapping or rule file), and neutral words."""
    nouns = [getattr(graph, "audience", None) or ""]
    for c in chains:
        rule = getattr(_rule(rules, c.rule), "rule", None)
        nouns.append(getattr(rule, "audience", "") or "")
    words = set(NEUTRAL_AUDIENCE)
    for n in nouns:
        w = n.strip().lower().split()
        if w:
            words |= {w[-1], w[-1].rstrip("s")}
    return words


def _audience(reading: Reading, graph, chains, rules) -> list:
    if reading.lang != "en":  # a catalog's noun is an English word: the language's own neutral nouns
        allowed = set(get_language(reading.lang).module.NEUTRAL_AUDIENCE)
        noun, tag = graph.audience_in(reading.lang) if callable(getattr(graph, "audience_in", None)) else ("", "")
        allowed |= {noun.strip()} if noun.strip() and tag else set()
        return [V.Problem(V.WRONG_AUDIENCE, mention=m) for m in reading.mentions
                if m.kind == "crowd" and not any(m.text.endswith(w) for w in allowed)]
    allowed = audience_words(graph, rules, chains)
    out = []
    for m in reading.mentions:
        if m.kind == "crowd":
            noun = m.text.lower().split()[-1]
            if noun not in allowed:
                out.append(V.Problem(V.WRONG_AUDIENCE, mention=m))
    return out


def _twice(verified: tuple) -> list:
    seen: dict[Fact, tuple] = {}
    out = []
    for s in verified:
        if s.claim.subject is not None and s.claim.subject.kind == "crowd" and s.claim.subject.value is None:
            continue  # "people who bought A also bought B": two clauses that say one co-purchase link
        # a fact said twice: the same fact, other mentions, and nothing new (a second claim may add
        # one of its values: "you tagged X “noir” and rated it 5 stars")
        where = (_start(s.claim.subject), _start(s.claim.object), tuple(sorted(str(v.value) for v in s.claim.values)))
        for f in s.facts:
            if f in seen and seen[f][:2] != where[:2] and (seen[f][2] == where[2] or not where[2]):
                out.append(V.Problem(V.SAID_TWICE, claim=s.claim, fact=f))
            seen.setdefault(f, where)
    return out


def _start(m: Mention | None) -> int:
    return -1 if m is None else m.start


def _dangling(reading: Reading) -> list:
    used: set[int] = set()
    for c in reading.claims:
        used.update(id(m) for m in (c.subject, c.object, *c.values) if m is not None)
    for _, a, b in reading.comparisons:
        used.update(id(m) for m in (a, b) if m is not None)
    return [V.Problem(V.DANGLING, mention=m) for m in reading.mentions
            if m.kind in ("entity", "value") and id(m) not in used]


def _loops(reading: Reading) -> list:
    """A name said a third time: the sentence goes round in circles ("B and B and ...")."""
    out, count = [], {}
    for m in reading.mentions:
        if m.kind == "entity":
            count[m.norm] = count.get(m.norm, 0) + 1
            if count[m.norm] == 3:
                out.append(V.Problem(V.LOOP, mention=m))
    return out


def _parallel(reading: Reading, ch, verified: tuple, said: set) -> set:
    """'You bought A, and B is also by C' ("... by C too", "... as well"): says that A is by C as
    well, when A is named in the sentence too (before, or after as in 'B is also by C, cheaper than A')."""
    out: set[Fact] = set()
    text = reading.sentence.lower()
    named_before = [(m.start, m.norm) for m in reading.mentions if m.kind == "entity"]
    for s in verified:
        lo, hi = s.claim.span
        end = max([hi] + [m.end for m in (s.claim.object,) if m is not None])
        after = re.findall(r"[\w']+", text[end:end + 12])[:2]
        if reading.lang != "en":  # 也, 同样, 都, 同属: said before or as the start of the phrase
            if not any(w in text[max(0, lo - 2):hi] for w in ("也", "同样", "都", "同")):
                continue
        elif "also" not in re.findall(r"[\w']+", text[max(0, lo - 6):hi]) and after[:1] != ["too"] \
                and after != ["as", "well"]:
            continue
        for f in s.facts:
            for g in ch.facts:
                if (g in said or g in out or g.relation != f.relation or g.object != f.object
                        or g.subject in (None, f.subject) or g.is_value):
                    continue
                g_norm = V.norm(g.subject_label)
                if any(not lo <= start < hi and n == g_norm for start, n in named_before):
                    out.add(g)
    return out


def _paid(reading: Reading, ch, verified: tuple) -> set:
    """'the 30 you paid for Glow Serum': a purchase whose amount, the value said just before "you paid",
    is the product's price fact in the chain; that price fact is said by it (and must match)."""
    out: set[Fact] = set()
    text = reading.sentence.lower()
    values = [m for m in reading.mentions if m.kind == "value" and isinstance(m.value, float)]
    for s in verified:
        lo, hi = s.claim.span
        if "paid" not in text[lo:hi] or s.claim.object is None:
            continue
        near = [v for v in values if v.end <= lo and text[v.end:lo].strip() in ("", "you")]
        for f in s.facts:
            for g in ch.facts:
                if g.relation == "price" and g.is_value and g.subject == f.object and any(
                        V._same(v.value, V._float(g.object_label)) for v in near):
                    out.add(g)
    return out


def _item_named(reading: Reading, chains) -> list:
    names = {m.norm for m in reading.mentions if m.kind == "entity"}
    out = []
    for c in chains:
        item = c.binding("item")
        if item is not None and not item.is_value and V.norm(item.label) not in names:
            out.append(V.Problem(V.ITEM_UNNAMED, fact=next((f for f in c.facts if item.key in (f.subject, f.object)),
                                                           None)))
            break
    return out


def _rule(rules, rule_id: str):
    if rules is None:
        return None
    try:
        return rules.plan(rule_id) if hasattr(rules, "plan") else None
    except KeyError:
        return None


def _owed(chains, verified: tuple, said: set, rules) -> list:
    """Every fact said, every value the rule's conditions compare and the user's own scores, unless
    ``unsaid_ok`` lets it go."""
    out = []
    claims_of: dict[Fact, list] = {}
    for s in verified:
        for f in s.facts:
            claims_of.setdefault(f, []).append(s.claim)
    for c in chains:
        plan = _rule(rules, c.rule)
        ok_facts, ok_values = _unsaid_ok(plan, c)
        for k, f in enumerate(c.facts):
            if f not in said and k not in ok_facts:
                out.append(V.Problem(V.FACT_UNSAID, fact=f))
            elif f.count is not None and f in claims_of and not any(_counted(cl) for cl in claims_of[f]):
                out.append(V.Problem(V.VALUE_UNSAID, fact=f))  # a crowd said without its count
        for k, attr in _compared(plan, c) + _own_scores(c):
            if (k, attr) in ok_values or k in ok_facts:
                continue
            f = c.facts[k]
            if f in claims_of and not any(_has_value(cl, attr) for cl in claims_of[f]):
                out.append(V.Problem(V.VALUE_UNSAID, fact=f))
    return out


def _own_scores(chain: Chain) -> list[tuple[int, str]]:
    """The user's own ratings carry their score: "you rated X" without the stars leaves a number of
    the chain unsaid (``unsaid_ok: [r.score]`` lets it go)."""
    user = chain.binding("user")
    return [(k, "score") for k, f in enumerate(chain.facts)
            if user is not None and f.subject == user.key and any(n == "score" for n, _ in f.values)]


def _counted(claim) -> bool:
    return any(m is not None and m.kind == "crowd" and m.value is not None for m in (claim.subject, claim.object))


def _has_value(claim, attr: str) -> bool:
    if attr == "date":
        return any(v.unit == "date" for v in claim.values)
    return any(v.unit != "date" for v in claim.values)  # a score in stars, a number, a quoted text


def _unsaid_ok(plan, chain: Chain) -> tuple[set[int], set[tuple[int, str]]]:
    facts: set[int] = set()
    values: set[tuple[int, str]] = set()
    if plan is None:
        return facts, values
    for entry in getattr(plan.rule, "unsaid_ok", ()):
        name, _, attr = entry.partition(".")
        k = plan.value_hop(name)
        if k is None or k >= len(chain.facts):
            continue
        if attr:
            values.add((k, attr))
        else:
            facts.add(k)
    return facts, values


def _compared(plan, chain: Chain) -> list[tuple[int, str]]:
    """(fact index, value name) for each fact value a ``when`` condition of the rule compares."""
    if plan is None:
        return []
    out = []
    for cond in plan.rule.when:
        for op in (cond.left, cond.right):
            if op.var is not None and op.attr is not None:
                k = plan.value_hop(op.var)
                if k is not None and k < len(chain.facts):
                    out.append((k, op.attr))
    return out
