"""A fast path for N-Triples written one triple per line as ``s p o .`` (whyrec's own saves).

Parsing with pyoxigraph costs three Python objects per triple; at a million triples that
is most of a load. Here the lines are split and interned in C-level loops (bytes.split,
map over a dict), and pyoxigraph parses only the *distinct* terms, once each, so every
term is checked and spelled exactly as the per-triple path would spell it.

Any doubt returns False before touching the builder, and the caller parses the file the
ordinary way (which also reports errors with line and column): a comment or blank line,
a tab or double space between terms, CRLF line ends, a missing final newline, a literal in
subject position, bytes that are not UTF-8, anything pyoxigraph rejects.
"""
from __future__ import annotations

import io
from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, repeat

import numpy as np
import pyoxigraph as ox

from kg.build import GraphBuilder, Interner

CHUNK = 1 << 23  # bytes read and split per step: bounds the temporary per-line lists (~10 MB)
_END = b" .\n"
_S, _P = b"<urn:whyrec:s>", b"<urn:whyrec:p>"


def pieces(read: Callable[[int], bytes]) -> Iterator[bytes]:
    """The text in pieces of whole lines, each without its last line's terminator (" ." + LF).

    A tail without that terminator ends the pieces with an empty one (a line with no terms),
    so split_lines declines the file.
    """
    carry = b""
    while piece := read(CHUNK):
        buf = carry + piece if carry else piece
        cut = buf.rfind(_END)
        if cut < 0:
            if len(buf) > 4 * CHUNK:  # no line end in 32 MB (CRLF ends, one huge literal): decline
                yield b""
                return
            carry = buf
            continue
        yield buf[:cut]
        carry = buf[cut + len(_END):]
    if carry:
        yield b""


def split_lines(blocks: Iterable[bytes]) -> tuple[list[bytes], np.ndarray] | None:
    """Distinct raw terms and (n, 3) int32 rows of positions in them; None if not ``s p o .`` lines.

    Subjects and predicates hold no spaces (IRIs and blank-node labels cannot), so a line
    splits at its first two spaces; the object is the rest, up to the final " .".
    """
    ids = Interner()
    get = ids.__getitem__
    flat = array("i")  # int32 positions: half the memory of int64 (terms in memory stay < 2**31)
    n_lines = 0
    for block in blocks:
        lines = block.split(_END)
        n_lines += len(lines)
        flat.extend(map(get, chain.from_iterable(map(bytes.split, lines, repeat(b" "), repeat(2)))))
        if len(flat) != 3 * n_lines:  # some line had fewer than three parts: stop reading early
            return None
    if not n_lines:  # an empty file: the ordinary parser decides what that is
        return None
    return list(ids), np.frombuffer(flat, dtype=np.int32).reshape(-1, 3)


def canonical_terms(raw: list[bytes], term: Callable[[object], str], base_iri: str | None) -> list[str] | None:
    """Each raw term as the ordinary path spells it, by parsing ``<s> <p> RAW .`` once per term."""
    if not raw:
        return []
    doc = b"".join((_S, b" ", _P, b" ", (_END + _S + b" " + _P + b" ").join(raw), _END))
    if doc.count(b"\n") != len(raw) or b"\r" in doc:  # a raw term spanning lines: not one triple per line
        return None
    try:
        out = [term(q.object) for q in ox.parse(doc, ox.RdfFormat.N_TRIPLES, base_iri=base_iri,
                                                without_named_graphs=True)]
    except Exception:  # noqa: BLE001 - any trouble: the ordinary parser reports it with a position
        return None
    # One triple per line and as many triples as lines: the i-th object is raw[i].
    return out if len(out) == len(raw) else None


def add_ntriples(builder: GraphBuilder, data: bytes, term: Callable[[object], str],
                 base_iri: str | None = None) -> bool:
    """Add the triples of ``data`` to ``builder`` and return True, or add nothing and return False.

    ``term`` turns a pyoxigraph term into whyrec's term string (kg/load/rdf.py's ``Terms``),
    so both paths give the same graph. It is called once per distinct term, in order of first
    appearance (as the per-triple path meets them). After False, give the ordinary path a
    fresh ``term`` object: this one may have numbered some blank nodes already.
    """
    split = split_lines(pieces(io.BytesIO(data).read))
    if split is None:
        return False
    raw, rows = split
    del split
    terms = canonical_terms(raw, term, base_iri)
    del raw  # the raw spellings are done with: free them before the builder copies the rows
    if terms is None:
        return False
    subject_ok = np.fromiter((t.startswith(("<", "_:")) for t in terms), dtype=bool, count=len(terms))
    predicate_ok = np.fromiter((t.startswith("<") for t in terms), dtype=bool, count=len(terms))
    if not (subject_ok[rows[:, 0]].all() and predicate_ok[rows[:, 1]].all()):
        return False  # e.g. a literal as subject: let the ordinary parser say where
    builder.add_many(terms, rows)
    return True
