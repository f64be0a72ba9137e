"""Amazon Review Data (2018): a reviews file (``*_5.json.gz``) plus its ``meta_*.json.gz``.

What becomes of a review line:

- ``user/{reviewerID}`` (a ``wr:User``; never a name: reviewerName and reviewText are not
  read) and ``product/{asin}`` (a ``schema:Product``: the catalog is the reviewed items);
- ``user purchased product`` (a review implies an interaction) with its date and
  ``verified`` flag, and ``user rated product`` with score, summary and date, as values on
  those facts (reified statements, like the table loader's);
- a user who reviewed one item twice keeps the latest review (by ``unixReviewTime``; on a
  tie the later line), since a graph holds one ``rated`` fact per user and item.

The metadata adds, for reviewed items only: a display name (kg/load/amazon_names.py), the
brand (publisher) with spellings merged (kg/load/amazon_brands.py), the most specific
category with its chain of parents, the price, and ``also_bought`` / ``also_viewed``
edges. Targets of those edges outside the catalog are untyped nodes (labelled when the
metadata describes them), so ``items()`` stays the reviewed catalog.
"""
from __future__ import annotations

import hashlib
import html
import os
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from kg import terms as T
from kg.build import GraphBuilder
from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.roles import Roles
from kg.load.amazon_brands import Brands, resolve_brands, short_brand, slug
from kg.load.amazon_meta import Meta, category_path, parse_price, read_meta
from kg.load.amazon_names import display_name
from kg.load.amazon_read import bool_field, int_field, json_lines, number_field, text_field
from kg.vocab import DEFAULT_CLASSES, DEFAULT_RELATIONS, RDF, RDF_TYPE, SCHEMA

NS = "https://id.whyrec.dev/amazon/"
SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz")
_REL = {r.name: f"<{r.iri}>" for r in DEFAULT_RELATIONS}  # the vocabulary's IRIs, never spelled twice
_CLS = {c.name: f"<{c.iri}>" for c in DEFAULT_CLASSES}
TYPE, NAME = f"<{RDF_TYPE}>", f"<{SCHEMA}name>"
USER, PRODUCT, BRAND, CATEGORY = _CLS["User"], _CLS["Product"], _CLS["Brand"], _CLS["Category"]
PURCHASED, RATED, HAS_BRAND, IN_CATEGORY, PARENT = (_REL[k] for k in ("purchased", "rated", "brand", "category", "parent"))
ALSO = {"also_buy": _REL["also_bought"], "also_view": _REL["also_viewed"]}
PRICE, SCORE, SUMMARY, DATE, VERIFIED = (_REL[k] for k in ("price", "score", "summary", "date", "verified"))
XSD = T.XSD


@dataclass(frozen=True)
class Review:
    user: str
    asin: str
    score: float
    summary: str
    time: int | None  # unixReviewTime, seconds
    verified: bool | None
    line: int


def find_amazon_files(folder: str | os.PathLike[str]) -> tuple[Path, Path | None] | None:
    """(reviews file, meta file or None) in a folder, or None when it holds no Amazon data.

    A reviews file is any ``*.json(.gz)`` not named ``meta_*`` when a ``meta_*`` file is
    beside it; alone, it must be named like the 5-core files (``*_5.json.gz``), so that a
    folder of other JSON is not mistaken for reviews.
    """
    folder = Path(folder)
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.name.lower().endswith(SUFFIXES))
    metas = [f for f in files if f.name.lower().startswith("meta_")]
    reviews = [f for f in files if f not in metas]
    if not metas:
        core = [f for f in reviews if _stem(f).endswith("_5")]
        if len(core) > 1:
            raise _ambiguous(folder, core)
        return (core[0], None) if core else None
    pairs = [(r, m) for m in metas for r in reviews if _stem(r) in (_stem(m)[5:], _stem(m)[5:] + "_5")]
    if len(pairs) == 1:
        return pairs[0]
    if not pairs and len(reviews) == 1 and len(metas) == 1:
        return reviews[0], metas[0]
    if not pairs and not reviews:
        raise KGError("K030", f"{metas[0].name} has no reviews file beside it", Where(str(folder)))
    raise _ambiguous(folder, [r for r, _ in pairs] or reviews)


def _stem(f: Path) -> str:
    name = f.name
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _ambiguous(folder: Path, files: list[Path]) -> KGError:
    names = ", ".join(f.name for f in files[:4])
    return KGError("K030", f"several Amazon review files ({names})", Where(str(folder)),
                   "keep one category per folder: its reviews file and its meta_*.json.gz")


def load_amazon(reviews_path: str | os.PathLike[str], meta_path: str | os.PathLike[str] | None = None,
                roles: Roles | None = None) -> KnowledgeGraph:
    """Load reviews (and metadata when given); any bad line raises KGError and yields nothing.
    The people are "shoppers" unless ``roles`` say otherwise."""
    reviews_path = Path(reviews_path)
    for p in (reviews_path, meta_path):
        if p is not None and not Path(p).is_file():
            raise KGError("K001", f"{str(p)!r} is not a file", Where(str(p)))
    kept = latest_reviews(read_reviews(reviews_path))
    if not kept:
        raise KGError("K030", "the reviews file holds no reviews", Where(str(reviews_path)))
    builder = GraphBuilder(str(reviews_path))
    builder.roles = (roles or Roles()).over(Roles(audience="shoppers"))
    for r in kept:
        _add_review(builder, r)
    if meta_path is not None:
        catalog = sorted({r.asin for r in kept})
        add_metadata(builder, catalog, read_meta(Path(meta_path)))
    return builder.build()


def read_reviews(path: Path) -> list[Review]:
    """Every review line, checked; reviewerName and reviewText are never read."""
    out = []
    for n, obj in json_lines(path):
        out.append(Review(text_field(obj, "reviewerID", path, n, required=True),
                          text_field(obj, "asin", path, n, required=True),
                          number_field(obj, "overall", path, n), text_field(obj, "summary", path, n),
                          int_field(obj, "unixReviewTime", path, n), bool_field(obj, "verified", path, n), n))
        _date(out[-1], path)  # a timestamp out of range fails here, with its line
    return out


def latest_reviews(reviews: list[Review]) -> list[Review]:
    """One review per (user, item): the latest by time, the later line on a tie."""
    best: dict[tuple[str, str], Review] = {}
    for r in reviews:
        key = (r.user, r.asin)
        old = best.get(key)
        if old is None or (r.time or -1, r.line) >= (old.time or -1, old.line):
            best[key] = r
    return sorted(best.values(), key=lambda r: r.line)


def _date(r: Review, path: Path | None = None) -> str | None:
    if r.time is None:
        return None
    try:
        return datetime.fromtimestamp(r.time, timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        raise KGError("K032", f"unixReviewTime {r.time} is not a date", Where(str(path) if path else None, r.line)) from None


def _statement(b: GraphBuilder, s: str, p: str, o: str, values: list[tuple[str, str]]) -> None:
    """Values on the fact ``s p o``, as a reified statement with a deterministic IRI."""
    if not values:
        return
    stmt = f"<{NS}fact/{hashlib.sha1(f'{s} {p} {o}'.encode()).hexdigest()[:20]}>"
    b.add(stmt, f"<{RDF}subject>", s)
    b.add(stmt, f"<{RDF}predicate>", p)
    b.add(stmt, f"<{RDF}object>", o)
    for rel, value in values:
        b.add(stmt, rel, value)


def _add_review(b: GraphBuilder, r: Review) -> None:
    user, item = T.mint(NS, "user", r.user), T.mint(NS, "product", r.asin)
    b.add(user, TYPE, USER)
    b.add(item, TYPE, PRODUCT)
    date = _date(r)
    date_value = [(DATE, T.literal(date, XSD + "date"))] if date else []
    b.add(user, PURCHASED, item)
    verified = [(VERIFIED, T.literal("true" if r.verified else "false", XSD + "boolean"))] if r.verified is not None else []
    _statement(b, user, PURCHASED, item, date_value + verified)
    b.add(user, RATED, item)
    score = format(Decimal(repr(r.score)).normalize(), "f")
    summary = display_text(r.summary)
    _statement(b, user, RATED, item, [(SCORE, T.literal(score, XSD + "decimal"))] + date_value
               + ([(SUMMARY, T.literal(summary))] if summary else []))


def display_text(raw: str) -> str:
    """A review summary as plain text: entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(raw).split())


def add_metadata(b: GraphBuilder, catalog: list[str], meta: dict[str, Meta]) -> None:
    """Names, brands, categories, prices and also-bought/viewed edges of the catalog's items."""
    brands = resolve_brands(Counter(m.brand for m in meta.values()))
    in_catalog = set(catalog)
    category_votes: dict[str, Counter[str]] = {}
    targets: set[str] = set()
    for asin in catalog:
        m = meta.get(asin)
        if m is None:
            continue
        item = T.mint(NS, "product", asin)
        brand = brands.resolve(m.brand)
        if brand:
            node = T.mint(NS, "brand", brand[0])
            b.add(node, TYPE, BRAND)
            b.add(item, HAS_BRAND, node)
        path = category_path(m.category)
        keys = ["/".join(slug(s) for s in path[:i + 1]) for i in range(len(path))]
        for i, key in enumerate(keys):
            category_votes.setdefault(key, Counter())[path[i]] += 1
            b.add(T.mint(NS, "category", key), TYPE, CATEGORY)
            if i:
                b.add(T.mint(NS, "category", key), PARENT, T.mint(NS, "category", keys[i - 1]))
        if keys:
            b.add(item, IN_CATEGORY, T.mint(NS, "category", keys[-1]))
        price = parse_price(m.price)
        if price:
            b.add(item, PRICE, T.literal(price, XSD + "decimal"))
        for field, rel in ALSO.items():
            for other in getattr(m, field):
                if other != asin:
                    b.add(item, rel, T.mint(NS, "product", other))
                    targets.add(other)
    for key, votes in category_votes.items():  # one label per category: its most common spelling
        b.add(T.mint(NS, "category", key), NAME, T.literal(min(votes, key=lambda s: (-votes[s], s))))
    for label in {brands.resolve(meta[a].brand) for a in catalog if a in meta} - {None}:
        b.add(T.mint(NS, "brand", label[0]), NAME, T.literal(label[1]))
    described = [a for a in catalog if a in meta] + sorted(a for a in targets - in_catalog if a in meta)
    for asin, name in unique_names(described, meta, brands).items():
        b.add(T.mint(NS, "product", asin), NAME, T.literal(name))


def unique_names(asins: list[str], meta: dict[str, Meta], brands: Brands) -> dict[str, str]:
    """Display names in ``asins`` order; a name already given gets the ASIN appended."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for asin in asins:
        m = meta[asin]
        brand = brands.resolve(m.brand)
        path = category_path(m.category) or ([m.main_cat] if m.main_cat else [])
        name = display_name(m.title, list(m.description), short_brand(brand[1]) if brand else "", path)
        if not name:
            continue
        if name.casefold() in taken:
            name = f"{name} ({asin})"
        taken.add(name.casefold())
        names[asin] = name
    return names
