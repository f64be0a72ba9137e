"""Reading input files safely: a regular file, under a size limit, read with bounded work.

Every loader reads through these functions, so no loader can be handed a FIFO (a read that
never returns), a device such as /dev/zero (one that never ends), a sparse file of many
gigabytes (read whole, out of memory) or a small gzip that decompresses without bound:

* ``check_file`` follows symlinks, then requires a regular file no larger than the limit;
* ``read_bytes`` opens without blocking (``O_NONBLOCK``: a FIFO swapped in after the check
  cannot hang the open), checks the opened file again with ``fstat`` and reads at most
  ``limit`` bytes;
* ``read_lines`` streams a plain or gzipped file line by line and stops at a limit on
  decompressed bytes, on lines (blank ones too), on one line's length, and on the ratio of
  decompressed to compressed bytes, so the work is bounded by the file's own size.

Problems raise :class:`FileProblem`; each package turns it into its own coded error.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
>>> _ = p.write_text("a\\n\\nb")
>>> [(n, line) for n, line in read_lines(p, Limits(max_bytes=100, max_lines=10, max_line=10))]
[(1, b'a\\n'), (2, b'\\n'), (3, b'b')]
>>> read_bytes(p, 2)
Traceback (most recent call last):
...
kg.files.FileProblem: it is 4 bytes, over the limit of 2 bytes
"""
from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"
# deflate's best is ~1,030-fold (one byte repeated); text and JSON compress 3-10-fold. Past 256 KB,
# a 500-fold ratio is a run of one byte: stop there, before millions of blank lines are walked.
EXTREME, EXTREME_AFTER = 500, 256 << 10


class FileProblem(Exception):
    """Why a file was not read: ``kind`` is missing | kind | size | io | bomb | line."""

    def __init__(self, kind: str, message: str, line: int | None = None):
        self.kind, self.message, self.line = kind, message, line
        super().__init__(message)


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # decompressed bytes in all
    max_lines: int  # lines in all, blank ones included
    max_line: int  # bytes in one line
    max_ratio: int = 100  # decompressed / compressed bytes, checked once past ``ratio_after`` bytes
    ratio_after: int = 8 << 20


def _kind_name(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def check_file(path: str | os.PathLike[str], limit: int) -> os.stat_result:
    """The stat of ``path`` when it is a regular file of at most ``limit`` bytes (symlinks followed)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileProblem("missing", "it does not exist") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL, a loop of symlinks
        raise FileProblem("io", f"cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    _check_stat(st, limit)
    return st


def _check_stat(st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem("kind", f"it is {_kind_name(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise FileProblem("size", f"it is {st.st_size:,} bytes, over the limit of {limit:,} bytes")


def open_checked(path: str | os.PathLike[str], limit: int):
    """A binary file object for a checked regular file (the caller closes it)."""
    check_file(path, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileProblem("io", f"cannot read it: {exc.strerror or exc}") from None
    try:
        _check_stat(os.fstat(fd), limit)  # the file opened is the file checked
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """All of a checked regular file, never more than ``limit`` bytes (a file growing meanwhile too)."""
    with open_checked(path, limit) as f:
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise FileProblem("io", f"cannot read it: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise FileProblem("size", f"it grew past the limit of {limit:,} bytes while being read")
    return data


def read_lines(path: str | os.PathLike[str], limits: Limits, compressed_limit: int | None = None
               ) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line with its ending) of a plain or gzipped file, within ``limits``.

    A gzip file is recognised by its magic bytes, not its name. ``compressed_limit`` caps the
    file on disk (default: ``limits.max_bytes``).
    """
    with open_checked(path, compressed_limit or limits.max_bytes) as f:
        head = f.read(2)
        f.seek(0)
        chunks = gunzipped(f, limits) if head == GZIP_MAGIC else _plain(f)
        yield from _split(chunks, limits)


def _plain(f) -> Iterator[bytes]:
    try:
        while chunk := f.read(1 << 20):
            yield chunk
    except OSError as exc:
        raise FileProblem("io", f"cannot read it: {exc.strerror or exc}") from None


def gunzipped(f, limits: Limits) -> Iterator[bytes]:
    """Decompressed chunks of every gzip member, refusing a bomb by size or by ratio."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending, read, out = b"", 0, 0
    try:
        while True:
            if not pending:
                pending = f.read(1 << 16)
                read += len(pending)
                if not pending:
                    if not inflate.eof:
                        raise FileProblem("io", "the gzip data ends early (a truncated file)")
                    return
            if inflate.eof:  # a second gzip member follows (cat a.gz b.gz)
                inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = inflate.decompress(pending, 1 << 20)  # at most 1 MB per step, however small the input
            pending = inflate.unconsumed_tail or inflate.unused_data
            out += len(chunk)
            if out > limits.max_bytes:
                raise FileProblem("bomb", f"it decompresses to more than {limits.max_bytes:,} bytes")
            used = max(read - len(pending), 1)  # compressed bytes consumed so far
            ratio = out / used
            if (out > limits.ratio_after and ratio > limits.max_ratio) or (out > EXTREME_AFTER and ratio > EXTREME):
                raise FileProblem("bomb", f"{used:,} compressed bytes became {out:,}: over {limits.max_ratio}-fold, "
                                  "a decompression bomb, not data")
            if chunk:
                yield chunk
    except zlib.error as exc:
        raise FileProblem("io", f"not valid gzip data: {exc}") from None
    except OSError as exc:
        raise FileProblem("io", f"cannot read it: {exc.strerror or exc}") from None


def _split(chunks: Iterator[bytes], limits: Limits) -> Iterator[tuple[int, bytes]]:
    n, partial = 0, b""
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                partial += chunk[start:]
                if len(partial) > limits.max_line:
                    raise FileProblem("line", f"line {n + 1} is longer than {limits.max_line:,} bytes", n + 1)
                break
            line = partial + chunk[start:end + 1]
            partial, start = b"", end + 1
            n += 1
            if n > limits.max_lines:
                raise FileProblem("line", f"it has more than {limits.max_lines:,} lines", n)
            if len(line) > limits.max_line + 1:
                raise FileProblem("line", f"line {n} is longer than {limits.max_line:,} bytes", n)
            yield n, line
    if partial:
        n += 1
        if n > limits.max_lines:
            raise FileProblem("line", f"it has more than {limits.max_lines:,} lines", n)
        yield n, partial
