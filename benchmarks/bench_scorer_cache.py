"""`whyrec explain` CPU time with the scorer trained on every call (no cache) against read from the cache.

    OMP_NUM_THREADS=1 python benchmarks/bench_scorer_cache.py                 # demo, templates and model
    python benchmarks/bench_scorer_cache.py --graph ../shared/data/amazon_magazine_2018 --user A... --item B...

Each row runs the command ``--runs`` times in a fresh interpreter and reports the median CPU
seconds (user + system, from the child's rusage) and wall seconds. "no cache" points
WHYREC_CACHE_DIR at an empty folder before every run (what every call cost before the cache);
"cached" runs once to fill the folder, then measures.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(argv: list[str], cache: str) -> tuple[float, float]:
    env = {**os.environ, "WHYREC_CACHE_DIR": cache, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "whyrec.cli", *argv], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def measure(argv: list[str], cached: bool, runs: int) -> tuple[float, float]:
    cpu, wall = [], []
    with tempfile.TemporaryDirectory() as keep:
        if cached:
            run_once(argv, keep)
        for _ in range(runs):
            if cached:
                c, w = run_once(argv, keep)
            else:
                with tempfile.TemporaryDirectory() as fresh:
                    c, w = run_once(argv, fresh)
            cpu.append(c)
            wall.append(w)
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", default=str(ROOT / "data" / "demo"))
    ap.add_argument("--user", default="u022")
    ap.add_argument("--item", default="p0112")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-model", action="store_true", help="templates only (skip the model rows)")
    args = ap.parse_args(argv)
    base = ["explain", "--graph", args.graph, "--user", args.user, "--item", args.item]
    print("| `whyrec explain` | scorer | CPU s (median) | wall s | CPU ratio |")
    print("|---|---|---|---|---|")
    for name, extra in (("templates", ["--templates"]), ("shipped model", [])):
        if extra == [] and args.no_model:
            continue
        cold = measure(base + extra, False, args.runs)
        warm = measure(base + extra, True, args.runs)
        print(f"| {Path(args.graph).name}, {name} | trained every call | {cold[0]:.2f} | {cold[1]:.2f} | 1.00 |")
        print(f"| {Path(args.graph).name}, {name} | from the cache | {warm[0]:.2f} | {warm[1]:.2f} | "
              f"{warm[0] / cold[0]:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
