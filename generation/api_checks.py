"""Checks on what callers hand the Explainer: a clear E004 instead of a traceback or a silent guess.

Ids are text (a source id or an IRI): ``0`` or ``True`` would otherwise be taken as node numbers,
``None`` or bytes fail deep inside. ``k`` is a whole number (``'3'``, ``2.5``, ``nan`` are refused,
not rounded); pairs are (user, item) twos from any iterable; a vote's ``helpful`` is a bool
(``"no"`` is not helpful=True).

>>> check_k(3)
3
>>> check_pairs(iter([("u1", "p1")]))
[('u1', 'p1')]
>>> check_id(0, "user")
Traceback (most recent call last):
...
generation.errors.BadRequest: E004 user must be an id or IRI as text, not int 0; see `whyrec explain --help`
"""
from __future__ import annotations

from collections.abc import Iterable

from generation.errors import GenerationError

MAX_K = 100  # reasons per pair: more is not an explanation, and each one costs a model call
MAX_ID = 10_000  # characters in an id or IRI
MAX_PAIRS = 1_000_000  # pairs in one explain_many call


def check_id(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise GenerationError("E004", f"{what} must be an id or IRI as text, not {type(value).__name__} "
                              f"{str(value)[:40]}")
    if not value.strip() or len(value) > MAX_ID:
        raise GenerationError("E004", f"{what} must be a non-empty id of at most {MAX_ID:,} characters")
    return value


def check_k(k: object) -> int:
    if type(k) is not int:  # bool is an int subclass; '3', 2.5 and nan are not rounded into a number
        raise GenerationError("E004", f"k must be a whole number, not {type(k).__name__} {str(k)[:40]}")
    if not 1 <= k <= MAX_K:
        raise GenerationError("E004", f"k must be between 1 and {MAX_K}, not {k}")
    return k


def check_pairs(pairs: object) -> list[tuple[str, str]]:
    if isinstance(pairs, (str, bytes, dict)) or not isinstance(pairs, Iterable):
        raise GenerationError("E004", f"pairs must be (user, item) pairs, not {type(pairs).__name__}",
                              hint="explain_many([('u1', 'p1'), ('u2', 'p7')])")
    out: list[tuple[str, str]] = []
    for n, pair in enumerate(pairs):
        if n >= MAX_PAIRS:
            raise GenerationError("E004", f"more than {MAX_PAIRS:,} pairs in one call; split them")
        if isinstance(pair, (str, bytes)) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise GenerationError("E004", f"pair {n} must be (user, item), not {str(pair)[:60]}",
                                  hint="explain_many([('u1', 'p1'), ('u2', 'p7')])")
        out.append((check_id(pair[0], f"pair {n}: user"), check_id(pair[1], f"pair {n}: item")))
    return out


def check_helpful(helpful: object) -> bool:
    if type(helpful) is not bool:  # "no" and 0.0 must not count as a vote either way
        raise GenerationError("E004", f"helpful must be True or False, not {type(helpful).__name__} "
                              f"{str(helpful)[:40]}")
    return helpful
