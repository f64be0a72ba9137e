"""The feedback store at scale: time per vote and per read at a million users, beside the JSON file
it replaced, and votes lost when eight processes vote at once.

    python benchmarks/bench_feedback.py                   # 1,000,000 users (about a minute to build)
    python benchmarks/bench_feedback.py --users 100000 --json-users 10000 100000

The JSON baseline is the first store's design (read the whole file, change one user, write it all
atomically), measured the same way: what a vote costs as the store grows.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RELATIONS = ("brand", "category", "purchased", "rated", "ingredient")


def build(path: Path, users: int) -> None:
    """A store of ``users`` users, one rule and two relation weights each (bulk, in one transaction)."""
    from generation.feedback import FeedbackStore, Vote

    FeedbackStore(path).record(Vote("seed", "r", (), True))
    rnd = random.Random(0)
    with sqlite3.connect(path) as db:
        db.executemany("INSERT OR REPLACE INTO weights VALUES (?, ?, ?, ?)",
                       ((f"https://shop.example/user/u{k:07d}", kind, name, 0.25)
                        for k in range(users)
                        for kind, name in (("rule", f"rule-{rnd.randrange(40)}"), ("relation", rnd.choice(RELATIONS)),
                                           ("relation", "brand"))))


def time_votes(path: Path, users: int, votes: int) -> tuple[list[float], list[float]]:
    from generation.feedback import FeedbackStore, Vote

    store = FeedbackStore(path)
    rnd = random.Random(1)
    vote_s, read_s = [], []
    for _ in range(votes):
        user = f"https://shop.example/user/u{rnd.randrange(users):07d}"
        start = time.perf_counter()
        store.record(Vote(user, f"rule-{rnd.randrange(40)}", (rnd.choice(RELATIONS),), rnd.random() < 0.5))
        vote_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.weights(user)
        read_s.append(time.perf_counter() - start)
    return vote_s, read_s


def time_json(users: int, votes: int, folder: Path) -> list[float]:
    """The replaced design: the whole file read, one user changed, the whole file written atomically."""
    from kg.store import atomic_write_text

    path = folder / "feedback.json"
    doc = {"format": "whyrec-feedback", "version": 1,
           "users": {f"u{k:07d}": {"rules": {f"rule-{k % 40}": 0.25}, "relations": {"brand": 0.25}}
                     for k in range(users)}}
    path.write_text(json.dumps(doc))
    rnd, out = random.Random(1), []
    for _ in range(votes):
        start = time.perf_counter()
        data = json.loads(path.read_text())
        entry = data["users"].setdefault(f"u{rnd.randrange(users):07d}", {"rules": {}, "relations": {}})
        entry["rules"]["rule-1"] = entry["rules"].get("rule-1", 0.0) + 0.75
        atomic_write_text(path, json.dumps(data, indent=1, sort_keys=True))
        out.append(time.perf_counter() - start)
    return out


def _voter(path: str, tag: str, n: int, barrier) -> None:
    from generation.feedback import FeedbackStore, Vote

    store = FeedbackStore(path)
    barrier.wait()
    for k in range(n):
        store.record(Vote("https://shop.example/user/concurrent", f"{tag}-{k}", (), True))


def concurrent(path: Path, processes: int, votes: int) -> tuple[int, float]:
    """(votes lost, seconds) when ``processes`` processes cast ``votes`` votes each at once."""
    from generation.feedback import FeedbackStore

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(processes)
    procs = [ctx.Process(target=_voter, args=(str(path), f"p{n}", votes, barrier)) for n in range(processes)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    seconds = time.perf_counter() - start
    kept = len(FeedbackStore(path).weights("https://shop.example/user/concurrent").rules)
    return processes * votes - kept, seconds


def ms(values: list[float], q: float) -> str:
    return f"{sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1e3:.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--votes", type=int, default=300)
    ap.add_argument("--json-users", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--processes", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        folder = Path(tmp)
        path = folder / "feedback.sqlite"
        start = time.perf_counter()
        build(path, args.users)
        built = time.perf_counter() - start
        vote_s, read_s = time_votes(path, args.users, args.votes)
        print(f"## Feedback store: {args.users:,} users ({path.stat().st_size / 2**20:.0f} MB, built in {built:.0f} s)\n")
        print("| store | users | vote median | vote p95 | vote max | read median | read max |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print(f"| SQLite (whyrec) | {args.users:,} | {ms(vote_s, 0.5)} | {ms(vote_s, 0.95)} | {ms(vote_s, 1.0)} | "
              f"{ms(read_s, 0.5)} | {ms(read_s, 1.0)} |", flush=True)
        for n in args.json_users:
            js = time_json(n, max(5, min(30, args.votes // 10)), folder)
            print(f"| JSON file, rewritten per vote (the first store) | {n:,} | {ms(js, 0.5)} | {ms(js, 0.95)} | "
                  f"{ms(js, 1.0)} | (whole file) | |  ratio to SQLite: {statistics.median(js) / statistics.median(vote_s):,.0f}x",
                  flush=True)
        lost, seconds = concurrent(path, args.processes, 100)
        print(f"\n{args.processes} processes x 100 votes at once on the {args.users:,}-user store: {lost} lost, "
              f"{seconds:.1f} s in all")
        out = ROOT / "benchmarks" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_feedback.json").write_text(json.dumps({
            "users": args.users, "vote_median_ms": statistics.median(vote_s) * 1e3, "vote_max_ms": max(vote_s) * 1e3,
            "read_median_ms": statistics.median(read_s) * 1e3, "lost": lost, "processes": args.processes}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
