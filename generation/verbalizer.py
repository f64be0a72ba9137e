"""The verbalizer: a small seq2seq model that turns a linearized chain into n-best sentences.

Input and output are slot-level (``<ITEM>``, ``<P1>`` ...; see generation/linearize.py); the
caller refills the exact labels and verifies every claim before a sentence is shown.

Loading is safe and offline: a checkpoint folder is checked *before* transformers sees it.
Pickle-only weights and configs that ask for remote code (``auto_map``) are refused, so
``torch.load`` and checkpoint-shipped Python are never reached; damaged safetensors give a
clear error. torch is imported lazily: ``import generation.verbalizer`` stays light.

A style number (0..STYLES-1) goes in front of each source: the training corpus ties style k
to systematic wording choices, so callers get deterministic variety across recommendations
(``style_for(user, item)``) while every wording stays one the verifier can read back.

>>> styled("why <ITEM> | viewed : you viewed <ITEM>", 2)
'style 2 | why <ITEM> | viewed : you viewed <ITEM>'
>>> style_for("u1", "p2") == style_for("u1", "p2")
True
"""
from __future__ import annotations

import json
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generation.checkpoint_guard import MAX_WEIGHTS, check_entries, check_sizes, probe_generation
from generation.checkpoint_lang import check_lang, checkpoint_lang
from generation.errors import VerbalizerError
from kg.errors import Where
from kg.files import FileProblem, open_checked, read_bytes

STYLES = 4
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib")
# Encoder-decoder families AutoModelForSeq2SeqLM builds without any checkpoint-shipped code.
SEQ2SEQ_TYPES = ("t5", "mt5", "umt5", "longt5", "bart", "mbart", "pegasus", "marian", "led", "m2m_100",
                 "blenderbot", "blenderbot-small", "plbart", "nllb-moe", "switch_transformers")
MAX_HEADER = 100 * 2**20  # a safetensors header larger than this is damage, not a model
MAX_JSON = 200 * 2**20  # the largest tokenizer.json of a real model is a few tens of MB


def default_model_dir(lang: str = "en") -> Path:
    """Where the shipped checkpoint of a language lives: data/models/verbalizer (English) or
    data/models/verbalizer-LANG in the repository (it may not exist for every language)."""
    name = "verbalizer" if lang == "en" else f"verbalizer-{lang}"
    return Path(__file__).resolve().parents[1] / "data" / "models" / name


def styled(source: str, style: int) -> str:
    """The model input for ``source`` in wording style ``style``; corpus and inference share it."""
    return f"style {int(style) % STYLES} | {source}"


def source_for(chains: Sequence[Any], item: str, user: str, vocab: Any = None, audience: str = "people",
               lang: str = "en", graph: Any = None) -> Any:
    """linearize() as the verbalizer was trained: default relations by name, a shop's own
    relations by their phrase (the model copies words it has never seen from the input).
    ``lang``: the chains' labels in that language when ``graph`` is given (generation.lang.relabel),
    the user and the audience noun in that language's words."""
    from generation.linearize import linearize
    from generation.phrasing import phrasing
    from kg.vocab import DEFAULT_RELATIONS

    if lang != "en":
        from generation.lang import get_language
        from generation.lang.relabel import relabel
        chains = relabel(chains, graph, lang)[0] if graph is not None else chains
        if graph is not None:
            from generation.templates import audience_noun
            audience = audience_noun(graph, None, lang)
        elif audience.isascii():  # an English noun ("shoppers", "people"): the language's own instead
            audience = get_language(lang).audience
    defaults = {r.name for r in DEFAULT_RELATIONS}
    words = {f.relation: phrasing(f.relation, vocab, lang).verbs[0] for c in chains for f in c.facts
             if f.relation not in defaults}
    return linearize(chains, item=item, user=user, relation_words=words or None, audience=audience, lang=lang)


def style_for(user: str, item: str) -> int:
    """A stable style per pair (crc32, not hash(): the same on every run and machine)."""
    return zlib.crc32(f"{user}\x1f{item}".encode("utf-8")) % STYLES


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_bytes(path, MAX_JSON).decode("utf-8"))
    except FileProblem as exc:
        raise VerbalizerError("V005", f"cannot read {path.name}: {exc.message}", Where(str(path))) from None
    except UnicodeDecodeError as exc:
        raise VerbalizerError("V005", f"cannot read {path.name}: {exc}", Where(str(path))) from exc
    except json.JSONDecodeError as exc:
        raise VerbalizerError("V005", f"{path.name} is not valid JSON: {exc.msg}",
                              Where(str(path), exc.lineno, exc.colno)) from exc
    except RecursionError as exc:
        raise VerbalizerError("V005", f"{path.name} is nested too deeply", Where(str(path))) from exc
    if not isinstance(data, dict):
        raise VerbalizerError("V005", f"{path.name} must hold a JSON object", Where(str(path), 1, 1))
    return data


def check_safetensors(path: Path) -> None:
    """Header sane and the data exactly as long as the header says (catches truncation)."""
    try:
        size = path.stat().st_size
        with open_checked(path, MAX_WEIGHTS) as f:  # a FIFO or a device named *.safetensors is refused unread
            head = f.read(8)
            n = int.from_bytes(head, "little") if len(head) == 8 else -1
            if n < 2 or n > min(MAX_HEADER, size - 8):
                raise ValueError("the header length is impossible for this file size")
            header = json.loads(f.read(n).decode("utf-8"))
        if not isinstance(header, dict):
            raise ValueError("the header is not a JSON object")
        end = 0
        for name, info in header.items():
            if name != "__metadata__":
                offsets = info.get("data_offsets") if isinstance(info, dict) else None
                if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(x) is int for x in offsets)
                        and 0 <= offsets[0] <= offsets[1]):
                    raise ValueError(f"tensor {name!r} has bad offsets")
                end = max(end, offsets[1])
        if 8 + n + end != size:
            raise ValueError(f"the file is {size} bytes but its header describes {8 + n + end}")
    except VerbalizerError:
        raise
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError, FileProblem) as exc:
        raise VerbalizerError("V004", f"{path.name} is not a readable safetensors file: {exc}", Where(str(path))) from exc


def recover_checkpoint(directory: str | os.PathLike[str]) -> bool:
    """Put back a checkpoint that a save killed between its two renames left aside.

    Saves rename the old folder to ``.NAME.old-PID`` and the new one into place; a crash between
    the two leaves the target missing and the old checkpoint aside, complete. Returns True when
    a folder was restored. Called by the next save, or by hand: a *load* never swaps a hidden
    folder in (check_checkpoint names it instead), since anything may have put it there.
    """
    folder = Path(directory)
    if folder.exists():
        return False
    aside = _set_aside(folder)
    if not aside:
        return False
    os.replace(aside[0], folder)
    return True


def _set_aside(folder: Path) -> list[Path]:
    """Hidden ``.NAME.old-*`` folders (not symlinks) holding a config.json, newest first."""
    return sorted((p for p in folder.parent.glob(f".{folder.name}.old-*")
                   if p.is_dir() and not p.is_symlink() and (p / "config.json").is_file()),
                  key=lambda p: p.stat().st_mtime, reverse=True)


def check_checkpoint(directory: str | os.PathLike[str]) -> Path:
    """Refuse anything unsafe or broken before transformers reads the folder; returns the path."""
    folder = Path(directory)
    if not folder.exists() and _set_aside(folder):  # a save was interrupted: say so, swap nothing in
        raise VerbalizerError("V001", f"no checkpoint at {folder}; an interrupted save left the earlier one "
                              f"aside as {_set_aside(folder)[0].name}", Where(str(folder)),
                              f"check it, then move it back: mv {_set_aside(folder)[0]} {folder} (or save again)")
    if folder.is_dir():
        check_entries(folder)  # regular files within limits only, before any is read
    if not folder.is_dir() or not (folder / "config.json").is_file():
        raise VerbalizerError("V001", f"no checkpoint (config.json) in {folder}", Where(str(folder)))
    for path in sorted(folder.glob("*.json")):  # every one: transformers reads auto_map from several
        if "auto_map" in _read_json(path):
            raise VerbalizerError("V003", f"{path.name} asks for code shipped with the checkpoint ('auto_map')",
                                  Where(str(path)))
    config = _read_json(folder / "config.json")
    model_type = config.get("model_type")
    if model_type not in SEQ2SEQ_TYPES or config.get("is_encoder_decoder") is False:
        raise VerbalizerError("V006", f"model_type {model_type!r} is not an encoder-decoder family whyrec knows",
                              Where(str(folder / "config.json")))
    weights = sorted(folder.glob("*.safetensors"))
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        shards = sorted(set(_read_json(index).get("weight_map", {}).values()))
        weights = [folder / Path(s).name for s in shards]
        missing = [w.name for w in weights if not w.is_file()]
        if missing:
            raise VerbalizerError("V004", f"shard(s) listed in the index are missing: {', '.join(missing)}",
                                  Where(str(index)))
    if not weights:
        pickles = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES)
        if pickles:
            raise VerbalizerError("V002", f"only pickle weights ({', '.join(pickles)}); pickle can run code on load",
                                  Where(str(folder / pickles[0])))
        raise VerbalizerError("V004", "no model.safetensors in the checkpoint", Where(str(folder)))
    for w in weights:
        check_safetensors(w)
    check_sizes(config, folder, weights)  # before transformers allocates what the config asks for
    if not (folder / "tokenizer.json").is_file() and not (folder / "tokenizer_config.json").is_file():
        raise VerbalizerError("V007", f"no tokenizer in {folder}", Where(str(folder)))
    return folder


def load_seq2seq(directory: str | os.PathLike[str], device: str = "cpu") -> tuple[Any, Any]:
    """(model, tokenizer) from a checked local folder: safetensors only, no remote code, no network."""
    folder = check_checkpoint(directory)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
    except (OSError, ValueError) as exc:
        raise VerbalizerError("V007", f"cannot load the tokenizer: {exc}", Where(str(folder))) from exc
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # a 2 MB model needs no "Loading weights" bar
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(str(folder), trust_remote_code=False, use_safetensors=True,
                                                      local_files_only=True)
    except Exception as exc:  # safetensors' SafetensorError, size mismatches, OSError: all mean a bad file
        raise VerbalizerError("V004", f"cannot load the weights: {exc}", Where(str(folder))) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return model.to(device).eval(), tokenizer


class Verbalizer:
    """A loaded checkpoint: ``generate(sources, n)`` -> n-best slot-level sentences per source."""

    def __init__(self, model: Any, tokenizer: Any, directory: Path | None = None, restrict_words: bool = True,
                 lang: str = "en"):
        self.model, self.tokenizer, self.directory = model, tokenizer, directory
        self.lang = lang  # the language it writes: picks how decoding is restricted (words or characters)
        self._slot_ids: dict[str, list[int]] | None = None
        self._bare_ids: set[int] = set()
        # decoding restricted to the chain's own words (generation/decoding.py); off: any token
        self.restrict_words = restrict_words
        self._pieces: Any = None

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None, device: str = "cpu",
             lang: str | None = None) -> Verbalizer:
        """The checkpoint in ``directory`` (default: the shipped one of ``lang``, else English);
        with ``lang``, one trained for another language is refused (V014) before it is loaded."""
        folder = Path(directory) if directory is not None else default_model_dir(lang or "en")
        said = check_lang(folder, lang) if folder.is_dir() else None
        model, tokenizer = load_seq2seq(folder, device)
        verbalizer = cls(model, tokenizer, folder, lang=said or lang or "en")
        probe_generation(verbalizer, folder)  # settings that would fail every explain fail here, once
        return verbalizer

    def _slot_mask(self, sources: Sequence[str]) -> Any:
        """(sources, vocab) True where a token may not be said: a slot token absent from that source,
        and (``restrict_words``) any piece of a word that is not the chain's own."""
        import torch

        from generation.linearize import SLOT, slot_tokens

        if self._slot_ids is None:
            vocab = self.tokenizer.get_vocab()
            self._slot_ids = {s: [vocab[t] for t in (s, " " + s) if t in vocab] for s in slot_tokens()}
            self._bare_ids = {vocab[s] for s in slot_tokens() if s in vocab}  # each slot without its space
        mask = torch.zeros(len(sources), max(len(self.tokenizer), self.model.config.vocab_size), dtype=torch.bool)
        every = [i for ids in self._slot_ids.values() for i in ids]
        from generation.decoding import NO_SPACES
        spaceless = self.lang in NO_SPACES  # a slot is said without a space before it
        if self.restrict_words:
            from generation.decoding import CharPieces, WordPieces, allowed_chars, allowed_words
            if self._pieces is None:
                self._pieces = CharPieces(self.tokenizer) if spaceless else WordPieces(self.tokenizer)
            always = set(every) | {i for i in (self.tokenizer.eos_token_id, self.tokenizer.pad_token_id) if i is not None}
        for row, source in enumerate(sources):
            if self.restrict_words:  # only pieces of the chain's own words, its relations' phrases, connectives
                mask[row, :] = True
                pieces = self._pieces.ids(allowed_chars(source, self.lang, self._pieces.chars) if spaceless
                                          else allowed_words(source))
                mask[row, sorted(always | pieces)] = False
            mask[row, every] = True
            given = [i for m in SLOT.finditer(source) for i in self._slot_ids.get(m.group(0), ())
                     if not spaceless or i in self._bare_ids]
            mask[row, given] = False
        return mask

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def generate(self, sources: Sequence[str], n: int = 4, max_new_tokens: int = 96,
                 styles: Sequence[int] | None = None, batch_size: int = 32, num_beams: int | None = None
                 ) -> list[list[str]]:
        """n-best sentences per source (beam search, batched with padding), best first."""
        import torch

        if styles is not None and len(styles) != len(sources):
            raise ValueError("give one style per source")
        from transformers import LogitsProcessorList

        inputs = [styled(s, styles[k] if styles is not None else 0) for k, s in enumerate(sources)]
        beams = max(num_beams or 0, n, 4 if n > 1 else 1)
        out: list[list[str]] = []
        device = next(self.model.parameters()).device
        with torch.inference_mode():
            for start in range(0, len(inputs), batch_size):
                chunk = inputs[start:start + batch_size]
                enc = self.tokenizer(chunk, padding=True, truncation=True, max_length=512, return_tensors="pt").to(device)
                # a sentence is never much longer than its chains: a cap stops runaway beams early
                cap = min(max_new_tokens, int(1.5 * enc["input_ids"].shape[1]) + 8)
                only_given = _SlotMask(self._slot_mask(chunk).to(device), beams)
                ids = self.model.generate(**enc, num_beams=beams, num_return_sequences=n, do_sample=False,
                                          max_new_tokens=cap, logits_processor=LogitsProcessorList([only_given]))
                texts = self.tokenizer.batch_decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)
                out.extend([t.strip() for t in texts[k * n:(k + 1) * n]] for k in range(len(chunk)))
        return out


class _SlotMask:
    """A logits processor: slot tokens absent from a row's source get -inf, so the model can only
    name what the chains hold (the verifier would reject any other slot; this saves the beams)."""

    def __init__(self, mask: Any, beams: int):
        self.mask, self.beams = mask, beams

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        mask = self.mask[:, : scores.shape[-1]].repeat_interleave(scores.shape[0] // self.mask.shape[0], dim=0)
        return scores.masked_fill(mask, float("-inf"))
