"""A tiny hand-made shop used by kg tests."""
from kg.build import GraphBuilder
from kg.vocab import RDF, RDF_TYPE, SCHEMA, WR

E = "https://ex.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def tiny_builder() -> GraphBuilder:
    b = GraphBuilder("tiny")
    add = b.add
    for u in ("u1", "u2"):
        add(f"<{E}user/{u}>", f"<{RDF_TYPE}>", f"<{WR}User>")
    for p, brand, name in (("p1", "b1", "Glow Serum"), ("p2", "b1", "Glow Cream"), ("p3", "b2", "Night Oil")):
        add(f"<{E}product/{p}>", f"<{RDF_TYPE}>", f"<{SCHEMA}Product>")
        add(f"<{E}product/{p}>", f"<{SCHEMA}name>", f'"{name}"')
        add(f"<{E}product/{p}>", f"<{SCHEMA}brand>", f"<{E}brand/{brand}>")
    add(f"<{E}brand/b1>", f"<{SCHEMA}name>", '"Lumière"')
    add(f"<{E}brand/b1>", f"<{SCHEMA}name>", '"Lumiere"@fr')
    add(f"<{E}product/p1>", f"<{SCHEMA}price>", f'"12.5"^^<{XSD}decimal>')
    add(f"<{E}user/u1>", f"<{WR}purchased>", f"<{E}product/p1>")
    add(f"<{E}user/u2>", f"<{WR}purchased>", f"<{E}product/p2>")
    add(f"<{E}user/u1>", f"<{WR}rated>", f"<{E}product/p1>")
    stmt = f"<{E}fact/1>"
    add(stmt, f"<{RDF}subject>", f"<{E}user/u1>")
    add(stmt, f"<{RDF}predicate>", f"<{WR}rated>")
    add(stmt, f"<{RDF}object>", f"<{E}product/p1>")
    add(stmt, f"<{WR}score>", f'"5"^^<{XSD}decimal>')
    add(stmt, f"<{WR}summary>", '"Love it"')
    add(f"<{E}product/p1>", f"<{E}ns#soldAt>", f"<{E}store/paris>")
    return b
