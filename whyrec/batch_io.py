"""Reading pairs and writing shards for ``whyrec batch`` (whyrec/batch.py runs them).

Pairs: CSV (a header with ``user`` and ``item`` columns, or the first two columns), JSON lines
(objects with ``user`` and ``item``), or Parquet (the same two columns; needs pyarrow). Output:
a folder of JSON-lines shards, ``part-00000.jsonl`` ..., each written atomically (temp file,
fsync, rename) so that a shard on disk is always complete; ``_batch.json`` records what the run
was (input digest, options, shard size), so a restart adds the missing shards and refuses to mix
runs. Each line is one pair's explanation with ``index``, the pair's line in the input (header
and blank lines not counted).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.errors import CodedError, Where
from kg.store import atomic_write, atomic_write_text

CATALOG: dict[str, tuple[str, str]] = {
    "B001": ("cannot read the pairs", "give a CSV with user,item columns, JSON lines with \"user\" and \"item\", or Parquet"),
    "B002": ("another run's output", "write to another folder, or delete it to start over"),
    "B003": ("Ray is not installed", "pip install 'whyrec[ray]', or use --workers N (a local process pool)"),
    "B004": ("a worker failed", "see the message; finished shards are kept: run the same command again to resume"),
}
MAX_PAIRS_BYTES = 8 << 30
MAX_FIELD = 4096  # an id longer than this is not an id


class BatchError(CodedError):
    """The one error type of ``whyrec batch``."""

    catalog = CATALOG


@dataclass(frozen=True)
class Pair:
    index: int
    user: str
    item: str


@dataclass(frozen=True)
class Manifest:
    pairs_sha256: str
    pairs: int
    shard_size: int
    shards: int
    options: tuple[tuple[str, str], ...]


def read_pairs(path: str | os.PathLike[str]) -> tuple[list[Pair], str]:
    """(pairs in input order, the file's SHA-256); BatchError B001 naming the line on anything bad."""
    p = Path(path)
    try:
        st = p.stat()
        if not p.is_file() or st.st_size > MAX_PAIRS_BYTES:
            raise BatchError("B001", "not a regular file of at most 8 GB", Where(str(p)))
        data = p.read_bytes()
    except OSError as exc:
        raise BatchError("B001", f"cannot read: {exc.strerror or exc}", Where(str(p))) from None
    digest = hashlib.sha256(data).hexdigest()
    name = p.name.lower()
    if name.endswith(".parquet"):
        return _parquet(p), digest
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError("B001", f"not UTF-8 (byte {exc.start})", Where(str(p))) from None
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return _jsonl(text, p), digest
    return _csv(text, p), digest


def _check(user: object, item: object, p: Path, line: int) -> tuple[str, str]:
    if not isinstance(user, (str, int)) or not isinstance(item, (str, int)) or isinstance(user, bool) or isinstance(item, bool):
        raise BatchError("B001", "user and item must be ids (text or integers)", Where(str(p), line))
    u, i = str(user).strip(), str(item).strip()
    if not u or not i or len(u) > MAX_FIELD or len(i) > MAX_FIELD:
        raise BatchError("B001", "an empty or overlong user or item id", Where(str(p), line))
    return u, i


def _jsonl(text: str, p: Path) -> list[Pair]:
    out = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise BatchError("B001", f"not JSON: {exc}", Where(str(p), line)) from None
        if not isinstance(obj, dict) or "user" not in obj or "item" not in obj:
            raise BatchError("B001", "each line must be an object with \"user\" and \"item\"", Where(str(p), line))
        out.append(Pair(len(out), *_check(obj["user"], obj["item"], p, line)))
    return out


def _csv(text: str, p: Path) -> list[Pair]:
    rows = csv.reader(io.StringIO(text, newline=""))
    out: list[Pair] = []
    cols = (0, 1)
    for line, row in enumerate(rows, 1):
        if not row or all(not c.strip() for c in row):
            continue
        if line == 1:
            names = [c.strip().lower() for c in row]
            if "user" in names and "item" in names:
                cols = (names.index("user"), names.index("item"))
                continue
        if len(row) <= max(cols):
            raise BatchError("B001", f"expected at least {max(cols) + 1} columns", Where(str(p), line))
        out.append(Pair(len(out), *_check(row[cols[0]], row[cols[1]], p, line)))
    return out


def _parquet(p: Path) -> list[Pair]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BatchError("B001", "reading Parquet needs pyarrow", Where(str(p)),
                         "pip install pyarrow, or give the pairs as CSV or JSON lines") from None
    try:
        table = pq.read_table(str(p), columns=["user", "item"])
    except Exception as exc:  # pyarrow's own error types: a bad file either way
        raise BatchError("B001", f"cannot read Parquet: {exc}", Where(str(p))) from None
    users, items = table.column("user").to_pylist(), table.column("item").to_pylist()
    return [Pair(k, *_check(u, i, p, k + 1)) for k, (u, i) in enumerate(zip(users, items))]


# -- shards ------------------------------------------------------------------------------------

def plan_shards(pairs: list[Pair], size: int) -> list[list[Pair]]:
    """Shards of ``size`` pairs, one user's pairs together (stable: a restart gets the same shards)."""
    ordered = sorted(pairs, key=lambda p: (p.user, p.index))
    return [ordered[k:k + size] for k in range(0, len(ordered), max(size, 1))]


def shard_path(out: Path, n: int) -> Path:
    return out / f"part-{n:05d}.jsonl"


def prepare(out: Path, manifest: Manifest) -> list[int]:
    """Create or check the output folder; the shards still to do."""
    out.mkdir(parents=True, exist_ok=True)
    mpath = out / "_batch.json"
    text = json.dumps(asdict(manifest), indent=1, sort_keys=True) + "\n"
    if mpath.exists():
        try:
            old = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old != json.loads(text):
            raise BatchError("B002", "this folder holds the output of another batch (other pairs or options)",
                             Where(str(mpath)))
    else:
        if any(out.glob("part-*.jsonl")):
            raise BatchError("B002", "this folder holds shards but no _batch.json", Where(str(out)))
        atomic_write_text(mpath, text)
    return [n for n in range(manifest.shards) if not shard_path(out, n).is_file()]


def write_shard(path: Path, rows: list[dict]) -> None:
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=False) for r in rows]
    atomic_write(path, lambda f: f.write(("\n".join(lines) + "\n").encode("utf-8")))


def read_output(out: Path) -> list[dict]:
    """Every row of a finished run, in input order."""
    rows = [json.loads(line) for f in sorted(out.glob("part-*.jsonl")) for line in f.read_text(encoding="utf-8").splitlines()]
    return sorted(rows, key=lambda r: r["index"])
