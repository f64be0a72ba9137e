"""Chains as rows of integers until someone reads them: Fact and Chain objects on demand.

A matcher call finds, per pair and rule, node paths (plus value indices for rules with
lookups), a support count (crowd rules) and a specificity. Building the frozen Fact and Chain
objects of every one of them costs more than finding them (some 34 chains per random pair on a
Beauty-sized graph). A :class:`LazyChainResult` is a :class:`ChainResult` that keeps those rows
and builds ``chains`` on first access, all at once and in the final order; a ranker that needs
only a few chains reads the rows (:meth:`LazyChainResult.views`) and builds those few
(:meth:`ChainView.build`). Either way the chains are exactly the eager ones.
"""
from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from reasoning.chains import Chain, ChainResult


@dataclass(frozen=True)
class RuleRows:
    """The chains of one rule for many pairs, in final order: rows of ``pair`` ascending.

    ``paths`` (m, width): spine node ids (-1 for a crowd) then one value index per lookup;
    ``spec``: each chain's specificity; ``support``: each crowd chain's count, or None.
    """

    cr: object  # reasoning.match_finish.Compiled
    pair: np.ndarray
    paths: np.ndarray
    spec: np.ndarray
    support: np.ndarray | None = None

    def span(self, p: int) -> tuple[int, int]:
        lo, hi = np.searchsorted(self.pair, [p, p + 1])
        return int(lo), int(hi)


# One rule's chains for one pair: (Compiled, RuleRows, lo, hi), (Compiled, [(path, support, spec), ...]),
# or (Compiled, [(sum of its terms, path), ...], None): a plain rule's, whose specificity is minus the sum.
Part = tuple


@dataclass(frozen=True)
class ChainView:
    """One chain before its objects exist: the rule, the spine nodes, support and specificity."""

    rule: str
    nodes: tuple[int, ...]
    support: int | None
    specificity: float
    _lk: object
    _cr: object
    _path: tuple[int, ...]

    def build(self) -> Chain:
        from reasoning.match_build import chain
        return chain(self._lk, self._cr, self._path, self.support, self.specificity)


class LazyChainResult(ChainResult):
    """A :class:`ChainResult` whose ``chains`` are built from rows on first access.

    Equal field by field to the eager result (``==`` between the two classes is False, as for
    any two dataclasses of different classes: compare ``to_dict()`` or the fields).
    """

    @classmethod
    def make(cls, user: str, item: str, lk: object, parts: Sequence[Part], truncated: bool, timed_out: bool,
             notes: tuple[str, ...]) -> "LazyChainResult":
        obj = object.__new__(cls)
        obj.__dict__.update(user=user, item=item, truncated=truncated, timed_out=timed_out, notes=notes,
                            _lk=lk, _parts=tuple(parts))
        return obj

    @cached_property
    def chains(self) -> tuple[Chain, ...]:  # type: ignore[override]
        from reasoning.match_build import chains_from
        out: list[Chain] = []
        # Dozens of objects a pair, hundreds of thousands for a batch: with the collector on, each
        # few hundred allocations make it walk the whole (growing) heap; they hold no cycles.
        paused = gc.isenabled()
        gc.disable()
        try:
            for part in self._parts:
                out += chains_from(self._lk, part[0], _rows(part))
        finally:
            if paused:
                gc.enable()
        return tuple(out)

    @property
    def count(self) -> int:
        """How many chains, without building any."""
        return sum((p[3] - p[2]) if len(p) == 4 else len(p[1]) for p in self._parts)

    def found_on(self, graph: object) -> bool:
        """Whether the node ids of :meth:`views` are ``graph``'s (it found these chains)."""
        return self._lk.graph_ref() is graph

    def views(self) -> list[ChainView]:
        """Every chain as a :class:`ChainView`, in the order of ``chains``."""
        out: list[ChainView] = []
        lk = self._lk
        for part in self._parts:
            cr = part[0]
            k = cr.k
            for path, sup, sp in _rows(part):
                path = tuple(path)
                out.append(ChainView(cr.rid, path[:k + 1], sup, sp, lk, cr, path))
        return out


def _rows(part: Part):
    """(path, support, specificity) of each chain of one part."""
    if len(part) == 2:
        return part[1]
    if len(part) == 3:  # a plain rule's (sum of terms, path), most specific first
        return [(p, None, -total) for total, p in part[1]]
    rows, lo, hi = part[1], part[2], part[3]
    support = rows.support[lo:hi].tolist() if rows.support is not None else [None] * (hi - lo)
    return zip(rows.paths[lo:hi].tolist(), support, rows.spec[lo:hi].tolist())
