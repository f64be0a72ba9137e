"""Terminal output that a label cannot take over: control characters are shown, never obeyed.

A product name holding ESC or OSC sequences could clear the screen, retitle the window, write
the clipboard (OSC 52) or draw a link (OSC 8) when printed raw; one holding U+202E could make a
line read backwards. ``whyrec.cli.main`` wraps stdout and stderr in :class:`SafeStream` for every
command, so no output path can forget it: each such character is written as ``\\uXXXX`` (which
is also a valid escape inside a JSON string, so ``--json`` output parses to the same data).

Kept as they are: newline and tab, and a carriage return at the start of a write (how progress
bars redraw their line). :func:`one_line` also shows newlines, for a label printed inside a line.

>>> escape("Glow\\x1b]52;c;ZXZpbA==\\x07 Serum \\u202eevil")
'Glow\\\\u001b]52;c;ZXZpbA==\\\\u0007 Serum \\\\u202eevil'
>>> one_line("two\\nlines")
'two\\\\u000alines'
"""
from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

# C0 but tab and newline, DEL, C1, bidi marks, embeddings, overrides and isolates, line separators
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _code(m: re.Match) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def escape(text: str) -> str:
    """``text`` with every character a terminal would obey (but newline and tab) written as ``\\uXXXX``."""
    return _UNSAFE.sub(_code, text)


def one_line(text: object) -> str:
    """A value for the middle of a line: newlines and tabs shown too, so it cannot forge a new line."""
    return _UNSAFE_LINE.sub(_code, str(text))


class SafeStream:
    """A text stream that escapes what it is given (see the module docstring); the rest is delegated."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        if text.startswith("\r"):  # a progress bar redrawing its line
            self._stream.write("\r" + escape(text[1:]))
        else:
            self._stream.write(escape(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """stdout and stderr wrapped in SafeStream for the duration (restored after, even on error)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
