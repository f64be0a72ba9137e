"""The language layer: the registry, Chinese phrasings of every default relation, counts and joins,
Chinese sentences from templates and the generic sentence, labels per language with fallbacks."""
from __future__ import annotations

import re

import pytest

from generation.errors import UnknownLanguage
from generation.lang import get_language, languages
from generation.lang.relabel import relabel
from generation.lang.zh import RELATIONS as ZH, numeral_value
from generation.linearize import linearize
from generation.phrasing import phrasing, say_fact, say_shared
from generation.phrasing_zh import phrase_table, split_pattern
from generation.templates import fill_template, realize_chain_generic, realize_template, tidy
from kg.vocab import DEFAULT_RELATIONS
from reasoning.chains import Binding, Chain, Fact

CJK_SPACE = re.compile(r"[\u4e00-\u9fff，。、]\s+[\u4e00-\u9fff，。、]")
BRAND = Fact("p1", "brand", "b1", "光彩精华", "露米耶", "Product", "Brand")
BOUGHT = Fact("u1", "purchased", "p1", "u1", "光彩精华", "User", "Product")
RATED = Fact("u1", "rated", "p1", "u1", "光彩精华", "User", "Product", values=(("score", 5.0),))
CHAIN = Chain("same-brand", (BOUGHT, BRAND, Fact("p2", "brand", "b1", "光彩面霜", "露米耶", "Product", "Brand")),
              (("user", Binding("u1", "u1", "User")), ("product", Binding("p1", "光彩精华", "Product")),
               ("brand", Binding("b1", "露米耶", "Brand")), ("item", Binding("p2", "光彩面霜", "Product"))))


def test_registry_knows_english_and_chinese_and_refuses_others_with_a_code():
    assert languages() == ("en", "zh")
    assert get_language("zh-CN").code == "zh" and get_language("EN").code == "en"
    with pytest.raises(UnknownLanguage) as err:
        get_language("fr")
    assert err.value.code == "E005" and "en, zh" in str(err.value)


def test_every_default_relation_has_chinese_phrasings_without_spaces():
    for rel in DEFAULT_RELATIONS:
        if rel.name in ("score", "summary", "date", "verified"):
            continue
        assert rel.name in ZH, rel.name
        ph = phrasing(rel.name, lang="zh")
        said = ph.patterns + ph.user + ph.score + ph.crowd
        assert said and all(" " not in p for p in said), rel.name
        assert all(split_pattern(p)[1] for p in said), rel.name  # every pattern has a head to read


def test_chinese_facts_counts_and_joins():
    assert say_fact(BOUGHT, lang="zh") == "你买过光彩精华"
    assert say_fact(RATED, lang="zh") == "你给光彩精华打了5星"
    assert say_fact(BRAND, variant=2, lang="zh") == "光彩精华来自露米耶品牌"
    crowd = Fact(None, "purchased", "p1", "", "光彩精华", "User", "Product", count=12)
    assert say_fact(crowd, lang="zh") == "12位顾客买过光彩精华"
    assert say_shared("brand", ("甲", "乙"), "露米耶", lang="zh") == "甲和乙都出自露米耶"
    assert get_language("zh").join_names(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert get_language("en").join_names(["A", "B", "C"]) == "A, B and C"


def test_chinese_numerals():
    assert [numeral_value(t) for t in ("十二", "两", "一百二十", "三千零五", "十", "一百零八")] == [12, 2, 120, 3005, 10, 108]
    assert numeral_value("一二") is None and numeral_value("好") is None and numeral_value("") is None


def test_chinese_generic_and_template_sentences():
    text = realize_chain_generic(CHAIN, lang="zh")
    assert text == "你买过光彩精华，光彩精华和光彩面霜都出自露米耶。"
    assert fill_template("你买过{product}，{item}也出自{brand}", CHAIN, lang="zh") == "你买过光彩精华，光彩面霜也出自露米耶。"
    assert fill_template("{user} bought {product}", CHAIN, lang="zh") == "你bought光彩精华。"  # no space beside CJK
    assert tidy("你买过 光彩精华 ,  它 出自 Lumière", "zh") == "你买过光彩精华，它出自Lumière。"
    assert not CJK_SPACE.search(realize_chain_generic(CHAIN, variant=1, lang="zh"))


class _Rule:
    says = ("you bought {product}",)

    def says_in(self, lang):
        return ("你买过{product}，{item}出自{brand}",) if lang == "zh" else ()


def test_templates_are_picked_per_language():
    assert realize_template(CHAIN, _Rule(), lang="zh") == "你买过光彩精华，光彩面霜出自露米耶。"
    assert realize_template(CHAIN, _Rule()) == "You bought 光彩精华."

    class Old:  # a rule without per-language templates: the generic sentence in that language
        says = ("you bought {product}",)
    assert realize_template(CHAIN, Old(), lang="zh") == realize_chain_generic(CHAIN, lang="zh")


def test_model_input_says_the_user_in_the_language():
    lin = linearize([CHAIN], item="p2", user="u1", lang="zh")
    assert lin.source.startswith("why <ITEM> | same brand : 你 purchased <P1>")
    assert lin.slots["<ITEM>"] == "光彩面霜"


def test_phrase_table_heads_tails_and_user_phrases():
    table = phrase_table(None, "zh")
    assert {s.relation for s in table["常与"].senses} >= {"also_bought", "also_viewed"}
    assert "一起购买" in table["常与"].tails
    assert all(s.user_subject for s in table["你的预算是"].senses)
    assert {s.relation for s in table["都含有"].senses} == {"ingredient"}


class _Graph:
    """Labels per language, as kg's label_in gives them (a fallback says the language it used)."""

    languages = ("zh",)

    def __init__(self):
        self.keys = ["p1", "b1", "p2", "u1"]
        self.zh = {"p1": "光彩精华", "p2": "光彩面霜"}

    def node(self, key):
        return self.keys.index(key)

    def label(self, n):
        return {"p1": "Glow Serum", "b1": "Lumière", "p2": "Glow Cream", "u1": "u1"}[self.keys[n]]

    def label_in(self, n, lang):
        key = self.keys[n]
        return (self.zh[key], "zh") if lang == "zh" and key in self.zh else (self.label(n), "")


def test_relabel_takes_labels_in_the_language_and_reports_fallbacks():
    en = Chain("same-brand", (Fact("p1", "brand", "b1", "Glow Serum", "Lumière", "Product", "Brand"),), ())
    chains, fallbacks = relabel([en], _Graph(), "zh")
    assert chains[0].facts[0].subject_label == "光彩精华" and chains[0].facts[0].object_label == "Lumière"
    assert [(f.key, f.label, f.used) for f in fallbacks] == [("b1", "Lumière", "")]
    assert relabel([en], _Graph(), "en") == ([en], ())


def test_shared_object_of_a_relation_said_only_with_de_is_said_per_subject():
    from kg.vocab import Relation, Vocabulary
    vocab = Vocabulary((Relation("product_line", "product line", "product line", "product line of", ("is part of",)),))
    text = say_shared("product_line", ("甲", "乙"), "系列一", vocab, lang="zh")
    assert text == "甲的product line是系列一，乙的product line是系列一"


def test_a_shops_own_relation_is_said_with_its_chinese_words_when_the_mapping_gives_them():
    from dataclasses import dataclass

    from kg.vocab import Relation

    @dataclass(frozen=True)
    class Words:
        label: str = "产品系列"
        inverse: str = ""
        phrases: tuple = ("属于", "来自系列")

    @dataclass(frozen=True)
    class Rel(Relation):
        def words_in(self, lang):
            return Words() if lang == "zh" else None

    rel = Rel("line", "line", "product line", "product line of", ("is part of",))
    from generation.phrasing_zh import phrasing_in
    ph = phrasing_in(rel, "zh", False)
    assert ph.patterns == ("{s}属于{o}", "{s}来自系列{o}") and "的产品系列是" in ph.verbs
