"""Warnings for rules that load but can never fire in this graph, each with the reason.

A rule file can be valid against the vocabulary and still explain nothing: the steps ask for
types that no fact links (``user prefers colour`` where nobody prefers a colour, a step written
backwards), a condition compares a number with quoted text (``r.score == "5"``), asks for a
value outside every value's range, reads a value no node or fact carries, or names a thing the
graph does not have. :func:`lint` returns these as problems with ``severity="warning"``; the
file still loads. It reads :mod:`reasoning.signatures` (one pass over the graph's arrays).
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np

from kg import KnowledgeGraph
from reasoning.conditions import OPERATORS, is_date
from reasoning.errors import Problem
from reasoning.overlap import overlaps
from reasoning.plan import Plan
from reasoning.rules import Condition, Operand, Step
from reasoning.signatures import Signatures, Values, signatures

MAX_LABELS = 200_000  # names read per lint to check a constant against a type's nodes
Types = frozenset[str]


def lint(graph: KnowledgeGraph, plans: Sequence[Plan], sig: Signatures | None = None,
         narrower: bool = True) -> list[Problem]:
    """Every warning for ``plans`` (validated rules) against ``graph``, in file order.

    ``narrower``: also R121, a rule narrower than another that weighs no more. It may still be
    wanted for its own sentence, so ``rules check`` shows it only with ``--strict``; the studio always.
    """
    sig = sig or signatures(graph)
    names = _Names(graph)
    out: list[Problem] = []
    for plan in plans:
        types, found = _types(plan, sig, graph)
        out += found
        if not found:
            out += _conditions(plan, types, sig, names)
    out += [w for w in overlaps(plans) if narrower or w.code != "R121"]
    return sorted(out, key=lambda p: (p.file, p.line, p.col, p.code))


def _warn(at: Step | Condition | Plan, code: str, message: str, hint: str | None = None) -> Problem:
    pos = at.rule.pos if isinstance(at, Plan) else at.pos
    return Problem(code, message, pos.file, pos.line, pos.col, hint, "warning")


def _or(types: Types | Sequence[str]) -> str:
    words = sorted(types)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1] if words else "nothing"


# -- types: which facts can a step match at all -------------------------------------------------

def _constraints(plan: Plan, sig: Signatures, flip: Step | None = None) -> dict[str, list[tuple[Step | None, Types]]]:
    cons: dict[str, list[tuple[Step | None, Types]]] = {"user": [(None, sig.user_types)], "item": [(None, sig.item_types)]}
    for hop in plan.hops:
        st = hop.step
        s, o = (st.object, st.subject) if st is flip else (st.subject, st.object)
        cons.setdefault(s, []).append((st, sig.types_of(st.relation, True)))
        cons.setdefault(o, []).append((st, sig.types_of(st.relation, False)))
    return cons


def _meet(cons: dict[str, list[tuple[Step | None, Types]]]) -> dict[str, Types] | None:
    out = {}
    for var, cs in cons.items():
        inter = frozenset.intersection(*(t for _, t in cs))
        if not inter:
            return None
        out[var] = inter
    return out


def _types(plan: Plan, sig: Signatures, graph: KnowledgeGraph) -> tuple[dict[str, Types], list[Problem]]:
    for hop in plan.hops:
        if hop.relation not in sig.links:
            return {}, [_warn(hop.step, "R110", f"the graph has no {hop.relation!r} facts, so \"{hop.step}\" "
                                                "never matches")]
    cons = _constraints(plan, sig)
    met = _meet(cons)
    if met is None:
        for hop in plan.hops:  # one step written backwards explains it all: say so
            if _meet(_constraints(plan, sig, flip=hop.step)) is not None:
                st = hop.step
                pairs = sorted(sig.links[st.relation])
                return {}, [_warn(st, "R111", f"\"{st}\" is written backwards: {st.relation!r} facts read "
                                              f"'{pairs[0][0]} {st.relation} {pairs[0][1]}'",
                                  f"write '{st.object} {st.relation} {st.subject}'")]
        return {}, [_conflict(plan, cons, sig, graph)]
    for _ in range(2 * len(plan.hops)):  # types that fit each step one by one may still not fit together
        changed = False
        for hop in plan.hops:
            st = hop.step
            fit = [(a, b) for a, b in sig.links[st.relation] if a in met[st.subject] and b in met[st.object]]
            if not fit:
                return met, [_warn(st, "R110", f"no {st.relation!r} fact links a {_or(met[st.subject])} to a "
                                               f"{_or(met[st.object])}, so \"{st}\" never matches here")]
            s, o = frozenset(a for a, _ in fit), frozenset(b for _, b in fit)
            changed |= s != met[st.subject] or o != met[st.object]
            met[st.subject], met[st.object] = s, o
        if not changed:
            break
    return met, []


def _conflict(plan: Plan, cons, sig: Signatures, graph: KnowledgeGraph) -> Problem:
    for var, cs in cons.items():
        for i, (a, ta) in enumerate(cs):
            for b, tb in cs[i + 1:]:
                if ta & tb:
                    continue
                step, other, theirs, mine = (a, b, tb, ta) if a is not None else (b, a, ta, tb)
                if other is not None and step is not None and other.pos.line < step.pos.line:
                    step, other, theirs, mine = other, step, mine, theirs
                assert step is not None  # two reserved words never share a variable
                why = (f"'{var}' is {'a user' if var == 'user' else 'an item'} ({_or(theirs)})" if other is None
                       else f"'{var}' is a {_or(theirs)} in \"{other}\"")
                rel = graph.vocab.get(step.relation)
                verb = rel.label if rel is not None else step.relation
                if var == step.object:
                    subj = sig.types_of(step.relation, True)
                    said = f"no {_or(subj)} {verb} a {_or(theirs)}"
                    usual = f"in this graph a {_or(subj)} {verb} a {_or(mine)}"
                else:
                    said = f"no {_or(theirs)} {verb} anything"
                    usual = f"in this graph only a {_or(mine)} {verb} something"
                return _warn(step, "R110", f"\"{step}\" never matches: {said} ({why}; {usual})")
    return _warn(plan, "R110", f"rule {plan.rule.id!r} never fires: its steps ask for types no facts link")


# -- conditions: can any value make them true --------------------------------------------------

class _Names:
    """Ids and names of the nodes of each type, read once per lint and only when a constant needs them."""

    def __init__(self, graph: KnowledgeGraph):
        self.graph = graph
        self._by_type: dict[str, dict[str, str]] = {}

    def of(self, types: Types) -> dict[str, str]:
        """casefolded id or name -> the name as written, for every node of these types."""
        out: dict[str, str] = {}
        g = self.graph
        for t in sorted(types):
            if t not in self._by_type:
                classes = [k for k, iri in enumerate(g.parts.classes) if g.vocab.class_name(iri) == t]
                nodes = np.flatnonzero(np.isin(g.parts.node_class, classes))[:MAX_LABELS].tolist()
                table = {g.key(n).casefold(): g.key(n) for n in nodes}
                table.update({g.label(n).casefold(): g.label(n) for n in nodes})  # a name reads better than an id
                self._by_type[t] = table
            out.update(self._by_type[t])
        return out


def _operand(op: Operand, plan: Plan, types: dict[str, Types], sig: Signatures, cond: Condition,
             out: list[Problem]) -> tuple[str, Values | None, Types]:
    """(kind, values, node types) of one side: kind is node, number, date or text; '' when unknown."""
    if op.var is None:
        kind = "number" if isinstance(op.const, float) else "date" if is_date(str(op.const)) else "text"
        return kind, None, frozenset()
    if op.var in plan.vars and op.attr is None:
        return "node", None, types.get(op.var, frozenset())
    lookup = next((lk for lk in plan.lookups if lk.var == op.var), None)
    if op.var in plan.vars or lookup is not None:
        rel = op.attr if lookup is None else lookup.relation
        owner = types.get(op.var if lookup is None else lookup.node_var, frozenset())
        values = sig.node_values.get(rel)
        if values is None or (owner and not owner & set(values.owners)):
            who = f"no {_or(owner)}" if owner else "no node"
            out.append(_warn(cond, "R114", f"{who} has a {rel!r} value, so '{op}' is never known"
                             + (f" (only a {_or(values.owners)} has one)" if values else "")))
            return "", None, frozenset()
        return values.kind, values, frozenset()
    k = plan.value_hop(op.var)
    if k is not None and op.attr:
        rel = plan.hops[k].relation
        values = sig.fact_values.get(rel, {}).get(op.attr)
        if values is None:
            have = ", ".join(sorted(sig.fact_values.get(rel, {}))) or "none"
            out.append(_warn(cond, "R114", f"no {rel!r} fact has a {op.attr!r}, so '{op}' is never known "
                                           f"({rel!r} facts carry: {have})"))
            return "", None, frozenset()
        return values.kind, values, frozenset()
    return "", None, frozenset()


def _conditions(plan: Plan, types: dict[str, Types], sig: Signatures, names: _Names) -> list[Problem]:
    out: list[Problem] = []
    for cond in plan.rule.when:
        left = _operand(cond.left, plan, types, sig, cond, out)
        right = _operand(cond.right, plan, types, sig, cond, out)
        if not left[0] or not right[0]:
            continue
        if cond.right.var is None:
            _against_constant(cond, left, cond.right.const, names, out)
        elif {left[0], right[0]} in ({"number", "text"}, {"number", "date"}):
            out.append(_warn(cond, "R112", f"{_text(cond)!r} compares a number with a text: it never holds"))
    return out


def _text(cond: Condition) -> str:
    """The condition as the expert wrote it (texts in double quotes, as in a rule file)."""
    def side(op: Operand) -> str:
        return f'"{op.const}"' if isinstance(op.const, str) and op.var is None else str(op)
    return f"{side(cond.left)} {cond.op} {side(cond.right)}"


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _against_constant(cond: Condition, left: tuple[str, Values | None, Types], const: object, names: _Names,
                      out: list[Problem]) -> None:
    kind, values, node_types = left
    op = OPERATORS[cond.op]
    said = _text(cond)
    q = f"'{said}'"
    if kind == "number" and isinstance(const, str):
        number = _number(const)
        hint = f"write {const} without quotes" if number is not None else "compare with a number"
        out.append(_warn(cond, "R112", f"{q} compares the number {cond.left} with the text {const!r}: "
                                       "it never holds", hint))
    elif kind == "text" and op.orders:
        out.append(_warn(cond, "R112", f"'{cond.op}' orders numbers and dates, and {cond.left} holds text: "
                                       f"{q} never holds", "compare text with ==, != or contains"))
    elif kind in ("text", "date") and isinstance(const, float) and not op.right_text:
        example = "\"2024-01-31\"" if kind == "date" else f"\"{const:g}\""
        out.append(_warn(cond, "R112", f"{q} compares the {kind} {cond.left} with the number {const:g}: "
                                       "it never holds", f"put the {kind} in quotes, e.g. {example}"))
    elif kind == "date" and op.orders and isinstance(const, str) and not is_date(const):
        out.append(_warn(cond, "R112", f"{const!r} is not a date, so {q} never holds",
                         "write dates as \"YYYY-MM-DD\""))
    elif kind in ("number", "date") and values is not None and values.minimum is not None and op.reachable:
        lo, hi = values.minimum, values.maximum
        if type(lo) is not type(const):
            return
        if not op.reachable(lo, hi, const):
            show = (lambda v: f"{v:g}") if kind == "number" else str
            out.append(_warn(cond, "R113", f"no value of {cond.left} makes {q} true: they run from "
                                           f"{show(lo)} to {show(hi)}"))
    elif kind == "text" and values is not None and values.texts and cond.op == "==" and isinstance(const, str):
        if const.casefold() not in {t.casefold() for t in values.texts}:
            out.append(_warn(cond, "R115", f"no {cond.left} is {const!r}: the values are "
                                           f"{', '.join(map(repr, values.texts))}"))
    elif kind == "node" and cond.op == "==" and node_types:
        known = names.of(node_types)
        text = const if isinstance(const, str) else f"{const:g}"
        if text.casefold() not in known:
            close = difflib.get_close_matches(text.casefold(), list(known), n=1, cutoff=0.6)
            out.append(_warn(cond, "R115", f"no {_or(node_types)} has the id or name {text!r}",
                             f"did you mean {known[close[0]]!r}?" if close else None))
