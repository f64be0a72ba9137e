"""Bad Chinese reasons, made from a good one: the failure kinds of the closed world, in Chinese.

Written from issue 15 and the English failure kinds (benchmarks/adversary.py), never from the
Chinese reader: every form edits a correct 推荐理由 (a rule's Chinese template filled for its chain)
so that it no longer says exactly its chain. Names are found as the graph's Chinese labels,
longest first, so an edit never cuts into a name by accident (a category 精华 inside a product
玫瑰精华液 is part of the product's name, not a name of its own).

Kinds (each must be refused): ``false`` (another node's name where the chain's stands),
``partly_true`` (one name of a second clause replaced), ``negated`` (不/没 before a verb),
``wrong_number`` (a score or count changed, in digits or in Chinese numerals 十二/两),
``inner_label`` (a name replaced by a shorter name inside it), ``unknown_word`` (a word or
character no fact supports), ``loop`` (a fact said twice), ``missing_item`` (the item unnamed),
``unsaid_fact`` (a clause of the chain dropped), ``swapped_roles`` (two names exchanged),
``invented_relation`` (闻起来像, a relation no vocabulary has), ``cjk_space`` (a space between two
CJK characters). The ``true`` kind is the good sentence and the same sentence with its numbers in
Chinese numerals (五星, 十二位): both must be shown.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERBS_BU = ("出自", "含有", "属于", "适合", "同属", "是")  # negated with 不
VERBS_MEI = ("买过", "买了", "浏览过", "看过", "看了", "打了")  # negated with 没
_DIGITS = "零一二三四五六七八九"


def zh_numeral(n: int, liang: bool = False) -> str:
    """0..99 in Chinese numerals: 12 -> 十二, 20 -> 二十, 2 -> 两 (before a measure word, ``liang``)."""
    if not 0 <= n < 100:
        raise ValueError(f"{n} is outside 0..99")
    if n == 2 and liang:
        return "两"
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class ZhCtx:
    """A good sentence and what a mutation needs to know about its chain."""

    text: str
    item: str  # the item's Chinese name
    names: tuple[str, ...]  # the chain's named nodes (not the user, not values), in Chinese
    scores: tuple[int, ...]  # stars of the chain's ratings, as whole numbers
    count: int | None  # the people a collaborative chain counts
    alike: tuple[tuple[str, str], ...]  # (a chain name, the name of a node of its type outside the chain)
    inner: tuple[tuple[str, str], ...]  # (a chain name, another node's name inside it)

    def spans(self) -> list[tuple[int, int, str]]:
        """Where the chain's names stand in the text, longest first, never overlapping."""
        taken: list[tuple[int, int, str]] = []
        for name in sorted(set(self.names), key=len, reverse=True):
            for m in re.finditer(re.escape(name), self.text):
                if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                    taken.append((m.start(), m.end(), name))
        return sorted(taken)

    def free(self, pattern: str) -> list[re.Match[str]]:
        """Matches of ``pattern`` outside every name."""
        spans = self.spans()
        return [m for m in re.finditer(pattern, self.text)
                if not any(s < m.end() and m.start() < e for s, e, _ in spans)]


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _replace_name(ctx: ZhCtx, name: str, new: str, nth: int = 0) -> str | None:
    spots = [(s, e) for s, e, n in ctx.spans() if n == name]
    if len(spots) <= nth:
        return None
    s, e = spots[nth]
    return _splice(ctx.text, s, e, new)


def _body(text: str) -> str:
    return text.rstrip("。.!！")


Forms = list[tuple[str, str]]


def true(ctx: ZhCtx) -> Forms:
    out = [("as-is", ctx.text)]
    numbered = ctx.text
    for s in ctx.scores:
        numbered = re.sub(rf"(?<![\d.]){s}(?=星)", zh_numeral(s), numbered)
    if ctx.count is not None:
        numbered = re.sub(rf"(?<![\d.]){ctx.count}(?=位)", zh_numeral(ctx.count), numbered)
    if numbered != ctx.text:
        out.append(("chinese-numerals", numbered))
    return out


def false(ctx: ZhCtx) -> Forms:
    other = [o for n, o in ctx.alike if n == ctx.item]
    new = _replace_name(ctx, ctx.item, other[0]) if other else None
    return [("other-item", new)] if new else []


def partly_true(ctx: ZhCtx) -> Forms:
    """The item's name stays; the name of another node of the chain is replaced by one of its type."""
    for name, other in ctx.alike:
        new = _replace_name(ctx, name, other) if name != ctx.item else None
        if new:
            return [("one-name-wrong", new)]
    return []


def negated(ctx: ZhCtx) -> Forms:
    out: Forms = []
    for words, neg, form in ((VERBS_MEI, "没", "mei"), (VERBS_BU, "不", "bu")):
        found = ctx.free("|".join(map(re.escape, words)))
        if found:
            m = found[0]
            verb = m.group(0)
            said = neg + (verb[:-1] if verb.endswith("了") else verb)  # 买了 -> 没买, 买过 -> 没买过
            out.append((form, _splice(ctx.text, m.start(), m.end(), said)))
    return out


def wrong_number(ctx: ZhCtx) -> Forms:
    out: Forms = []
    for s in ctx.scores[:1]:
        wrong = s - 1 if s > 1 else s + 1
        for form, say in (("score-digits", str(wrong)), ("score-numerals", zh_numeral(wrong))):
            new = re.sub(rf"(?<![\d.]){s}(?=星)", say, ctx.text, count=1)
            if new != ctx.text:
                out.append((form, new))
    if ctx.count is not None:
        for form, say in (("count-digits", str(ctx.count + 1)), ("count-numerals", zh_numeral(ctx.count + 1)),
                          ("count-liang", "两")):
            new = re.sub(rf"(?<![\d.]){ctx.count}(?=位)", say, ctx.text, count=1)
            if new != ctx.text:
                out.append((form, new))
    return out


def inner_label(ctx: ZhCtx) -> Forms:
    for outer, inner in ctx.inner:
        new = _replace_name(ctx, outer, inner)
        if new:
            return [("shorter-name", new)]
    return []


def unknown_word(ctx: ZhCtx) -> Forms:
    out: Forms = []
    new = _replace_name(ctx, ctx.item, "超级" + ctx.item)
    if new:
        out.append(("adjective", new))
    out.append(("particle", _body(ctx.text) + "哦。"))
    out.append(("symbol", _body(ctx.text) + "★。"))
    return out


def loop(ctx: ZhCtx) -> Forms:
    out: Forms = [("said-twice", _body(ctx.text) + "，" + ctx.text)]
    parts = re.split("([，；])", _body(ctx.text))
    if len(parts) >= 3:
        out.append(("clause-twice", parts[0] + parts[1] + "".join(parts) + "。"))
    return out


def missing_item(ctx: ZhCtx) -> Forms:
    out: Forms = []
    for form, new in (("pronoun", "它"), ("this-one", "这款")):
        text = _replace_name(ctx, ctx.item, new)
        if text:
            out.append((form, text))
    return out


def unsaid_fact(ctx: ZhCtx) -> Forms:
    parts = [p for p in re.split("[，；]", _body(ctx.text)) if p]
    if len(parts) < 2:
        return []
    keep = [p for p in parts if ctx.item in p]
    dropped = [p for p in parts if ctx.item not in p]
    return [("clause-dropped", "，".join(keep) + "。")] if keep and dropped else []


def swapped_roles(ctx: ZhCtx) -> Forms:
    spans = ctx.spans()
    names = list(dict.fromkeys(n for _, _, n in spans))
    pairs = [(a, b) for a in names for b in names if a < b and a not in b and b not in a]
    with_item = [p for p in pairs if ctx.item in p] or pairs
    if not with_item:
        return []
    a, b = with_item[0]
    text = ctx.text
    for s, e, n in reversed(spans):  # right to left: earlier offsets stay right
        if n in (a, b):
            text = _splice(text, s, e, b if n == a else a)
    return [("names-swapped", text)] if text != ctx.text else []


def invented_relation(ctx: ZhCtx) -> Forms:
    rest = [n for n in ctx.names if n != ctx.item]
    out: Forms = [("smells-like", f"{ctx.item}闻起来像{rest[0]}。")] if rest else []
    found = ctx.free("|".join(map(re.escape, VERBS_BU + VERBS_MEI)))
    if found:
        m = found[0]
        out.append(("verb-replaced", _splice(ctx.text, m.start(), m.end(), "闻起来像")))
    return out


def cjk_space(ctx: ZhCtx) -> Forms:
    out: Forms = []
    inside = [(s, e) for s, e, n in ctx.spans() if e - s >= 2 and CJK.match(ctx.text[s]) and CJK.match(ctx.text[s + 1])]
    if inside:
        s, _ = inside[0]
        out.append(("inside-a-name", _splice(ctx.text, s + 1, s + 1, " ")))
    names = ctx.spans()
    between = [k for k in range(1, len(ctx.text)) if CJK.match(ctx.text[k - 1]) and CJK.match(ctx.text[k])
               and not any(s < k < e for s, e, _ in names)]
    if between:
        k = between[0]
        out.append(("between-words", _splice(ctx.text, k, k, " ")))
    return out


KINDS: dict[str, Callable[[ZhCtx], Forms]] = {
    "false": false, "partly_true": partly_true, "negated": negated, "wrong_number": wrong_number,
    "inner_label": inner_label, "unknown_word": unknown_word, "loop": loop, "missing_item": missing_item,
    "unsaid_fact": unsaid_fact, "swapped_roles": swapped_roles, "invented_relation": invented_relation,
    "cjk_space": cjk_space}


def variants(ctx: ZhCtx) -> dict[str, Forms]:
    """Every bad form of every kind (and the good forms under ``true``), each different from the text."""
    out = {"true": true(ctx)}
    for kind, make in KINDS.items():
        out[kind] = [(form, t) for form, t in make(ctx) if t and t != ctx.text]
    return out


def zh_context(text: str, chain, graph, lang: str = "zh") -> ZhCtx:
    """The context of a good sentence ``text`` for ``chain``: names in ``lang`` from the graph."""
    user = chain.binding("user").key if chain.binding("user") is not None else None
    nodes: dict[str, int] = {}
    for f in chain.facts:
        for key, kind, value in ((f.subject, f.subject_type, False), (f.object, f.object_type, f.is_value)):
            if key is None or value or key == user or kind in graph.user_types or key in nodes:
                continue
            try:
                nodes[key] = graph.node(key)
            except Exception:  # an id two nodes share: its name is not needed to make a mistake
                continue
    name = {key: graph.label_in(n, lang)[0] for key, n in nodes.items()}
    item_binding = chain.binding("item")
    item = name.get(item_binding.key) if item_binding is not None else None
    if item is None:
        item = graph.label_in(graph.node_of(item_binding.key, "item"), lang)[0]
    names = tuple(dict.fromkeys([item, *name.values()]))
    scores = tuple(int(v) for f in chain.facts for k, v in f.values if k == "score" and float(v).is_integer())
    counts = [f.count for f in chain.facts if f.count is not None]
    everyone = _all_names(graph, lang)
    alike = []
    for key, n in nodes.items():
        kind = graph.type_iri(n)
        pool = graph.nodes_of(kind).tolist() if kind else []
        pick = next((graph.label_in(m, lang)[0] for m in pool if m not in nodes.values()
                     and all(graph.label_in(m, lang)[0] not in x and x not in graph.label_in(m, lang)[0]
                             for x in names)), None)
        if pick:
            alike.append((name[key], pick))
    inner = []
    for outer in sorted(names, key=len, reverse=True):
        shorter = sorted((m for m in everyone if m != outer and len(m) >= 2 and m in outer), key=len, reverse=True)
        if shorter:
            inner.append((outer, shorter[0]))
    return ZhCtx(text, item, names, scores, counts[0] if counts else chain.support, tuple(alike), tuple(inner))


_NAMES: "weakref.WeakKeyDictionary[object, dict[str, tuple[str, ...]]]" = weakref.WeakKeyDictionary()


def _all_names(graph, lang: str) -> tuple[str, ...]:
    """Every name in ``lang`` of the graph's nodes other than users (computed once per graph)."""
    per = _NAMES.setdefault(graph, {})
    if lang not in per:
        per[lang] = tuple(sorted({graph.label_in(n, lang)[0] for n in range(graph.n_nodes) if not graph.is_user(n)}))
    return per[lang]
