"""A scorer as JSON, read back all-or-nothing: every field checked, every number finite.

Version 2 adds the rule table (expert and learned weights, and why) and the prior's
settings; version 3 the weak floor (null: none). Version 1 and 2 files still load (no floor).
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, fields
from pathlib import Path

from reasoning.errors import ReasoningError
from reasoning.rank import RuleWeight, Scorer, TrainStats

FORMAT = "whyrec-chain-scorer"
VERSION = 3
MAX_BYTES = 64 * 1024 * 1024  # a scorer is a few kilobytes; anything near this is not one


def scorer_to_json(scorer: Scorer) -> str:
    doc = {"format": FORMAT, "version": VERSION, "trained": scorer.trained, "l2": scorer.l2, "bias": scorer.bias,
           "scale": scorer.scale, "bound": scorer.bound, "keep_order": scorer.keep_order,
           "weak_floor": scorer.weak_floor,
           "weights": dict(zip(scorer.names, scorer.weights)), "stats": asdict(scorer.stats),
           "rules": [asdict(r) for r in scorer.rules]}
    return json.dumps(doc, indent=1, sort_keys=False) + "\n"


def _number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def scorer_from_json(text: str, where: str = "<json>") -> Scorer:
    def bad(why: str) -> ReasoningError:
        return ReasoningError("R100", f"{where}: not a whyrec chain scorer: {why}")
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise bad(f"invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise bad(f"'format' must be {FORMAT!r}")
    if doc.get("version") not in (1, 2, VERSION):
        raise bad(f"version {doc.get('version')!r} is not 1, 2 or {VERSION}")
    weights = doc.get("weights")
    if not isinstance(weights, dict) or not all(isinstance(k, str) and _number(v) for k, v in weights.items()):
        raise bad("'weights' must map feature names to finite numbers")
    for key in ("bias", "l2") + (("scale", "bound") if doc["version"] >= 2 else ()):
        if not _number(doc.get(key)):
            raise bad(f"'{key}' must be a finite number")
    floor = doc.get("weak_floor")
    if floor is not None and not _number(floor):
        raise bad("'weak_floor' must be a finite number or null")
    stats = _stats(doc.get("stats") or {}, bad)
    rules = tuple(_rule(r, bad) for r in _list(doc.get("rules", []), bad))
    return Scorer(tuple(weights), tuple(float(v) for v in weights.values()), float(doc["bias"]), float(doc["l2"]),
                  bool(doc.get("trained")), stats, rules, float(doc.get("scale", 0.0)), float(doc.get("bound", 0.0)),
                  bool(doc.get("keep_order", False)), None if floor is None else float(floor))


def _list(v: object, bad) -> list:
    if not isinstance(v, list):
        raise bad("'rules' must be a list")
    return v


def _stats(raw: object, bad) -> TrainStats:
    known = TrainStats.__dataclass_fields__
    if not isinstance(raw, dict) or set(raw) - set(known):
        raise bad(f"unknown 'stats' keys {sorted(set(raw) - set(known)) if isinstance(raw, dict) else raw!r}")
    try:
        return TrainStats(**{k: type(getattr(TrainStats(), k))(v) for k, v in raw.items()})
    except (TypeError, ValueError) as exc:
        raise bad(f"bad 'stats' ({exc})") from None


def _rule(raw: object, bad) -> RuleWeight:
    names = [f.name for f in fields(RuleWeight)]
    if not isinstance(raw, dict) or set(raw) != set(names):
        raise bad(f"each rule needs exactly the keys {names}")
    if not isinstance(raw["rule"], str) or not isinstance(raw["why"], str):
        raise bad("a rule's 'rule' and 'why' must be text")
    for k in ("expert", "learned", "wanted"):
        if not _number(raw[k]):
            raise bad(f"rule {raw['rule']!r}: '{k}' must be a finite number")
    if not all(isinstance(raw[k], int) and not isinstance(raw[k], bool) and raw[k] >= 0 for k in ("real", "sampled")):
        raise bad(f"rule {raw['rule']!r}: 'real' and 'sampled' must be counts")
    if raw["lift"] is not None and not _number(raw["lift"]):
        raise bad(f"rule {raw['rule']!r}: 'lift' must be a finite number or null")
    return RuleWeight(raw["rule"], float(raw["expert"]), float(raw["learned"]), float(raw["wanted"]), raw["real"],
                      raw["sampled"], None if raw["lift"] is None else float(raw["lift"]), raw["why"])


def read_scorer(path: str | Path) -> Scorer:
    """Load a scorer file: a regular file of sane size, valid UTF-8 JSON, every field checked."""
    p = Path(path)
    try:
        info = p.stat()
        if not p.is_file():
            raise ReasoningError("R100", f"{path}: not a regular file", "give the path of a scorer .json file")
        if info.st_size > MAX_BYTES:
            raise ReasoningError("R100", f"{path}: {info.st_size:,} bytes is too large for a scorer")
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReasoningError("R100", f"{path}: cannot read the scorer: {exc}") from None
    return scorer_from_json(text, str(path))
