"""The default e-commerce vocabulary, aligned with schema.org where a term exists.

Each relation has a short ``name`` (what rule authors write), an IRI, a human
``label``, an ``inverse`` label and ``phrases`` (first one canonical) so that
later layers can speak about it. A graph's vocabulary starts from these and
adds every predicate found in the data: nothing may assume the fixed list.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

WR = "https://whyrec.dev/ns#"
SCHEMA = "https://schema.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

RDF_TYPE = RDF + "type"
LABEL_PREDICATES = (SCHEMA + "name", RDFS + "label", "http://schema.org/name", SKOS + "prefLabel")
# Reified statements (rdf:subject/predicate/object) carry values of one fact,
# e.g. the score of a rating or the date of a purchase.
REIFY = (RDF + "subject", RDF + "predicate", RDF + "object")
# Annotations that describe a relation itself, so a shop's data can name its own relations.
ANNOTATION_LABEL, ANNOTATION_INVERSE, ANNOTATION_PHRASE = WR + "label", WR + "inverseLabel", WR + "phrase"
# A value relation's unit ("ml") or ISO 4217 currency ("EUR"), as a mapping declares it.
ANNOTATION_UNIT, ANNOTATION_CURRENCY = WR + "unit", WR + "currency"
ANNOTATIONS = (ANNOTATION_LABEL, ANNOTATION_INVERSE, ANNOTATION_PHRASE, ANNOTATION_UNIT, ANNOTATION_CURRENCY)


@dataclass(frozen=True)
class Relation:
    """A relation a rule can walk (``kind='node'``) or read (``kind='literal'``)."""

    name: str
    iri: str
    label: str
    inverse: str
    phrases: tuple[str, ...]
    kind: str = "node"  # "node": object is a node; "literal": object is a value
    domain: str | None = None  # class name, for documentation and `rules vocab`
    range: str | None = None
    unit: str | None = None  # values of this relation are in this unit ("ml", "stars")
    currency: str | None = None  # ... or amounts of this ISO 4217 currency ("EUR")
    langs: tuple[tuple[str, "RelationWords"], ...] = ()  # (tag, words) in other languages, as a catalog says them

    @property
    def phrase(self) -> str:
        return self.phrases[0]

    def words_in(self, lang: str) -> "RelationWords | None":
        """How the catalog says this relation in ``lang`` (a form of the same language counts:
        zh-cn finds zh); None when it says nothing in that language."""
        lang = lang.lower()
        have = dict(self.langs)
        exact = [t for t in (lang, lang.split("-")[0]) if t in have]
        same = sorted(t for t in have if t.split("-")[0] == lang.split("-")[0])
        tag = (exact or same or [None])[0]
        return have[tag] if tag else None


@dataclass(frozen=True)
class RelationWords:
    """A relation's label, inverse label and phrases in one language (empty: not given)."""

    label: str = ""
    inverse: str = ""
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Class:
    name: str
    iri: str
    label: str
    parent: str | None = None


def _r(name: str, iri: str, label: str, inverse: str, phrases: tuple[str, ...], kind: str = "node",
       domain: str | None = None, range_: str | None = None) -> Relation:
    return Relation(name, iri, label, inverse, phrases, kind, domain, range_)


DEFAULT_RELATIONS: tuple[Relation, ...] = (
    _r("purchased", WR + "purchased", "purchased", "purchased by", ("bought", "purchased", "ordered", "picked up"), domain="User", range_="Product"),
    _r("rated", WR + "rated", "rated", "rated by", ("rated", "gave a rating to", "scored"), domain="User", range_="Product"),
    _r("viewed", WR + "viewed", "viewed", "viewed by", ("looked at", "viewed", "browsed"), domain="User", range_="Product"),
    _r("reviewed", WR + "reviewed", "reviewed", "reviewed by", ("reviewed", "wrote about"), domain="User", range_="Product"),
    _r("prefers", WR + "prefers", "prefers", "preferred by", ("prefer", "like", "told us you like", "chose"), domain="User"),
    _r("brand", SCHEMA + "brand", "brand", "brand of", ("is made by", "is from", "is by", "comes from"), domain="Product", range_="Brand"),
    _r("category", SCHEMA + "category", "category", "category of", ("is in", "belongs to", "is a kind of"), domain="Product", range_="Category"),
    _r("parent", SKOS + "broader", "parent category", "subcategory", ("is part of", "falls under", "sits within"), domain="Category", range_="Category"),
    _r("ingredient", WR + "ingredient", "ingredient", "ingredient of", ("contains", "is made with", "has"), domain="Product", range_="Ingredient"),
    _r("material", SCHEMA + "material", "material", "material of", ("is made of", "uses"), domain="Product", range_="Material"),
    _r("colour", SCHEMA + "color", "colour", "colour of", ("comes in", "has the colour", "is in the shade"), domain="Product", range_="Colour"),
    _r("finish", WR + "finish", "finish", "finish of", ("has a finish of", "gives a finish of", "leaves a finish of"), domain="Product", range_="Finish"),
    _r("suits", WR + "suitableFor", "suitable for", "suited by", ("suits", "is suitable for", "is made for", "works for"), domain="Product", range_="SkinType"),
    _r("claim", WR + "claim", "claim", "claim of", ("is", "is certified", "is labelled"), domain="Product", range_="Claim"),
    _r("also_bought", WR + "alsoBought", "also bought", "also bought with", ("is often bought with", "shoppers also bought", "is also bought with"), domain="Product", range_="Product"),
    _r("also_viewed", WR + "alsoViewed", "also viewed", "also viewed with", ("is often viewed with", "shoppers also viewed", "is also viewed with"), domain="Product", range_="Product"),
    _r("bought_together", WR + "boughtTogether", "bought together", "bought together with", ("is bought together with", "goes with", "pairs with"), domain="Product", range_="Product"),
    _r("price", SCHEMA + "price", "price", "price of", ("costs", "is priced at"), "literal", "Product", "number"),
    _r("budget", WR + "budget", "budget", "budget of", ("your budget is", "a budget of"), "literal", "User", "number"),
    _r("size", SCHEMA + "size", "size", "size of", ("comes in a size of", "is sized"), "literal", "Product", "text"),
    _r("score", WR + "score", "score", "score of", ("a score of", "stars"), "literal", None, "number"),
    _r("summary", WR + "summary", "summary", "summary of", ("summed up as",), "literal", None, "text"),
    _r("date", WR + "date", "date", "date of", ("on",), "literal", None, "date"),
    _r("verified", WR + "verified", "verified", "verified", ("a verified purchase",), "literal", None, "boolean"),
)

DEFAULT_CLASSES: tuple[Class, ...] = (
    Class("User", WR + "User", "user"),
    Class("Product", SCHEMA + "Product", "product"),
    Class("Brand", SCHEMA + "Brand", "brand"),
    Class("Category", WR + "Category", "category"),
    Class("AttributeValue", WR + "AttributeValue", "attribute value"),
    Class("Ingredient", WR + "Ingredient", "ingredient", "AttributeValue"),
    Class("Material", WR + "Material", "material", "AttributeValue"),
    Class("Colour", WR + "Colour", "colour", "AttributeValue"),
    Class("Finish", WR + "Finish", "finish", "AttributeValue"),
    Class("SkinType", WR + "SkinType", "skin type", "AttributeValue"),
    Class("Claim", WR + "Claim", "claim", "AttributeValue"),
)

USER_CLASS = WR + "User"
ITEM_CLASS = SCHEMA + "Product"


def words(iri_or_name: str) -> str:
    """A readable label from an IRI's local name: ``alsoBought`` -> ``also bought``."""
    local = re.split(r"[/#:]", iri_or_name.rstrip("/#"))[-1]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ")
    return spaced.lower().strip() or local


def snake(iri_or_name: str) -> str:
    return words(iri_or_name).replace(" ", "_")


@dataclass(frozen=True)
class Vocabulary:
    """Relations and classes known to one graph, looked up by name or IRI."""

    relations: tuple[Relation, ...]
    classes: tuple[Class, ...] = DEFAULT_CLASSES
    _by_name: dict[str, Relation] = field(init=False, repr=False, compare=False)
    _by_iri: dict[str, Relation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {r.name: r for r in self.relations})
        object.__setattr__(self, "_by_iri", {r.iri: r for r in self.relations})

    def get(self, name: str) -> Relation | None:
        return self._by_name.get(name) or self._by_iri.get(name)

    def by_iri(self, iri: str) -> Relation | None:
        return self._by_iri.get(iri)

    def names(self) -> list[str]:
        return [r.name for r in self.relations]

    def suggest(self, name: str) -> str | None:
        close = difflib.get_close_matches(name, self.names(), n=1, cutoff=0.6)
        return close[0] if close else None

    def class_name(self, iri: str) -> str:
        for c in self.classes:
            if c.iri == iri:
                return c.name
        return words(iri).title().replace(" ", "")


def default_vocabulary() -> Vocabulary:
    return Vocabulary(DEFAULT_RELATIONS)


def relation_for(iri: str, kind: str, taken: set[str], label: str | None = None,
                 inverse: str | None = None, phrases: tuple[str, ...] = (), unit: str | None = None,
                 currency: str | None = None, langs: tuple[tuple[str, RelationWords], ...] = ()) -> Relation:
    """A relation for a predicate the default vocabulary does not know."""
    known = {r.iri: r for r in DEFAULT_RELATIONS}.get(iri)
    if known is not None:
        rel = known if known.kind == kind else replace(known, kind=kind)
    else:
        name = snake(iri)
        if name in taken:  # same local name in another namespace: keep both, distinctly
            base, n = name, 2
            while f"{base}_{n}" in taken:
                n += 1
            name = f"{base}_{n}"
        text = words(iri)
        rel = Relation(name, iri, text, f"{text} of", (text,), kind)
    if label or inverse or phrases:
        rel = replace(rel, label=label or rel.label, inverse=inverse or rel.inverse,
                      phrases=phrases or rel.phrases)
    if unit or currency:
        rel = replace(rel, unit=unit, currency=currency)
    if langs:
        rel = replace(rel, langs=langs)
    return rel
