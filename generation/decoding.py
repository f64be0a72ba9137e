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
                   "products", "a", "an", ",", ".", ";", "'s", "%", "$", "£", "€", "+", "-"} | set("0123456789")
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


# -- languages written without spaces (Chinese): a whitelist of characters, not of words -------------

def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet (printable stand-ins for the 256 bytes) back to bytes."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in keep:
            chars[chr(b)] = b
        else:
            chars[chr(256 + extra)] = b
            extra += 1
    return chars


def _split_utf8(data: bytes) -> tuple[bytes, str, bytes] | None:
    """A token's bytes as (end of a character begun before it, whole characters, start of a character
    it leaves open); None when the bytes cannot be part of UTF-8 text."""
    k = 0
    while k < len(data) and k < 3 and 0x80 <= data[k] < 0xC0:
        k += 1
    head, rest = data[:k], data[k:]
    for cut in range(len(rest), max(-1, len(rest) - 4), -1):
        try:
            return head, rest[:cut].decode("utf-8"), rest[cut:]
        except UnicodeDecodeError:
            continue
    return None


class CharPieces:
    """Token ids made only of allowed characters (byte-level pieces of one character count as that
    character): decoding of a language without word boundaries is restricted per character."""

    def __init__(self, tokenizer):
        decoder = _byte_decoder()
        self.parts: list[tuple[int, bytes, frozenset[str], bytes]] = []
        for token, i in tokenizer.get_vocab().items():
            if all(c in decoder for c in token):
                data = bytes(decoder[c] for c in token)
            else:  # an added token (a slot with its space) or a piece of a tokenizer that is not byte-level
                data = tokenizer.convert_tokens_to_string([token]).encode("utf-8")
            split = _split_utf8(data)
            if split is not None:
                self.parts.append((i, split[0], frozenset(split[1]), split[2]))
        self.cache: dict[frozenset[str], frozenset[int]] = {}
        self.chars = frozenset(c for _, _, whole, _ in self.parts for c in whole)  # every character it can write

    def ids(self, chars: frozenset[str]) -> frozenset[int]:
        got = self.cache.get(chars)
        if got is None:
            codes = [c.encode("utf-8") for c in chars]
            heads = {e[k:] for e in codes for k in range(1, len(e))}  # a character's end, or its middle
            heads |= {e[a:b] for e in codes for a in range(1, len(e)) for b in range(a + 1, len(e))}
            tails = {e[:k] for e in codes for k in range(1, len(e))}
            got = frozenset(i for i, head, whole, tail in self.parts
                            if whole <= chars and (not head or head in heads) and (not tail or tail in tails)
                            and (head or whole or tail))
            if len(self.cache) < 4096:
                self.cache[chars] = got
        return got


NO_SPACES = ("zh", "ja")  # languages written without spaces between words: restricted per character
_PLACEHOLDER = re.compile(r"\{\w+\}")
# Lists of a language module (generation/lang/<code>.py) that hold no words a sentence may say
_NOT_SAID = ("RELATIONS", "NEGATIONS", "NAME")
_NUMBERS = frozenset("0123456789.%+")


def _chars_of(value) -> set[str]:
    """Characters of a phrase, a list of phrases or a table's keys, placeholders and Latin letters left out."""
    if isinstance(value, str):
        return {c for c in _PLACEHOLDER.sub("", value) if not c.isascii() or not c.isalpha()}
    if isinstance(value, dict):
        return {c for k, v in value.items() for c in _chars_of(k) | (_chars_of(v) if isinstance(v, str) else set())}
    if isinstance(value, (set, frozenset, tuple, list)):
        return {c for v in value if isinstance(v, str) for c in _chars_of(v)}
    return set()


@lru_cache(maxsize=8)
def language_chars(lang: str) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]] | None:
    """(characters any sentence in ``lang`` may hold: its connectives, counts, numerals, punctuation;
    default relation name as model input writes it -> the characters of all its phrasings), from the
    language layer; None when there is none for ``lang``."""
    try:
        from generation.lang import get_language
        module = get_language(lang).module
    except (ImportError, LookupError, ValueError):
        return None
    base = set(_NUMBERS)
    for key, value in vars(module).items():
        if key.isupper() and key not in _NOT_SAID:
            base |= _chars_of(value)
    relations = tuple((name.replace("_", " "), frozenset(c for texts in spec.values() for c in _chars_of(texts)))
                      for name, spec in getattr(module, "RELATIONS", {}).items())
    return frozenset(c for c in base if c.isprintable() and not c.isspace()), relations


@lru_cache(maxsize=4096)
def allowed_chars(source: str, lang: str, every: frozenset[str]) -> frozenset[str]:
    """Every character a sentence for ``source`` may hold in ``lang`` (a language without spaces): the
    characters of the chain's own words in the language (a shop's relation phrases; names are slots),
    the phrasings of the default relations it names, the language's closed list. No whitespace, unless
    a shop's phrase mixes in a Latin word ("的product line是"); no other Latin letters (names and
    numbers come from slots). Without the language's tables: ``every`` (the characters the tokenizer
    knows) less whitespace and Latin letters."""
    tables = language_chars(lang)
    if tables is None:
        return frozenset(c for c in every if c.isprintable() and not c.isspace() and not ("a" <= c.lower() <= "z"))
    base, relations = tables
    body = SLOT.sub(" ", source.split(" | ", 1)[1] if source.startswith("style ") else source)
    own = [w for w in body.split() if not w.isascii()]
    chars = set(base).union(*own) if own else set(base)
    mixed = any(any(c.isascii() and c.isalpha() for c in w) for w in own)
    lowered = f" {body.lower()} "
    for name, said in relations:
        if f" {name} " in lowered:
            chars |= said
    return frozenset(c for c in chars if c.isprintable() and not c.isspace()) | ({" "} if mixed else frozenset())
