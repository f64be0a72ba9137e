"""The trained scorer kept on disk, so the CLI and the API train it once per graph and rule set.

The key is a SHA-256 over
- the graph's content (its sorted terms and triples): a copy of the data elsewhere finds the
  same scorer, any changed fact or value trains a new one;
- the rules' content as the scorer reads it (id, path, conditions, negations, weight, tags,
  min_support): editing a ``says`` text, a description or a comment keeps the scorer;
- the scorer file version, the trainer's version and every training setting.

Where: ``$WHYREC_CACHE_DIR`` when set; else a ``.whyrec-cache`` folder beside the graph when it
can be written there; else ``$XDG_CACHE_HOME/whyrec`` (``~/.cache/whyrec``). Reads look in the
same places, in that order. Files are JSON (``scorer-<key>.json``), written atomically; a file
that does not load is trained again and replaced, never used in part.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any
from dataclasses import asdict, dataclass
from pathlib import Path

from kg import KnowledgeGraph
from reasoning.errors import ReasoningError
from reasoning.rank import Scorer
from reasoning.roles import graph_cache
from reasoning.ruleset import plans_of
from reasoning.scorer_json import VERSION
from reasoning.train import PRIOR_BOUND, ROUNDS, TRAINING

ENV = "WHYREC_CACHE_DIR"
FOLDER = ".whyrec-cache"


@dataclass(frozen=True)
class TrainSettings:
    """Everything :func:`reasoning.train.train_scorer` is given besides the graph and the rules."""

    seed: int = 0
    negatives: int = 4
    max_users: int = 500
    l2: float = 1.0
    bound: float = PRIOR_BOUND
    keep_order: bool = False
    rounds: int = ROUNDS


def graph_digest(graph: KnowledgeGraph) -> str:
    """SHA-256 of the graph's content (computed once per graph object)."""
    cache = graph_cache(graph)
    got = cache.get("digest")
    if got is None:
        h = hashlib.sha256()
        parts = graph.parts
        for k in range(0, len(parts.terms), 65536):  # terms in blocks: no second copy of a big graph's text
            h.update("\n".join(parts.terms[k:k + 65536]).encode("utf-8") + b"\n")
        h.update(parts.triples.astype("<i8").tobytes())
        got = cache["digest"] = h.hexdigest()
    return got


def rules_digest(ruleset) -> str:
    """SHA-256 of what the scorer reads of each rule (not its texts, positions or examples)."""
    h = hashlib.sha256()
    for plan in plans_of(ruleset):
        r = plan.rule
        h.update(repr((r.id, tuple(map(str, r.path)), tuple((str(c.left), c.op, str(c.right)) for c in r.when),
                       tuple(str(n.step) for n in r.negations), float(r.weight), tuple(r.tags),
                       r.min_support)).encode("utf-8"))
    return h.hexdigest()


def cache_key(graph: KnowledgeGraph, ruleset, settings: TrainSettings) -> str:
    h = hashlib.sha256(f"scorer v{VERSION} trainer v{TRAINING} {sorted(asdict(settings).items())}".encode("utf-8"))
    h.update(graph_digest(graph).encode("ascii"))
    h.update(rules_digest(ruleset).encode("ascii"))
    return h.hexdigest()[:32]


def cache_folders(graph: KnowledgeGraph) -> list[Path]:
    """Where scorers are looked for and saved, in order."""
    if os.environ.get(ENV):
        return [Path(os.environ[ENV])]
    folders = []
    if graph.source:
        src = Path(graph.source)
        folders.append((src if src.is_dir() else src.parent) / FOLDER)
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folders.append(Path(home) / "whyrec")
    return folders


def cached_scorer(graph: KnowledgeGraph, ruleset, settings: TrainSettings = TrainSettings(),
                  trainer: Callable[..., Scorer] | None = None) -> Scorer:
    """The scorer for this graph, rules and settings: from the cache, or trained and saved there.

    ``trainer`` is called as ``trainer(graph, ruleset, **settings)`` on a miss (default:
    :func:`reasoning.train.train_scorer`). When no cache folder can be written, the scorer is
    returned unsaved: explaining never fails for want of a cache.
    """
    if trainer is None:
        from reasoning.train import train_scorer as trainer
    return cached(graph, ruleset, settings, "scorer", Scorer.load, trainer)


def cached(graph: KnowledgeGraph, ruleset, settings: TrainSettings, kind: str, load: Callable[[Path], Any],
           train: Callable[..., Any]) -> Any:
    """A trained object (``kind``: "scorer", "ranker" ...) for this graph, rules and settings: read
    from ``kind-KEY.json`` in the first cache folder that has it, else trained and saved atomically
    in the first folder that can be written. A damaged file is trained again and replaced."""
    key = cache_key(graph, ruleset, settings)
    folders = cache_folders(graph)
    for folder in folders:
        path = folder / f"{kind}-{key}.json"
        try:
            if path.is_file():
                return load(path)
        except (ReasoningError, OSError):
            pass  # a damaged or unreadable file: train again and replace it
    trained = train(graph, ruleset, **asdict(settings))
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            trained.save(folder / f"{kind}-{key}.json")
            break
        except OSError:
            continue  # read-only data: the next place
    return trained
