"""Scoring chains that are still rows (reasoning/lazy.py): what :func:`reasoning.rank.rank` reads
of a :class:`ChainView` without building its Fact and Chain objects.

A pair has some 34 chains on a Beauty-sized graph and shows 3; building every Chain and every
feature contribution dict cost more than finding the chains. Here each candidate gets its
features (the one definition, :func:`reasoning.features.features_of`, fed from the rows), its
score as an exactly rounded sum (``math.fsum``, so the order of the terms does not matter and
the score equals :meth:`Scorer.explain`'s to the last bit), its middle nodes and its weakness;
the Chain and the contribution dict are made only for the chains picked.
"""
from __future__ import annotations

import math

from kg import KnowledgeGraph
from reasoning.chains import Chain
from reasoning.features import EVIDENCE, features_of

_WEIGHTS: dict[int, tuple[object, dict | None]] = {}


class ScoreTable:
    """A scorer's weights arranged for rows: per rule, the terms of its own features (the same for
    every chain of the rule), and the (name, weight) of each evidence feature the scorer weighs."""

    def __init__(self, scorer, weights: dict[str, float]):
        self.scorer, self.weights = scorer, weights
        self.evidence = tuple((name, weights[name]) for name in EVIDENCE if weights.get(name))
        self._rules: dict[int, tuple[object, list[float]]] = {}

    def rule_terms(self, plan, features: dict[str, float]) -> list[float]:
        got = self._rules.get(id(plan))
        if got is None or got[0] is not plan:
            evidence_names = set(EVIDENCE)
            terms = [self.scorer.bias] if self.scorer.bias else []
            for name, x in features.items():
                if x and name not in evidence_names:
                    w = self.weights.get(name)
                    if w:
                        terms.append(w * x)
            got = self._rules[id(plan)] = (plan, terms)
        return got[1]

    def score(self, plan, features: dict[str, float], user_weights) -> float:
        """``scorer.explain(...)[0]``: the same terms, summed exactly (``math.fsum`` does not
        depend on their order)."""
        terms = list(self.rule_terms(plan, features))
        for name, w in self.evidence:
            x = features[name]
            if x:
                terms.append(w * x)
        if user_weights is not None:
            terms.extend(user_weights.adjustments(features).values())
        return math.fsum(terms)


def score_table(scorer) -> ScoreTable | None:
    """The scorer's :class:`ScoreTable` (None when a feature name repeats: then only
    :meth:`Scorer.contributions` says which weight counts). Cached by identity."""
    got = _WEIGHTS.get(id(scorer))
    if got is None or got[0] is not scorer:
        if len(_WEIGHTS) > 64:
            _WEIGHTS.clear()
        names = scorer.names
        table = ScoreTable(scorer, dict(zip(names, scorer.weights))) if len(set(names)) == len(names) else None
        got = _WEIGHTS[id(scorer)] = (scorer, table)
    return got[1]


def view_features(view, plan, graph: KnowledgeGraph) -> dict[str, float] | None:
    """:func:`reasoning.features.chain_features` of the view's chain; None when the view does
    not fit the rule set's plan (another rule set: build the chain and take the usual path)."""
    nodes = view.nodes
    if len(nodes) != len(plan.vars):
        return None
    lk, cr, path = view._lk, view._cr, view._path
    info, valued = lk.info, lk.valued
    facts = []
    for rel, a, b in cr.ends:  # the facts that carry values (a rating's score, a purchase's date)
        s, o = path[a], path[b]
        if rel in valued and s >= 0 and o >= 0:
            values = lk.fact_values(rel, s, o)
            if values:
                facts.append((info[s][0], values))
    return features_of(graph, plan, nodes, view.support, facts, user_key(view, plan) if facts else None)


def user_key(view, plan) -> str | None:
    """The key of the chain's ``user`` binding (None when the rule has no such variable)."""
    try:
        j = plan.vars.index("user")
    except ValueError:
        return None
    n = view.nodes[j]
    return view._lk.info[n][0] if n >= 0 else None


def view_middle_keys(view, plan) -> frozenset[tuple[str, str]]:
    """:func:`reasoning.features.middle_keys` of the view's chain: (type, key) of its middle nodes."""
    info = view._lk.info
    return frozenset((info[n][2], info[n][0]) for var, n in zip(plan.vars, view.nodes)
                     if var not in ("user", "item") and n >= 0)
