"""Reading the rows of a table: CSV/TSV or JSON lines, strict, with the line of every row.

A BOM is accepted, a NUL byte or a ragged row is an error naming the line, a cell larger than
MAX_FIELD is refused rather than truncated, and JSON lines may not repeat a key.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError, Where
from kg.files import FileProblem, read_bytes

MAX_FIELD = 10_000_000  # bytes in one cell; larger cells are refused, not truncated
MAX_TABLE = 2 << 30  # bytes in one table: it is read whole, so a sparse 100 GB file must not be
MAX_ROWS = 20_000_000  # rows (lines) in one table, blank ones included


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str | list[str]]


def read_rows(file: Path, need: list[str], delimiter: str | None) -> Iterator[Row]:
    if file.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        yield from _json_rows(file)
    else:
        yield from _csv_rows(file, need, delimiter or ("\t" if file.suffix.lower() == ".tsv" else ","))


def _decode(file: Path) -> str:
    try:
        data = read_bytes(file, MAX_TABLE)
    except FileProblem as exc:
        code = "K006" if exc.kind == "size" else "K001"
        raise KGError(code, f"cannot read the table: {exc.message}", Where(str(file)),
                      "give a regular file (not a pipe or a device) under 2 GB; split a larger table") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise KGError("K008", f"invalid UTF-8 at byte {exc.start}", Where(str(file), line)) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise KGError("K023", "the file contains a NUL byte", Where(str(file), line), "remove the NUL character; it is not text")
    return text


def _csv_rows(file: Path, need: list[str], delimiter: str) -> Iterator[Row]:
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(_decode(file), newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise KGError("K022", "the table is empty; a header row is needed", Where(str(file), 1))
        header = [h.strip() for h in header]
        repeated = sorted({h for h in header if header.count(h) > 1 and h})
        if repeated:  # a row would keep only the last of the columns, silently
            cols = [k + 1 for k, h in enumerate(header) if h == repeated[0]]
            raise KGError("K022", f"column {repeated[0]!r} appears {len(cols)} times in the header "
                          f"(columns {', '.join(map(str, cols))})", Where(str(file), 1),
                          "give each column its own name")
        missing = [c for c in need if c and c not in header]
        if missing:
            close = difflib.get_close_matches(missing[0], header, n=1)
            raise KGError("K022", f"no column {missing[0]!r} (columns: {', '.join(header[:12])})", Where(str(file), 1),
                          f"did you mean {close[0]!r}?" if close else "add the column or fix the mapping")
        for fields in reader:
            if reader.line_num > MAX_ROWS:
                raise KGError("K006", f"the table has more than {MAX_ROWS:,} lines", Where(str(file), reader.line_num))
            if not fields:
                continue
            if len(fields) != len(header):
                raise KGError("K024", f"row has {len(fields)} fields, header has {len(header)}",
                              Where(str(file), reader.line_num), "quote fields that contain the delimiter")
            yield Row(reader.line_num, dict(zip(header, fields)))
    except csv.Error as exc:
        code = "K006" if "field larger" in str(exc) else "K023"
        raise KGError(code, f"CSV: {exc}", Where(str(file), reader.line_num)) from None


def _json_rows(file: Path) -> Iterator[Row]:
    for n, line in enumerate(_decode(file).splitlines(), 1):
        if n > MAX_ROWS:
            raise KGError("K006", f"the table has more than {MAX_ROWS:,} lines", Where(str(file), n))
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_no_duplicates, parse_int=str)  # digits kept as written
        except ValueError as exc:
            col = getattr(exc, "colno", None)
            raise KGError("K023", f"invalid JSON: {getattr(exc, 'msg', exc)}", Where(str(file), n, col)) from None
        except RecursionError:
            raise KGError("K010", "JSON nested too deep", Where(str(file), n)) from None
        if not isinstance(obj, dict):
            raise KGError("K023", "each line must be a JSON object", Where(str(file), n))
        cells: dict[str, str | list[str]] = {}
        for k, v in obj.items():
            if isinstance(v, list):
                cells[k] = [_scalar(x, file, n, k) for x in v]
            else:
                cells[k] = _scalar(v, file, n, k)
        yield Row(n, cells)  # a JSON line may leave out optional fields; required ones are checked by use


def _scalar(v: object, file: Path, line: int, key: str) -> str:
    if isinstance(v, (dict, list)):
        raise KGError("K023", f"field {key!r} is nested; give a text, number or list of them", Where(str(file), line))
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        try:  # a "\\ud800" escape decodes to half a character, which no file can hold
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise KGError("K008", f"field {key!r} holds a lone UTF-16 surrogate", Where(str(file), line),
                          "\\ud800-\\udfff are halves of a pair, not characters; write the character itself") from None
    return str(v)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out
