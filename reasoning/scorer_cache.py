"""A trained scorer, kept on disk for the same graph, rules, options and code.

``Explainer(graph, rules)`` trains a ranker on the graph (seconds on the demo, up to a minute on
a big catalog); a second ``whyrec explain`` of the same catalog reads it back instead. The key is
the graph's content (kg.cache.fingerprint), the rules (their full text as parsed), the training
options, the project version and a hash of the ``reasoning`` package's code, so a changed feature
or a retuned trainer never reuses an old scorer. The file is the scorer's own JSON
(``Scorer.save``, atomic); one that does not load is trained again. Where: beside the graph
cache (``$WHYREC_CACHE_DIR/../scorers``, or ``~/.cache/whyrec/scorers``); off with
``WHYREC_CACHE=0``, like the graph cache.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from kg import KnowledgeGraph
from kg.cache import fingerprint, folder_for, project_version
from reasoning.errors import ReasoningError
from reasoning.rank import Scorer


@lru_cache(maxsize=1)
def _code() -> str:
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def scorer_key(graph: KnowledgeGraph, rules, options: dict[str, object]) -> str:
    plans = getattr(rules, "plans", rules)
    meta = {"graph": fingerprint(graph), "rules": repr(tuple(getattr(p, "rule", p) for p in plans)),
            "options": {k: repr(v) for k, v in sorted(options.items())}, "version": project_version(),
            "code": _code()}
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()


def cached_scorer(graph: KnowledgeGraph, rules, train: Callable[..., Scorer], **options: object) -> Scorer:
    """``train(graph, rules, **options)``, or the scorer an earlier identical call saved."""
    folder, _ = folder_for(None)
    if folder is None:
        return train(graph, rules, **options)
    path = folder.parent / "scorers" / f"{scorer_key(graph, rules, options)[:40]}.json"
    if path.is_file():
        try:
            return Scorer.load(path)
        except ReasoningError:
            pass  # damaged or from another format: trained again, and rewritten
    scorer = train(graph, rules, **options)
    if scorer.trained:  # a fallback (nothing to learn from) is instant: not worth a file
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            scorer.save(path)
        except OSError:
            pass
    return scorer
