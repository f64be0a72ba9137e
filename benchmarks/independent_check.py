"""An independent reading of a shown reason, written without looking at the verifier.

It does not parse anything: it checks what any person checking a reason would check first.
``flags(text, chain, graph, rule)`` returns a list of problems (empty: nothing found):

- the item is named;
- every node of the chain (not the user, not a crowd, not a value) is named by its label, or by a
  short name the catalog gives it (its ``short_label`` value; its label without its brand where the
  text names that brand on its own);
- no name is said three times or more;
- every number of the chain (a score, a count of people, a price or budget) is in the text;
- every other word is in the catalog's vocabulary: labels of the chain's nodes, the labels and
  phrases of the graph's relations (graph.vocab and generation.phrasing), the words of the
  rule's own ``says`` templates, the audience noun, and a small list of function words below.

A clean result does not prove the reason right (a role swap passes); a flag proves it wrong.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reasoning.chains import Chain, Fact

# Grammar words a reason may need in any catalog; no adjectives, adverbs, verbs of opinion or time.
FUNCTION_WORDS = frozenset(
    "a an the and or but which who that whose it its they their them this these those you your yours "
    "of in on at by with to for from as like also both too is are was were be been has have had do does did "
    "other others one same than more so".split()
    + ["people"])  # the neutral noun for counted people, allowed on any catalog beside its own
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_OUT_OF_FIVE = re.compile(r"(?<=\d) out of 5\b")
_STARRED = re.compile(r"^(\d+(?:\.\d+)?)-star$")  # "your 5-star X": the number 5, then the word "star"


def find_spans(text: str, names: Iterable[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Where each (key, label) is written: (start, end, key, label), longest labels first and never
    overlapping, on word boundaries; a label may start with a capital at the start of a sentence."""
    taken: list[tuple[int, int, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for key, label in sorted(names, key=lambda kl: -len(kl[1])):
        if not label or (key, label) in seen:
            continue
        seen.add((key, label))
        first = f"[{re.escape(label[0].lower())}{re.escape(label[0].upper())}]" if label[0].isalpha() else re.escape(label[0])
        for m in re.finditer(rf"(?<!\w){first}{re.escape(label[1:])}(?!\w)", text):
            start, end = m.span()
            if text[start] != label[0] and start != 0 and not text[:start].rstrip().endswith((".", "!", "?")):
                continue  # a changed first letter only where a sentence starts
            if any(s < end and start < e for s, e, _, _ in taken):
                continue
            taken.append((start, end, key, label))
    return sorted(taken)


def chain_names(chain: Chain) -> list[tuple[str, str]]:
    """(key, label) of every node the chain names: not the user, not a crowd, not a value."""
    out: dict[str, str] = {}
    user = chain.binding("user")  # the user by role: a catalog's own user type (Viewer) too
    me = (user.key, user.type) if user is not None else (None, "User")
    for f in chain.facts:
        if f.subject is not None and f.subject_type != "User" and (f.subject, f.subject_type) != me:
            out.setdefault(f.subject, f.subject_label)
        if not f.is_value and f.object_type != "User" and (f.object, f.object_type) != me:
            out.setdefault(f.object, f.object_label)
    return list(out.items())


def chain_numbers(chain: Chain) -> list[float]:
    """Scores, counts of people and numeric values (price, budget) of the chain."""
    out: list[float] = []

    def add(v: object) -> None:
        try:
            x = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return
        if x not in out:
            out.append(x)

    for f in chain.facts:
        add(f.count)
        if f.is_value:
            add(f.object_label)
        for k, v in f.values:
            if k == "score":
                add(v)
    if chain.support is not None:
        add(chain.support)
    return out


def flags(text: str, chain: Chain, graph, rule=None, strict: bool = False) -> list[str]:
    """Problems an independent reader sees in ``text`` as a reason for ``chain`` (see module doc).
    ``strict``: only the phrases of the chain's own relations count as vocabulary (not every
    relation of the graph), and a clause written twice is a problem too."""
    out: list[str] = []
    names = chain_names(chain)
    names += short_names(text, chain, graph, names)
    spans = find_spans(text, names)
    named = {key for _, _, key, _ in spans}
    item = chain.binding("item")
    if item is not None and item.key not in named:
        out.append(f"item not named: {item.label!r}")
    out += [f"node not named: {label!r}" for key, label in names if key not in named
            and (item is None or key != item.key)]
    for key, label in names:
        n = sum(1 for _, _, k, _ in spans if k == key)
        if n >= 3:
            out.append(f"name said {n} times: {label!r}")
    rest = "".join(" " if any(s <= i < e for s, e, _, _ in spans) else ch for i, ch in enumerate(text))
    rest = _OUT_OF_FIVE.sub(" out of ", rest)  # "4 out of 5": the scale of a rating, not a number of the chain
    words = [part for w in _WORD.findall(rest) for part in _STARRED.sub(r"\1 star", w.rstrip(".")).split()]
    said = {float(w) for w in words if _NUMBER.match(w)}
    out += [f"number of the chain not said: {x:g}" for x in chain_numbers(chain) if x not in said]
    relations = tuple(sorted({f.relation for f in chain.facts})) if strict else None
    known = _vocabulary(graph, relations) | _rule_words(rule) | _label_words(names)
    if strict and said_twice(text):
        out.append("a run of three words is written twice")
    allowed = set(chain_numbers(chain)) | _rule_constants(rule)
    for w in words:
        if _NUMBER.match(w):
            if float(w) not in allowed:
                out.append(f"number not in the chain: {w}")
        elif w.lower().replace("’", "'") not in known:
            out.append(f"word outside the vocabulary: {w!r}")
    return out


def short_names(text: str, chain: Chain, graph, names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, short name) of chain nodes: the catalog's ``short_label`` values, and a label that starts
    with the chain's brand said without it when the brand stands in the text apart from the names."""
    out: list[tuple[str, str]] = []
    brands = [f.object_label for f in chain.facts if f.relation == "brand" and f.object_label]
    rest = text
    for _, label in sorted(names, key=lambda kl: -len(kl[1])):
        if label not in brands:  # the names that hold a brand, not the brand itself
            rest = rest.replace(label, " ")
    for key, label in names:
        try:
            node = graph.node(key)
        except Exception:  # a key the graph cannot resolve: no short name for it
            continue
        out += [(key, str(v)) for v in graph.values(node, "short_label") if str(v).strip()]
        for b in brands:
            short = label[len(b) + 1:] if label.startswith(b + " ") else ""
            if short[:1].isupper() or short[:1].isdigit():  # the rest of a name, not "magazine in ..."
                if re.search(rf"(?<!\w){re.escape(b)}(?!\w)", rest):
                    out.append((key, short))
    return out


def _label_words(names: list[tuple[str, str]]) -> frozenset[str]:
    return frozenset(w.lower() for _, label in names for w in _WORD.findall(label))


def _rule_constants(rule) -> set[float]:
    """Numbers the rule's conditions compare with ('r.score >= 4'): a template may restate them."""
    out: set[float] = set()
    for cond in getattr(rule, "when", ()) if rule is not None else ():
        for side in (cond.left, cond.right):
            if isinstance(side.const, (int, float)):
                out.add(float(side.const))
    return out


def _rule_words(rule) -> frozenset[str]:
    says = getattr(rule, "says", ()) if rule is not None else ()
    return frozenset(w.lower() for t in says for w in _WORD.findall(re.sub(r"\{[^}]*\}", " ", t)))


@lru_cache(maxsize=256)
def _vocabulary(graph, relations: tuple[str, ...] | None = None) -> frozenset[str]:
    from generation.phrasing import phrasing  # the catalog's own wording of every relation
    words: set[str] = set(FUNCTION_WORDS)
    audience = getattr(graph, "audience", None)
    texts: list[str] = [audience] if isinstance(audience, str) else []
    for rel in graph.vocab.relations:
        if relations is not None and rel.name not in relations:
            continue
        texts += [rel.label, rel.inverse, *rel.phrases]
        try:
            ph = phrasing(rel.name, graph.vocab)
        except Exception:  # a relation phrasing cannot say is simply not vocabulary
            continue
        texts += [*ph.verbs, *ph.patterns, *ph.user, *ph.score, *ph.crowd, *ph.inverse]
    for t in texts:
        words.update(w.lower() for w in _WORD.findall(re.sub(r"\{[^}]*\}", " ", t or "")))
    return frozenset(words)


def said_twice(text: str, n: int = 3) -> bool:
    """True when a run of ``n`` words (names included) is written twice: a clause said again."""
    words = [w.lower() for w in _WORD.findall(text)]
    runs = [tuple(words[k:k + n]) for k in range(len(words) - n + 1)]
    return len(runs) != len(set(runs))
