"""Graphs that already live in a triple store: an on-disk Oxigraph store or a SPARQL endpoint.

Both are read with one CONSTRUCT of what whyrec uses, streamed as N-Triples into the same builder
as every other loader (so the graph, its terms and its index are those of the file loaders):

- ``load_store(folder)``: an Oxigraph store on disk, opened read-only (another process may keep
  writing to it); its default graph, or ``graph=IRI``.
- ``load_endpoint(url)``: any SPARQL 1.1 endpoint over HTTP(S); the answer is streamed, bounded
  in bytes and time.

``predicates``: only these relations (plus types, labels, relation annotations and the values of
reified facts); None: everything. Which to use, and when a file is better: README, "Catalogs in
a triple store". ``save_store`` writes a graph as an Oxigraph store for audit queries
(``whyrec kg convert G store.oxigraph``).
"""
from __future__ import annotations

import os
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.build import GraphBuilder
from kg.errors import KGError, Where
from kg.graph import KnowledgeGraph
from kg.load.rdf import Terms, _add_quads
from kg.roles import ROLE_ANNOTATIONS, Roles
from kg.vocab import ANNOTATIONS, LABEL_PREDICATES, RDF, RDF_TYPE

MAX_BYTES = 8 << 30  # an endpoint's answer larger than this is refused (K006)
TIMEOUT = 300.0


def is_store(path: Path) -> bool:
    """Whether a folder looks like an on-disk Oxigraph (RocksDB) store."""
    return path.is_dir() and (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def construct(predicates: Iterable[str] | None = None, graph: str | None = None) -> str:
    """The CONSTRUCT whyrec sends: everything, or the named relations and what explains them."""
    scope = (lambda body: f"GRAPH <{graph}> {{ {body} }}") if graph else (lambda body: body)
    if predicates is None:
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {scope('?s ?p ?o')} }}"
    keep = sorted(set(predicates) | {RDF_TYPE, *LABEL_PREDICATES, *ANNOTATIONS, *ROLE_ANNOTATIONS})
    for iri in keep:
        if any(c in iri for c in '<>"{}|^`\\ \n'):
            raise KGError("K051", f"not an IRI: {iri!r}")
    values = " ".join(f"<{p}>" for p in keep)
    return (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {scope(f'?s ?p ?o VALUES ?p {{ {values} }}')} }} "
            f"UNION {{ {scope(f'?s ?p ?o . ?s <{RDF}subject> ?fact')} }} }}")


def load_store(folder: str | os.PathLike[str], predicates: Iterable[str] | None = None,
               graph: str | None = None, roles: Roles | None = None) -> KnowledgeGraph:
    path = Path(folder)
    if not is_store(path):
        raise KGError("K001", "not an Oxigraph store (no RocksDB CURRENT/OPTIONS files)", Where(str(path)))
    try:
        store = ox.Store.read_only(str(path))
        triples = store.query(construct(predicates, graph))
    except OSError as exc:
        raise KGError("K001", f"cannot open the store: {exc}", Where(str(path))) from None
    builder = GraphBuilder(str(path))
    builder.roles = roles
    _add_quads(builder, (ox.Quad(t.subject, t.predicate, t.object) for t in triples),
               Terms(str(path.resolve()).encode()), False)
    return builder.build()


def load_endpoint(url: str, predicates: Iterable[str] | None = None, graph: str | None = None,
                  timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES, roles: Roles | None = None) -> KnowledgeGraph:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise KGError("K001", "a SPARQL endpoint is an http(s) URL", Where(url))
    body = urllib.parse.urlencode({"query": construct(predicates, graph)}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Accept": "application/n-triples", "Content-Type": "application/x-www-form-urlencoded"})
    builder = GraphBuilder(url)
    builder.roles = roles
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            kind = response.headers.get_content_type()
            if kind not in ("application/n-triples", "text/plain"):
                raise KGError("K002", f"the endpoint answered {kind}, not N-Triples", Where(url),
                              "use an endpoint that can answer CONSTRUCT as application/n-triples")
            stream = _Bounded(response, max_bytes, url)
            _add_quads(builder, ox.parse(stream, ox.RdfFormat.N_TRIPLES), Terms(url.encode()), False)
    except KGError:
        raise
    except SyntaxError as exc:
        raise KGError("K003", f"the endpoint's answer is not N-Triples: {exc}", Where(url)) from None
    except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts
        raise KGError("K001", f"cannot query the endpoint: {exc}", Where(url)) from None
    return builder.build()


class _Bounded:
    """A response read in chunks, refused past ``limit`` bytes (a runaway endpoint, not a catalog)."""

    def __init__(self, raw, limit: int, where: str):
        self.raw, self.limit, self.read_so_far, self.where = raw, limit, 0, where

    def read(self, n: int = -1) -> bytes:
        chunk = self.raw.read(n if n and n > 0 else 1 << 20)
        self.read_so_far += len(chunk)
        if self.read_so_far > self.limit:
            raise KGError("K006", f"the endpoint sent more than {self.limit:,} bytes", Where(self.where),
                          "ask for fewer relations (predicates=...), or raise max_bytes")
        return chunk


def save_store(graph: KnowledgeGraph, folder: str | os.PathLike[str]) -> None:
    """Write the graph as a new on-disk Oxigraph store, all or nothing (built aside, then renamed)."""
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise KGError("K050", "the target exists and is not an empty folder", Where(str(target)),
                      "give a new folder name; whyrec never writes into an existing store")
    if not target.parent.exists():
        raise KGError("K050", "the folder does not exist", Where(str(target.parent)))
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(("\n".join(graph.lines()) + "\n").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        store.flush()
        del store  # closes RocksDB before the rename
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise KGError("K050", f"cannot write the store: {exc}", Where(str(target))) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
