"""YAML syntax errors in the words of the person who wrote the file, at the line they must fix.

libyaml reports what its scanner expected ("did not find expected key", "mapping values are not
allowed in this context"), often on the line *after* the mistake. The people who write rule and
mapping files are not YAML experts: this module reads the lines around the error and says what
to change ("a tab is not allowed for indenting", "put a sentence with ':' in quotes").

>>> explain("mapping values are not allowed in this context", None, ["- id: a", "  says: Note: ok"], 2, 13)
("put a sentence with ':' in quotes: a ': ' inside an unquoted text starts a new key", 2, 13)
"""
from __future__ import annotations

import re

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w\-]*)\s*:(?:\s|$)")
_ITEM = re.compile(r"^(\s*)-(?:\s|$)")
MAX_LOOKBACK = 200  # lines read backwards to find what a misplaced line should line up with


def explain(problem: str, context: str | None, lines: list[str], line: int, col: int,
            context_line: int | None = None) -> tuple[str, int, int]:
    """(message, line, col) for a libyaml error at ``line``:``col`` (1-based) of ``lines``."""
    text = problem or context or "syntax error"
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "tab" in text or (here[:1] == "\t" or "\t" in here[:max(col, 1)]) and "cannot start any token" in text:
        tab = next((n for n in range(line, max(0, line - MAX_LOOKBACK), -1) if "\t" in _lead(lines, n)), line)
        return "a tab is not allowed for indenting; indent with spaces", tab, 1
    if "cannot start any token" in text and col - 1 < len(here) and here[col - 1] in "@`":
        return f"a text cannot start with '{here[col - 1]}'; put the whole text in quotes", line, col
    if "mapping values are not allowed" in text:
        return "put a sentence with ':' in quotes: a ': ' inside an unquoted text starts a new key", line, col
    if "unknown directive" in text or "directive" in text:
        return "a line cannot start with '%'; put the text in quotes", line, 1
    if "end of stream" in text or "unexpected end" in text:
        opened = _unclosed_quote(lines, line)
        if opened is not None:
            return "this quote is never closed; end the text with the same quote mark", opened[0], opened[1]
    if "expected ',' or ']'" in text or "expected ',' or '}'" in text:
        at = context_line or line
        close = "]" if "]" in text else "}"
        opened = _get(lines, at).find("[" if close == "]" else "{")
        return f"a list written in brackets is not closed on this line; add '{close}'", at, opened + 1 if opened >= 0 else 1
    if "could not find expected ':'" in text:
        for n in range(line, max(0, line - MAX_LOOKBACK), -1):
            if re.match(r"^\s*(?:-\s+)?[A-Za-z_][\w\-]*:\S", _get(lines, n)):
                return "put a space after ':' (key: value)", n, _get(lines, n).index(":") + 2
    if "expected key" in text or "expected '-' indicator" in text or "expected <block end>" in text:
        return _misplaced(lines, line, col)
    return (f"the YAML cannot be read here ({text}); check the indentation and the quotes on this line "
            "and the one above", line, col)


def _get(lines: list[str], n: int) -> str:
    return lines[n - 1] if 0 < n <= len(lines) else ""


def _lead(lines: list[str], n: int) -> str:
    line = _get(lines, n)
    return line[:len(line) - len(line.lstrip())]


def _unclosed_quote(lines: list[str], line: int) -> tuple[int, int] | None:
    """The last line before ``line`` whose quotes do not pair up, and where its open quote is."""
    for n in range(min(line, len(lines)), max(0, line - MAX_LOOKBACK), -1):
        text = _get(lines, n).split(" #")[0]
        for quote in ('"', "'"):
            count = text.replace('\\"', "").count(quote) if quote == '"' else text.replace("''", "").count(quote)
            if count % 2 == 1 and not (quote == "'" and re.search(r"\w'\w", text)):
                return n, text.index(quote) + 1
    return None


def _misplaced(lines: list[str], line: int, col: int) -> tuple[str, int, int]:
    """A line that does not line up, or text after a value: find which and say it in words."""
    for n in (line, line - 1):  # libyaml may report the line after the mistake
        text = _get(lines, n)
        value = re.match(r"^\s*(?:-\s+)?[A-Za-z_][\w\-]*:\s+(.*)$", text)
        if value and value.group(1).startswith("{") and not value.group(1).rstrip().endswith("}"):
            return ("put a sentence that starts with '{' in quotes: a '{' at the start opens a mapping",
                    n, text.index("{") + 1)
        if value and value.group(1)[:1] in "\"'":
            quote = value.group(1)[0]
            rest = value.group(1)[1:]
            end = rest.find(quote)
            if end >= 0 and rest[end + 1:].strip() and not rest[end + 1:].strip().startswith("#"):
                return ("text follows the closing quote; put the whole sentence inside the quotes",
                        n, text.index(value.group(1)) + end + 3)
    text = _get(lines, line)
    indent = len(text) - len(text.lstrip(" "))
    item, key = _ITEM.match(text), _KEY.match(text)
    for n in range(line - 1, max(0, line - MAX_LOOKBACK), -1):
        prev = _get(lines, n)
        if not prev.strip() or prev.lstrip().startswith("#"):
            continue
        p_indent = len(prev) - len(prev.lstrip(" "))
        if item and _ITEM.match(prev) and p_indent != indent:
            return (f"this '- ' does not line up with the list above it (column {p_indent + 1}, line {n}); "
                    "each '- ' of one list starts in the same column", line, indent + 1)
        if key and not item and _KEY.match(prev):
            p_key = _KEY.match(prev)
            p_col = p_indent + (len(prev.lstrip(" ")) - len(prev.lstrip(" ")[1:].lstrip()) if _ITEM.match(prev) else 0)
            if p_key and p_col != indent:
                return (f"'{key.group(2)}' does not line up with '{p_key.group(2)}' on line {n} (column {p_col + 1}); "
                        "the keys of one rule start in the same column", line, indent + 1)
        break
    return ("this line does not line up with the lines above it; check its indentation, and put any text "
            "with ':', '{' or '#' in quotes", line, col)
