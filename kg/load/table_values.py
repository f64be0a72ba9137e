"""Table cells as typed RDF literals, read strictly: a value is what it says, or an error.

Every guess a lenient reader makes is a silent wrong answer somewhere later: "12,50" read as 1250
(a decimal comma taken for a thousands separator), "1e3" or Arabic-Indic digits read as numbers
nobody wrote, "2023-02-30" kept as a date, a Unix timestamp or "yesterday" in a date column. So:

* numbers use ASCII digits, an optional sign, a currency sign in front, commas only between
  groups of three digits (``1,250.50``), a point for decimals; exponents only in ``double``;
* integers are whole (``12.5`` in an integer column is an error, not a truncation);
* dates are ``YYYY-MM-DD`` on the calendar; date-times ISO 8601 (``2023-02-01T10:30:00Z``).

>>> literal_term("1,250.50", "decimal", None)
'"1250.50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
>>> literal_term("12,50", "decimal", None)
Traceback (most recent call last):
...
kg.errors.InputError: K023 '12,50' is not a number as written; a comma may only separate groups of three digits (1,250.50); write a decimal point (12.50)
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from functools import lru_cache

import pyoxigraph as ox

from kg import terms as T
from kg.errors import KGError, Where

XSD = T.XSD
DATATYPES = {"string": None, "text": None, "decimal": XSD + "decimal", "number": XSD + "decimal",
             "integer": XSD + "integer", "double": XSD + "double", "boolean": XSD + "boolean",
             "date": XSD + "date", "datetime": XSD + "dateTime"}
MAX_DIGITS = 100_000  # an integer cell "1e999999999" would take minutes to write out in full
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?|[+-]?INF|NaN")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
                       r"(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_CURRENCY = "$€£¥"
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")  # a BCP 47 tag, as N-Triples allows
# a language as a mapping's key names it (label: {en: ..}, audience: {zh: ..}): a 2-3 letter code and
# subtags, so a language's name ("chinese") is refused rather than written as a tag nobody asks for
LANG_KEY = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")


def literal_term(value: str, dtype: str | None, where: Where | None, lang: str | None = None) -> str:
    """The N-Triples literal of one cell under the mapping's ``datatype`` (K020 / K023 with ``where``)."""
    if dtype is not None and dtype not in DATATYPES:
        raise KGError("K020", f"unknown datatype {dtype!r}", where, f"use one of {', '.join(DATATYPES)}")
    iri = DATATYPES.get(dtype or "string")
    if iri in (XSD + "decimal", XSD + "integer"):
        value = _number(value, iri == XSD + "integer", where)
    elif iri == XSD + "double":
        cleaned = value.strip()
        if not _DOUBLE.fullmatch(cleaned):
            raise KGError("K023", f"{value[:40]!r} is not a number", where, "write numbers like 12.5 or 1.2e3")
        value = cleaned
    elif iri == XSD + "boolean":
        low = value.strip().lower()
        if low not in ("true", "false", "1", "0", "yes", "no"):
            raise KGError("K023", f"{value[:40]!r} is not true/false", where)
        value = "true" if low in ("true", "1", "yes") else "false"
    elif iri == XSD + "date":
        value = _date(value.strip(), where)
    elif iri == XSD + "dateTime":
        value = _datetime(value.strip(), where)
    try:
        return T.literal(value, iri, lang)
    except KGError as exc:
        raise KGError(exc.code, exc.message, where) from None


def _number(value: str, whole: bool, where: Where | None) -> str:
    cleaned = value.strip()
    if cleaned[:1] in _CURRENCY:
        cleaned = cleaned[1:].lstrip()
    if not cleaned or not _NUMBER.fullmatch(cleaned) or not any(c.isdigit() for c in cleaned):
        if any(c.isdigit() and not "0" <= c <= "9" for c in cleaned):
            hint = "write digits 0-9"
        elif re.fullmatch(r"[+-]?[0-9.,]*[eE][+-]?[0-9]+", cleaned):
            hint = "write the number out (1000, not 1e3), or give the column datatype: double"
        elif "," in cleaned:
            return _comma(value, where)
        else:
            hint = "write numbers like 12.50 or 1,250"
        raise KGError("K023", f"{value[:40]!r} is not a number", where, hint)
    cleaned = cleaned.replace(",", "")
    if not whole:
        return cleaned
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise KGError("K023", f"{value[:40]!r} is not a number", where) from None
    if number != number.to_integral_value():
        raise KGError("K023", f"{value[:40]!r} is not a whole number", where,
                      "an integer column holds whole numbers; use datatype: decimal for 12.5")
    if number.adjusted() >= MAX_DIGITS:
        raise KGError("K023", f"{value[:40]!r} has more than {MAX_DIGITS:,} digits", where)
    # not int(): Python refuses to write an int of over 4,300 digits as text
    return "0" if number.is_zero() else format(number.to_integral_value(), "f")


def _comma(value: str, where: Where | None) -> str:
    raise KGError("K023", f"{value[:40]!r} is not a number as written", where,
                  "a comma may only separate groups of three digits (1,250.50); write a decimal point (12.50)")


def _date(value: str, where: Where | None) -> str:
    m = _DATE.fullmatch(value)
    try:
        if m is None:
            raise ValueError
        date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        hint = ("a Unix timestamp is not a date: convert it to YYYY-MM-DD" if value.isdigit() else
                "write dates as YYYY-MM-DD, on the calendar (2023-02-28)")
        raise KGError("K023", f"{value[:40]!r} is not a date", where, hint) from None
    return value


def _datetime(value: str, where: Where | None) -> str:
    try:
        if not _DATETIME.fullmatch(value):
            raise ValueError
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise KGError("K023", f"{value[:40]!r} is not a date and time", where,
                      "write ISO 8601: 2023-02-01T10:30:00Z (a Unix timestamp is not one)") from None
    return value


def _literal(value: str, dtype: str | None, where: Where, lang: str | None = None) -> str:
    return literal_term(value, dtype, where, lang)


def _iri(value: str, where: Where | None = None, hint: str | None = None) -> str:
    """``value`` as an IRI term, if RDF parsers accept it: T.iri checks characters only, and a graph
    holding an IRI such as ``http://x/%zz`` would save but never load again."""
    term = T.iri(value, where)
    if not _parsable_iri(value):
        raise KGError("K051", f"invalid IRI {value[:80]!r}", where, hint or "an RDF parser would refuse it: "
                      "% must start a %XX escape, '#' may appear once, [ ] only around an IPv6 host")
    return term


@lru_cache(maxsize=4096)
def _parsable_iri(value: str) -> bool:
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True
