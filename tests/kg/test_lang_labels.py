"""Labels per language: RDF language tags kept per node and language, the mapping's per-language
label columns, the fallback of ``label_in``, and both surviving save/load and the binary cache."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import load_graph
from kg.errors import KGError
from whyrec.commands.kg_cmd import info_text, label_summary

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
NAME = "<https://schema.org/name>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
E = "https://ex.org/"

# one file, mixed tags: untagged, @en, @zh, @zh-cn, @fr, a node with no label at all
MIXED = "\n".join([
    f"<{E}p/rose> {TYPE} <https://schema.org/Product> .",
    f"<{E}p/rose> <https://schema.org/brand> <{E}b/aurelle> .",
    f"<{E}p/rose> <https://schema.org/category> <{E}c/serum> .",
    f"<{E}p/rose> <https://schema.org/color> <{E}colour/red> .",
    f'<{E}p/rose> {LABEL} "Rose serum"@en .',
    f'<{E}p/rose> {LABEL} "玫瑰精华液"@zh .',
    f'<{E}p/rose> {LABEL} "Sérum à la rose"@fr .',
    f'<{E}b/aurelle> {NAME} "Aurelle" .',
    f'<{E}b/aurelle> {NAME} "奥瑞尔"@zh-CN .',
    f'<{E}c/serum> {LABEL} "精华"@zh .',
    f'<{E}c/serum> {LABEL} "Serum"@en-GB .',
]) + "\n"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.nt"
    path.write_text(MIXED, encoding="utf-8")
    return path


def labels_of(g, lang: str) -> dict[str, tuple[str, str]]:
    return {g.key(n): g.label_in(n, lang) for n in range(g.n_nodes)}


def test_every_tagged_label_is_kept_per_language(mixed):
    g = load_graph(mixed, cache=False)
    assert g.languages == ("en", "en-gb", "fr", "zh", "zh-cn")
    # the default label is what it always was: untagged first, then English, then any other tag
    assert [g.label(g.node(k)) for k in ("rose", "aurelle", "serum", "red")] == ["Rose serum", "Aurelle", "Serum", "red"]
    assert labels_of(g, "zh") == {"rose": ("玫瑰精华液", "zh"), "aurelle": ("奥瑞尔", "zh-cn"),
                                  "serum": ("精华", "zh"), "red": ("red", "")}
    assert labels_of(g, "fr")["rose"] == ("Sérum à la rose", "fr")


def test_a_missing_language_falls_back_to_the_default_label_and_says_so(mixed):
    g = load_graph(mixed, cache=False)
    assert g.label_in(g.node("rose"), "de") == ("Rose serum", "en")
    assert g.label_in(g.node("aurelle"), "de") == ("Aurelle", "")  # untagged
    assert g.label_in(g.node("serum"), "de") == ("Serum", "en-gb")  # an English form is English
    assert g.label_in(g.node("serum"), "en") == ("Serum", "en-gb")
    assert g.label_in(g.node("aurelle"), "zh-TW") == ("奥瑞尔", "zh-cn")  # another form of Chinese beats English
    assert g.label_in(g.node("rose"), "zh-Hans-CN") == ("玫瑰精华液", "zh")  # shorter forms of the tag asked for
    assert g.label_in(g.node("red"), "") == ("red", "")


@pytest.mark.parametrize("ext", [".nt", ".ttl", ".jsonld"])
def test_labels_per_language_survive_save_and_load(mixed, tmp_path, ext):
    g = load_graph(mixed, cache=False)
    out = tmp_path / f"again{ext}"
    g.save(out)
    again = load_graph(out, cache=False)
    assert again.languages == g.languages
    for lang in ("zh", "en", "fr", "de"):
        assert labels_of(again, lang) == labels_of(g, lang)
    if ext == ".nt":
        assert '"玫瑰精华液"@zh .' in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_labels_per_language_survive_the_binary_cache(mixed, tmp_path):
    folder = tmp_path / "cache"
    first = load_graph(mixed, cache=folder)
    second = load_graph(mixed, cache=folder)
    assert second.parts.lang_labels == first.parts.lang_labels
    assert second.parts.lang_labels is not first.parts.lang_labels
    assert labels_of(second, "zh") == labels_of(first, "zh") and second.languages == first.languages


def test_a_graph_without_tags_has_no_languages(tmp_path):
    path = tmp_path / "plain.nt"
    path.write_text(f'<{E}p/1> {TYPE} <https://schema.org/Product> .\n<{E}p/1> {NAME} "Glow" .\n')
    g = load_graph(path, cache=False)
    assert g.languages == () and g.label_in(0, "zh") == ("Glow", "") and label_summary(g) == "untagged"


MAPPING = """\
namespace: https://ex.org/
nodes:
  - file: products.csv
    type: Product
    id: id
    label: {en: name, zh: name_zh}
    columns:
      brand: {relation: brand, type: Brand}
  - {file: brands.csv, type: Brand, id: id, label: name}
"""


def shop(tmp_path: Path, mapping: str = MAPPING) -> Path:
    (tmp_path / "whyrec.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "products.csv").write_text("id,name,name_zh,brand\np1,Rose serum,玫瑰精华液,b1\n"
                                           "p2,Eye palette,,b1\n", encoding="utf-8")
    (tmp_path / "brands.csv").write_text("id,name\nb1,Aurelle\n", encoding="utf-8")
    return tmp_path


def test_a_mapping_names_a_label_column_per_language(tmp_path):
    g = load_graph(shop(tmp_path), cache=False)
    p1, p2, b1 = g.node("p1"), g.node("p2"), g.node("b1")
    assert g.languages == ("en", "zh")
    assert g.label(p1) == "Rose serum" and g.label_in(p1, "zh") == ("玫瑰精华液", "zh")
    assert g.label_in(p2, "zh") == ("Eye palette", "en")  # an empty cell: no Chinese name, the fallback says so
    assert g.label_in(b1, "zh") == ("Aurelle", "")  # a plain column stays untagged
    assert g.label_in(p1, "en") == ("Rose serum", "en")
    text = info_text(g, 0.0)
    assert "labels     en (1 without), zh (2 without)" in text  # b1 has no tagged name; p2 none in zh


@pytest.mark.parametrize("label, code, line, words", [
    ("{en: name, chinese_name: name_zh}", "K020", 6, "not a language tag"),
    ("{en: name, chinese: name_zh}", "K020", 6, "not a language tag"),
    ("{en: name, EN: name_zh}", "K020", 6, "named twice"),
    ("{en: name, zh: [name_zh]}", "K020", 6, "must name one column"),
    ("{}", "K020", 6, "names no column"),
    ("[name, name_zh]", "K020", 6, "a column per language"),
    ("{en: name, zh: missing}", "K022", 1, "no column 'missing'"),
])
def test_bad_label_columns_are_located_with_a_hint(tmp_path, label, code, line, words):
    with pytest.raises(KGError) as err:
        load_graph(shop(tmp_path, MAPPING.replace("{en: name, zh: name_zh}", label)), cache=False)
    assert err.value.code == code, str(err.value)
    assert words in str(err.value)
    if code == "K020":
        assert err.value.where.line == line and err.value.hint


def test_the_audience_noun_per_language(tmp_path):
    g = load_graph(shop(tmp_path, "users: Brand\naudience: {en: shoppers, zh: 顾客}\n" + MAPPING), cache=False)
    assert g.audience == "shoppers"
    assert g.audience_in("zh") == ("顾客", "zh") and g.audience_in("zh-CN") == ("顾客", "zh")
    assert g.audience_in("en") == ("shoppers", "") and g.audience_in("fr") == ("shoppers", "")
    out = tmp_path / "saved.nt"
    g.save(out)
    assert load_graph(out, cache=False).audience_in("zh") == ("顾客", "zh")


@pytest.mark.parametrize("audience, words", [("{en: shoppers, chinese: 顾客}", "not a language tag"),
                                             ("{zh: ''}", "plural noun"), ("{}", "names no noun")])
def test_a_bad_audience_per_language_is_refused(tmp_path, audience, words):
    with pytest.raises(KGError) as err:
        load_graph(shop(tmp_path, f"audience: {audience}\n" + MAPPING), cache=False)
    assert err.value.code == "K025" and words in str(err.value)


RELATIONS = """\
relations:
  line:
    label: {en: product line, zh: 产品系列}
    inverse: product line of
    phrases: {en: [belongs to the line], zh: [属于, 来自系列]}
"""


def test_a_declared_relation_has_words_per_language(tmp_path):
    mapping = RELATIONS + MAPPING.replace("      brand: {relation: brand, type: Brand}",
                                          "      brand: {relation: brand, type: Brand}\n      line: {relation: line}")
    folder = shop(tmp_path, mapping)
    (folder / "products.csv").write_text("id,name,name_zh,brand,line\np1,Rose serum,玫瑰精华液,b1,Glow\n",
                                         encoding="utf-8")
    g = load_graph(folder, cache=False)
    line = g.relation("line")
    assert (line.label, line.inverse, line.phrases) == ("product line", "product line of", ("belongs to the line",))
    zh = line.words_in("zh-CN")
    assert (zh.label, zh.inverse, zh.phrases) == ("产品系列", "", ("属于", "来自系列"))
    assert line.words_in("fr") is None and g.relation("brand").words_in("zh") is None
    out = tmp_path / "saved.ttl"
    g.save(out)
    assert load_graph(out, cache=False).relation("line").words_in("zh") == zh
    cached = tmp_path / "cache"
    load_graph(folder, cache=cached)
    assert load_graph(folder, cache=cached).relation("line").words_in("zh") == zh


@pytest.mark.parametrize("words, message", [("label: {en: line, chinese: 系列}", "not a language tag"),
                                            ("label: [a, b]", "is one text"),
                                            ("phrases: {zh: {a: b}}", "a list of phrases")])
def test_bad_relation_words_are_refused(tmp_path, words, message):
    with pytest.raises(KGError) as err:
        load_graph(shop(tmp_path, f"relations:\n  line:\n    {words}\n" + MAPPING), cache=False)
    assert message in str(err.value) and err.value.where.line == 3
