"""Saying a chain without a model: the rule's own ``says`` templates, or a generic sentence.

Templates are the fallback when the verbalizer's sentences fail verification, and training
targets for the verbalizer. A template can only name what the chain binds: every ``{var}`` is a
binding of the chain, ``{var.attr}`` a value of a bound fact (``r.score``) or node (``item.price``),
``{count}`` the number of other shoppers; ``{{`` and ``}}`` are literal braces. A template that
names anything else is unusable and the generic sentence (built from :mod:`generation.phrasing`)
is said instead.

>>> from reasoning.chains import Binding, Chain, Fact
>>> c = Chain("same-brand", (Fact("u1", "purchased", "p1", "u1", "Glow Serum", "User", "Product"),
...                          Fact("p1", "brand", "b1", "Glow Serum", "Lumière", "Product", "Brand"),
...                          Fact("p2", "brand", "b1", "Glow Cream", "Lumière", "Product", "Brand")),
...           (("user", Binding("u1", "u1", "User")), ("product", Binding("p1", "Glow Serum", "Product")),
...            ("brand", Binding("b1", "Lumière", "Brand")), ("item", Binding("p2", "Glow Cream", "Product"))))
>>> fill_template("you bought {product}; {item} is also by {brand}", c)
'You bought Glow Serum; Glow Cream is also by Lumière.'
>>> realize_chain_generic(c)
'You bought Glow Serum, and Glow Serum and Glow Cream are both made by Lumière.'
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from generation.articles import with_article
from generation.labels import user_types
from generation.lang import get_language
from kg.vocab import Vocabulary, default_vocabulary
from reasoning.chains import Chain, Fact
from generation.phrasing import (AUDIENCE_KEY, Namer, _number_label, crowd_verb, number_text, price_text, say_crowd, say_fact,
                                 say_shared)

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\}")


def realize_template(chain: Chain, rules, graph=None, variant: int = 0, name: Namer | None = None,
                     generic: bool = True, lang: str = "en") -> str:
    """The chain said with its rule's template number ``variant`` (wrapping); the generic sentence
    when the rule has no usable template (or "" with ``generic=False``). ``rules``: a RuleSet, a
    Rule or a Plan. ``lang``: the rule's templates in that language (``rule.says_in(lang)``)."""
    plan, rule = _plan_and_rule(chain, rules)
    says: Sequence[str] = says_in(rule, lang)
    order = [variant % len(says)] + [k for k in range(len(says)) if k != variant % len(says)] if says else []
    for k in order:  # the chosen template, else any other that can be filled
        text = fill_template(says[k], chain, plan=plan, rule=rule, graph=graph, name=name, lang=lang)
        if text is not None:
            return text
    return realize_chain_generic(chain, graph, variant, name=name, lang=lang) if generic else ""


def says_in(rule, lang: str = "en") -> tuple[str, ...]:
    """A rule's templates in ``lang``: ``rule.says`` for English, ``rule.says_in(lang)`` otherwise
    (none when the rule file has none in that language, or predates per-language ``says``)."""
    if rule is None:
        return ()
    if lang == "en":
        return tuple(rule.says)
    method = getattr(rule, "says_in", None)
    return tuple(method(lang)) if callable(method) else ()


def fill_template(template: str, chain: Chain, plan=None, rule=None, graph=None,
                  name: Namer | None = None, lang: str = "en") -> str | None:
    """One template filled from the chain and tidied; None when it names something the chain lacks."""
    user = _user_key(chain)
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        out.append(template[pos:m.start()])
        pos = m.end()
        token = m.group(0)
        if token in ("{{", "}}"):
            out.append(token[0])
            continue
        text = _placeholder(m.group(1), m.group(2), chain, plan, rule, graph, user, name, lang)
        if text is None:
            return None
        if lang == "en":  # a/an by the sound of the name: English only
            out[-1] = with_article(out[-1], text)
        out.append(text)
    out.append(template[pos:])
    return tidy("".join(out), lang)


def _placeholder(var: str, attr: str | None, chain: Chain, plan, rule, graph, user: str | None,
                 name: Namer | None, lang: str = "en") -> str | None:
    if attr is None:
        if var == "audience" and chain.binding("audience") is None:
            noun = audience_noun(graph, rule, lang)
            return name(AUDIENCE_KEY, noun, "Audience") if name else noun
        if var == "count" and chain.binding("count") is None:
            if chain.support is None:
                return None
            n = str(chain.support)
            return name(f"#{n}", n, "N") if name else n
        b = chain.binding(var)
        if b is None:
            return None
        if var == "user" or b.type in user_types(graph):  # ids are per type: film "1" is not user "1"
            you = "you" if lang == "en" else "你"
            return you if var == "user" or (b.key == user and b.type in user_types(graph)) else None
        if b.is_value:
            price = any(f.is_value and f.relation == "price" and f.object == b.key for f in chain.facts)
            text = price_text(b.label) if price else _number_label(b.label)
            return name(b.key, text, "Value") if name else text
        return name(b.key, b.label, b.type) if name else b.label
    value = _fact_value(chain, plan, rule, graph, var, attr)
    if value is None:
        value = _node_value(chain, plan, graph, var, attr)
    if value is None:
        return None
    text = number_text(value)
    return name(text, text, "Value") if name else text


def audience_noun(graph=None, rule=None, lang: str = "en") -> str:
    """How this catalog counts people in sentences: the rule's ``audience``, else the graph's, else 'people'
    (in another language: that language's own noun, "顾客"; a catalog's noun is an English word)."""
    if lang != "en":  # the catalog's noun in that language (audience: {en: shoppers, zh: 顾客}), else the language's
        noun, tag = graph.audience_in(lang) if callable(getattr(graph, "audience_in", None)) else ("", "")
        return noun.strip() if noun.strip() and tag else get_language(lang).audience
    return (getattr(rule, "audience", "") or getattr(graph, "audience", "") or "people").strip()


def _fact_value(chain: Chain, plan, rule, graph, var: str, attr: str):
    k = _fact_index(plan, rule, graph, var)
    if k is None or k >= len(chain.facts):
        return None
    return dict(chain.facts[k].values).get(attr)


def _fact_index(plan, rule, graph, var: str) -> int | None:
    if plan is not None:
        return plan.value_hop(var)
    if rule is None:
        return None
    vocab: Vocabulary = graph.vocab if graph is not None else default_vocabulary()
    k = 0
    for step in rule.path:  # facts follow the node steps in order (literal steps are lookups)
        rel = vocab.get(step.relation)
        if rel is not None and rel.kind == "literal":
            continue
        if step.value == var:
            return k
        k += 1
    return None


def _node_value(chain: Chain, plan, graph, var: str, attr: str):
    b = chain.binding(var)
    if graph is None or b is None or b.is_value:
        return None
    node = None
    if plan is not None and chain.nodes and var in plan.vars:
        node = chain.nodes[plan.vars.index(var)]
    if node is None or node < 0:
        try:
            node = graph.node(b.key)
        except Exception:  # an ambiguous or unknown key: the template is unusable, not an error
            return None
    values = graph.values(node, attr)
    return values[0] if values else None


def _plan_and_rule(chain: Chain, rules):
    if rules is None:
        return None, None
    if hasattr(rules, "plan") and hasattr(rules, "plans"):  # a RuleSet
        try:
            plan = rules.plan(chain.rule)
        except KeyError:
            return None, None
        return plan, plan.rule
    if hasattr(rules, "hops"):  # a Plan
        return rules, rules.rule
    return None, rules  # a Rule


def _user_key(chain: Chain) -> str | None:
    b = chain.binding("user")
    if b is not None:
        return b.key
    for f in chain.facts:
        if f.subject is not None and f.subject_type == "User":
            return f.subject
    return None


# -- the generic sentence ---------------------------------------------------------------------

def realize_chain_generic(chain: Chain, graph=None, variant: int = 0, name: Namer | None = None,
                          lang: str = "en") -> str:
    """Every fact of the chain said with phrasing.py; two facts sharing an object become one clause
    ('A and B are both made by X'), a crowd's two facts one ('12 shoppers who bought A also bought B')."""
    vocab = graph.vocab if graph is not None else None
    user = _user_key(chain)
    audience = audience_noun(graph, lang=lang)
    if name is not None:
        audience = name(AUDIENCE_KEY, audience, "Audience")
    clauses = [c for c in _clauses(chain.facts, vocab, variant, user, name, audience, lang)]
    if not clauses:
        return ""
    if len(clauses) == 1:
        text = clauses[0]
    elif lang != "en":
        text = "，".join(clauses)
    else:
        text = ", ".join(clauses[:-1]) + ", and " + clauses[-1]
    return tidy(text, lang)


def _clauses(facts: Sequence[Fact], vocab: Vocabulary | None, variant: int, user: str | None,
             name: Namer | None, audience: str = "people", lang: str = "en") -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(facts):
        f = facts[k]
        nxt = facts[k + 1] if k + 1 < len(facts) else None
        v = variant + 3 * len(out)  # vary wording along the chain, deterministically
        if nxt is not None and _shared(f, nxt):
            out.append(say_shared(f.relation, (_side(f, True, name), _side(nxt, True, name)),
                                  _side(f, False, name), vocab, v, lang))
            k += 2
            continue
        if nxt is not None and f.subject is None and nxt.subject is None and f.count == nxt.count:
            n = name(f"#{f.count}", str(f.count), "N") if name else str(f.count)
            out.append(say_crowd((crowd_verb(f.relation, vocab, lang), crowd_verb(nxt.relation, vocab, lang)), n,
                                 _side(f, False, name), _side(nxt, False, name), audience, lang))
            k += 2
            continue
        out.append(say_fact(f, vocab, v, user, name, audience, lang))
        k += 1
    return out


def _shared(a: Fact, b: Fact) -> bool:
    return (a.relation == b.relation and a.object == b.object and not a.is_value and a.subject is not None
            and b.subject is not None and a.subject != b.subject and a.subject_type != "User")


def _side(f: Fact, subject: bool, name: Namer | None) -> str:
    key, label, type_name = ((f.subject or "", f.subject_label, f.subject_type) if subject
                             else (f.object, f.object_label, f.object_type))
    return name(key, label, type_name) if name else label


# -- casing and punctuation -------------------------------------------------------------------

def tidy(text: str, lang: str = "en") -> str:
    """One sentence: single spaces, no space before punctuation, a capital first letter (unless the
    first word is a mixed-case name like 'iPhone'), one final full stop. Chinese: see tidy_cjk."""
    if lang != "en":
        return tidy_cjk(text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r";\s*[,;]", ";", text)
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if text[0].islower() and not any(c.isupper() for c in first[1:]):
        text = text[0].upper() + text[1:]
    text = text.rstrip(" ,;:")
    if text.endswith("..") and not text.endswith("..."):
        text = text[:-1]  # a name ending in its own full stop ("Brands, Inc.") ends the sentence too
    if not text.endswith((".", "!", "?")):
        text += "."
    return text


# A CJK character (ideographs, kana, hangul) or CJK punctuation: no space is ever written beside one.
CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_AROUND_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
_FULL = {",": "，", ";": "；", "!": "！", "?": "？", ":": "："}


def tidy_cjk(text: str) -> str:
    """One Chinese sentence: no space beside a CJK character or punctuation, full-width commas,
    one final 。 (or ！/？)."""
    text = _AROUND_CJK.sub("", re.sub(r"\s+", " ", text).strip())
    text = re.sub(r"\s*[,;!?:]\s*", lambda m: _FULL[m.group(0).strip()], text)
    text = re.sub(r"[，、]{2,}", "，", text).strip().rstrip("，、；：,.。")
    return text + "。" if text and not text.endswith(("！", "？")) else text
