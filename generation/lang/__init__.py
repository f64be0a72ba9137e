"""Languages: everything whyrec says or reads that depends on the language, one module each.

In the spirit of spaCy's ``spacy/lang/``: ``en.py`` and ``zh.py`` hold the relation phrasings of
the default relations, the closed list of connectives, numbers and count forms, measure words or
articles, how names are joined ("A and B" / "A和B") and whether words are spaced. The writers
(generation.phrasing, generation.templates) and the readers (generation.claims, generation.claims_zh)
take their words from here, so a sentence can only use words its reader knows.

>>> get_language("zh").join_names(("甲", "乙", "丙"))
'甲、乙和丙'
>>> get_language("xx")
Traceback (most recent call last):
...
generation.errors.UnknownLanguage: E005 unknown language 'xx' (known: en, zh); use one of the languages generation/lang/ knows (the message lists them)
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType

from generation.errors import UnknownLanguage
from generation.lang import en, zh

_MODULES: dict[str, ModuleType] = {"en": en, "zh": zh}


@dataclass(frozen=True, eq=False)
class Language:
    """One language's words. ``spaced``: words are separated by spaces (English), or not (Chinese)."""

    code: str
    name: str
    spaced: bool
    relations: Mapping[str, Mapping[str, tuple[str, ...]]]
    audience: str  # the neutral noun for counted people: "people", "顾客"
    you: str  # the user: "you", "你"
    join_names: Callable[[tuple[str, ...] | list[str]], str]
    count_text: Callable[[int | str], str]
    module: ModuleType

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(_MODULES)


_CACHE: dict[str, Language] = {}


def get_language(code: str = "en") -> Language:
    """The language ``code`` ("en", "zh"; case and region ignored: "zh-CN" is "zh")."""
    key = str(code or "en").strip().lower().replace("_", "-").split("-")[0]
    lang = _CACHE.get(key)
    if lang is not None:
        return lang
    mod = _MODULES.get(key)
    if mod is None:
        raise UnknownLanguage("E005", f"unknown language {code!r} (known: {', '.join(_MODULES)})")
    lang = Language(key, mod.NAME, mod.SPACED, mod.RELATIONS, mod.AUDIENCE, mod.YOU, mod.join_names, mod.count_text, mod)
    _CACHE[key] = lang
    return lang


def languages() -> tuple[str, ...]:
    """Every language code generation/lang/ knows."""
    return tuple(_MODULES)
