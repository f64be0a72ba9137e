"""Rules checked against a graph's vocabulary; returns compiled plans and problems (data)."""
from __future__ import annotations

import difflib

from kg import KnowledgeGraph
from kg.vocab import Relation, default_vocabulary
from reasoning.conditions import OPERATORS
from reasoning.errors import Problem
from reasoning.plan import Hop, Lookup, Plan
from reasoning.rulefile import placeholders
from reasoning.rules import RESERVED, Condition, Operand, Rule, Step

MAX_HOPS = 4
MAX_STEPS = 6
EDGE_ATTRS_HINT = "score, summary, date"


def vocabulary(graph: KnowledgeGraph | None) -> dict[str, Relation]:
    """What rules may name: the default relations plus every relation of the graph."""
    rels = {r.name: r for r in default_vocabulary().relations}
    if graph is not None:
        rels.update({r.name: r for r in graph.vocab.relations})
    return rels


def validate(rules: list[Rule], graph: KnowledgeGraph | None) -> tuple[list[Plan], list[Problem]]:
    rels = vocabulary(graph)
    plans, problems = [], []
    for rule in rules:
        if rule.broken:  # a step did not parse (already reported): check what does not need the path
            _partial(rule, rels, problems)
            continue
        before = len(problems)
        plan = _plan(rule, rels, problems, graph)
        if plan is not None and len(problems) == before:
            plans.append(plan)
    return plans, problems


def _partial(rule: Rule, rels: dict[str, Relation], problems: list[Problem]) -> None:
    """Relations, placeholders and conditions of a rule whose path did not fully parse."""
    words = {w for s in rule.path for w in (s.subject, s.object, s.value) if w}
    words |= {w for text in rule.broken for w in text.split()}  # a step that did not parse still names words
    for step in rule.path:
        _relation(step, rels, problems)
    for cond in rule.when:
        for side in (cond.left, cond.right):
            if side.var is not None and side.var not in words:
                problems.append(_p(cond, "R031", f"{side.var!r} in condition is not bound by the path"))
    for _, template, pos in rule.templates():
        for name in placeholders(template):
            var = name.partition(".")[0]
            if var not in words and not (name == "count" and rule.collaborative):
                problems.append(_p_pos(pos, "R020", f"placeholder {{{name}}} is not bound by the path of {rule.id!r}",
                                       f"bound: {', '.join(sorted(words))}"))


def _p(step_or_rule, code: str, message: str, hint: str | None = None, offset: int = 0) -> Problem:
    pos = step_or_rule.pos
    return Problem(code, message, pos.file, pos.line, pos.col + offset, hint)


def _relation(step: Step, rels: dict[str, Relation], problems: list[Problem]) -> Relation | None:
    rel = rels.get(step.relation)
    if rel is None:
        problems.append(_p(step, "R011", f"unknown relation {step.relation!r} in step \"{step}\"",
                           suggest_relation(step, rels), len(step.subject) + 1))
    return rel


def users_at(rel: Relation, subject: bool, graph: KnowledgeGraph | None) -> bool:
    """Whether that end of ``rel``'s facts is a user: declared (purchased: User -> Product), or seen
    in the graph's data (a catalog's own 'watched': every subject a Viewer, its users)."""
    if (rel.domain if subject else rel.range) == "User":
        return True
    return graph is not None and rel.kind == "node" and graph.user_ends(rel.name)[0 if subject else 1]


def suggest_relation(step: Step, rels: dict[str, Relation]) -> str | None:
    """A hint naming the relation meant: by its phrases and labels ('bought' is said of 'purchased'),
    by its inverse label (the step is written the other way), else by spelling."""
    said = step.relation.replace("_", " ").replace("-", " ").casefold()
    for rel in rels.values():
        if said in (p.casefold() for p in (*rel.phrases, rel.label)) and said != rel.name:
            return f"did you mean {rel.name!r}? ({said!r} is how whyrec says {rel.name!r})"
    for rel in rels.values():
        if said == rel.inverse.casefold():
            return (f"did you mean {rel.name!r}, written the other way? "
                    f"'{step.object} {rel.name} {step.subject}'")
    close = difflib.get_close_matches(step.relation, list(rels), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _plan(rule: Rule, rels: dict[str, Relation], problems: list[Problem], graph: KnowledgeGraph | None = None
          ) -> Plan | None:

    if not rule.path:
        problems.append(_p(rule, "R013", f"rule {rule.id!r} has no steps"))
        return None
    node_steps, lit_steps = [], []
    for step in rule.path:
        rel = _relation(step, rels, problems)
        if rel is None:
            continue
        if rel.kind == "literal":
            if step.object in RESERVED:
                problems.append(_p(step, "R014", f"'{step.object}' cannot hold a value in \"{step}\""))
            lit_steps.append((step, rel))
        else:
            node_steps.append((step, rel))
    if len(node_steps) > MAX_HOPS or len(rule.path) > MAX_STEPS:
        problems.append(_p(rule, "R013", f"rule {rule.id!r} has {len(node_steps)} linking steps (at most {MAX_HOPS})"))
        return None
    if len(node_steps) + len(lit_steps) < len(rule.path):
        return None  # unknown relations already reported
    spine = _spine(rule, [s for s, _ in node_steps], problems)
    if spine is None:
        return None
    vars_, hops = spine
    bound = set(vars_)
    lookups = []
    for step, rel in lit_steps:
        if step.value:
            problems.append(_p(step, "R014", f"'as {step.value}' names a linking fact, but \"{step}\" reads a value",
                               f"write 'as {step.value}' on a step such as 'user rated product as {step.value}'"))
        if step.object in RESERVED:
            continue  # reported above (R014)
        if step.subject not in bound:
            problems.append(_p(step, "R012", f"\"{step}\" reads a value of {step.subject!r}, which the path does not reach"))
        elif step.object in bound:
            problems.append(_p(step, "R015", f"{step.object!r} is already a node of the path in \"{step}\""))
        else:
            lookups.append(Lookup(step.subject, rel.name, step.object))
    values = []
    for k, hop in enumerate(hops):
        if hop.step.value:
            if any(name == hop.step.value for name, _ in values):
                problems.append(_p(hop.step, "R015", f"'as {hop.step.value}' already names another fact of this rule"))
            values.append((hop.step.value, k))
    literal_vars = {lk.var for lk in lookups}
    value_vars = {v for v, _ in values}
    for dup in (literal_vars | value_vars) & bound:
        problems.append(_p(rule, "R015", f"{dup!r} names both a node and a value"))
    known = bound | literal_vars | value_vars
    for cond in rule.when:
        _check_condition(cond, bound, literal_vars, value_vars, rels, problems)
    for neg in rule.negations:
        rel = _relation(neg.step, rels, problems)
        if rel is not None and rel.kind != "node":
            problems.append(_p(neg, "R030", f"'not' needs a linking relation, {neg.step.relation!r} holds values"))
        if neg.step.subject not in bound and neg.step.object not in bound:
            problems.append(_p(neg, "R031", f"'not {neg.step}' mentions no variable of the path"))
    crowd = frozenset(s.subject for s, rel in node_steps if s.subject != "user" and users_at(rel, True, graph)) | \
        frozenset(s.object for s, rel in node_steps if s.object != "user" and users_at(rel, False, graph))
    if crowd and not rule.collaborative:
        problems.append(_p(rule, "R080", f"rule {rule.id!r} binds other users ({', '.join(sorted(crowd))}) "
                                         "but is not tagged collaborative"))
    for step, _ in lit_steps:  # a shopper's budget in an explanation would describe that shopper
        if step.subject in crowd:
            problems.append(_p(step, "R080", f"\"{step}\" reads a value of another user ({step.subject!r}); "
                                             "other users are counted, never described"))
    # facts of other shoppers (their ratings, review summaries) may filter, never be quoted
    crowd_facts = {name for name, k in values if vars_[k] in crowd or vars_[k + 1] in crowd}
    for _, template, pos in rule.templates():
        for name in placeholders(template):
            var, _, attr = name.partition(".")
            if (name == "count" and rule.collaborative) or name == "audience":
                continue  # {audience}: the catalog's noun for counted people (mapping or rule file)
            if var in crowd:
                problems.append(_p_pos(pos, "R020", f"{{{name}}} would name another user; say {{count}} instead"))
            elif var in crowd_facts:
                problems.append(_p_pos(pos, "R020", f"{{{name}}} would quote another user's fact; say {{count}} instead"))
            elif var not in known:
                problems.append(_p_pos(pos, "R020", f"placeholder {{{name}}} is not bound by the path of {rule.id!r}",
                                       f"bound: {', '.join(sorted(known))}"))
            elif attr and not _attr_ok(var, attr, bound, value_vars, rels):
                problems.append(_p_pos(pos, "R020", f"{{{name}}}: {attr!r} is not a value relation"))
    return Plan(rule, vars_, hops, tuple(lookups), tuple(values), crowd)


def _p_pos(pos, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(code, message, pos.file, pos.line, pos.col, hint)


def _spine(rule: Rule, steps: list[Step], problems: list[Problem]) -> tuple[tuple[str, ...], tuple[Hop, ...]] | None:
    """Order the linking steps as one simple path user -> ... -> item."""
    for s in steps:
        if s.subject == s.object:
            problems.append(_p(s, "R012", f"\"{s}\" links {s.subject!r} to itself"))
            return None
    remaining = list(steps)
    order, hops, at = ["user"], [], "user"
    while remaining and at != "item":
        touching = [s for s in remaining if at in (s.subject, s.object)]
        if len(touching) != 1:
            where = touching[1] if len(touching) > 1 else rule
            msg = (f"the path branches at {at!r}" if touching else
                   f"the path stops at {at!r} before reaching 'item'")
            problems.append(_p(where, "R012", f"rule {rule.id!r}: {msg}"))
            return None
        step = touching[0]
        remaining.remove(step)
        forward = step.subject == at
        nxt = step.object if forward else step.subject
        if nxt in order:
            problems.append(_p(step, "R012", f"rule {rule.id!r}: \"{step}\" returns to {nxt!r}"))
            return None
        hops.append(Hop(step.relation, forward, step))
        order.append(nxt)
        at = nxt
    if at != "item":
        problems.append(_p(rule, "R012", f"rule {rule.id!r}: the path does not reach 'item'" if steps else
                           f"rule {rule.id!r} has no step linking 'user' to 'item'"))
        return None
    if remaining:
        problems.append(_p(remaining[0], "R012", f"\"{remaining[0]}\" is off the path from user to item"))
        return None
    return tuple(order), tuple(hops)


def _attr_ok(var: str, attr: str, bound: set[str], value_vars: set[str], rels: dict[str, Relation]) -> bool:
    rel = rels.get(attr)
    return (var in bound or var in value_vars) and rel is not None and rel.kind == "literal"


def _check_condition(cond: Condition, bound: set[str], literal_vars: set[str], value_vars: set[str],
                     rels: dict[str, Relation], problems: list[Problem]) -> None:
    for side in (cond.left, cond.right):
        if side.var is None:
            continue
        if side.var not in bound | literal_vars | value_vars:
            if side is cond.right and not side.attr:  # `brand == Aurelle`: a name meant as text
                problems.append(_p(cond, "R031", f"{side.var!r} is not a variable of the path; to compare with "
                                                 f"the text {side.var}, put it in quotes",
                                   f"write: {cond.left} {cond.op} \"{side.var}\""))
            else:
                problems.append(_p(cond, "R031", f"{side.var!r} in condition is not bound by the path"))
        elif side.attr and not _attr_ok(side.var, side.attr, bound, value_vars, rels):
            problems.append(_p(cond, "R030", f"{side}: {side.attr!r} is not a value relation"
                                             + (f" (facts named with 'as' have {EDGE_ATTRS_HINT})" if side.var in value_vars else "")))
        elif side.var in value_vars and not side.attr:
            problems.append(_p(cond, "R030", f"{side.var!r} names a fact; compare one of its values, e.g. {side.var}.score"))
    if OPERATORS[cond.op].orders and any(
            s.var is not None and not s.attr and s.var in bound for s in (cond.left, cond.right)):
        problems.append(_p(cond, "R030", f"'{cond.op}' compares values, not nodes; use e.g. item.price"))


def is_node_operand(op: Operand, bound: set[str]) -> bool:
    return op.var is not None and op.attr is None and op.var in bound
