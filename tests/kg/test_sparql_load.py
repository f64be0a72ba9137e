"""Graphs from an on-disk Oxigraph store and from a SPARQL endpoint equal the file's graph."""
from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest

from kg import load_graph
from kg.errors import KGError
from kg.load.sparql import construct, is_store, load_endpoint, load_store, save_store
from kg.vocab import SCHEMA, WR
from whyrec.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    return load_graph(DEMO, cache=False)


@pytest.fixture(scope="module")
def store(demo, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("st") / "demo.oxigraph"
    save_store(demo, path)
    return path


def same_content(a, b) -> None:
    """Equal graphs up to literal spelling: a store keeps typed literals canonical ("21.50" is "21.5")."""
    assert len(a) == len(b) and a.n_nodes == b.n_nodes
    assert [a.iri(n) for n in range(a.n_nodes)] == [b.iri(n) for n in range(b.n_nodes)]
    assert [a.label(n) for n in range(a.n_nodes)] == [b.label(n) for n in range(b.n_nodes)]
    for name, index in a.parts.edges.items():
        assert np.array_equal(index.out.indices, b.parts.edges[name].out.indices)
    assert np.array_equal(a.numbers("price"), b.numbers("price"), equal_nan=True)


def test_a_store_round_trips_the_graph(demo, store, tmp_path) -> None:
    assert is_store(store)
    again = load_graph(store)
    same_content(again, demo)
    dump = tmp_path / "dump.nt"  # and exactly what the store holds
    ox.Store.read_only(str(store)).dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert list(again.lines()) == list(load_graph(dump, cache=False).lines())


def test_predicates_keep_what_they_name_and_what_explains_it(demo, store) -> None:
    g = load_store(store, predicates=[WR + "purchased", SCHEMA + "brand"])
    assert set(g.vocab.names()) >= {"purchased", "brand"} and g.edges("category") is None
    u = g.node("u001")
    assert sorted(g.neighbors(u, "purchased").tolist()) == sorted(g.node(demo.key(n)) for n in
                                                                   demo.neighbors(demo.node("u001"), "purchased"))
    assert g.label(g.node("p0005")) == demo.label(demo.node("p0005"))  # labels come along
    assert g.parts.edges["purchased"].texts.keys() == demo.parts.edges["purchased"].texts.keys()  # dates too


def test_saving_never_writes_into_an_existing_store(store) -> None:
    with pytest.raises(KGError) as err:
        save_store(load_graph(DEMO, cache=False), store)
    assert err.value.code == "K050"


def test_kg_convert_writes_a_store(tmp_path, capsys) -> None:
    assert main(["kg", "convert", str(DEMO), str(tmp_path / "shop.oxigraph")]) == 0
    assert is_store(tmp_path / "shop.oxigraph")
    assert len(load_graph(tmp_path / "shop.oxigraph")) == len(load_graph(DEMO, cache=False))


class _Endpoint(BaseHTTPRequestHandler):
    store: ox.Store

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        query = urllib.parse.parse_qs(self.rfile.read(length).decode())["query"][0]
        body = ox.serialize(self.store.query(query), format=ox.RdfFormat.N_TRIPLES)
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def endpoint(demo):
    handler = type("H", (_Endpoint,), {"store": ox.Store()})
    handler.store.bulk_load(("\n".join(demo.lines()) + "\n").encode(), ox.RdfFormat.N_TRIPLES)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_an_endpoint_streams_the_same_graph(demo, store, endpoint) -> None:
    got = load_graph(endpoint)
    same_content(got, demo)
    assert list(got.lines()) == list(load_graph(store).lines())


def test_an_endpoint_answer_past_the_limit_is_refused(endpoint) -> None:
    with pytest.raises(KGError) as err:
        load_endpoint(endpoint, max_bytes=10_000)
    assert err.value.code == "K006"


def test_construct_refuses_what_is_not_an_iri() -> None:
    with pytest.raises(KGError):
        construct(["https://ex.org/a> . ?s ?p ?o . <x"])
