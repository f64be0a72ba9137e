"""What a sentence says, as data: mentions, claims, a reading, and the items the clause reader joins.

Shared by every language's reader (generation.claims for English, generation.claims_zh for
Chinese), so the verifier and generation.coverage check one structure whatever the language.
"""
from __future__ import annotations

from dataclasses import dataclass

from generation.labels import Entry, _fold
from generation.phrasing import Sense


@dataclass(frozen=True)
class Mention:
    """Something a sentence names: an entity of the graph, the user, a number, a crowd, a slot
    token left unfilled, or a capitalised name the graph does not know."""

    kind: str  # "entity" | "user" | "value" | "crowd" | "slot" | "unknown" | "unread" | "negation" | "comparison"
    text: str
    start: int
    end: int
    entry: Entry | None = None  # entities
    value: float | str | None = None  # values (a number, or a date as text); crowd counts
    unit: str = ""  # "$", "stars", "date" for values
    op: str = "="  # ">=" for "4 stars or more"; a comparison's operator ("<=" for "within")

    @property
    def norm(self) -> str:
        return self.entry.norm if self.entry is not None else _fold(self.text)


@dataclass(frozen=True)
class Claim:
    """``subject relation object`` as the sentence says it; a side is None when it cannot be found.
    ``senses`` empty with ``any_relation`` means "some relation" (appositions, possessives)."""

    subject: Mention | None
    phrase: str
    senses: frozenset[Sense]
    object: Mention | None
    negated: bool = False
    values: tuple[Mention, ...] = ()
    origin: str = "phrase"  # "phrase" | "like" | "apposition" | "possessive" | "crowd"
    any_relation: bool = False
    span: tuple[int, int] = (0, 0)  # characters of the phrase (or marker word) in the sentence
    other: Mention | None = None  # a "like" claim: the side it replaced ("X stars in Y, as in Z")

    def swapped(self) -> Claim | None:
        """A "like" claim read the other way: the compared thing takes the object's place instead
        ("Noor stars in Y, as in Z": Noor stars in Z)."""
        if self.origin != "like" or self.other is None:
            return None
        return Claim(self.other, self.phrase, self.senses, self.subject, self.negated, (), "like", self.any_relation,
                     self.span)


@dataclass(frozen=True)
class Reading:
    """What a sentence says. ``unread``: stretches that are no name, value, phrase or connective of
    the closed list (the verifier refuses a sentence with any); ``comparisons``: "within", "cheaper
    than" ... with the value mentions on each side (None when a side is missing)."""

    sentence: str
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    unread: tuple[Mention, ...] = ()
    negations: tuple[Mention, ...] = ()
    comparisons: tuple[tuple[Mention, Mention | None, Mention | None], ...] = ()
    lang: str = "en"
    # each "it": (the word, the thing of the item's kind named last before it or None, whether two
    # different things of that kind were named before it: then "it" could mean either)
    pronouns: tuple[tuple[Mention, Mention | None, bool], ...] = ()

    def of_kind(self, kind: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind == kind)


@dataclass
class Item:
    """One stretch of a sentence as the clause reader sees it."""

    kind: str  # ENT USER VAL CROWD REL PRON POSS LIKE CONJ COMMA HARD NEG ART OF STAR
    i: int  # first token
    j: int  # end token
    word: str
    mention: Mention | None = None
    phrase: str = ""
    senses: frozenset[Sense] = frozenset()
    negated: bool = False
    clause: int = 0
    sentence: int = 0
    is_object: bool = False  # already the object of a phrase in its clause
