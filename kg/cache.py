"""A binary cache of loaded graphs: a second load maps one file instead of parsing the sources.

One cache file per source (a file or folder, by its resolved path) holds the graph's whole
state: every attribute of the graph and of its parts (kg/cache_codec.py walks them, so a field
added to ``Parts`` or to the graph needs no change here), the index arrays, the term and label
tables and the id table. Layout::

    magic (8 bytes) | header length (u64) | header CRC-32 (u32) | 4 zero bytes
    header (JSON, padded to 64 bytes) | arrays, each at a 64-byte boundary

The arrays are memory-mapped read-only, so processes that load the same catalog share one copy
in the page cache. The header records the key: the SHA-256 of every source file's content, the
project version, a fingerprint of the ``kg`` package's code and the format. A load whose key
differs, or whose file is short, has a bad CRC (header or any array) or does not decode, is a
miss: the graph is loaded from its sources and the file rewritten atomically. A cache file is
never trusted for anything else.

Where: ``$WHYREC_CACHE_DIR`` or ``$XDG_CACHE_HOME/whyrec/graphs`` (``~/.cache/whyrec/graphs``),
not beside the sources: source folders may be read-only (shared data, an installed package),
and a cache next to a shop's tables would end up in its version control. ``load_graph(path,
cache=FOLDER)`` picks another folder (``cache=Path(src) / ".whyrec-cache"`` puts it beside the
source); ``cache=False`` or ``WHYREC_CACHE=0`` turns it off. The default folder keeps only
graphs that took over ``MIN_SECONDS`` to load and at most ``MAX_FILES`` files (least recently
used go first); an explicit folder keeps every graph.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import mmap
import os
import struct
import time
import zlib
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kg.cache_codec import Arrays, Unencodable, decode, encode
from kg.graph import KnowledgeGraph
from kg.store import atomic_write

FORMAT = 1
MAGIC = b"WHYRECG\x01"
PREFIX = struct.Struct("<8sQI4x")
ALIGN = 64
SUFFIX = ".wgc"
MIN_SECONDS = 0.05  # the default folder keeps only graphs slower to load than this
MAX_FILES = 32  # ... and at most this many (the least recently used go first)
MAX_HEADER = 256 << 20
PRECOMPUTE = ("_lookup", "_keys")  # derived tables worth keeping: the id table (0.5 s on 1M triples)


@dataclasses.dataclass(frozen=True)
class Status:
    """What the cache holds for a source: ``state`` is fresh, stale, missing, corrupt or off."""

    state: str
    file: Path | None
    key: str | None = None
    reason: str = ""


def folder_for(cache: bool | str | os.PathLike[str] | None) -> tuple[Path | None, bool]:
    """(cache folder or None when off, whether it was asked for explicitly)."""
    if cache is False:
        return None, False
    if cache is None or cache is True:
        if cache is None and os.environ.get("WHYREC_CACHE", "1").strip().lower() in ("0", "off", "no", "false"):
            return None, False
        env = os.environ.get("WHYREC_CACHE_DIR")
        if env:
            return Path(env), cache is True
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "whyrec" / "graphs", cache is True
    return Path(cache), True


def entry_for(folder: Path, source: Path, variant: str = "") -> Path:
    """The cache file of one source (and load options): named by its resolved path, so two
    catalogs never share one."""
    name = hashlib.sha256(f"{source.resolve()}\0{variant}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / f"{source.name[:40]}-{name}{SUFFIX}".replace(os.sep, "_")


# -- the key -------------------------------------------------------------------------------------

def project_version() -> str:
    try:
        from importlib.metadata import version
        return version("whyrec")
    except Exception:  # not installed (a source checkout on sys.path)
        return "0+unknown"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the kg package's source files: a loader changed in place invalidates old caches."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def key_for(files: list[Path], variant: str = "") -> tuple[str, list[dict[str, Any]]]:
    """The cache key of these sources (content, options, version, code, format) and what it was made of."""
    deps = []
    for f in files:
        st = f.stat()
        deps.append({"path": str(f), "size": st.st_size, "sha256": file_digest(f)})
    meta = {"format": FORMAT, "version": project_version(), "code": code_fingerprint(), "deps": deps,
            "variant": variant}
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest(), deps


def _stats(files: list[Path]) -> list[tuple[int, int, int]]:
    return [(st.st_size, st.st_mtime_ns, st.st_ino) for st in map(os.stat, files)]


# -- load through the cache ------------------------------------------------------------------------

def load_through(source: Path, files: list[Path] | None, load: Callable[[], KnowledgeGraph],
                 cache: bool | str | os.PathLike[str] | None = None, variant: str = "") -> KnowledgeGraph:
    """``load()``, or the cached graph of ``source`` when the cache holds one with the same key.

    ``files``: every file the load reads (None: unknown, so no cache); ``variant``: the load's
    options (roles), part of the key and of the file name. Errors of the load pass through; a
    cache that cannot be written is left out quietly (the graph is still returned).
    """
    folder, explicit = folder_for(cache)
    if folder is None or not files:
        return load()
    try:
        before = _stats(files)
        key, deps = key_for(files, variant)
    except OSError:
        return load()  # the loader says what is wrong with the files
    entry = entry_for(folder, source, variant)
    graph = read(entry, key)
    if graph is not None:
        _touch(entry)
        return graph
    start = time.perf_counter()
    graph = load()
    took = time.perf_counter() - start
    if not explicit and took < MIN_SECONDS:
        return graph
    try:
        if _stats(files) != before:
            return graph  # a source changed while it was read: the key may not describe this graph
        folder.mkdir(parents=True, exist_ok=True)
        write(entry, graph, key, {"source": str(source), "deps": deps, "load_seconds": round(took, 3)})
        if not explicit:
            _evict(folder, keep=entry)
    except (OSError, Unencodable):
        pass  # a read-only or full disk, or a graph holding something the codec does not write
    return graph


def status(source: Path, files: list[Path] | None, cache: bool | str | os.PathLike[str] | None = None,
           variant: str = "") -> Status:
    """Whether a load of ``source`` would come from the cache, and if not, why."""
    folder, _ = folder_for(cache)
    if folder is None or not files:
        return Status("off", None, None, "the cache is off" if folder is None else "the inputs are not known")
    key, _ = key_for(files, variant)
    entry = entry_for(folder, source, variant)
    if not entry.exists():
        return Status("missing", entry, key)
    try:
        header, _, _ = _open(entry)
    except (OSError, ValueError) as exc:
        return Status("corrupt", entry, key, str(exc))
    if header.get("key") != key:
        return Status("stale", entry, key, "a source file, the version or the code changed")
    return Status("fresh", entry, key) if read(entry, key) is not None else Status("corrupt", entry, key, "bad data")


# -- writing and reading ---------------------------------------------------------------------------

def graph_state(graph: KnowledgeGraph) -> dict[str, Any]:
    """Every attribute of the graph worth keeping: its own, and the derived tables computed now."""
    for name in PRECOMPUTE:
        if isinstance(getattr(type(graph), name, None), cached_property):
            getattr(graph, name)
    return dict(vars(graph))


def _own(graph: KnowledgeGraph) -> frozenset[str]:
    """The attributes a graph has right after construction: its state, which must all be kept."""
    return frozenset(vars(type(graph)(graph.parts)))


def _derived(graph: KnowledgeGraph, name: str) -> bool:
    """A cached property of the graph's own class (kg code, so the key's code hash covers it)."""
    return isinstance(getattr(type(graph), name, None), cached_property)


def write(entry: Path, graph: KnowledgeGraph, key: str, meta: dict[str, Any]) -> None:
    arrays = Arrays()
    tree: dict[str, Any] = {}
    own = _own(graph)
    for name, value in graph_state(graph).items():
        if name not in own and not _derived(graph, name):
            continue  # what other packages keep on the graph (their caches) is theirs to rebuild
        try:
            tree[name] = encode(value, arrays)
        except Unencodable:
            if name in own:
                raise  # the graph's own state: without it the cached graph would differ
    table, offset = [], 0
    for a in arrays.items:
        offset = -(-offset // ALIGN) * ALIGN
        table.append([a.dtype.str, list(a.shape), offset, a.nbytes, zlib.crc32(_bytes(a))])
        offset += a.nbytes
    header = json.dumps({"format": FORMAT, "key": key, "meta": meta, "arrays": table, "data_bytes": offset,
                         "class": f"{type(graph).__module__}:{type(graph).__qualname__}", "tree": tree},
                        ensure_ascii=True, allow_nan=False).encode()
    header += b" " * (-(PREFIX.size + len(header)) % ALIGN)

    def body(f) -> None:
        f.write(PREFIX.pack(MAGIC, len(header), zlib.crc32(header)))
        f.write(header)
        at = 0
        for a, (_, _, off, nbytes, _) in zip(arrays.items, table):
            f.write(b"\0" * (off - at))
            f.write(_bytes(a))
            at = off + nbytes
    atomic_write(entry, body)


def _bytes(a: np.ndarray) -> memoryview:
    return memoryview(a.reshape(-1).view(np.uint8))


def _open(entry: Path) -> tuple[dict[str, Any], mmap.mmap, int]:
    """(header, the whole file mapped, where the data starts); ValueError when it is not a cache file."""
    with open(entry, "rb") as f:
        st = os.fstat(f.fileno())
        if not os.path.isfile(entry) or st.st_size < PREFIX.size:
            raise ValueError("not a cache file (too short)")
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    magic, n, crc = PREFIX.unpack_from(mm, 0)
    if magic != MAGIC or n > MAX_HEADER or PREFIX.size + n > len(mm):
        raise ValueError("not a cache file, or one of another format")
    raw = mm[PREFIX.size:PREFIX.size + n]
    if zlib.crc32(raw) != crc:
        raise ValueError("the header's checksum does not match")
    header = json.loads(raw)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError("another cache format")
    return header, mm, PREFIX.size + n


def read(entry: Path, key: str) -> KnowledgeGraph | None:
    """The cached graph when ``entry`` holds one under ``key`` and every check passes; else None."""
    try:
        header, mm, start = _open(entry)
        if header.get("key") != key:
            return None
        arrays = Arrays([_array(mm, start, spec) for spec in header["arrays"]])
        if start + int(header["data_bytes"]) != len(mm):
            raise ValueError("the file's length is not what its header says (truncated or padded)")
        if header.get("class") != f"{KnowledgeGraph.__module__}:{KnowledgeGraph.__qualname__}":
            raise ValueError("another graph class")
        state = {str(k): decode(v, arrays) for k, v in dict(header["tree"]).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, struct.error):
        return None  # missing, truncated, corrupt or from other code: rebuilt by the caller
    graph = object.__new__(KnowledgeGraph)
    vars(graph).update(state)
    return graph


def _array(mm: mmap.mmap, start: int, spec: list) -> np.ndarray:
    dtype, shape, offset, nbytes, crc = spec
    dt = np.dtype(str(dtype))
    if dt.hasobject or not all(type(x) is int and x >= 0 for x in (*shape, offset, nbytes)):
        raise ValueError("bad array entry")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count * dt.itemsize != nbytes or start + offset + nbytes > len(mm):
        raise ValueError("array outside the file")
    view = memoryview(mm)[start + offset:start + offset + nbytes]
    if zlib.crc32(view) != crc:
        raise ValueError("an array's checksum does not match")
    a = np.frombuffer(mm, dtype=dt, count=count, offset=start + offset) if count else np.zeros(0, dtype=dt)
    a = a.reshape(shape)
    a.flags.writeable = False
    return a


def _touch(entry: Path) -> None:
    try:
        os.utime(entry)  # least recently used goes first when the folder is full
    except OSError:
        pass


def _evict(folder: Path, keep: Path) -> None:
    files = sorted((f for f in folder.glob(f"*{SUFFIX}") if f != keep), key=_mtime, reverse=True)
    for f in files[MAX_FILES - 1:]:
        try:
            f.unlink()
        except OSError:
            pass


def _mtime(f: Path) -> float:
    try:
        return f.stat().st_mtime
    except OSError:
        return 0.0
