"""Hidden tags: reasons of rules tagged 'sensitive' only with consent, any tag hidden on request,
and nothing of a hidden rule in any output (text, JSON with debug, notes, HTML)."""
from __future__ import annotations

import json

import pytest

from generation.errors import BadRequest
from generation.explain import Explainer
from generation.render import render_html

SKIN = ("u001", "p0008")  # suits-your-skin (tagged sensitive) is ranked into this pair's reasons
SENSITIVE_RULE = "suits-your-skin"


@pytest.fixture(scope="module")
def explainer(graph, rules, ranker, tmp_path_factory):
    return Explainer(graph, rules, verbalizer=None, scorer=ranker, feedback=tmp_path_factory.mktemp("fb") / "f.json")


def _everything(x) -> str:
    """Every output of one explanation, as one text to search."""
    return "\n".join([json.dumps(x.to_dict(debug=True), ensure_ascii=False), x.message, *x.notes,
                      *(r.text for r in x.reasons), render_html(x)])


def _rule_words(rules, rule_id: str) -> list[str]:
    rule = rules.get(rule_id)
    return [rule_id, rule.description, rule.heading]


def test_sensitive_reasons_need_consent(explainer, rules) -> None:
    assert "sensitive" in rules.get(SENSITIVE_RULE).tags
    shown = explainer.explain(*SKIN, k=5, consent=True)
    assert SENSITIVE_RULE in [r.rule for r in shown.reasons]
    hidden = explainer.explain(*SKIN, k=5)  # the default: no consent
    assert hidden.reasons and SENSITIVE_RULE not in [r.rule for r in hidden.reasons]
    blob = _everything(hidden)
    for word in _rule_words(rules, SENSITIVE_RULE):
        assert word not in blob
    assert [r.rank for r in hidden.reasons] == list(range(1, len(hidden.reasons) + 1))


@pytest.mark.parametrize("tag", ["preference", "collaborative", "sensitive"])
def test_any_tag_can_be_hidden_and_never_appears(explainer, rules, graph, tag) -> None:
    tagged = [r.id for r in rules if tag in r.tags]
    assert tagged
    pairs = [SKIN, ("u022", "p0112"), ("u001", "p0121"), ("u005", "p0050")]
    for x in explainer.explain_many(pairs, k=5, hide_tags={tag}, consent=True):
        assert not {r.rule for r in x.reasons} & set(tagged)
        assert all(tag not in r.tags for r in x.reasons)
        blob = _everything(x)
        for rule_id in tagged:
            for word in _rule_words(rules, rule_id):
                assert word not in blob, (rule_id, word)


def test_consent_per_user_in_a_batch(explainer) -> None:
    many = explainer.explain_many([SKIN, SKIN], k=5, consent={"u001"})
    assert all(SENSITIVE_RULE in [r.rule for r in x.reasons] for x in many)
    many = explainer.explain_many([SKIN], k=5, consent={"u002"})
    assert SENSITIVE_RULE not in [r.rule for r in many[0].reasons]


def test_hiding_leaves_k_reasons_of_other_rules(explainer) -> None:
    """Hidden rules are left out before ranking: they take no place among the k."""
    pair = ("u020", "p0277")  # three reasons with consent, one of them suits-your-skin
    shown = explainer.explain(*pair, k=3, consent=True)
    hidden = explainer.explain(*pair, k=3)
    assert SENSITIVE_RULE in [r.rule for r in shown.reasons]
    assert len(shown.reasons) == len(hidden.reasons) == 3


@pytest.mark.parametrize("kw", [{"hide_tags": "sensitive"}, {"consent": "u001"}])
def test_a_lone_string_is_refused(explainer, kw) -> None:
    with pytest.raises(BadRequest) as err:
        explainer.explain(*SKIN, **kw)
    assert err.value.code == "E004"
