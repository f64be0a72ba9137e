"""The README's sample outputs, produced by running the commands they show.

    python -m whyrec.readme_samples            # print every sample
    python -m whyrec.readme_samples --check    # exit 1 when README.md differs from what the code prints
    python -m whyrec.readme_samples --write    # put the current output into README.md

In README.md each sample sits between ``<!-- sample: NAME -->`` and ``<!-- /sample -->``, as a
fenced block. The samples run the command line in-process on the shipped demo catalog with
rule templates (``--templates``), so they are the same on every machine; a test runs
``--check`` so the README cannot drift from the code, and checks that each sample names the
pair the README's own example asks about.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
USER, ITEM = "u001", "p0121"  # the pair the README's examples ask about
_BLOCK = re.compile(r"(<!-- sample: (?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- /sample -->)", re.S)
MAX_README = 1 << 20


def _cli(*argv: str) -> str:
    from whyrec.cli import main
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    if code != 0:
        raise SystemExit(f"sample command failed ({code}): whyrec {' '.join(argv)}")
    return out.getvalue()


def _explain(*extra: str) -> tuple[str, str]:
    argv = ("explain", "--graph", "data/demo", "--user", USER, "--item", ITEM, "--templates", *extra)
    out = _cli(*(str(ROOT / a) if a == "data/demo" else a for a in argv))  # shown relative, run from anywhere
    return " ".join(("whyrec",) + argv), out


def sample_text() -> str:
    command, out = _explain()
    return f"```\n$ {command}\n{out}```\n"


def sample_json() -> str:
    command, out = _explain("--k", "1", "--json")
    return f"```json\n// $ {command}\n{out}```\n"


SAMPLES: dict[str, Callable[[], str]] = {"explain-text": sample_text, "explain-json": sample_json}


def render(text: str, samples: dict[str, str]) -> str:
    """``text`` with every sample block replaced by its current output."""
    def fill(m: re.Match) -> str:
        name = m.group("name")
        if name not in samples:
            raise SystemExit(f"README names an unknown sample {name!r}; known: {', '.join(samples)}")
        return m.group(1) + samples[name] + m.group(4)
    return _BLOCK.sub(fill, text)


def blocks(text: str) -> dict[str, str]:
    """The samples as the README holds them now."""
    return {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}


def read_readme(path: Path = README) -> str:
    if not path.is_file() or path.stat().st_size > MAX_README:
        raise SystemExit(f"{path}: not a README of at most {MAX_README >> 10} KB")
    return path.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m whyrec.readme_samples", description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when README.md is not up to date")
    mode.add_argument("--write", action="store_true", help="rewrite the sample blocks of README.md")
    args = ap.parse_args(argv)
    samples = {name: make() for name, make in SAMPLES.items()}
    if not (args.check or args.write):
        for name, body in samples.items():
            print(f"<!-- sample: {name} -->\n{body}<!-- /sample -->")
        return 0
    text = read_readme()
    new = render(text, samples)
    if args.write:
        if new != text:
            from kg.store import atomic_write_text
            atomic_write_text(README, new)
        return 0
    stale = [n for n, body in blocks(text).items() if samples.get(n) != body]
    missing = sorted(set(samples) - set(blocks(text)))
    for n in stale + missing:
        print(f"README.md: sample {n!r} is {'missing' if n in missing else 'out of date'}; "
              "run `python -m whyrec.readme_samples --write`", file=sys.stderr)
    return 1 if stale or missing else 0


if __name__ == "__main__":
    sys.exit(main())
