"""Condition operators: the one table that the parser, the validator, the matcher, the rule
linter, the studio and the test reference all read.

Each operator says how it is written, which kinds of value it is meaningful for, whether its
right side must be quoted text, and how it compares two values that are already resolved (a
node compared with a constant is turned into its id or label by the matcher first). Adding an
operator is one row here.

>>> holds(">=", 4.0, 4.0), holds("==", "Lumiere", "lumiere"), holds("<", "2024-01-02", "2024-03-01")
(True, True, True)
>>> holds("<", "cheap", "dear")  # plain text has no order: never holds
False
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reasoning import safe_regex  # 'matches' runs on RE2: linear time, whatever the pattern

# 'matches' reads at most this much of a text: RE2's time grows with text x pattern size, both capped
# (reasoning/safe_regex.py); names and summaries are far shorter
MATCH_TEXT = 2_000
KINDS = ("node", "number", "date", "text")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def orderable(v: object) -> float | str | None:
    """Numbers compare as numbers, ISO dates as dates (their text sorts in time order); else not at all."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and _ISO_DATE.match(v.strip()):
        return v.strip()
    return None


def is_date(text: str) -> bool:
    return bool(_ISO_DATE.match(text.strip()))


def _same(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return left == right


def _order(compare: Callable[[object, object], bool]) -> Callable[[object, object], bool]:
    def test(left: object, right: object) -> bool:
        a, b = orderable(left), orderable(right)
        return a is not None and b is not None and type(a) is type(b) and compare(a, b)
    return test


def _matches(left: object, right: object) -> bool:
    text = left[:MATCH_TEXT] if isinstance(left, str) else str(left)
    return safe_regex.search(str(right), text)


@dataclass(frozen=True)
class Operator:
    symbol: str
    says: str  # in plain words, for the studio's dropdown
    kinds: tuple[str, ...]  # kinds of left value it means something for
    test: Callable[[object, object], bool]  # on resolved values; None never reaches it
    orders: bool = False  # compares order: numbers and dates, never nodes or plain text
    right_text: bool = False  # the right side must be a quoted text
    pattern: bool = False  # the right side is a regular expression (checked by reasoning.safe_regex)
    # whether some value in [lo, hi] can make 'value op c' true (the linter's range check); None: always
    reachable: Callable[[object, object, object], bool] | None = None

    @property
    def word(self) -> bool:
        return self.symbol.isalpha()


OPERATORS: dict[str, Operator] = {op.symbol: op for op in (
    Operator("==", "is", KINDS, _same, reachable=lambda lo, hi, c: lo <= c <= hi),
    Operator("!=", "is not", KINDS, lambda a, b: not _same(a, b)),
    Operator("<=", "is at most", ("number", "date"), _order(lambda a, b: a <= b), orders=True,
             reachable=lambda lo, hi, c: lo <= c),
    Operator(">=", "is at least", ("number", "date"), _order(lambda a, b: a >= b), orders=True,
             reachable=lambda lo, hi, c: hi >= c),
    Operator("<", "is below", ("number", "date"), _order(lambda a, b: a < b), orders=True,
             reachable=lambda lo, hi, c: lo < c),
    Operator(">", "is above", ("number", "date"), _order(lambda a, b: a > b), orders=True,
             reachable=lambda lo, hi, c: hi > c),
    Operator("contains", "contains the text", ("node", "text"),
             lambda a, b: str(b).casefold() in str(a).casefold(), right_text=True),
    Operator("matches", "matches the pattern", ("node", "text"), _matches, right_text=True, pattern=True),
)}

# left operand, operator, right operand; two-character symbols are tried before one-character ones
PATTERN = re.compile(r"^\s*(.+?)\s*(" + "|".join(
    rf"\b{re.escape(s)}\b" if OPERATORS[s].word else re.escape(s)
    for s in sorted(OPERATORS, key=lambda s: (not OPERATORS[s].word, -len(s)))) + r")\s*(.+?)\s*$")


def holds(op: str, left: object, right: object) -> bool:
    """Whether ``left op right`` holds for two resolved values; a missing value (None) never does."""
    if left is None or right is None:
        return False
    return OPERATORS[op].test(left, right)


def table() -> list[dict[str, object]]:
    """The operators as data (the studio's dropdowns, ``whyrec rules vocab --json``)."""
    return [{"symbol": o.symbol, "says": o.says, "kinds": list(o.kinds), "orders": o.orders,
             "right_text": o.right_text} for o in OPERATORS.values()]
