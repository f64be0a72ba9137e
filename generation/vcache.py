"""A cache of verbalizer outputs: the same model input gets its sentences back without the model.

The verbalizer's input is name-free (slots such as ``<ITEM>``, ``<P1>``; generation/linearize.py),
so across pairs the same input recurs: one rule's chain shape, one style. :class:`VerbalizationCache`
wraps any object with ``generate(sources, n, styles=None)``: each source is looked up by (source,
n, style, generation options); the misses go to the model in one call, in their original order.
Memory holds at most ``max_entries`` inputs (least recently used go first); with ``path`` the
answers also go to a SQLite file shared by processes (a batch's workers) and by later runs, keyed
by the model's identity too (a hash of its weights, config and tokenizer), so a retrained model
never reads an older model's sentences.

Every sentence still goes through the verifier: a cached sentence is a candidate, never a verdict.

>>> class Echo:
...     calls = 0
...     def generate(self, sources, n, styles=None):
...         Echo.calls += 1
...         return [[s.upper()] * n for s in sources]
>>> vc = VerbalizationCache(Echo(), identity="echo")
>>> vc.generate(["a", "b", "a"], 1)
[['A'], ['B'], ['A']]
>>> vc.generate(["b"], 1), Echo.calls, vc.stats()["hits"]
([['B']], 1, 2)
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MAX_ENTRIES = 100_000
MAX_DISK_ROWS = 2_000_000  # the file keeps the most recent rows; older ones are dropped past this


def model_identity(model: Any) -> str | None:
    """A hash of what decides the model's outputs (weights, config, tokenizer), or None when unknown."""
    given = getattr(model, "identity", None)
    if isinstance(given, str) and given:
        return given
    net = getattr(model, "model", None)
    if net is None or not hasattr(net, "state_dict"):
        return None
    import torch

    h = hashlib.sha256(type(model).__qualname__.encode())
    config = getattr(net, "config", None)
    if config is not None and hasattr(config, "to_json_string"):
        h.update(config.to_json_string().encode())
    for name, tensor in sorted(net.state_dict().items()):
        t = tensor.detach().cpu().contiguous()
        h.update(f"{name}|{t.dtype}|{tuple(t.shape)}".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    tok = getattr(model, "tokenizer", None)
    backend = getattr(tok, "backend_tokenizer", None)
    if backend is not None and hasattr(backend, "to_str"):
        h.update(backend.to_str().encode())
    return h.hexdigest()


class VerbalizationCache:
    """``generate(sources, n, styles=None, **options)`` answered from memory (and disk) where it can."""

    def __init__(self, model: Any, max_entries: int = MAX_ENTRIES, path: str | os.PathLike[str] | None = None,
                 identity: str | None = None):
        if not hasattr(model, "generate"):
            raise TypeError("the model must have generate(sources, n)")
        self.model = model
        self.max_entries = max(int(max_entries), 0)
        self.identity = identity or (model_identity(model) if path is not None else None)
        self._memory: OrderedDict[tuple, list[str]] = OrderedDict()
        self._lock = threading.Lock()
        self._db_lock = threading.Lock()  # one SQLite connection, shared by the threads of this process
        self.hits = self.misses = self.disk_hits = 0
        try:
            self._takes_styles = "styles" in inspect.signature(model.generate).parameters
        except (TypeError, ValueError):
            self._takes_styles = False
        self._db: sqlite3.Connection | None = None
        if path is not None:
            if self.identity is None:
                raise ValueError("an on-disk cache needs the model's identity: pass identity=")
            self._db = _open(Path(path))

    def generate(self, sources: Sequence[str], n: int, styles: Sequence[int] | None = None,
                 **options: Any) -> list[list[str]]:
        if styles is not None and len(styles) != len(sources):
            raise ValueError("give one style per source")
        opts = tuple(sorted((k, repr(v)) for k, v in options.items()))
        keys = [(s, int(n), None if styles is None else int(styles[k]), opts) for k, s in enumerate(sources)]
        out: list[list[str] | None] = [None] * len(keys)
        todo: dict[tuple, list[int]] = {}
        with self._lock:
            for k, key in enumerate(keys):
                got = self._memory.get(key)
                if got is not None:
                    self._memory.move_to_end(key)
                    out[k] = list(got)
                    self.hits += 1
                else:
                    todo.setdefault(key, []).append(k)
        if todo and self._db is not None:
            for key, texts in self._read(list(todo)).items():
                for k in todo.pop(key):
                    out[k] = list(texts)
                self._remember(key, texts)
                self.disk_hits += 1
                self.hits += 1
        if todo:
            missing = list(todo)
            answers = self._ask([key[0] for key in missing], n, [key[2] for key in missing], options)
            if len(answers) != len(missing):
                raise ValueError(f"the model answered {len(answers)} sources of {len(missing)}")
            for key, texts in zip(missing, answers):
                texts = [str(t) for t in texts]
                for k in todo[key]:
                    out[k] = list(texts)
                self._remember(key, texts)
                self.misses += 1
                self.hits += len(todo[key]) - 1  # a source repeated within one call is asked once
            if self._db is not None:
                self._write(dict(zip(missing, answers)))
        return out  # type: ignore[return-value]

    def stats(self) -> dict[str, float]:
        total = self.hits + self.misses
        return {"hits": self.hits, "misses": self.misses, "disk_hits": self.disk_hits,
                "hit_rate": self.hits / total if total else 0.0, "entries": len(self._memory)}

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()

    # -- internals -------------------------------------------------------------------------------

    def _ask(self, sources: list[str], n: int, styles: list[int | None], options: dict[str, Any]) -> list[list[str]]:
        if self._takes_styles and any(s is not None for s in styles):
            return self.model.generate(sources, n, styles=[s or 0 for s in styles], **options)
        return self.model.generate(sources, n, **options)

    def _remember(self, key: tuple, texts: list[str]) -> None:
        if not self.max_entries:
            return
        with self._lock:
            self._memory[key] = list(texts)
            self._memory.move_to_end(key)
            while len(self._memory) > self.max_entries:
                self._memory.popitem(last=False)

    def _digest(self, key: tuple) -> str:
        return hashlib.sha256(json.dumps([self.identity, *key], ensure_ascii=False).encode("utf-8", "surrogatepass")
                              ).hexdigest()

    def _read(self, keys: list[tuple]) -> dict[tuple, list[str]]:
        assert self._db is not None
        digests = {self._digest(key): key for key in keys}
        found: dict[tuple, list[str]] = {}
        names = list(digests)
        rows: list[tuple[str, str]] = []
        try:
            with self._db_lock:
                for lo in range(0, len(names), 500):  # SQLite's bound-parameter limit
                    chunk = names[lo:lo + 500]
                    rows += self._db.execute(
                        f"SELECT key, texts FROM sentences WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        except sqlite3.Error:
            return {}  # a damaged or locked file: every input is a miss
        for digest, texts in rows:
            try:
                value = json.loads(texts)
            except (ValueError, TypeError):
                continue  # a damaged row is a miss
            if isinstance(value, list) and all(isinstance(t, str) for t in value):
                found[digests[digest]] = value
        return found

    def _write(self, answers: dict[tuple, list[str]]) -> None:
        assert self._db is not None
        rows = [(self._digest(key), json.dumps([str(t) for t in texts], ensure_ascii=False)) for key, texts in answers.items()]
        try:
            with self._db_lock, self._db:  # one transaction: all rows or none
                self._db.executemany("INSERT OR REPLACE INTO sentences (key, texts) VALUES (?, ?)", rows)
                self._db.execute("DELETE FROM sentences WHERE rowid <= (SELECT MAX(rowid) FROM sentences) - ?",
                                 (MAX_DISK_ROWS,))
        except sqlite3.Error:
            pass  # a read-only or busy file: the answers are still returned and kept in memory


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=30.0, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer (batch workers)
        db.execute("CREATE TABLE IF NOT EXISTS sentences (key TEXT PRIMARY KEY, texts TEXT NOT NULL)")
        db.commit()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise ValueError(f"{path} is not a verbalization cache: {exc}") from exc
    return db


def checkpoint_identity(directory: str | os.PathLike[str]) -> str:
    """A hash of every file of a checkpoint folder (weights, config, tokenizer): no model loaded."""
    folder = Path(directory)
    h = hashlib.sha256()
    for f in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        h.update(f.name.encode("utf-8", "surrogatepass") + b"\0")
        with open(f, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.hexdigest()


class LazyVerbalizer:
    """A checked checkpoint folder whose model loads on the first ``generate`` call.

    With an on-disk cache in front, a run whose every input is cached never imports torch
    (a second ``whyrec explain`` of the same pair).
    """

    def __init__(self, directory: str | os.PathLike[str]):
        from generation.verbalizer import check_checkpoint
        self.directory = check_checkpoint(directory)  # a broken folder fails now, not mid-run
        self.identity = checkpoint_identity(self.directory)
        self._model: Any = None

    def generate(self, sources: Sequence[str], n: int, styles: Sequence[int] | None = None,
                 **options: Any) -> list[list[str]]:
        if self._model is None:
            from generation.verbalizer import Verbalizer
            self._model = Verbalizer.load(self.directory)
        return self._model.generate(sources, n, styles=styles, **options)


def disk_cache_for(directory: str | os.PathLike[str]) -> VerbalizationCache:
    """The checkpoint behind a cache in the user cache folder (beside the graph cache; off with
    ``WHYREC_CACHE=0``, then in memory only): what the command line uses."""
    from kg.cache import folder_for
    model = LazyVerbalizer(directory)
    folder, _ = folder_for(None)
    if folder is None:
        return VerbalizationCache(model)
    try:
        return VerbalizationCache(model, path=folder.parent / "sentences.sqlite")
    except (OSError, ValueError, sqlite3.Error):
        return VerbalizationCache(model)  # an unwritable or damaged file: memory only
