"""Errors of the verbalizer and its training: one exception type, codes in one catalog.

Messages follow the project form ``file:line:col: CODE message; hint`` (kg.errors.Where),
so a refused checkpoint names the file that was refused and how to fix it.
"""
from __future__ import annotations

from kg.errors import Error

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
    "V014": ("checkpoint of another language", "load the model trained for the language asked (`whyrec train --lang LANG`)"),
    "E001": ("unknown user", "use a user id of the graph (`whyrec kg info` counts them)"),
    "E002": ("unknown item", "use an item (product) id of the graph"),
    "E003": ("bad feedback file", "fix or delete the file: it only holds ranking adjustments"),
    "E004": ("bad request", "see `whyrec explain --help`"),
    "E005": ("unknown language", "use one of the languages generation/lang/ knows (the message lists them)"),
}


class GenerationError(Error):
    """The one error type of generation: refused or broken checkpoints, bad configs, no data,
    unknown users or items, bad feedback files, bad requests. The codes callers branch on raise
    the named subclasses below (``GenerationError("E001", ...)`` is an :class:`UnknownUser`)."""

    catalog = CATALOG


# The name this error type had first (the verbalizer's loader raised it before the explainer did).
VerbalizerError = GenerationError


class UnknownUser(GenerationError, LookupError):
    """E001: the user id or IRI names no user of the graph (``hint`` lists close ids)."""

    codes = ("E001",)


class UnknownItem(GenerationError, LookupError):
    """E002: the item id or IRI names no item of the graph (``hint`` lists close ids)."""

    codes = ("E002",)


class FeedbackError(GenerationError):
    """E003: the feedback file cannot be read or is not a whyrec feedback file."""

    codes = ("E003",)


class BadRequest(GenerationError, ValueError):
    """E004: an argument the call cannot use (k below 1, a reason given to another user ...)."""

    codes = ("E004",)


class ModelError(GenerationError):
    """V001-V007: a verbalizer checkpoint that is missing, refused or broken."""

    codes = ("V001", "V002", "V003", "V004", "V005", "V006", "V007")


class UnknownLanguage(GenerationError, LookupError):
    """E005: a language code generation/lang/ has no module for."""

    codes = ("E005",)
