"""Ranking justification chains: a logistic scorer trained on the graph, per-user weights, diversity.

A path existing is no evidence (almost every random pair has one); what ranks a chain is how
often chains like it link users to what they really chose next. :func:`train_scorer` learns
that from the graph itself (held-out interactions against sampled non-interactions);
:func:`rank` picks the top k, never two through the same middle node, and a repeated rule
pays a penalty. Per-user weights (:class:`UserWeights`) shift one user's scores only.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from kg import KnowledgeGraph
from kg.files import FileProblem, read_bytes
from kg.store import atomic_write_text
from reasoning.chains import Chain, ChainResult
from reasoning.errors import ReasoningError
from reasoning.features import (CONTINUOUS, FEATURES, REL_PREFIX, RULE_PREFIX, chain_features, holdout,
                                interaction_relation, middle_keys, sample_negatives, without_facts)
from reasoning.match import Budget, find_chains_many

FORMAT = "whyrec-chain-scorer"
VERSION = 1
MAX_SCORER = 64 << 20  # a scorer holds a few hundred weights; a larger file is not one


@dataclass(frozen=True)
class UserWeights:
    """One user's adjustments, added to the logit of that user's chains only (fed by feedback)."""

    user: str
    rules: tuple[tuple[str, float], ...] = ()  # (rule id, adjustment)
    relations: tuple[tuple[str, float], ...] = ()  # (relation name, adjustment)

    def adjustments(self, features: dict[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for rule_id, delta in self.rules:
            if features.get(RULE_PREFIX + rule_id):
                out[f"user:{RULE_PREFIX}{rule_id}"] = float(delta)
        for name, delta in self.relations:
            if features.get(REL_PREFIX + name):
                out[f"user:{REL_PREFIX}{name}"] = float(delta)
        return out


@dataclass(frozen=True)
class TrainStats:
    """How a scorer was trained (all zero for the weight-only fallback)."""

    users: int = 0
    positives: int = 0  # held-out real interactions
    negatives: int = 0  # sampled items the user never touched
    positives_with_chains: int = 0
    negatives_with_chains: int = 0
    chains: int = 0
    iterations: int = 0
    loss: float = 0.0  # mean weighted log loss at the optimum
    heldout: str = ""  # "date" (each user's newest) or "random" (seeded)
    relation: str = ""  # the interaction relation held out
    masked_facts: int = 0  # facts removed with the held-out pairs
    note: str = ""  # why a fallback was returned


@dataclass(frozen=True)
class Scorer:
    """A linear scorer over chain features: logit = bias + sum(weight * feature) (+ user weights)."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float = 0.0
    l2: float = 0.0
    trained: bool = False
    stats: TrainStats = field(default_factory=TrainStats)

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Each feature's share of the logit (zeros left out), plus 'bias'."""
        out = {"bias": self.bias} if self.bias else {}
        for name, w in zip(self.names, self.weights):
            x = features.get(name, 0.0)
            if x and w:
                out[name] = w * x
        return out

    def explain(self, chain: Chain, graph: KnowledgeGraph, ruleset,
                user_weights: UserWeights | None = None) -> tuple[float, dict[str, float], dict[str, float]]:
        """(score, features, contributions) of one chain; user weights apply to their user only."""
        features = chain_features(chain, graph, ruleset)
        parts = self.contributions(features)
        if user_weights is not None:
            user = chain.binding("user")
            if user is None or user.key != user_weights.user:
                raise ReasoningError("R101", f"weights of user {user_weights.user!r} given for a chain of "
                                     f"{user.key if user else 'no user'!r}")
            parts.update(user_weights.adjustments(features))
        return math.fsum(parts.values()), features, parts

    def score(self, chain: Chain, graph: KnowledgeGraph, ruleset, user_weights: UserWeights | None = None) -> float:
        return self.explain(chain, graph, ruleset, user_weights)[0]

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "version": VERSION, "trained": self.trained, "l2": self.l2,
                           "bias": self.bias, "weights": dict(zip(self.names, self.weights)),
                           "stats": asdict(self.stats)}, indent=1, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str = "<json>") -> "Scorer":
        def bad(why: str) -> ReasoningError:
            return ReasoningError("R100", f"{where}: not a whyrec chain scorer: {why}")
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise bad(f"invalid JSON ({exc})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise bad(f"'format' must be {FORMAT!r}")
        if doc.get("version") != VERSION:
            raise bad(f"version {doc.get('version')!r} is not {VERSION}")
        weights = doc.get("weights")
        number = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)  # noqa: E731
        if not isinstance(weights, dict) or not all(isinstance(k, str) and number(v) for k, v in weights.items()):
            raise bad("'weights' must map feature names to finite numbers")
        if not number(doc.get("bias")) or not number(doc.get("l2")):
            raise bad("'bias' and 'l2' must be finite numbers")
        raw = doc.get("stats") or {}
        known = TrainStats.__dataclass_fields__
        if not isinstance(raw, dict) or set(raw) - set(known):
            raise bad(f"unknown 'stats' keys {sorted(set(raw) - set(known)) if isinstance(raw, dict) else raw!r}")
        try:
            stats = TrainStats(**{k: type(getattr(TrainStats(), k))(v) for k, v in raw.items()})
        except (TypeError, ValueError) as exc:
            raise bad(f"bad 'stats' ({exc})") from None
        return cls(tuple(weights), tuple(float(v) for v in weights.values()), float(doc["bias"]),
                   float(doc["l2"]), bool(doc.get("trained")), stats)

    def save(self, path: str | Path) -> None:
        atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> "Scorer":
        try:
            text = read_bytes(path, MAX_SCORER).decode("utf-8")
        except FileProblem as exc:
            raise ReasoningError("R100", f"{path}: cannot read the scorer: {exc.message}") from None
        except UnicodeDecodeError as exc:
            raise ReasoningError("R100", f"{path}: cannot read the scorer: {exc}") from None
        return cls.from_json(text, str(path))


def weight_scorer(note: str = "") -> Scorer:
    """The fallback: a chain scores its rule's expert weight, nothing else."""
    return Scorer(("rule_weight",), (1.0,), 0.0, 0.0, False, TrainStats(note=note))


@dataclass(frozen=True)
class RankedChain:
    chain: Chain
    score: float  # the scorer's logit with this user's weights
    features: dict[str, float] = field(hash=False)
    contributions: dict[str, float] = field(hash=False)  # per feature; they sum to ``score``
    penalty: float = 0.0  # diversity penalty paid when it was picked (repeated rule)


def rank(graph: KnowledgeGraph, ruleset, result: ChainResult, scorer: Scorer, k: int = 3,
         user_weights: UserWeights | None = None, rule_penalty: float = 1.0) -> list[RankedChain]:
    """The top ``k`` chains of one pair (found on ``graph``), diverse: no middle node (a product,
    brand, category ...) in two picked chains, and each earlier pick of the same rule costs
    ``rule_penalty`` on the logit. Fewer than ``k`` come back when no other chain is distinct.
    Ties go to the more specific chain, then to the matcher's order."""
    if user_weights is not None and user_weights.user != result.user:
        raise ReasoningError("R101", f"weights of user {user_weights.user!r} given for user {result.user!r}")
    scored = []
    for n, chain in enumerate(result.chains):
        s, features, parts = scorer.explain(chain, graph, ruleset, user_weights)
        scored.append((s, chain.specificity, n, RankedChain(chain, s, features, parts)))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))  # ties: the more specific, then the matcher's order
    picked: list[RankedChain] = []
    taken: set[int] = set()
    used: set[tuple[str, str]] = set()
    rules_used: dict[str, int] = {}
    while len(picked) < k:
        best, best_n, best_value = None, -1, -math.inf
        for s, _, n, rc in scored:
            if n in taken or middle_keys(rc.chain) & used:
                continue
            value = s - rule_penalty * rules_used.get(rc.chain.rule, 0)
            if value > best_value:
                best, best_n, best_value = rc, n, value
        if best is None:
            break
        taken.add(best_n)
        picked.append(RankedChain(best.chain, best.score, best.features, best.contributions, best.score - best_value))
        used |= middle_keys(best.chain)
        rules_used[best.chain.rule] = rules_used.get(best.chain.rule, 0) + 1
    return picked


# -- training ------------------------------------------------------------------------------------

TRAIN_BUDGET = Budget(seconds=60.0)  # only the work cap (deterministic) may cut a pair, never the clock


def train_scorer(graph: KnowledgeGraph, ruleset, seed: int = 0, negatives: int = 4, max_users: int = 2000,
                 l2: float = 1.0, relation: str | None = None, budget: Budget | None = None) -> Scorer:
    """Fit the scorer on the graph itself: each user's newest interaction (held out: its facts
    leave the graph) against ``negatives`` seeded items the user never touched.

    Every chain of a pair is one example with the pair's label, weighted 1/(chains of the pair),
    so each pair counts once; binary cross-entropy plus ``l2`` times half the squared weights
    (standardized continuous features; bias free), solved by Newton's method. Deterministic for a
    seed. With nothing to learn from, returns :func:`weight_scorer` with a note saying why.
    """
    rel = interaction_relation(graph, relation)
    if rel is None:
        return weight_scorer("the graph has no user-item interactions to learn from")
    held = holdout(graph, rel, seed, max_users)
    if not held.pairs:
        return weight_scorer(f"no user has two or more {rel!r} facts to hold one out")
    negs = sample_negatives(graph, rel, [u for u, _ in held.pairs], negatives, seed)
    masked, removed = without_facts(graph, held.pairs)
    labelled = [(u, i, 1.0) for u, i in held.pairs] + [(u, i, 0.0) for u, i in negs]
    results = find_chains_many(masked, ruleset, [(graph.iri(u), graph.iri(i)) for u, i, _ in labelled],
                               budget or TRAIN_BUDGET)
    rows: list[dict[str, float]] = []
    ys: list[float] = []
    ws: list[float] = []
    with_chains = [0, 0]
    for (_, _, y), res in zip(labelled, results):
        if not res.chains:
            continue
        with_chains[int(y)] += 1
        for chain in res.chains:
            rows.append(chain_features(chain, masked, ruleset))
            ys.append(y)
            ws.append(1.0 / len(res.chains))
    stats = TrainStats(len(held.pairs), len(held.pairs), len(negs), with_chains[1], with_chains[0], len(rows),
                       heldout=held.by, relation=rel, masked_facts=removed)
    if not with_chains[0] or not with_chains[1]:
        why = "no chains for " + ("real" if not with_chains[1] else "sampled") + " pairs: nothing to contrast"
        return replace(weight_scorer(), stats=replace(stats, note=why))
    names = FEATURES + tuple(sorted({k for r in rows for k in r} - set(FEATURES)))
    x = np.array([[r.get(k, 0.0) for k in names] for r in rows], dtype=float)
    coef, bias, iterations, loss = fit_logistic(x, np.array(ys), np.array(ws),
                                                np.array([k in CONTINUOUS for k in names]), l2)
    return Scorer(names, tuple(float(c) for c in coef), float(bias), l2, True,
                  replace(stats, iterations=iterations, loss=loss))


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, scale: np.ndarray, l2: float,
                 max_iter: int = 100, tol: float = 1e-10) -> tuple[np.ndarray, float, int, float]:
    """Weighted L2 logistic regression by Newton's method with step halving.

    Columns in ``scale`` are standardized for the fit (so the penalty treats them alike) and
    the result is mapped back: (coefficients on raw features, bias, iterations, mean log loss).
    """
    mu = np.where(scale, (w @ x) / w.sum(), 0.0)
    sd = np.sqrt(np.maximum((w @ (x - mu) ** 2) / w.sum(), 0.0))
    sd = np.where(scale & (sd > 1e-12), sd, 1.0)
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0

    def objective(theta: np.ndarray) -> float:
        t = z @ theta
        return float(w @ (np.logaddexp(0.0, t) - y * t) + 0.5 * penalty @ theta ** 2)

    theta = np.zeros(z.shape[1])
    current = objective(theta)
    iterations = 0
    for iterations in range(1, max_iter + 1):
        p = 1.0 / (1.0 + np.exp(-(z @ theta)))
        grad = z.T @ (w * (p - y)) + penalty * theta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        size = 1.0
        while True:
            trial = theta - size * step
            value = objective(trial)
            if value <= current + 1e-12 or size < 1e-6:
                break
            size /= 2
        if value > current + 1e-12:
            break  # no step lowers the objective: at the optimum up to rounding
        theta, improved = trial, current - value
        current = value
        if abs(improved) < tol * max(1.0, abs(current)) or float(np.max(np.abs(size * step))) < tol:
            break
    coef = theta[:-1] / sd
    bias = float(theta[-1] - coef @ mu)
    mean_loss = float(w @ (np.logaddexp(0.0, z @ theta) - y * (z @ theta)) / w.sum())
    return coef, bias, iterations, mean_loss
