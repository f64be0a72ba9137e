"""English articles: "a" or "an" by the sound of the name that follows (one place for templates,
the model's refilled sentences and the generic sentence)."""
from __future__ import annotations

import re

# "a"/"an" by the sound of the name that follows: "an ivory finish", "a unisex set", "an 8-piece set".
# Only the article a template or the model writes right before a slot is chosen: an "a" inside a
# name ("Gift Card in a Ornament Tin") is the catalog's and stays as it is.
_BEFORE_SLOT = re.compile(r"\b([Aa])n? $")
_AN_SOUND = re.compile(r"(?i)(?!uni|use|usu|uti|ura|ure|uro|eu|ewe|one\b|once)[aeiou]|hour|honest|honou?r|heir"
                       r"|8|11\b|18\b|8\d\b")


def article(word: str) -> str:
    """'a' or 'an' before ``word``, by its sound.

    >>> [article(w) for w in ("ivory", "matte", "unisex", "hour", "SPF", "UV", "8-piece")]
    ['an', 'a', 'a', 'an', 'an', 'a', 'an']
    """
    if len(word) > 1 and word.split()[0].isupper() and word.split()[0].isalpha():  # an initialism
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    return "an" if _AN_SOUND.match(word) else "a"


def with_article(before: str, name: str) -> str:
    """``before`` (the text up to a slot) with its trailing "a"/"an" chosen for ``name``."""
    m = _BEFORE_SLOT.search(before)
    if m is None or not name:
        return before
    art = article(name)
    return before[:m.start()] + (art if m.group(1) == "a" else art.capitalize()) + " "


def fill_articles(pattern: str, values: dict[str, str]) -> str:
    """``pattern`` with each "a {key}" given the article its value needs ("has an {o} finish")."""
    return re.sub(r"\b([Aa])n? \{(\w+)\}",
                  lambda m: with_article(m.group(1) + " ", str(values.get(m.group(2), ""))) + "{" + m.group(2) + "}",
                  pattern)
