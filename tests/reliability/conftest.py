"""Budgets and shared fixtures of the reliability suite.

CI runs small budgets; raise them with environment variables for a thorough run:
  WHYREC_FUZZ_EXAMPLES=10000  hypothesis examples per fuzzed loader and per round-trip format
  WHYREC_KILLS=100            SIGKILLs per interrupted save target
benchmarks/fuzz.py runs the large budgets outside pytest and prints the figures table.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUZZ_EXAMPLES = int(os.environ.get("WHYREC_FUZZ_EXAMPLES", "200"))
KILLS = int(os.environ.get("WHYREC_KILLS", "10"))


def tiny_checkpoint(folder: Path) -> Path:
    """A randomly initialised T5 of a few thousand parameters and its tokenizer, saved as safetensors."""
    from training.config import TINY
    from training.model import build_model, save_checkpoint
    from training.tokenizer import train_tokenizer

    tok = train_tokenizer(["you bought <P1> ; <ITEM> brand <B1>", "You bought <P1>."] * 5, 300)
    save_checkpoint(build_model(TINY, tok), tok, TINY, folder)
    return folder


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return tiny_checkpoint(tmp_path_factory.mktemp("tiny-verbalizer"))


def run_module(module: str, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """``python -m module args`` from the repository root, in a fresh interpreter."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)
