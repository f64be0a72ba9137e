"""Features of a justification chain, for the ranker: generic, from the graph and the rule only.

No feature names a brand, a category or a relation of one shop. Two kinds:

- the rule's own (``RULE_LEVEL``): its expert weight, length, conditions, tags. They are the
  same for every chain of a rule, so the scorer does not learn them freely: the expert's
  weight is a prior the data may move only within a bound (see reasoning.train);
- the evidence (``EVIDENCE``), which differs from chain to chain: how specific the middle
  nodes are (a brand of 2 products against glycerin, in half the catalog), whether the
  products on the chain share the item's department, how strong a co-purchase link is, the
  rating and the date behind the user's own facts, crowd support, and the item's
  popularity, the baseline every chain is measured against (one value per pair).

Indicators (``rule:<id>``, ``rel:<name>``) come from whatever rule set and graph are given;
per-user weights read them.

>>> from kg.build import GraphBuilder
>>> b = GraphBuilder("doc")
>>> ex = lambda kind, k: f"<https://ex.org/{kind}/{k}>"
>>> for s, o in (("u1", "p1"),):
...     b.add(ex("user", s), "<https://whyrec.dev/ns#purchased>", ex("product", o))
>>> for p in ("p1", "p2"):
...     b.add(ex("product", p), "<https://schema.org/brand>", ex("brand", "b"))
>>> g = b.build()
>>> fans(g, [(g.node("u1"), "purchased", True), (g.node("p1"), "brand", True), (g.node("b"), "brand", False)])
[1, 2]
"""
from __future__ import annotations

import math

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import Chain
from reasoning.errors import ReasoningError
from reasoning.evidence import Evidence, evidence
from reasoning.features_dept import departments as _departments
from reasoning.holdout import (EPOCH_ORDINAL, HeldOut, day_number, edge_days, holdout,  # noqa: F401 - re-exported
                               interaction_relation, sample_negatives, touched, without_facts)
from reasoning.plan import Plan

FEATURES: tuple[str, ...] = (
    "rule_weight",  # the expert's weight for the rule
    "hops",  # path length (linking steps)
    "conditions",  # 'when' conditions and negations: a filtered rule is more selective
    "rated",  # a fact of the chain carries a score (a rating)
    "dated",  # one of the user's own facts in the chain carries a date
    "collaborative",
    "preference",  # the rule reads a stated preference (tag 'preference' or a 'prefers' fact)
    # -- evidence: differs between chains of one rule --
    "hub",  # max over middle nodes of log(1 + fan-out toward the item): 200-product brand > 2-product brand
    "specificity",  # mean over middle nodes of 1 / fan-out (1.0 for a direct link)
    "idf",  # the weakest middle node's log(items / items it touches) / log(items): 1 rare, 0 everywhere
    "broad",  # a middle node touches over BROAD_SHARE of the items, and over BROAD_MIN (glycerin, a root category)
    "same_department",  # every product on the chain is in the item's department
    "cross_department",  # some product on the chain is in another department than the item
    "cross_shared",  # ... and the chain links them by a shared attribute (an eyeliner "like" a hair oil)
    "habit",  # share of the user's own choices in the department of the chain's product (their usual aisle?)
    "link",  # log(1 + people who chose both ends of the chain's strongest item-to-item link)
    "link_mutual",  # an item-to-item link that holds both ways
    "together",  # of the other people who chose the chain's product, the share who also chose the other end
    "rating",  # the highest score on the chain's facts, scaled to [0, 1] by the graph's score range
    "rating_delta",  # the user's own score on the chain minus their mean score, scaled the same way
    "recency",  # 1 / (1 + days between that date and the newest date in the graph / 90)
    "recency_user",  # the same, against the user's own newest dated fact (their last activity)
    "support",  # log(1 + other people behind a collaborative chain) - log(1 + the rule's minimum)
    "popularity",  # the item's interactions, log-scaled to [0, 1]: the same for every chain of a pair
    "no_chain",  # 1 for a pair no rule links (its score is the popularity baseline alone)
)
RULE_LEVEL = frozenset({"rule_weight", "hops", "conditions", "rated", "dated", "collaborative", "preference"})
EVIDENCE: tuple[str, ...] = tuple(f for f in FEATURES if f not in RULE_LEVEL)
RULE_PREFIX, REL_PREFIX = "rule:", "rel:"
RECENCY_DAYS = 90.0  # the scale of the bounded recency features; the scorer learns how much it matters
BROAD_SHARE = 0.3  # a middle node touching more of the catalog than this is weak evidence ...
BROAD_MIN = 10  # ... unless it touches this many items or fewer (in a catalog of 20, a brand of 8 is fine)
PREFERENCE_RELATION = "prefers"  # a default vocabulary relation (kg.vocab), not a shop's name


def fans(graph: KnowledgeGraph, walk: list[tuple[int, str, bool]]) -> list[int]:
    """Fan-out toward the item of each middle node: ``walk`` is (node, relation, forward) per hop.

    A brand shared with 2 products fans out to 2, a hub brand to 200; the first entry (the
    user) is not a middle node, and crowd nodes (-1) are skipped.
    """
    out: list[int] = []
    for node, relation, forward in walk[1:]:
        if node < 0:
            continue
        index = graph.edges(relation)
        out.append((index.out if forward else index.inn).degree(node) if index is not None else 0)
    return out


def spine_nodes(chain: Chain, plan: Plan, graph: KnowledgeGraph) -> tuple[int, ...]:
    """The chain's spine node ids; from its bindings when it carries none (read from JSON) or when
    its ids belong to another graph (found on a graph with held-out facts removed)."""
    user = chain.binding("user")
    if len(chain.nodes) == len(plan.vars) and 0 <= chain.nodes[0] < graph.n_nodes \
            and user is not None and graph.key(chain.nodes[0]) == user.key:
        return chain.nodes
    ids = []
    for var in plan.vars:
        b = chain.binding(var)
        if b is None:
            ids.append(-1)  # a crowd variable: counted, never bound
            continue
        try:
            if var in ("user", "item") and hasattr(graph, "node_of"):  # ids are per type: user 1, item 1
                ids.append(graph.node_of(b.key, var))
                continue
            ids.append(graph.node(f"{b.type.lower()}/{b.key}"))
        except Exception:  # noqa: BLE001 - an unusual IRI shape: fall back to the plain key
            try:
                ids.append(graph.node(b.key))
            except Exception:  # noqa: BLE001 - not in this graph: leave it out of degree features
                ids.append(-1)
    return tuple(ids)


def plan_for(ruleset, rule_id: str) -> Plan:
    try:
        return ruleset.plan(rule_id)
    except KeyError:
        raise ReasoningError("R102", f"chain of rule {rule_id!r}, which is not in the rule set",
                             "rank chains with the rule set that found them") from None


def chain_features(chain: Chain, graph: KnowledgeGraph, ruleset) -> dict[str, float]:
    """The chain's features by name (fixed ones, then ``rule:<id>`` and ``rel:<name>`` indicators)."""
    plan = plan_for(ruleset, chain.rule)
    user = chain.binding("user")
    return features_of(graph, plan, spine_nodes(chain, plan, graph), chain.support,
                       [(f.subject, f.values) for f in chain.facts if f.values], None if user is None else user.key)


def features_of(graph: KnowledgeGraph, plan: Plan, nodes: tuple[int, ...], support: int | None,
                facts: list[tuple[str | None, tuple]], user_key: str | None) -> dict[str, float]:
    """:func:`chain_features` from what a chain is made of: its rule's plan, its spine node ids,
    its crowd support, (subject key, values) of its facts that carry values, the user's key.
    The one definition of the features, for Chain objects and for lazy rows alike."""
    rule = plan.rule
    ev = evidence(graph)
    f, hops = _rule_part(graph, ev, plan)
    fan = [deg[n] for n, deg in zip(nodes[1:], hops[1:]) if n >= 0]  # see fans(): the middle nodes' fan-out
    if fan:
        f["hub"] = max([math.log1p(d) for d in fan])
        f["specificity"] = sum([1.0 / max(d, 1) for d in fan]) / len(fan)
    else:
        f["specificity"] = 1.0
    _middle(f, ev, nodes)
    _departments(f, graph, ev, nodes)
    _links(f, graph, ev, plan, nodes)
    if facts:
        _rating_and_dates(f, facts, user_key, ev, nodes)
    if support is not None:
        f["support"] = max(math.log1p(support) - math.log1p(rule.min_support), 0.0)
        product = next((n for n in nodes[1:-1] if n >= 0 and ev.is_item[n]), -1)
        others = int(ev.chosen[product]) - 1 if product >= 0 else 0  # the user is one of its buyers
        if others > 0:
            f["together"] = max(f["together"], min(support / others, 1.0))
    if nodes and nodes[-1] >= 0:
        f["popularity"] = float(ev.popularity[nodes[-1]])
    return f


class _Fan(dict):
    """node -> its degree in one relation, one way (CSR row length), filled as asked."""

    __slots__ = ("indptr",)

    def __missing__(self, node: int) -> int:
        ip = self.indptr
        d = self[node] = 0 if ip is None else ip.item(node + 1) - ip.item(node)
        return d


def _rule_part(graph: KnowledgeGraph, ev: Evidence, plan: Plan) -> tuple[dict[str, float], list[_Fan]]:
    """A fresh feature dict holding the rule's own features (the same for every chain of it, in
    :func:`chain_features`'s key order), and per hop the fan-out table :func:`fans` reads."""
    key = ("rule-part", id(plan))
    got = ev.memo.get(key)
    if got is None or got[0] is not plan:
        rule = plan.rule
        f: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
        f["rule_weight"] = float(rule.weight)
        f["hops"] = float(plan.length)
        f["conditions"] = float(len(rule.when) + len(rule.negations))
        f["collaborative"] = 1.0 if rule.collaborative else 0.0
        relations = sorted({h.relation for h in plan.hops} | {lk.relation for lk in plan.lookups})
        f["preference"] = 1.0 if "preference" in rule.tags or PREFERENCE_RELATION in relations else 0.0
        f[RULE_PREFIX + rule.id] = 1.0
        for name in relations:
            f[REL_PREFIX + name] = 1.0
        hops = []
        for hop in plan.hops:
            fan_key = ("fan", hop.relation, hop.forward)
            table = ev.memo.get(fan_key)
            if table is None:
                table = _Fan()
                index = graph.edges(hop.relation)
                table.indptr = None if index is None else (index.out if hop.forward else index.inn).indptr
                table = ev.remember(fan_key, table)
            hops.append(table)
        got = ev.remember(key, (plan, f, hops))
    return dict(got[1]), got[2]


def pair_features(graph: KnowledgeGraph, item: int) -> dict[str, float]:
    """The features of a pair no rule links: only the item's popularity (and ``no_chain``)."""
    f = dict.fromkeys(FEATURES, 0.0)
    f["popularity"], f["no_chain"] = float(evidence(graph).popularity[item]), 1.0
    return f


def _middle(f: dict[str, float], ev: Evidence, nodes: tuple[int, ...]) -> None:
    middle = [n for n in nodes[1:-1] if n >= 0]
    if not middle or ev.n_items < 2:
        f["idf"] = 1.0  # a direct fact: nothing in between to dilute it
        return
    widest = max(int(ev.reach[n]) for n in middle)
    f["idf"] = min(max(-math.log(max(widest, 1) / ev.n_items) / math.log(ev.n_items), 0.0), 1.0)
    f["broad"] = 1.0 if widest > max(BROAD_SHARE * ev.n_items, BROAD_MIN) else 0.0


def _links(f: dict[str, float], graph: KnowledgeGraph, ev: Evidence, plan: Plan, nodes: tuple[int, ...]) -> None:
    """Strength of the chain's item-to-item facts: people who chose both (not counting this user)."""
    chosen = graph.edges(ev.interactions) if ev.interactions else None
    for j, hop in enumerate(plan.hops):
        a, b = nodes[j], nodes[j + 1]
        if a < 0 or b < 0 or not (ev.is_item[a] and ev.is_item[b]):
            continue
        key = (hop.relation, min(a, b), max(a, b))
        got = ev.memo.get(key)
        if got is None:
            index = graph.edges(hop.relation)
            mutual = index is not None and index.edge_id(a, b) is not None and index.edge_id(b, a) is not None
            both = len(np.intersect1d(chosen.inn.row(a), chosen.inn.row(b), assume_unique=True)) if chosen else 0
            got = ev.remember(key, (mutual, both))
        mutual, both = got
        if mutual:
            f["link_mutual"] = 1.0
        if chosen is not None and both:
            u = nodes[0]
            mine = u >= 0 and chosen.edge_id(u, a) is not None and chosen.edge_id(u, b) is not None
            f["link"] = max(f["link"], math.log1p(both - int(mine)))
            own = int(u >= 0 and chosen.edge_id(u, a) is not None)
            if ev.chosen[a] - own > 0:
                f["together"] = max(f["together"], (both - int(mine)) / (ev.chosen[a] - own))


def _rating_and_dates(f: dict[str, float], facts: list[tuple[str | None, tuple]], user_key: str | None,
                      ev: Evidence, nodes: tuple[int, ...]) -> None:
    lo, hi = ev.score_lo, ev.score_hi
    span = (hi - lo) if lo is not None and hi is not None and hi > lo else None
    scores = [float(v) for _, values in facts for k, v in values
              if k == "score" and isinstance(v, (int, float)) and math.isfinite(v)]
    if scores:
        f["rated"] = 1.0
        f["rating"] = (max(scores) - lo) / span if span else 1.0
    own = [float(v) for subject, values in facts if user_key is not None and subject == user_key
           for k, v in values if k == "score" and isinstance(v, (int, float)) and math.isfinite(v)]
    mean = float(ev.user_mean_score[nodes[0]]) if own and span and nodes and nodes[0] >= 0 else float("nan")
    if not math.isnan(mean):
        f["rating_delta"] = (max(own) - mean) / span
    days = [d for subject, values in facts if user_key is not None and subject == user_key
            for k, v in values if k == "date" for d in (day_number(v),) if d is not None]
    if days:
        f["dated"] = 1.0
        last = max(days)
        if ev.newest_day is not None:
            f["recency"] = 1.0 / (1.0 + max(ev.newest_day - last, 0.0) / RECENCY_DAYS)
        mine = float(ev.user_newest[nodes[0]]) if nodes and nodes[0] >= 0 else float("nan")
        if not math.isnan(mine):
            f["recency_user"] = 1.0 / (1.0 + max(mine - last, 0.0) / RECENCY_DAYS)


def middle_keys(chain: Chain) -> frozenset[tuple[str, str]]:
    """(type, key) of every node a chain passes through but the user and the item, the user's own
    product included: two reasons never lean on one product, nor on one brand or ingredient."""
    return frozenset((b.type, b.key) for var, b in chain.bindings if var not in ("user", "item") and not b.is_value)
