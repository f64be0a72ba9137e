"""From a rule's paths to chains: the privacy guard, conditions, crowds, ranking, Chain objects.

Rules are compiled once (positions of every variable a condition reads), so a condition is
evaluated once per distinct binding of what it reads, not once per path; the comparison
semantics are those of the first matcher (node labels vs constants, case-folded text, numbers).
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

from reasoning import safe_regex
from reasoning.chains import Chain, Fact
from reasoning.conditions import holds
from reasoning.match_bulk import finish_rows
from reasoning.match_build import chain, chains_of
from reasoning.match_index import Lookups
from reasoning.plan import Plan
from reasoning.rules import Condition, Operand, Step


@dataclass(frozen=True)
class Compiled:
    """A plan with positions resolved: what finishing a path needs, without name lookups."""

    plan: Plan
    rid: str
    k: int
    sig: tuple[tuple[str, bool], ...]  # (relation, forward) of each hop, walking toward the item
    lkeys: tuple[tuple, ...]  # cache key of the layer j hops from the user: ("L", sig[:j])
    rkeys: tuple[tuple, ...]  # ... and of the layer at position j grown from the item: ("R", sig[j:])
    lsteps: tuple[tuple[str, bool], ...]  # [j]: (relation, forward) to grow the layer at j toward the item
    rsteps: tuple[tuple[str, bool] | None, ...]  # [j]: ... to grow the layer at j toward the user
    private: tuple[int, ...]  # middle positions that must not hold another shopper
    crowd: tuple[int, ...]  # positions standing for other shoppers (counted, never named)
    lookups: tuple[tuple[str, int, str], ...]  # (value variable, node position, literal relation)
    # A path of a rule with lookups is the spine followed by one value index per lookup (see
    # expand): each value of a literal step is its own binding, like each neighbour of a hop.
    conds: tuple[tuple[Condition, tuple[int, ...]], ...]  # condition, positions it reads
    negs: tuple[tuple[Step, int | None, int | None], ...]  # 'not' step, subject / object position
    spec: tuple[tuple[int, str], ...]  # middle position, relation whose degrees rate its node
    ends: tuple[tuple[str, int, int], ...]  # per hop: relation, positions of the fact's subject and object
    pair_checks: tuple[tuple[str, int, tuple[int, ...]], ...]  # (kind, index, positions read): user/item only
    path_checks: tuple[tuple[str, int, tuple[int, ...]], ...]  # ... and those that read middle nodes


_COMPILED: dict[int, tuple[Plan, Compiled]] = {}
_SETS: dict[int, tuple[tuple[Plan, ...], tuple[Compiled, ...]]] = {}


def compiled(plans: tuple[Plan, ...]) -> tuple[Compiled, ...]:
    """Compile each plan once (cached by identity; the plans are kept alive with their entry)."""
    got = _SETS.get(id(plans))
    if got is not None and got[0] is plans:
        return got[1]
    if len(_SETS) > 256:
        _SETS.clear()
    out = []
    for plan in plans:
        got = _COMPILED.get(id(plan))
        if got is None or got[0] is not plan:
            if len(_COMPILED) > 4096:
                _COMPILED.clear()
            got = _COMPILED[id(plan)] = (plan, _compile(plan))
        out.append(got[1])
    _SETS[id(plans)] = (plans, tuple(out))
    return _SETS[id(plans)][1]


def _compile(plan: Plan) -> Compiled:
    pos = {v: j for j, v in enumerate(plan.vars)}
    k = len(plan.hops)
    crowd = tuple(j for j, v in enumerate(plan.vars) if v in plan.crowd)
    lookups = tuple((lk.var, pos[lk.node_var], lk.relation) for lk in plan.lookups)
    where = {var: (p, k + 1 + n) for n, (var, p, _) in enumerate(lookups)}  # the node and which value
    where.update({name: (h, h + 1) for name, h in plan.values})

    def reads(op: Operand) -> tuple[int, ...]:
        if op.var is None:
            return ()
        return (pos[op.var],) if op.var in pos else where.get(op.var, ())

    conds = tuple((c, tuple(sorted(set(reads(c.left) + reads(c.right))))) for c in plan.rule.when)
    negs = tuple((n.step, pos.get(n.step.subject), pos.get(n.step.object)) for n in plan.rule.negations)
    sig = tuple((h.relation, h.forward) for h in plan.hops)
    checks = [("value", n, (p,)) for n, (_, p, _) in enumerate(lookups)]  # a value must exist first
    checks += [("when", n, deps) for n, (_, deps) in enumerate(conds)]
    checks += [("not", n, tuple(p for p in (sp, op) if p is not None)) for n, (_, sp, op) in enumerate(negs)]
    endish = {0, k} | {k + 1 + n for n, (_, p, _) in enumerate(lookups) if p in (0, k)}
    ends_only = [c for c in checks if set(c[2]) <= endish]
    ends = tuple((rel, j, j + 1) if fwd else (rel, j + 1, j) for j, (rel, fwd) in enumerate(sig))
    return Compiled(plan, plan.rule.id, k, sig, tuple(("L", sig[:j]) for j in range(k + 1)),
                    tuple(("R", sig[j:]) for j in range(k + 1)), sig,
                    (None,) + tuple((rel, not fwd) for rel, fwd in sig),
                    tuple(j for j in range(1, k) if j not in crowd), crowd, lookups, conds, negs,
                    tuple((j, plan.hops[j].relation) for j in range(1, k)),
                    ends,
                    tuple(ends_only), tuple(c for c in checks if c not in ends_only))


def row_of(lk: Lookups, cr: Compiled, path: tuple[int, ...], support: int | None, spec: float) -> tuple:
    """What a lazy result keeps of a chain (reasoning/lazy.py): match_build.chain's arguments."""
    return path, support, spec


def finish(lk: Lookups, cr: Compiled, paths, max_chains: int, make=chain) -> tuple[list, bool]:
    """Chains of the paths that pass the guard and the conditions; (chains, whether a cap cut some).

    ``paths``: tuples, or an array of rows (many paths; see reasoning/match_bulk.py). ``make``
    builds each chain from (lk, cr, path, support, specificity): :func:`row_of` keeps the rows.
    """
    if isinstance(paths, np.ndarray):
        if lk.private(cr) or cr.path_checks:
            paths = [tuple(r) for r in paths.tolist()]
        else:
            first, memo = tuple(paths[0].tolist()), {}
            # the lookups left read only the user and the item: the same values pass for every row
            tails = [x[cr.k + 1:] for x in expand(lk, cr, first)
                     if all(_passes(lk, cr, x, memo, c) for c in cr.pair_checks)]
            if not tails:
                return [], False
            return finish_rows(lk, cr, paths, max_chains, make, tails)
    kept = _filter(lk, cr, paths)
    if cr.crowd:
        return _crowd_chains(lk, cr, kept, max_chains, make)
    # Sort by (sum of middle terms, path): the reference's (-specificity, path), same float sums.
    if 1 <= len(cr.spec) <= 3:
        scored, cut = rank(tuple((j, lk.spec(rel)) for j, rel in cr.spec), kept, max_chains)
    else:
        scored = sorted([(-_specificity(lk, cr, p), p) for p in kept])
        scored, cut = scored[:max_chains], len(scored) > max_chains
    if make is row_of:
        return [(p, None, -total) for total, p in scored], cut
    return chains_of(lk, cr, scored), cut


def rank(tabs: tuple, paths: list[tuple[int, ...]], cap: int) -> tuple[list[tuple], bool]:
    """(sum of the specificity terms, path) of the ``cap`` most specific paths, most specific first
    (a chain's row is (path, None, -sum): reasoning/lazy.py), and whether more were found.
    ``tabs``: one to three (position, whole-graph term table), summed in that order."""
    if len(tabs) == 1:
        (j1, t1), = tabs
        scored = [(t1[p[j1]], p) for p in paths]
    elif len(tabs) == 2:
        (j1, t1), (j2, t2) = tabs
        scored = [(t1[p[j1]] + t2[p[j2]], p) for p in paths]
    else:
        (j1, t1), (j2, t2), (j3, t3) = tabs
        scored = [(t1[p[j1]] + t2[p[j2]] + t3[p[j3]], p) for p in paths]
    scored.sort()
    if len(scored) > cap:
        return scored[:cap], True
    return scored, False


def expand(lk: Lookups, cr: Compiled, path: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The path once per choice of looked-up values (index tuples in the nodes' literal order).

    A node without a value for a lookup gives no path; an unbound node (-1) one placeholder.
    """
    if not cr.lookups:
        return [path]
    counts = [len(lk.all_values(path[p], rel)) if path[p] >= 0 else 1 for _, p, rel in cr.lookups]
    if all(c == 1 for c in counts):
        return [path + (0,) * len(counts)]
    return [path + combo for combo in itertools.product(*map(range, counts))]


def cannot_fire(lk: Lookups, cr: Compiled, allowed: list[set[int]], limit: int, u: int, i: int) -> bool:
    """True when no path could pass: a check on the user and item fails, or a crowd is too small.

    Only when enumerating could not hit the partial-path limit either (each partial path is a
    tuple of allowed nodes), so that skipping it changes no truncated flag.
    """
    bound = 1
    for a in allowed[1:]:
        bound *= len(a)
        if bound > limit:
            return False
    if cr.pair_checks and ends_fail(lk, cr, u, i):
        return True
    if cr.crowd:
        most = 1  # distinct crowd tuples behind one chain
        for j in cr.crowd:
            most *= len(allowed[j])
        return most < cr.plan.rule.min_support
    return False


def end_tails(lk: Lookups, cr: Compiled, u: int, i: int) -> list[tuple[int, ...]]:
    """The choices of looked-up values (index tuples, as :func:`expand` appends them) for which the
    checks on the user and the item pass; [()] for a rule with no lookups whose checks pass, [] when
    none does. For a rule whose every check is such a check (no ``path_checks``) and whose lookups
    read only the ends, a path's chains are the path followed by each of these."""
    for _, p, rel in cr.lookups:  # an end without the value looked up: no choice passes
        if p in (0, cr.k) and not lk.has_values(u if p == 0 else i, rel):
            return []
    ends = (u,) + (-1,) * (cr.k - 1) + (i,)
    memo: dict = {}
    k1 = cr.k + 1
    return [x[k1:] for x in expand(lk, cr, ends) if all(_passes(lk, cr, x, memo, c) for c in cr.pair_checks)]


def ends_fail(lk: Lookups, cr: Compiled, u: int, i: int) -> bool:
    """Whether the checks that read only the user and the item (and their looked-up values) fail
    for every choice of those values: then no path of the rule passes, whatever its middle."""
    ends = (u,) + (-1,) * (cr.k - 1) + (i,)
    memo: dict = {}
    return not any(all(_passes(lk, cr, x, memo, c) for c in cr.pair_checks) for x in expand(lk, cr, ends))


def _filter(lk: Lookups, cr: Compiled, paths: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    private = lk.private(cr)
    if not (private or cr.lookups or cr.conds or cr.negs) or not paths:
        return paths
    memo: dict[tuple, bool] = {}
    if cr.lookups:  # one path per choice of values; the checks on the ends depend on that choice
        paths = [x for path in paths for x in expand(lk, cr, path)]
        checks = cr.pair_checks + cr.path_checks
    else:
        first = paths[0]  # checks that read only the user and the item hold for every path or none
        if not all(_passes(lk, cr, first, memo, c) for c in cr.pair_checks):
            return []
        checks = cr.path_checks
    if not (private or checks):
        return paths
    is_user = lk.is_user
    return [path for path in paths if not (private and any(is_user(path[j]) for j in private))
            and all(_passes(lk, cr, path, memo, c) for c in checks)]


def _passes(lk: Lookups, cr: Compiled, path: tuple[int, ...], memo: dict, check: tuple) -> bool:
    """One lookup, condition or negation of the rule, memoised by the nodes it reads."""
    kind, n, deps = check
    key = (kind, n, *[path[j] for j in deps])
    r = memo.get(key)
    if r is None:
        if kind == "value":
            _, p, rel = cr.lookups[n]
            r = lk.first_value(path[p], rel) is not None
        elif kind == "when":
            r = _holds(lk, cr, cr.conds[n][0], _env(lk, cr, path), path)
        else:
            step, sp, op = cr.negs[n]
            r = not _exists(lk, step, path[sp] if sp is not None else None, path[op] if op is not None else None)
        memo[key] = r
    return r


def _specificity(lk: Lookups, cr: Compiled, path: tuple[int, ...]) -> float:
    """Minus the log-degrees of the middle nodes: a rare shared brand beats a hub brand."""
    total = 0.0
    for j, rel in cr.spec:
        if path[j] >= 0:
            total += lk.spec(rel)[path[j]]
    return -total


def _crowd_chains(lk: Lookups, cr: Compiled, kept, max_chains: int, make=chain) -> tuple[list, bool]:
    crowd = cr.crowd
    groups: dict[tuple[int, ...], set[tuple[int, ...]]] = {}
    for path in kept:
        if any(path[j] == path[0] for j in crowd):
            continue  # the user is not their own crowd
        key = tuple(-1 if j in crowd else n for j, n in enumerate(path))
        groups.setdefault(key, set()).add(tuple(path[j] for j in crowd))
    out = []
    for key in sorted(groups, key=lambda kk: (-len(groups[kk]), kk)):
        support = len(groups[key])
        if support >= cr.plan.rule.min_support:
            out.append(make(lk, cr, key, support, _specificity(lk, cr, key)))
    cut = len(out) > max_chains
    return out[:max_chains], cut


# -- conditions (the first matcher's semantics) ---------------------------------------------------

def _env(lk: Lookups, cr: Compiled, path: tuple[int, ...]) -> dict[str, object]:
    env: dict[str, object] = dict(zip(cr.plan.vars, path))
    for n, (var, p, rel) in enumerate(cr.lookups, cr.k + 1):
        env[var] = lk.all_values(path[p], rel)[path[n]] if path[p] >= 0 else None
    for name, k in cr.plan.values:
        env[name] = ("fact", k)
    return env


def _value(lk: Lookups, cr: Compiled, op: Operand, env: dict[str, object], path: tuple[int, ...]):
    if op.var is None:
        return op.const
    bound = env.get(op.var)
    if op.attr is None:
        return bound
    if isinstance(bound, tuple) and bound and bound[0] == "fact":
        k = bound[1]
        rel, fwd = cr.sig[k]
        s, o = (path[k], path[k + 1]) if fwd else (path[k + 1], path[k])
        index = lk.edges.get(rel)
        edge = lk.edge_id(rel, s, o)
        if edge is None or index is None:
            return None
        if op.attr in index.values:
            v = float(index.values[op.attr][edge])
            return None if math.isnan(v) else v
        return index.texts.get(op.attr, {}).get(edge)
    if isinstance(bound, int):
        return lk.first_value(bound, op.attr)
    return None


def _holds(lk: Lookups, cr: Compiled, cond: Condition, env: dict[str, object], path: tuple[int, ...]) -> bool:
    left, right = _value(lk, cr, cond.left, env, path), _value(lk, cr, cond.right, env, path)
    if left is None or right is None:
        return False
    g = lk.graph
    vars_ = cr.plan.vars
    node_left = cond.left.attr is None and cond.left.var in vars_
    node_right = cond.right.var is not None and cond.right.attr is None and cond.right.var in vars_
    if node_left and not node_right:  # compare a node with a constant by id or label
        left = g.key(left) if str(right).casefold() == g.key(left).casefold() else g.label(left)
    elif node_right and not node_left:
        right = g.key(right) if str(left).casefold() == g.key(right).casefold() else g.label(right)
    return holds(cond.op, left, right)  # the one operator table: reasoning/conditions.py


def _exists(lk: Lookups, step: Step, s: int | None, o: int | None) -> bool:
    """Whether a fact of the 'not' step exists (an unbound end means any node)."""
    if s is not None and o is not None:
        return lk.edge_id(step.relation, s, o) is not None
    if s is not None:
        return lk.dirs[(step.relation, True)].deg[s] > 0
    return lk.dirs[(step.relation, False)].deg[o] > 0
