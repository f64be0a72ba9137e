"""The README's Python example votes (``explainer.feedback(...)``) without writing into the project.

It runs in a fresh interpreter from a scratch folder, with the user's data folder pointed at a
temporary one (XDG_DATA_HOME, which platformdirs reads): the vote must land there, one store for
the demo graph, and the repository's files (tracked or not) must be exactly as before.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "explainer.feedback(" in b]
    assert blocks, "the README has no Python example that calls explainer.feedback"
    return blocks[0]


def _tree() -> dict[str, tuple[int, int]]:
    """Every file under the repository (but .git and caches): size and modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in (".git", "__pycache__", ".pytest_cache", ".venv", "out")]
        for name in filenames:
            st = os.lstat(os.path.join(dirpath, name))
            out[os.path.join(dirpath, name)] = (st.st_size, st.st_mtime_ns)
    return out


def test_the_readme_example_votes_outside_the_project_tree(tmp_path):
    code = "import os\nos.chdir(os.environ['ROOT'])\n" + _example()  # the README's paths are the repo's
    data = tmp_path / "data-home"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT), "ROOT": str(ROOT)}
    before = _tree()
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    after = _tree()
    assert {k for k in after if after[k] != before.get(k)} == set(), "the example wrote into the project tree"
    stores = sorted((data / "whyrec" / "feedback").glob("*.sqlite"))
    assert len(stores) == 1 and stores[0].name.startswith("demo-")
