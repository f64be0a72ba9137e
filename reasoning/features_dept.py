"""The department features of a chain (reasoning/features.py): does it stay in the item's
department, and how much of the user's own history sits in its product's department. Each
answer is remembered per graph (Evidence.memo): a pair's chains ask about the same products.
"""
from __future__ import annotations

from kg import KnowledgeGraph
from reasoning.evidence import Evidence


def departments(f: dict[str, float], graph: KnowledgeGraph, ev: Evidence, nodes: tuple[int, ...]) -> None:
    item = nodes[-1] if nodes else -1
    products = [n for n in nodes[1:-1] if n >= 0 and ev.is_item[n]]
    if products and nodes[0] >= 0 and ev.interactions:
        f["habit"] = max(habit(graph, ev, nodes[0], p) for p in products)
    same = [same_department(ev, p, item) for p in products]
    if any(s is False for s in same):
        f["cross_department"] = 1.0
        shared = any(n >= 0 and not ev.is_item[n] for n in nodes[1:-1])  # an attribute, not a link
        f["cross_shared"] = 1.0 if shared else 0.0
    elif same and all(same):
        f["same_department"] = 1.0


def same_department(ev: Evidence, a: int, b: int) -> bool | None:
    """:meth:`Evidence.same_department`, remembered: a pair's chains ask it for the same products."""
    key = ("same-dept", a, b)
    got = ev.memo.get(key, key)
    if got is key:
        got = ev.remember(key, ev.same_department(a, b))
    return got  # type: ignore[return-value]


def habit(graph: KnowledgeGraph, ev: Evidence, user: int, product: int) -> float:
    """Share of ``user``'s choices in a department of ``product`` (0 when it has none)."""
    got = ev.memo.get(("habit-of", user, product))
    if got is None:
        got = ev.remember(("habit-of", user, product), _habit_share(graph, ev, user, product))
    return got  # type: ignore[return-value]


def _habit_share(graph: KnowledgeGraph, ev: Evidence, user: int, product: int) -> float:
    key = ("habit", user)
    counts = ev.memo.get(key)
    if counts is None:
        counts = {}
        chosen = graph.edges(ev.interactions).out.row(user).tolist()
        for i in chosen:
            for d in ev.department.get(i, ()):
                counts[d] = counts.get(d, 0) + 1
        counts = ev.remember(key, (max(len(chosen), 1), counts))
    total, by_dept = counts
    return max((by_dept.get(d, 0) / total for d in ev.department.get(product, ())), default=0.0)
