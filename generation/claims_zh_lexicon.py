"""Cutting Chinese text into stretches: a character trie of labels and of the language's words,
longest match, with numbers (digits and Chinese numerals) read as numbers.

Two tries are walked at each position: the graph's labels in the language (built once per graph
and language, cached while the graph lives) and the closed list of the language (relation heads and
tails from generation.phrasing_zh, connectives, negations, measure words, punctuation). The longest
match wins; on a tie a label beats a word and a word beats a number ("一起购买" is no numeral).
A label in Latin letters must end at a word boundary ("Lumière" is not read in "Lumièrex").
Letters are compared folded (lower case, no accents), one character for one, so offsets hold.

>>> from kg.vocab import default_vocabulary
>>> cut = segment("十二位顾客不常与它一起购买", {}, lexicon(default_vocabulary(), "zh"))[0]
>>> [(s.tok.word, s.kind) for s in cut]
[('12', 'NUM'), ('位', 'MEASURE'), ('顾客', 'CROWD'), ('不', 'NEG'), ('常与', 'REL'), ('它', 'PRON'), ('一起购买', 'TAIL')]
>>> fold_char("È"), fold_char("光")
('e', '光')
"""
from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from functools import lru_cache

from generation.labels import Entry, Tok, user_types
from generation.lang import get_language
from generation.lang.relabel import label_in
from generation.phrasing_zh import Head, phrase_table

END = "\0"
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.&-][A-Za-z0-9\u00c0-\u024f]+)*")
_QUOTE_CHARS = "“”\"«»‘’「」『』"
MAX_LABEL = 200  # characters: longer labels are descriptions, not names a sentence says


@lru_cache(maxsize=8192)
def fold_char(c: str) -> str:
    """One character compared folded: lower case, accents removed (one character back, or itself)."""
    f = unicodedata.normalize("NFKD", c)
    f = "".join(x for x in f if not unicodedata.combining(x)).casefold()
    return f if len(f) == 1 else c


def _fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def _insert(trie: dict, text: str, payload) -> None:
    node = trie
    for c in text:
        node = node.get(c) or node.setdefault(c, {})
    node.setdefault(END, payload)


def _walk(trie: dict, text: str, i: int) -> list[tuple[int, object]]:
    """Every (end, payload) of the trie starting at ``i``, shortest first."""
    out, node, j = [], trie, i
    while j < len(text):
        node = node.get(fold_char(text[j]))
        if node is None:
            break
        j += 1
        if END in node:
            out.append((j, node[END]))
    return out


# -- the closed list ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Lexicon:
    """The language's words as a character trie: text -> kind; relation heads with their senses."""

    trie: dict
    heads: dict[str, Head]


def _closed(mod) -> dict[str, str]:
    words: dict[str, str] = {}
    for kind, texts in (("USER", mod.USER_WORDS), ("CONJ", mod.CONJUNCTIONS), ("FILL", mod.CONNECTIVES),
                        ("NEG", mod.NEGATIONS), ("CROWD", mod.CROWD_NOUNS), ("MEASURE", mod.MEASURES),
                        ("STAR", mod.STARS), ("CUR", mod.CURRENCY_BEFORE), ("CURA", mod.CURRENCY_AFTER),
                        ("ORMORE", mod.OR_MORE), ("COMP", tuple(mod.COMPARISONS)), ("COMMA", mod.COMMAS),
                        ("HARD", mod.HARD), ("PRON", mod.PRONOUNS), ("LIKE", mod.LIKE), ("ATLEAST", mod.AT_LEAST),
                        ("OTHER", mod.OTHERS), ("QUOTE", tuple(_QUOTE_CHARS)), ("TYPE", mod.TYPE_WORDS), ("POSS", mod.POSSESSIVE),
                        ("LIKEEND", mod.LIKE_END)):
        for t in texts:
            words.setdefault(t, kind)
    return words


ZH = _closed(get_language("zh").module)


@lru_cache(maxsize=32)
def lexicon(vocab, lang: str) -> Lexicon:
    words = dict(_closed(get_language(lang).module))
    heads = phrase_table(vocab, lang)
    tails = {t for h in heads.values() for t in h.tails}
    trie: dict = {}
    for text in tails:
        words.setdefault(text, "TAIL")
    for text in heads:  # a relation head outranks a closed word of the same text ("含" the verb)
        words[text] = "REL"
    for text, kind in words.items():
        _insert(trie, _fold(text), (kind, text))
    return Lexicon(trie, heads)


# -- labels ---------------------------------------------------------------------------------------

_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def zh_label_index(graph, lang: str) -> dict:
    """A character trie of every node's label in ``lang`` (or the label it falls back to), and of
    user ids (never to be said); cached per graph and language."""
    per_graph = _INDEXES.setdefault(graph, {})
    trie = per_graph.get(lang)
    if trie is not None:
        return trie
    from generation.verify import norm  # one definition of how a label compares
    users = user_types(graph)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    closed = ZH
    for n in range(graph.n_nodes):
        t = graph.type_name(n)
        t = "User" if t in users else t
        key = graph.key(n)
        label = label_in(graph, n, lang)[0].strip()
        names = [label] + ([key] if t == "User" and key != label else [])
        for text in names:
            if len(text) < 2 or len(text) > MAX_LABEL or text in closed or _DIGITS.fullmatch(text):
                continue  # "人", "12": not names a sentence can be held to
            groups.setdefault(_fold(text), []).append((text, key, t))
    trie = {}
    for folded, rows in groups.items():
        entry = Entry(norm(rows[0][0]), tuple(dict.fromkeys(r[0] for r in rows)),
                      tuple(dict.fromkeys(r[1] for r in rows)), frozenset(r[2] for r in rows))
        _insert(trie, folded, ("LABEL", entry))
    per_graph[lang] = trie
    return trie


# -- cutting --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """One stretch: its token (word as the clause reader compares it), kind, and label entry."""

    tok: Tok
    kind: str  # LABEL REL TAIL NUM USER CONJ FILL NEG CROWD MEASURE STAR ... LATIN UNKNOWN
    entry: Entry | None = None


def _boundary_ok(text: str, end: int) -> bool:
    """A match ending in a Latin letter or digit must not run on into another ("Lumièrex")."""
    last = text[end - 1]
    return CJK.match(last) is not None or end >= len(text) or not (text[end].isalnum() and not CJK.match(text[end]))


def _number(text: str, i: int, mod) -> tuple[int, float] | None:
    m = _DIGITS.match(text, i)
    if m:
        return m.end(), float(m.group(0))
    j = i
    while j < len(text) and j - i < 12 and (text[j] in mod.DIGITS or text[j] in mod.POWERS):
        j += 1
    for end in range(j, i, -1):  # the longest run that is a numeral
        v = mod.numeral_value(text[i:end])
        if v is not None:
            return end, float(v)
    return None


def segment(text: str, labels: dict, lex: Lexicon, lang: str = "zh") -> tuple[list[Segment], list[tuple[int, int]]]:
    """The stretches of ``text``, and the spaces that stand between two CJK characters."""
    mod = get_language(lang).module
    out: list[Segment] = []
    spaces: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if i > 0 and j < n and CJK.match(text[i - 1]) and CJK.match(text[j]):
                spaces.append((i, j))
            i = j
            continue
        best: tuple[int, int, Segment] | None = None  # (end, rank, segment): longest, then label > word > number
        for end, (kind, value) in _walk(labels, text, i):
            if _boundary_ok(text, end):
                best = max(best or (0, 0, None), (end, 3, Segment(Tok(value.norm, text[i:end], i, end), kind, value)),
                           key=lambda b: b[:2])
        for end, (kind, value) in _walk(lex.trie, text, i):
            if _boundary_ok(text, end) and (best is None or (end, 2) > best[:2]):
                best = (end, 2, Segment(Tok(value, text[i:end], i, end), kind))
        num = _number(text, i, mod)
        if num is not None and (best is None or (num[0], 1) > best[:2]):
            word = str(int(num[1])) if num[1].is_integer() else str(num[1])
            best = (num[0], 1, Segment(Tok(word, text[i:num[0]], i, num[0]), "NUM"))
        if best is not None:
            out.append(best[2])
            i = best[0]
            continue
        latin = _LATIN.match(text, i)
        if latin is not None:
            end = latin.end()
            out.append(Segment(Tok(_fold(text[i:end]), text[i:end], i, end), "LATIN"))
            i = end
            continue
        if out and out[-1].kind == "UNKNOWN" and out[-1].tok.end == i:  # unread characters: one stretch
            prev = out[-1].tok
            out[-1] = Segment(Tok(prev.word + text[i], prev.raw + text[i], prev.start, i + 1), "UNKNOWN")
        else:
            out.append(Segment(Tok(text[i], text[i], i, i + 1), "UNKNOWN"))
        i += 1
    return out, spaces
