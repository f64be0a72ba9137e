"""Labels per language: every name a node has under a language tag (``"眼影盘"@zh``), kept apart.

``graph.label(node)`` stays the one default label (untagged first, then English, then any
other tag); this module keeps the rest, so a reason can be said in the language asked for.
A node without a label in that language falls back to its default label, and the caller is
told which language it got (``""`` for an untagged label or a name made from the IRI).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from kg import terms as T


@dataclass(frozen=True, eq=False)  # eq below: arrays compare by content, not element-wise truth
class LabelTable:
    """One language's labels: ``pos[node]`` is the position of the node's label in ``texts``, -1
    when it has none (one array read per lookup: no search)."""

    pos: np.ndarray  # int32, one per node
    texts: list[str]

    def get(self, node: int) -> str | None:
        k = int(self.pos[node])
        return self.texts[k] if k >= 0 else None

    @property
    def nodes(self) -> np.ndarray:
        """The nodes with a label in this language, ascending."""
        return np.flatnonzero(self.pos >= 0).astype(np.int32)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LabelTable) and np.array_equal(self.pos, other.pos) and \
            list(self.texts) == list(other.texts)

    __hash__ = None  # type: ignore[assignment]  # holds arrays: not hashable


def _no_nodes() -> np.ndarray:
    return np.zeros(0, dtype=np.int16)


@dataclass(frozen=True, eq=False)
class LangLabels:
    """The tagged labels of a graph. ``default_lang[node]`` is the position in ``langs`` of the
    tag of the node's default label, -1 when that label is untagged or made from the IRI (an
    empty array when no label is tagged: every default label is then untagged)."""

    langs: tuple[str, ...] = ()  # lower-case tags, sorted
    tables: tuple[LabelTable, ...] = ()
    default_lang: np.ndarray = field(default_factory=_no_nodes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LangLabels) and self.langs == other.langs and self.tables == other.tables and \
            np.array_equal(self.default_lang, other.default_lang)

    __hash__ = None  # type: ignore[assignment]

    def table(self, lang: str) -> LabelTable | None:
        lang = lang.lower()
        return self.tables[self.langs.index(lang)] if lang in self.langs else None

    def candidates(self, lang: str) -> tuple[str, ...]:
        return tag_candidates(lang, self.langs)

    def lookup(self, node: int, lang: str) -> tuple[str, str] | None:
        """(label, its tag) in ``lang`` or a form of the same language; None when the node has none."""
        for tag in tag_candidates(lang, self.langs):
            text = self.tables[self.langs.index(tag)].get(node)
            if text is not None:
                return text, tag
        return None

    def default_tag(self, node: int) -> str:
        if not len(self.default_lang):
            return ""
        k = int(self.default_lang[node])
        return self.langs[k] if k >= 0 else ""


@lru_cache(maxsize=256)  # a handful of (language asked, tags present) pairs: each worked out once
def tag_candidates(lang: str, have: tuple[str, ...]) -> tuple[str, ...]:
    """The tags of ``have`` (lower case) that can stand for ``lang``, best first: itself, its
    shorter forms (zh-hans-cn -> zh-hans -> zh), then longer or sibling forms of the same
    language (zh -> zh-cn, zh-tw) in sorted order. An empty ``lang`` has none."""
    lang = lang.lower()
    if not lang:
        return ()
    parts = lang.split("-")
    shorter = ["-".join(parts[:k]) for k in range(len(parts), 0, -1)]
    out = [t for t in shorter if t in have]
    out += [t for t in sorted(have) if t.split("-")[0] == parts[0] and t not in out]
    return tuple(out)


def language_of(term: str) -> str:
    """The lower-case language tag of a literal term, "" when it has none."""
    tail = term[term.rfind('"') + 1:]
    return tail[1:].lower() if tail.startswith("@") else ""


def lang_labels(terms: list[str], objs: np.ndarray, inv: np.ndarray, nodes: np.ndarray,
                chosen: np.ndarray, n: int) -> LangLabels:
    """The per-language tables from label rows.

    ``objs``: the distinct literal term ids of the rows, ``inv`` each row's position in ``objs``,
    ``nodes`` each row's node (rows in sorted triple order, so the first row per node and
    language wins, as for the default label); ``chosen``: the row picked as each labelled
    node's default label (row positions), ``n``: the number of nodes.
    """
    tags = [language_of(terms[t]) for t in objs.tolist()]
    langs = tuple(sorted(set(tags) - {""}))
    if not langs:
        return LangLabels()
    code = {t: k for k, t in enumerate(langs)}
    obj_lang = np.array([code.get(t, -1) for t in tags], dtype=np.int16)
    row_lang = obj_lang[inv]
    default_lang = np.full(n, -1, dtype=np.int16)
    default_lang[nodes[chosen]] = row_lang[chosen]
    tables = []
    for k in range(len(langs)):
        at = np.flatnonzero(row_lang == k)  # ascending row order: per node the first row is kept
        got, first = np.unique(nodes[at], return_index=True)
        texts = [T.literal_parts(terms[t])[0] for t in objs[inv[at[first]]].tolist()]
        pos = np.full(n, -1, dtype=np.int32)
        pos[got] = np.arange(len(got), dtype=np.int32)
        tables.append(LabelTable(pos, texts))
    return LangLabels(langs, tuple(tables), default_lang)
