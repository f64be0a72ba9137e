"""Mutation fuzzing of the loaders: valid seed files, mutated by byte flips, special-character
insertions, deletions, truncations and duplications, must load or raise the project's error.

A mutant that loads must also survive a save and a reload unchanged (a graph that saves a file
it cannot read back would lose data). Shared by tests/reliability/test_fuzz.py (hypothesis draws
the mutations) and benchmarks/fuzz.py (a seeded random generator draws them, 10,000 per target).
"""
from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tests.reliability.shop import MAPPING, PRODUCTS, RULES, write_shop

SPECIALS: tuple[bytes, ...] = (
    b'"', b"'", b"<", b">", b"\\", b"\\u", b"\\uD800", b"\\U0010FFFF", b"\x00", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf",
    b"\n", b"\r", b"\r\n", b"\t", b" ", b"{", b"}", b"[", b"]", b"(", b")", b"@", b"#", b"%", b"%zz", b"&", b";",
    b",", b".", b":", b"|", b"_:b", b"^^", b"@en-GB", b'"""', b"'''", b"<<", b">>", b"GRAPH", b"@prefix", b"@base",
    b"a", b"\xef\xbb\xbf", b"\xe2\x80\xa8", b"9" * 400, b"1e999999999", b"-0", b"NaN", b"---\n", b"- ", b"? ",
    b"&x ", b"*x", b"!!python/object/apply:os.system ['true']", b"!x ", b"~", b"no", b"{{", b"}}", b"(a+)+$",
    b"\xf0\x9f\x98\x80", b"\x7f", b"\x1b", b"\x85",
)

TURTLE = """\
@prefix : <https://ex.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix wr: <https://whyrec.dev/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:u1 a wr:User ; wr:purchased :p1 ; wr:rated :p1 ; wr:budget 40 .
:p1 a schema:Product ; schema:name "Glow Serum", "S\\u00e9rum \\"\\u00e9clat\\""@fr ; schema:price 12.5 ;
    schema:brand [ a schema:Brand ; schema:name "Lumi\u00e8re" ] ;
    wr:claim ( :vegan :cruelty-free ) .
:p2 a schema:Product ; schema:name '''Night\\nOil''' ; schema:brand :b2 ; schema:price "9.99"^^xsd:decimal .
:fact1 rdf:subject :u1 ; rdf:predicate wr:rated ; rdf:object :p1 ; wr:score "5"^^xsd:decimal ;
    wr:summary "Love it\\tre\\u00e4lly" .
_:note wr:summary "a labelled blank node" ; wr:about :p1 .
"""


@dataclass(frozen=True)
class Target:
    name: str
    file: str  # the file the mutant replaces
    seed: bytes


def _ntriples_seed() -> bytes:
    from kg.load.rdf import load_rdf

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "s.ttl").write_text(TURTLE, encoding="utf-8")
        return ("\n".join(load_rdf(Path(tmp) / "s.ttl").lines()) + "\n").encode("utf-8")


@lru_cache(maxsize=1)
def targets() -> dict[str, Target]:
    return {t.name: t for t in (
        Target("turtle", "g.ttl", TURTLE.encode("utf-8")),
        Target("ntriples", "g.nt", _ntriples_seed()),
        Target("csv", "products.csv", PRODUCTS.encode("utf-8")),
        Target("mapping", "whyrec.yaml", MAPPING.encode("utf-8")),
        Target("rules", "rules.yaml", RULES.encode("utf-8")),
        Target("jsonld", "g.jsonld", b'{"@context": {"@vocab": "https://schema.org/", "wr": "https://whyrec.dev/ns#"},\n'
               b' "@graph": [{"@id": "https://ex.org/p1", "@type": "Product", "name": ["Glow", {"@value": "Lueur",'
               b' "@language": "fr"}], "price": 12.5,\n  "brand": {"@id": "_:b", "name": "Lumi\\u00e8re"}},\n'
               b' {"@id": "https://ex.org/u1", "wr:purchased": {"@id": "https://ex.org/p1"}}]}\n'),
        Target("rdfxml", "g.rdf", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
               b'syntax-ns#" xmlns:s="https://schema.org/">\n<rdf:Description rdf:about="https://ex.org/p1">'
               b'<s:name xml:lang="fr">Lueur &amp; co</s:name><s:brand><rdf:Description><s:name>L</s:name>'
               b'</rdf:Description></s:brand><s:price rdf:datatype="http://www.w3.org/2001/XMLSchema#decimal">'
               b"12.5</s:price></rdf:Description>\n</rdf:RDF>\n"),
    )}


CI_TARGETS = ("turtle", "ntriples", "csv", "mapping", "rules")  # the brief's four loaders (CSV: table and mapping)


# -- mutations: (kind, a, b, c) with positions as fractions of the length, so any draw is valid ----

Op = tuple[str, float, float, int]
KINDS = ("flip", "insert", "delete", "truncate", "duplicate", "byte")


def mutate(data: bytes, ops: list[Op]) -> bytes:
    buf = bytearray(data)
    for kind, a, b, c in ops:
        n = len(buf)
        at = min(int(a * n), max(n - 1, 0))
        if kind == "flip" and n:
            buf[at] ^= 1 << (c % 8)
        elif kind == "byte" and n:
            buf[at] = c % 256
        elif kind == "insert":
            buf[at:at] = SPECIALS[c % len(SPECIALS)] * (1 + int(b * 3))
        elif kind == "delete":
            del buf[at:at + 1 + int(b * 40)]
        elif kind == "truncate":
            del buf[at:]
        elif kind == "duplicate" and n:
            piece = bytes(buf[at:at + 1 + int(b * 200)])
            where = c % (n + 1)
            buf[where:where] = piece * (1 + c % 3)
    return bytes(buf)


def random_ops(rnd: random.Random) -> list[Op]:
    return [(rnd.choice(KINDS), rnd.random(), rnd.random(), rnd.randrange(1 << 16)) for _ in range(rnd.randint(1, 4))]


# -- running one input ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _rules_graph():
    from kg import load_graph

    with tempfile.TemporaryDirectory() as tmp:
        return load_graph(write_shop(Path(tmp)))


class Unexpected(AssertionError):
    """A mutant raised something other than the project's error, or loaded and lost data on a reload."""


class Relabelled(Unexpected):
    """A save and reload kept every triple (the graphs are isomorphic) but changed blank-node labels."""


def run_input(target: Target, data: bytes, folder: Path) -> str:
    """'error' (a project error) or 'loaded'; raises Unexpected for anything else."""
    from kg import load_graph
    from kg.errors import KGError
    from reasoning.errors import RuleError

    if target.name in ("csv", "mapping"):
        path = write_shop(folder)
    else:
        path = folder / target.file
    (folder / target.file).write_bytes(data)
    try:
        if target.name == "rules":
            from reasoning import Budget, find_chains
            from reasoning.ruleset import load_rules
            graph = _rules_graph()
            rules = load_rules(path, graph)
            find_chains(graph, rules, "u1", "p2", Budget())  # accepted rules must also run
            return "loaded"
        graph = load_graph(path)
    except (KGError, RuleError) as exc:
        if target.name != "rules" and not isinstance(exc, KGError):
            raise Unexpected(f"a graph loader raised {type(exc).__name__}: {exc}") from exc
        if not str(exc).strip():
            raise Unexpected("an empty error message") from exc
        return "error"
    except Exception as exc:  # noqa: BLE001 - exactly what the fuzzer looks for
        raise Unexpected(f"{type(exc).__name__}: {exc}"[:500]) from exc
    _round_trip(graph, folder)
    return "loaded"


def _round_trip(graph, folder: Path) -> None:
    from kg import load_graph
    from kg.errors import KGError

    saved = folder / "saved.nt"
    try:
        graph.save(saved)
        again = list(load_graph(saved).lines())
    except KGError as exc:
        raise Unexpected(f"the loaded graph saves a file that does not load: {exc}") from exc
    if again != list(graph.lines()):
        from rdflib.compare import isomorphic

        if isomorphic(graph.rdf, load_graph(saved).rdf):
            raise Relabelled("blank-node labels changed in a save and reload (nothing lost)")
        raise Unexpected("the graph changed in a save and reload")
