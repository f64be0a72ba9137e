"""The verbalization cache: the model's own answers, asked once per distinct input."""
from __future__ import annotations

import sqlite3

import pytest

from generation.explain import Explainer
from generation.vcache import VerbalizationCache, model_identity


class Counting:
    """A stand-in model: deterministic answers that depend on every part of the key; counts calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], int, list[int] | None]] = []

    def generate(self, sources, n, styles=None):
        self.calls.append((list(sources), n, None if styles is None else list(styles)))
        return [[f"{s}|{n}|{styles[k] if styles else '-'}|{b}" for b in range(n)] for k, s in enumerate(sources)]


def test_answers_are_the_models_and_repeats_skip_it() -> None:
    model, plain = Counting(), Counting()
    vc = VerbalizationCache(model)
    sources, styles = ["a", "b", "a", "c"], [0, 1, 0, 2]
    assert vc.generate(sources, 2, styles=styles) == plain.generate(sources, 2, styles=styles)
    assert model.calls == [(["a", "b", "c"], 2, [0, 1, 2])]  # "a" asked once, order kept
    assert vc.generate(["c", "a"], 2, styles=[2, 0]) == plain.generate(["c", "a"], 2, styles=[2, 0])
    assert len(model.calls) == 1
    assert vc.stats()["hits"] == 3 and vc.stats()["misses"] == 3


@pytest.mark.parametrize("change", ["n", "style", "option"])
def test_n_style_and_options_are_part_of_the_key(change: str) -> None:
    model = Counting()
    if change == "option":
        model.generate = lambda s, n, styles=None, num_beams=None: Counting.generate(model, s, n, styles)
    vc = VerbalizationCache(model)
    vc.generate(["a"], 1, styles=[0], **({"num_beams": 4} if change == "option" else {}))
    if change == "n":
        out = vc.generate(["a"], 2, styles=[0])
    elif change == "style":
        out = vc.generate(["a"], 1, styles=[3])
    else:
        out = vc.generate(["a"], 1, styles=[0], num_beams=8)
    assert len(model.calls) == 2 and out[0][0].startswith("a|")


def test_memory_is_bounded_least_recently_used_first() -> None:
    model = Counting()
    vc = VerbalizationCache(model, max_entries=2)
    vc.generate(["a"], 1)
    vc.generate(["b"], 1)
    vc.generate(["a"], 1)  # a is now the most recent
    vc.generate(["c"], 1)  # evicts b
    assert vc.stats()["entries"] == 2
    vc.generate(["a"], 1)
    assert len(model.calls) == 3
    vc.generate(["b"], 1)
    assert len(model.calls) == 4


def test_on_disk_answers_are_shared_and_keyed_by_the_model(tmp_path) -> None:
    path = tmp_path / "vc.sqlite"
    first = Counting()
    VerbalizationCache(first, path=path, identity="model-A").generate(["a", "b"], 2, styles=[0, 1])
    again = Counting()
    later = VerbalizationCache(again, path=path, identity="model-A")  # another process, a later run
    assert later.generate(["b", "a"], 2, styles=[1, 0]) == Counting().generate(["b", "a"], 2, styles=[1, 0])
    assert again.calls == [] and later.stats()["disk_hits"] == 2
    other = Counting()
    VerbalizationCache(other, path=path, identity="model-B").generate(["a"], 2, styles=[0])
    assert len(other.calls) == 1  # a retrained model never reads the old model's sentences


def test_a_damaged_disk_cache_is_refused_or_missed(tmp_path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError):
        VerbalizationCache(Counting(), path=bad, identity="x")
    path = tmp_path / "vc.sqlite"
    VerbalizationCache(Counting(), path=path, identity="x").generate(["a"], 1)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE sentences SET texts = '{not json'")
    model = Counting()
    assert VerbalizationCache(model, path=path, identity="x").generate(["a"], 1) == [["a|1|-|0"]]
    assert len(model.calls) == 1
    with pytest.raises(ValueError):
        VerbalizationCache(Counting(), path=path)  # no identity for a model that cannot be hashed


def test_identity_hashes_weights_config_and_tokenizer() -> None:
    torch = pytest.importorskip("torch")
    from generation.verbalizer import Verbalizer, default_model_dir
    if not (default_model_dir() / "config.json").exists():
        pytest.skip("no shipped verbalizer")
    torch.set_num_threads(1)
    a, b = Verbalizer.load(), Verbalizer.load()
    assert model_identity(a) == model_identity(b)
    with torch.no_grad():
        next(b.model.parameters()).view(-1)[0] += 1e-3
    assert model_identity(a) != model_identity(b)


def test_the_explainer_asks_the_model_once_per_distinct_input(graph, rules, scorer) -> None:
    class Echo(Counting):
        def generate(self, sources, n, styles=None):  # say nothing the verifier accepts: templates win
            super().generate(sources, n, styles)
            return [["<ITEM> is nice"] * n for _ in sources]
    model = Echo()
    ex = Explainer(graph, rules, verbalizer=model, scorer=scorer, feedback=None)
    pairs = [("u001", p) for p in ("p0005", "p0010", "p0020")]
    first = ex.explain_many(pairs)
    asked = sum(len(c[0]) for c in model.calls)
    again = ex.explain_many(pairs)
    assert first == again and sum(len(c[0]) for c in model.calls) == asked
    assert ex.vcache.stats()["hits"] >= asked
    assert all(c[2] is not None for c in model.calls)  # the styles realize() picks reach the model
    none = Explainer(graph, rules, verbalizer=model, scorer=scorer, vcache=0)
    assert none.vcache is None


def test_a_cached_run_never_loads_the_model(tmp_path) -> None:
    """The command line's set-up: a checkpoint that loads on its first miss, answers from disk."""
    from generation.vcache import LazyVerbalizer, checkpoint_identity
    from generation.verbalizer import default_model_dir
    folder = default_model_dir()
    if not (folder / "config.json").exists():
        pytest.skip("no shipped verbalizer")
    lazy = LazyVerbalizer(folder)
    assert lazy.identity == checkpoint_identity(folder)
    path = tmp_path / "sentences.sqlite"
    VerbalizationCache(Counting(), path=path, identity=lazy.identity).generate(["why <ITEM>"], 1, styles=[2])
    vc = VerbalizationCache(lazy, path=path)
    assert vc.generate(["why <ITEM>"], 1, styles=[2]) == [["why <ITEM>|1|2|0"]]
    assert lazy._model is None  # torch was never needed
