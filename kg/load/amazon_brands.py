"""Brand (publisher) names as Amazon spells them, resolved to one node per brand.

The 2018 metadata spells one publisher many ways: "Conde Nast Publications", "Cond Nast
Publications" (the é lost in an old encoding), "Conde' Nast Publications", "Meredith" and
"Meredith Corporation", "Bonnier Corpiration". We merge in three general steps, never with
a list of known brands:

1. a *key*: accents and case folded, punctuation dropped, and trailing legal or publishing
   words ("Inc", "LLC", "Corporation", "Publications", ...) removed;
2. keys (or full names) one edit apart (a dropped, added or changed letter) merge when
   both are frequent (at least ``MIN_COUNT`` items each) and long enough that one letter
   is a typo, not a different name (``MIN_LENGTH`` in all, ``MIN_WORD`` in the word);
3. each group keeps the key of its most frequent member and, as label, the most common
   original spelling. Ties go to the longer spelling (a dropped letter is the usual typo),
   then to the text's order, so the result never depends on file order.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# Words that name the kind of company, not the company; removed from the end of a key.
LEGAL_WORDS = frozenset("inc incorporated llc llp lp ltd limited co corp corporation company plc gmbh mbh kg ag sa "
                        "spa srl bv pty".split())
PUBLISHING_WORDS = frozenset("publications publication publishing publishers publisher publ publs pub "
                             "group holdings magazines".split())
MIN_COUNT = 2  # items a spelling needs before a one-letter difference counts as a typo
MIN_LENGTH = 8  # characters in the shorter key; "time" and "tim" stay apart
MIN_WORD = 5  # letters in the word holding the typo
MAX_BRAND = 200  # longer "brands" are page debris, not names


def clean_brand(raw: str) -> str:
    """The brand as people write it: entities decoded, whitespace collapsed; '' for debris."""
    text = " ".join(html.unescape(raw or "").split())
    if len(text) > MAX_BRAND or any(c in text for c in "{}<>"):
        return ""
    return text


def _fold(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’.`]", "", plain)  # "Conde' Nast", "E.C." -> "conde nast", "ec"
    return re.sub(r"[\W_]+", " ", plain).split()


def brand_key(name: str) -> str:
    """A spelling-insensitive key: ``"Condé Nast Publications, Inc."`` -> ``"conde nast"``."""
    words = _fold(name)
    while len(words) > 1 and (words[-1] in LEGAL_WORDS or words[-1] in PUBLISHING_WORDS):
        words.pop()
    return " ".join(words)


def slug(text: str) -> str:
    """Key text as one IRI path segment: ``"conde nast"`` -> ``"conde-nast"``."""
    return "-".join(_fold(text)) or "unnamed"


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one inserted, deleted or substituted letter, inside a word
    of at least ``MIN_WORD`` letters ("conde"/"cond", not "abc"/"abd", which name other firms)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        same = a[i + 1:] == b[i + 1:] and a[i].isalpha() and b[i].isalpha()
    else:
        same = a[i:] == b[i + 1:] and b[i].isalpha()
    end = b.find(" ", i)
    return same and (len(b) if end < 0 else end) - (b.rfind(" ", 0, i) + 1) >= MIN_WORD


def _neighbours(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of keys one edit apart, found through shared one-deletion variants (no n^2 scan)."""
    buckets: dict[str, list[str]] = {}
    for k in keys:
        for variant in {k} | {k[:i] + "\0" + k[i + 1:] for i in range(len(k))} | {k[:i] + k[i + 1:] for i in range(len(k))}:
            buckets.setdefault(variant, []).append(k)
    pairs = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a != b and _one_edit(a, b):
                    pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


@dataclass(frozen=True)
class Brands:
    """Resolved brands: spelling -> group key, and each group key's label."""

    key_of: dict[str, str]  # cleaned spelling -> group key
    label_of: dict[str, str]  # group key -> most common spelling

    def resolve(self, raw: str) -> tuple[str, str] | None:
        """(IRI segment, label) of a brand as written, or None when there is no brand."""
        name = clean_brand(raw)
        if not name:
            return None
        key = self.key_of.get(name) or brand_key(name)
        return slug(key), self.label_of.get(key, name)


def resolve_brands(spellings: Counter[str]) -> Brands:
    """Group spellings (with how many items use each) into brands."""
    spellings = _clean_counts(spellings)
    key_count: Counter[str] = Counter()
    form_count: Counter[str] = Counter()  # keys and full folded names, both compared for typos
    form_keys: dict[str, set[str]] = {}
    for name, count in spellings.items():
        key, full = brand_key(name), " ".join(_fold(name))
        key_count[key] += count
        for form in {key, full}:
            form_count[form] += count
            form_keys.setdefault(form, set()).add(key)
    parent = {k: k for k in key_count}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for form, keys in form_keys.items():  # "Meredith" and "Meredith Corporation" share the key already
        for k in keys:
            union(min(keys), k)
    frequent = sorted(f for f, c in form_count.items() if c >= MIN_COUNT and len(f) >= MIN_LENGTH)
    for a, b in _neighbours(frequent):  # "cond nast" ~ "conde nast", "bonnier corpiration" ~ "... corporation"
        union(min(form_keys[a]), min(form_keys[b]))
    head: dict[str, str] = {}  # group root -> the key of its most frequent member (longer, then smaller)
    groups: dict[str, list[str]] = {}
    for k in sorted(key_count):
        groups.setdefault(find(k), []).append(k)
    for members in groups.values():
        best = min(members, key=lambda k: (-key_count[k], -len(k), k))
        head.update((k, best) for k in members)
    key_of = {name: head[brand_key(name)] for name in spellings}
    votes: dict[str, Counter[str]] = {}
    for name, count in spellings.items():
        votes.setdefault(key_of[name], Counter())[name] += count
    label_of = {key: min(c, key=lambda s: (-c[s], -len(s), s)) for key, c in votes.items()}
    return Brands(key_of, label_of)


def _clean_counts(spellings: Counter[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for raw, count in spellings.items():
        name = clean_brand(raw)
        if name:
            out[name] += count
    return out


_LEGAL_TAIL = re.compile(r"[\s,]+(?:" + "|".join(sorted(LEGAL_WORDS)) + r")\.?$", re.I)


def short_brand(label: str) -> str:
    """A brand label without its legal form, for running text: 'Trusted Media Brands, Inc.' -> '... Brands'."""
    text = label
    while (shorter := _LEGAL_TAIL.sub("", text)) != text and shorter:
        text = shorter
    return text
