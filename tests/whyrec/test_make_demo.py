"""The README's two commands on a fresh clone: what `make demo` runs works and says what the README
promises, and the Makefile / CI wiring behind `make demo` and `make test` is in place."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _recipe(target: str) -> list[str]:
    """The recipe lines of a Makefile target (tab-indented lines after ``target:``)."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    heads = [n for n, line in enumerate(lines) if re.match(rf"^{re.escape(target)}\s*:", line)]
    assert heads, f"the Makefile has no '{target}' target"
    out = []
    for line in lines[heads[0] + 1:]:
        if not line.startswith("\t"):
            break
        out.append(line.strip())
    return out


def _writable_traces() -> set[Path]:
    """What the demo could leave in a clone: its default page folder, feedback files beside the catalog."""
    return {p for p in [ROOT / "whyrec-demo", *(ROOT / "data").rglob("*.feedback.json*")] if p.exists()}


def test_the_demo_command_explains_five_pairs_and_writes_pages(tmp_path) -> None:
    # `make demo` is `.venv/bin/whyrec demo`; run the same entry point without reinstalling
    out_dir = tmp_path / "whyrec-demo"
    env = dict(os.environ, OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    before = _writable_traces()
    proc = subprocess.run([sys.executable, "-m", "whyrec.cli", "demo", "--out", str(out_dir)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert re.search(r"^users\s+150$", out, re.M) and re.search(r"^items\s+360$", out, re.M)  # the catalog summary
    assert re.search(r"^rules: \d+ from default\.yaml; sentences by (templates only|the shipped verbalizer)", out, re.M)
    whys = re.findall(r"^Why .+ \((p\d{4})\) for (u\d{3})\?$", out, re.M)
    assert len(whys) == 5 and len(set(whys)) == 5
    marks = re.findall(r"^  \u2713 .+   \[[a-z0-9-]+, (?:model|template), (?:confidence [01]\.\d\d|score -?\d+\.\d\d)\]$", out, re.M)
    assert len(marks) >= 5
    m = re.search(r"^(\d+)/(\d+) reasons verified against the graph", out, re.M)
    assert m and m.group(1) == m.group(2) == str(len(marks))
    assert f"wrote 5 pages to {out_dir}/" in out
    pages = sorted(out_dir.glob("pair-*.html"))
    assert [p.name for p in pages] == [f"pair-{n}.html" for n in range(1, 6)]
    assert all(p.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html") for p in pages)
    assert _writable_traces() == before  # with --out, nothing is written into the clone


def test_makefile_has_demo_and_test_targets() -> None:
    demo, test = _recipe("demo"), _recipe("test")
    assert any(re.search(r"(^|/)whyrec demo\b", line) for line in demo), demo
    assert any("pytest" in line for line in test), test
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    # both set themselves up on a fresh clone: a venv with the project installed
    assert re.search(r"^demo:.*\$\(STAMP\)", text, re.M) and re.search(r"^test:.*\$\(STAMP\)", text, re.M)
    assert "venv" in text and "pip install" in text


def test_ci_runs_make_test() -> None:
    run = ROOT / ".ci" / "run"
    assert os.access(run, os.X_OK), ".ci/run must be executable"
    commands = [line.split("#")[0].strip() for line in run.read_text(encoding="utf-8").splitlines()]
    assert "make test" in commands


def test_readme_names_the_demo_output_folder() -> None:
    from whyrec.cli import build_parser
    parser = build_parser()
    demo = parser._subparsers._group_actions[0].choices["demo"]  # type: ignore[union-attr]
    default = next(a.default for a in demo._actions if a.dest == "out")
    assert f"`{default}/`" in (ROOT / "README.md").read_text(encoding="utf-8")
