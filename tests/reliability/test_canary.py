"""Planted canary shoppers never show in another shopper's reasons, JSON or page.

The shop (tests/reliability/shop.py) has four canaries who bought what u1 bought and rated Night
Oil 5 stars with a review naming them. Every pair of every real user is explained, with the
templates and with a verbalizer; each text, to_dict() JSON and HTML page is searched for the
canaries' ids, names and review. The crowd reason must still count them, or the test proves
nothing. tests/generation/test_privacy.py does the same on the demo catalog.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reliability.shop import CANARY_IDS, CANARY_TEXTS, USERS, write_shop

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "models" / "verbalizer"


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    from kg import load_graph
    from reasoning.ruleset import load_rules

    folder = write_shop(tmp_path_factory.mktemp("canary-shop"))
    graph = load_graph(folder)
    return graph, load_rules(folder / "rules.yaml", graph), folder


def _leaks(texts: list[str]) -> list[str]:
    return sorted({c for t in texts for c in CANARY_TEXTS if c.lower() in t.lower()})


@pytest.mark.parametrize("model", ["templates", "verbalizer"])
def test_no_canary_reaches_another_users_reasons_json_or_page(shop, tiny_model, model, tmp_path):
    from generation.explain import Explainer
    from generation.render import render_html

    graph, rules, _ = shop
    verbalizer = None if model == "templates" else (SHIPPED if (SHIPPED / "model.safetensors").is_file()
                                                    else tiny_model)
    explainer = Explainer(graph, rules, verbalizer=verbalizer, scorer="weights", feedback=tmp_path / "fb.json")
    pairs = [(u, i) for u in USERS for i in sorted(graph.items())]
    explanations = explainer.explain_many(pairs, k=5)
    blobs, crowd = [], []
    for x in explanations:
        blobs += [r.text for r in x.reasons] + [json.dumps(x.to_dict(), ensure_ascii=False), x.message]
        blobs.append(render_html(x, graph))
        crowd += [r.text for r in x.reasons if r.rule == "crowd"]
    for u in USERS:  # one page per user with all of that user's reasons
        blobs.append(render_html([x for x in explanations if x.user == u], graph))
    assert _leaks(blobs) == []
    assert any(f"{len(CANARY_IDS)} people" in t for t in crowd), crowd  # the canaries were counted


def test_a_canarys_own_page_may_show_their_own_review(shop):
    # the search is not blind: a canary's own reasons do carry their data
    from generation.explain import Explainer

    graph, rules, _ = shop
    x = Explainer(graph, rules, verbalizer=None, scorer="weights").explain(CANARY_IDS[0], "p1", k=5)
    assert json.dumps(x.to_dict()).count(CANARY_IDS[0]) >= 1


@pytest.mark.parametrize("says, code", [
    ("{count} shoppers like {other} rated {item} highly.", "R020"),
    ("{count} shoppers said {r.summary} about {item}.", "R020"),
])
def test_a_rule_cannot_quote_or_name_the_crowd(shop, tmp_path, says, code):
    from reasoning.errors import RuleError
    from reasoning.ruleset import load_rules

    graph, _, _ = shop
    path = tmp_path / "r.yaml"
    path.write_text(f'- id: leak\n  tags: [collaborative]\n  min_support: 2\n  says: "{says}"\n  path:\n'
                    "    - user purchased product\n    - other purchased product\n    - other rated item as r\n")
    with pytest.raises(RuleError) as err:
        load_rules(path, graph)
    assert code in {p.code for p in err.value.problems} and f"{path}:4:" in str(err.value)


def test_a_rule_that_binds_other_shoppers_must_be_collaborative(shop, tmp_path):
    from reasoning.errors import RuleError
    from reasoning.ruleset import load_rules

    graph, _, _ = shop
    path = tmp_path / "r.yaml"
    path.write_text('- id: buddy\n  says: "{buddy} also bought {product}."\n  path:\n    - user purchased product\n'
                    "    - buddy purchased product\n    - buddy viewed item\n")
    with pytest.raises(RuleError) as err:
        load_rules(path, graph)
    assert "R080" in {p.code for p in err.value.problems}
