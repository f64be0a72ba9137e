"""The ``matches`` operator, linear by construction: patterns run on RE2, never on ``re``.

Python's ``re`` backtracks, and no structural guard catches every slow pattern: chains of short
bounded repetitions and optional groups (``(a?){25}a{25}``) pass any rule about nesting and still
take exponential time. RE2 (the ``google-re2`` binding) has no backtracking: it runs a DFA, or an
automaton simulation when the DFA would grow too large, so a search costs at most a constant
times (text length x program size). Both factors are capped: ``MATCH_TEXT`` (2,000) characters of
the text (reasoning/match_finish.py) and ``MAX_PROGRAM`` instructions of the compiled pattern,
checked when the rule file loads. benchmarks/bench_regex.py measures the worst time per pattern.

RE2 syntax is Python's without backreferences and lookarounds (refused, R032). One difference to
know: ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII in RE2; write ``\\pL`` for any letter and
``\\pN`` for any digit.

>>> check_pattern("(a+)+$") is None and search("(a+)+$", "a" * 10_000 + "b") is False
True
>>> check_pattern("(a)\\\\1")
'RE2 cannot run it (invalid escape sequence: \\\\1); backreferences and lookarounds are not supported'
>>> search("(?i)spf", "Day cream SPF 30")
True
"""
from __future__ import annotations

from functools import lru_cache

import re2

MAX_PATTERN = 200  # characters
# RE2 instructions of the pattern compiled for one byte per character: what the search's time grows
# with (a DFA state or an automaton step per position). Compiled for UTF-8, a class such as \\pL is a
# tree of byte ranges (^\\pL+$: 10 steps here, 1,199 there) walked one branch at a time; that size is
# capped more loosely, as memory.
MAX_PROGRAM = 200
MAX_PROGRAM_UTF8 = 3_000
MAX_MEMORY = 8 << 20  # bytes RE2 may use per pattern (its DFA cache); past it RE2 degrades, still linear


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a refused pattern is reported as R032, not printed to stderr
    options.max_mem = MAX_MEMORY
    return options


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> tuple[object | None, str | None]:
    """(compiled pattern, None) or (None, why it is refused); cached: rules repeat their patterns."""
    if len(pattern) > MAX_PATTERN:
        return None, f"longer than {MAX_PATTERN} characters"
    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as exc:
        why = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return None, f"RE2 cannot run it ({why}); backreferences and lookarounds are not supported"
    except (TypeError, ValueError, UnicodeError) as exc:  # a NUL or a lone surrogate in the pattern
        return None, f"not a regular expression ({exc})"
    size = _structure_size(pattern)
    if size > MAX_PROGRAM or compiled.programsize > MAX_PROGRAM_UTF8:
        steps, cap = (size, MAX_PROGRAM) if size > MAX_PROGRAM else (compiled.programsize, MAX_PROGRAM_UTF8)
        return None, f"it compiles to {steps:,} steps, over {cap:,}: use smaller counts in {{m,n}}"
    return compiled, None


def _structure_size(pattern: str) -> int:
    options = _options()
    options.encoding = re2.Options.Encoding.LATIN1
    try:
        return re2.compile(pattern.encode("utf-8"), options).programsize
    except re2.error:  # a class only UTF-8 can state: the UTF-8 size is the measure then
        return 0


def check_pattern(pattern: str) -> str | None:
    """None when the pattern is accepted, else why it is not."""
    return _compiled(pattern)[1]


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` occurs in ``text``; time linear in ``len(text)`` for every accepted pattern."""
    compiled, why = _compiled(pattern)
    if compiled is None:  # rule files are checked at load; a pattern built in code gets the same answer
        raise ValueError(f"pattern {pattern[:40]!r} refused: {why}")
    return compiled.search(text) is not None
