"""Short names a catalog allows for its products, and saying a reason with them.

A product of a real catalog is often named in ten words ("Ciel Minérale Soft Focus Velvet Matte
Lipstick in Brick Red"); two of them make a sentence of twenty-five. Two shorter forms are allowed,
and the verifier reads exactly these and nothing else:

- the catalog's own ``short_label`` (a text column mapped to the relation ``short_label``), when no
  other name of the graph reads the same;
- the name without its brand ("Soft Focus Velvet Matte Lipstick in Brick Red"), only in a sentence
  that says that brand by name (``needs_brand``): the brand is then not lost.

A short form shared by two nodes, or equal to another node's name, is no form at all (it could
mean either). :func:`shorten` rewrites a checked sentence with these forms; the caller verifies the
result and keeps the long sentence when the short one does not read back.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from generation.labels import _LETTER, _STOP, label_words

SHORT_RELATION = "short_label"
_MIN_SAVED = 2  # a form that saves one word is not worth a second name to check


@dataclass(frozen=True)
class Alias:
    """Another way to write one node's name: ``text`` stands for ``label`` (node ``key``)."""

    text: str
    key: str
    type_name: str
    label: str
    needs_brand: str = ""  # the brand's words, when the form may only stand beside the brand said


_ALIASES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_FORMS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # graph -> forms_by_label (read-only)


def aliases(graph) -> tuple[Alias, ...]:
    """Every short form the catalog allows (cached while the graph lives); ambiguity is left to the
    label index, which drops a form that two nodes or another name share."""
    got = _ALIASES.get(graph)
    if got is None:
        got = _ALIASES[graph] = tuple(_aliases(graph))
    return got


def _aliases(graph) -> list[Alias]:
    out: list[Alias] = []
    has_short = graph.parts.literals.get(SHORT_RELATION) is not None
    has_brand = graph.edges("brand") is not None
    if not (has_short or has_brand):
        return out
    for n in graph.item_nodes().tolist():
        label, key, type_name = graph.label(n), graph.key(n), graph.type_name(n)
        words = label_words(label)
        if has_short:
            for v in graph.values(n, SHORT_RELATION)[:1]:
                short = str(v).strip()
                if _worth(label_words(short), words, saved=1):  # the catalog chose it: any saving
                    out.append(Alias(short, key, type_name, label))
        if has_brand:
            brands = graph.neighbors(n, "brand").tolist()
            if len(brands) != 1:
                continue
            brand = graph.label(brands[0])
            bw = label_words(brand)
            if bw and words[:len(bw)] == bw:
                rest = _drop_words(label, len(bw))
                # two words at least, and a name's capital: "Cream" or "magazine in Fashion" (a catalog's
                # label for an untitled item) read as a kind of thing, not as a name
                if len(label_words(rest)) >= 2 and (rest[:1].isupper() or rest[:1].isdigit()) \
                        and _worth(label_words(rest), words, saved=len(bw)):
                    out.append(Alias(rest, key, type_name, label, " ".join(bw)))
    return out


def _worth(short: tuple[str, ...], full: tuple[str, ...], saved: int = _MIN_SAVED) -> bool:
    """A real name (some word of letters, not only stop words) that is shorter by enough words."""
    return (bool(short) and len(full) - len(short) >= min(saved, _MIN_SAVED) and short != full
            and any(_LETTER.search(w) and w not in _STOP for w in short))


def _drop_words(label: str, n: int) -> str:
    """``label`` without its first ``n`` words, as written (case and accents kept)."""
    text = label.strip()
    for _ in range(n):
        parts = text.split(None, 1)
        if len(parts) < 2:
            return ""
        text = parts[1]
    return text.strip()


def forms_by_label(graph) -> dict[str, tuple[Alias, ...]]:
    """Each full name -> its allowed short forms, the catalog's own first (cached while the graph
    lives, like the label index it reads: built once, not once per sentence)."""
    got = _FORMS.get(graph)
    if got is not None:
        return got
    from generation.labels import label_index
    index = label_index(graph)
    out: dict[str, list[Alias]] = {}
    for a in aliases(graph):
        if index.allows(a):
            out.setdefault(a.label, []).append(a)
    got = _FORMS[graph] = {label: tuple(sorted(forms, key=lambda a: (bool(a.needs_brand), len(a.text))))
                           for label, forms in out.items()}
    return got


def shorten(text: str, names: list[str], graph) -> str:
    """``text`` with each name of ``names`` (the chain's products, as written in ``text``) said in its
    shortest allowed form; a brand-less form only where the brand stands in ``text`` on its own."""
    forms = forms_by_label(graph)
    if not forms:
        return text
    out, bare = text, text
    for name in names:  # a brand said inside a product's name is not the brand said
        bare = bare.replace(name, " ")
    for name in sorted(set(names), key=len, reverse=True):
        if name not in out:
            continue
        for a in forms.get(name, ()):
            if a.needs_brand and not _brand_alone(bare, a.needs_brand):
                continue
            out = out.replace(name, a.text)
            break
    return out


def shorten_chains(text: str, chains, graph) -> str:
    """:func:`shorten` for the names of the things like the item that ``chains`` (a list) name."""
    kinds = getattr(graph, "item_types", None) or frozenset()
    names = [label for c in chains for f in c.facts for label, t in
             ((f.subject_label, f.subject_type), (f.object_label, f.object_type)) if t in kinds and label]
    return shorten(text, names, graph) if names else text


def item_as_it(text: str, chains, graph) -> str:
    """``text`` with the item, when named again, said as "it" from the second time on ("X is made by B,
    and X is bought with Y" -> "..., and it is bought with Y"). The verifier decides if "it" is clear."""
    item = next((b for c in chains for n, b in c.bindings if n == "item"), None)
    if item is None:
        return text
    names = [item.label] + [a.text for a in forms_by_label(graph).get(item.label, ())]
    for name in sorted(names, key=len, reverse=True):
        first = text.find(name)
        if first < 0 or text.find(name, first + len(name)) < 0:
            continue
        cut = first + len(name)
        tail = text[cut:]
        again = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
        return text[:cut] + again.sub(
            lambda m: "It" if tail[:m.start()].rstrip().endswith((".", "!", "?")) else "it", tail)
    return text


def _brand_alone(text: str, brand_words: str) -> bool:
    words = " ".join(label_words(text))
    return f" {brand_words} " in f" {words} "
