"""Explainer(lang="zh"): Chinese reasons, every one verified by the Chinese reader, labels in
Chinese, templates only (said in the notes) when no Chinese model is shipped; English unchanged."""
from __future__ import annotations

import re

import pytest

from generation.errors import UnknownLanguage
from generation.explain import Explainer
from tests.generation.shop_zh import shop_zh

CJK_SPACE = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def explainer(tmp_path_factory):
    g, rules = shop_zh()
    return Explainer(g, rules, verbalizer=None, scorer="weights", lang="zh", show_progress=False,
                     feedback=tmp_path_factory.mktemp("fb") / "votes.sqlite")


def test_chinese_reasons_are_verified_and_written_without_spaces(explainer):
    g = explainer.graph
    shown = 0
    for item in sorted(g.items()):
        e = explainer.explain("u1", item, k=3)
        for r in e.reasons:
            shown += 1
            assert r.verified and r.verdict_ok and r.text.endswith("。"), r.text
            assert not CJK_SPACE.search(r.text) and not re.search(r"[A-Za-z]{3,}", r.text), r.text
    assert shown >= 6


def test_item_label_and_facts_are_in_chinese(explainer):
    e = explainer.explain("u1", "p2", k=3)
    assert e.item_label == "光彩面霜"
    d = e.to_dict()
    assert any(f["object_label"] == "露米耶" for r in d["reasons"] for f in r["facts"])


def test_no_model_for_the_language_is_said_in_the_notes(tmp_path):
    g, rules = shop_zh()
    ex = Explainer(g, rules, scorer="weights", lang="zh", show_progress=False, feedback=tmp_path / "f.sqlite")
    if ex.verbalizer is None:  # data/models/verbalizer-zh not shipped in this checkout
        assert any("no zh model" in n for n in ex.explain("u1", "p2").notes)
    else:
        assert all(r.verified for r in ex.explain("u1", "p2").reasons)


def test_an_unknown_language_is_refused_with_a_code(tmp_path):
    g, rules = shop_zh()
    with pytest.raises(UnknownLanguage) as err:
        Explainer(g, rules, verbalizer=None, scorer="weights", lang="fr", feedback=tmp_path / "f.sqlite")
    assert err.value.code == "E005"
