"""Privacy of explanations, with planted canaries: other shoppers are counted, never named.

The demo shop is copied and given canary users (ids and review headlines that must never be
shown to anyone else) who buy, rate and view the same products as real users, so they stand in
the crowd of collaborative rules for real users' pairs. Every reason text, ``to_dict()`` JSON
and HTML page for real users must be free of them, and a crowd below ``min_support`` says nothing.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from generation.explain import Explainer
from generation.render import render_html
from kg import load_graph
from reasoning import find_chains, load_rules

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"
CANARY_ID, CANARY_TEXT = "zz-canary-7f3a", "CANARY-REVIEW-91b2"
ANCHOR, TARGET = "zzp-anchor", "zzp-target"  # new products: only the canaries link them
REAL = "u001"  # a real user who buys ANCHOR
POPULAR = ["p0166", "p0050", "p0045", "p0201", "p0314"]  # the demo's most bought products
CROWD_RULES = {"crowd-also-bought", "crowd-rated-highly"}


def canary(k: int) -> str:
    return f"{CANARY_ID}-{k:02d}"


def _append(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def build_shop(folder: Path, canaries: int) -> Path:
    """The demo catalog plus ``canaries`` planted shoppers (and two products only they connect)."""
    shop = folder / f"shop-{canaries}"
    shutil.copytree(DEMO, shop, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    _append(shop / "brands.csv", [["zedwick", "Zedwick"]])
    base = ["zedwick", "", "skin-care/serums/hydrating", "24.00", "30 ml", "", "", "glycerin|squalane", "dry", "",
            "vegan", ""]  # the last: no short name
    _append(shop / "products.csv", [[ANCHOR, "Zedwick Anchor Balm 30 ml"] + base,
                                    [TARGET, "Zedwick Target Tonic 30 ml"] + base])
    _append(shop / "purchases.csv", [[REAL, ANCHOR, "2024-03-01"]])
    users, bought, rated, viewed = [], [], [], []
    for k in range(canaries):
        c = canary(k)
        users.append([c, "35.00"])
        for d, p in enumerate([ANCHOR, TARGET] + POPULAR):
            bought.append([c, p, f"2024-0{1 + d}-1{k % 10}"])
            rated.append([c, p, "5", f"{CANARY_TEXT} {c} loved it", f"2024-0{1 + d}-2{k % 10}"])
        viewed += [[c, TARGET, "2024-09-01"], [c, "p0010", "2024-09-02"]]
    _append(shop / "users.csv", users)
    _append(shop / "purchases.csv", bought)
    _append(shop / "ratings.csv", rated)
    _append(shop / "views.csv", viewed)
    _append(shop / "preferences.csv", [[canary(k), "prefers", "zedwick", "Brand"] for k in range(canaries)])
    return shop


def _bought(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["user_id"], set()).add(row["product_id"])
    return out


def real_pairs(shop: Path, n: int = 40) -> list[tuple[str, str]]:
    """Real users who bought a popular product, with another popular product they did not buy."""
    bought = _bought(shop / "purchases.csv")
    pairs = [(REAL, TARGET)]
    for user in sorted(u for u in bought if not u.startswith(CANARY_ID)):
        for item in POPULAR:
            if item not in bought[user] and bought[user] & set(POPULAR):
                pairs.append((user, item))
                break
    return pairs[:n]


def _leaks(text: str) -> list[str]:
    return [s for s in (CANARY_ID, CANARY_TEXT, "loved it") if s in text]


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    return build_shop(tmp_path_factory.mktemp("privacy"), canaries=12)


@pytest.fixture(scope="module")
def explained(shop, tmp_path_factory):
    graph = load_graph(shop)
    rules = load_rules(RULES, graph)
    assert any(u.startswith(CANARY_ID) for u in graph.users())
    ex = Explainer(graph, rules, verbalizer=None, feedback=tmp_path_factory.mktemp("fb") / "f.json")
    pairs = real_pairs(shop)
    return graph, rules, ex.explain_many(pairs, k=10)


def test_canaries_appear_nowhere_in_texts_json_or_pages(explained) -> None:
    graph, _, results = explained
    assert len(results) >= 20 and sum(len(e.reasons) for e in results) >= 40
    for e in results:
        assert not e.user.startswith(CANARY_ID)
        for r in e.reasons:
            assert not _leaks(r.text), r.text
        blob = json.dumps(e.to_dict(), ensure_ascii=False)
        assert not _leaks(blob), (e.user, e.item, _leaks(blob))
        page = render_html(e, graph)
        assert not _leaks(page), (e.user, e.item, _leaks(page))


def test_canaries_do_stand_in_the_crowds(explained) -> None:
    """Without this the test above would prove nothing: the canaries' purchases count for real users."""
    graph, rules, results = explained
    crowd = [(e, r) for e in results for r in e.reasons if r.rule in CROWD_RULES]
    assert crowd, "no collaborative reason fired: the canaries are not in any crowd"
    target = next(e for e in results if e.item == TARGET)
    # only canaries link ANCHOR and TARGET: both crowd rules find them; one is said, since both
    # lean on the product ANCHOR and a pair's reasons never repeat a product
    assert {c.rule for c in find_chains(graph, rules, REAL, TARGET).chains} >= CROWD_RULES
    assert {r.rule for r in target.reasons} & CROWD_RULES
    assert all(r.chain.support == 12 for r in target.reasons if r.rule in CROWD_RULES)


def test_collaborative_reasons_give_counts_only_at_or_above_min_support(explained) -> None:
    _, rules, results = explained
    for e in results:
        for r in e.reasons:
            if not rules.get(r.rule).collaborative:
                assert all(f.subject is not None and f.count is None for f in r.facts)
                continue
            support = r.chain.support
            assert support is not None and support >= rules.get(r.rule).min_support
            assert str(support) in r.text  # said as a number ...
            crowd = [f for f in r.facts if f.subject is None or f.count is not None]
            assert crowd and all(f.count == support for f in crowd)
            for f in crowd:  # ... and stored as a number: nobody's key or name
                assert f.subject is None and f.subject_label == f"{support} other shoppers"
            for b in (b for _, b in r.chain.bindings):
                assert not b.key.startswith(CANARY_ID) and not b.label.startswith(CANARY_ID)


def test_a_crowd_one_short_of_min_support_says_nothing(tmp_path) -> None:
    supports = {load_rules(RULES).get(rid).min_support for rid in CROWD_RULES}
    assert len(supports) == 1
    need = supports.pop()
    for n, fires in ((need - 1, False), (need, True)):
        graph = load_graph(build_shop(tmp_path, n))
        rules = load_rules(RULES, graph)
        chains = find_chains(graph, rules, REAL, TARGET).chains
        assert bool({c.rule for c in chains} & CROWD_RULES) is fires, n
        ex = Explainer(graph, rules, verbalizer=None, scorer="weights", feedback=tmp_path / f"f{n}.json")
        e = ex.explain(REAL, TARGET, k=10)
        said = {r.rule for r in e.reasons}
        if fires:
            assert said >= CROWD_RULES
            assert all(r.chain.support == need for r in e.reasons if r.rule in CROWD_RULES)
        else:
            assert not said & CROWD_RULES
        for r in e.reasons:
            assert not _leaks(r.text)
