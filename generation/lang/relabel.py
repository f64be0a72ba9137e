"""Chains in another language: every label of a chain replaced by the graph's label in that language.

Chains are found once, with the catalog's default labels; a sentence in Chinese names things by
their Chinese labels (``graph.label_in(node, "zh")``). A node without a label in the language keeps
the label the graph falls back to, and :class:`Fallback` records it, so a verdict can say so.
Values (prices, scores) and counts are numbers and stay as they are.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

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


class Relabeler:
    """Labels in one language for the nodes of many chains (cached per key and type)."""

    def __init__(self, graph, lang: str):
        self.graph, self.lang = graph, lang
        self.cache: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.fallbacks: dict[str, Fallback] = {}

    def label(self, key: str | None, label: str, type_name: str) -> str:
        if not key or type_name == "Value":
            return label
        found = self.cache.get((key, type_name), False)
        if found is False:
            found = self.cache[(key, type_name)] = self._lookup(key, type_name)
        if found is None:
            return label
        text, used = found
        if used != self.lang and (self.lang != "en" or used not in ("", "en")):
            self.fallbacks.setdefault(key, Fallback(key, text, self.lang, used))
        return text

    def _lookup(self, key: str, type_name: str) -> tuple[str, str] | None:
        g = self.graph
        for k in (key, f"{type_name}/{key}"):
            try:
                return label_in(g, g.node(k), self.lang)
            except Exception:  # an id the graph cannot resolve alone (K040/K041): try it with its type
                continue
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
