"""Reading Amazon Review Data (2018) files: JSON lines, plain or gzipped, all-or-nothing.

Every problem names the file and the line; nothing is evaluated (the older 2014
release writes Python literals, which we refuse rather than ``eval``).
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KGError, Where
from kg.files import FileProblem, Limits, read_lines

MAX_LINE = 16 * 1024 * 1024  # bytes in one line; a longer line is refused, not truncated
# The largest 2018 category (Books) holds 51M reviews, about 20 GB unpacked: room for it, and no more.
LIMITS = Limits(max_bytes=64 << 30, max_lines=200_000_000, max_line=MAX_LINE)
MAX_FILE = 32 << 30  # bytes on disk
PY_LITERAL_HINT = ("this looks like the 2014 release, written as Python literals; convert it to JSON lines "
                   "first with a script you trust (e.g. json.dumps(ast.literal_eval(line)) per line), then load again")


def _bad_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line; any bad line raises KGError.

    Plain or gzipped (told by the bytes, not the name); the work is bounded: at most
    ``LIMITS.max_bytes`` decompressed bytes and ``LIMITS.max_lines`` lines, blank ones included.
    """
    try:
        for n, raw in read_lines(path, LIMITS, MAX_FILE):
            obj = _parse(raw, path, n)
            if obj is not None:
                yield n, obj
    except FileProblem as exc:
        raise file_error(exc, path) from None


def file_error(exc: FileProblem, path: Path) -> KGError:
    """A kg.files problem as the KGError a loader raises (code by kind, the file and line named)."""
    code = {"missing": "K001", "io": "K030", "kind": "K001", "size": "K006", "bomb": "K006", "line": "K006"}[exc.kind]
    hint = ("the file is corrupt or truncated; download it again" if exc.kind == "io" else
            "give a regular file (not a pipe or a device)" if exc.kind == "kind" else None)
    return KGError(code, exc.message, Where(str(path), exc.line), hint)


def _parse(raw: bytes, path: Path, n: int) -> dict | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KGError("K008", f"invalid UTF-8 at byte {exc.start} of the line", Where(str(path), n)) from None
    if n == 1:
        text = text.lstrip("\ufeff")
    stripped = text.strip()
    if not stripped:
        return None
    try:
        obj = json.loads(stripped, parse_constant=_bad_constant)
    except RecursionError:
        raise KGError("K010", "JSON nested too deep", Where(str(path), n)) from None
    except ValueError as exc:
        col = getattr(exc, "colno", None)
        if stripped.startswith("{'"):
            raise KGError("K031", "line is a Python literal, not JSON", Where(str(path), n, col), PY_LITERAL_HINT) from None
        raise KGError("K031", f"invalid JSON: {getattr(exc, 'msg', exc)}", Where(str(path), n, col),
                      "each line must be one JSON object; fix or remove this line") from None
    if not isinstance(obj, dict):
        raise KGError("K031", f"expected a JSON object, got {type(obj).__name__}", Where(str(path), n),
                      "each line must be one JSON object ({...})")
    return obj


def text_field(obj: dict, key: str, path: Path, n: int, required: bool = False) -> str:
    """A string field, stripped; '' when absent or null (an error when required)."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise KGError("K032", f"missing {key!r}", Where(str(path), n), f"every review line needs {key!r}")
        return ""
    if not isinstance(value, str):
        raise KGError("K032", f"{key!r} must be text, got {type(value).__name__}", Where(str(path), n))
    return value.strip()


def number_field(obj: dict, key: str, path: Path, n: int) -> float:
    value = obj.get(key)
    if value is None:
        raise KGError("K032", f"missing {key!r}", Where(str(path), n), f"every review line needs {key!r} (1 to 5)")
    if isinstance(value, str):  # some dumps quote numbers; accept "4.0", refuse words
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise KGError("K032", f"{key!r} must be a number, got {str(value)[:40]!r}", Where(str(path), n))
    return float(value)


def int_field(obj: dict, key: str, path: Path, n: int) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise KGError("K032", f"{key!r} must be a whole number (seconds since 1970), got {str(value)[:40]!r}",
                      Where(str(path), n))
    return value


def bool_field(obj: dict, key: str, path: Path, n: int) -> bool | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise KGError("K032", f"{key!r} must be true or false, got {str(value)[:40]!r}", Where(str(path), n))
