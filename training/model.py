"""The seq2seq model: a small T5 (or BART) from the config, or a local checkpoint to fine-tune.

From scratch is the default: the slot scheme leaves the model only relation words and
sentence structure to learn, which a ~2M-parameter model does well in minutes on a CPU.
``--init DIR`` starts from a checkpoint the user already has (t5-small, flan-t5, bart); it is
checked by the same safe loader as the shipped model (no pickle, no remote code, offline).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generation.errors import VerbalizerError
from generation.verbalizer import recover_checkpoint
from generation.verbalizer import load_seq2seq
from kg.errors import Where
from training.config import TrainConfig
from training.tokenizer import BOS, EOS, PAD, add_slot_tokens


def build_model(config: TrainConfig, tokenizer: Any) -> Any:
    """A randomly initialised encoder-decoder sized by ``config`` for ``tokenizer``'s vocabulary."""
    import torch

    torch.manual_seed(config.seed)
    vocab = len(tokenizer)
    pad, eos = tokenizer.convert_tokens_to_ids(PAD), tokenizer.convert_tokens_to_ids(EOS)
    if config.family == "t5":
        from transformers import T5Config, T5ForConditionalGeneration

        t5 = T5Config(vocab_size=vocab, d_model=config.d_model, d_kv=config.d_model // config.heads,
                      d_ff=config.d_ff, num_layers=config.layers, num_decoder_layers=config.layers,
                      num_heads=config.heads, dropout_rate=config.dropout, feed_forward_proj="relu",
                      relative_attention_num_buckets=16, relative_attention_max_distance=64,
                      pad_token_id=pad, eos_token_id=eos, decoder_start_token_id=pad,
                      tie_word_embeddings=True)
        return T5ForConditionalGeneration(t5)
    from transformers import BartConfig, BartForConditionalGeneration

    bos = tokenizer.convert_tokens_to_ids(BOS)
    bart = BartConfig(vocab_size=vocab, d_model=config.d_model, encoder_layers=config.layers,
                      decoder_layers=config.layers, encoder_attention_heads=config.heads,
                      decoder_attention_heads=config.heads, encoder_ffn_dim=config.d_ff, decoder_ffn_dim=config.d_ff,
                      dropout=config.dropout, max_position_embeddings=max(config.max_source_len, config.max_target_len) + 8,
                      pad_token_id=pad, bos_token_id=bos, eos_token_id=eos, decoder_start_token_id=eos,
                      forced_eos_token_id=eos, scale_embedding=True, tie_word_embeddings=True)
    return BartForConditionalGeneration(bart)


def load_init(directory: str | os.PathLike[str]) -> tuple[Any, Any]:
    """(model, tokenizer) from a local checkpoint, taught the slot tokens, embeddings resized to match."""
    model, tokenizer = load_seq2seq(Path(directory))
    if tokenizer.pad_token is None:  # some checkpoints ship without one; generate() needs it
        tokenizer.add_special_tokens({"pad_token": PAD})
    add_slot_tokens(tokenizer)
    if len(tokenizer) > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(len(tokenizer))
    model.train()
    return model, tokenizer


def n_params(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())


def save_checkpoint(model: Any, tokenizer: Any, config: TrainConfig, folder: Path) -> None:
    """Weights (safetensors only), model config, tokenizer and train_config.json into ``folder``."""
    model.save_pretrained(str(folder), safe_serialization=True)
    tokenizer.save_pretrained(str(folder))
    (folder / "train_config.json").write_text(config.to_json(), encoding="utf-8")
    for f in folder.iterdir():  # safetensors writes 0600 temp files; a shipped model is world-readable
        os.chmod(f, 0o644)


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a fresh folder beside ``target``; on success it takes ``target``'s place.

    The old folder is renamed aside, the new one renamed in, then the old one removed: a crash
    at any point leaves a complete checkpoint (old or new) and at worst a stray hidden folder.
    A folder that does not look like a checkpoint is never replaced.
    """
    target = Path(target)
    recover_checkpoint(target)  # an earlier save killed between its renames: restore before replacing
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / "config.json").exists())):
        raise VerbalizerError("V011", f"refusing to replace {target}: it is not an empty folder or a checkpoint",
                              Where(str(target)), "give --out a new folder or an earlier checkpoint folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise VerbalizerError("V011", f"cannot create a folder beside {target}: {exc.strerror or exc}",
                              Where(str(target))) from exc
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        backup = target.parent / f".{target.name}.old-{os.getpid()}"
        moved = False
        if target.exists():
            os.replace(target, backup)
            moved = True
        try:
            os.replace(tmp, target)
        except OSError:
            if moved:
                os.replace(backup, target)
            raise
        if moved:
            shutil.rmtree(backup, ignore_errors=True)
    except OSError as exc:
        raise VerbalizerError("V011", f"cannot save: {exc.strerror or exc}", Where(str(target))) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
