"""Rules as frozen data: what a domain expert wrote, with the place each part came from."""
from __future__ import annotations

from dataclasses import dataclass, field

RESERVED = ("user", "item")
DEFAULT_LANG = "en"  # the language of Rule.says (and of a rule file's plain 'says' list)
MIN_SUPPORT = 10  # the documented default: shoppers behind a collaborative chain
PRIVACY_FLOOR = 2  # never fewer, whatever a rule file says


@dataclass(frozen=True)
class Pos:
    file: str
    line: int
    col: int


@dataclass(frozen=True)
class Step:
    """``subject relation object`` as the fact sits in the graph; ``value`` names the fact (``as r``)."""

    subject: str
    relation: str
    object: str
    pos: Pos
    value: str | None = None

    def __str__(self) -> str:
        return f"{self.subject} {self.relation} {self.object}" + (f" as {self.value}" if self.value else "")


@dataclass(frozen=True)
class Operand:
    """A variable (``price``), a variable's attribute (``item.price``, ``r.score``) or a constant."""

    var: str | None = None
    attr: str | None = None
    const: str | float | None = None

    def __str__(self) -> str:
        if self.var is None:
            return repr(self.const) if isinstance(self.const, str) else f"{self.const:g}"
        return f"{self.var}.{self.attr}" if self.attr else self.var


@dataclass(frozen=True)
class Condition:
    left: Operand
    op: str
    right: Operand
    pos: Pos


@dataclass(frozen=True)
class Negation:
    """``not subject relation object``: no such fact may exist (unbound words mean 'any')."""

    step: Step
    pos: Pos


@dataclass(frozen=True)
class Expect:
    user: str
    item: str
    match: bool
    pos: Pos


@dataclass(frozen=True)
class Rule:
    id: str
    path: tuple[Step, ...]
    says: tuple[str, ...]
    pos: Pos
    when: tuple[Condition, ...] = ()
    negations: tuple[Negation, ...] = ()
    weight: float = 1.0
    tags: tuple[str, ...] = ()
    min_support: int = 10
    expect: tuple[Expect, ...] = ()
    description: str = ""
    says_pos: tuple[Pos, ...] = field(default=(), compare=False)
    unsaid_ok: tuple[str, ...] = ()  # facts ('r') or fact values ('r.date') a sentence may leave unsaid
    audience: str = ""  # the noun for counted people in this rule's sentences; "" means the catalog's
    title: str = ""  # a few words a page can show as the reason's heading ("Same brand")
    # templates in other languages than DEFAULT_LANG: (code, templates), codes lower case and sorted
    says_other: tuple[tuple[str, tuple[str, ...]], ...] = ()
    says_other_pos: tuple[tuple[str, tuple[Pos, ...]], ...] = field(default=(), compare=False)

    def says_in(self, lang: str) -> tuple[str, ...]:
        """The templates in ``lang`` (a form of the same language counts: zh-cn finds zh); () when none."""
        code = _pick(lang, (DEFAULT_LANG, *(c for c, _ in self.says_other)))
        if code == DEFAULT_LANG:
            return self.says
        return dict(self.says_other).get(code, ()) if code else ()

    def says_pos_in(self, lang: str) -> tuple[Pos, ...]:
        """Where each template of :meth:`says_in` sits (one place per template; the rule's own when unknown)."""
        code = _pick(lang, (DEFAULT_LANG, *(c for c, _ in self.says_other)))
        said = self.says_in(lang)
        places = self.says_pos if code == DEFAULT_LANG else dict(self.says_other_pos).get(code or "", ())
        return places if len(places) == len(said) else (self.pos,) * len(said)

    def templates(self) -> tuple[tuple[str, str, Pos], ...]:
        """(language, template, place) of every template in every language: what checks walk."""
        return tuple((lang, t, p) for lang in self.languages for t, p in zip(self.says_in(lang), self.says_pos_in(lang)))

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes this rule has templates in, the default language first."""
        return ((DEFAULT_LANG,) if self.says else ()) + tuple(c for c, t in self.says_other if t)

    @property
    def heading(self) -> str:
        """The title, or the id in words when the author gave none ("same-brand" -> "Same brand")."""
        return self.title or self.id.replace("-", " ").capitalize()
    # steps that did not parse: the rule is still checked as far as it can be (placeholders,
    # relations, conditions), so one problem does not hide the next; it is never matched
    broken: tuple[str, ...] = ()
    min_support_reason: str = ""  # why the crowd floor is below MIN_SUPPORT (required then, logged)

    def __post_init__(self) -> None:
        if self.min_support < PRIVACY_FLOOR:  # one "shopper" behind a chain is a person, not a crowd
            raise ValueError(f"rule {self.id!r}: min_support {self.min_support} is below {PRIVACY_FLOOR}")

    @property
    def collaborative(self) -> bool:
        return "collaborative" in self.tags

    @property
    def sensitive(self) -> bool:
        return "sensitive" in self.tags


def _pick(lang: str, have: tuple[str, ...]) -> str | None:
    """The code of ``have`` that stands for ``lang``: itself, a shorter form (zh-hans-cn -> zh-hans -> zh),
    then another form of the same language in sorted order; None when there is none."""
    lang = lang.lower()
    parts = lang.split("-")
    for k in range(len(parts), 0, -1):
        if "-".join(parts[:k]) in have:
            return "-".join(parts[:k])
    same = sorted(c for c in have if c.split("-")[0] == parts[0])
    return same[0] if same else None
