"""Joining a sentence's items into claims: each relation phrase with its subject and object, and the
claims said without a phrase (possessives, appositions, "like X", "shoppers of X").

A mixin of generation.claims' reader, shared by every language's reader; split out of claims.py.
"""
from __future__ import annotations

import re

from generation.claims_types import Claim, Item, Mention
from generation.labels import RELATIVE, _DEFAULT_VOCAB
from generation.phrasing import Sense

_ARGS = frozenset({"ENT", "USER", "CROWD", "PRON", "NAME"})  # NAME: a name the graph lacks
_STAR_WORD = re.compile(r"\d+(?:\.\d+)?-star")  # "5-star" in "your 5-star X" (not "5-stars", not "5 stars")
_PLURAL_WORDS = frozenset({"are", "were", "both", "contain", "come", "have", "suit", "go", "pair", "work",
                           "belong", "fall", "sit", "give", "leave", "cost", "use", "make", "include"})


class ClauseReading:
    """Items (``self.items``, with clauses numbered) -> claims."""

    def _claims(self) -> list[Claim]:
        items = self.items
        starred = self._starred()
        self.like = {}
        for k, it in enumerate(items):  # "like X", "like your 5-star X": X
            if it.kind != "LIKE":
                continue
            m = k + 1
            while m < len(items) and items[m].kind == "STAR":
                m += 1
            if m < len(items) and items[m].kind in _ARGS:
                self.like[k] = m
        targets = set(self.like.values())
        claims: list[tuple[int, Claim]] = list(starred)  # (position of the phrase, claim)
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

    def _plural(self, it: Item) -> bool:
        words = {t.word for t in self.toks[it.i:it.j]}
        return bool(words & _PLURAL_WORDS)

    def _item_of(self, mention: Mention) -> int | None:
        for m, x in enumerate(self.items):
            if x.mention is mention:
                return m
        return None

    def _nearest(self, k: int, it: Item, targets: set[int], same_clause: bool) -> int | None:
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
        nxt = k + 1
        while nxt < len(items) and items[nxt].kind == "STAR":  # "You tagged your 4-star X “noir”": X next
            nxt += 1
        if literal and nxt < len(items) and items[nxt].kind == "ENT" and items[nxt].clause == it.clause:
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

    def _starred(self) -> list[tuple[int, Claim]]:
        """"your 5-star X": the user rated X 5 stars (the score said before the name, as shops write it).
        The two words become STAR items: no other claim takes "your" as its subject or "5-star" as
        its value, and "like your 5-star X" compares with X. Only this exact order reads so."""
        out = []
        items = self.items
        for k in range(len(items) - 2):
            a, v, e = items[k], items[k + 1], items[k + 2]
            if not (a.kind == "USER" and a.word == "your" and v.kind == "VAL" and e.kind == "ENT"
                    and a.clause == v.clause == e.clause and v.mention is not None and v.mention.unit == "stars"
                    and v.mention.op == "=" and v.j - v.i == 1 and _STAR_WORD.fullmatch(self.toks[v.i].word)):
                continue
            span = (self.toks[a.i].start, self.toks[v.j - 1].end)
            out.append((k, Claim(a.mention, "rated", frozenset({Sense("rated")}), e.mention, values=(v.mention,),
                                 span=span)))
            a.kind = v.kind = "STAR"
        return out

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
