"""``whyrec batch``: pairs in, one JSON line per pair out, in shards that a restart skips.

The kill tests run the command in its own process group, kill the whole group with SIGKILL once
a few shards are on disk, run the same command again and compare every byte with a run that was
never interrupted: in one process, on a process pool, and on a local Ray instance with 2 CPUs.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import load_graph
from whyrec.batch import Spec, run
from whyrec.batch_io import BatchError, read_output, read_pairs

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"


@pytest.fixture(scope="module")
def pairs_csv(tmp_path_factory) -> Path:
    g = load_graph(DEMO, cache=False)
    users, items = sorted(g.users()), sorted(g.items())
    rng = random.Random(5)
    path = tmp_path_factory.mktemp("pairs") / "pairs.csv"
    rows = [f"{rng.choice(users)},{rng.choice(items)}" for _ in range(60)]
    rows[7] = "nobody,p0001"  # an unknown user: an error row, not a failed run
    path.write_text("user,item\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def reference(pairs_csv, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("ref") / "out"
    run(Spec(str(DEMO), str(RULES)), pairs_csv, out, shard_size=4, progress=False)
    return _bytes(out)


def _bytes(out: Path) -> bytes:
    return b"".join(f.read_bytes() for f in sorted(out.glob("part-*.jsonl")))


def test_reads_csv_with_and_without_header_and_json_lines(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("item,user\np1,u1\n\np2,u2\n")
    (tmp_path / "b.csv").write_text("u1,p1\nu2,p2\n")
    (tmp_path / "c.jsonl").write_text('{"user": "u1", "item": "p1"}\n\n{"user": "u2", "item": 7}\n')
    for name, second in (("a.csv", ("u2", "p2")), ("b.csv", ("u2", "p2")), ("c.jsonl", ("u2", "7"))):
        pairs, _ = read_pairs(tmp_path / name)
        assert [(p.index, p.user, p.item) for p in pairs] == [(0, "u1", "p1"), (1, *second)]


@pytest.mark.parametrize("text, line", [('{"user": "u1"}\n', 1), ('{"user": "u1", "item": "p"}\n[1, 2]\n', 2),
                                        ('{"user": true, "item": "p"}\n', 1)])
def test_bad_pairs_say_which_line(tmp_path, text: str, line: int) -> None:
    (tmp_path / "bad.jsonl").write_text(text)
    with pytest.raises(BatchError) as err:
        read_pairs(tmp_path / "bad.jsonl")
    assert err.value.code == "B001" and err.value.where.line == line


def test_every_pair_once_with_errors_as_rows(reference) -> None:
    rows = [json.loads(line) for line in reference.decode().splitlines()]
    assert sorted(r["index"] for r in rows) == list(range(60))
    bad = [r for r in rows if "error" in r]
    assert [r["index"] for r in bad] == [7] and bad[0]["error"]["code"] == "E001"
    good = [r for r in rows if "error" not in r]
    assert all("timings_ms" not in r for r in good) and any(r["reasons"] for r in good)


def test_a_folder_of_another_run_is_refused(pairs_csv, tmp_path) -> None:
    out = tmp_path / "o"
    run(Spec(str(DEMO), str(RULES)), pairs_csv, out, shard_size=30, progress=False)
    with pytest.raises(BatchError) as err:
        run(Spec(str(DEMO), str(RULES), k=2), pairs_csv, out, shard_size=30, progress=False)
    assert err.value.code == "B002"
    again = run(Spec(str(DEMO), str(RULES)), pairs_csv, out, shard_size=30, progress=False)
    assert again.skipped == again.shards == 2  # the same command finds nothing left to do
    assert [r["index"] for r in read_output(out)] == list(range(60))


def _command(pairs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "whyrec.cli", "batch", str(pairs), str(out), "--graph", str(DEMO), "--rules",
            str(RULES), "--templates", "--shard-size", "4", "--quiet", *extra]


def _kill_after(cmd: list[str], out: Path, shards: int, limit: float = 600.0) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.time()
    try:
        while time.time() - start < limit and proc.poll() is None:
            if len(list(out.glob("part-*.jsonl"))) >= shards:
                break
            time.sleep(0.02)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the command and every worker it started
        except ProcessLookupError:
            pass
        proc.wait()
    return len(list(out.glob("part-*.jsonl")))


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["in-process", "process pool", "ray"])
def test_killed_mid_run_resumes_to_the_same_output(engine, pairs_csv, reference, tmp_path) -> None:
    extra = {"in-process": (), "process pool": ("--workers", "2"), "ray": ("--workers", "2", "--ray", "local")}[engine]
    if engine == "ray":
        pytest.importorskip("ray")
    out = tmp_path / "out"
    cmd = _command(pairs_csv, out, *extra)
    done = _kill_after(cmd, out, shards=3)
    assert 3 <= done < 15, f"the run was not stopped mid-way ({done} of 15 shards)"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    finished = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stderr[-2000:]
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    # Ray's workers are not in the command's process group: one may finish a shard before it dies
    assert done <= summary["skipped"] < 15 and summary["engine"] == engine
    assert _bytes(out) == reference


def test_summary_counts_worker_cpu_and_cache(pairs_csv, tmp_path) -> None:
    """The CPU seconds and pairs of every shard but a worker's first (imports, loads) are counted;
    a run with templates asks no verbalization cache."""
    from whyrec.batch import _EXPLAINERS
    _EXPLAINERS.clear()  # this process starts as a fresh worker would
    s = run(Spec(str(DEMO), str(RULES)), pairs_csv, tmp_path / "out", shard_size=10, progress=False)
    assert s.shards == 6 and s.cpu_pairs == 50  # the first shard built the explainer
    assert s.worker_cpu_seconds > 0 and s.pairs_per_cpu_second > 0
    assert s.cache_hits == s.cache_misses == 0 and s.cache_hit_rate == 0.0
