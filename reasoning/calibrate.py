"""A confidence in [0, 1] for a reason: the scorer's logit, calibrated on held-out interactions.

The scorer (reasoning.rank) is a logistic regression fitted on each user's newest interaction
against sampled items; its logit is unbounded and its sigmoid is fitted on the training pairs
themselves. :func:`fit_calibration` measures it on pairs the scorer never saw: each user's
second-newest interaction (the newest is masked as in training, then this one too) against
``negatives`` other items the user never touched. A pair's score is its best chain's score,
which is the first reason shown. Platt scaling (a logistic fit of the label on that score,
two parameters) maps a score to the share of such pairs that were real.

So ``confidence`` reads: "of held-out pairs whose best reason scored this high, this share were
things the user really chose next, when each real one stood among ``1 + negatives`` candidates".
It is a calibrated ranking confidence, not the chance of a purchase in the shop.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kg import KnowledgeGraph
from kg.progress import progress
from kg.store import atomic_write_text
from reasoning.errors import ReasoningError
from reasoning.holdout import holdout, interaction_relation, sample_negatives, without_facts
from reasoning.match import Budget, find_chains_many
from reasoning.rank import Scorer
from reasoning.train import TRAIN_BUDGET, fit_logistic, train_scorer

FORMAT, VERSION = "whyrec-ranker", 1
MAX_FILE = 64 << 20  # a ranker file is a few KB; refuse to read anything absurd
CHUNK = 64  # pairs per find_chains_many call while calibrating, so the bar moves


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of a scorer's logit: ``p = sigmoid(slope * score + intercept)``."""

    slope: float
    intercept: float
    relation: str = ""  # the interaction held out ("purchased")
    pairs: int = 0  # held-out pairs with at least one chain, fitted on
    positives: int = 0  # of them, real interactions
    negatives: int = 4  # sampled items per real one
    ece: float = 0.0  # expected calibration error on the pairs fitted on (5 equal-count bins)
    method: str = "platt"

    def probability(self, score: float) -> float:
        z = self.slope * float(score) + self.intercept
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    @property
    def basis(self) -> str:
        """What the confidence was calibrated on, in words."""
        return (f"Platt scaling on {self.pairs} held-out pairs with reasons: each user's second-newest "
                f"'{self.relation}' ({self.positives} pairs) against {self.negatives} items the user never "
                f"touched; confidence = share of such pairs that were real")

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: object, where: str = "<json>") -> "Calibration":
        fields = cls.__dataclass_fields__
        if not isinstance(doc, dict) or set(doc) - set(fields) or not {"slope", "intercept"} <= set(doc):
            raise ReasoningError("R100", f"{where}: 'calibration' must hold slope, intercept and known keys only")
        try:
            out = cls(**{k: type(getattr(cls(0.0, 0.0), k))(v) for k, v in doc.items()})
        except (TypeError, ValueError) as exc:
            raise ReasoningError("R100", f"{where}: bad 'calibration' ({exc})") from None
        if not (math.isfinite(out.slope) and math.isfinite(out.intercept)):
            raise ReasoningError("R100", f"{where}: calibration slope and intercept must be finite")
        return out


@dataclass(frozen=True)
class Samples:
    """Held-out pairs with chains: the best chain's score, the label, and the user (node id)."""

    scores: np.ndarray
    labels: np.ndarray
    users: np.ndarray
    relation: str
    negatives: int


def calibration_samples(graph: KnowledgeGraph, ruleset, scorer: Scorer, seed: int = 0, max_users: int = 500,
                        negatives: int = 4, budget: Budget | None = None, show: bool | None = None) -> Samples | None:
    """Score pairs the scorer never trained on (see the module docstring); None without any.

    ``seed`` and ``max_users`` must be those the scorer was trained with, so the same newest
    interactions are masked before the second-newest ones are held out.
    """
    rel = interaction_relation(graph, scorer.stats.relation or None)
    if rel is None:
        return None
    first = holdout(graph, rel, seed, max_users)
    masked1, _ = without_facts(graph, first.pairs)
    second = holdout(masked1, rel, seed, max_users)
    if not second.pairs:
        return None
    positives = [(graph.node(masked1.iri(u)), graph.node(masked1.iri(i))) for u, i in second.pairs]
    masked2, _ = without_facts(masked1, second.pairs)
    negs = sample_negatives(graph, rel, [u for u, _ in positives], negatives, seed + 7919)
    labelled = [(u, i, 1.0) for u, i in positives] + [(u, i, 0.0) for u, i in negs]
    pairs = [(graph.iri(u), graph.iri(i)) for u, i, _ in labelled]
    scores, labels, users = [], [], []
    with progress(len(pairs), f"calibrating confidence on {len(positives)} held-out '{rel}' pairs",
                  show, "pair") as bar:
        for start in range(0, len(pairs), CHUNK):
            results = find_chains_many(masked2, ruleset, pairs[start:start + CHUNK], budget or TRAIN_BUDGET)
            for (u, _, y), res in zip(labelled[start:start + CHUNK], results):
                if res.chains:
                    scores.append(max(scorer.score(c, masked2, ruleset) for c in res.chains))
                    labels.append(y)
                    users.append(u)
            bar.update(len(results))
    if not scores:
        return None
    return Samples(np.array(scores), np.array(labels), np.array(users, dtype=np.int64), rel, negatives)


def fit_platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(slope, intercept) of the logistic fit of ``labels`` on ``scores`` (a whisper of L2 on the
    slope keeps it finite when the scores separate the labels)."""
    coef, bias, _, _ = fit_logistic(np.asarray(scores, dtype=float)[:, None], np.asarray(labels, dtype=float),
                                    np.ones(len(scores)), np.array([False]), 1e-3)
    return float(coef[0]), float(bias)


def reliability(probabilities: np.ndarray, labels: np.ndarray, bins: int = 5) -> tuple[list[tuple[int, float, float]], float]:
    """The reliability curve over equal-count bins: [(pairs, mean confidence, share real)], and
    the expected calibration error (the pair-weighted mean gap between the two)."""
    p, y = np.asarray(probabilities, dtype=float), np.asarray(labels, dtype=float)
    order = np.argsort(p, kind="stable")
    curve = [(len(part), float(p[part].mean()), float(y[part].mean()))
             for part in np.array_split(order, min(bins, len(p))) if len(part)]
    ece = sum(n * abs(mean_p - share) for n, mean_p, share in curve) / max(len(p), 1)
    return curve, float(ece)


def fit_calibration(samples: Samples | None) -> Calibration | None:
    """Platt scaling fitted on ``samples``; None when they hold no real or no sampled pair."""
    if samples is None or samples.labels.min() == samples.labels.max():
        return None
    slope, intercept = fit_platt(samples.scores, samples.labels)
    cal = Calibration(slope, intercept, samples.relation, len(samples.labels), int(samples.labels.sum()),
                      samples.negatives)
    _, ece = reliability(np.array([cal.probability(s) for s in samples.scores]), samples.labels)
    return Calibration(slope, intercept, cal.relation, cal.pairs, cal.positives, cal.negatives, round(ece, 4))


@dataclass(frozen=True)
class Ranker:
    """A scorer and the calibration of its scores, trained, saved and loaded together."""

    scorer: Scorer
    calibration: Calibration | None = None

    def confidence(self, score: float) -> float | None:
        return None if self.calibration is None else self.calibration.probability(score)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "version": VERSION, "scorer": json.loads(self.scorer.to_json()),
                           "calibration": None if self.calibration is None else self.calibration.to_dict()},
                          indent=1) + "\n"

    def save(self, path: str | Path) -> None:
        atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> "Ranker":
        """A ranker file, or a bare scorer file (``Scorer.save``: no calibration)."""
        p = Path(path)
        try:
            if not p.is_file() or p.stat().st_size > MAX_FILE:
                raise ReasoningError("R100", f"{path}: not a regular file of at most {MAX_FILE >> 20} MB")
            text = p.read_text(encoding="utf-8")
            doc = json.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ReasoningError("R100", f"{path}: cannot read the ranker: {exc}") from None
        if isinstance(doc, dict) and doc.get("format") == FORMAT:
            if doc.get("version") != VERSION or set(doc) != {"format", "version", "scorer", "calibration"}:
                raise ReasoningError("R100", f"{path}: a {FORMAT} file of version {VERSION} holds format, "
                                     "version, scorer and calibration")
            scorer = Scorer.from_json(json.dumps(doc["scorer"]), str(path))
            cal = doc["calibration"]
            return cls(scorer, None if cal is None else Calibration.from_dict(cal, str(path)))
        return cls(Scorer.from_json(text, str(path)))


def train_ranker(graph: KnowledgeGraph, ruleset, seed: int = 0, max_users: int = 500,
                 show: bool | None = None, **train_kw) -> Ranker:
    """:func:`reasoning.rank.train_scorer`, then :func:`fit_calibration` on pairs it never saw.

    ``show``: a progress bar on stderr (None: only on a terminal). The calibration is None when
    the scorer fell back to rule weights or no held-out pair is left to calibrate on.
    """
    users = _users_to_train(graph, max_users, train_kw.get("relation"))
    with progress(1, f"training the ranker on {users} users", show) as bar:
        scorer = train_scorer(graph, ruleset, seed=seed, max_users=max_users, **train_kw)
        bar.update()
    if not scorer.trained:
        return Ranker(scorer)
    samples = calibration_samples(graph, ruleset, scorer, seed, max_users, train_kw.get("negatives", 4),
                                  train_kw.get("budget"), show)
    return Ranker(scorer, fit_calibration(samples))


def _users_to_train(graph: KnowledgeGraph, max_users: int, relation: str | None) -> int:
    """How many users train_scorer holds an interaction out for (those with two or more)."""
    rel = interaction_relation(graph, relation)
    index = graph.edges(rel) if rel else None
    return 0 if index is None else min(max_users, int((index.out.degrees() >= 2).sum()))


def cached_ranker(graph: KnowledgeGraph, ruleset, show: bool | None = None) -> Ranker:
    """:func:`train_ranker` once per graph and rule set; later calls read it from the scorer cache
    (reasoning/scorer_cache.py), so a second ``whyrec explain`` does not train again."""
    from reasoning.scorer_cache import TrainSettings, cached

    return cached(graph, ruleset, TrainSettings(), "ranker", Ranker.load,
                  lambda g, r, **kw: train_ranker(g, r, show=show, **kw))
