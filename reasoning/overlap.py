"""Rules that duplicate or subsume another: same path, and one's conditions a subset of the other's.

Two rules with the same steps (up to variable names) find the same chains, except where a
condition, a 'not' step or a value lookup of one drops some. When every constraint of rule A
is also a constraint of rule B, B finds no chain that A misses: B is subsumed by A (and when
the constraints are equal, B duplicates A). A narrower rule that weighs more is a deliberate
special case (its sentence outranks the general one) and is not reported.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from reasoning.errors import Problem
from reasoning.plan import Plan
from reasoning.rules import Operand

MAX_GROUP = 200  # rules compared pairwise per path shape: bounded even for generated rule files


def _names(plan: Plan) -> dict[str, str]:
    ren = {v: f"v{j}" for j, v in enumerate(plan.vars)}
    ren.update({lk.var: f"{ren[lk.node_var]}.{lk.relation}" for lk in plan.lookups})
    ren.update({name: f"f{k}" for name, k in plan.values})
    return ren


def _side(op: Operand, ren: dict[str, str]) -> str:
    if op.var is None:
        return repr(op.const.casefold()) if isinstance(op.const, str) else f"{op.const:g}"
    return ren.get(op.var, op.var) + (f".{op.attr}" if op.attr else "")


def shape(plan: Plan) -> tuple:
    """What must be equal for two rules to be compared: the hops, and a crowd's threshold."""
    return (tuple((h.relation, h.forward) for h in plan.hops),
            plan.rule.min_support if plan.crowd else None)


def constraints(plan: Plan) -> frozenset[str]:
    """Every way a chain of the path can be dropped, written with position names."""
    ren = _names(plan)
    out = {f"has {ren[lk.node_var]} {lk.relation}" for lk in plan.lookups}
    for c in plan.rule.when:
        left, right = _side(c.left, ren), _side(c.right, ren)
        if c.op in ("==", "!=") and right < left:  # a == b is b == a
            left, right = right, left
        out.add(f"{left} {c.op} {right}")
    for n in plan.rule.negations:
        out.add(f"not {ren.get(n.step.subject, '_')} {n.step.relation} {ren.get(n.step.object, '_')}")
    return frozenset(out)


def overlaps(plans: Sequence[Plan]) -> list[Problem]:
    groups: dict[tuple, list[Plan]] = defaultdict(list)
    for p in plans:
        groups[shape(p)].append(p)
    out: list[Problem] = []
    for group in groups.values():
        group = group[:MAX_GROUP]
        cons = [constraints(p) for p in group]
        for j, b in enumerate(group):
            for i, a in enumerate(group[:j] + group[j + 1:]):
                ca = cons[i if i < j else i + 1]
                if ca == cons[j] and i < j:
                    out.append(_warn(b, "R120", f"rule {b.rule.id!r} has the same steps and conditions as rule "
                                                f"{a.rule.id!r} (line {a.rule.pos.line}): they find the same chains"))
                    break
                if ca < cons[j] and b.rule.weight <= a.rule.weight:  # a heavier narrow rule is a deliberate special case
                    out.append(_warn(b, "R121", f"rule {b.rule.id!r} is narrower than rule {a.rule.id!r} (line "
                                                f"{a.rule.pos.line}) and weighs no more: same steps and every "
                                                f"condition of {a.rule.id!r}, so it finds no chain "
                                                f"{a.rule.id!r} misses"))
                    break
    return out


def _warn(plan: Plan, code: str, message: str) -> Problem:
    pos = plan.rule.pos
    return Problem(code, message, pos.file, pos.line, pos.col, None, "warning")
