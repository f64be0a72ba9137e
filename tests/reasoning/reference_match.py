"""Finding chains: every way a rule's path links a user to an item, within a budget.

The search expands from both ends and meets in the middle, always growing the side
that touches fewer edges, so a hub (a brand with 100,000 products) is crossed from its
small side. Nodes whose degree passes the hub cap are not expanded, and the result
says so. Output order is deterministic (node ids follow sorted IRIs; no set order leaks).
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import numpy as np

from kg import KnowledgeGraph
from reasoning.chains import Binding, Chain, ChainResult, Fact
from reasoning.conditions import holds
from reasoning.plan import Hop, Plan
from reasoning.match import resolve  # user and item ids resolve per role, as in the matcher
from reasoning.rules import Condition, Operand


@dataclass(frozen=True)
class Budget:
    seconds: float = 0.25  # wall time per pair
    hub_cap: int = 5000  # never expand through a middle node with more neighbours than this
    max_chains_per_rule: int = 25  # keep the most specific ones
    max_work: int = 2_000_000  # neighbour entries touched per pair


class _Ctx:
    """Per-pair (or per-user) scratch: cached neighbour rows and the budget's counters."""

    def __init__(self, graph: KnowledgeGraph, budget: Budget):
        self.graph, self.budget = graph, budget
        self.edges = graph.parts.edges
        self.start = time.perf_counter()
        self.work = 0
        self.truncated = self.timed_out = False
        self.rows: dict[tuple[int, str, bool], list[int]] = {}
        self.arrays: dict[tuple[int, str, bool], np.ndarray] = {}
        self.degrees: dict[tuple[int, str, bool], int] = {}
        self.is_user = graph.user_mask

    def array(self, node: int, relation: str, forward: bool) -> np.ndarray:
        key = (node, relation, forward)
        arr = self.arrays.get(key)
        if arr is None:
            index = self.edges.get(relation)
            arr = (index.out if forward else index.inn).row(node) if index is not None else _EMPTY
            self.arrays[key] = arr
        return arr

    def row(self, node: int, relation: str, forward: bool) -> list[int]:
        key = (node, relation, forward)
        got = self.rows.get(key)
        if got is None:
            arr = self.array(node, relation, forward)
            self.work += len(arr)
            got = self.rows[key] = arr.tolist()
        return got

    def degree(self, node: int, relation: str, forward: bool) -> int:
        key = (node, relation, forward)
        d = self.degrees.get(key)
        if d is None:
            index = self.edges.get(relation)
            if index is None:
                d = 0
            else:
                ptr = (index.out if forward else index.inn).indptr
                d = int(ptr[node + 1] - ptr[node])
            self.degrees[key] = d
        return d

    def out_of_budget(self) -> bool:
        if self.work > self.budget.max_work or time.perf_counter() - self.start > self.budget.seconds:
            self.timed_out = True
        return self.timed_out


_EMPTY = np.zeros(0, dtype=np.int32)


def find_chains(graph: KnowledgeGraph, rules, user: str | int, item: str | int, budget: Budget | None = None) -> ChainResult:
    """Every chain the rules find between ``user`` and ``item`` (ids or IRIs), in a fixed order."""
    from reasoning.ruleset import plans_of
    u, i = resolve(graph, user, "user"), resolve(graph, item, "item")
    ctx = _Ctx(graph, budget or Budget())
    return _pair(ctx, plans_of(rules), u, i)


def find_chains_many(graph: KnowledgeGraph, rules, pairs, budget: Budget | None = None) -> list[ChainResult]:
    """:func:`find_chains` for many pairs; pairs of one user share that user's expansions."""
    from reasoning.ruleset import plans_of
    plans = plans_of(rules)
    budget = budget or Budget()
    resolved = [(resolve(graph, u, "user"), resolve(graph, i, "item")) for u, i in pairs]
    results: list[ChainResult | None] = [None] * len(resolved)
    by_user: dict[int, list[int]] = {}
    for k, (u, _) in enumerate(resolved):
        by_user.setdefault(u, []).append(k)
    for u in sorted(by_user):
        shared = _Ctx(graph, budget)
        for k in by_user[u]:
            shared.start, shared.work = time.perf_counter(), 0
            shared.truncated = shared.timed_out = False
            results[k] = _pair(shared, plans, u, resolved[k][1])
    return results  # type: ignore[return-value]


def _pair(ctx: _Ctx, plans: tuple[Plan, ...], u: int, i: int) -> ChainResult:
    chains: list[Chain] = []
    notes: list[str] = []
    for plan in plans:
        if ctx.out_of_budget():
            notes.append(f"budget ran out before rule {plan.rule.id!r}")
            break
        chains.extend(_match(ctx, plan, u, i))
    g = ctx.graph
    if ctx.truncated:
        notes.append("a hub or chain cap dropped some candidates")
    return ChainResult(g.key(u), g.key(i), tuple(chains), ctx.truncated, ctx.timed_out, tuple(notes))


def _move(ctx: _Ctx, hop: Hop, toward_item: bool) -> tuple[str, bool]:
    """(relation, forward?) for walking ``hop`` toward the item or back toward the user."""
    return hop.relation, hop.forward if toward_item else not hop.forward


def _expand(ctx: _Ctx, frontier: list[int], rel: str, fwd: bool, ends: tuple[int, int]) -> list[int]:
    cap = ctx.budget.hub_cap
    out: set[int] = set()
    for x in frontier:
        if x not in ends and ctx.degree(x, rel, fwd) > cap:
            ctx.truncated = True
            continue
        out.update(ctx.row(x, rel, fwd))
    return sorted(out)


def _cost(ctx: _Ctx, frontier: list[int], rel: str, fwd: bool) -> int:
    if len(frontier) <= 4:
        return sum(ctx.degree(x, rel, fwd) for x in frontier)
    index = ctx.edges.get(rel)
    if index is None:
        return 0
    ptr = (index.out if fwd else index.inn).indptr
    f = np.asarray(frontier)
    return int((ptr[f + 1] - ptr[f]).sum())


def _match(ctx: _Ctx, plan: Plan, u: int, i: int) -> list[Chain]:
    k, hops, ends = plan.length, plan.hops, (u, i)
    left: dict[int, list[int]] = {0: [u]}
    right: dict[int, list[int]] = {k: [i]}
    a, b = 0, k
    while a < b:
        rl, fl = _move(ctx, hops[a], True)
        rr, fr = _move(ctx, hops[b - 1], False)
        if _cost(ctx, left[a], rl, fl) <= _cost(ctx, right[b], rr, fr):
            left[a + 1] = _expand(ctx, left[a], rl, fl, ends)
            a += 1
            if not left[a]:
                return []
        else:
            right[b - 1] = _expand(ctx, right[b], rr, fr, ends)
            b -= 1
            if not right[b]:
                return []
    meet = set(left[a]) & set(right[a]) if a in right else set(left[a])
    if a == k:
        meet &= {i}
    if not meet:
        return []
    allowed = [set(left[j]) if j < a else (meet if j == a else set(right[j])) for j in range(k + 1)]
    paths = _enumerate(ctx, hops, allowed, u)
    return _finish(ctx, plan, paths, u, i)


def _enumerate(ctx: _Ctx, hops: tuple[Hop, ...], allowed: list[set[int]], u: int) -> list[tuple[int, ...]]:
    paths: list[tuple[int, ...]] = [(u,)]
    limit = max(ctx.budget.max_chains_per_rule * 200, 1000)
    for j, hop in enumerate(hops):
        rel, fwd = _move(ctx, hop, True)
        nxt: list[tuple[int, ...]] = []
        target = allowed[j + 1]
        for path in paths:
            last = path[-1]
            arr = ctx.array(last, rel, fwd)
            if len(arr) > 8 * len(target):  # a hub row: probe it for the few allowed nodes
                ctx.work += len(target)
                hits = [y for y in sorted(target) if _contains(arr, y)]
            else:
                hits = [y for y in ctx.row(last, rel, fwd) if y in target]
            nxt.extend(path + (y,) for y in hits if y not in path)
            if len(nxt) > limit:
                ctx.truncated = True
                break
        paths = nxt
        if not paths or ctx.out_of_budget():
            return []
    return paths


def _contains(sorted_arr: np.ndarray, value: int) -> bool:
    k = int(np.searchsorted(sorted_arr, value))
    return k < len(sorted_arr) and int(sorted_arr[k]) == value


# -- conditions, crowds, facts --------------------------------------------------------------

def _finish(ctx: _Ctx, plan: Plan, paths: list[tuple[int, ...]], u: int, i: int) -> list[Chain]:
    g = ctx.graph
    crowd_pos = [j for j, v in enumerate(plan.vars) if v in plan.crowd]
    kept: list[tuple[tuple[int, ...], tuple[int, ...], dict[str, object]]] = []
    for path in paths:
        if any(ctx.is_user[path[j]] for j in range(1, len(path) - 1) if j not in crowd_pos):
            continue  # never let a rule name another shopper through an untagged variable
        for choice, env in _envs(ctx, plan, path):  # each value of a literal step is its own binding
            if not all(_holds(ctx, plan, c, env, path) for c in plan.rule.when):
                continue
            if any(_negation_exists(ctx, plan, n.step, path) for n in plan.rule.negations):
                continue
            kept.append((path, choice, env))
    if crowd_pos:
        return _crowd_chains(ctx, plan, kept, crowd_pos)
    scored = sorted(kept, key=lambda pce: (-_specificity(ctx, plan, pce[0]), pce[0], pce[1]))
    if len(scored) > ctx.budget.max_chains_per_rule:
        ctx.truncated = True
        scored = scored[:ctx.budget.max_chains_per_rule]
    return [_chain(ctx, plan, path, env, None) for path, _, env in scored]


def _crowd_chains(ctx: _Ctx, plan: Plan, kept, crowd_pos: list[int]) -> list[Chain]:
    groups: dict[tuple, set[tuple[int, ...]]] = {}
    first: dict[tuple, tuple[tuple[int, ...], dict[str, object]]] = {}
    for path, choice, env in kept:
        nodes = tuple(-1 if j in crowd_pos else n for j, n in enumerate(path))
        key = (nodes, choice)  # lookups never read a crowd node (validate.py): one chain per value choice
        if any(path[j] == path[0] for j in crowd_pos):
            continue  # the user is not their own crowd
        groups.setdefault(key, set()).add(tuple(path[j] for j in crowd_pos))
        first.setdefault(key, (nodes, {k: v for k, v in env.items() if k not in plan.crowd}))
    out = []
    for key in sorted(groups, key=lambda kk: (-len(groups[kk]), kk)):
        support = len(groups[key])
        if support >= plan.rule.min_support:
            path, env = first[key]
            out.append(_chain(ctx, plan, path, env, support))
    if len(out) > ctx.budget.max_chains_per_rule:
        ctx.truncated = True
        out = out[:ctx.budget.max_chains_per_rule]
    return out


def _specificity(ctx: _Ctx, plan: Plan, path: tuple[int, ...]) -> float:
    """Minus the log-degrees of the middle nodes: a rare shared brand beats a hub brand."""
    total = 0.0
    for j in range(1, len(path) - 1):
        if path[j] < 0:
            continue
        rel, fwd = _move(ctx, plan.hops[j], True)
        total += math.log1p(ctx.degree(path[j], rel, not fwd) + ctx.degree(path[j], rel, fwd))
    return -total


def _envs(ctx: _Ctx, plan: Plan, path: tuple[int, ...]) -> list[tuple[tuple[int, ...], dict[str, object]]]:
    """(value indices, env) per choice of one value for each lookup, in the nodes' literal order.

    An env maps variables -> node ids, literal values and fact edge ids; none when a lookup finds nothing.
    """
    base: dict[str, object] = dict(zip(plan.vars, path))
    values = [ctx.graph.values(int(base[lk.node_var]), lk.relation) for lk in plan.lookups]
    out = []
    for choice in itertools.product(*(range(len(v)) for v in values)):
        env = dict(base)
        for lk, vs, n in zip(plan.lookups, values, choice):
            env[lk.var] = vs[n]
        for name, k in plan.values:
            env[name] = ("fact", k)
        out.append((choice, env))
    return out


def _edge(ctx: _Ctx, plan: Plan, k: int, path: tuple[int, ...]) -> tuple[str, int | None]:
    hop = plan.hops[k]
    s, o = (path[k], path[k + 1]) if hop.forward else (path[k + 1], path[k])
    index = ctx.edges.get(hop.relation)
    return hop.relation, (index.edge_id(s, o) if index is not None else None)


def _value(ctx: _Ctx, plan: Plan, op: Operand, env: dict[str, object], path: tuple[int, ...]):
    if op.var is None:
        return op.const
    bound = env.get(op.var)
    if op.attr is None:
        return bound
    if isinstance(bound, tuple) and bound and bound[0] == "fact":
        rel, edge = _edge(ctx, plan, bound[1], path)
        index = ctx.edges.get(rel)
        if edge is None or index is None:
            return None
        if op.attr in index.values:
            v = float(index.values[op.attr][edge])
            return None if math.isnan(v) else v
        return index.texts.get(op.attr, {}).get(edge)
    if isinstance(bound, int):
        values = ctx.graph.values(bound, op.attr)
        return values[0] if values else None
    return None


def _holds(ctx: _Ctx, plan: Plan, cond: Condition, env: dict[str, object], path: tuple[int, ...]) -> bool:
    left, right = _value(ctx, plan, cond.left, env, path), _value(ctx, plan, cond.right, env, path)
    if left is None or right is None:
        return False
    g = ctx.graph
    node_left = cond.left.attr is None and cond.left.var in plan.vars
    node_right = cond.right.var is not None and cond.right.attr is None and cond.right.var in plan.vars
    if node_left and not node_right:  # compare a node with a constant by id or label
        left = g.key(left) if str(right).casefold() == g.key(left).casefold() else g.label(left)
    elif node_right and not node_left:
        right = g.key(right) if str(left).casefold() == g.key(right).casefold() else g.label(right)
    return holds(cond.op, left, right)  # operator semantics from the one table; the search above is its own


def _negation_exists(ctx: _Ctx, plan: Plan, step, path: tuple[int, ...]) -> bool:
    env = dict(zip(plan.vars, path))
    s, o = env.get(step.subject), env.get(step.object)
    if s is not None and o is not None:
        index = ctx.edges.get(step.relation)
        return index is not None and index.edge_id(s, o) is not None
    if s is not None:
        return ctx.degree(s, step.relation, True) > 0
    return ctx.degree(o, step.relation, False) > 0


def _chain(ctx: _Ctx, plan: Plan, path: tuple[int, ...], env: dict[str, object], support: int | None) -> Chain:
    g = ctx.graph
    facts: list[Fact] = []
    for k, hop in enumerate(plan.hops):
        s, o = (path[k], path[k + 1]) if hop.forward else (path[k + 1], path[k])
        if s < 0 or o < 0:  # a crowd of other shoppers: a count, never a name or a review
            known = o if s < 0 else s
            crowd = f"{support} other {g.audience}"
            people = min(g.user_types)
            facts.append(Fact(None if s < 0 else g.key(s), hop.relation, g.key(known) if s < 0 else "",
                              crowd if s < 0 else g.label(s), g.label(known) if s < 0 else crowd,
                              people if s < 0 else g.type_name(s), g.type_name(known) if s < 0 else people,
                              count=support))
            continue
        facts.append(Fact(g.key(s), hop.relation, g.key(o), g.label(s), g.label(o), g.type_name(s),
                          g.type_name(o), values=_fact_values(ctx, hop.relation, s, o)))
    bindings = [(v, Binding(g.key(n), g.label(n), g.type_name(n))) for v, n in zip(plan.vars, path) if n >= 0]
    for lk in plan.lookups:
        value = env[lk.var]
        text = f"{value:g}" if isinstance(value, float) else str(value)
        node = int(env[lk.node_var])
        facts.append(Fact(g.key(node), lk.relation, text, g.label(node), text, g.type_name(node), "Value", is_value=True))
        bindings.append((lk.var, Binding(text, text, "Value", True)))
    return Chain(plan.rule.id, tuple(facts), tuple(bindings), path, support, _specificity(ctx, plan, path))


def _fact_values(ctx: _Ctx, relation: str, s: int, o: int) -> tuple[tuple[str, str | float], ...]:
    index = ctx.edges.get(relation)
    if index is None or not (index.values or index.texts):
        return ()
    edge = index.edge_id(s, o)
    if edge is None:
        return ()
    out: list[tuple[str, str | float]] = []
    for name, arr in sorted(index.values.items()):
        v = float(arr[edge])
        if not math.isnan(v):
            out.append((name, v))
    for name, texts in sorted(index.texts.items()):
        if edge in texts:
            out.append((name, texts[edge]))
    return tuple(out)
