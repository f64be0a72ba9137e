"""How much each rule explains, measured against purchases the rules did not see.

For a seeded sample of users with at least two purchases, each user's last purchase (by
the purchase's ``date`` value when the data has one, else a seeded random one) is held
out: the facts linking that user to that item (purchased, rated, reviewed) are removed
from a view of the graph, so no rule can explain a purchase with itself. Each user is
then paired with the held-out item and with ``candidates`` random items the user never
touched. For each rule alone (``find_chains_many`` with only that rule):

- users: sampled users for whom the rule fires on at least one of their pairs;
- pairs: (user, candidate) pairs the rule fires on (finds at least one chain);
- support: held-out pairs the rule fires on;
- confidence: support / pairs, i.e. of the pairs the rule fires on, the share whose
  item is the user's held-out purchase. A rule that fires at random scores the share
  of pairs that are held out (1 / (candidates + 1) when every user has that many
  untouched items); lift is confidence divided by that.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np

from kg import KnowledgeGraph
from kg.index import RelationIndex, relation_index
from reasoning.features import interaction_relation
from reasoning.match import Budget, find_chains_many
from reasoning.plan import Plan
from reasoning.ruleset import RuleSet, plans_of

HOLD = ("purchased", "rated", "reviewed")  # one purchase event may be recorded by all three
TOUCH = ("purchased", "rated", "reviewed", "viewed")  # candidates are items the user never touched
STATS_BUDGET = Budget(seconds=2.0)


@dataclass(frozen=True)
class RuleStats:
    rule: str
    users: int
    pairs: int
    support: int
    confidence: float  # NaN when the rule fires on no pair
    cut: int  # pairs where a hub cap or the budget cut the search


@dataclass(frozen=True)
class StatsReport:
    rows: tuple[RuleStats, ...]
    n_users: int
    n_pairs: int
    candidates: int
    seed: int
    by_date: bool  # held-out purchases chosen by date (else at random)
    relation: str = "purchased"  # the interaction held out

    @property
    def baseline(self) -> float:
        """Confidence of a rule that fires at random: the share of pairs that are held out."""
        return self.n_users / self.n_pairs if self.n_pairs else float("nan")


def without_facts(graph: KnowledgeGraph, drop: dict[str, set[tuple[int, int]]]) -> KnowledgeGraph:
    """A view of ``graph`` whose index lacks the given (subject, object) facts per relation.

    Only the traversal index changes (what find_chains walks); the record (``lines()``,
    ``rdf``) still holds every triple, so use the view for evaluation only.
    """
    parts = graph.parts
    edges = dict(parts.edges)
    n = graph.n_nodes
    for rel, pairs in drop.items():
        index = edges.get(rel)
        if index is None or not pairs:
            continue
        keep = np.ones(index.n_edges, dtype=bool)
        for s, o in pairs:
            e = index.edge_id(s, o)
            if e is not None:
                keep[e] = False
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(index.out.indptr))[keep]
        fresh = relation_index(src, index.out.indices[keep].astype(np.int64), n)
        new_id = np.cumsum(keep) - 1
        texts = {name: {int(new_id[e]): t for e, t in col.items() if keep[e]} for name, col in index.texts.items()}
        values = {name: arr[keep] for name, arr in index.values.items()}
        edges[rel] = RelationIndex(fresh.out, fresh.inn, values, texts)
    return KnowledgeGraph(replace(parts, edges=edges))


def held_out(graph: KnowledgeGraph, users: int, seed: int, relation: str = "purchased"
             ) -> tuple[list[tuple[int, int]], bool]:
    """(user, item) node pairs, one per sampled user: the last purchase; and whether dates chose it."""
    index = graph.edges(relation)
    if index is None:
        return [], False
    rng = random.Random(seed)
    degrees = np.diff(index.out.indptr)
    eligible = np.flatnonzero(degrees >= 2).tolist()
    chosen = sorted(rng.sample(eligible, min(users, len(eligible))))
    dates = index.texts.get("date")
    numeric = index.values.get("date")
    out: list[tuple[int, int]] = []
    for u in chosen:
        lo, hi = int(index.out.indptr[u]), int(index.out.indptr[u + 1])
        ids = list(range(lo, hi))
        if dates or numeric is not None:
            def when(e: int) -> str:
                if numeric is not None and not np.isnan(numeric[e]):
                    return f"{numeric[e]:020.6f}"
                return dates.get(e, "") if dates else ""
            latest = max(when(e) for e in ids)
            ids = [e for e in ids if when(e) == latest]
        e = ids[rng.randrange(len(ids))] if len(ids) > 1 else ids[0]
        out.append((u, int(index.out.indices[e])))
    return out, bool(dates) or numeric is not None


def candidate_pairs(graph: KnowledgeGraph, held: list[tuple[int, int]], candidates: int, seed: int
                    ) -> list[tuple[int, int, bool]]:
    """(user, item, is_held_out): the held-out item plus random items each user never touched."""
    items = graph.item_nodes().tolist()
    rng = random.Random(seed + 1)
    out: list[tuple[int, int, bool]] = []
    for u, held_item in held:
        touched = {held_item}
        for rel in TOUCH:
            touched.update(graph.neighbors(u, rel).tolist())
        pool = [i for i in items if i not in touched]
        out.append((u, held_item, True))
        out += [(u, i, False) for i in sorted(rng.sample(pool, min(candidates, len(pool))))]
    return out


def rule_stats(graph: KnowledgeGraph, rules: RuleSet | tuple[Plan, ...], users: int = 50, seed: int = 0,
               candidates: int = 20, budget: Budget = STATS_BUDGET) -> StatsReport:
    """Per-rule coverage, support and confidence against held-out purchases (see module docstring).
    A catalog without purchases holds out its users' main interaction instead (ratings in a film
    catalog): :func:`reasoning.features.interaction_relation`."""
    relation = interaction_relation(graph) or "purchased"
    held, by_date = held_out(graph, users, seed, relation)
    view = without_facts(graph, {rel: set(held) for rel in HOLD + (relation,)})
    pairs = candidate_pairs(graph, held, candidates, seed)
    keys = [(u, i) for u, i, _ in pairs]
    rows: list[RuleStats] = []
    fired_any: set[int] = set()
    cut_any: set[int] = set()
    for plan in plans_of(rules):
        results = find_chains_many(view, RuleSet((plan,)), keys, budget)
        fired = [k for k, r in enumerate(results) if r.chains]
        cut = [k for k, r in enumerate(results) if r.truncated or r.timed_out]
        fired_any.update(fired)
        cut_any.update(cut)
        rows.append(_row(plan.rule.id, pairs, fired, len(cut)))
    rows.append(_row("(any rule)", pairs, sorted(fired_any), len(cut_any)))
    return StatsReport(tuple(rows), len(held), len(pairs), candidates, seed, by_date, relation)


def _row(name: str, pairs: list[tuple[int, int, bool]], fired: list[int], cut: int) -> RuleStats:
    support = sum(1 for k in fired if pairs[k][2])
    users = len({pairs[k][0] for k in fired})
    return RuleStats(name, users, len(fired), support, support / len(fired) if fired else float("nan"), cut)


def stats_text(report: StatsReport) -> str:
    what = "purchase" if report.relation == "purchased" else f"{report.relation!r} fact"
    if not report.n_pairs:
        return f"no user has two {what}s: there is nothing to hold out, so no rule can be measured"
    how = "latest by date" if report.by_date else "chosen at random (no dates)"
    lines = [f"{report.n_users} sampled users (seed {report.seed}), each with one {what} held out ({how}) "
             f"and up to {report.candidates} random items they never touched: {report.n_pairs:,} pairs.",
             f"confidence = support / pairs; a rule firing at random scores {report.baseline:.3f} (lift 1).", "",
             f"{'rule':<34} {'users':>6} {'pairs':>7} {'support':>8} {'confidence':>11} {'lift':>6} {'cut':>5}"]
    for r in report.rows:
        conf = "-" if r.confidence != r.confidence else f"{r.confidence:.3f}"
        lift = "-" if r.confidence != r.confidence or not r.pairs else f"{r.confidence / report.baseline:.1f}"
        lines.append(f"{r.rule:<34} {r.users:>6} {r.pairs:>7} {r.support:>8} {conf:>11} {lift:>6} {r.cut:>5}")
    return "\n".join(lines)


def weights_text(scorer) -> str:
    """The ranker's rule weights beside the expert's, and why each moved (or did not)."""
    if not scorer.trained or not scorer.rules:
        note = scorer.stats.note or "no trained ranker"
        return f"ranker: rule weights as written ({note})"
    how = "in the expert's order" if scorer.keep_order else "free to reorder within the bound"
    st = scorer.stats
    lines = [f"ranker: trained on {st.positives} held-out {st.relation!r} choices ({st.heldout}) against "
             f"{st.negatives} random items; one unit of weight = {scorer.scale:.2f} logit; the data may move a "
             f"weight by up to {scorer.bound:.0%} ({how}).", "",
             f"{'rule':<34} {'expert':>6} {'learned':>7}  why"]
    for r in scorer.rules:
        lines.append(f"{r.rule:<34} {r.expert:>6.2f} {r.learned:>7.2f}  {r.why}")
    return "\n".join(lines)
