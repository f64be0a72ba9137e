"""Why a rule finds no chain for a pair: the step or the condition that stopped it, in words.

``whyrec rules test`` used to say "expected a match, but no chain links them". An expert needs to
know *where*: the rule's path is walked from the user and from the item at once; the first place
where the two sides do not meet names the step that breaks the chain ("'product brand brand':
the 4 products u001 purchased are by Lumiere, Aurelle; the item needs Corvana"). When the path
does link them, each condition, 'not' step and value is tried alone to find the one that drops
every chain.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from kg import KnowledgeGraph
from reasoning.match import Budget, find_chains
from reasoning.plan import Plan
from reasoning.ruleset import RuleSet
from reasoning.validate import validate

MAX_LAYER = 100_000  # nodes kept per position: the walk is bounded on hubs too
SHOWN = 3  # names shown per side


def why_no_chain(graph: KnowledgeGraph, plan: Plan, user: int, item: int, budget: Budget) -> str:
    """The step or condition that leaves no chain between ``user`` and ``item``, in words."""
    forward, backward = reachable(graph, plan, user, True), reachable(graph, plan, item, False)
    k = len(plan.hops)
    for j in range(1, k + 1):
        met = np.intersect1d(forward[j], backward[j])
        if len(met):
            continue
        hop = plan.hops[j - 1]
        var = plan.vars[j]
        if not len(forward[j]):
            start = graph.label(user) if j == 1 else f"the {len(forward[j - 1])} {_plural(plan.vars[j - 1])} before it"
            return f"\"{hop.step}\" finds nothing: {start} has no {hop.relation!r} facts that way"
        if j == k:
            return (f"\"{hop.step}\" stops it: it reaches {_some(graph, forward[j], var)}, "
                    f"not {graph.label(item)}")
        need = plan.hops[j].step
        going = _goes_on(graph, plan, j, forward[j])
        if not len(going):
            which = "which has no" if len(forward[j]) == 1 else "but none of them has a"
            return f"\"{hop.step}\" stops it: it reaches {_some(graph, forward[j], var)}, {which} fact for \"{need}\""
        wanted = backward[j]
        return (f"\"{hop.step}\" stops it: from the user it reaches {_some(graph, going, var)}, but walking back "
                f"from the item, \"{need}\" needs {'one of ' if len(wanted) > 1 else ''}{_some(graph, wanted, var)}")
    return _filters(graph, plan, user, item, budget)


def _goes_on(graph: KnowledgeGraph, plan: Plan, j: int, nodes: np.ndarray) -> np.ndarray:
    """The nodes at position j that have a fact for the next step (others are dead ends)."""
    hop = plan.hops[j]
    index = graph.edges(hop.relation)
    if index is None:
        return nodes[:0]
    csr = index.out if hop.forward else index.inn
    return nodes[np.diff(csr.indptr)[nodes] > 0]


def reachable(graph: KnowledgeGraph, plan: Plan, start: int, from_user: bool) -> list[np.ndarray]:
    """Nodes at each position of the path reachable from one end (conditions ignored)."""
    k = len(plan.hops)
    layers: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * (k + 1)
    at = 0 if from_user else k
    layers[at] = np.array([start], dtype=np.int64)
    order = range(k) if from_user else range(k - 1, -1, -1)
    for h in order:
        hop = plan.hops[h]
        index = graph.edges(hop.relation)
        here = layers[h if from_user else h + 1]
        walk_out = hop.forward == from_user  # walking toward the item along a forward hop reads 'out'
        nxt = np.zeros(0, dtype=np.int64)
        if index is not None and len(here):
            csr = index.out if walk_out else index.inn
            rows = [csr.indices[csr.indptr[n]:csr.indptr[n + 1]] for n in here[:MAX_LAYER].tolist()]
            nxt = np.unique(np.concatenate(rows).astype(np.int64))[:MAX_LAYER] if rows else nxt
        layers[h + 1 if from_user else h] = nxt
    return layers


def _plural(var: str) -> str:
    return var if var.endswith("s") else var + "s"


def _some(graph: KnowledgeGraph, nodes: np.ndarray, var: str) -> str:
    names = [graph.label(int(n)) for n in nodes[:SHOWN].tolist()]
    more = f" and {len(nodes) - SHOWN} more" if len(nodes) > SHOWN else ""
    if len(nodes) == 1:
        kind = graph.type_name(int(nodes[0]))
        named = kind.casefold() == var.casefold() or var in ("user", "item")
        return f"{var} {names[0]}" + ("" if named else f" (a {kind})")
    return f"{len(nodes)} {_plural(var)} ({', '.join(names)}{more})"


def _fires(graph: KnowledgeGraph, plan: Plan, user: int, item: int, budget: Budget, **parts) -> bool | None:
    """Whether the rule with some of its parts replaced finds a chain (None: the variant is not valid)."""
    rule = replace(plan.rule, says=("{item}",), says_pos=(), expect=(), **parts)
    plans, problems = validate([rule], graph)
    if problems or not plans:
        return None
    return bool(find_chains(graph, RuleSet((plans[0],)), user, item, budget).chains)


def _filters(graph: KnowledgeGraph, plan: Plan, user: int, item: int, budget: Budget) -> str:
    rule = plan.rule
    node_steps = tuple(h.step for h in plan.hops)
    if _fires(graph, plan, user, item, budget, path=node_steps, when=(), negations=()) is False:
        return ("paths link them, but none passes the privacy guard or the hub caps (another shopper in the "
                "middle of a chain, or a node with too many facts)")
    if len(node_steps) < len(rule.path) and not _fires(graph, plan, user, item, budget, when=(), negations=()):
        values = [s for s in rule.path if s not in node_steps]
        return f"a value is missing: {', '.join(repr(str(s)) for s in values)} finds no value on this chain"
    for cond in rule.when:
        if _fires(graph, plan, user, item, budget, when=(cond,), negations=()) is False:
            return f"the condition '{_cond(cond)}' (line {cond.pos.line}) rejects every chain"
    for neg in rule.negations:
        if _fires(graph, plan, user, item, budget, when=(), negations=(neg,)) is False:
            return f"'not {neg.step}' (line {neg.pos.line}) rejects every chain: such a fact exists"
    if plan.crowd:
        return f"fewer than {rule.min_support} other shoppers back any chain (min_support)"
    return "each condition alone lets a chain through, but together they reject every chain"


def _cond(cond) -> str:
    side = lambda op: f'"{op.const}"' if op.var is None and isinstance(op.const, str) else str(op)  # noqa: E731
    return f"{side(cond.left)} {cond.op} {side(cond.right)}"
