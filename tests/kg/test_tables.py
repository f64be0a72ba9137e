import pytest

from kg import load_graph
from kg.errors import KGError

MAPPING = """\
namespace: https://id.example.com/shop/
relations:
  targets: {label: targets, inverse: targeted by, phrases: [targets, is made to fight]}
nodes:
  - file: products.csv
    type: Product
    id: id
    label: name
    columns:
      brand: {relation: brand, type: Brand}
      price: {relation: price, datatype: decimal}
      concerns: {relation: targets, type: Concern, split: "|"}
facts:
  - file: bought.jsonl
    subject: {column: user, type: User}
    relation: purchased
    object: {column: item, type: Product}
    values:
      date: {column: when, datatype: date}
"""


def shop(tmp_path, products=None, bought=None, mapping=MAPPING):
    (tmp_path / "whyrec.yaml").write_text(mapping)
    default = "\n".join(["id,name,brand,price,concerns", 'p 1,"Serum ""Glow""",Lumière,$12.50,acne|dullness',
                          "p2,Cream,Lumière,,dullness", ""])
    (tmp_path / "products.csv").write_text(products if products is not None else default, encoding="utf-8")
    (tmp_path / "bought.jsonl").write_text(bought if bought is not None else
                                           '{"user": "u 1", "item": "p 1", "when": "2024-05-01"}\n')
    return tmp_path


def test_a_shop_loads_with_custom_relations_and_fact_values(tmp_path):
    g = load_graph(shop(tmp_path))
    p1 = g.node("p 1")
    assert g.label(p1) == 'Serum "Glow"'
    assert g.values(p1, "price") == [12.5]
    assert sorted(g.label(n) for n in g.neighbors(p1, "targets")) == ["acne", "dullness"]
    rel = g.relation("targets")
    assert (rel.label, rel.inverse, rel.phrases) == ("targets", "targeted by", ("targets", "is made to fight"))
    purchased = g.edges("purchased")
    assert purchased.texts["date"][purchased.edge_id(g.node("u 1"), p1)] == "2024-05-01"
    assert list(g.users()) == ["u 1"]


def test_ids_with_spaces_and_quotes_survive_save_and_reload(tmp_path):
    g = load_graph(shop(tmp_path))
    g.save(tmp_path / "out.nt")
    again = load_graph(tmp_path / "out.nt")
    assert again.label(again.node("p 1")) == 'Serum "Glow"'
    assert list(again.lines()) == list(g.lines())


def test_bom_is_accepted(tmp_path):
    path = shop(tmp_path)
    (path / "products.csv").write_bytes("\ufeff".encode() + (path / "products.csv").read_bytes())
    assert load_graph(path).label(load_graph(path).node("p2")) == "Cream"


@pytest.mark.parametrize("products,code,line", [
    ("id,name,brand,price,concerns\np1,A,B,1\n", "K024", 2),
    ("id,name,brand,price,concerns\np1,A,B,abc,x\n", "K023", 2),
    ("id,name,brand,price,concerns\np1,A,B,1,x\np2,\x00,B,1,x\n", "K023", 3),
    ("id,nme,brand,price,concerns\n", "K022", 1),
])
def test_bad_tables_name_file_line_and_code(tmp_path, products, code, line):
    with pytest.raises(KGError) as e:
        load_graph(shop(tmp_path, products=products))
    assert e.value.code == code
    assert e.value.where.file.endswith("products.csv") and e.value.where.line == line


def test_huge_field_is_refused_not_truncated(tmp_path):
    with pytest.raises(KGError) as e:
        load_graph(shop(tmp_path, products="id,name,brand,price,concerns\np1," + "x" * 11_000_000 + ",B,1,x\n"))
    assert e.value.code == "K006"


def test_bad_json_line_is_located(tmp_path):
    with pytest.raises(KGError) as e:
        load_graph(shop(tmp_path, bought='{"user": "u1", "item": "p2"}\n{"user": \n'))
    assert e.value.where.line == 2 and e.value.where.file.endswith("bought.jsonl")


def test_duplicate_json_keys_are_refused(tmp_path):
    with pytest.raises(KGError):
        load_graph(shop(tmp_path, bought='{"user": "u1", "user": "u2", "item": "p2"}\n'))


@pytest.mark.parametrize("mapping,code,line", [
    (MAPPING.replace("label: name", "lable: name"), "K021", 8),
    (MAPPING.replace("file: products.csv", "file: nope.csv"), "K001", 5),
    ("nodes: [\n", "K020", 2),
    ("nodes: !!python/object/apply:os.system ['true']\n", "K020", 1),
])
def test_bad_mapping_is_located_with_a_hint(tmp_path, mapping, code, line):
    with pytest.raises(KGError) as e:
        load_graph(shop(tmp_path, mapping=mapping))
    assert e.value.code == code and e.value.where.line == line
    assert e.value.where.file.endswith("whyrec.yaml")
