"""kg/load/rdf.py: strict, offline, all-or-nothing RDF loading; hostile inputs refused with a position."""
from __future__ import annotations

import gzip
import math
import socket

import pyoxigraph as ox
import pytest

from kg import load_graph
from kg import terms as T
from kg.build import GraphBuilder
from kg.errors import KGError
from kg.load import rdf, rdf_errors
from kg.load.rdf import add_rdf_file, load_rdf

EX = "http://ex.org/"
XML_HEAD = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:e="http://ex.org/">\n')


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(path, code: str, line: int | None = None, **kwargs) -> KGError:
    """Loading ``path`` raises ``code``, naming the file and a line (``line`` when given)."""
    with pytest.raises(KGError) as info:
        load_rdf(path, **kwargs)
    err = info.value
    assert err.code == code, str(err)
    assert err.where.file == str(path) and err.where.line is not None, str(err)
    assert str(err).startswith(f"{path}:{err.where.line}:")
    if line is not None:
        assert err.where.line == line, str(err)
    return err


# -- syntax errors -------------------------------------------------------------------------
def test_turtle_syntax_error_names_line_column_and_text(tmp_path):
    path = write(tmp_path, "a.ttl", f'@prefix : <{EX}> .\n:a :b :c .\n:a :b "x .\n')
    err = refused(path, "K003", line=3)
    assert err.where.col == 7 and "near '\"x .'" in err.message


@pytest.mark.parametrize("message, line, col", [
    ("Parser error at line 3 between columns 5 and 9: Unexpected end (line 3)", 3, 5),
    ("Parser error between line 2 column 23 and line 3 column 1: Unexpected end of file (line 2)", 2, 23),
    ("Parser error at line 4 column 1: Unexpected end (line 4)", 4, 1),
])
def test_both_parser_position_forms_are_read(message, line, col):
    err = rdf_errors.parse_error(message, b"", ox.RdfFormat.TURTLE, "f.ttl")
    assert (err.code, err.where.file, err.where.line, err.where.col) == ("K003", "f.ttl", line, col)
    assert "Parser error" not in err.message and "(line" not in err.message


def test_undeclared_prefix_gets_a_hint(tmp_path):
    err = refused(write(tmp_path, "a.ttl", f"@prefix : <{EX}> .\n:a x:b :c .\n"), "K003", line=2)
    assert "@prefix" in err.hint


def test_missing_final_dot_is_not_called_a_quad(tmp_path):
    path = write(tmp_path, "a.nt", f"<{EX}s> <{EX}p> <{EX}o>\n<{EX}s> <{EX}p> <{EX}o> .\n")
    assert "' .'" in refused(path, "K003", line=2).hint


def test_rdfxml_error_without_a_position_is_located_by_its_quoted_text(tmp_path):
    path = write(tmp_path, "a.rdf", XML_HEAD + '<rdf:Description rdf:about="http://ex.org/s x">\n'
                 "<e:p>x</e:p></rdf:Description></rdf:RDF>")
    assert refused(path, "K003", line=3).where.col == 29


def test_unbound_xml_prefix_has_a_position(tmp_path):
    text = XML_HEAD + f'<rdf:Description rdf:about="{EX}s">\n  <x:p>1</x:p></rdf:Description></rdf:RDF>'
    path = write(tmp_path, "a.rdf", text)
    assert refused(path, "K003", line=4).where.col == 3


def test_truncated_rdfxml_is_refused(tmp_path):  # the RDF/XML parser alone accepts it
    path = write(tmp_path, "a.rdf", XML_HEAD + f'<rdf:Description rdf:about="{EX}s"><e:p>x</e:p></rdf:Description>')
    refused(path, "K003")


# -- text encoding -------------------------------------------------------------------------
def test_invalid_utf8_names_the_line(tmp_path):
    text = f'<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> "a'.encode()
    path = write(tmp_path, "a.ttl", text + b'\xff" .\n')
    assert refused(path, "K008", line=2).where.col == len(f'<{EX}s> <{EX}p> "a') + 1


@pytest.mark.parametrize("name, text", [
    ("a.nt", f'<{EX}s> <{EX}p> "a\\uD800b" .\n'),
    ("a.ttl", f'<{EX}s> <{EX}p> "a\\uDC00b" .\n'),
    ("a.jsonld", '{"@id": "http://ex.org/s",\n "http://ex.org/p": "a\\ud800b"}'),
])
def test_lone_surrogate_escapes_are_refused(tmp_path, name, text):
    refused(write(tmp_path, name, text), "K008", line=2 if name.endswith("jsonld") else 1)


def test_escaped_surrogate_pairs_load(tmp_path):
    g = load_rdf(write(tmp_path, "a.jsonld", '{"@id": "http://ex.org/s", "http://ex.org/p": "\\ud83d\\ude00"}'))
    assert list(g.lines()) == [f'<{EX}s> <{EX}p> "\U0001F600" .']


def test_a_byte_order_mark_is_skipped(tmp_path):
    assert len(load_rdf(write(tmp_path, "a.nt", b"\xef\xbb\xbf" + f"<{EX}s> <{EX}p> <{EX}o> .\n".encode()))) == 1


# -- size and depth ------------------------------------------------------------------------
def test_a_huge_ntriples_line_is_refused_before_parsing(tmp_path):
    big = b'"' + b"x" * (rdf.MAX_LINE_BYTES + 10) + b'"'
    path = write(tmp_path, "a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> ".encode() + big + b" .\n")
    refused(path, "K006", line=2)


def test_the_line_limit_is_a_module_constant(tmp_path, monkeypatch):
    monkeypatch.setattr(rdf, "MAX_LINE_BYTES", 100)
    path = write(tmp_path, "a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n" * 50 + f'<{EX}s> <{EX}p> "{"y" * 200}" .\n')
    refused(path, "K006", line=51)


def test_ten_thousand_digit_integer_loads_as_infinity(tmp_path):
    g = load_rdf(write(tmp_path, "a.ttl", f"<{EX}s> <{EX}p> {'9' * 10_000} .\n"))
    (line,) = g.lines()
    assert math.isinf(T.literal_number(line.split(" ", 2)[2][:-2]))


def test_five_thousand_deep_turtle_collection_loads(tmp_path):
    path = write(tmp_path, "a.ttl", f"<{EX}s> <{EX}p> " + "( " * 5000 + ")" * 5000 + " .\n")
    assert add_rdf_file(GraphBuilder("t"), path) == 1 + 2 * 4999  # the innermost () is rdf:nil
    load_rdf(path)  # and builds without RecursionError


def test_five_thousand_deep_turtle_collection_keeps_every_node(tmp_path):
    path = write(tmp_path, "a.ttl", f"<{EX}s> <{EX}p> " + "( " * 5000 + ")" * 5000 + " .\n")
    assert len(load_rdf(path)) == 1 + 2 * 4999


def test_deep_rdfxml_nesting_is_refused(tmp_path):  # the parser's time per element grows with depth
    depth = rdf.MAX_XML_DEPTH + 10
    body = "<e:p><rdf:Description>" * depth + "</rdf:Description></e:p>" * depth
    text = XML_HEAD + f'<rdf:Description rdf:about="{EX}s">\n{body}</rdf:Description></rdf:RDF>'
    path = write(tmp_path, "a.rdf", text)
    refused(path, "K010", line=4)


@pytest.mark.parametrize("depth", [rdf.MAX_JSON_DEPTH + 1, 20_000])  # 20,000 crashed the process
def test_deep_jsonld_is_refused(tmp_path, depth):
    text = '{"@id": "http://ex.org/s",\n "http://ex.org/p": ' + '{"http://ex.org/p": ' * depth + "1" + "}" * depth + "}"
    refused(write(tmp_path, "a.jsonld", text), "K010", line=2)


def test_rdfxml_literal_with_200000_newlines_loads(tmp_path):
    path = write(tmp_path, "a.rdf", XML_HEAD + f'<rdf:Description rdf:about="{EX}s"><e:p>' + "a\n" * 200_000
                 + "</e:p></rdf:Description></rdf:RDF>")
    (line,) = load_rdf(path).lines()
    assert line.count("\\n") == 200_000


# -- DTDs and entities ----------------------------------------------------------------------
LAUGHS = ('<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaaaa">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(7)) + "]>\n")


@pytest.mark.parametrize("doctype", [
    LAUGHS,  # expands to 100 MB: the parser would do it
    '<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/hostname"> ]>\n',
    '<!DOCTYPE rdf:RDF SYSTEM "http://ex.org/evil.dtd">\n',
    '<!doctype rdf:RDF [ <!entity h "x"> ]>\n',
])
def test_dtds_and_entities_are_refused(tmp_path, doctype):
    head = XML_HEAD.split("\n", 1)
    path = write(tmp_path, "a.rdf", head[0] + "\n" + doctype + head[1]
                 + f'<rdf:Description rdf:about="{EX}s"><e:p>&h;</e:p></rdf:Description></rdf:RDF>')
    refused(path, "K005", line=2)


# -- JSON-LD: no fetching, no ambiguity -----------------------------------------------------
@pytest.mark.parametrize("context, shown", [
    ('"https://schema.org/"', "https://schema.org/"),
    ('["file:///etc/passwd"]', "file:///etc/passwd"),
    ('"ctx.jsonld"', "ctx.jsonld"),
    ('{"@import": "https://ex.org/ctx"}', "@import"),
    ('{"p": {"@id": "http://ex.org/p", "@context": "https://ex.org/scoped"}}', "https://ex.org/scoped"),
])
def test_contexts_that_would_be_fetched_are_refused(tmp_path, context, shown):
    path = write(tmp_path, "a.jsonld", '{\n  "@context": ' + context + ',\n  "@id": "http://ex.org/s"}')
    assert shown in refused(path, "K004", line=2).message


def test_the_parser_never_opens_a_socket(tmp_path, monkeypatch):
    # Python-level networking (urllib, rdflib's loaders) would go through socket.socket.
    def no_network(*args, **kwargs):
        raise AssertionError("the loader tried to open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    path = write(tmp_path, "a.jsonld", '{"@context": "https://schema.org/", "@id": "http://ex.org/s", "name": "x"}')
    refused(path, "K004", line=1)


def test_the_parsers_own_refusal_to_fetch_becomes_k004(tmp_path, monkeypatch):
    monkeypatch.setattr(rdf, "check_jsonld", lambda *args: None)  # skip the pre-check: the parser refuses too
    path = write(tmp_path, "a.jsonld", '{\n "@context": "https://schema.org/", "@id": "http://ex.org/s", "name": "x"}')
    refused(path, "K004", line=2)


def test_duplicate_json_keys_are_refused(tmp_path):
    path = write(tmp_path, "a.jsonld", '{"@context": {"name": "http://ex.org/n"},\n "@id": "http://ex.org/s",\n'
                 ' "name": "y", "name": "z"}')
    assert refused(path, "K009", line=3).where.col == 15


def test_json_syntax_error_has_a_position(tmp_path):
    refused(write(tmp_path, "a.jsonld", '{"@id": "http://ex.org/s",\n "http://ex.org/p": 1,}'), "K003", line=2)


def test_inline_contexts_load(tmp_path):
    path = write(tmp_path, "a.jsonld", '{"@context": {"@vocab": "http://ex.org/"}, "@id": "http://ex.org/s", "p": 5}')
    assert list(load_rdf(path).lines()) == [f'<{EX}s> <{EX}p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .']


# -- datasets where one graph is expected ---------------------------------------------------
@pytest.mark.parametrize("name, text, line", [
    ("a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> <{EX}o> <{EX}g> .\n", 2),
    ("a.nq", f"<{EX}s> <{EX}p> <{EX}o> .\n\n# comment\n<{EX}s> <{EX}p> <{EX}o> <{EX}g> .\n", 4),
    ("a.trig", f"@prefix : <{EX}> .\n:s :p :o .\n:g {{\n  :s :p :o .\n}}\n", 3),
    ("a.ttl", f"@prefix : <{EX}> .\n:s :p :o .\n:g {{\n  :s :p :o .\n}}\n", 3),
    ("a.jsonld", '{"@id": "http://ex.org/g",\n "@graph": [{"@id": "http://ex.org/s", "http://ex.org/p": 1}]}', 1),
])
def test_named_graphs_are_refused_with_the_fix(tmp_path, name, text, line):
    err = refused(write(tmp_path, name, text), "K007", line=line)
    assert ".nq" in err.hint or ".trig" in err.hint or "allow_named_graphs" in err.hint


def test_named_graphs_merge_when_allowed(tmp_path):
    path = write(tmp_path, "a.nq", f"<{EX}s> <{EX}p> <{EX}o> <{EX}g> .\n<{EX}s> <{EX}p> <{EX}o2> .\n")
    assert len(load_rdf(path, allow_named_graphs=True)) == 2


def test_a_dataset_with_only_the_default_graph_loads(tmp_path):
    assert len(load_rdf(write(tmp_path, "a.nq", f"<{EX}s> <{EX}p> <{EX}o> .\n"))) == 1


# -- RDF 1.2 terms whyrec cannot hold ------------------------------------------------------
@pytest.mark.parametrize("obj", ['"x"@en--ltr', f"<<( <{EX}s> <{EX}p> <{EX}o> )>>"])
def test_rdf12_terms_are_refused(tmp_path, obj):
    refused(write(tmp_path, "a.ttl", f"\n<{EX}s> <{EX}p> {obj} .\n"), "K003", line=2)


# -- files ---------------------------------------------------------------------------------
def test_missing_file_unreadable_path_and_unknown_suffix(tmp_path):
    with pytest.raises(KGError) as info:
        load_rdf(tmp_path / "none.ttl")
    assert info.value.code == "K001"
    (tmp_path / "dir.ttl").mkdir()
    with pytest.raises(KGError) as info:
        load_rdf(tmp_path / "dir.ttl")
    assert info.value.code == "K001"
    for name in ("a.n3", "a.csv.gz"):
        with pytest.raises(KGError) as info:
            load_rdf(write(tmp_path, name, ""))
        assert info.value.code == "K002"


def test_gzipped_ntriples_load_like_the_plain_file(tmp_path):
    text = f"<{EX}s> <{EX}p> _:x .\n_:x <{EX}q> \"1\" .\n"
    plain = load_rdf(write(tmp_path, "a.nt", text))
    packed = load_graph(write(tmp_path, "b.nt.gz", gzip.compress(text.encode())))
    assert list(packed.lines()) == list(plain.lines())


def test_bad_gzip_and_gzip_bombs_are_refused(tmp_path):
    with pytest.raises(KGError) as info:
        load_rdf(write(tmp_path, "a.nt.gz", b"not gzip at all"))
    assert info.value.code == "K011"
    refused(write(tmp_path, "b.nt.gz", gzip.compress(b"\0" * (rdf.MAX_LINE_BYTES + 2))), "K006", line=1)


def test_anything_else_the_parser_raises_becomes_a_kgerror(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(ox, "parse", broken)
    with pytest.raises(KGError) as info:
        load_rdf(write(tmp_path, "a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n"))
    assert info.value.code == "K003" and "boom" in info.value.message


def test_an_error_in_the_second_file_names_that_file(tmp_path):
    good = write(tmp_path, "a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n")
    bad = write(tmp_path, "b.nt", f"<{EX}s> <{EX}p> .\n")
    with pytest.raises(KGError) as info:
        load_rdf(good, bad)
    assert info.value.where.file == str(bad)


# -- determinism and round trips -----------------------------------------------------------
SHOP = f"""@prefix : <{EX}> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix wr: <https://whyrec.dev/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:u1 a wr:User ; wr:purchased :p1 ; wr:rated :p1 .
:p1 a schema:Product ; schema:name "Glow Serum", "Sérum éclat"@FR ; schema:price 12.5 ;
    schema:brand [ a schema:Brand ; schema:name "Lumière" ] ;
    wr:claim ( :vegan :cruelty-free ) .
:fact1 rdf:subject :u1 ; rdf:predicate wr:rated ; rdf:object :p1 ; wr:score "5"^^xsd:decimal ;
    wr:summary "Love it\\nreally" .
_:note wr:summary "a labelled blank node" ; wr:about :p1 .
"""


def test_loading_twice_gives_identical_lines(tmp_path):
    path = write(tmp_path, "shop.ttl", SHOP)
    first, second = load_rdf(path), load_rdf(path)
    assert list(first.lines()) == list(second.lines())
    assert sum(line.startswith("_:") for line in first.lines()) >= 4  # the brand, two list nodes, the note


def test_save_reload_save_is_byte_identical(tmp_path):
    g = load_rdf(write(tmp_path, "shop.ttl", SHOP))
    assert g.label(g.node("p1")) == "Glow Serum" and g.type_name(g.node("u1")) == "User"
    g.save(tmp_path / "a.nt")
    again = load_rdf(tmp_path / "a.nt")
    again.save(tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert list(again.lines()) == list(g.lines())
    assert '"Sérum éclat"@fr' in (tmp_path / "a.nt").read_text(encoding="utf-8")


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    a = write(tmp_path, "a.nt", f'_:x <{EX}p> "1" .\n')
    b = write(tmp_path, "b.nt", f'_:x <{EX}p> "2" .\n')
    subjects = {line.split(" ")[0] for line in load_rdf(a, b).lines()}
    assert len(subjects) == 2


def test_base_iri_resolves_relative_iris(tmp_path):
    g = load_rdf(write(tmp_path, "a.ttl", "<s> <p> <o> .\n"), base_iri="http://base.example/dir/")
    assert list(g.lines()) == ["<http://base.example/dir/s> <http://base.example/dir/p> <http://base.example/dir/o> ."]
