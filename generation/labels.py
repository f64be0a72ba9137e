"""Words and names: the tokenizer and the per-graph label index the claim reader stands on.

Names are found by longest match against every node label of the graph (case- and
accent-insensitive, whole tokens), through a token trie built once per graph and cached.
"""

import gc
import re
import unicodedata
import weakref
from functools import lru_cache
from typing import NamedTuple

from kg.vocab import default_vocabulary
from generation.lang.en import (  # noqa: F401  the English closed list, re-exported under its old names
    COMPARISONS, CONJUNCTIONS, CONNECTIVES, CROWD_NOUNS, CURRENCY, HARD, NEGATIONS, POSSESSIVE, PRONOUNS,
    RELATIVE, STOP as _STOP, USER_WORDS, WORD_NUMBERS)

SLOT = re.compile(r"<(?:ITEM|[A-Z]+\d*)>")
_TOKEN = re.compile(r"\w+(?:[-.&/'’+]\w+)*|[^\w\s]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DEFAULT_VOCAB = default_vocabulary()
_LETTER = re.compile(r"[^\W\d_]")
_STARRED = re.compile(r"(\d+(?:\.\d+)?)-stars?")


class Tok(NamedTuple):  # a NamedTuple: tokenizing is the reader's hot loop
    word: str  # lower-case, accents removed
    raw: str
    start: int  # character offsets in the sentence
    end: int


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


_SPLITS = (("n't", "not"), ("'s", "'s"), ("'re", "are"), ("'ve", "have"), ("'ll", ""), ("'d", ""), ("'m", ""))


def tokenize(text: str) -> list[Tok]:
    """Words and punctuation with their offsets; contractions split ("isn't" -> is + not)."""
    out: list[Tok] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        word = _fold(raw)
        if "'" not in word:
            out.append(Tok(word, raw, m.start(), m.end()))
            continue
        for suffix, repl in _SPLITS:
            if word.endswith(suffix) and len(word) > len(suffix):
                base = word[: -len(suffix)]
                base = {"ca": "can", "wo": "will", "do": "do"}.get(base, base) if suffix == "n't" else base
                cut = m.start() + len(raw) - len(suffix)
                out.append(Tok(base, raw[: len(raw) - len(suffix)], m.start(), cut))
                if repl:
                    out.append(Tok(repl, raw[len(raw) - len(suffix):], cut, m.end()))
                break
        else:
            out.append(Tok(word, raw, m.start(), m.end()))
    return out


def label_words(text: str) -> tuple[str, ...]:
    """The words of a label exactly as :func:`tokenize` reads them (fast path for plain ASCII)."""
    if not text.isascii() or "'" in text:
        return tuple(t.word for t in tokenize(text))
    return tuple(_TOKEN.findall(text.lower()))


# -- the label index ------------------------------------------------------------------------------

class Entry(NamedTuple):  # a NamedTuple: 200,000 of them are made per large graph
    """Every node sharing one (folded) label."""

    norm: str
    labels: tuple[str, ...]
    keys: tuple[str, ...]
    types: frozenset[str]


def user_types(graph) -> frozenset[str]:
    """The type names of the graph's users (a catalog's own "Viewer" too), always with "User"."""
    return frozenset(getattr(graph, "user_types", ())) | {"User"}


def _initial(label: str) -> bool:
    """A one-letter name such as the magazine "W": a capital that is not a word of its own ("A", "I")."""
    text = label.strip()
    return len(text) == 1 and text.isupper() and text not in ("A", "I")


class LabelIndex:
    """A trie of label tokens -> Entry; built once per graph (see :func:`label_index`)."""

    END = "\0"

    def __init__(self, names: list[tuple[str, str, str]], aliases: tuple = ()):
        gc_was_on = gc.isenabled()
        gc.disable()  # hundreds of thousands of small dicts: the cyclic GC would rescan them over and over
        try:
            self._build(names)
            self._aliases(aliases)
        finally:
            if gc_was_on:
                gc.enable()

    def _build(self, names: list[tuple[str, str, str]]) -> None:
        self.trie: dict = {}
        self.size = 0
        END, trie = self.END, self.trie
        for label, key, type_name in names:
            words = label_words(label)
            if not words or (len(words) <= 3 and ((len(words) == 1 and len(words[0]) < 2 and not _initial(label))
                                                  or all(w in _STOP or not _LETTER.search(w) for w in words))):
                continue  # "New", "N/A", "42": not names a sentence can be held to
            node = trie
            for w in words:
                node = node.get(w) or node.setdefault(w, {})
            slot = node.get(END)
            if slot is None:  # entries stay lists while building; frozen below
                node[END] = ([label], [key], {type_name}, " ".join(words))
                self.size += 1
            else:
                slot[0].append(label)
                slot[1].append(key)
                slot[2].add(type_name)
        self._freeze(trie)

    def _freeze(self, trie: dict) -> None:
        stack = [trie]
        while stack:
            node = stack.pop()
            for w, child in node.items():
                if w == self.END:
                    labels, keys, types, norm = child
                    node[w] = Entry(norm, tuple(dict.fromkeys(labels)) if len(labels) > 1 else tuple(labels),
                                    tuple(dict.fromkeys(keys)) if len(keys) > 1 else tuple(keys), frozenset(types))
                else:
                    stack.append(child)

    def _aliases(self, aliases: tuple) -> None:
        """Short forms (generation.short.Alias) read as their node's full name. A form that is another
        node's name, or that two nodes share, is left out: it could mean either."""
        self.short: dict[tuple[str, ...], str] = {}  # form's words -> words of the brand it needs ("" none)
        self.short_of: dict[tuple[str, ...], str] = {}  # form's words -> the key of its node
        seen: dict[tuple[str, ...], set[str]] = {}
        for a in aliases:
            seen.setdefault(label_words(a.text), set()).add(a.key)
        # one node's form given twice (its short_label is also its brand-less name): the free one wins
        for a in sorted(aliases, key=lambda a: bool(a.needs_brand)):
            words = label_words(a.text)
            if len(seen[words]) > 1 or words in self.short_of or self._entry(words) is not None:
                continue
            node = self.trie
            for w in words:
                node = node.setdefault(w, {})
            node[self.END] = Entry(" ".join(label_words(a.label)), (a.label,), (a.key,), frozenset({a.type_name}))
            self.short[words], self.short_of[words] = a.needs_brand, a.key

    def _entry(self, words: tuple[str, ...]) -> Entry | None:
        node = self.trie
        for w in words:
            node = node.get(w)
            if node is None:
                return None
        return node.get(self.END)

    def allows(self, alias) -> bool:
        """True when ``alias`` is a form this index reads (not dropped as ambiguous)."""
        return self.short_of.get(label_words(alias.text)) == alias.key

    def longest(self, toks: list[Tok], i: int) -> tuple[int, Entry] | None:
        """The longest label starting at token ``i``: (end token, entry), or None."""
        node, best, j = self.trie, None, i
        while j < len(toks):
            node = node.get(toks[j].word)
            if node is None:
                break
            j += 1
            entry = node.get(self.END)
            if entry is not None and (len(entry.norm) > 1 or toks[j - 1].raw.isupper()):  # "W", never "w"
                best = (j, entry)
        return best


_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def label_index(graph) -> LabelIndex:
    """The graph's label index (cached while the graph lives): every node label, plus user ids."""
    index = _INDEXES.get(graph)
    if index is None:
        parts = graph.parts
        type_of: dict[int, str] = {}
        names: list[tuple[str, str, str]] = []
        users = user_types(graph)
        for n in range(graph.n_nodes):
            k = int(parts.node_class[n])
            t = type_of.get(k)
            if t is None:
                t = type_of[k] = graph.type_name(n)
            key = graph.key(n)
            if t in users:  # a catalog's own user type (Viewer) reads as a user too
                t = "User"
            names.append((parts.labels[n], key, t))
            if t == "User" and key != parts.labels[n]:  # a user's id is never to be said
                names.append((key, key, t))
        from generation.short import aliases  # the short forms the catalog allows
        index = LabelIndex(names, aliases(graph))
        _INDEXES[graph] = index
    return index
