"""Cell values of tables as RDF terms: literals by datatype, IRIs an RDF parser accepts."""
from __future__ import annotations

import re
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
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")  # a BCP 47 tag, as N-Triples allows


def _literal(value: str, dtype: str | None, where: Where, lang: str | None = None) -> str:
    if dtype is not None and dtype not in DATATYPES:
        raise KGError("K020", f"unknown datatype {dtype!r}", where, f"use one of {', '.join(DATATYPES)}")
    iri = DATATYPES.get(dtype or "string")
    if iri in (XSD + "decimal", XSD + "double", XSD + "integer"):
        cleaned = value.strip().lstrip("$€£").replace(",", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise KGError("K023", f"{value[:40]!r} is not a number", where, "write numbers like 12.50") from None
        if not number.is_finite():
            raise KGError("K023", f"{value[:40]!r} is not a finite number", where)
        if iri == XSD + "integer" and number == number.to_integral():
            if number.adjusted() >= MAX_DIGITS:
                raise KGError("K023", f"{value[:40]!r} has more than {MAX_DIGITS:,} digits", where)
            # not int(): Python refuses to write an int of over 4,300 digits as text
            value = "0" if number.is_zero() else format(number.to_integral_value(), "f")
        else:
            value = cleaned
    elif iri == XSD + "boolean":
        low = value.strip().lower()
        if low not in ("true", "false", "1", "0", "yes", "no"):
            raise KGError("K023", f"{value[:40]!r} is not true/false", where)
        value = "true" if low in ("true", "1", "yes") else "false"
    try:
        return T.literal(value, iri, lang)
    except KGError as exc:
        raise KGError(exc.code, exc.message, where) from None


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
