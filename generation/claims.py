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

import re
from dataclasses import dataclass

from generation.phrasing import FILLER, Sense, relation_phrases
from generation.labels import (  # tokenize, label_index, LabelIndex: re-exported for callers
    COMPARISONS, CONJUNCTIONS, CONNECTIVES, CROWD_NOUNS, CURRENCY, Entry, HARD, LabelIndex,
    NEGATIONS, POSSESSIVE, PRONOUNS, RELATIVE, SLOT, USER_WORDS,
    WORD_NUMBERS, _DATE, _DEFAULT_VOCAB, _NUMBER, _STARRED, _fold,
    label_index, tokenize)


# -- mentions and claims --------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """Something a sentence names: an entity of the graph, the user, a number, a crowd, a slot
    token left unfilled, or a capitalised name the graph does not know."""

    kind: str  # "entity" | "user" | "value" | "crowd" | "slot" | "unknown" | "unread" | "negation" | "comparison"
    text: str
    start: int
    end: int
    entry: Entry | None = None  # entities
    value: float | str | None = None  # values (a number, or a date as text); crowd counts
    unit: str = ""  # "$", "stars", "date" for values
    op: str = "="  # ">=" for "4 stars or more"; a comparison's operator ("<=" for "within")

    @property
    def norm(self) -> str:
        return self.entry.norm if self.entry is not None else _fold(self.text)


@dataclass(frozen=True)
class Claim:
    """``subject relation object`` as the sentence says it; a side is None when it cannot be found.
    ``senses`` empty with ``any_relation`` means "some relation" (appositions, possessives)."""

    subject: Mention | None
    phrase: str
    senses: frozenset[Sense]
    object: Mention | None
    negated: bool = False
    values: tuple[Mention, ...] = ()
    origin: str = "phrase"  # "phrase" | "like" | "apposition" | "possessive" | "crowd"
    any_relation: bool = False
    span: tuple[int, int] = (0, 0)  # characters of the phrase (or marker word) in the sentence
    other: Mention | None = None  # a "like" claim: the side it replaced ("X stars in Y, as in Z")

    def swapped(self) -> Claim | None:
        """A "like" claim read the other way: the compared thing takes the object's place instead
        ("Noor stars in Y, as in Z": Noor stars in Z)."""
        if self.origin != "like" or self.other is None:
            return None
        return Claim(self.other, self.phrase, self.senses, self.subject, self.negated, (), "like", self.any_relation,
                     self.span)


@dataclass(frozen=True)
class Reading:
    """What a sentence says. ``unread``: stretches that are no name, value, phrase or connective of
    the closed list (the verifier refuses a sentence with any); ``comparisons``: "within", "cheaper
    than" ... with the value mentions on each side (None when a side is missing)."""

    sentence: str
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    unread: tuple[Mention, ...] = ()
    negations: tuple[Mention, ...] = ()
    comparisons: tuple[tuple[Mention, Mention | None, Mention | None], ...] = ()
    # each "it": (the word, the thing of the item's kind named last before it or None, whether two
    # different things of that kind were named before it: then "it" could mean either)
    pronouns: tuple[tuple[Mention, Mention | None, bool], ...] = ()

    def of_kind(self, kind: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind == kind)


def read_claims(sentence: str, graph) -> Reading:
    """Every mention and claim of ``sentence``, read against ``graph``'s labels and vocabulary."""
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


_QUOTES = {"“": ("”",), '"': ('"',), "«": ("»",), "‘": ("’",)}


def _comparisons(items: list["_Item"]) -> tuple[tuple[Mention, Mention | None, Mention | None], ...]:
    """Each comparison word with the nearest value before and after it, within its sentence."""
    out = []
    for k, it in enumerate(items):
        if it.kind != "COMP":
            continue
        end = next((m for m in range(k + 1, len(items)) if items[m].kind == "HARD"), len(items))
        start = next((m for m in range(k - 1, -1, -1) if items[m].kind == "HARD"), -1)
        before = next((x.mention for x in reversed(items[start + 1:k]) if x.kind == "VAL"), None)
        after = next((x.mention for x in items[k + 1:end] if x.kind == "VAL"), None)
        out.append((it.mention, before, after))
    return tuple(out)


# -- the clause reader ----------------------------------------------------------------------------

_ARGS = frozenset({"ENT", "USER", "CROWD", "PRON", "NAME"})  # NAME: a name the graph lacks
_PLURAL_WORDS = frozenset({"are", "were", "both", "contain", "come", "have", "suit", "go", "pair", "work",
                           "belong", "fall", "sit", "give", "leave", "cost", "use", "make", "include"})


@dataclass
class _Item:
    kind: str  # ENT USER VAL CROWD REL PRON POSS LIKE CONJ COMMA HARD NEG ART OF
    i: int  # first token
    j: int  # end token
    word: str
    mention: Mention | None = None
    phrase: str = ""
    senses: frozenset[Sense] = frozenset()
    negated: bool = False
    clause: int = 0
    sentence: int = 0
    is_object: bool = False  # already the object of a phrase in its clause


class _Reader:
    """One sentence: tokens -> items -> claims. Internal; use :func:`read_claims`."""

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
        self.toks = tokenize(blanked)
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
        return Reading(self.text, tuple(mentions), tuple(claims), unread, negations, _comparisons(every), pronouns)

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
                k = j + 1 if j < len(toks) and toks[j].word in ("other", "more") else j
                if k < len(toks) and toks[k].word in CROWD_NOUNS and mention.unit in ("", "N"):
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

    def _quoted(self, i: int) -> tuple[int, Mention] | None:
        """A quoted text (at most 12 tokens) as one value mention: its value is the text inside."""
        toks = self.toks
        close = _QUOTES.get(toks[i].raw)
        if close is None:
            return None
        for j in range(i + 1, min(len(toks), i + 14)):
            if toks[j].raw in close:
                if j == i + 1:
                    return None
                inner = self.text[toks[i].end:toks[j].start].strip()
                m = Mention("value", self.text[toks[i].start:toks[j].end], toks[i].start, toks[j].end, value=inner,
                            unit="text")
                return j + 1, m
        return None

    def _comparison(self, i: int) -> tuple[int, str] | None:
        words = tuple(t.word for t in self.toks[i:i + 2])
        for key, op in COMPARISONS.items():
            if words[:len(key)] == key:
                return i + len(key), op
        return None

    def _value(self, i: int) -> tuple[int, Mention] | None:
        toks, n = self.toks, len(self.toks)
        j, unit, op = i, "", "="
        if toks[j].word in CURRENCY and j + 1 < n:
            unit, j = "$", j + 1
        elif toks[j].word == "at" and j + 2 < n and toks[j + 1].word == "least":
            op, j = ">=", j + 2
        w = toks[j].word
        if _DATE.fullmatch(w):
            return j + 1, self._mention("value", i, j + 1, value=w, unit="date")
        star = _STARRED.fullmatch(w)
        if star:
            number, unit = float(star.group(1)), "stars"
        elif _NUMBER.fullmatch(w):
            number = float(w)
        elif w in WORD_NUMBERS and j + 1 < n and toks[j + 1].word in CROWD_NOUNS | {"star", "stars", "other"}:
            number = float(WORD_NUMBERS[w])
        else:
            return None
        k = j + 1
        words = [t.word for t in toks[k:k + 3]]
        if words[:1] and words[0] in ("star", "stars"):
            unit, k = "stars", k + 1
        elif words[:2] == ["out", "of"] and len(words) == 3 and _NUMBER.fullmatch(words[2]):
            # "4 out of 5": a score on its scale; "5 out of 4" is no score at all
            unit, k = ("stars" if float(words[2]) >= number else "impossible"), k + 3
        elif words[:1] == ["%"]:
            unit, k = "%", k + 1
        tail = [t.word for t in toks[k:k + 2]]
        if tail[:2] in (["or", "more"], ["or", "higher"], ["or", "above"], ["or", "better"], ["and", "up"]):
            op, k = ">=", k + 2
        elif tail[:1] == ["+"]:
            op, k = ">=", k + 1
        return k, self._mention("value", i, k, value=number, unit=unit, op=op)

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

    # items -> claims
    def _claims(self) -> list[Claim]:
        items = self.items
        self.like = {k: k + 1 for k, it in enumerate(items)
                     if it.kind == "LIKE" and k + 1 < len(items) and items[k + 1].kind in _ARGS}
        targets = set(self.like.values())
        claims: list[tuple[int, Claim]] = []  # (position of the phrase, claim)
        primary: list[tuple[int, Claim]] = []
        for k, it in enumerate(items):
            if it.kind != "REL":
                continue
            negated = it.negated or any(x.kind == "NEG" and x.clause == it.clause for x in items)
            subjects = self._subjects(k, targets, primary)
            subject = subjects[0] if subjects else None
            objects, values = self._objects(k, subject)
            for s in subjects or [None]:
                for o in objects or [None]:
                    claim = Claim(self._as_mention(s, k), it.phrase, it.senses, self._as_mention(o, k),
                                  negated, values, span=self._span(k))
                    claims.append((k, claim))
                    if not all(x.user_subject for x in it.senses):
                        primary.append((k, claim))
        claims += self._possessives() + self._crowds_of() + self._appositions(primary)
        claims.sort(key=lambda kc: kc[0])
        claims += self._likes(claims)
        claims.sort(key=lambda kc: kc[0])
        return [c for _, c in claims]

    def _span(self, k: int) -> tuple[int, int]:
        it = self.items[k]
        return self.toks[it.i].start, self.toks[it.j - 1].end

    def _as_mention(self, k: int | None, at: int) -> Mention | None:
        if k is None:
            return None
        if k < 0:  # the user, said by the phrase itself ("your budget is")
            it = self.items[at]
            return self._mention("user", it.i, it.j)
        return self.items[k].mention

    def _compatible(self, k: int, senses: frozenset[Sense]) -> bool:
        it = self.items[k]
        if it.kind == "VAL" or it.mention is None:
            return False
        if it.kind == "NAME":
            return True  # unknown: it may be anything, and the verifier rejects it
        types = {"User"} if it.kind in ("USER", "CROWD") else set(it.mention.entry.types)
        for s in senses:
            rel = self.vocab.get(s.relation) or _DEFAULT_VOCAB.get(s.relation)
            want = None if rel is None else (rel.range if s.inverted else rel.domain)
            if want is None or want in types or (want == "SkinType" and types & {"HairType"}):
                return True
        return False

    def _resolve(self, k: int, exclude: set[int] = frozenset()) -> int | None:
        """An argument item: pronouns resolved to what they stand for."""
        it = self.items[k]
        if it.kind != "PRON":
            return k
        if it.word == "it" and getattr(self.graph, "item_types", None):  # "it" is the item (see _it)
            return next((m for m in range(k - 1, -1, -1) if m not in exclude and self.items[m].kind == "ENT"
                         and self._kind_of_item(self.items[m])), None)
        want = ("ENT", "CROWD") if it.word in RELATIVE else ("ENT",)
        for m in range(k - 1, -1, -1):
            x = self.items[m]
            if x.kind in want and m not in exclude and x.sentence == it.sentence or (
                    it.word not in RELATIVE and x.kind == "ENT" and m not in exclude):
                return m
        return None

    def _subjects(self, k: int, targets: set[int], primary: list[tuple[int, Claim]]) -> list[int]:
        it = self.items[k]
        if it.senses and all(s.user_subject for s in it.senses):
            return [-1]
        found = self._nearest(k, it, targets, same_clause=True)
        if found is None:
            kind = self.clause_kind.get(it.clause, "start")
            if kind == "and":
                for _, c in reversed(primary):
                    if c.subject is not None and c.subject.kind in ("entity", "crowd", "user"):
                        m = self._item_of(c.subject)
                        if m is not None and self.items[m].sentence == it.sentence and self._compatible(m, it.senses):
                            return [m]
            found = self._nearest(k, it, targets, same_clause=False)
        if found is None:
            return []
        out = [found]
        items = self.items
        if (found >= 2 and items[found].kind == "ENT" and items[found - 1].kind == "CONJ"
                and items[found - 1].word == "and" and items[found - 2].kind == "ENT" and self._plural(it)):
            out.insert(0, found - 2)
        return out

    def _plural(self, it: _Item) -> bool:
        words = {t.word for t in self.toks[it.i:it.j]}
        return bool(words & _PLURAL_WORDS)

    def _item_of(self, mention: Mention) -> int | None:
        for m, x in enumerate(self.items):
            if x.mention is mention:
                return m
        return None

    def _nearest(self, k: int, it: _Item, targets: set[int], same_clause: bool) -> int | None:
        fallback = None
        for m in range(k - 1, -1, -1):
            x = self.items[m]
            if x.sentence != it.sentence or (same_clause and x.clause != it.clause):
                break
            if x.kind not in _ARGS or m in targets or (same_clause and x.is_object):
                continue
            if not same_clause and self.clause_kind.get(x.clause) == "relative" and x.clause != it.clause:
                continue
            r = self._resolve(m)
            if r is None:
                continue
            if self._compatible(r, it.senses):
                return r
            fallback = r if fallback is None else fallback
        return fallback if same_clause else None

    def _objects(self, k: int, subject: int | None) -> tuple[list[int], tuple[Mention, ...]]:
        items, it = self.items, self.items[k]
        rels = [self.vocab.get(s.relation) or _DEFAULT_VOCAB.get(s.relation) for s in it.senses]
        literal = bool(rels) and all(r is not None and r.kind == "literal" for r in rels)
        if literal and k + 1 < len(items) and items[k + 1].kind == "ENT" and items[k + 1].clause == it.clause:
            literal = False  # "You tagged X “feel-good”": a value of a fact about X, X is the object
        objects: list[int] = []
        values: list[Mention] = []
        m = k + 1
        while m < len(items) and items[m].clause == it.clause and items[m].kind != "REL":
            x = items[m]
            if x.kind == "VAL":
                if literal and not objects:
                    objects.append(m)
                else:
                    values.append(x.mention)
            elif not literal and not objects and x.kind in ("ENT", "USER", "CROWD", "PRON", "NAME"):
                r = self._resolve(m, {subject} if subject is not None else set())
                if r is not None:
                    objects.append(r)
            m += 1
        if objects and items[objects[-1]].kind == "ENT" and m + 1 < len(items):
            # "bought both A and B": a second object, unless B starts a clause of its own
            if items[m].kind == "CONJ" and items[m].word == "and" and items[m + 1].kind == "ENT" and (
                    m + 2 >= len(items) or items[m + 2].kind != "REL"):
                objects.append(m + 1)
        if not objects and (subject == -1 or (subject is not None and items[subject].kind == "USER")):
            start = k if subject in (None, -1) else subject
            for g in range(start - 1, -1, -1):  # "Glow Serum, which you bought": the gap is the object
                if items[g].sentence != it.sentence:
                    break
                if items[g].kind == "ENT":
                    objects.append(g)
                    break
        for o in objects:
            items[o].is_object = True
        return objects, tuple(values)

    def _possessives(self) -> list[tuple[int, Claim]]:
        out = []
        items = self.items
        for k, it in enumerate(items):
            if it.kind != "POSS" or k + 1 >= len(items) or items[k + 1].kind != "ENT":
                continue
            owner = k - 1 if it.word == "'s" and k > 0 and items[k - 1].kind == "ENT" else None
            if owner is None:
                owner = self._resolve(k - 1) if k > 0 and items[k - 1].kind == "PRON" else None
                owner = owner if owner is not None else next(
                    (m for m in range(k - 1, -1, -1) if items[m].kind == "ENT"), None)
            out.append((k, Claim(items[k + 1].mention, it.word, frozenset(),
                                 items[owner].mention if owner is not None else None,
                                 origin="possessive", any_relation=True, span=self._span(k))))
        return out

    def _crowds_of(self) -> list[tuple[int, Claim]]:
        out = []
        items = self.items
        for k, it in enumerate(items):
            if it.kind == "CROWD" and k + 2 < len(items) and items[k + 1].kind == "OF":
                m = k + 3 if items[k + 2].kind == "POSS" and k + 3 < len(items) else k + 2
                if items[m].kind == "ENT":  # "shoppers of Glow Serum": people who bought it
                    out.append((k, Claim(it.mention, "of", frozenset({Sense("purchased")}), items[m].mention,
                                         origin="crowd", span=self._span(k + 1))))
        return out

    def _appositions(self, primary) -> list[tuple[int, Claim]]:
        out = []
        items = self.items
        for k, it in enumerate(items):
            if not (it.kind == "ART" and k + 1 < len(items) and items[k + 1].kind == "ENT"
                    and self.clause_kind.get(it.clause) == "comma"):
                continue
            if any(x.kind == "REL" and x.clause == it.clause for x in items):
                continue
            head = next((m for m in range(k - 1, -1, -1) if items[m].kind == "ENT"
                         and items[m].clause < it.clause), None)
            if head is not None:  # "Glow Cream, a Sheet masks product": the head has it
                out.append((k, Claim(items[head].mention, "a", frozenset(), items[k + 1].mention,
                                     origin="apposition", any_relation=True, span=self._span(k))))
        return out

    def _likes(self, claims: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
        out = []
        main = [(k, c) for k, c in claims if c.origin in ("phrase", "apposition")]
        for at, target in self.like.items():
            t = self.items[target]
            tm = self.items[self._resolve(target)].mention if self._resolve(target) is not None else None
            if tm is None:
                continue
            same = [(k, c) for k, c in main if self.items[k].sentence == t.sentence
                    and c.object is not tm and not (tm.kind == "entity" and c.subject is not None
                                                     and c.subject.kind == "user")]
            before = [kc for kc in same if kc[0] < at]
            after = [kc for kc in same if kc[0] > at]
            pick = before[-1] if before else (after[0] if after else None)
            if pick is not None:
                k, c = pick
                out.append((at, Claim(tm, c.phrase, c.senses, c.object, c.negated, (), "like", c.any_relation,
                                      self._span(at), other=c.subject)))
        return out
