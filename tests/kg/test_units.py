"""``unit:`` and ``currency:`` in a mapping: declared per value relation, kept by a saved graph."""
from __future__ import annotations

import pytest

from kg import load_graph
from kg.errors import KGError

MAPPING = """\
nodes:
  - file: products.csv
    type: Product
    id: id
    columns:
      price: {relation: price, datatype: decimal, currency: EUR}
      volume: {relation: volume, datatype: decimal, unit: ml}
      brand: {relation: brand, type: Brand}
facts:
  - file: rated.csv
    subject: {column: user, type: User}
    relation: rated
    object: {column: item, type: Product}
    values:
      score: {column: stars, datatype: decimal, unit: stars}
"""


def shop(tmp_path, mapping=MAPPING):
    (tmp_path / "whyrec.yaml").write_text(mapping)
    (tmp_path / "products.csv").write_text("id,price,volume,brand\np1,12.50,30,lumiere\n")
    (tmp_path / "rated.csv").write_text("user,item,stars\nu1,p1,5\n")
    return tmp_path / "whyrec.yaml"


def test_units_and_currencies_reach_the_vocabulary_and_survive_a_save(tmp_path) -> None:
    g = load_graph(shop(tmp_path))
    got = {r.name: (r.unit, r.currency) for r in g.vocab.relations if r.unit or r.currency}
    assert got == {"price": (None, "EUR"), "volume": ("ml", None), "score": ("stars", None)}
    assert g.relation("brand").unit is None and g.relation("brand").currency is None
    g.save(str(tmp_path / "g.nt"))
    again = load_graph(tmp_path / "g.nt")
    assert {r.name: (r.unit, r.currency) for r in again.vocab.relations if r.unit or r.currency} == got
    assert again.values(again.node("p1"), "price") == [12.5]  # annotations are not facts of the product


@pytest.mark.parametrize("column,message", [
    ("{relation: price, datatype: decimal, currency: euro}", "not an ISO 4217 currency code"),
    ("{relation: price, datatype: decimal, currency: EUR, unit: ml}", "a unit or a currency, not both"),
    ("{relation: brand, type: Brand, unit: ml}", "needs a value column"),
    ('{relation: price, datatype: decimal, unit: "a\\nb"}', "is not a unit"),
    ("{relation: price, datatype: decimal, units: ml}", "unknown key 'units'"),
])
def test_a_bad_unit_stops_the_load_with_its_place(tmp_path, column, message) -> None:
    mapping = MAPPING.replace("{relation: price, datatype: decimal, currency: EUR}", column)
    with pytest.raises(KGError) as err:
        load_graph(shop(tmp_path, mapping))
    assert message in str(err.value) and err.value.where.line == 6
