"""The scorer cache: trained once per graph and rule content, found again anywhere, never half-read."""
from __future__ import annotations

import shutil

import pytest

from kg import load_graph
from reasoning import load_rules
from reasoning.scorer_cache import ENV, FOLDER, TrainSettings, cache_folders, cache_key, cached_scorer
from reasoning.train import train_scorer
from tests.reasoning import evidence_shop


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self, graph, rules, **settings):
        self.calls += 1
        return train_scorer(graph, rules, **settings)


def load(folder):
    graph = load_graph(folder)
    return graph, load_rules(folder / "rules.yaml", graph)


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "cache"))
    return evidence_shop.write(tmp_path / "shop")


def test_trained_once_then_read(shop, tmp_path):
    graph, rules = load(shop)
    trainer = Counting()
    first = cached_scorer(graph, rules, trainer=trainer)
    again = cached_scorer(*load(shop), trainer=trainer)  # a fresh load of the same data
    assert trainer.calls == 1 and again == first and first.trained
    files = list((tmp_path / "cache").glob("scorer-*.json"))
    assert [f.name for f in files] == [f"scorer-{cache_key(graph, rules, TrainSettings())}.json"]
    assert cached_scorer(graph, rules, TrainSettings(keep_order=True), trainer=trainer).keep_order
    assert trainer.calls == 2  # other settings, another scorer


def test_the_key_follows_content_not_place_or_wording(shop, tmp_path):
    graph, rules = load(shop)
    key = cache_key(graph, rules, TrainSettings())
    copy = shutil.copytree(shop, tmp_path / "elsewhere")
    assert cache_key(*load(copy), TrainSettings()) == key
    text = (copy / "rules.yaml").read_text()
    (copy / "rules.yaml").write_text(text.replace('says: "{item} is often bought with {product}."',
                                                  'says: "People who buy {product} buy {item}."'))
    assert cache_key(*load(copy), TrainSettings()) == key  # a new sentence does not retrain
    (copy / "rules.yaml").write_text(text.replace("weight: 2.5", "weight: 2.4"))
    assert cache_key(*load(copy), TrainSettings()) != key
    (copy / "rules.yaml").write_text(text)
    with open(copy / "purchases.csv", "a") as f:
        f.write("u00,s03,2024-05-01\n")
    assert cache_key(*load(copy), TrainSettings()) != key


def test_a_damaged_file_is_trained_again_and_replaced(shop, tmp_path):
    graph, rules = load(shop)
    trainer = Counting()
    good = cached_scorer(graph, rules, trainer=trainer)
    path = next((tmp_path / "cache").glob("scorer-*.json"))
    path.write_text(good.to_json()[:100])
    assert cached_scorer(graph, rules, trainer=trainer) == good and trainer.calls == 2
    assert cached_scorer(graph, rules, trainer=trainer) == good and trainer.calls == 2  # replaced


def test_beside_the_graph_else_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    shop = evidence_shop.write(tmp_path / "shop")
    graph, rules = load(shop)
    assert cache_folders(graph) == [shop / FOLDER, tmp_path / "home" / "whyrec"]
    cached_scorer(graph, rules)
    assert len(list((shop / FOLDER).glob("scorer-*.json"))) == 1
    blocked = evidence_shop.write(tmp_path / "blocked")
    (blocked / FOLDER).write_text("not a folder")  # as a read-only data folder would refuse it
    scorer = cached_scorer(*load(blocked))
    assert scorer.trained and len(list((tmp_path / "home" / "whyrec").glob("scorer-*.json"))) == 1
