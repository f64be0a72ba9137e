"""Features of a justification chain, for the ranker: generic, from the graph and the rule only.

No feature names a brand, a category or a relation of one shop: the fixed features below
read degrees, values on facts (``score``, ``date``) and rule metadata; the indicator
features (``rule:<id>``, ``rel:<name>``) come from whatever rule set and graph are given.

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

import datetime as dt
import math
import weakref
from dataclasses import dataclass

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import Chain
from reasoning.errors import ReasoningError
from reasoning.plan import Plan

# Fixed, shop-independent features (continuous or 0/1); indicators are appended per rule set/graph.
FEATURES: tuple[str, ...] = (
    "rule_weight",  # the expert's weight for the rule
    "hops",  # path length (linking steps)
    "conditions",  # 'when' conditions and negations: a filtered rule is more selective
    "hub",  # max over middle nodes of log(1 + fan-out toward the item): 200-product brand > 2-product brand
    "specificity",  # mean over middle nodes of 1 / fan-out (1.0 for a direct link)
    "rated",  # a fact of the chain carries a score (a rating)
    "rating",  # the highest score on the chain's facts, scaled to [0, 1] by the graph's score range
    "dated",  # one of the user's own facts in the chain carries a date
    "recency",  # 1 / (1 + days between that date and the newest date in the graph / 90)
    "recency_user",  # the same, against the user's own newest dated fact (their last activity)
    "support",  # log(1 + other shoppers behind a collaborative chain)
    "collaborative",
    "preference",  # the rule reads a stated preference (tag 'preference' or a 'prefers' fact)
)
CONTINUOUS = frozenset({"rule_weight", "hops", "conditions", "hub", "specificity", "rating",
                        "recency", "recency_user", "support"})
RULE_PREFIX, REL_PREFIX = "rule:", "rel:"
RECENCY_DAYS = 90.0  # the scale of the bounded recency features; the scorer learns how much it matters
PREFERENCE_RELATION = "prefers"  # a default vocabulary relation (kg.vocab), not a shop's name
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class GraphStats:
    """What features need from the whole graph, computed once per graph."""

    newest_day: float | None  # newest date on any fact (days, proleptic ordinal)
    user_newest: np.ndarray  # per node: newest date on a fact it is the subject of (NaN: none)
    score_lo: float | None
    score_hi: float | None


_STATS: "weakref.WeakKeyDictionary[KnowledgeGraph, GraphStats]" = weakref.WeakKeyDictionary()


def day_number(value: object) -> float | None:
    """Days (proleptic ordinal) of a date value: ISO text, or a number of Unix seconds."""
    if isinstance(value, str):
        try:
            return float(dt.date.fromisoformat(value.strip()[:10]).toordinal())
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) > 1e8:
        return EPOCH_ORDINAL + float(value) / 86400.0  # a Unix timestamp
    return None


def edge_days(graph: KnowledgeGraph, relation: str) -> np.ndarray | None:
    """Day number of each fact of ``relation`` (NaN where undated); None when it has no dates."""
    index = graph.edges(relation)
    if index is None or ("date" not in index.values and "date" not in index.texts):
        return None
    days = np.full(index.n_edges, np.nan)
    if "date" in index.values:
        days = np.array([day_number(float(v)) or np.nan for v in index.values["date"]], dtype=float)
    for edge, text in index.texts.get("date", {}).items():
        d = day_number(text)
        if d is not None:
            days[int(edge)] = d
    return None if np.all(np.isnan(days)) else days


def graph_stats(graph: KnowledgeGraph) -> GraphStats:
    got = _STATS.get(graph)
    if got is not None:
        return got
    newest = np.full(graph.n_nodes, np.nan)
    lo = hi = None
    for name in sorted(graph.parts.edges):
        index = graph.parts.edges[name]
        days = edge_days(graph, name)
        if days is not None:
            subjects = np.repeat(np.arange(graph.n_nodes), index.out.degrees())
            ok = ~np.isnan(days)
            np.fmax.at(newest, subjects[ok], days[ok])
        scores = index.values.get("score")
        if scores is not None and not np.all(np.isnan(scores)):
            s_lo, s_hi = float(np.nanmin(scores)), float(np.nanmax(scores))
            lo, hi = (s_lo if lo is None else min(lo, s_lo)), (s_hi if hi is None else max(hi, s_hi))
    newest_day = None if np.all(np.isnan(newest)) else float(np.nanmax(newest))
    stats = GraphStats(newest_day, newest, lo, hi)
    _STATS[graph] = stats
    return stats


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
            if var in ("user", "item"):  # ids are per type: a user and an item may share one
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
    rule = plan.rule
    stats = graph_stats(graph)
    nodes = spine_nodes(chain, plan, graph)
    walk = [(nodes[j], hop.relation, hop.forward) for j, hop in enumerate(plan.hops)]
    fan = fans(graph, walk)
    f: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    f["rule_weight"] = float(rule.weight)
    f["hops"] = float(plan.length)
    f["conditions"] = float(len(rule.when) + len(rule.negations))
    f["hub"] = max((math.log1p(d) for d in fan), default=0.0)
    f["specificity"] = sum(1.0 / max(d, 1) for d in fan) / len(fan) if fan else 1.0
    scores = [float(v) for fact in chain.facts for k, v in fact.values
              if k == "score" and isinstance(v, (int, float)) and math.isfinite(v)]
    if scores:
        f["rated"] = 1.0
        lo, hi = stats.score_lo, stats.score_hi
        f["rating"] = (max(scores) - lo) / (hi - lo) if lo is not None and hi is not None and hi > lo else 1.0
    user = chain.binding("user")
    days = [d for fact in chain.facts if user is not None and fact.subject == user.key
            for k, v in fact.values if k == "date" for d in (day_number(v),) if d is not None]
    if days:
        f["dated"] = 1.0
        last = max(days)
        if stats.newest_day is not None:
            f["recency"] = 1.0 / (1.0 + max(stats.newest_day - last, 0.0) / RECENCY_DAYS)
        mine = stats.user_newest[nodes[0]] if nodes and nodes[0] >= 0 else float("nan")
        if not math.isnan(mine):
            f["recency_user"] = 1.0 / (1.0 + max(mine - last, 0.0) / RECENCY_DAYS)
    if chain.support is not None:
        f["support"] = math.log1p(chain.support)
    f["collaborative"] = 1.0 if rule.collaborative else 0.0
    relations = sorted({h.relation for h in plan.hops} | {lk.relation for lk in plan.lookups})
    f["preference"] = 1.0 if "preference" in rule.tags or PREFERENCE_RELATION in relations else 0.0
    f[RULE_PREFIX + rule.id] = 1.0
    for name in relations:
        f[REL_PREFIX + name] = 1.0
    return f


def middle_keys(chain: Chain, item_types: frozenset[str] = frozenset({"Product"})) -> frozenset[tuple[str, str]]:
    """(type, key) of the nodes a chain passes through, not counting the user and the item.

    The user's own product (the first step's object) is left out too: "same brand as X" and
    "same category as X" are different reasons, while two chains through one brand are not.
    ``item_types``: the graph's item type names (``graph.item_types``).
    """
    own = chain.bindings[1][1] if len(chain.bindings) > 1 and chain.bindings[0][0] == "user" else None
    return frozenset((b.type, b.key) for var, b in chain.bindings
                     if var not in ("user", "item") and not b.is_value and not (b is own and b.type in item_types))


# -- held-out data for training and evaluating a scorer ------------------------------------------

@dataclass(frozen=True)
class HeldOut:
    """One held-out interaction per user: (user node, item node), users ascending."""

    relation: str
    by: str  # "date": each user's newest (ties drawn by the seed); "random": drawn by the seed
    pairs: tuple[tuple[int, int], ...]


def interaction_relation(graph: KnowledgeGraph, relation: str | None = None) -> str | None:
    """The relation whose facts are a user's choices: ``relation`` if given, else 'purchased',
    else the relation with the most user-to-item facts; None when the graph has none."""
    if relation is not None:
        index = graph.edges(relation)
        return relation if index is not None and index.n_edges else None
    index = graph.edges("purchased")
    if index is not None and index.n_edges:
        return "purchased"
    users, items = graph.user_mask, graph.item_mask
    best, best_n = None, 0
    for name in sorted(graph.parts.edges):
        index = graph.parts.edges[name]
        subjects = np.repeat(np.arange(graph.n_nodes), index.out.degrees())
        n = int(np.count_nonzero(users[subjects] & items[index.out.indices]))
        if n > best_n:
            best, best_n = name, n
    return best


def holdout(graph: KnowledgeGraph, relation: str, seed: int = 0, max_users: int | None = None,
            min_interactions: int = 2) -> HeldOut:
    """Each user's newest ``relation`` fact (by date when the facts are dated, else a seeded draw).

    Only users with ``min_interactions`` or more keep something to be explained from.
    """
    index = graph.edges(relation)
    if index is None:
        return HeldOut(relation, "", ())
    days = edge_days(graph, relation)
    rng = np.random.default_rng(seed)
    degree = index.out.degrees()
    users = np.flatnonzero(degree >= min_interactions)
    if max_users is not None and len(users) > max_users:
        users = np.sort(rng.choice(users, size=max_users, replace=False))
    pairs = []
    for u in users.tolist():
        lo, hi = int(index.out.indptr[u]), int(index.out.indptr[u + 1])
        objects = index.out.indices[lo:hi]
        candidates = np.arange(hi - lo)
        if days is not None and not np.all(np.isnan(days[lo:hi])):
            d = np.nan_to_num(days[lo:hi], nan=-np.inf)
            candidates = np.flatnonzero(d == d.max())  # several facts on the newest day: draw one
        pairs.append((u, int(objects[candidates[int(rng.integers(len(candidates)))]])))
    return HeldOut(relation, "date" if days is not None else "random", tuple(pairs))


def touched(graph: KnowledgeGraph, node: int) -> set[int]:
    """Every node linked to ``node`` by a fact, either way."""
    out: set[int] = set()
    for index in graph.parts.edges.values():
        out.update(index.out.row(node).tolist())
        out.update(index.inn.row(node).tolist())
    return out


def sample_negatives(graph: KnowledgeGraph, relation: str, users: list[int], n: int, seed: int = 0) -> list[tuple[int, int]]:
    """``n`` seeded items per user that the user never touched, drawn from the items someone chose."""
    index = graph.edges(relation)
    if index is None or n <= 0:
        return []
    pool = np.flatnonzero(index.inn.degrees() > 0)
    rng = np.random.default_rng([seed, 1])  # a stream apart from the held-out draws
    out: list[tuple[int, int]] = []
    for u in users:
        seen = touched(graph, u) | {u}
        got: list[int] = []
        for j in rng.integers(len(pool), size=4 * n + 8).tolist():
            item = int(pool[j])
            if item not in seen:
                got.append(item)
                seen.add(item)
                if len(got) == n:
                    break
        if len(got) < n:  # a user who touched most of the catalog: draw from what is left
            left = np.array(sorted(set(pool.tolist()) - seen), dtype=np.int64)
            if len(left):
                got += rng.choice(left, size=min(n - len(got), len(left)), replace=False).tolist()
        out += [(u, int(i)) for i in got]
    return out


def without_facts(graph: KnowledgeGraph, pairs) -> tuple[KnowledgeGraph, int]:
    """The graph minus every fact between each (user, item) pair, either way; and how many went.

    Held-out pairs must leave the graph, not only the ranked path: a rule such as
    ``not user purchased item`` would reject every real pair, a one-step rule on another fact
    of the same event (``user rated item``) would fire only for real pairs, and crowd counts
    and degrees would include the very choice being predicted.
    """
    from kg.build import assemble
    p = graph.parts
    width = np.int64(len(p.terms))
    terms = p.node_terms.astype(np.int64)
    keys = [terms[u] * width + terms[i] for u, i in pairs] + [terms[i] * width + terms[u] for u, i in pairs]
    rows = p.triples.astype(np.int64)
    drop = np.isin(rows[:, 0] * width + rows[:, 2], np.array(keys, dtype=np.int64))
    if not drop.any():
        return graph, 0
    return KnowledgeGraph(assemble(p.terms, rows[~drop], p.source)), int(drop.sum())
