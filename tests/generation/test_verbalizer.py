"""The verbalizer: safe offline loading (refusals before transformers runs), n-best generation,
and the shipped checkpoint's sentences verified through realize's fallback logic."""
import json

import pytest

from generation.errors import VerbalizerError
from generation.verbalizer import (STYLES, Verbalizer, check_checkpoint, default_model_dir, source_for, style_for,
                                   styled)


def _tiny_checkpoint(folder):
    """A randomly initialised T5 of a few thousand parameters, with a tokenizer, saved as safetensors."""
    from training.config import TINY
    from training.model import build_model, save_checkpoint
    from training.tokenizer import train_tokenizer

    tok = train_tokenizer(["you bought <P1> ; <ITEM> brand <B1>", "You bought <P1>."] * 5, 300)
    save_checkpoint(build_model(TINY, tok), tok, TINY, folder)
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return _tiny_checkpoint(tmp_path_factory.mktemp("tiny"))


@pytest.fixture
def no_torch_load(monkeypatch):
    import torch

    def refuse(*a, **k):
        raise AssertionError("torch.load was called")
    monkeypatch.setattr(torch, "load", refuse)


def _copy(src, dst):
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def test_styles_are_stable_and_in_range():
    assert styled("why <ITEM>", STYLES + 1) == "style 1 | why <ITEM>"
    assert all(0 <= style_for(f"u{k}", "p1") < STYLES for k in range(50))
    assert len({style_for(f"u{k}", "p1") for k in range(50)}) == STYLES


def test_source_for_spells_out_a_shops_own_relation():
    from reasoning.chains import Chain, Fact
    c = Chain("r", (Fact("u1", "purchased", "p1", "u1", "A", "User", "Product"),
                    Fact("p1", "designed_by", "d1", "A", "Zed", "Product", "Designer")), ())
    assert "<P1> designed by <E1>" in source_for([c], "p9", "u1").source


def test_loads_offline_and_generates_n_best(tiny, monkeypatch, no_torch_load):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    v = Verbalizer.load(tiny)
    out = v.generate(["why <ITEM> | r : you purchased <P1>", "why <ITEM> | r : <ITEM> brand <B1>"], n=4,
                     max_new_tokens=5, styles=[0, 3])
    assert len(out) == 2 and all(len(beams) == 4 and all(isinstance(b, str) for b in beams) for beams in out)
    assert v.n_params < 100_000


def test_only_slots_of_the_source_can_be_said(tiny):
    import torch

    from generation.verbalizer import _SlotMask

    v = Verbalizer.load(tiny)
    sources = ["why <ITEM> | r : you viewed <ITEM>", "why <ITEM> | r : you purchased <P2> ; <P2> brand <B1>"]
    mask = _SlotMask(v._slot_mask(sources), beams=2)
    scores = mask(None, torch.zeros(4, len(v.tokenizer)))  # rows: source 0 beams 0-1, source 1 beams 0-1
    vocab = v.tokenizer.get_vocab()
    second = {"<ITEM>", "<P2>", "<B1>"}
    for row, allowed in ((0, {"<ITEM>"}), (1, {"<ITEM>"}), (2, second), (3, second)):
        for token in ("<ITEM>", " <ITEM>", "<P1>", " <P2>", "<B1>", "<CAT1>", "you"):
            ok = token == "you" or token.strip() in allowed
            assert (scores[row, vocab[token]].item() == 0.0) == ok, (row, token)
    beams = v.generate(sources, n=2, max_new_tokens=6)  # and generate() runs with the mask on
    assert [len(b) for b in beams] == [2, 2]


def test_pickle_only_checkpoint_is_refused_before_torch_load(tiny, tmp_path, no_torch_load):
    folder = _copy(tiny, tmp_path / "ckpt")
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04 not really a pickle")
    with pytest.raises(VerbalizerError) as err:
        Verbalizer.load(folder)
    assert err.value.code == "V002" and "pytorch_model.bin" in str(err.value)


def test_auto_map_is_refused(tiny, tmp_path):
    folder = _copy(tiny, tmp_path / "ckpt")
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoModelForSeq2SeqLM": "evil.Model"}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "evil.py").write_text("raise SystemExit('ran remote code')\n")
    with pytest.raises(VerbalizerError) as err:
        Verbalizer.load(folder)
    assert err.value.code == "V003" and "config.json" in str(err.value)


def _with_header(header: bytes) -> bytes:
    return len(header).to_bytes(8, "little") + header


@pytest.mark.parametrize("damage", ["truncate", "header", "empty", "list", "deep", "offsets"])
def test_corrupt_safetensors_is_a_clear_error(tiny, tmp_path, damage):
    folder = _copy(tiny, tmp_path / "ckpt")
    weights = folder / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes({"truncate": data[: len(data) // 2], "header": b"\xff" * 8 + data[8:], "empty": b"",
                         "list": _with_header(b"[1, 2, 3]"),
                         "deep": _with_header(b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
                         "offsets": _with_header(b'{"w": {"dtype": "F32", "shape": [1], "data_offsets": "x"}}'),
                         }[damage])
    with pytest.raises(VerbalizerError) as err:
        Verbalizer.load(folder)
    assert err.value.code == "V004" and "model.safetensors" in str(err.value)


def test_a_padded_config_is_still_read_for_auto_map(tiny, tmp_path):
    folder = _copy(tiny, tmp_path / "ckpt")
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoModelForSeq2SeqLM": "evil.Model"}
    (folder / "config.json").write_text(json.dumps(config) + " " * (51 * 2**20))
    with pytest.raises(VerbalizerError) as err:
        check_checkpoint(folder)
    assert err.value.code == "V003"


def test_missing_or_foreign_checkpoints(tmp_path, tiny):
    with pytest.raises(VerbalizerError) as err:
        check_checkpoint(tmp_path / "nowhere")
    assert err.value.code == "V001"
    folder = _copy(tiny, tmp_path / "gpt")
    config = json.loads((folder / "config.json").read_text())
    config.update(model_type="gpt2", is_encoder_decoder=False)
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(VerbalizerError) as err:
        check_checkpoint(folder)
    assert err.value.code == "V006"
    (folder / "config.json").write_text("{not json")
    with pytest.raises(VerbalizerError) as err:
        check_checkpoint(folder)
    assert err.value.code == "V005" and ":1:" in str(err.value)


SHIPPED = default_model_dir()


@pytest.mark.skipif(not (SHIPPED / "model.safetensors").exists(), reason="data/models/verbalizer is absent")
def test_shipped_model_sentences_are_verified(monkeypatch, no_torch_load):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import torch

    from generation.realize import realize_many
    from tests.generation.shop import chains_by_rule, shop

    torch.set_num_threads(1)
    graph, rules = shop()
    v = Verbalizer.load()
    assert sum(f.stat().st_size for f in SHIPPED.iterdir()) <= 30 * 2**20
    assert all((SHIPPED / f).is_file() for f in ("train_config.json", "metrics.json", "tokenizer.json", "README.md"))
    batch = [[chains[0]] for _, chains in sorted(chains_by_rule().items())]
    out = realize_many(batch, graph, rules, v, n_best=4)
    assert all(r.verified for r in out)
    assert sum(r.source == "model" for r in out) >= 0.8 * len(out)
