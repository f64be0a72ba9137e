"""Held-out data for training and measuring a scorer: each user's newest choice, sampled
non-choices, and the graph with the held-out facts removed (so nothing explains a choice with itself)."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from kg import KnowledgeGraph
from reasoning.roles import item_nodes, mask, user_nodes

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@lru_cache(maxsize=65536)  # the same dates come back on every chain of a user
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


@dataclass(frozen=True)
class HeldOut:
    """One held-out interaction per user: (user node, item node), users ascending."""

    relation: str
    by: str  # "date": each user's newest (ties drawn by the seed); "random": drawn by the seed
    pairs: tuple[tuple[int, int], ...]


def interaction_relation(graph: KnowledgeGraph, relation: str | None = None) -> str | None:
    """The relation whose facts are a user's choices: ``relation`` if given, else 'purchased',
    else the relation with the most user-to-product facts; None when the graph has none."""
    if relation is not None:
        index = graph.edges(relation)
        return relation if index is not None and index.n_edges else None
    index = graph.edges("purchased")
    if index is not None and index.n_edges:
        return "purchased"
    users, items = mask(graph, user_nodes(graph)), mask(graph, item_nodes(graph))
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


def without_facts(graph: KnowledgeGraph, pairs, before: str | None = None) -> tuple[KnowledgeGraph, int]:
    """The graph minus every fact between each (user, item) pair, either way; and how many went.

    Held-out pairs must leave the graph, not only the ranked path: a rule such as
    ``not user purchased item`` would reject every real pair, a one-step rule on another fact
    of the same event (``user rated item``) would fire only for real pairs, and crowd counts
    and degrees would include the very choice being predicted.

    With ``before`` (the held-out relation, when its facts are dated), a fact of another
    relation dated strictly before the held-out fact stays: a look at the item the week before
    buying it was there when the recommendation was made. Undated facts, and facts of the same
    day or later (the rating that followed the purchase), still go.
    """
    from kg.build import assemble
    p = graph.parts
    width = np.int64(len(p.terms))
    terms = p.node_terms.astype(np.int64)
    keys = [terms[u] * width + terms[i] for u, i in pairs] + [terms[i] * width + terms[u] for u, i in pairs]
    rows = p.triples.astype(np.int64)
    drop = np.isin(rows[:, 0] * width + rows[:, 2], np.array(keys, dtype=np.int64))
    keep = _earlier_facts(graph, pairs, before) if before else set()
    if keep:
        hits = np.flatnonzero(drop)
        drop[[k for k, spo in zip(hits.tolist(), rows[hits].tolist()) if tuple(spo) in keep]] = False
    if not drop.any():
        return graph, 0
    return KnowledgeGraph(assemble(p.terms, rows[~drop], p.source)), int(drop.sum())


def _earlier_facts(graph: KnowledgeGraph, pairs, before: str) -> set[tuple[int, int, int]]:
    """(subject, predicate, object) term ids of the facts between each pair dated before its held-out fact."""
    from bisect import bisect_left
    held_days = edge_days(graph, before)
    held_index = graph.edges(before)
    if held_days is None or held_index is None:
        return set()
    p = graph.parts
    terms = p.node_terms
    out: set[tuple[int, int, int]] = set()
    for name in sorted(p.edges):
        if name == before:
            continue
        days = edge_days(graph, name)
        if days is None:
            continue
        index = p.edges[name]
        pred = bisect_left(p.terms, f"<{graph.relation(name).iri}>")
        if pred >= len(p.terms) or p.terms[pred] != f"<{graph.relation(name).iri}>":
            continue
        for u, i in pairs:
            e_held = held_index.edge_id(u, i)
            held = held_days[e_held] if e_held is not None else np.nan
            for s, o in ((u, i), (i, u)):
                e = index.edge_id(s, o)
                if e is not None and days[e] < held:  # NaN on either side: not known to be earlier
                    out.add((int(terms[s]), pred, int(terms[o])))
    return out
