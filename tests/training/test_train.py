"""A tiny model trains for a few steps, saves (safetensors only), resumes, loads offline and generates."""
import json

import pytest

from generation.errors import VerbalizerError
from generation.verbalizer import Verbalizer
from tests.training.tiny import tiny_corpus
from training.config import TINY
from training.train import resume_dir, train


@pytest.fixture
def no_torch_load(monkeypatch):
    import torch

    def refuse(*a, **k):
        raise AssertionError("torch.load was called")
    monkeypatch.setattr(torch, "load", refuse)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    import torch
    torch.set_num_threads(1)
    _, _, corpus = tiny_corpus()
    out = tmp_path_factory.mktemp("run") / "verbalizer"
    return out, train(corpus.train, corpus.dev, TINY, out, progress=False, log=lambda s: None)


def test_training_saves_a_safe_complete_checkpoint(trained):
    out, result = trained
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "train_config.json", "training.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    assert not resume_dir(out).exists()  # finished runs leave no resume state behind
    assert json.loads((out / "train_config.json").read_text()) == TINY.to_dict()
    assert 1 <= result.epochs_run <= TINY.epochs and result.best_epoch >= 1
    assert [h["epoch"] for h in result.history] == list(range(1, result.epochs_run + 1))


def test_trained_checkpoint_loads_offline_and_generates(trained, monkeypatch, no_torch_load):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out, _ = trained
    _, _, corpus = tiny_corpus()
    v = Verbalizer.load(out)
    sources = [e.source.split(" | ", 1)[1] for e in corpus.dev[:3]]
    beams = v.generate(sources, n=4, max_new_tokens=8, styles=[e.style for e in corpus.dev[:3]])
    assert [len(b) for b in beams] == [4, 4, 4]


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path, no_torch_load):
    _, _, corpus = tiny_corpus()
    out = tmp_path / "v"
    config = TINY.replace(epochs=2, patience=5, max_minutes=1e-6)  # stops after the first epoch
    first = train(corpus.train, corpus.dev, config, out, progress=False, log=lambda s: None)
    assert first.stopped == "time" and first.epochs_run == 1
    assert (resume_dir(out) / "optimizer.safetensors").is_file()
    again = train(corpus.train, corpus.dev, config.replace(max_minutes=0.0), out, resume=True, progress=False,
                  log=lambda s: None)
    assert again.stopped == "epochs" and [h["epoch"] for h in again.history] == [1, 2]
    assert not resume_dir(out).exists()


def test_resume_with_other_settings_is_refused(tmp_path):
    _, _, corpus = tiny_corpus()
    out = tmp_path / "v"
    config = TINY.replace(epochs=2, max_minutes=1e-6)
    train(corpus.train, corpus.dev, config, out, progress=False, log=lambda s: None)
    with pytest.raises(VerbalizerError) as err:
        train(corpus.train, corpus.dev, config.replace(d_model=64), out, resume=True, progress=False,
              log=lambda s: None)
    assert err.value.code == "V013" and "d_model" in str(err.value)


def test_fine_tuning_from_a_local_checkpoint(tmp_path, trained):
    out, _ = trained
    _, _, corpus = tiny_corpus()
    result = train(corpus.train[:16], corpus.dev[:4], TINY.replace(epochs=1), tmp_path / "ft", init=out,
                   progress=False, log=lambda s: None)
    saved = json.loads((tmp_path / "ft" / "train_config.json").read_text())
    assert saved["init"] == str(out) and result.epochs_run == 1


def test_same_seed_same_weights(tmp_path):
    _, _, corpus = tiny_corpus()
    config = TINY.replace(epochs=1)
    for name in ("a", "b"):
        train(corpus.train[:24], corpus.dev[:4], config, tmp_path / name, progress=False, log=lambda s: None)
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()
