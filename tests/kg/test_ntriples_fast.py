"""The bulk N-Triples path gives the ordinary parser's graph, or declines and adds nothing."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kg.build import GraphBuilder
from kg.load import ntriples_fast as NF
from kg.load.rdf import Terms, load_rdf

ROOT = Path(__file__).resolve().parents[2]
TRICKY = (
    '<https://ex.org/u/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://whyrec.dev/ns#User> .\n'
    '<https://ex.org/u/1> <https://schema.org/name> "Ann"@EN-gb .\n'
    '<https://ex.org/u/1> <https://schema.org/name> "Annie"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
    '<https://ex.org/u/1> <https://whyrec.dev/ns#purchased> <https://ex.org/p/a%20b> .\n'
    '<https://ex.org/u/1> <https://whyrec.dev/ns#purchased> _:x1 .\n'
    '_:x1 <https://schema.org/price> "12.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    '<https://ex.org/p/a> <https://schema.org/name> "A \\"q\\"\\tname \\u00E9 . é" .\n'
    '<https://ex.org/p/a> <https://schema.org/name> "spaces before the dot"   .\n'
    '<https://ex.org/p/a> <https://schema.org/name> "spaces before the dot" .\n'
)


def fast(text: str) -> GraphBuilder:
    data = text.encode("utf-8")
    b = GraphBuilder("fast")
    assert NF.add_ntriples(b, data, Terms(data), "file:///x.nt")
    return b


def ordinary(tmp_path: Path, text: str):
    path = tmp_path / "g.nt"
    path.write_text("# a comment line: the fast path declines, the parser reads it\n" + text, encoding="utf-8")
    b = GraphBuilder("probe")
    assert not NF.add_ntriples(b, path.read_bytes(), Terms(path.read_bytes()), None)
    return load_rdf(path)


def same(a, b) -> None:
    assert list(a.lines()) == list(b.lines())
    assert a.parts.labels == b.parts.labels
    assert [a.key(n) for n in range(a.n_nodes)] == [b.key(n) for n in range(b.n_nodes)]


def test_tricky_terms_come_out_as_the_parser_spells_them(tmp_path):
    g = fast(TRICKY).build()
    same(g, ordinary(tmp_path, TRICKY))
    assert len(g) == 8  # the two spellings of one triple are one triple


def test_small_pieces_split_lines_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(NF, "CHUNK", 97)  # pieces end mid-line, mid-term, mid-" .\n"
    same(fast(TRICKY).build(), ordinary(tmp_path, TRICKY))


@pytest.mark.parametrize("text", [
    "", "\n", "# only a comment\n",
    TRICKY + "\n",  # a blank line
    TRICKY.replace("\n", "\r\n"),
    TRICKY.replace("> <", ">\t<", 1),
    TRICKY.replace("> <", ">  <", 1),
    TRICKY.rstrip("\n"),  # no final newline
    TRICKY + '"lit" <https://a/p> <https://a/o> .\n',
    TRICKY + '<https://a/s> _:p <https://a/o> .\n',
    TRICKY + '<https://a/b c> <https://a/p> <https://a/o> .\n',
    TRICKY + '<rel> <https://a/p> <https://a/o> .\n',
    TRICKY + '<https://a/s> <https://a/p> <https://a/o> . <https://a/s> <https://a/p> <https://a/x> .\n',
    TRICKY + '<https://a/s> <https://a/p> "x"@en- .\n',
])
def test_anything_unusual_is_declined_and_nothing_added(text):
    b = GraphBuilder("x")
    data = text.encode("utf-8")
    assert NF.add_ntriples(b, data, Terms(data), "file:///x.nt") is False
    assert len(b) == 0


def test_the_synthetic_beauty_graph_loads_the_same_both_ways(tmp_path):
    spec = importlib.util.spec_from_file_location("synth_beauty", ROOT / "benchmarks" / "synth_beauty.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    out = tmp_path / "beauty.nt"
    count = synth.write(out, scale=0.01, seed=3)
    text = out.read_text(encoding="utf-8")
    g = fast(text).build()
    assert len(g) == count
    same(g, ordinary(tmp_path, text))
    assert len(list(g.users())) == synth.counts_for(0.01)["users"]
