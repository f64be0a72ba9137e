"""Item metadata (``meta_*.json.gz``): one record per ASIN, prices, category paths.

The 2018 release repeats rows (3,385 lines for 2,320 Magazine ASINs). We keep the first
row of each ASIN and fill only its *empty* fields from later rows, in file order, so the
result never depends on anything but the file. Metadata is decoration: a field of the
wrong type is treated as absent, while a line that is not a JSON object, or has no
``asin``, is an error.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import KGError, Where
from kg.load.amazon_read import json_lines

MAX_PARAGRAPHS = 2  # description paragraphs kept (names come from the first ones)
MAX_PARAGRAPH = 5000  # characters kept of each
_PRICE = re.compile(r"\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*")


@dataclass(frozen=True)
class Meta:
    asin: str
    title: str = ""
    brand: str = ""  # the brand field, or details["Publisher:"] when that is empty
    main_cat: str = ""
    category: tuple[str, ...] = ()
    description: tuple[str, ...] = ()
    price: str = ""
    also_buy: tuple[str, ...] = ()
    also_view: tuple[str, ...] = ()


def read_meta(path: Path) -> dict[str, Meta]:
    """Every ASIN's merged record."""
    records: dict[str, Meta] = {}
    for n, obj in json_lines(path):
        asin = obj.get("asin")
        if not isinstance(asin, str) or not asin.strip():
            raise KGError("K032", "metadata line without 'asin'", Where(str(path), n),
                          "every meta_*.json line needs the item's ASIN")
        record = _record(asin.strip(), obj)
        old = records.get(record.asin)
        records[record.asin] = record if old is None else _fill(old, record)
    return records


def _fill(old: Meta, new: Meta) -> Meta:
    """``old`` with its empty fields taken from ``new``: the first non-empty value wins."""
    changes = {f: getattr(new, f) for f in old.__dataclass_fields__ if not getattr(old, f) and getattr(new, f)}
    return replace(old, **changes) if changes else old


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())


def _record(asin: str, obj: dict) -> Meta:
    details = obj.get("details") if isinstance(obj.get("details"), dict) else {}
    brand = _text(obj.get("brand")) or _text(details.get("Publisher:")) or _text(details.get("Publisher"))
    paragraphs = tuple(p[:MAX_PARAGRAPH] for p in _texts(obj.get("description"))[:MAX_PARAGRAPHS])
    return Meta(asin, _text(obj.get("title")), brand, _text(obj.get("main_cat")), _texts(obj.get("category")),
                paragraphs, _text(obj.get("price")), _texts(obj.get("also_buy")), _texts(obj.get("also_view")))


def parse_price(raw: str) -> str | None:
    """``"$1,250.00"`` -> ``"1250.00"``; empty, ranges ("$5 - $10") and page debris -> None."""
    if not raw or len(raw) > 40:
        return None
    m = _PRICE.fullmatch(raw)
    if not m:
        return None
    text = m.group(1).replace(",", "") + (m.group(2) or "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return text if value.is_finite() and value > 0 else None


def category_path(raw: tuple[str, ...]) -> list[str]:
    """Root-first segments, entities decoded (``&amp;`` -> ``&``), blanks and repeats dropped.

    Gift Cards say ``["Gift Cards", "Gift Cards"]``: a repeated segment is one category.
    """
    path: list[str] = []
    for segment in raw:
        text = " ".join(html.unescape(html.unescape(segment)).split())
        if not text or len(text) > 200 or "<" in text:
            continue
        if path and path[-1].casefold() == text.casefold():
            continue
        path.append(text)
    return path
