"""User feedback ("helpful" / "not helpful") turned into per-user ranking weights.

Each vote moves that user's adjustment for the reason's rule and for each relation
in its chain; the adjustments are added to that user's chain scores only. The
store is a small JSON file written atomically under a lock, so two processes voting
at once do not lose each other's votes and a crash never leaves half a file.
"""
from __future__ import annotations

import fcntl
import json
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generation.errors import GenerationError
from kg.errors import Where
from kg.store import atomic_write_text
from reasoning.rank import UserWeights

FORMAT = "whyrec-feedback"
VERSION = 1
RULE_STEP, RELATION_STEP, LIMIT = 0.75, 0.25, 4.0


@dataclass(frozen=True)
class Vote:
    user: str
    rule: str
    relations: tuple[str, ...]
    helpful: bool


class FeedbackStore:
    """Per-user weights persisted in one JSON file."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._data = self._read()

    def _read(self) -> dict[str, dict[str, dict[str, float]]]:
        if not self.path.exists():
            return {}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise GenerationError("E003", f"cannot read feedback ({exc})", Where(str(self.path))) from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("users"), dict):
            raise GenerationError("E003", "not a whyrec feedback file", Where(str(self.path)),
                                  "move it away or pass another feedback path")
        users = {}
        for user, entry in doc["users"].items():
            tables = [entry.get(name) or {} for name in ("rules", "relations")] if isinstance(entry, dict) else None
            if tables is None or not all(isinstance(t, dict) for t in tables):
                raise GenerationError("E003", f"user {user!r} must hold 'rules' and 'relations' objects",
                                      Where(str(self.path)))
            rules, rels = ({k: float(v) for k, v in t.items() if _finite(v)} for t in tables)
            users[str(user)] = {"rules": rules, "relations": rels}
        return users

    def weights(self, user: str) -> UserWeights:
        entry = self._data.get(user, {})
        return UserWeights(user, tuple(sorted(entry.get("rules", {}).items())),
                           tuple(sorted(entry.get("relations", {}).items())))

    def record(self, vote: Vote) -> UserWeights:
        """Apply one vote and save; returns that user's new weights."""
        with self._locked():
            data = self._read()  # another process may have voted since we loaded
            entry = data.setdefault(vote.user, {"rules": {}, "relations": {}})
            sign = 1.0 if vote.helpful else -1.0
            _bump(entry["rules"], vote.rule, sign * RULE_STEP)
            for rel in sorted(set(vote.relations)):
                _bump(entry["relations"], rel, sign * RELATION_STEP)
            text = json.dumps({"format": FORMAT, "version": VERSION, "users": data}, indent=1, sort_keys=True)
            try:
                atomic_write_text(self.path, text + "\n")
            except OSError as exc:
                raise GenerationError("E003", f"cannot save feedback ({exc}); the previous file is intact",
                                      Where(str(self.path)), "check that the folder exists and is writable") from exc
            self._data = data  # only once saved: a failed write changes nothing, on disk or here
        return self.weights(vote.user)

    @contextmanager
    def _locked(self):
        lock = self.path.with_name(self.path.name + ".lock")
        try:
            handle = open(lock, "a")
        except OSError as exc:
            raise GenerationError("E003", f"cannot lock feedback ({exc})", Where(str(self.path)),
                                  "check that the folder exists and is writable") from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _bump(table: dict[str, float], key: str, delta: float) -> None:
    table[key] = max(-LIMIT, min(LIMIT, table.get(key, 0.0) + delta))


def _finite(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def default_feedback_path(graph_source: str) -> Path:
    """Beside the graph: ``<graph file or folder>.feedback.json``."""
    src = Path(graph_source)
    return src.with_name(src.name + ".feedback.json")
