"""Checking a sentence against the chains it should say, in a closed world.

:func:`verify` reads the sentence back (:mod:`generation.claims`) and returns a :class:`Verdict` as
data. A sentence is ``ok`` only when all of it reads back into its own chains:
- every stretch is a name or value of the chains, a phrase of a relation, or a connective of the
  short fixed list (an unknown verb, an adjective, sentiment or a time word makes it unread);
- every claim is one fact of the chains, subject and object in their roles, numbers in their slots;
- nothing is said twice, no name floats outside a claim, no name loops;
- the item is named, every fact is said, and every value a ``when`` condition compares is said,
  except what the rule lists under ``unsaid_ok`` (see :mod:`generation.coverage`).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from reasoning.chains import Chain, Fact
from generation.claims import Claim, Mention, Reading, read_claims
from generation.labels import user_types
from generation.phrasing import SYMMETRIC, Sense, price_text
from generation.lang.relabel import relabel
from generation.verdict import (  # noqa: F401  re-exported: callers import them from here
    NOT_IN_CHAIN, UNKNOWN_NAME, WRONG_RELATION, NEGATED, WRONG_NUMBER, UNKNOWN_SLOT, OTHER_USER, INCOMPLETE,
    UNREAD, SAID_TWICE, DANGLING, LOOP, ITEM_UNNAMED, FACT_UNSAID, VALUE_UNSAID, WRONG_COMPARISON,
    WRONG_AUDIENCE, UNCLEAR_IT, SHORT_NO_BRAND, NOT_THE_RULES_BOUND, REASONS, Problem, Support, Span, Verdict, norm,
)


# A crowd said without a number ("shoppers who bought A also buy B") stands for these links.
_CO = {"purchased": ("also_bought", "bought_together"), "viewed": ("also_viewed",)}


class _Chains:
    """What the chains say, indexed for checking."""

    def __init__(self, chains: Sequence[Chain], user_types: frozenset[str] = frozenset({"User"})):
        self.chains = tuple(chains)
        self.user_types = user_types
        self.facts = tuple(f for c in self.chains for f in c.facts)
        self.user = next((b.key for c in self.chains for n, b in c.bindings if n == "user"), None)
        if self.user is None:
            self.user = next((f.subject for f in self.facts if f.subject and f.subject_type in user_types), None)
        self.names: set[str] = set()
        self.numbers: list[float] = []
        self.dates: set[str] = set()
        for c in self.chains:
            for _, b in c.bindings:
                if b.is_value:
                    self._number(b.label)
                elif b.type not in user_types:  # people are "you" or a count, never a name
                    self.names.add(norm(b.label))
            if c.support is not None:
                self.numbers.append(float(c.support))
        for f in self.facts:
            if f.subject is not None and f.subject_type not in user_types:
                self.names.add(norm(f.subject_label))
            if f.is_value:
                self._number(f.object_label)
            elif f.object and f.object_type not in user_types:
                self.names.add(norm(f.object_label))
            if f.count is not None:
                self.numbers.append(float(f.count))
            for k, v in f.values:
                if isinstance(v, float):
                    self.numbers.append(v)
                elif k == "date":
                    self.dates.add(str(v))
        self.user_names = {norm(self.user)} if self.user else set()
        for c in self.chains:
            b = c.binding("user")
            if b is not None:
                self.user_names.add(norm(b.label))

    def _number(self, text: str) -> None:
        n = _float(text)
        if n is not None:
            self.numbers.append(n)


def _float(text) -> float | None:
    if isinstance(text, (int, float)):
        return float(text)
    words = str(text).strip().replace(",", "").split()
    try:
        return float(words[0]) if words else None
    except ValueError:
        return None


def _same(a, b) -> bool:
    """``a`` (a number as the sentence writes it) is ``b`` (the graph's): equal, or ``b`` as a price is
    written (two decimals: 12.345 -> "12.35"). "4.004 stars" is not 4; a text is no number."""
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool):
        return False
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
        return True
    return round(a, 2) == a and abs(b - a) <= 0.005 + 1e-9 and price_text(a) == price_text(b)


def verify(sentence: str, chains: Chain | Sequence[Chain], graph, rules=None, lang: str = "en") -> Verdict:
    """Read ``sentence`` back into ``chains`` (one chain or several of one pair), closed-world.

    ``rules`` (a RuleSet) adds the rule's own demands: the values its ``when`` conditions compare
    must be said, and its ``unsaid_ok`` list names what may go unsaid. ``lang``: the language the
    sentence is in; its chains carry labels in that language (generation.lang.relabel), and the
    verdict lists the nodes whose label fell back to another language."""
    from generation.coverage import closed_world  # the closed-world pass builds on this module
    chains = [chains] if isinstance(chains, Chain) else list(chains)
    ch = _Chains(chains, user_types(graph))
    reading = read_claims(sentence, graph, lang)
    problems: list[Problem] = []
    verified: list[Support] = []
    attached = {id(v) for c in reading.claims for v in c.values}
    attached |= {id(c.object) for c in reading.claims if c.object is not None}
    for m in reading.mentions:
        p = _check_mention(m, ch, id(m) in attached)
        if p is not None:
            problems.append(p)
    problems += _references(reading, ch, graph)
    bad_mentions = {id(p.mention) for p in problems}
    used: set[int] = set()
    for claim in reading.claims:
        result = _check_claim(claim, ch, graph, used)
        if isinstance(result, Problem) and claim.swapped() is not None:
            other = _check_claim(claim.swapped(), ch, graph, used)
            result = other if isinstance(other, Support) else result
        if isinstance(result, Problem):
            if not ({id(claim.subject), id(claim.object)} & bad_mentions) or result.reason != NOT_IN_CHAIN:
                problems.append(result)
        else:
            verified.append(result)
            used.update(id(f) for f in result.facts)
    extra, said = closed_world(reading, ch, tuple(verified), graph, rules)
    problems += extra
    unsaid = tuple(f for f in ch.facts if id(f) not in said)
    ok = bool(verified) and not problems
    fallbacks = relabel(chains, graph, lang)[1] if lang != "en" else ()
    return Verdict(sentence, tuple(verified), tuple(problems), unsaid, ok, reading.unread, fallbacks)


def _references(reading, ch: _Chains, graph) -> list[Problem]:
    """"it" must plainly mean the chains' item (named before it, no other product named before it);
    a name shortened by its brand needs that brand said in the sentence by name."""
    out: list[Problem] = []
    items = {norm(b.label) for c in ch.chains for n, b in c.bindings if n == "item"}
    for word, said, two in reading.pronouns:
        if said is None or two or said.norm not in items:
            out.append(Problem(UNCLEAR_IT, mention=word))
    from generation.labels import label_index, label_words
    needs = label_index(graph).short
    if needs:
        names = {m.norm for m in reading.mentions if m.kind == "entity"}
        for m in reading.mentions:
            brand = needs.get(label_words(m.text)) if m.kind == "entity" else None
            if brand and brand not in names:
                out.append(Problem(SHORT_NO_BRAND, mention=m))
    return out


def _check_mention(m: Mention, ch: _Chains, attached: bool) -> Problem | None:
    if m.kind == "slot":
        return Problem(UNKNOWN_SLOT, mention=m)
    if m.kind == "unknown":
        return Problem(UNKNOWN_NAME, mention=m)
    if m.kind == "entity":
        if "User" in m.entry.types and m.norm not in ch.names:
            return None if m.norm in ch.user_names else Problem(OTHER_USER, mention=m)
        return None if m.norm in ch.names else Problem(NOT_IN_CHAIN, mention=m)
    if m.kind == "value" and not attached:
        if m.unit == "date":
            return None if m.value in ch.dates else Problem(WRONG_NUMBER, mention=m)
        return None if any(_same(m.value, n) for n in ch.numbers) else Problem(WRONG_NUMBER, mention=m)
    return None


def _check_claim(claim: Claim, ch: _Chains, graph, used: set[int] = frozenset()) -> Support | Problem:
    if claim.subject is None or claim.object is None:
        return Problem(INCOMPLETE, claim)
    for side in (claim.subject, claim.object):
        if side.kind == "unknown":
            return Problem(UNKNOWN_NAME, claim)
        if side.kind == "entity" and side.norm not in ch.names and side.norm not in ch.user_names:
            return Problem(NOT_IN_CHAIN, claim)
    if claim.negated:
        return Problem(NEGATED, claim)
    candidates = _facts_for(claim, ch)
    if not candidates:
        if claim.subject.kind == "crowd" and claim.subject.value is not None:
            uncounted = Mention("crowd", claim.subject.text, claim.subject.start, claim.subject.end)
            relaxed = Claim(uncounted, claim.phrase, claim.senses, claim.object, origin=claim.origin)
            if any(f.subject is None for f in _facts_for(relaxed, ch)):
                return Problem(WRONG_NUMBER, claim)  # the right crowd, counted wrong
        return Problem(WRONG_RELATION, claim)
    good = [f for f in candidates if _values_hold(claim, f, ch, graph)]
    if not good:
        return Problem(WRONG_NUMBER, claim)
    fresh = [f for f in good if id(f) not in used]  # a fact already said stays with its first claim
    return Support(claim, ((fresh or good)[0],))


def _facts_for(claim: Claim, ch: _Chains) -> list[Fact]:
    s, o = claim.subject, claim.object
    out: list[Fact] = []
    senses = claim.senses or frozenset()
    for f in ch.facts:
        if claim.any_relation:
            if _side(f, True, s, ch) and _side(f, False, o, ch):
                out.append(f)
            continue
        for sense in senses:
            if f.relation != sense.relation:
                continue
            fs, fo = (o, s) if sense.inverted else (s, o)
            if (_side(f, True, fs, ch) and _side(f, False, fo, ch)) or (
                    f.relation in SYMMETRIC and _side(f, True, fo, ch) and _side(f, False, fs, ch)):
                out.append(f)
                break
    if not out and senses:
        out = _value_facts(claim, ch)
    if not out and s.kind == "crowd" and s.value is None:
        out = _crowd_links(claim, ch)
    return out


def _value_facts(claim: Claim, ch: _Chains) -> list[Fact]:
    """'You tagged X “feel-good”': a phrase of a relation named like a value on a chain fact (the
    rating's ``tag``) says that fact, with the value in quotes beside it."""
    if not claim.values:
        return []
    names = {sense.relation for sense in claim.senses}
    return [f for f in ch.facts if any(k in names for k, _ in f.values) and _side(f, True, claim.subject, ch)
            and _side(f, False, claim.object, ch)]


def _crowd_links(claim: Claim, ch: _Chains) -> list[Fact]:
    """'Shoppers who bought A' with no number: true of a product the chain links by co-purchase."""
    rels = {r for sense in claim.senses for r in _CO.get(sense.relation, ())}
    o = claim.object
    return [f for f in ch.facts if f.relation in rels and (_side(f, True, o, ch) or _side(f, False, o, ch))]


def _side(f: Fact, subject: bool, m: Mention, ch: _Chains) -> bool:
    key = f.subject if subject else f.object
    label = f.subject_label if subject else f.object_label
    if m.kind == "user":  # the user's own node: its key and a user type (film "1" is not viewer "1")
        return key is not None and key != "" and key == ch.user and \
            (f.subject_type if subject else f.object_type) in ch.user_types
    if m.kind == "crowd":
        if f.count is None or (key is not None and key != ""):
            return False
        return m.value is None or _same(m.value, float(f.count))
    if m.kind == "value":
        if subject or not f.is_value:
            return False
        return _same(m.value, _float(label)) if m.unit != "date" else m.value == label
    if m.kind == "entity":
        if key is None or key == "" or (f.is_value and not subject):
            return False
        if key == ch.user and subject and f.subject_type in ch.user_types:  # ids are per type
            return False
        return norm(label) == m.norm
    return False


def _values_hold(claim: Claim, f: Fact, ch: _Chains, graph) -> bool:
    for v in claim.values:
        if v.unit == "text":  # a quoted text: one of the fact's text values, word for word
            if not any(isinstance(x, str) and norm(x) == norm(str(v.value)) for _, x in f.values):
                return False
            continue
        if v.unit == "date":
            if not any(k == "date" and str(x) == v.value for k, x in f.values):
                return False
            continue
        if f.relation == "purchased" and v.unit in ("", "$") and f.subject is not None:
            if not any(g.relation == "price" and g.subject == f.object and _same(float(v.value), _float(g.object_label))
                       for g in ch.facts):
                return False  # "you paid 30 for X": 30 must be X's price in the chain
            continue
        if v.unit not in ("", "stars"):
            return False
        if f.subject is None:  # a crowd: recount its scores in the graph
            if not _crowd_scores_hold(f, ch, graph, float(v.value), v.op):
                return False
            continue
        score = dict(f.values).get("score")
        if not isinstance(score, float):
            return False
        if not (score >= v.value if v.op == ">=" else _same(score, float(v.value))):
            return False
    return True


def _crowd_scores_hold(f: Fact, ch: _Chains, graph, threshold: float, op: str) -> bool:
    """At least ``f.count`` of the crowd behind ``f`` gave scores that meet ``op threshold``."""
    crowd_facts = [x for x in ch.facts if x.subject is None and x.count == f.count]
    try:
        members: set[int] | None = None
        for x in crowd_facts:
            who = set(graph.neighbors(graph.node(x.object), x.relation, reverse=True).tolist())
            members = who if members is None else members & who
        if not members:
            return False
        user = graph.node(ch.user) if ch.user else None
        index = graph.edges(f.relation)
        scores = index.values.get("score") if index is not None else None
        if scores is None:
            return False
        item = graph.node(f.object)
        count = 0
        for u in members - {user}:
            e = index.edge_id(u, item)
            if e is None:
                continue
            s = float(scores[e])
            if not math.isnan(s) and (s >= threshold if op == ">=" else _same(s, threshold)):
                count += 1
        return count >= (f.count or 0)
    except Exception:  # an id the graph cannot resolve: the claim cannot be checked, so it fails
        return False
