"""Reading a sentence back into claims: who or what it names, and what it says about them.

Names are found by longest match against every node label of the graph (case- and
accent-insensitive, whole tokens), through a token trie built once per graph. Numbers ("4 stars",
"$24.99", "12 shoppers"), the user ("you", "your"), relation phrases (from
:mod:`generation.phrasing`, the same lists that write sentences), negations and a few
function words ("which", "like", "its", "and") are then joined into (subject, relation, object)
claims, clause by clause. Reading is deliberately literal: a phrase whose subject or object cannot
be found becomes a claim with a missing side, which the verifier rejects.
"""
from __future__ import annotations

from generation.phrasing import FILLER, relation_phrases
from generation.labels import (  # tokenize, label_index, LabelIndex: re-exported for callers
    CONJUNCTIONS, CONNECTIVES, CROWD_NOUNS, HARD, LabelIndex, NEGATIONS, POSSESSIVE, PRONOUNS, RELATIVE, SLOT,
    USER_WORDS, label_index, tokenize)
from generation.claims_types import Claim, Item as _Item, Mention, Reading  # noqa: F401  re-exported
from generation.claims_values import _QUOTES, ValueReading, _comparisons  # noqa: F401
from generation.claims_clauses import _ARGS, ClauseReading  # noqa: F401


def read_claims(sentence: str, graph, lang: str = "en") -> Reading:
    """Every mention and claim of ``sentence``, read against ``graph``'s labels and vocabulary
    (``lang``: the language it is written in; Chinese is read by generation.claims_zh)."""
    if lang != "en":
        from generation.lang import get_language
        from generation.claims_zh import read_claims_zh  # builds on this module's reader
        return read_claims_zh(sentence, graph, get_language(lang).code)
    return _Reader(sentence, graph).read()


_TRIES: dict[int, tuple[object, dict]] = {}


def _phrase_trie(vocab) -> dict:
    cached = _TRIES.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    trie: dict = {}
    for phrase, senses in relation_phrases(vocab).items():
        node = trie
        for w in phrase.split():
            node = node.setdefault(w, {})
        node[LabelIndex.END] = (phrase, senses)
    _TRIES[id(vocab)] = (vocab, trie)
    return trie


def stream_word(word: str) -> str | None:
    """A token as phrase matching sees it: auxiliaries unified, filler dropped (None)."""
    if word in ("has", "have", "had"):
        return "has"
    word = {"are": "is", "was": "is", "were": "is", "be": "is", "been": "is", "'s": "is"}.get(word, word)
    return None if word in FILLER else word



# -- the reader: tokens -> items (values: claims_values.py; items -> claims: claims_clauses.py) ----

class _Reader(ValueReading, ClauseReading):
    """One sentence: tokens -> items -> claims. Internal; use :func:`read_claims`. Another
    language's reader (generation.claims_zh) overrides the token-level methods."""

    OTHERS = ("other", "more")  # "12 other shoppers"
    CROWD = CROWD_NOUNS
    lang = "en"

    def __init__(self, sentence: str, graph):
        self.text = sentence
        self.graph = graph
        self.vocab = graph.vocab
        self.index = label_index(graph)
        self.ptrie = _phrase_trie(graph.vocab)
        self.extra: list[Mention] = []

    # tokens -> items
    def read(self) -> Reading:
        blanked = self.text
        for m in SLOT.finditer(self.text):  # an unfilled slot token: never a name, always reported
            self.extra.append(Mention("slot", m.group(0), m.start(), m.end()))
            blanked = blanked[:m.start()] + " " * (m.end() - m.start()) + blanked[m.end():]
        self.toks = self._tokenize(blanked)
        every = self._items()
        # connectives, unread words and comparisons are checked apart; claims are built from the rest
        self.items = [it for it in every if it.kind not in ("FILL", "UNREAD", "COMP")]
        pronouns = self._its()
        self._clauses()
        claims = self._claims()
        mentions = [it.mention for it in self.items if it.mention is not None and it.kind not in ("REL", "NEG")]
        mentions = sorted(mentions + self.extra, key=lambda m: (m.start, m.end))
        unread = tuple(it.mention for it in every if it.kind == "UNREAD")
        negations = tuple(self._mention("negation", it.i, it.j) for it in every if it.kind == "NEG" or (
            it.kind == "REL" and it.negated))
        return Reading(self.text, tuple(mentions), tuple(claims), unread, negations, _comparisons(every), self.lang,
                       pronouns)

    def _its(self) -> tuple[tuple[Mention, Mention | None, bool], ...]:
        """Each "it" becomes a name of what it stands for, at its own place: the checks on names then
        hold for it too (said in a claim, not dangling, not looping: "X, and it and it and it")."""
        out = []
        for k, it in enumerate(self.items):
            if it.kind == "PRON" and it.word == "it":
                word = self._mention("pronoun", it.i, it.j)
                said, two = self._it(k)
                out.append((word, said, two))
                if said is not None and said.entry is not None:
                    self.items[k] = _Item("ENT", it.i, it.j, it.word,
                                          Mention("entity", word.text, word.start, word.end, entry=said.entry))
        return tuple(out)

    def _kind_of_item(self, x: _Item) -> bool:
        """A thing "it" may stand for: a name of the catalog's items, or a name the graph lacks."""
        if x.kind == "NAME":
            return True
        items = getattr(self.graph, "item_types", None) or frozenset()
        return x.kind == "ENT" and bool(x.mention.entry.types & items)

    def _it(self, k: int) -> tuple[Mention | None, bool]:
        """What "it" at item ``k`` stands for: the item-like name said last before it, and whether
        another one was said before it too (two candidates: the word is ambiguous)."""
        before = [x for x in self.items[:k] if self._kind_of_item(x)]
        if not before:
            return None, False
        return before[-1].mention, len({x.mention.norm for x in before}) > 1

    def _items(self) -> list[_Item]:
        toks, out, i = self.toks, [], 0
        while i < len(toks):
            t = toks[i]
            ent = self.index.longest(toks, i)
            rel = self._phrase(i, out)
            if ent is not None and not (rel is not None and ent[0] - i == 1 and t.raw.islower()):
                out.append(_Item("ENT", i, ent[0], t.word, self._mention("entity", i, ent[0], entry=ent[1])))
                i = ent[0]
                continue
            quoted = self._quoted(i)
            if quoted is not None:  # a text value said in quotes: "You tagged X “feel-good”"
                out.append(_Item("VAL", i, quoted[0], t.word, quoted[1]))
                i = quoted[0]
                continue
            if t.word == "as" and i + 1 < len(toks) and toks[i + 1].word == "in":  # "as in X": like X
                out.append(_Item("LIKE", i, i + 2, "like"))
                i += 2
                continue
            val = self._value(i)
            if val is not None:
                j, mention = val
                k = j + 1 if j < len(toks) and toks[j].word in self.OTHERS else j
                if k < len(toks) and toks[k].word in self.CROWD and mention.unit in ("", "N"):
                    out.append(_Item("CROWD", i, k + 1, "crowd", self._mention("crowd", i, k + 1, value=mention.value)))
                    i = k + 1
                else:
                    out.append(_Item("VAL", i, j, t.word, mention))
                    i = j
                continue
            if rel is not None:
                j, phrase, senses, negated = rel
                out.append(_Item("REL", i, j, phrase, phrase=phrase, senses=senses, negated=negated))
                i = j
                continue
            comp = self._comparison(i)
            if comp is not None:
                j, op = comp
                out.append(_Item("COMP", i, j, t.word, self._mention("comparison", i, j, op=op)))
                i = j
                continue
            out.extend(self._word(i, out))
            i += 1
        return self._merge_names(out)

    def _tokenize(self, text: str) -> list:
        return tokenize(text)

    def _mention(self, kind: str, i: int, j: int, **kw) -> Mention:
        start, end = self.toks[i].start, self.toks[j - 1].end
        return Mention(kind, self.text[start:end], start, end, **kw)

    def _phrase(self, i: int, before: list[_Item]):
        toks = self.toks
        w = stream_word(toks[i].word)
        if w is None or (toks[i].word == "'s" and before and before[-1].kind == "ENT"):
            return None  # "Lumière's": a possessive, not "is"
        node = self.ptrie.get(w)
        if node is None:
            return None
        best = (i + 1, *node[LabelIndex.END], False) if LabelIndex.END in node else None
        j, negated = i + 1, False
        while j < len(toks):
            w = stream_word(toks[j].word)
            if w is None or (w in NEGATIONS and j + 1 < len(toks)):
                negated = negated or w is not None
                j += 1
                continue
            node = node.get(w)
            if node is None:
                break
            j += 1
            if LabelIndex.END in node:
                best = (j, *node[LabelIndex.END], negated)
        if best is not None and best[1] == "has":  # "you have rated": an auxiliary, not "contains"
            k = i + 1
            while k < len(toks) and stream_word(toks[k].word) is None:
                k += 1
            if k < len(toks) and (stream_word(toks[k].word) in self.ptrie or toks[k].word in NEGATIONS):
                return None
        return best

    def _word(self, i: int, before: list[_Item]) -> list[_Item]:
        t = self.toks[i]
        w = t.word
        if w in USER_WORDS:
            return [_Item("USER", i, i + 1, w, self._mention("user", i, i + 1))]
        if w in RELATIVE or w in PRONOUNS:
            return [_Item("PRON", i, i + 1, w)]
        if w in POSSESSIVE:
            return [_Item("POSS", i, i + 1, w)]
        if w in CROWD_NOUNS:
            return [_Item("CROWD", i, i + 1, w, self._mention("crowd", i, i + 1))]
        kinds = {"like": "LIKE", ",": "COMMA", "a": "ART", "an": "ART", "of": "OF"}
        if w in kinds:
            return [_Item(kinds[w], i, i + 1, w)]
        if w in CONJUNCTIONS:
            return [_Item("CONJ", i, i + 1, w)]
        if w in HARD:
            return [_Item("HARD", i, i + 1, w)]
        if w in NEGATIONS:
            return [_Item("NEG", i, i + 1, w)]
        if w in CONNECTIVES:
            return [_Item("FILL", i, i + 1, w)]
        start = i == 0 or self.toks[i - 1].word in (".", "!", "?", '"', "“")
        if t.raw[:1].isupper() and not start and w != "i":  # a capitalised name the graph does not know
            return [_Item("NAME", i, i + 1, w, self._mention("unknown", i, i + 1))]
        # the closed world: any other word is something the sentence says that no part of it can read
        return [_Item("UNREAD", i, i + 1, w, self._mention("unread", i, i + 1))]

    def _merge_names(self, items: list[_Item]) -> list[_Item]:
        out: list[_Item] = []
        for it in items:
            if it.kind == "NAME" and out and out[-1].kind == "NAME" and out[-1].j == it.i:
                out[-1] = _Item("NAME", out[-1].i, it.j, it.word, self._mention("unknown", out[-1].i, it.j))
            else:
                out.append(it)
        return out

    def _clauses(self) -> None:
        clause, sentence = 0, 0
        self.clause_kind = {0: "start"}
        for k, it in enumerate(self.items):
            if it.kind == "PRON" and it.word in RELATIVE and k > 0 and self.items[k - 1].kind == "COMMA":
                self.clause_kind[clause] = "relative"  # ", which you bought": its words serve only it
            if it.kind in ("COMMA", "CONJ", "HARD"):
                clause += 1
                self.clause_kind[clause] = {"HARD": "start", "CONJ": "and"}.get(it.kind, "comma")
                if it.kind == "HARD":
                    sentence += 1
            it.clause, it.sentence = clause, sentence
