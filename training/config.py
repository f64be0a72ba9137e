"""One flat, frozen config of primitives for the verbalizer and its training (after nanoGPT).

Saved as ``train_config.json`` beside every checkpoint, so a model always says how it was made.

>>> c = TrainConfig(epochs=3)
>>> TrainConfig.from_dict(c.to_dict()) == c
True
>>> c.replace(d_model=64).d_model
64
>>> TrainConfig.from_dict({"epochs": 3}).lang  # a config saved before languages existed: English
'en'
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from generation.errors import VerbalizerError
from kg.errors import Where
from kg.files import FileProblem, read_bytes

SYNTHETIC = ("catalog", "domains")
FAMILIES = ("t5", "bart")
# The largest value each size may take: far above any verbalizer whyrec needs (t5-large is d_model 1,024,
# 24 layers), far below what would exhaust memory before the first step.
MAXIMA = {"d_model": 16_384, "layers": 128, "heads": 256, "d_ff": 65_536, "vocab_size": 1_000_000,
          "batch_size": 65_536, "epochs": 100_000, "corpus_size": 100_000_000, "dev_size": 10_000_000,
          "heldout_size": 10_000_000, "max_source_len": 65_536, "max_target_len": 65_536, "threads": 1_024}
DEVICES = ("auto", "cpu", "cuda")
# Languages a corpus can be written in (the phrase tables of generation's language layer). A config
# saved before languages existed has no "lang" key and loads as English, which it was.
LANGS = ("en", "zh")


@dataclass(frozen=True)
class TrainConfig:
    # model (ignored for the architecture when fine-tuning with --init)
    family: str = "t5"
    d_model: int = 128
    layers: int = 2  # encoder layers; the decoder gets the same number
    heads: int = 4
    d_ff: int = 512
    vocab_size: int = 1500  # BPE target; the corpus is small, so fewer merges are learnt
    dropout: float = 0.05  # little data, few epochs: heavier dropout only slows learning
    # optimisation
    lr: float = 3e-3
    warmup_steps: int = 50
    weight_decay: float = 0.01
    batch_size: int = 32
    epochs: int = 5
    patience: int = 2  # epochs without a better dev loss before stopping
    max_minutes: float = 0.0  # 0: no wall-clock limit; else stop (resumably) after this many minutes
    seed: int = 13
    # corpus
    corpus_size: int = 10000  # training examples (graph chains + synthetic chains)
    synthetic_share: float = 0.65  # share of examples built from invented chains
    # where invented chains come from: "catalog" = random walks on the catalog's own graph (its
    # relations and names only); "domains" = invented catalogs of many domains (the shipped model)
    synthetic: str = "catalog"
    graph_pairs: int = 3000  # user-item pairs sampled from the graph to find real chains
    dev_size: int = 600
    heldout_size: int = 400  # evaluation examples (unseen shapes, names, graph pairs)
    max_source_len: int = 160  # tokens
    max_target_len: int = 96
    # hardware
    device: str = "auto"  # auto: CUDA when available, else CPU
    bf16: bool = True  # bf16 autocast, only ever used on CUDA
    threads: int = 1  # CPU threads for torch
    init: str = ""  # local checkpoint the run was fine-tuned from ("" = trained from scratch)
    lang: str = "en"  # the language of the target sentences; a model says only this language


    def __post_init__(self) -> None:
        problems = []
        if self.family not in FAMILIES:
            problems.append(f"family must be one of {', '.join(FAMILIES)}, not {self.family!r}")
        if self.device not in DEVICES:
            problems.append(f"device must be one of {', '.join(DEVICES)}, not {self.device!r}")
        if self.lang not in LANGS:
            problems.append(f"lang must be one of {', '.join(LANGS)}, not {self.lang!r}")
        if self.d_model % self.heads:
            problems.append(f"d_model ({self.d_model}) must be a multiple of heads ({self.heads})")
        for name in ("d_model", "layers", "heads", "d_ff", "vocab_size", "batch_size", "epochs", "corpus_size",
                     "dev_size", "heldout_size", "max_source_len", "max_target_len", "threads"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1")
            elif getattr(self, name) > MAXIMA[name]:  # checked before anything is allocated for it
                problems.append(f"{name} must be at most {MAXIMA[name]:,}, not {getattr(self, name):,}")
        if not 0.0 <= self.synthetic_share <= 1.0 or not 0.0 <= self.dropout < 1.0:
            problems.append("synthetic_share must lie in [0, 1] and dropout in [0, 1)")
        if self.synthetic not in SYNTHETIC:
            problems.append(f"synthetic must be one of {', '.join(SYNTHETIC)}, not {self.synthetic!r}")
        if self.lr <= 0:
            problems.append("lr must be positive")
        if problems:
            raise VerbalizerError("V012", "; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: Where | None = None) -> TrainConfig:
        """Strict: unknown keys and wrong types are errors naming the key."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise VerbalizerError("V012", f"unknown config key(s): {', '.join(unknown)}", where,
                                  f"known keys: {', '.join(known)}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            default = getattr(cls, key)
            want = type(default)
            if want is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not want:
                raise VerbalizerError("V012", f"{key} must be {want.__name__}, got {value!r}", where)
            values[key] = value
        return cls(**values)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TrainConfig:
        where = Where(str(path))
        try:
            data = json.loads(read_bytes(path, 1 << 20).decode("utf-8"))
        except FileProblem as exc:
            raise VerbalizerError("V012", f"cannot read the config: {exc.message}", where) from None
        except UnicodeDecodeError as exc:
            raise VerbalizerError("V012", f"cannot read the config: {exc}", where) from None
        except json.JSONDecodeError as exc:
            raise VerbalizerError("V012", f"not valid JSON: {exc.msg}", Where(str(path), exc.lineno, exc.colno)) from exc
        if not isinstance(data, dict):
            raise VerbalizerError("V012", "the config must be a JSON object", Where(str(path), 1, 1))
        return cls.from_dict(data, where)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"


# A config small enough for a unit test to train in a second or two.
TINY = TrainConfig(d_model=32, layers=1, heads=2, d_ff=64, vocab_size=400, batch_size=8, epochs=2, patience=1,
                   corpus_size=64, graph_pairs=40, dev_size=16, heldout_size=24, warmup_steps=2, max_source_len=128,
                   max_target_len=24)
