"""Atomic saves: write a temp file beside the target, fsync, then rename over it.

A crash or a serializer error at any moment leaves the previous file intact.
Used by every package that writes (graphs, feedback weights, checkpoints).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.errors import KGError, Where

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(f)`` on a temp file in the target's folder and rename it into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes 0600 files; keep the old file's mode, or the usual umask-based one
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _sweep(folder, target.name)
    try:  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


STALE_SECONDS = 600


def _sweep(folder: Path, name: str) -> None:
    """Remove temp files that an earlier, killed save of the same target left behind."""
    import time
    now = time.time()
    for leftover in folder.glob(f".{name}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # another process's file, or already gone


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Save ``text`` atomically; a folder as the target, a missing folder or any write error is K050."""
    target = Path(path)
    if target.is_dir():  # a temp file would go in the folder's parent, then the rename fail
        raise KGError("K050", "this is a folder, not a file", Where(str(target)), "give a file name inside it")
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise KGError("K050", f"the folder {str(target.parent)!r} does not exist", Where(str(target)),
                      "create the folder first, or give a path in an existing one")
    try:
        atomic_write(target, lambda f: f.write(text.encode("utf-8")))
    except OSError as exc:
        raise KGError("K050", f"cannot write: {exc.strerror or exc}", Where(str(target))) from exc


def write_lines(f: IO[bytes], lines: Iterable[str], chunk: int = 65536) -> None:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= chunk:
            f.write(("\n".join(buf) + "\n").encode("utf-8"))
            buf.clear()
    if buf:
        f.write(("\n".join(buf) + "\n").encode("utf-8"))


FORMATS = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}
PREFIXES = {"wr": "https://whyrec.dev/ns#", "schema": "https://schema.org/",
            "skos": "http://www.w3.org/2004/02/skos/core#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"}


def _serialize(graph: "KnowledgeGraph", fmt: str) -> bytes:
    """Turtle / JSON-LD through pyoxigraph, which keeps literals' lexical forms (rdflib rewrites 5 as 5.0)."""
    import pyoxigraph as ox
    data = ("\n".join(graph.lines()) + "\n").encode("utf-8")
    quads = ox.parse(data, ox.RdfFormat.N_TRIPLES)
    target = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.JSON_LD
    return ox.serialize(quads, format=target, prefixes=PREFIXES if fmt == "turtle" else None)


def save_graph(graph: "KnowledgeGraph", path: str | os.PathLike[str]) -> None:
    """Save by extension; ``.nt`` is canonical (sorted, byte-identical for equal graphs)."""
    suffix = Path(path).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise KGError("K050", f"cannot save as {suffix or 'a file without extension'!r}",
                      Where(str(path)), "use .nt (canonical), .ttl or .jsonld")
    if not Path(path).parent.exists():
        raise KGError("K050", "the folder does not exist", Where(str(path)))
    try:
        if fmt == "nt":
            atomic_write(path, lambda f: write_lines(f, graph.lines()))
        else:
            atomic_write(path, lambda f: f.write(_serialize(graph, fmt)))
    except OSError as exc:
        raise KGError("K050", f"cannot write: {exc.strerror or exc}", Where(str(path))) from exc
