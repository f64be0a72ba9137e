"""Hostile input files for the graph loaders, and what whyrec must do with each: one table.

Every case writes its files into a fresh folder and names the path given to ``kg.load_graph``.
A case expects either a refusal (a KGError with this code, naming the file at fault and a
line) or, for odd but valid files, a graph that passes its check. For every case, also:
nothing is written, a graph loaded earlier keeps its lines, the trap file's secret appears in
no graph and no message, and nothing reaches the traps (tests/reliability/traps.py).

tests/reliability/hostile_run.py runs the table in a child process with the traps set;
tests/reliability/test_hostile_input.py asserts each case; benchmarks/fuzz.py --hostile prints
the table of times.
"""
from __future__ import annotations

import gzip
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EX = "http://ex.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
XML_HEAD = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:e="http://ex.org/">\n')
XML_BODY = f'<rdf:Description rdf:about="{EX}s"><e:p>x</e:p></rdf:Description></rdf:RDF>\n'
MAPPING = """\
namespace: https://id.example.com/shop/
nodes:
  - file: products.csv
    type: Product
    id: id
    label: name
    columns:
      brand: {relation: brand, type: Brand}
      price: {relation: price, datatype: integer}
facts:
  - file: bought.jsonl
    subject: {column: user, type: User}
    relation: {column: rel}
    object: {column: item, type: Product}
"""
PRODUCTS = 'id,name,brand,price\np1,Glow Serum,Lumière,12\n"p 2 ""x""",Cream,Lumière,8\n'
BOUGHT = '{"user": "u1", "rel": "purchased", "item": "p1"}\n'
EXECUTED = "EXECUTED"  # what a YAML tag that ran code would create beside the trap file


@dataclass(frozen=True)
class Env:
    """Where a case may point: the trap URL, FIFO and secret file (outside the case's folder)."""

    url: str
    fifo: str
    secret: str


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, Env], Path]  # writes the files; returns what load_graph is given
    code: str | None  # expected KGError code; None: a valid file that must load
    line: int | None = None  # the line the error must name (a line is always required)
    at: str | None = None  # the file the error must name, relative to the folder (default: the loaded path)
    check: Callable[[object], bool] | None = None  # for valid files: what the graph must hold


def put(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def rdf(name: str, data: str | bytes | Callable[[Env], str | bytes]) -> Callable[[Path, Env], Path]:
    return lambda folder, env: put(folder, name, data(env) if callable(data) else data)


def shop(products: str | bytes = PRODUCTS, bought: str | bytes = BOUGHT, mapping: str | Callable[[Env], str] = MAPPING,
         extra: Callable[[Path, Env], None] | None = None) -> Callable[[Path, Env], Path]:
    def make(folder: Path, env: Env) -> Path:
        put(folder, "whyrec.yaml", mapping(env) if callable(mapping) else mapping)
        put(folder, "products.csv", products)
        put(folder, "bought.jsonl", bought)
        if extra is not None:
            extra(folder, env)
        return folder
    return make


def xml(doctype: str | Callable[[Env], str], body: str = XML_BODY) -> Callable[[Env], str]:
    head = XML_HEAD.split("\n", 1)
    return lambda env: head[0] + "\n" + (doctype(env) if callable(doctype) else doctype) + head[1] + body


def jsonld_context(context: str | Callable[[Env], str]) -> Callable[[Env], str]:
    return lambda env: ('{\n  "@context": ' + (context(env) if callable(context) else context)
                        + ',\n  "@id": "http://ex.org/s", "name": "x"}\n')


LAUGHS = ('<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaaaa">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8)) + "]>\n")


# -- checks on graphs that must load ---------------------------------------------------------------

def has_line(fragment: str) -> Callable[[object], bool]:
    return lambda g: any(fragment in line for line in g.lines())


def triples(n: int) -> Callable[[object], bool]:
    return lambda g: len(g) == n


def survives_saves(g) -> bool:
    """ids with spaces and quotes: findable, and equal after a save and reload in every format."""
    from kg import load_graph
    ok = g.label(g.node('p 2 "x"')) == "Cream" and g.label(g.node("p1")) == "Glow Serum"
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".nt", ".ttl", ".jsonld"):
            g.save(Path(tmp) / f"g{suffix}")
            ok = ok and list(load_graph(Path(tmp) / f"g{suffix}").lines()) == list(g.lines())
    return ok


def bom_header(g) -> bool:
    return g.label(g.node("p1")) == "Glow Serum"


def big_integer(g) -> bool:
    return any(f'"{"9" * 10_000}"^^<{XSD}integer>' in line for line in g.lines())


# -- the table -------------------------------------------------------------------------------------

def _nest_xml(depth: int) -> str:
    body = "<e:p><rdf:Description>" * depth + "</rdf:Description></e:p>" * depth
    return XML_HEAD + f'<rdf:Description rdf:about="{EX}s">\n{body}</rdf:Description></rdf:RDF>\n'


def _table_outside(env: Env) -> str:
    return MAPPING.replace("file: products.csv", f"file: {env.secret}")


def _symlinked_table(folder: Path, env: Env) -> None:
    (folder / "linked.csv").symlink_to(env.secret)


CASES: tuple[Case, ...] = (
    # RDF/XML: DTDs and entities, depth, size, encodings
    Case("rdfxml billion laughs", rdf("a.rdf", xml(LAUGHS, f'<rdf:Description rdf:about="{EX}s"><e:p>&i;</e:p>'
                                                    "</rdf:Description></rdf:RDF>\n")), "K005", 2),
    Case("rdfxml external entity (file)", rdf("a.rdf", xml(lambda e: f'<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM '
                                                           f'"file://{e.secret}"> ]>\n',
                                                           f'<rdf:Description rdf:about="{EX}s"><e:p>&x;</e:p>'
                                                           "</rdf:Description></rdf:RDF>\n")), "K005", 2),
    Case("rdfxml external entity (pipe)", rdf("a.rdf", xml(lambda e: f'<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM '
                                                           f'"{e.fifo}"> ]>\n',
                                                           f'<rdf:Description rdf:about="{EX}s"><e:p>&x;</e:p>'
                                                           "</rdf:Description></rdf:RDF>\n")), "K005", 2),
    Case("rdfxml external entity (http)", rdf("a.rdf", xml(lambda e: f'<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM '
                                                           f'"{e.url}x"> ]>\n',
                                                           f'<rdf:Description rdf:about="{EX}s"><e:p>&x;</e:p>'
                                                           "</rdf:Description></rdf:RDF>\n")), "K005", 2),
    Case("rdfxml external DTD", rdf("a.rdf", xml(lambda e: f'<!DOCTYPE rdf:RDF SYSTEM "{e.url}evil.dtd">\n')),
         "K005", 2),
    Case("rdfxml public DTD", rdf("a.rdf", xml(lambda e: f'<!DOCTYPE rdf:RDF PUBLIC "-//X//EN" "{e.url}p.dtd">\n')),
         "K005", 2),
    Case("rdfxml parameter entity", rdf("a.rdf", xml(lambda e: f'<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM '
                                                     f'"file://{e.secret}"> %p; ]>\n')), "K005", 2),
    Case("rdfxml doctype after comments", rdf("a.rdf", xml("<!-- a -->\n<!-- b -->\n<!doctype rdf:RDF>\n")),
         "K005", 4),
    Case("rdfxml literal with 200,000 newlines (0.4 MB)",
         rdf("a.rdf", XML_HEAD + f'<rdf:Description rdf:about="{EX}s"><e:p>' + "a\n" * 200_000
             + "</e:p></rdf:Description></rdf:RDF>\n"), None, check=has_line("a\\na\\n")),
    Case("rdfxml nesting 5,000 deep", rdf("a.rdf", _nest_xml(5000)), "K010", 4),
    Case("rdfxml invalid UTF-8", rdf("a.rdf", XML_HEAD.encode() + f'<rdf:Description rdf:about="{EX}s">\n<e:p>'
                                     .encode() + b"caf\xe9</e:p></rdf:Description></rdf:RDF>\n"), "K008", 4),
    Case("rdfxml Latin-1 declared", rdf("a.rdf", XML_HEAD.replace('version="1.0"', 'version="1.0" encoding='
                                                                  '"ISO-8859-1"').encode() + f'<rdf:Description rdf:'
                                        f'about="{EX}s"><e:p>'.encode() + b"caf\xe9</e:p></rdf:Description>"
                                        b"</rdf:RDF>\n"), "K008", 3),
    Case("rdfxml UTF-16", rdf("a.rdf", (XML_HEAD + XML_BODY).encode("utf-16")), "K008", 1),
    Case("rdfxml lone surrogate reference", rdf("a.rdf", XML_HEAD + f'<rdf:Description rdf:about="{EX}s">\n'
                                                "<e:p>&#xD800;</e:p></rdf:Description></rdf:RDF>\n"), "K003", 4),
    Case("rdfxml 10,000-digit integer", rdf("a.rdf", XML_HEAD + f'<rdf:Description rdf:about="{EX}s"><e:p rdf:'
                                            f'datatype="{XSD}integer">' + "9" * 10_000
                                            + "</e:p></rdf:Description></rdf:RDF>\n"), None, check=big_integer),
    Case("rdfxml remote xml:base and stylesheet (not fetched)",
         rdf("a.rdf", lambda e: f'<?xml version="1.0"?>\n<?xml-stylesheet href="{e.url}s.xsl"?>\n'
             f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="{EX}" xml:base="{e.url}">'
             '<rdf:Description rdf:about="s"><e:p rdf:resource="o"/></rdf:Description></rdf:RDF>\n'),
         None, check=triples(1)),
    # JSON-LD: anything that would be fetched, ambiguity, depth, text
    Case("jsonld remote context", rdf("a.jsonld", jsonld_context(lambda e: f'"{e.url}ctx"')), "K004", 2),
    Case("jsonld file: context", rdf("a.jsonld", jsonld_context(lambda e: f'"file://{e.secret}"')), "K004", 2),
    Case("jsonld file: context (pipe)", rdf("a.jsonld", jsonld_context(lambda e: f'["file://{e.fifo}"]')),
         "K004", 2),
    Case("jsonld relative context", lambda f, e: (put(f, "ctx.jsonld", '{"@context": {"name": "http://ex.org/n"}}'),
                                                  put(f, "a.jsonld", jsonld_context('"ctx.jsonld"')(e)))[1],
         "K004", 2),
    Case("jsonld @import", rdf("a.jsonld", jsonld_context(lambda e: f'{{"@import": "{e.url}ctx"}}')), "K004", 2),
    Case("jsonld scoped remote context", rdf("a.jsonld", jsonld_context(
        lambda e: f'{{"p": {{"@id": "http://ex.org/p", "@context": "{e.url}scoped"}}}}')), "K004", 2),
    Case("jsonld remote context in a list", rdf("a.jsonld", jsonld_context(
        lambda e: f'[{{"name": "http://ex.org/n"}}, "{e.url}ctx"]')), "K004", 2),
    Case("jsonld remote @base (not fetched)", rdf("a.jsonld", lambda e: f'{{"@context": {{"@base": "{e.url}"}},\n'
                                                  ' "@id": "s", "http://ex.org/p": {"@id": "o"}}'),
         None, check=triples(1)),
    Case("jsonld duplicate keys", rdf("a.jsonld", '{"@context": {"name": "http://ex.org/n"},\n "@id": "http://ex.org/s",'
                                      '\n "name": "y", "name": "z"}'), "K009", 3),
    Case("jsonld duplicate @context", rdf("a.jsonld", '{"@context": {"a": "http://ex.org/a"},\n'
                                          ' "@context": {"a": "http://ex.org/b"}, "@id": "http://ex.org/s", "a": 1}'),
         "K009", 2),
    Case("jsonld nesting 5,000 deep", rdf("a.jsonld", '{"@id": "http://ex.org/s",\n "http://ex.org/p": '
                                          + '{"http://ex.org/p": ' * 5000 + "1" + "}" * 5001), "K010", 2),
    Case("jsonld lone surrogate", rdf("a.jsonld", '{"@id": "http://ex.org/s",\n "http://ex.org/p": "a\\ud800b"}'),
         "K008", 2),
    Case("jsonld invalid UTF-8", rdf("a.jsonld", b'{"@id": "http://ex.org/s",\n "http://ex.org/p": "caf\xe9"}'),
         "K008", 2),
    Case("jsonld 10,000-digit integer", rdf("a.jsonld", '{"@id": "http://ex.org/s", "http://ex.org/p": '
                                            + "9" * 10_000 + "}"), None, check=triples(1)),
    Case("jsonld named graph", rdf("a.jsonld", '{"@id": "http://ex.org/g",\n "@graph": [{"@id": "http://ex.org/s",'
                                   ' "http://ex.org/p": 1}]}'), "K007", 1),
    # Turtle, N-Triples and datasets where triples are expected
    Case("ntriples with a quad", rdf("a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> <{EX}o> <{EX}g> .\n"),
         "K007", 2),
    Case("turtle with a TriG block", rdf("a.ttl", f"@prefix : <{EX}> .\n:s :p :o .\n:g {{\n  :s :p :o .\n}}\n"),
         "K007", 3),
    Case("nquads with a named graph", rdf("a.nq", f"<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> <{EX}o> <{EX}g> .\n"),
         "K007", 2),
    Case("trig with a named graph", rdf("a.trig", f"@prefix : <{EX}> .\n:g {{ :s :p :o . }}\n"), "K007", 2),
    Case("ntriples invalid UTF-8", rdf("a.nt", f'<{EX}s> <{EX}p> "a" .\n<{EX}s> <{EX}p> "'.encode() + b'\xff" .\n'),
         "K008", 2),
    Case("turtle invalid UTF-8 (overlong)", rdf("a.ttl", f'\n<{EX}s> <{EX}p> "'.encode() + b'\xc0\xaf" .\n'),
         "K008", 2),
    Case("ntriples lone surrogate escape", rdf("a.nt", f'<{EX}s> <{EX}p> "a\\uD800b" .\n'), "K008", 1),
    Case("turtle lone surrogate escape", rdf("a.ttl", f'\n<{EX}s> <{EX}p> "a\\U0000DC00b" .\n'), "K008", 2),
    Case("turtle surrogate bytes", rdf("a.ttl", f'\n<{EX}s> <{EX}p> "a'.encode() + b'\xed\xa0\x80" .\n'), "K008", 2),
    Case("turtle 10,000-digit integer", rdf("a.ttl", f"<{EX}s> <{EX}p> {'9' * 10_000} .\n"), None, check=big_integer),
    Case("ntriples 10,000-digit integer", rdf("a.nt", f'<{EX}s> <{EX}p> "{"9" * 10_000}"^^<{XSD}integer> .\n'),
         None, check=big_integer),
    Case("turtle huge exponent", rdf("a.ttl", f"<{EX}s> <{EX}p> 1e999999999 .\n"), None, check=triples(1)),
    Case("turtle collection 5,000 deep", rdf("a.ttl", f"<{EX}s> <{EX}p> " + "( " * 5000 + ")" * 5000 + " .\n"),
         None, check=triples(1 + 2 * 4999)),
    Case("turtle blank nodes 5,000 deep", rdf("a.ttl", f"<{EX}s> <{EX}p> " + f"[ <{EX}p> " * 5000 + "1"
                                             + " ]" * 5000 + " .\n"), None, check=triples(5001)),
    Case("turtle unbalanced 5,000 deep", rdf("a.ttl", f"\n<{EX}s> <{EX}p> " + "( " * 5000 + " .\n"), "K003", 2),
    Case("turtle remote @base and @prefix (not fetched)", rdf("a.ttl", lambda e: f"@base <{e.url}> .\n"
                                                              f"@prefix x: <{e.url}ns#> .\n<s> x:p <o> .\n"),
         None, check=triples(1)),
    Case("ntriples line over 10 MB", rdf("a.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n<{EX}s> <{EX}p> \"".encode()
                                         + b"x" * (10 << 20) + b'" .\n'), "K006", 2),
    Case("ntriples gzip bomb", rdf("a.nt.gz", gzip.compress(b"\0" * (12 << 20))), "K006", 1),
    Case("ntriples NUL in an IRI", rdf("a.nt", f"\n<{EX}s\0> <{EX}p> <{EX}o> .\n"), "K003", 2),
    Case("ntriples raw NUL in a literal", rdf("a.nt", f'<{EX}s> <{EX}p> "a\0b" .\n'), None,
         check=has_line('"a\\u0000b"')),
    Case("turtle with a BOM", rdf("a.ttl", b"\xef\xbb\xbf" + f"<{EX}s> <{EX}p> <{EX}o> .\n".encode()), None,
         check=triples(1)),
    # tables (CSV, JSON lines) and their mapping
    Case("csv with a BOM", shop(products=b"\xef\xbb\xbf" + PRODUCTS.encode()), None, check=bom_header),
    Case("csv ids with spaces and quotes (save and reload)", shop(), None, check=survives_saves),
    Case("csv ragged row (short)", shop(products=PRODUCTS + "p3,Oil,Nocturne\n"), "K024", 4, "products.csv"),
    Case("csv ragged row (long)", shop(products=PRODUCTS + "p3,Oil,Nocturne,9,extra\n"), "K024", 4, "products.csv"),
    Case("csv NUL byte", shop(products=PRODUCTS + "p3,O\0il,Nocturne,9\n"), "K023", 4, "products.csv"),
    Case("csv 50 MB field", shop(products=PRODUCTS.encode() + b"p3," + b"x" * (50 << 20) + b",Nocturne,9\n"),
         "K006", 4, "products.csv"),
    Case("csv invalid UTF-8", shop(products=PRODUCTS.encode() + b"p3,Caf\xe9,Nocturne,9\n"), "K008", 4, "products.csv"),
    Case("csv surrogate bytes", shop(products=PRODUCTS.encode() + b"p3,a\xed\xa0\x80,Nocturne,9\n"), "K008", 4,
         "products.csv"),
    Case("csv unterminated quote", shop(products=PRODUCTS + 'p3,"Oil,Nocturne,9\n'), "K024", 4, "products.csv"),
    Case("csv 10,000-digit integer", shop(products=PRODUCTS + "p3,Oil,Nocturne," + "9" * 10_000 + "\n"), None,
         check=big_integer),
    Case("csv integer exponent bomb", shop(products=PRODUCTS + "p3,Oil,Nocturne,1e999999999\n"), "K023", 4,
         "products.csv"),
    Case("jsonl lone surrogate", shop(bought='{"user": "u\\ud800", "rel": "purchased", "item": "p1"}\n'),
         "K008", 1, "bought.jsonl"),
    Case("jsonl nesting 5,000 deep", shop(bought='{"user": ' + "[" * 5000 + "]" * 5000 + "}\n"), "K010", 1,
         "bought.jsonl"),
    Case("jsonl duplicate keys", shop(bought=BOUGHT + '{"user": "u1", "user": "u2", "rel": "viewed", "item": "p1"}\n'),
         "K023", 2, "bought.jsonl"),
    Case("jsonl 10,000-digit integer", shop(bought='{"user": ' + "9" * 10_000 + ', "rel": "viewed", "item": "p1"}\n'),
         None, check=has_line("9" * 10_000)),
    Case("jsonl relation IRI no parser accepts", shop(bought='{"user": "u1", "rel": "http://ex.org/%zz", "item": "p1"}\n'),
         "K051", 1, "bought.jsonl"),
    Case("mapping !!python/object", shop(mapping=lambda e: MAPPING + f"x: !!python/object/apply:os.system "
                                         f"['touch {Path(e.secret).parent / EXECUTED}']\n"), "K020", 15, "whyrec.yaml"),
    Case("mapping alias bomb", shop(mapping="a: &a [x, x]\nb: &b [*a, *a]\n" + MAPPING), "K020", 1, "whyrec.yaml"),
    Case("mapping nesting 5,000 deep", shop(mapping="nodes: " + "[" * 5000 + "]" * 5000 + "\n"), "K020", 1,
         "whyrec.yaml"),
    Case("mapping duplicate keys", shop(mapping=MAPPING.replace("    id: id\n", "    id: id\n    id: name\n")),
         "K020", 6, "whyrec.yaml"),
    Case("mapping invalid UTF-8", shop(mapping=MAPPING.encode() + b"# caf\xe9\n"), "K020", 1, "whyrec.yaml"),
    Case("mapping language tag injection", shop(mapping=MAPPING.replace(
        "datatype: integer}", "lang: 'en .\\n<http://evil> <http://evil> <http://evil>'}")), "K020", 9, "whyrec.yaml"),
    Case("mapping namespace no parser accepts", shop(mapping=MAPPING.replace("https://id.example.com/shop/",
                                                                             "https://ex.org/%zz/")),
         "K051", 1, "whyrec.yaml"),
    Case("mapping table outside its folder (absolute)", shop(mapping=_table_outside), "K020", 3, "whyrec.yaml"),
    Case("mapping table outside its folder (../)", shop(mapping=lambda e: MAPPING.replace(
        "file: products.csv", "file: ../../../../../../../../../../../etc/hostname")), "K020", 3, "whyrec.yaml"),
    Case("mapping table is a pipe outside", shop(mapping=lambda e: MAPPING.replace("file: products.csv",
                                                                               f"file: {e.fifo}")),
         "K020", 3, "whyrec.yaml"),
    Case("mapping table name too long", shop(mapping=MAPPING.replace("file: products.csv", "file: p" + "9" * 300)),
         "K001", 3, "whyrec.yaml"),
    Case("mapping table name with a NUL", shop(mapping=MAPPING.replace("file: products.csv", 'file: "p\\0.csv"')),
         "K001", 3, "whyrec.yaml"),
    Case("mapping table symlinked outside", shop(mapping=MAPPING.replace("file: products.csv", "file: linked.csv"),
                                                 extra=_symlinked_table), "K020", 3, "whyrec.yaml"),
)
