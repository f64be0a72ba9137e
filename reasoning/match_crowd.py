"""A crowd rule's chains without listing its crowd, where the plain join may stand in for the
layered search (reasoning/match_direct.py) and the crowd is the node just before the item.

Such a rule ("shoppers who bought your X also bought this") has one chain per prefix from the
user, whose support is the number of crowd members that prefix's last node shares with the item:
a set intersection per prefix, instead of one path per member grouped afterwards.
match_safe.Bounds.counted says when it applies; tests/reasoning/test_match_fast.py compares it
with the listed crowds.
"""
from __future__ import annotations

from reasoning.match_direct import sides
from reasoning.match_finish import Compiled, _specificity
from reasoning.match_safe import Bounds


def crowd_rows(pair, cr: Compiled, b: Bounds, cap: int) -> tuple[list[tuple], bool] | None:
    """match_finish's chains of a crowd rule whose one crowd position is the node before the item,
    joined at the hop into it, with no checks nor shopper guard (match_safe.Bounds.counted): each prefix
    from the user is one chain, its support the crowd members it shares with the item, counted
    without listing a path. Rows (key, support, specificity), and whether ``cap`` cut some; None
    when a side has too many paths (the caller takes the layered way, as match_direct.paths would)."""
    got = sides(pair, cr, b)
    if got is None:
        return None
    if not got:
        return [], False
    lefts, level, _ = got
    lk, i, k, m = pair.lk, pair.i, cr.k, b.m
    fw = lk.dirs[cr.sig[m]]
    least = cr.plan.rule.min_support
    deg, rows, reached = fw.deg, fw.rows, set(level)
    found = []
    pair.probes += len(lefts) + len(level)
    for p in lefts:
        if i in p or deg[p[-1]] < least:  # not a simple path, or too few neighbours to be a crowd
            continue
        row = rows[p[-1]]
        pair.probes += len(row)  # the entries read count as probes
        common = reached.intersection(row)
        if len(common) < least:
            continue
        n = len(common) - sum([y in p or y == i for y in common])
        if n >= least:
            found.append((-n, p + (-1,) * (k - m - 1) + (i,)))
    found.sort()
    return [(key, -n, _specificity(lk, cr, key)) for n, key in found[:cap]], len(found) > cap
