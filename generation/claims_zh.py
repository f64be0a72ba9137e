"""Reading a Chinese sentence back into claims, closed-world, without word boundaries.

Chinese writes words together, so the sentence is first cut by longest match over characters
(:mod:`generation.claims_zh_lexicon`): every stretch must be a label of the graph (in Chinese, or
the label a node falls back to), a relation phrase of generation/lang/zh.py, a number (digits or
Chinese numerals: 十二, 两, 一百二十), or a word of the language's closed list (connectives,
negations, measure words, punctuation). What no list holds is unread, and so is a space between
two CJK characters. The stretches then go through the same clause reader as English
(generation.claims, generation.claims_clauses), so the verifier checks the same claims.

>>> from generation.claims_zh_lexicon import ZH
>>> ZH["不"], ZH["和"], ZH["，"], ZH["位"]
('NEG', 'CONJ', 'COMMA', 'MEASURE')
"""
from __future__ import annotations

from dataclasses import replace

from generation.claims import _Reader
from generation.claims_types import Item, Mention, Reading
from generation.claims_zh_lexicon import Segment, lexicon, segment, zh_label_index
from generation.labels import Tok
from generation.lang import get_language


def read_claims_zh(sentence: str, graph, lang: str = "zh") -> Reading:
    """Every mention and claim of a Chinese ``sentence``, read against ``graph``'s labels in ``lang``."""
    return _ZhReader(sentence, graph, lang).read()


_SIMPLE = {"USER": "USER", "PRON": "PRON", "LIKE": "LIKE", "COMMA": "COMMA", "HARD": "HARD", "NEG": "NEG",
           "CONJ": "CONJ", "POSS": "POSS"}
_WORD = {"CONJ": "and", "COMMA": ",", "HARD": ".", "LIKE": "like", "POSS": "its"}  # the English reader's own words for them


class _ZhReader(_Reader):
    """The English clause reader on Chinese stretches (one token per stretch)."""

    OTHERS = ("其他", "其他的", "另外")

    def __init__(self, sentence: str, graph, lang: str = "zh"):
        self.text = sentence
        self.graph = graph
        self.vocab = graph.vocab
        self.lang = lang
        self.language = get_language(lang).module
        self.names = zh_label_index(graph, lang)
        self.lex = lexicon(graph.vocab, lang)
        self.CROWD = self.language.CROWD_NOUNS
        self.index = self  # labels are whole stretches: see longest()
        self.extra: list[Mention] = []
        self.segments: list[Segment] = []
        self.spaces: list[Mention] = []

    def _tokenize(self, text: str) -> list[Tok]:
        self.segments, spaces = segment(text, self.names, self.lex)
        self.spaces = [Mention("unread", text[a:b], a, b) for a, b in spaces]
        self._likes_and_counts()
        return [s.tok for s in self.segments]

    def _likes_and_counts(self) -> None:
        """Where "和X一样" says "like X" (the 和, or the 的 before X in "和你买过的X一样"), and where a
        count stands apart from its crowd ("10位和你一样买过X的顾客": 10 counts 顾客)."""
        self.like_at: set[int] = set()
        self.quiet: set[int] = set()  # 和 of a like, a count's number and measure word: read, claim nothing
        self.count_of: dict[int, float] = {}  # crowd token -> its count
        kinds = [s.kind for s in self.segments]
        for i, kind in enumerate(kinds):
            end = next((j for j in range(i + 1, min(len(kinds), i + 10)) if kinds[j] in ("COMMA", "HARD", "LIKEEND")), None)
            if kind == "CONJ" and end is not None and kinds[end] == "LIKEEND" and kinds[end - 1] in ("LABEL", "USER", "PRON"):
                if end - 1 == i + 1:
                    self.like_at.add(i)
                elif self.segments[end - 2].tok.word == "的":
                    self.like_at.add(end - 2)
                    self.quiet.add(i)
            if kind == "NUM" and i + 2 < len(kinds) and kinds[i + 1] == "MEASURE" and kinds[i + 2] not in ("CROWD", "OTHER"):
                crowd = next((j for j in range(i + 2, min(len(kinds), i + 12)) if kinds[j] in ("CROWD", "COMMA", "HARD")),
                             None)
                if crowd is not None and kinds[crowd] == "CROWD" and self.segments[crowd - 1].tok.word == "的":
                    self.count_of[crowd] = float(self.segments[i].tok.word)
                    self.quiet |= {i, i + 1}

    def read(self) -> Reading:
        reading = super().read()
        if not self.spaces:
            return reading
        unread = tuple(sorted(reading.unread + tuple(self.spaces), key=lambda m: m.start))
        return replace(reading, unread=unread)

    # -- one stretch at a time ------------------------------------------------------------------
    def longest(self, toks: list[Tok], i: int):
        """A label stretch at ``i``: (i + 1, its entry); the cut already chose the longest."""
        s = self.segments[i]
        return (i + 1, s.entry) if s.kind == "LABEL" else None

    def _kind(self, i: int) -> str:
        return self.segments[i].kind if 0 <= i < len(self.segments) else ""

    def _phrase(self, i: int, before: list[Item]):
        if self._kind(i) != "REL" or self._tail_ok(self.toks[i].word, before):
            return None  # "你给X打了5星": 打了 closes 给's object here, it is no phrase of its own
        head = self.lex.heads[self.toks[i].word]
        return i + 1, self.toks[i].word, head.senses, False

    def _quoted(self, i: int):
        return super()._quoted(i) if self._kind(i) == "QUOTE" else None

    def _comparison(self, i: int):
        if self._kind(i) != "COMP":
            return None
        return i + 1, self.language.COMPARISONS[self.toks[i].word]

    def _value(self, i: int) -> tuple[int, Mention] | None:
        if i in self.quiet:
            return None
        n, j, unit, op = len(self.toks), i, "", "="
        if self._kind(j) == "CUR" and j + 1 < n:
            unit, j = "$", j + 1
        elif self._kind(j) == "ATLEAST" and j + 1 < n:
            op, j = ">=", j + 1
        if self._kind(j) != "NUM":
            return None
        number, k = float(self.toks[j].word), j + 1
        kind = self._kind(k)
        if kind == "CURA":
            unit, k = "$", k + 1
        elif kind == "STAR":
            unit, k = "stars", k + 1
        elif kind == "MEASURE" and self._kind(k + 1) in ("CROWD", "OTHER"):
            k += 1  # 12位顾客: the measure word belongs to the count
        if self._kind(k) == "ORMORE":
            op, k = ">=", k + 1
        return k, self._mention("value", i, k, value=number, unit=unit, op=op)

    def _word(self, i: int, before: list[Item]) -> list[Item]:
        kind, w = self._kind(i), self.toks[i].word
        if i in self.like_at:
            return [Item("LIKE", i, i + 1, "like")]
        if i in self.quiet:
            return [Item("FILL", i, i + 1, w)]
        if kind == "CROWD" and i in self.count_of:
            return [Item("CROWD", i, i + 1, w, self._mention("crowd", i, i + 1, value=self.count_of[i]))]
        if kind in _SIMPLE:
            item = Item(_SIMPLE[kind], i, i + 1, _WORD.get(kind, w))
            if kind == "USER":
                item.mention = self._mention("user", i, i + 1)
            return [item]
        if kind == "CROWD":
            return [Item("CROWD", i, i + 1, w, self._mention("crowd", i, i + 1))]
        if kind == "FILL":
            if w == "的" and before and before[-1].kind == "ENT" and self._kind(i + 1) == "LABEL":
                return [Item("POSS", i, i + 1, "'s")]  # X的Y: Y is something of X
            return [Item("FILL", i, i + 1, w)]
        if kind in ("TAIL", "REL") and self._tail_ok(w, before):
            return [Item("FILL", i, i + 1, w)]
        if kind in ("TYPE", "LIKEEND"):  # 品牌, 产品: the kind of a node; 一样: closes 和X一样
            return [Item("FILL", i, i + 1, w)]
        if kind == "OTHER" and self._kind(i + 1) == "CROWD":
            return [Item("FILL", i, i + 1, w)]
        if kind == "LATIN" and self.toks[i].raw[:1].isupper():
            return [Item("NAME", i, i + 1, w, self._mention("unknown", i, i + 1))]
        # the closed world: a stray tail, measure word or unit, and anything no list holds
        return [Item("UNREAD", i, i + 1, w, self._mention("unread", i, i + 1))]

    def _tail_ok(self, tail: str, before: list[Item]) -> bool:
        """A tail closes the object of its own head, in the same clause ("常与X一起购买")."""
        for it in reversed(before):
            if it.kind in ("COMMA", "HARD", "CONJ"):
                return False
            if it.kind == "REL":
                return tail in self.lex.heads[it.phrase].tails
        return False

    # -- clause-level differences ---------------------------------------------------------------
    def _subjects(self, k: int, targets: set[int], primary) -> list[int]:
        items = self.items
        m = k + 1
        while m < len(items) and m <= k + 3 and items[m].kind in ("ENT", "POSS"):
            m += 1
        if m > k + 1 and m < len(items) and items[m].kind == "CROWD" and self.toks[items[m].i - 1].word == "的":
            return [m]  # "买过(其)X的顾客": the crowd after the clause is who bought
        out = super()._subjects(k, targets, primary)
        if len(out) == 1 and out[0] > 0 and items[out[0]].kind == "ENT" and self._plural(items[k]):
            m = out[0] - 1
            while m > 0 and items[m].kind in ("USER", "REL"):  # "Y与你买过的P同属C": over the relative clause
                m -= 1
            if m > 0 and m < out[0] - 1 and items[m].kind == "CONJ" and items[m - 1].kind == "ENT":
                out.insert(0, m - 1)
        return out

    def _plural(self, it: Item) -> bool:
        both = self.language.BOTH
        return it.phrase.startswith((both, "同")) or (it.i > 0 and self.toks[it.i - 1].word in (both, "也都"))

    def _objects(self, k: int, subject: int | None):
        items = self.items
        objects, values = super()._objects(k, subject)
        if objects and items[objects[0]].kind == "USER" and objects[0] + 1 < len(items) \
                and items[objects[0] + 1].kind == "REL":  # "来自你喜爱的品牌Y": Y, the one you love
            head = next((m for m in range(objects[0] + 2, len(items)) if items[m].kind == "ENT"
                         and items[m].clause == items[k].clause), None)
            if head is not None:
                items[objects[0]].is_object = False  # 你 is the subject of 喜爱, not the object of 来自
                objects = [head]
        for o in objects:  # "你买过的X出自Y": X is bought, and still the subject of 出自
            it = items[o]
            if it.i >= 1 and self.toks[it.i - 1].word == "的" and any(
                    x.kind == "REL" and x.clause == it.clause and x.j <= it.i for x in items):
                it.is_object = False
        return objects, values
