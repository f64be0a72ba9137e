"""What a checkpoint folder must pass before anything allocates or generates from it.

* Every entry is a regular file under a size limit (or a folder, which transformers does not
  read): a FIFO named ``config.json`` would hang the load, ``/dev/zero`` named ``model.safetensors``
  would never end, a sparse file of terabytes would be read whole.
* The model config's sizes are whole numbers within ranges no real seq2seq model leaves, and the
  parameters they imply fit the weights on disk: a config asking for a billion layers is refused
  before transformers allocates one.
* The generation settings shipped with it (``generation_config.json``) are tried once at load, on
  the exact calls the explainer makes; settings that would make every later explain raise (a
  ``return_dict_in_generate``, beam groups that do not divide the beams, token ids outside the
  vocabulary ...) are refused then, naming the file, instead of failing every request after.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from generation.errors import VerbalizerError
from kg.errors import Where
from kg.files import FileProblem, check_file

MAX_FILE = 200 * 2**20  # any file but the weights (the largest tokenizer.json of a real model is tens of MB)
MAX_WEIGHTS = 64 * 2**30  # one safetensors file
MAX_ENTRIES = 1_000
# config key -> the largest value any released encoder-decoder uses, with room to spare
SIZE_LIMITS: dict[str, int] = {
    "vocab_size": 2_000_000, "d_model": 65_536, "hidden_size": 65_536, "d_kv": 4_096, "d_ff": 262_144,
    "encoder_ffn_dim": 262_144, "decoder_ffn_dim": 262_144, "num_layers": 256, "num_decoder_layers": 256,
    "encoder_layers": 256, "decoder_layers": 256, "num_heads": 1_024, "encoder_attention_heads": 1_024,
    "decoder_attention_heads": 1_024, "max_position_embeddings": 1_048_576, "n_positions": 1_048_576,
    "relative_attention_num_buckets": 65_536, "relative_attention_max_distance": 1_048_576,
}
PROBE = "why <ITEM> | viewed : you viewed <ITEM>"


def check_entries(folder: Path) -> None:
    """Every entry of the folder is a regular file within its limit (symlinks followed), or a folder."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise VerbalizerError("V001", f"cannot list {folder}: {exc.strerror or exc}", Where(str(folder))) from None
    if len(entries) > MAX_ENTRIES:
        raise VerbalizerError("V005", f"{len(entries):,} entries; a checkpoint has a few", Where(str(folder)))
    for path in entries:
        try:
            if stat.S_ISDIR(os.stat(path).st_mode):
                continue
            check_file(path, MAX_WEIGHTS if path.suffix == ".safetensors" else MAX_FILE)
        except (OSError, FileProblem) as exc:
            code = "V004" if path.suffix == ".safetensors" else "V005"
            raise VerbalizerError(code, f"{path.name}: {getattr(exc, 'message', exc)}", Where(str(path)),
                                  "a checkpoint holds regular files only (no pipes, devices or sparse giants)") from None


def check_sizes(config: dict[str, Any], folder: Path, weight_files: list[Path]) -> None:
    """Sizes in range, and the parameters they imply at most what the weights on disk can hold."""
    where = Where(str(folder / "config.json"))
    for key, most in SIZE_LIMITS.items():
        if key in config and config[key] is not None:
            value = config[key]
            if type(value) is not int or not 1 <= value <= most:
                raise VerbalizerError("V005", f"config.json: {key} is {str(value)[:40]}, outside 1..{most:,}", where)
    d = config.get("d_model") or config.get("hidden_size") or 0
    ff = config.get("d_ff") or config.get("encoder_ffn_dim") or 4 * d
    layers = sum(config.get(k) or 0 for k in ("num_layers", "num_decoder_layers", "encoder_layers", "decoder_layers"))
    implied = (config.get("vocab_size") or 0) * d + layers * (4 * d * d + 2 * d * ff)
    on_disk = sum(w.stat().st_size for w in weight_files)
    # at least one byte per parameter (int8), with room for tied or derived tensors
    if implied > 4 * on_disk + 10_000_000:
        raise VerbalizerError("V005", f"config.json implies about {implied:,} parameters, but the weights hold "
                              f"{on_disk:,} bytes", where, "the config does not belong to these weights; "
                              "copy or train the checkpoint again")


def probe_generation(verbalizer: Any, folder: Path) -> None:
    """Run the explainer's two calls once (greedy, then beams); refuse the folder if either raises."""
    try:
        for n in (1, 4):
            out = verbalizer.generate([PROBE], n, styles=[0])
            if not (isinstance(out, list) and len(out) == 1 and len(out[0]) == n
                    and all(isinstance(t, str) for t in out[0])):
                raise ValueError(f"generation returned {type(out).__name__}, not {n} sentence(s)")
    except Exception as exc:  # any failure here would recur on every explain: refuse now
        where = folder / "generation_config.json"
        raise VerbalizerError("V005", f"generation fails with this checkpoint's settings: {type(exc).__name__}: "
                              f"{str(exc)[:300]}", Where(str(where if where.exists() else folder / "config.json")),
                              "fix or remove generation_config.json (the explainer sets beams and lengths itself)"
                              ) from None
