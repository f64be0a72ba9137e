"""Which language a checkpoint writes, and refusing one of another language (V014).

A checkpoint made by ``whyrec train`` says its language in train_config.json ("lang"); one saved
before languages existed has no such key and was trained on English; a foreign checkpoint (no
train_config.json) says nothing, and is taken for whatever the caller asks.
"""
from __future__ import annotations

import os
from pathlib import Path

from generation.errors import VerbalizerError
from kg.errors import Where

__all__ = ["check_lang", "checkpoint_lang"]


def checkpoint_lang(directory: str | os.PathLike[str]) -> str | None:
    """The language a checkpoint was trained to write, from its train_config.json: "en" when the
    file predates languages (no "lang" key), None when there is no such file (a foreign checkpoint)."""
    path = Path(directory) / "train_config.json"
    if not path.is_file():
        return None
    lang = _config(path).get("lang", "en")
    if not isinstance(lang, str):
        raise VerbalizerError("V005", f"lang must be a string, not {lang!r}", Where(str(path)))
    return lang


def check_lang(directory: str | os.PathLike[str], lang: str | None) -> str | None:
    """The checkpoint's language, refused (V014) when ``lang`` is asked and it is another one."""
    said = checkpoint_lang(directory)
    if lang is not None and said is not None and said != lang:
        raise VerbalizerError("V014", f"the checkpoint writes {said!r} sentences, not {lang!r}",
                              Where(str(Path(directory) / "train_config.json")),
                              f"use a model trained with `whyrec train --lang {lang}` (the shipped one is "
                              f"{_shipped(lang)}), or ask for lang={said!r}")
    return said


def _config(path: Path) -> dict:
    from generation.verbalizer import _read_json  # the checked JSON reader (size, kind, nesting)

    return _read_json(path)


def _shipped(lang: str) -> Path:
    from generation.verbalizer import default_model_dir

    return default_model_dir(lang)
