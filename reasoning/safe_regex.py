"""A guard for the ``matches`` operator: only patterns that cannot backtrack catastrophically.

Python's ``re`` has no timeout, so a pattern like ``(a+)+$`` can hang a worker for minutes.
Patterns with nested repetition, backreferences or lookarounds are refused at load time, and so
are patterns with two or more wide repetitions (``*``, ``+``, ``{n,}``, ``{m,n}`` with n > 10):
``.*.*.*x`` is not nested, yet a search on a 1,000-character label takes a minute (cubic or worse).
"""
from __future__ import annotations

import re

try:  # Python 3.11: the private parser is still the only way to see a pattern's structure
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

MAX_PATTERN = 200
WIDE = 10  # a repetition allowed more times than this is wide; a pattern may hold one
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)} - {None}
_FORBIDDEN = {sre_parse.GROUPREF, sre_parse.ASSERT, sre_parse.ASSERT_NOT, getattr(sre_parse, "GROUPREF_EXISTS", None)} - {None}


def check_pattern(pattern: str) -> str | None:
    """None when the pattern is safe, else why it is not."""
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a regular expression ({exc})"
    err = _walk(parsed, inside_repeat=False)
    if err is None and _wide(parsed) > 1:
        err = "two wide repetitions such as .* or \\w+ in one pattern can take minutes on a long text; keep one"
    return err


def _wide(items) -> int:
    """Wide repetitions in sequence (alternatives are tried one after another: the widest counts)."""
    n = 0
    for op, av in items:
        if op in _REPEATS:
            n += (av[1] > WIDE) + _wide(av[2])
        elif op == sre_parse.SUBPATTERN:
            n += _wide(av[-1])
        elif op == sre_parse.BRANCH:
            n += max((_wide(b) for b in av[1]), default=0)
    return n


def _walk(items, inside_repeat: bool) -> str | None:
    for op, av in items:
        if op in _FORBIDDEN:
            return "backreferences and lookarounds are not allowed"
        if op in _REPEATS:
            lo, hi, sub = av
            if inside_repeat:
                return "nested repetition such as (a+)+ can take forever"
            err = _walk(sub, inside_repeat=True)
            if err:
                return err
        elif op == sre_parse.SUBPATTERN:
            err = _walk(av[-1], inside_repeat)
            if err:
                return err
        elif op == sre_parse.BRANCH:
            if inside_repeat:  # (a|aa)* backtracks exponentially when branches overlap
                return "alternatives inside a repetition such as (a|aa)* can take forever"
            for branch in av[1]:
                err = _walk(branch, inside_repeat)
                if err:
                    return err
    return None
