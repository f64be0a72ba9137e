"""A second injector of bad reasons, written from the failure kinds of issue 9, not from any reader.

Given a correct sentence for a chain, other chains of the same graph (for glued-on facts and
other names) and the graph, :func:`inject` returns bad sentences labelled by kind and surface
form. The yardstick is the issue's closed world: a reason is right only if its sentence says its
chain, all of it (every fact, every value a condition compares, the count of people), with each
fact's subject and object in their roles, the item named, nothing said twice, and nothing else.
Each kind below breaks that on purpose, and never by accident only:

- ``loop``: a name repeated ("X and X and X"), the sentence said twice, or the issue's loop that
  never reaches the item. Nothing may be said twice; repetition says no fact.
- ``missing_item``: the item replaced by "it", "this one", or its clauses dropped. The reason is
  about the item; one that never names it explains nothing about it.
- ``omitted_fact``: one fact of the chain left out (the chain said without it, or a clause that
  held a name or number of the chain cut off). Every fact of the chain must be said.
- ``omitted_value``: a score, a price, a budget or a count of people left out or made vague
  ("highly", "many"). A rule's condition or count is its point; said without it, the sentence no
  longer says why the rule fired.
- ``unknown_verb``: a verb that no relation of the chain or of the vocabulary has ("smells of").
  Nothing in the chain can support a relation it does not have.
- ``adjective``: an adjective about a node ("the stunning X", "X, which is iconic,"). No fact of
  the chain states a property like that.
- ``sentiment``: "You will hate X", "X is the worst Y ever made, unlike Z", "you will love it",
  "Sadly, ...". Feelings and predictions are not facts of any chain.
- ``time_words``: "often", "always", "recently", "yesterday", "for years" where no fact supports
  them ("recently" only when the user's facts are older than 180 days before the latest date
  known, or undated). A fact holds at most a date, never a frequency.
- ``count_slot``: an id (of a product, of the user) or another number of the chain where the
  count of people belongs, or a count invented for a chain that counts nobody ("B00X shoppers who
  bought ..."). A count must be the chain's count, and only where the chain counts people.
- ``role_swap``: two names exchanged, or one fact said backwards ("Lumière is made by Glow
  Cream"); swaps that a symmetric relation reads the same both ways are never produced. Each claim
  must be a fact of the chain with subject and object in their roles.
- ``glued_fact``: a true fact from another chain of the graph added ("..., and X is in Serums",
  "X, which is in Serums, ..."). The sentence must say the chain and nothing else.
- ``compound``: true fragments joined into a false claim: "Shoppers who bought P, like you, also
  bought I" for a chain with no such link, "I, which you bought, ..." when the user bought P,
  "you bought P and I". Each fragment reads true; the whole claims a fact the chain lacks.
- ``negation``: "is not", "never", "unlike", "It is not true that ...". The chain states facts;
  a negated fact contradicts it.
- ``changed_number``: a score, count, price or budget changed. Numbers must be the chain's exact
  values.
- ``wrong_name``: a name replaced by another node of the same type (from other chains) or by an
  invented name. The name must be the chain's node in that role.
- ``audience``: the people counted called something else ("students who bought ..."). The chain
  counts people of the catalog's audience; another kind of people is another claim.

Outputs are deterministic for a given (seed, sentence), at most ``per_kind`` per kind, different
from the sentence and from every sentence in ``correct``.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reasoning.chains import Chain
from generation.templates import tidy
from benchmarks import adversary_claims as C
from benchmarks import adversary_forms as F
from benchmarks.adversary_text import context

KINDS = {"loop": F.loop, "missing_item": F.missing_item, "omitted_fact": F.omitted_fact,
         "omitted_value": F.omitted_value, "unknown_verb": F.unknown_verb, "adjective": F.adjective,
         "sentiment": F.sentiment, "time_words": F.time_words, "count_slot": C.count_slot,
         "role_swap": C.role_swap, "glued_fact": C.glued_fact, "compound": C.compound, "negation": C.negation,
         "changed_number": C.changed_number, "wrong_name": C.wrong_name, "audience": C.audience}


@dataclass(frozen=True)
class Bad:
    kind: str
    form: str
    text: str


def inject(sentence: str, chain: Chain, others: Sequence[Chain], graph, seed: int = 0,
           kinds: Iterable[str] | None = None, per_kind: int = 2, correct: Iterable[str] = ()) -> list[Bad]:
    """Bad versions of ``sentence`` (a correct reason for ``chain``), up to ``per_kind`` per kind,
    different surface forms first."""
    ctx = context(sentence, chain, [c for c in others if c is not chain], graph)
    avoid = {tidy(sentence), *(tidy(t) for t in correct)}
    out: list[Bad] = []
    for kind in kinds or KINDS:
        rng = random.Random(f"{seed}\x1f{kind}\x1f{sentence}")  # str seeds hash with sha512: stable across runs
        forms = KINDS[kind](ctx, rng)
        rng.shuffle(forms)
        chosen: dict[str, Bad] = {}
        for first_pass in (True, False):  # one of each form first, then more of any
            for form, text in forms:
                text = tidy(text)
                if len(chosen) >= per_kind or not text or text in avoid or text in chosen:
                    continue
                if first_pass and any(b.form == form for b in chosen.values()):
                    continue
                chosen[text] = Bad(kind, form, text)
        out.extend(chosen.values())
    return out
