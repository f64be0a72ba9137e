"""Ranking justification chains: a linear scorer whose rule part is the expert's, per-user weights, diversity.

A path existing is no evidence (almost every random pair has one); what ranks a chain is its
rule's weight, as the expert set it and the data nudged it within a bound, plus how strong
its evidence is (reasoning.features). :func:`reasoning.train.train_scorer` learns both from
the graph itself; :func:`rank` picks the top k of one pair: never two through the same
middle node or product, and a rule repeats only when no other rule has a chain left.
Per-user weights (:class:`UserWeights`) shift one user's scores only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from kg import KnowledgeGraph
from reasoning.chains import Chain, ChainResult
from reasoning.errors import ReasoningError
from reasoning.features import REL_PREFIX, RULE_PREFIX, chain_features, middle_keys, pair_features, plan_for


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
class RuleWeight:
    """A rule's weight: the expert's, where the data alone would put it, and what the scorer uses."""

    rule: str
    expert: float
    learned: float  # within the bound around ``expert`` (and in the expert's order, when kept)
    wanted: float  # where the training data alone would put it
    real: int = 0  # held-out real choices the rule linked to their user
    sampled: int = 0  # sampled random items it linked
    lift: float | None = None  # share of real pairs it links / share of sampled pairs (None: no sampled pair)
    why: str = ""


@dataclass(frozen=True)
class Scorer:
    """A linear scorer over chain features: logit = bias + sum(weight * feature) (+ user weights).

    In a trained scorer, ``rule_weight`` has the weight ``scale`` and each ``rule:<id>`` the
    learned shift ``scale * (learned - expert)``: a rule's part is ``scale * learned``.
    """

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float = 0.0
    l2: float = 0.0
    trained: bool = False
    stats: TrainStats = field(default_factory=TrainStats)
    rules: tuple[RuleWeight, ...] = ()
    scale: float = 0.0  # logit per unit of rule weight
    bound: float = 0.0  # a learned weight stays within expert * (1 -/+ bound)
    keep_order: bool = False  # learned weights keep the expert's order of rules
    weak_floor: float | None = None  # a lone weak chain is shown only at this score or above (None: always)

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

    def baseline(self, graph: KnowledgeGraph, item: int) -> float:
        """The score of a pair no rule links: what the item's popularity alone says."""
        return math.fsum(self.contributions(pair_features(graph, item)).values())

    def rule_weight(self, rule_id: str) -> RuleWeight | None:
        return next((r for r in self.rules if r.rule == rule_id), None)

    def to_json(self) -> str:
        from reasoning.scorer_json import scorer_to_json
        return scorer_to_json(self)

    @classmethod
    def from_json(cls, text: str, where: str = "<json>") -> "Scorer":
        from reasoning.scorer_json import scorer_from_json
        return scorer_from_json(text, where)

    def save(self, path) -> None:
        from kg.store import atomic_write_text
        atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path) -> "Scorer":
        from reasoning.scorer_json import read_scorer
        return read_scorer(path)


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


WEAK_CHAINS = ("alone", "always", "drop", "keep")


def weak(features: dict[str, float]) -> bool:
    """Evidence a reader would not find worth reading next to a better reason: through a node
    touching a large share of the catalog (glycerin, a root category), or a product of another
    department linked by a shared attribute (an eyeliner "like" a hair oil)."""
    return bool(features.get("broad") or features.get("cross_shared"))


def rank(graph: KnowledgeGraph, ruleset, result: ChainResult, scorer: Scorer, k: int = 3,
         user_weights: UserWeights | None = None, rule_penalty: float = 1.0, weak_chains: str = "alone"
         ) -> list[RankedChain]:
    """The top ``k`` chains of one pair (found on ``graph``), diverse and worth reading.

    No node but the user and the item (a product, brand, category ...) is in two picked chains,
    so a pair's reasons never lean twice on one product. A rule is picked a second time only
    when no chain of an unused rule is left; among such repeats each earlier pick of the rule
    costs ``rule_penalty`` on the logit. ``weak_chains`` says what becomes of :func:`weak` ones:
    "alone" (the default) shows the least weak one, alone, when the pair has nothing better and
    its score reaches the scorer's ``weak_floor`` (set by training: a score that only the best
    10% of random pairs linked by weak chains alone reach), so a pair a good recommender would
    show keeps a reason and a random one gets none; "always" shows it whatever its score; "drop"
    never shows one; "keep" ranks them like any other. Fewer
    than ``k`` come back when no other chain qualifies. Ties go to the more specific chain, then
    to the matcher's order.
    """
    if weak_chains not in WEAK_CHAINS:
        raise ReasoningError("R103", f"weak_chains must be one of {', '.join(WEAK_CHAINS)}, not {weak_chains!r}")
    if user_weights is not None and user_weights.user != result.user:
        raise ReasoningError("R101", f"weights of user {user_weights.user!r} given for user {result.user!r}")
    scored = _candidates(graph, ruleset, result, scorer, user_weights, weak_chains != "keep")
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))  # ties: the more specific, then the matcher's order
    if weak_chains in ("alone", "always") and all(t[5] for t in scored):  # nothing better: the least weak, alone
        if not scored or k <= 0:
            return []
        flags = lambda t: t[3].features.get("broad", 0.0) + t[3].features.get("cross_shared", 0.0)  # noqa: E731
        best = min(scored, key=lambda t: (flags(t), -t[0], -t[1], t[2]))
        floor = scorer.weak_floor if weak_chains == "alone" else None
        return [best[3].ranked(scorer, user_weights)] if floor is None or best[0] >= floor else []
    picked: list[RankedChain] = []
    taken: set[int] = set()
    used: set[tuple[str, str]] = set()
    rules_used: dict[str, int] = {}
    while len(picked) < k:
        best, best_n, best_value, best_keys = None, -1, -math.inf, frozenset()
        for fresh in (True, False):  # a rule not yet said, else the best repeat
            for s, _, n, cand, keys, is_weak in scored:
                if is_weak or n in taken or keys & used or (fresh and cand.rule in rules_used):
                    continue
                value = s - rule_penalty * rules_used.get(cand.rule, 0)
                if value > best_value:
                    best, best_n, best_value, best_keys = cand, n, value, keys
            if best is not None:
                break
        if best is None:
            break
        taken.add(best_n)
        picked.append(best.ranked(scorer, user_weights, best.score - best_value))
        used |= best_keys
        rules_used[best.rule] = rules_used.get(best.rule, 0) + 1
    return picked


class _Candidate:
    """One chain being ranked: a built Chain (with its contributions), or a lazy row whose Chain
    and contributions are made only if it is picked (reasoning/rank_views.py)."""

    __slots__ = ("rule", "score", "features", "chain", "view", "parts")

    def __init__(self, rule: str, score: float, features: dict[str, float], chain: Chain | None, view: object,
                 parts: dict[str, float] | None):
        self.rule, self.score, self.features = rule, score, features
        self.chain, self.view, self.parts = chain, view, parts

    def ranked(self, scorer: Scorer, user_weights: UserWeights | None, penalty: float = 0.0) -> RankedChain:
        chain = self.chain if self.chain is not None else self.view.build()
        parts = self.parts
        if parts is None:  # what Scorer.explain returns, in its order
            parts = scorer.contributions(self.features)
            if user_weights is not None:
                parts.update(user_weights.adjustments(self.features))
        return RankedChain(chain, self.score, self.features, parts, penalty)


def _candidates(graph: KnowledgeGraph, ruleset, result: ChainResult, scorer: Scorer,
                user_weights: UserWeights | None, flag_weak: bool) -> list[tuple]:
    """(score, specificity, matcher's position, candidate, middle keys, weak) of every chain."""
    from reasoning.lazy import LazyChainResult
    from reasoning.rank_views import score_table, view_features, view_middle_keys
    out: list[tuple] = []
    table = score_table(scorer)
    if isinstance(result, LazyChainResult) and result.found_on(graph) and table is not None \
            and "chains" not in result.__dict__:  # rows not yet built: score them as rows
        plans: dict[str, object] = {}
        for n, view in enumerate(result.views()):
            plan = plans.get(view.rule)
            if plan is None:
                plan = plans[view.rule] = plan_for(ruleset, view.rule)
            features = view_features(view, plan, graph)
            if features is None:
                break
            s = table.score(plan, features, user_weights)
            out.append((s, view.specificity, n, _Candidate(view.rule, s, features, None, view, None),
                        view_middle_keys(view, plan), flag_weak and weak(features)))
        else:
            return out
        out = []
    for n, chain in enumerate(result.chains):
        s, features, parts = scorer.explain(chain, graph, ruleset, user_weights)
        out.append((s, chain.specificity, n, _Candidate(chain.rule, s, features, chain, None, parts),
                    middle_keys(chain), flag_weak and weak(features)))
    return out


@dataclass(frozen=True)
class RankedItem:
    """One candidate item of :func:`rank_items`: its score (its best reason's, or the popularity
    baseline when no reason links it) and its reasons, best first."""

    item: str
    score: float
    reasons: tuple[RankedChain, ...]


def rank_items(graph: KnowledgeGraph, ruleset, scorer: Scorer, user: str | int, items, k: int = 3,
               budget=None, user_weights: UserWeights | None = None) -> list[RankedItem]:
    """Candidate ``items`` for ``user``, best first: by the score of each one's top reason, an item
    no rule links scoring what its popularity alone says (:meth:`Scorer.baseline`). For a shop that
    re-ranks a recommender's list with reasons; ties keep the given order."""
    from reasoning.match import find_chains_many
    u = graph.node(user)
    nodes = [graph.node(i) for i in items]
    results = find_chains_many(graph, ruleset, [(u, i) for i in nodes], budget)
    out = []
    for item, res in zip(nodes, results):
        picks = rank(graph, ruleset, res, scorer, k, user_weights)
        best = max((rc.score for rc in picks), default=scorer.baseline(graph, item))
        out.append(RankedItem(graph.key(item), best, tuple(picks)))
    order = sorted(range(len(out)), key=lambda j: (-out[j].score, j))
    return [out[j] for j in order]


def __getattr__(name: str):
    """Training moved to reasoning.train; ``reasoning.rank.train_scorer`` still works."""
    if name in ("train_scorer", "fit_logistic", "TRAIN_BUDGET"):
        import reasoning.train as train
        return getattr(train, name)
    raise AttributeError(f"module 'reasoning.rank' has no attribute {name!r}")
