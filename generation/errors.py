"""Errors of the verbalizer and its training: one exception type, codes in one catalog.

Messages follow the project form ``file:line:col: CODE message; hint`` (kg.errors.Where),
so a refused checkpoint names the file that was refused and how to fix it.
"""
from __future__ import annotations

from kg.errors import CodedError

# code -> (short title, default hint). Codes stay stable; messages say what and where.
CATALOG: dict[str, tuple[str, str]] = {
    "V001": ("checkpoint not found", "train one with `whyrec train --graph G --rules R --out DIR`, or pass the folder that holds config.json"),
    "V002": ("refused pickle weights", "convert the checkpoint to safetensors (model.save_pretrained(dir, safe_serialization=True)) on a machine you trust"),
    "V003": ("refused remote code", "whyrec never runs code shipped with a checkpoint; remove 'auto_map' or use a built-in model type (t5, bart ...)"),
    "V004": ("corrupt weights", "the safetensors file is damaged or truncated; copy or train the checkpoint again"),
    "V005": ("bad checkpoint config", "fix the JSON file, or train the checkpoint again"),
    "V006": ("not a seq2seq model", "give an encoder-decoder checkpoint: t5, flan-t5, mt5, bart, mbart, pegasus, marian"),
    "V007": ("tokenizer missing", "save the tokenizer beside the model (tokenizer.save_pretrained(dir))"),
    "V010": ("no training data", "check that the rules find chains in the graph (`whyrec rules check`), or raise the corpus size"),
    "V011": ("cannot save checkpoint", "check the folder is writable and has space; the previous checkpoint is untouched"),
    "V012": ("bad training config", "see training/config.py for every field, its type and default"),
    "V013": ("cannot resume", "delete the .resume folder to start over, or resume with the same config"),
    "E001": ("unknown user", "use a user id of the graph (`whyrec kg info` counts them)"),
    "E002": ("unknown item", "use an item (product) id of the graph"),
    "E003": ("bad feedback file", "fix or delete the file: it only holds ranking adjustments"),
    "E004": ("bad request", "see `whyrec explain --help`"),
}


class VerbalizerError(CodedError):
    """The one error type of generation: refused or broken checkpoints, bad configs, no data,
    unknown users or items, bad feedback files."""

    catalog = CATALOG


# The package's one error type, under the name the explainer's callers expect.
GenerationError = VerbalizerError
