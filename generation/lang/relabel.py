"""Chains in another language: every label of a chain replaced by the graph's label in that language.

Chains are found once, with the catalog's default labels; a sentence in Chinese names things by
their Chinese labels (``graph.label_in(node, "zh")``). A node without a label in the language keeps
the label the graph falls back to, and :class:`Fallback` records it, so a verdict can say so.
Values (prices, scores) and counts are numbers and stay as they are.
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace

from generation.labels import user_types
from reasoning.chains import Binding, Chain, Fact


@dataclass(frozen=True, order=True)
class Fallback:
    """A node said with a label in another language than asked: ``used`` is that language ("" untagged)."""

    key: str
    label: str
    asked: str
    used: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label, "asked": self.asked, "used": self.used}


def label_in(graph, node: int, lang: str) -> tuple[str, str]:
    """The node's label in ``lang`` and the language it is in; a graph without per-language labels
    has only its default label, untagged ("")."""
    method = getattr(graph, "label_in", None)
    if callable(method):
        return method(node, lang)
    return graph.label(node), ""


_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_MAX_CACHED = 200_000  # (key, type, language) answers kept per graph: the verifier asks for the same nodes again


class Relabeler:
    """Labels in one language for the nodes of many chains (cached per graph, key and type)."""

    def __init__(self, graph, lang: str):
        self.graph, self.lang = graph, lang
        try:
            self.cache = _CACHES.setdefault(graph, {}).setdefault(lang, {})
        except TypeError:  # a graph that cannot be weakly referenced: a cache for this call only
            self.cache = {}
        if len(self.cache) > _MAX_CACHED:
            self.cache.clear()
        self.fallbacks: dict[str, Fallback] = {}
        # an untagged label is a fallback only in a graph that has labels in the language at all: a
        # catalog written in Chinese alone has untagged Chinese labels, and nothing fell back
        self.tagged = lang in tuple(getattr(graph, "languages", ()) or ())
        self.users = user_types(graph)

    def label(self, key: str | None, label: str, type_name: str) -> str:
        if not key or type_name == "Value":
            return label
        found = self.cache.get((key, type_name), False)
        if found is False:
            found = self.cache[(key, type_name)] = self._lookup(key, type_name)
        if found is None:
            return label
        text, used = found
        if used != self.lang and (used or self.tagged) and type_name not in self.users:  # users are never named
            self.fallbacks.setdefault(key, Fallback(key, text, self.lang, used))
        return text

    def _lookup(self, key: str, type_name: str) -> tuple[str, str] | None:
        g = self.graph
        found = getattr(g, "_lookup", None)  # the graph's id index: no exception (and no close-match search) per miss
        if isinstance(found, dict):
            nodes = found.get(key) or []
            if len(nodes) > 1:  # ids are per type ("viewer 1", "film 1"): the fact's type decides
                nodes = [n for n in nodes if g.type_name(n) == type_name] or nodes[:0]
            return label_in(g, nodes[0], self.lang) if len(nodes) == 1 else None
        try:
            return label_in(g, g.node(key), self.lang)
        except Exception:  # an id the graph cannot resolve alone (K040/K041): said as the chain has it
            return None

    def fact(self, f: Fact) -> Fact:
        s = self.label(f.subject, f.subject_label, f.subject_type) if f.subject else f.subject_label
        o = f.object_label if f.is_value else self.label(f.object, f.object_label, f.object_type)
        return f if (s, o) == (f.subject_label, f.object_label) else replace(f, subject_label=s, object_label=o)

    def chain(self, c: Chain) -> Chain:
        facts = tuple(self.fact(f) for f in c.facts)
        bindings = tuple((n, b if b.is_value else Binding(b.key, self.label(b.key, b.label, b.type), b.type, b.is_value))
                         for n, b in c.bindings)
        return replace(c, facts=facts, bindings=bindings)


def relabel(chains: Sequence[Chain], graph, lang: str) -> tuple[list[Chain], tuple[Fallback, ...]]:
    """``chains`` with every label in ``lang`` (English: unchanged), and the nodes that fell back."""
    if lang == "en":  # the default labels the chains were found with: English output stays as it was
        return list(chains), ()
    r = Relabeler(graph, lang)
    out = [r.chain(c) for c in chains]
    return out, tuple(sorted(r.fallbacks.values()))
