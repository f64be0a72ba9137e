"""Random small graphs for round-trip tests (hypothesis strategies).

IRIs with odd characters (percent escapes, sub-delimiters, non-ASCII, a query and a fragment),
literals with every escape (quotes, backslashes, newlines, NUL and other controls), any Unicode
outside the surrogates, language tags in mixed case, datatypes well- and ill-typed, and blank
nodes, including a few of whyrec's own predicates so the builder's labels, classes and reified
facts are exercised too.
"""
from __future__ import annotations

import pyoxigraph as ox
from hypothesis import strategies as st

from kg import terms as T
from kg.vocab import RDF, RDF_TYPE, RDFS, SCHEMA, WR

XSD = T.XSD
_IRI_CHARS = st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@/") + ["%20", "%C3%A9", "é", "中", "\U0001F600", "%25"])


def _valid(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


iris = st.builds(lambda base, path, query, frag: f"{base}{path}{query}{frag}",
                 st.sampled_from(["http://ex.org/", "https://ex.org/a/", "urn:x:", "http://[::1]:8080/", "tag:x,2024:"]),
                 st.lists(_IRI_CHARS, max_size=12).map("".join),
                 st.sampled_from(["", "?q=1&r=2", "?"]),
                 st.sampled_from(["", "#frag", "#"])).filter(_valid)
predicates = st.one_of(iris, st.sampled_from([RDF_TYPE, SCHEMA + "name", RDFS + "label", RDF + "subject",
                                              RDF + "predicate", RDF + "object", WR + "score", WR + "purchased"]))
texts = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)),
                          st.sampled_from(['"', "\\", "\n", "\r", "\t", "\x00", "\x7f", "\u2028", "\ufeff"])),
                max_size=20)
literals = st.one_of(
    st.builds(T.literal, texts),
    st.builds(lambda v, lang: T.literal(v, None, lang), texts,
              st.sampled_from(["en", "en-GB", "FR", "zh-Hant-TW", "x-private", "de-CH-1901"])),
    st.builds(lambda v, dt: T.literal(v, dt), st.one_of(texts, st.integers().map(str), st.decimals(
        allow_nan=False, allow_infinity=False).map(str), st.sampled_from(["true", "01", "-0", "1e5", "2024-02-30"])),
        st.sampled_from([XSD + "string", XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean",
                         XSD + "date", "http://ex.org/dt", "urn:x:type"])),
)
blanks = st.sampled_from(["_:a", "_:b", "_:c", "_:d"])
nodes = st.one_of(iris.map(lambda i: f"<{i}>"), blanks)
triples = st.lists(st.tuples(nodes, predicates.map(lambda i: f"<{i}>"), st.one_of(nodes, literals)),
                   min_size=1, max_size=12)


def build(rows: list[tuple[str, str, str]]):
    from kg.build import GraphBuilder

    b = GraphBuilder("round-trip")
    for s, p, o in rows:
        b.add(s, p, o)
    return b.build()


def round_trip_mismatches(graph, folder, suffixes=(".nt", ".ttl", ".jsonld")) -> list[str]:
    """The formats whose save and reload changes the graph's canonical lines (or fails)."""
    from kg import load_graph
    from kg.errors import KGError

    bad = []
    want = list(graph.lines())
    for suffix in suffixes:
        path = folder / f"g{suffix}"
        try:
            graph.save(path)
            got = list(load_graph(path).lines())
        except KGError as exc:
            bad.append(f"{suffix}: {exc}")
            continue
        if got != want:
            bad.append(f"{suffix}: {sorted(set(want) ^ set(got))[:4]}")
    return bad
