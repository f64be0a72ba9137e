"""Decoding restricted to the chain's own words: the model may only write tokens of its input's
words, of the phrases of the relations its input names, or of a short list of connectives.

The closed-world verifier is the guarantee (a sentence that says anything else is refused); this
mask keeps the model's share high by never spending a beam on a word that would be refused, e.g.
"smells of" learnt from another catalog when the input says "is directed by". Byte-level BPE
pieces of the allowed words are allowed, so the mask is a whitelist of pieces, not of words.

>>> sorted(w for w in allowed_words("why <ITEM> | same brand : you purchased <P1> ; <P1> brand <B1>")
...        if w in ("bought", "made", "smells", "by"))
['bought', 'by', 'made']
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from generation.labels import COMPARISONS, CONNECTIVES, CROWD_NOUNS, RELATIVE, USER_WORDS
from generation.linearize import SLOT

# Words any sentence may use besides its chain's own: the reader's connectives, numbers' words,
# the user's words, the neutral words for people, and the nouns of the natural frames.
_BASE = frozenset({"and", "like", "it", "its", "their", "they", "is", "are", "was", "were", "has", "have", "had",
                   "of", "one", "stars", "star", "out", "or", "more", "other", "people", "others", "product",
                   "products", "a", "an", ",", ".", ";", "'s", "%", "$", "£", "€", "+"} | set("0123456789")
                  ) | CONNECTIVES | RELATIVE | USER_WORDS | {w for key in COMPARISONS for w in key}
_WORD = re.compile(r"[\w']+|[^\w\s]")
_DEFAULT_WORDS: dict[str, frozenset[str]] | None = None


def _default_relation_words() -> dict[str, frozenset[str]]:
    """Default relation name as written in model input ("also bought") -> the words of all its phrasings."""
    global _DEFAULT_WORDS
    if _DEFAULT_WORDS is None:
        from generation.phrasing import phrasing
        from kg.vocab import DEFAULT_RELATIONS

        out = {}
        for rel in DEFAULT_RELATIONS:
            ph = phrasing(rel.name)
            texts = ph.verbs + ph.patterns + ph.user + ph.score + ph.crowd + ph.inverse
            out[rel.name.replace("_", " ")] = frozenset(w for t in texts for w in _words(t) if "{" not in w)
        _DEFAULT_WORDS = out
    return _DEFAULT_WORDS


def _words(text: str) -> list[str]:
    return _WORD.findall(re.sub(r"\{\w+\}", " ", text.lower()))


@lru_cache(maxsize=4096)
def allowed_words(source: str) -> frozenset[str]:
    """Every word a sentence for ``source`` (a linearized chain, styled or not) may be made of."""
    body = SLOT.sub(" ", source.split(" | ", 1)[1] if source.startswith("style ") else source).lower()
    words = set(_words(body)) | _BASE
    for name, said in _default_relation_words().items():
        if f" {name} " in f" {body} ":
            words |= said
    words |= {n for n in CROWD_NOUNS if n in words}
    return frozenset(words)


class WordPieces:
    """Token ids of each word in the forms a sentence can hold it (after a space or not, capitalised)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.cache: dict[str, tuple[int, ...]] = {}

    def ids(self, words: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for w in words:
            got = self.cache.get(w)
            if got is None:
                forms = {w, " " + w, w.capitalize(), " " + w.capitalize()}
                got = tuple({i for f in forms for i in self.tokenizer.encode(f, add_special_tokens=False)})
                self.cache[w] = got
            out.update(got)
        return out
