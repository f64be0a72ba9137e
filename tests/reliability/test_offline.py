"""Nothing phones home: the whole path from files to the HTML page runs with the network refused.

An audit hook refuses (and counts) every socket connect, name lookup and internet socket;
socket.socket and socket.create_connection are replaced by functions that fail; HF_HUB_OFFLINE=1.
Under that: every input format is parsed, the rules load, the verbalizer loads (the shipped one
when present, else a tiny one built here), the ranker trains, reasons are generated and verified,
a vote is stored, and the page is written. Zero network attempts.
"""
from __future__ import annotations

import gzip
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.reliability.shop import write_shop
from tests.reliability.traps import NetworkGuard

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "models" / "verbalizer"


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network use: socket call with {args!r}")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    guard = NetworkGuard.get()
    guard.attempts.clear()
    with guard:
        yield guard
    assert guard.attempts == [], guard.attempts


def _every_format(graph, folder: Path) -> list[Path]:
    """The graph saved as N-Triples, Turtle, JSON-LD, gzipped N-Triples and RDF/XML."""
    paths = []
    for suffix in (".nt", ".ttl", ".jsonld"):
        graph.save(folder / f"shop{suffix}")
        paths.append(folder / f"shop{suffix}")
    nt = (folder / "shop.nt").read_bytes()
    (folder / "shop.nt.gz").write_bytes(gzip.compress(nt))
    quads = ox.parse(nt, ox.RdfFormat.N_TRIPLES)
    (folder / "shop.rdf").write_bytes(ox.serialize(quads, format=ox.RdfFormat.RDF_XML))
    return paths + [folder / "shop.nt.gz", folder / "shop.rdf"]


def test_files_to_html_page_with_the_network_refused(tmp_path, tiny_model, offline):
    from generation.explain import Explainer
    from generation.render import render_html, write_html
    from kg import load_graph
    from reasoning.ruleset import load_rules

    shop = write_shop(tmp_path / "shop")
    graph = load_graph(shop)  # CSV tables and their mapping
    for path in _every_format(graph, tmp_path):
        assert list(load_graph(path).lines()) == list(graph.lines()), path.name
    rules = load_rules(shop / "rules.yaml", graph)
    model = SHIPPED if (SHIPPED / "model.safetensors").is_file() else tiny_model
    explainer = Explainer(graph, rules, verbalizer=model, feedback=tmp_path / "feedback.json")
    assert explainer.verbalizer is not None
    explanations = explainer.explain_many([("u1", "p2"), ("u1", "p3")], k=3)
    assert all(x.reasons for x in explanations)
    explainer.feedback("u1", explanations[0].reasons[0], helpful=True)
    write_html(explanations, graph, tmp_path / "why.html")
    page = (tmp_path / "why.html").read_text(encoding="utf-8")
    assert page == render_html(explanations, graph) and "Glow Cream" in page
    assert 'src="http' not in page and 'href="http' not in page and "@import" not in page
    assert offline.attempts == []


def test_the_guard_sees_a_python_connection_attempt(offline):
    # the fixture's own check: an attempt under the guard is refused and recorded
    with pytest.raises(ConnectionRefusedError):
        socket.getaddrinfo("huggingface.co", 443)
    assert offline.attempts and "getaddrinfo" in offline.attempts[0]
    offline.attempts.clear()  # so the fixture's final check passes
