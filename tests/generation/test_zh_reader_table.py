"""Issue 15: the Chinese claim reader, as a table of true and bad 推荐理由.

Written from the issue and the public contract only (``verify(sentence, chains, graph, rules=None,
lang="zh")``, ``fill_template(..., lang="zh")`` and ``relabel(chains, graph, "zh")``, which gives the
chains their Chinese names), never from the reader's code. Each good
sentence is a rule's own Chinese template filled for its chain; each bad one is that sentence
edited so it no longer says exactly its chain (benchmarks/adversary_zh_forms.py): false, partly
true, negated (不/没), a wrong number (digits, 十二, 两), a name inside a longer name, an unknown word
or character, a loop, the item missing, a fact left unsaid, swapped roles, an invented relation
(闻起来像), a space between CJK characters. The same table runs on a tiny Chinese-only catalog and
on the demo in Chinese. Until the Chinese reader is merged the module is skipped.
"""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest

verify_module = pytest.importorskip("generation.verify")
if "lang" not in inspect.signature(verify_module.verify).parameters:
    pytest.skip("verify() has no lang= yet: issue 15's Chinese reader is not merged", allow_module_level=True)
relabel = pytest.importorskip("generation.lang.relabel", reason="issue 15's language layer is not merged").relabel

from benchmarks.adversary_zh_forms import variants, zh_context  # noqa: E402
from generation.templates import fill_template  # noqa: E402
from kg import load_graph  # noqa: E402
from reasoning import find_chains, load_rules  # noqa: E402

verify = verify_module.verify
ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "data" / "rules" / "default.yaml"

# A shop named in Chinese only: names inside names (精华 in 玫瑰精华液 and 露娜精华水, 露娜 in
# 露娜精华水, 玫瑰 starting 玫瑰精华液 and 玫瑰果油), twelve shoppers for a crowd count of 十二.
MAPPING = """\
namespace: https://ex.org/zh/
audience: {en: shoppers, zh: 顾客}
nodes:
  - file: products.csv
    type: Product
    id: id
    label: {zh: name}
    columns:
      brand: {relation: brand, type: Brand}
      category: {relation: category, type: Category}
      ingredients: {relation: ingredient, type: Ingredient, split: "|"}
  - {file: brands.csv, type: Brand, id: id, label: {zh: name}}
  - {file: categories.csv, type: Category, id: id, label: {zh: name}}
  - {file: ingredients.csv, type: Ingredient, id: id, label: {zh: name}}
facts:
  - file: purchases.csv
    subject: {column: user, type: User}
    relation: purchased
    object: {column: product, type: Product}
  - file: ratings.csv
    subject: {column: user, type: User}
    relation: rated
    object: {column: product, type: Product}
    values:
      score: {column: stars, datatype: decimal}
  - file: views.csv
    subject: {column: user, type: User}
    relation: viewed
    object: {column: product, type: Product}
"""
TABLES = {
    "products.csv": "id,name,brand,category,ingredients\np1,玫瑰精华液,b1,c1,i1|i2\np2,花漾玫瑰面霜,b1,c2,i1\n"
                    "p3,清透眼影盘,b2,c3,i3\np4,露娜精华水,b2,c1,i2\np5,花漾水润面霜,b1,c2,i1\n",
    "brands.csv": "id,name\nb1,花漾\nb2,露娜\n",
    "categories.csv": "id,name\nc1,精华\nc2,面霜\nc3,眼影盘\n",
    "ingredients.csv": "id,name\ni1,甘油\ni2,玫瑰果油\ni3,云母\n",
    "purchases.csv": "user,product\nu1,p1\n" + "".join(f"s{k:02d},p1\ns{k:02d},p3\n" for k in range(1, 13)),
    "ratings.csv": "user,product,stars\nu1,p1,5\n",
    "views.csv": "user,product\nu1,p4\n",
}
# (user, item, rule) whose chain each catalog's table is run on
TINY_PAIRS = [("u1", "p2", "same-brand"), ("u1", "p2", "shared-ingredient"), ("u1", "p4", "same-category"),
              ("u1", "p3", "crowd-also-bought"), ("u1", "p2", "same-brand-loved"), ("u1", "p4", "viewed")]
DEMO_PAIRS = [("u013", "p0169", "bought-together"), ("u001", "p0050", "also-bought"),
              ("u052", "p0001", "favourite-brand"), ("u007", "p0015", "stated-claim"),
              ("u001", "p0001", "suits-your-skin"), ("u001", "p0001", "same-brand"),
              ("u001", "p0001", "shared-ingredient"),
              ("u019", "p0134", "new-from-favourite-brand"), ("u001", "p0050", "crowd-also-bought"),
              ("u007", "p0134", "viewed"), ("u001", "p0197", "also-viewed")]
BAD_KINDS = ["false", "partly_true", "negated", "wrong_number", "inner_label", "unknown_word", "loop",
             "missing_item", "unsaid_fact", "swapped_roles", "invented_relation", "cjk_space"]


def _tiny(folder: Path):
    (folder / "whyrec.yaml").write_text(MAPPING, encoding="utf-8")
    for name, text in TABLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    graph = load_graph(folder, cache=False)
    return graph, load_rules(RULES, graph)


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    tiny = _tiny(tmp_path_factory.mktemp("zh-shop"))
    demo_graph = load_graph(ROOT / "data" / "demo")
    return {"tiny": (*tiny, TINY_PAIRS), "demo": (demo_graph, load_rules(RULES, demo_graph), DEMO_PAIRS)}


def cases(graph, rules, pairs):
    """(chain, good sentence, its variants by kind) for each pair whose rule finds a chain."""
    out = []
    for user, item, rule in pairs:
        chain = next((c for c in find_chains(graph, rules, user, item).chains if c.rule == rule), None)
        assert chain is not None, f"no {rule} chain for {user} -> {item}"
        chain = relabel([chain], graph, "zh")[0][0]  # the chain's names in Chinese, as the explainer reads them
        plan = rules.plan(rule)
        for template in plan.rule.says_in("zh"):
            text = fill_template(template, chain, plan=plan, rule=plan.rule, graph=graph, lang="zh")
            assert text, (rule, template)
            out.append((chain, text, variants(zh_context(text, chain, graph))))
    return out


@pytest.mark.parametrize("catalog", ["tiny", "demo"])
def test_good_sentences_and_their_chinese_numerals_are_shown(catalogs, catalog):
    graph, rules, pairs = catalogs[catalog]
    numerals = 0
    for chain, text, forms in cases(graph, rules, pairs):
        for form, sentence in forms["true"]:
            verdict = verify(sentence, [chain], graph, rules=rules, lang="zh")
            assert verdict.ok, (chain.rule, form, sentence, str(verdict))
            numerals += form == "chinese-numerals"
    assert numerals >= 2  # 五星 and 十二位 (tiny), 五星/四星 and a crowd count (demo)


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("catalog", ["tiny", "demo"])
def test_bad_sentences_are_never_shown(catalogs, catalog, kind):
    graph, rules, pairs = catalogs[catalog]
    tried = 0
    for chain, _, forms in cases(graph, rules, pairs):
        for form, sentence in forms[kind]:
            verdict = verify(sentence, [chain], graph, rules=rules, lang="zh")
            assert not verdict.ok, (chain.rule, kind, form, sentence)
            tried += 1
    assert tried, f"no {kind} sentence could be made on the {catalog} catalog"


def test_the_tiny_catalog_is_chinese_only_and_nests_names(catalogs):
    graph = catalogs["tiny"][0]
    assert graph.languages == ("zh",)
    names = {graph.label_in(n, "zh")[0] for n in range(graph.n_nodes) if not graph.is_user(n)}
    assert {"精华", "玫瑰精华液", "露娜", "露娜精华水"} <= names
