"""Building chains: the hot loop of a call, so written for speed.

A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__``, about 0.15 us
a field, and a call builds thousands of facts and chains: the constructors here write the
fields straight into the instance dict. The objects are the same (fields, ==, hash, repr,
frozen). They are used only while the classes are plain frozen dataclasses with exactly these
fields (checked at import; otherwise the classes themselves build them).
"""
from __future__ import annotations

import dataclasses

from reasoning.chains import Binding, Chain, Fact


_new = object.__new__


def _plain(cls: type, names: tuple[str, ...]) -> bool:
    return (dataclasses.is_dataclass(cls) and tuple(f.name for f in dataclasses.fields(cls)) == names
            and not hasattr(cls, "__post_init__") and "__slots__" not in cls.__dict__)


def _fact(s, relation, o, s_label, o_label, s_type, o_type, is_value=False, count=None, values=()) -> Fact:
    f = _new(Fact)
    d = f.__dict__
    d["subject"] = s
    d["relation"] = relation
    d["object"] = o
    d["subject_label"] = s_label
    d["object_label"] = o_label
    d["subject_type"] = s_type
    d["object_type"] = o_type
    d["is_value"] = is_value
    d["count"] = count
    d["values"] = values
    return f


def _binding(key, label, type_, is_value=False) -> Binding:
    b = _new(Binding)
    d = b.__dict__
    d["key"] = key
    d["label"] = label
    d["type"] = type_
    d["is_value"] = is_value
    return b


def _chain(rule, facts, bindings, nodes, support, specificity) -> Chain:
    c = _new(Chain)
    d = c.__dict__
    d["rule"] = rule
    d["facts"] = facts
    d["bindings"] = bindings
    d["nodes"] = nodes
    d["support"] = support
    d["specificity"] = specificity
    return c


new_fact = _fact if _plain(Fact, ("subject", "relation", "object", "subject_label", "object_label", "subject_type",
                                  "object_type", "is_value", "count", "values")) else Fact
new_binding = _binding if _plain(Binding, ("key", "label", "type", "is_value")) else Binding
new_chain = _chain if _plain(Chain, ("rule", "facts", "bindings", "nodes", "support", "specificity")) else Chain


def chains_of(lk, cr, scored: list[tuple[float, tuple[int, ...]]]) -> list[Chain]:
    """Chains of (sum of middle terms, path) pairs of a rule without crowds or values to show.

    One loop per path length, so that each fact and binding is one dict lookup (``lk.facts``
    and ``lk.bindings`` fill themselves on a miss).
    """
    if cr.lookups or new_chain is Chain or cr.k > 4:
        return [chain(lk, cr, p, None, -total) for total, p in scored]
    fact, binding = lk.facts.__getitem__, lk.bindings.__getitem__
    rid, new, out = cr.rid, _new, []
    ends, v = cr.ends, cr.plan.vars
    (r0, s0, o0) = ends[0]
    if cr.k == 1:
        for total, p in scored:
            c = new(Chain)
            d = c.__dict__
            d["rule"], d["facts"] = rid, (fact((r0, p[s0], p[o0])),)
            d["bindings"] = (binding((v[0], p[0])), binding((v[1], p[1])))
            d["nodes"], d["support"], d["specificity"] = p, None, -total
            out.append(c)
        return out
    (r1, s1, o1) = ends[1]
    if cr.k == 2:
        for total, p in scored:
            c = new(Chain)
            d = c.__dict__
            d["rule"], d["facts"] = rid, (fact((r0, p[s0], p[o0])), fact((r1, p[s1], p[o1])))
            d["bindings"] = (binding((v[0], p[0])), binding((v[1], p[1])), binding((v[2], p[2])))
            d["nodes"], d["support"], d["specificity"] = p, None, -total
            out.append(c)
        return out
    (r2, s2, o2) = ends[2]
    if cr.k == 3:
        for total, p in scored:
            c = new(Chain)
            d = c.__dict__
            d["rule"], d["facts"] = rid, (fact((r0, p[s0], p[o0])), fact((r1, p[s1], p[o1])), fact((r2, p[s2], p[o2])))
            d["bindings"] = (binding((v[0], p[0])), binding((v[1], p[1])), binding((v[2], p[2])),
                             binding((v[3], p[3])))
            d["nodes"], d["support"], d["specificity"] = p, None, -total
            out.append(c)
        return out
    (r3, s3, o3) = ends[3]
    for total, p in scored:
        c = new(Chain)
        d = c.__dict__
        d["rule"], d["facts"] = rid, (fact((r0, p[s0], p[o0])), fact((r1, p[s1], p[o1])), fact((r2, p[s2], p[o2])),
                                      fact((r3, p[s3], p[o3])))
        d["bindings"] = (binding((v[0], p[0])), binding((v[1], p[1])), binding((v[2], p[2])), binding((v[3], p[3])),
                         binding((v[4], p[4])))
        d["nodes"], d["support"], d["specificity"] = p, None, -total
        out.append(c)
    return out


def chain(lk, cr, path: tuple[int, ...], support: int | None, spec: float) -> Chain:
    """The chain of one path (``support``: a crowd rule's count; its crowd positions hold -1).

    With lookups, ``path`` is the spine followed by one value index per lookup.
    """
    facts, bindings = lk.facts, lk.bindings
    if support is None:
        fs = [facts[(rel, path[a], path[b])] for rel, a, b in cr.ends]
        bs = [bindings[(v, n)] for v, n in zip(cr.plan.vars, path)]
    else:
        fs = [facts[(rel, path[a], path[b])] if path[a] >= 0 and path[b] >= 0
              else crowd_fact(lk, rel, path[a], path[b], support) for rel, a, b in cr.ends]
        bs = [bindings[(v, n)] for v, n in zip(cr.plan.vars, path) if n >= 0]
    if cr.lookups:  # the path ends with the index of each looked-up value (match_finish.expand)
        for n, (var, p, rel) in enumerate(cr.lookups, cr.k + 1):
            node = path[p]
            if node < 0:
                continue  # a value of another shopper: it may filter, it is never shown
            fact, binding = lk.value_fact(node, rel, var, lk.all_values(node, rel)[path[n]])
            fs.append(fact)
            bs.append(binding)
        path = path[:cr.k + 1]
    return new_chain(cr.rid, tuple(fs), tuple(bs), path, support, spec)


def crowd_fact(lk, relation: str, s: int, o: int, support: int | None) -> Fact:
    """A fact about a crowd of other shoppers: a count, never a name or a review."""
    g = lk.graph
    crowd = f"{support} other shoppers"
    if s < 0:
        return new_fact(None, relation, g.key(o), crowd, g.label(o), "User", g.type_name(o), False, support)
    return new_fact(g.key(s), relation, "", g.label(s), crowd, g.type_name(s), "User", False, support)
