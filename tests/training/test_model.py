import json

import pytest

from generation.errors import VerbalizerError
from training.config import TINY
from training.model import atomic_dir, build_model, load_init, n_params, save_checkpoint
from training.tokenizer import train_tokenizer

TEXTS = ["why <ITEM> | r : you purchased <P1> ; <P1> brand <B1>", "You bought <P1>, and <ITEM> is by <B1>."] * 5


@pytest.mark.parametrize("family", ["t5", "bart"])
def test_small_model_from_config_computes_a_loss(family):
    import torch

    tok = train_tokenizer(TEXTS, 300)
    model = build_model(TINY.replace(family=family), tok)
    assert n_params(model) < 60_000
    batch = tok(TEXTS[:2], padding=True, return_tensors="pt")
    labels = tok(TEXTS[2:4], padding=True, return_tensors="pt")["input_ids"]
    loss = model(**batch, labels=labels).loss
    assert torch.isfinite(loss) and loss.item() > 0


def test_init_from_a_local_random_t5_learns_the_slot_tokens(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    raw = Tokenizer(models.WordLevel({"<pad>": 0, "</s>": 1, "<unk>": 2, "you": 3, "bought": 4}, unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="<unk>", eos_token="</s>")  # no pad token
    model = T5ForConditionalGeneration(T5Config(vocab_size=5, d_model=16, d_kv=8, d_ff=32, num_layers=1,
                                                num_heads=2, decoder_start_token_id=0, pad_token_id=0))
    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    model, tok = load_init(tmp_path)
    assert tok.pad_token is not None and tok.convert_tokens_to_ids("<ITEM>") != tok.unk_token_id
    assert model.get_input_embeddings().num_embeddings >= len(tok)


def test_atomic_dir_replaces_a_checkpoint_and_keeps_it_on_failure(tmp_path):
    tok = train_tokenizer(TEXTS, 300)
    out = tmp_path / "ckpt"
    with atomic_dir(out) as tmp:
        save_checkpoint(build_model(TINY, tok), tok, TINY, tmp)
    first = (out / "model.safetensors").read_bytes()
    with pytest.raises(RuntimeError):
        with atomic_dir(out) as tmp:
            (tmp / "config.json").write_text("{}")
            raise RuntimeError("crash while saving")
    assert (out / "model.safetensors").read_bytes() == first
    assert json.loads((out / "train_config.json").read_text())["d_model"] == TINY.d_model
    with atomic_dir(out) as tmp:
        save_checkpoint(build_model(TINY.replace(seed=2), tok), tok, TINY, tmp)
    assert (out / "model.safetensors").read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt"]  # no temp or backup folders left


def test_atomic_dir_never_replaces_a_folder_that_is_not_a_checkpoint(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(VerbalizerError) as err:
        with atomic_dir(tmp_path):
            pass
    assert err.value.code == "V011" and (tmp_path / "notes.txt").read_text() == "mine"
