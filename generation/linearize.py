"""Chains to model input, and back: every graph value becomes a slot token.

A small seq2seq model does not copy names it never saw, but it learns to place slot
tokens perfectly; the exact labels are put back after generation. This one function
is used by training and inference alike, so they cannot drift apart.

>>> from reasoning.chains import Chain, Fact
>>> c = Chain("same-brand", (Fact("u1", "purchased", "p1", "u1", "Glow Serum", "User", "Product"),
...                          Fact("p1", "brand", "b1", "Glow Serum", "Lumière", "Product", "Brand"),
...                          Fact("p2", "brand", "b1", "Glow Cream", "Lumière", "Product", "Brand")), ())
>>> lin = linearize([c], item="p2", user="u1")
>>> lin.source
'why <ITEM> | same brand : you purchased <P1> ; <P1> brand <B1> ; <ITEM> brand <B1>'
>>> refill("You bought <P1>; <ITEM> is also by <B1>.", lin.slots)
'You bought Glow Serum; Glow Cream is also by Lumière.'
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reasoning.chains import Chain, Fact
from kg.terms import number_text
from generation.phrasing import AUDIENCE_KEY
from generation.lang import get_language

PREFIX = {"Product": "P", "Brand": "B", "Category": "CAT", "Ingredient": "ING", "SkinType": "SKIN",
          "Finish": "FIN", "Colour": "COL", "Claim": "CLM", "Material": "MAT", "Value": "V", "User": "U",
          "Audience": "AUD"}
ITEM = "<ITEM>"
SLOT = re.compile(r"<(ITEM|[A-Z]+\d+)>")
MAX_SLOTS_PER_KIND = 9  # slot tokens the tokenizer knows: <P1>..<P9>, <B1>..<B9>, ...


def slot_tokens() -> list[str]:
    """Every slot token the tokenizer must keep whole."""
    kinds = sorted(set(PREFIX.values()) | {"E", "N"})
    return [ITEM] + [f"<{k}{n}>" for k in kinds for n in range(1, MAX_SLOTS_PER_KIND + 1)]


@dataclass(frozen=True)
class Linearized:
    source: str
    slots: dict[str, str]  # slot token -> exact text to put back
    keys: dict[str, str]  # slot token -> node key (or value text) it stands for


class _Slots:
    def __init__(self, item: str | None, item_type: str | None = None):
        self.by_key: dict[tuple[str, str], str] = {}
        self.slots: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.item = item
        # other things of the item's own kind (films of a film catalog) take product slots: the model
        # learns one role, "things like the item", whatever a catalog calls them
        self.item_type = item_type if item_type not in PREFIX else None

    def token(self, key: str, label: str, type_name: str) -> str:
        if self.item is not None and key == self.item and type_name != "Value":
            self.slots[ITEM], self.keys[ITEM] = label, key
            return ITEM
        kind = "P" if type_name == self.item_type else PREFIX.get(type_name, "E")
        tok = self.by_key.get((kind, key))
        if tok is None:
            n = self.counts.get(kind, 0) + 1
            self.counts[kind] = n
            tok = f"<{kind}{min(n, MAX_SLOTS_PER_KIND)}>" if n <= MAX_SLOTS_PER_KIND else f"<E{n}>"
            self.by_key[(kind, key)] = tok
            self.slots[tok], self.keys[tok] = label, key
        return tok

    def number(self, value: float | str) -> str:
        text = number_text(value)
        return self.token(text, text, "Value")


def _side(slots: _Slots, fact: Fact, subject: bool, user: str | None, audience: str = "people",
          you: str = "you") -> str:
    key = fact.subject if subject else fact.object
    label = fact.subject_label if subject else fact.object_label
    type_name = fact.subject_type if subject else fact.object_type
    if key is None or (fact.count is not None and key == ""):
        # the catalog's noun for counted people is a slot too: the model never learns one shop's word
        return f"{slots.token(f'#{fact.count}', str(fact.count), 'N')} {slots.token(AUDIENCE_KEY, audience, 'Audience')}"
    if user is not None and key == user:
        return you
    if (fact.is_value and not subject) or type_name == "Value":
        return slots.number(label)
    return slots.token(key, label, type_name)


def linearize(chains: Sequence[Chain], item: str | None = None, user: str | None = None,
              relation_words: dict[str, str] | None = None, audience: str = "people",
              lang: str = "en") -> Linearized:
    """Model input for one or more chains of one pair; graph values become slots. ``lang``: the user
    is said in that language ("你"); the labels are the chains' own (see generation.lang.relabel)."""
    you = get_language(lang).you
    item_type = next((f.subject_type if f.subject == item else f.object_type for c in chains for f in c.facts
                      if item is not None and item in (f.subject, f.object)), None)
    slots = _Slots(item, item_type)
    words = relation_words or {}
    parts = [f"why {ITEM}"] if item is not None else []
    for chain in chains:
        facts = []
        for f in chain.facts:
            s = _side(slots, f, True, user, audience, you)
            o = _side(slots, f, False, user, audience, you)
            rel = words.get(f.relation, f.relation.replace("_", " "))
            extra = "".join(f" {name} {slots.number(v)}" for name, v in f.values if name == "score")
            facts.append(f"{s} {rel} {o}{extra}")
        parts.append(f"{chain.rule.replace('-', ' ')} : " + " ; ".join(facts))
    return Linearized(" | ".join(parts), dict(slots.slots), dict(slots.keys))


def refill(text: str, slots: dict[str, str]) -> str:
    """Put the exact labels back; unknown slot tokens are left as they are (the verifier rejects them).
    An "a"/"an" right before a slot is chosen for the label put back ("an ivory finish")."""
    from generation.articles import with_article
    out: list[str] = []
    pos = 0
    for m in SLOT.finditer(text):
        label = slots.get(m.group(0), m.group(0))
        out.append(with_article(text[pos:m.start()], label if m.group(0) in slots else ""))
        out.append(label)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def unknown_slots(text: str, slots: dict[str, str]) -> list[str]:
    return [m.group(0) for m in SLOT.finditer(text) if m.group(0) not in slots]
