"""Training the chain scorer on the graph itself, with the expert's rule weights as the prior.

Each user's newest interaction is held out (its facts leave the graph) and set against a few
seeded items the user never touched. Every chain of a pair is one example with the pair's
label, weighted 1/(chains of the pair), so each pair counts once; a pair no rule links is
one example with only its popularity (and ``no_chain``). Three weighted L2 logistic fits:

1. the expert's weight as one feature next to the evidence: its coefficient is ``scale``,
   the logit one unit of expert weight is worth (never below ``MIN_SCALE``: the expert's
   weights always count);
2. a shift per rule on top of ``scale * expert weight``: where the data alone would put each
   rule (``wanted``); the learned weight is that, clipped to ``expert * (1 -/+ bound)``, and
   with ``keep_order`` projected onto the expert's order (isotonic, then clipped again);
3. the evidence weights again, with every rule's part fixed at ``scale * learned``;

then, ``rounds`` times, the three again on each pair's top chain alone (what a user is shown).

Rule-level features (hops, tags, conditions ...) are never fitted: they would be a second,
unbounded rule weight.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kg import KnowledgeGraph
from reasoning.features import EVIDENCE, RULE_PREFIX, chain_features, pair_features
from reasoning.holdout import holdout, interaction_relation, sample_negatives, without_facts
from reasoning.match import Budget, find_chains_many
from reasoning.prior import clip, learned_weights
from reasoning.rank import RuleWeight, Scorer, TrainStats, weight_scorer
from reasoning.ruleset import plans_of

TRAINING = 4  # bump when training learns differently: cached scorers of an older trainer are not reused
TRAIN_BUDGET = Budget(seconds=60.0)  # only the work cap (deterministic) may cut a pair, never the clock
PRIOR_BOUND = 0.5  # the data may move a rule's weight by at most half the expert's weight either way
MIN_SCALE = 0.25  # logit per unit of expert weight, at least
WEAK_KEEP_REAL = 0.9  # share of the held-out real choices linked only by weak chains that keep their lone reason
WEAK_FLOOR_MIN = 10  # such real choices needed to set a floor (fewer: no floor, a lone weak reason always shows)
ROUNDS = 1  # refits on each pair's top chain (what is shown and measured): +0.001-0.004 AUC, one more fit


@dataclass(frozen=True)
class Examples:
    """The training table: one row per chain (or per pair without chains)."""

    x: np.ndarray  # evidence features (columns: names)
    names: tuple[str, ...]
    expert: np.ndarray  # the expert's weight of the row's rule (0 for a pair without chains)
    rule: np.ndarray  # index into ``rules`` (-1: no chain)
    rules: tuple[str, ...]
    y: np.ndarray
    w: np.ndarray
    fired: dict[str, tuple[int, int]]  # rule -> (real pairs it links, sampled pairs it links)
    pair: np.ndarray  # the row's pair (index into the labelled pairs)


def train_scorer(graph: KnowledgeGraph, ruleset, seed: int = 0, negatives: int = 4, max_users: int = 2000,
                 l2: float = 1.0, relation: str | None = None, budget: Budget | None = None,
                 bound: float = PRIOR_BOUND, keep_order: bool = False, rounds: int = ROUNDS) -> Scorer:
    """Fit the scorer on the graph itself (see the module docstring). Deterministic for a seed.
    With nothing to learn from, returns :func:`weight_scorer` with a note saying why."""
    rel = interaction_relation(graph, relation)
    if rel is None:
        return weight_scorer("the graph has no user-item interactions to learn from")
    held = holdout(graph, rel, seed, max_users)
    if not held.pairs:
        return weight_scorer(f"no user has two or more {rel!r} facts to hold one out")
    negs = sample_negatives(graph, rel, [u for u, _ in held.pairs], negatives, seed)
    masked, removed = without_facts(graph, held.pairs, before=rel if held.by == "date" else None)
    labelled = [(u, i, 1.0) for u, i in held.pairs] + [(u, i, 0.0) for u, i in negs]
    named = [(graph.iri(u), graph.iri(i), y) for u, i, y in labelled]
    results = find_chains_many(masked, ruleset, [(u, i) for u, i, _ in named], budget or TRAIN_BUDGET)
    ex = examples(masked, ruleset, named, results)
    with_chains = [sum(1 for (_, _, y), r in zip(labelled, results) if r.chains and y == v) for v in (0.0, 1.0)]
    stats = TrainStats(len(held.pairs), len(held.pairs), len(negs), with_chains[1], with_chains[0],
                       int(np.count_nonzero(ex.rule >= 0)), heldout=held.by, relation=rel, masked_facts=removed)
    if not with_chains[0] or not with_chains[1]:
        why = "no chains for " + ("real" if not with_chains[1] else "sampled") + " pairs: nothing to contrast"
        return replace(weight_scorer(), stats=replace(stats, note=why))
    scorer = fit_scorer(ex, plans_of(ruleset), l2, bound, keep_order, stats, rounds)
    return replace(scorer, weak_floor=weak_floor(ex, scorer))


def weak_floor(ex: Examples, scorer: Scorer) -> float | None:
    """The score a lone weak chain must reach to be shown (reasoning.rank.rank, ``weak_chains="alone"``).

    Among the held-out real choices whose every chain is weak (a broad middle node or a product of
    another department), the chain rank would show (fewest weak marks, then best score) is scored;
    the floor keeps ``WEAK_KEEP_REAL`` of them (its quantile ``1 - WEAK_KEEP_REAL``). A random pair
    linked only weakly keeps its lone reason only when it scores like a real choice's weak link:
    most score lower (benchmarks/README.md, "The weak floor"). None when fewer than
    ``WEAK_FLOOR_MIN`` such real choices were held out: too few to say where they score.
    """
    if not len(ex.y):
        return None
    flags = np.zeros(len(ex.y))  # the weak marks of each row (reasoning.rank.weak: broad, cross_shared)
    for j, name in enumerate(ex.names):
        if name in ("broad", "cross_shared"):
            flags += ex.x[:, j] > 0
    weight = dict(zip(scorer.names, scorer.weights))
    logits = scorer.bias + weight.get("rule_weight", 0.0) * ex.expert + ex.x @ np.array(
        [weight.get(n, 0.0) for n in ex.names])
    logits = logits + np.array([weight.get(RULE_PREFIX + ex.rules[r], 0.0) if r >= 0 else 0.0 for r in ex.rule.tolist()])
    best: dict[int, tuple[float, float]] = {}  # pair -> (weak marks, -score) of the chain rank would pick
    all_weak: dict[int, bool] = {}
    for n, (p, y, r) in enumerate(zip(ex.pair.tolist(), ex.y.tolist(), ex.rule.tolist())):
        if y != 1.0 or r < 0:
            continue
        all_weak[p] = all_weak.get(p, True) and flags[n] > 0
        key = (float(flags[n]), -float(logits[n]))
        if p not in best or key < best[p]:
            best[p] = key
    scores = [-best[p][1] for p, weak in all_weak.items() if weak]
    if len(scores) < WEAK_FLOOR_MIN:
        return None
    return float(np.quantile(np.array(scores), 1.0 - WEAK_KEEP_REAL))


def examples(graph: KnowledgeGraph, ruleset, labelled: list[tuple[str, str, float]], results) -> Examples:
    """The table for ``labelled`` (user IRI, item IRI, label) pairs and their chains on ``graph``."""
    rows, expert, rule, ys, ws, pair = [], [], [], [], [], []
    rules = tuple(p.rule.id for p in plans_of(ruleset))
    weight = {p.rule.id: float(p.rule.weight) for p in plans_of(ruleset)}
    fired = {r: [0, 0] for r in rules}
    for k, ((_, item, y), res) in enumerate(zip(labelled, results)):
        pair += [k] * max(len(res.chains), 1)
        for r in {c.rule for c in res.chains}:
            fired[r][int(y == 0.0)] += 1
        if not res.chains:
            rows.append(pair_features(graph, graph.node(item)))
            expert.append(0.0), rule.append(-1), ys.append(y), ws.append(1.0)
            continue
        for chain in res.chains:
            rows.append(chain_features(chain, graph, ruleset))
            expert.append(weight[chain.rule]), rule.append(rules.index(chain.rule))
            ys.append(y), ws.append(1.0 / len(res.chains))
    x = np.array([[r[k] for k in EVIDENCE] for r in rows], dtype=float).reshape(len(rows), len(EVIDENCE))
    varied = tuple(k for j, k in enumerate(EVIDENCE) if len(rows) and np.ptp(x[:, j]) > 0)
    x = x[:, [EVIDENCE.index(k) for k in varied]]
    return Examples(x, varied, np.array(expert), np.array(rule, dtype=np.int64), rules, np.array(ys), np.array(ws),
                    {r: (a, b) for r, (a, b) in fired.items()}, np.array(pair, dtype=np.int64))


def fit_scorer(ex: Examples, plans, l2: float, bound: float, keep_order: bool, stats: TrainStats,
               rounds: int = 0) -> Scorer:
    # The penalty reads raw coefficients: the evidence features are on small ranges already, and a
    # standardized rare feature (crowd support, on a few chains) came back with a weight of 50.
    scale_cols = np.zeros(len(ex.names), dtype=bool)
    # 1: how much one unit of the expert's weight is worth, next to the evidence
    x1 = np.hstack([ex.expert[:, None], ex.x])
    coef, _, _, _ = fit_logistic(x1, ex.y, ex.w, np.concatenate([[False], scale_cols]), l2)
    scale = max(float(coef[0]), MIN_SCALE)
    # 2: where the data would put each rule, on top of the expert's weight
    onehot = np.zeros((len(ex.y), len(ex.rules)))
    has = ex.rule >= 0
    onehot[np.flatnonzero(has), ex.rule[has]] = 1.0
    x2 = np.hstack([onehot, ex.x])
    coef2, _, _, _ = fit_logistic(x2, ex.y, ex.w, np.concatenate([np.zeros(len(ex.rules), bool), scale_cols]), l2,
                                  offset=scale * ex.expert)
    experts = {p.rule.id: float(p.rule.weight) for p in plans}
    wanted = {r: experts[r] + float(coef2[j]) / scale for j, r in enumerate(ex.rules)}
    for r in ex.rules:
        if not sum(ex.fired[r]):
            wanted[r] = experts[r]  # never linked a training pair: nothing moves it
    learned = learned_weights(experts, wanted, bound, keep_order)
    # 3: the evidence weights, with each rule's part fixed
    part = np.array([scale * learned[ex.rules[j]] if j >= 0 else 0.0 for j in ex.rule.tolist()])
    theta, bias, iterations, loss = fit_logistic(ex.x, ex.y, ex.w, scale_cols, l2, offset=part)
    if rounds > 0:  # what is shown and measured is each pair's top chain: fit again on those alone
        logits = part + np.einsum("nj,j->n", ex.x, theta)
        order = np.lexsort((-logits, ex.pair))
        first = order[np.r_[True, ex.pair[order][1:] != ex.pair[order][:-1]]]
        top = Examples(ex.x[first], ex.names, ex.expert[first], ex.rule[first], ex.rules, ex.y[first],
                       np.ones(len(first)), ex.fired, ex.pair[first])
        return fit_scorer(top, plans, l2, bound, keep_order, stats, rounds - 1)
    n_real, n_sampled = max(stats.positives, 1), max(stats.negatives, 1)
    table = tuple(_rule_weight(r, experts[r], learned[r], wanted[r], ex.fired[r], n_real, n_sampled, bound,
                               keep_order) for r in ex.rules)
    names = ("rule_weight",) + tuple(RULE_PREFIX + r for r in ex.rules) + ex.names
    weights = (scale,) + tuple(scale * (learned[r] - experts[r]) for r in ex.rules) + tuple(float(t) for t in theta)
    return Scorer(names, weights, float(bias), l2, True, replace(stats, iterations=iterations, loss=loss),
                  table, scale, bound, keep_order)


def _rule_weight(rule: str, expert: float, learned: float, wanted: float, fired: tuple[int, int], n_real: int,
                 n_sampled: int, bound: float, keep_order: bool) -> RuleWeight:
    real, sampled = fired
    lift = (real / n_real) / (sampled / n_sampled) if sampled else None
    if not real and not sampled:
        why = "linked no training pair: the expert's weight stands"
    else:
        why = f"links {real / n_real:.0%} of real next choices and {sampled / n_sampled:.0%} of random items"
        why += f" (lift {lift:.1f})" if lift is not None else ""
        moved = "kept" if abs(learned - expert) < 5e-3 else ("raised" if learned > expert else "lowered")
        why += f"; {moved}"
        if (moved == "lowered" and (lift is None or lift > 1.5)) or (moved == "raised" and lift is not None and lift < 0.67):
            why += " (the evidence on its chains, not the rule, explains the rest)"
        if abs(learned - wanted) >= 5e-3:
            lo, hi = (expert * (1 - bound), expert * (1 + bound)) if expert > 0 else (expert - bound, expert + bound)
            held = [f"the bound {lo:.2f}-{hi:.2f}"] if not lo <= wanted <= hi else []
            held += ["the expert's order of rules"] if abs(clip(expert, wanted, bound) - learned) >= 5e-3 else []
            why += f": the data alone says {wanted:.2f}, held by {' and '.join(held)}"
    return RuleWeight(rule, expert, round(learned, 6), round(wanted, 6), real, sampled,
                      None if lift is None else round(lift, 6), why)


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, scale: np.ndarray, l2: float,
                 max_iter: int = 100, tol: float = 1e-10,
                 offset: np.ndarray | None = None) -> tuple[np.ndarray, float, int, float]:
    """Weighted L2 logistic regression by Newton's method with step halving.

    Columns in ``scale`` are standardized for the fit (so the penalty treats them alike) and
    the result is mapped back: (coefficients on raw features, bias, iterations, mean log loss).
    ``offset`` is added to every row's logit as it is (a part of the score already fixed).
    """
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    mu = np.where(scale, np.einsum("n,nj->j", w, x) / w.sum(), 0.0)
    sd = np.sqrt(np.maximum(np.einsum("n,nj->j", w, (x - mu) ** 2) / w.sum(), 0.0))
    sd = np.where(scale & (sd > 1e-12), sd, 1.0)
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0

    def logit(theta: np.ndarray) -> np.ndarray:
        return np.einsum("nj,j->n", z, theta) + off

    def objective(theta: np.ndarray) -> float:
        t = logit(theta)
        return float(w @ (np.logaddexp(0.0, t) - y * t) + 0.5 * penalty @ theta ** 2)

    theta = np.zeros(z.shape[1])
    current = objective(theta)
    iterations = 0
    for iterations in range(1, max_iter + 1):
        p = 1.0 / (1.0 + np.exp(-logit(theta)))
        grad = np.einsum("nj,n->j", z, w * (p - y)) + penalty * theta
        # einsum, not matrix products: a threaded BLAS on a busy machine took 25-60x longer at these sizes
        hess = np.einsum("ni,nj->ij", z * (w * p * (1 - p))[:, None], z) + np.diag(penalty + 1e-9)
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
    t = logit(theta)
    return coef, bias, iterations, float(w @ (np.logaddexp(0.0, t) - y * t) / w.sum())
