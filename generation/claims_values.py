"""Reading values in an English sentence: numbers with their units ("4 stars", "$24.99", "4 out of 5",
"at least 4"), dates, quoted texts, and comparison words ("within", "cheaper than").

A mixin of generation.claims' reader (it works on the reader's tokens); split out of claims.py.
"""
from __future__ import annotations

from generation.claims_types import Item, Mention
from generation.labels import COMPARISONS, CROWD_NOUNS, CURRENCY, WORD_NUMBERS, _DATE, _NUMBER, _STARRED

_QUOTES = {"“": ("”",), '"': ('"',), "«": ("»",), "‘": ("’",)}


def _comparisons(items: list[Item]) -> tuple[tuple[Mention, Mention | None, Mention | None], ...]:
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


class ValueReading:
    """Values and comparisons at a token of ``self.toks`` (the reader's)."""

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
            # "4 out of 5": a score on the five-star scale the scores are said in; "4 out of 10" is another
            # scale (not 4 stars), "5 out of 4" no score at all
            unit, k = ("stars" if float(words[2]) == 5 and number <= 5 else "impossible"), k + 3
        elif words[:1] == ["%"]:
            unit, k = "%", k + 1
        tail = [t.word for t in toks[k:k + 2]]
        if tail[:2] in (["or", "more"], ["or", "higher"], ["or", "above"], ["or", "better"], ["and", "up"]):
            op, k = ">=", k + 2
        elif tail[:1] == ["+"]:
            op, k = ">=", k + 1
        return k, self._mention("value", i, k, value=number, unit=unit, op=op)
