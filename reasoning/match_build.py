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


def _maker(cls: type):
    """A fast constructor for a plain frozen dataclass: positional fields, the class's defaults
    for the rest, written straight into the instance dict. Falls back to the class itself when
    the class is not plain (a ``__post_init__``, ``__slots__``, or not a dataclass)."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        return cls
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    if any(f.default is dataclasses.MISSING and f.default_factory is not dataclasses.MISSING for f in fields):
        return cls
    defaults = tuple(f.default for f in fields)
    new = object.__new__

    def make(*args):
        obj = new(cls)
        obj.__dict__.update(zip(names, args + defaults[len(args):]))
        return obj
    return make


new_fact = _maker(Fact)
new_binding = _maker(Binding)
new_chain = _maker(Chain)


def chains_of(lk, cr, scored: list[tuple[float, tuple[int, ...]]]) -> list[Chain]:
    """Chains of (sum of middle terms, path) pairs of a rule without crowds or values to show.

    Each fact and binding is one dict lookup (``lk.facts`` and ``lk.bindings`` fill themselves
    on a miss).
    """
    if cr.lookups or new_chain is Chain:
        return [chain(lk, cr, p, None, -total) for total, p in scored]
    fact, binding = lk.facts.__getitem__, lk.bindings.__getitem__
    rid, ends, v = cr.rid, cr.ends, cr.plan.vars
    return [new_chain(rid, tuple([fact((r, p[s], p[o])) for r, s, o in ends]),
                      tuple([binding(vn) for vn in zip(v, p)]), p, None, -total) for total, p in scored]


def chains_from(lk, cr, rows) -> list[Chain]:
    """Chains of (path, support, specificity) rows, in order (what a lazy result keeps)."""
    if cr.lookups or cr.crowd or new_chain is Chain:
        return [chain(lk, cr, tuple(p), sup, spec) for p, sup, spec in rows]
    fact, binding = lk.facts.__getitem__, lk.bindings.__getitem__
    rid, ends, v = cr.rid, cr.ends, cr.plan.vars
    out = []
    for p, _, spec in rows:
        p = tuple(p)
        out.append(new_chain(rid, tuple([fact((r, p[s], p[o])) for r, s, o in ends]),
                             tuple([binding(vn) for vn in zip(v, p)]), p, None, spec))
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
    """A fact about a crowd of other users: a count, never a name or a review. Its crowd side has
    the users' type name ("User", "Viewer")."""
    g = lk.graph
    crowd = f"{support} other {g.audience}"  # the catalog's word: shoppers, viewers, readers
    people = lk.crowd_type
    if s < 0:
        return new_fact(None, relation, g.key(o), crowd, g.label(o), people, g.type_name(o), False, support)
    return new_fact(g.key(s), relation, "", g.label(s), crowd, g.type_name(s), people, False, support)
