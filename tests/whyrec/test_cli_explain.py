"""``whyrec explain`` and ``whyrec demo`` on the demo catalog, in-process (and one real process for
the exit code); every command's --help."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from whyrec.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
DEMO = str(ROOT / "data" / "demo")
USER, ITEM = "u022", "p0112"
REASON_LINE = re.compile(r"^  \u2713 .+   \[[a-z0-9-]+, (model|template), (confidence [01]\.\d\d|score -?\d+\.\d\d)\]$")


@pytest.fixture(autouse=True)
def trained_once(monkeypatch):
    """Each command trains the same ranker on the same catalog (deterministic): train it once here."""
    import generation.explain as explain
    real = explain.cached_ranker
    monkeypatch.setattr(explain, "cached_ranker", lambda graph, rules, **kw: _SCORERS.get(graph.source) or
                        _SCORERS.setdefault(graph.source, real(graph, rules, **kw)))


_SCORERS: dict[str, object] = {}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_explain_prints_checked_reasons(capsys) -> None:
    code, out, _ = run(capsys, "explain", "--graph", DEMO, "--user", USER, "--item", ITEM, "--templates")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Why Dermaquill Clear Days Purifying Clay Mask 75 ml ({ITEM}) for {USER}?"
    reasons = lines[1:]
    assert 1 <= len(reasons) <= 3 and all(REASON_LINE.match(line) for line in reasons), out
    said = [re.search(r"\[([a-z0-9-]+), template,", line).group(1) for line in reasons]
    assert len(set(said)) == len(said)  # the reasons of a pair differ in rule (the demo pair has several)


def test_explain_json_and_html(capsys, tmp_path) -> None:
    page = tmp_path / "why.html"
    code, out, err = run(capsys, "explain", "--graph", DEMO, "--user", USER, "--item", ITEM, "--k", "2",
                         "--json", "--html", str(page))
    assert code == 0
    data = json.loads(out)
    assert (data["user"], data["item"]) == (USER, ITEM)
    assert len(data["reasons"]) == 2 and all(r["verified"] for r in data["reasons"])
    assert "debug" not in data and all(0 <= r["confidence"] <= 1 for r in data["reasons"])
    assert f"wrote {page}" in err
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert data["reasons"][0]["text"].split(",")[0] in html
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:|//)""", html)  # nothing is fetched: it works offline
    assert f">{USER}<" not in html


def test_explain_a_pair_without_reasons_says_so(capsys) -> None:
    code, out, _ = run(capsys, "explain", "--graph", DEMO, "--user", "u011", "--item", "p0004", "--templates")
    assert code == 0 and "(no reasons: no rule links this user to" in out


def test_unknown_user_exits_2_with_the_error_on_stderr() -> None:
    proc = subprocess.run([sys.executable, "-m", "whyrec.cli", "explain", "--graph", DEMO, "--user", "u0011",
                           "--item", ITEM, "--templates"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "E001 unknown user 'u0011'" in proc.stderr and "'u001'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_k_exits_2(capsys) -> None:
    code, _, err = run(capsys, "explain", "--graph", DEMO, "--user", USER, "--item", ITEM, "--k", "0", "--templates")
    assert code == 2 and "E004" in err


def test_demo_prints_marked_reasons_and_writes_pages(capsys, tmp_path) -> None:
    out_dir = tmp_path / "pages"
    code, out, _ = run(capsys, "demo", "--templates", "--out", str(out_dir))
    assert code == 0
    assert "sentences by templates only" in out
    whys = [line for line in out.splitlines() if line.startswith("Why ")]
    assert len(whys) == 5
    marks = [line for line in out.splitlines() if line.startswith("  \u2713 ")]
    assert len(marks) >= 5 and "\u26a0" not in out
    m = re.search(r"^(\d+)/(\d+) reasons verified against the graph", out, re.M)
    assert m and m.group(1) == m.group(2) == str(len(marks))
    pages = sorted(p.name for p in out_dir.iterdir())
    assert pages == [f"pair-{n}.html" for n in range(1, 6)]


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield prefix + (name,)
                yield from _commands(sub, prefix + (name,))


COMMANDS = [()] + sorted(set(_commands(build_parser())))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "whyrec")
def test_every_help_exits_0(capsys, command) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: whyrec") and len(out) > 100


def test_explain_and_demo_are_commands() -> None:
    assert ("explain",) in COMMANDS and ("demo",) in COMMANDS


def test_explain_in_chinese_json_and_page(capsys, tmp_path) -> None:
    page = tmp_path / "why.html"
    code, out, _ = run(capsys, "explain", "--graph", DEMO, "--user", USER, "--item", ITEM, "--templates", "--lang", "zh",
                       "--json", "--html", str(page))
    assert code == 0
    data = json.loads(out)
    assert data["reasons"] and all(r["verified"] and r["text"].endswith("。") for r in data["reasons"])
    assert not any(re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", r["text"]) for r in data["reasons"])
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh">' in html and "✓ 已核实" in html and "<title>为什么向你推荐" in html


def test_an_unknown_language_is_refused_before_the_graph_loads(capsys) -> None:
    code, _, err = run(capsys, "explain", "--graph", DEMO, "--user", USER, "--item", ITEM, "--lang", "fr")
    assert code != 0 and "E005" in err and "en, zh" in err
