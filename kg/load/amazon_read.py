"""Reading Amazon Review Data (2018) files: JSON lines, plain or gzipped, all-or-nothing.

Every problem names the file and the line; nothing is evaluated (the older 2014
release writes Python literals, which we refuse rather than ``eval``).
"""
from __future__ import annotations

import gzip
import json
import math
import zlib
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KGError, Where

MAX_LINE = 16 * 1024 * 1024  # bytes in one line; a longer line is refused, not truncated
PY_LITERAL_HINT = ("this looks like the 2014 release, written as Python literals; convert it to JSON lines "
                   "first with a script you trust (e.g. json.dumps(ast.literal_eval(line)) per line), then load again")


def _bad_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _open(path: Path):
    try:
        return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")
    except OSError as exc:
        raise KGError("K001", f"cannot read: {exc.strerror}", Where(str(path))) from None


def json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line; any bad line raises KGError."""
    n = 0
    try:
        with _open(path) as f:
            while True:
                raw = f.readline(MAX_LINE + 1)
                if not raw:
                    return
                n += 1
                if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                    raise KGError("K006", f"line is longer than {MAX_LINE} bytes", Where(str(path), n))
                obj = _parse(raw, path, n)
                if obj is not None:
                    yield n, obj
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise KGError("K030", f"cannot read the file after line {n}: {exc}", Where(str(path), n + 1),
                      "the file is corrupt or truncated; download it again") from None


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
