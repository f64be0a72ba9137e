import subprocess
import sys

import networkx  # noqa: F401  (the networkx view is tested below)
import numpy as np
import pytest

from kg.errors import KGError
from tests.kg.tiny import E, tiny_builder


@pytest.fixture(scope="module")
def g():
    return tiny_builder().build()


def test_counts_users_items(g):
    assert sorted(g.users()) == ["u1", "u2"]
    assert sorted(g.items()) == ["p1", "p2", "p3"]
    assert len(g) == 23  # every distinct triple tiny_builder adds


def test_node_lookup_by_id_key_and_iri(g):
    n = g.node("p1")
    assert g.node(f"{E}product/p1") == n == g.node("product/p1") == g.node(f"<{E}product/p1>")
    assert g.label(n) == "Glow Serum" and g.type_name(n) == "Product"


def test_unknown_node_suggests_close_ids(g):
    with pytest.raises(KGError) as e:
        g.node("p11")
    assert e.value.code == "K040" and "p1" in str(e.value)


def test_labels_prefer_untagged_then_english(g):
    assert g.label(g.node("b1")) == "Lumière"
    assert g.label(g.node("b2")) == "b2"  # no name: the source id


def test_adjacency_both_directions(g):
    b1 = g.node("b1")
    assert sorted(g.key(n) for n in g.neighbors(b1, "brand", reverse=True)) == ["p1", "p2"]
    assert [g.key(n) for n in g.neighbors(g.node("p3"), "brand")] == ["b2"]
    assert len(g.neighbors(b1, "no_such_relation")) == 0


def test_values_on_nodes_and_on_facts(g):
    assert g.values(g.node("p1"), "price") == [12.5]
    assert np.isnan(g.numbers("price")[g.node("p2")])
    rated = g.edges("rated")
    edge = rated.edge_id(g.node("u1"), g.node("p1"))
    assert rated.values["score"][edge] == 5.0 and rated.texts["summary"][edge] == "Love it"


def test_custom_relation_gets_a_name_and_label(g):
    rel = g.relation("sold_at")
    assert rel.label == "sold at" and rel.kind == "node"
    with pytest.raises(KGError) as e:
        g.relation("brnd")
    assert "brand" in str(e.value)


def test_statement_nodes_are_not_graph_nodes(g):
    with pytest.raises(KGError):
        g.node(f"{E}fact/1")


def test_same_input_any_order_same_graph():
    a = tiny_builder()
    b = tiny_builder()
    rows = list(zip(*[iter(b._rows)] * 3))
    b2 = type(b)("tiny")
    for s, p, o in reversed(rows):
        b2.add(b._terms[s], b._terms[p], b._terms[o])
    for s, p, o in rows[:5]:  # duplicates vanish
        b2.add(b._terms[s], b._terms[p], b._terms[o])
    assert list(a.build().lines()) == list(b2.build().lines())


def test_rdf_view_is_the_record(g):
    assert len(g.rdf) == len(g)


def test_lines_do_not_depend_on_hash_seed(tmp_path):
    code = "from tests.kg.tiny import tiny_builder; print('\\n'.join(tiny_builder().build().lines()))"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=str(__import__("pathlib").Path(__file__).parents[2])).stdout
            for seed in ("1", "2")}
    assert len(outs) == 1


def test_blank_nodes_never_merge_and_labels_follow_content(tmp_path):
    from kg import load_graph
    ttl = "@prefix : <https://ex.org/> .\n:s :p [ :q 1 ], [ :q 1 ] .\n:s :r " + "[ :n " * 40 + "[]" + " ]" * 40 + " .\n"
    (tmp_path / "a.ttl").write_text(ttl)
    g = load_graph(tmp_path / "a.ttl")
    assert len(g) == 4 + 41  # twins stay two nodes; a 41-link chain stays a chain
    g.save(tmp_path / "a.nt")
    again = load_graph(tmp_path / "a.nt")
    again.save(tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
