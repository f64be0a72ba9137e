"""The expert's rule weights as a prior: the data may move each one, within a bound.

>>> learned_weights({"a": 1.0, "b": 2.0}, {"a": 3.0, "b": 1.0}, bound=0.5)
{'a': 1.5, 'b': 1.0}
>>> learned_weights({"a": 1.0, "b": 2.0}, {"a": 3.0, "b": 1.0}, bound=0.5, keep_order=True)
{'a': 1.25, 'b': 1.25}
"""
from __future__ import annotations


def clip(expert: float, value: float, bound: float) -> float:
    """``value`` held within ``expert * (1 -/+ bound)`` (an absolute ``bound`` around a weight of 0 or less)."""
    lo, hi = (expert * (1 - bound), expert * (1 + bound)) if expert > 0 else (expert - bound, expert + bound)
    return min(max(value, lo), hi)


def learned_weights(experts: dict[str, float], wanted: dict[str, float], bound: float,
                    keep_order: bool = False) -> dict[str, float]:
    """Each rule's weight: what the data wants, clipped to the bound; with ``keep_order``, first made
    to follow the expert's order (a rule the expert weighs higher never ends below one weighed lower).

    The order is kept by isotonic regression (pool adjacent violators) over the rules sorted by
    the expert's weight; rules the expert weighs equally may come out in any order. Clipping
    after it keeps the order, because both ends of the bound grow with the expert's weight.
    """
    out = {r: clip(experts[r], wanted[r], bound) for r in wanted}
    if not keep_order:
        return out
    order = sorted(wanted, key=lambda r: (experts[r], out[r], r))
    blocks: list[list[float]] = []  # [sum, count] of pooled neighbours
    for r in order:
        blocks.append([out[r], 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
    values = [b[0] / b[1] for b in blocks for _ in range(int(b[1]))]
    return {r: clip(experts[r], v, bound) for r, v in zip(order, values)}
