"""``whyrec serve`` under load, beside what a user would do without it, and the studio's preview.

    python benchmarks/bench_serve.py                          # the demo catalog, templates and the model
    python benchmarks/bench_serve.py --graph ../shared/data/amazon_magazine_2018 --skip-model
    python benchmarks/bench_serve.py --requests 100 --clients 8 --cli-runs 3

For each way of saying reasons (rule templates; the shipped verbalizer unless --skip-model) it
starts ``whyrec serve`` in a subprocess (one worker) and explains the same sampled pairs:

- ``python API``: ``Explainer.explain`` in this process, one pair at a time (no HTTP);
- ``HTTP, 1 client``: GET /api/explain, one request at a time;
- ``HTTP, N clients``: N threads, each sending --requests GETs back to back (the service batches
  requests that wait together into one explain_many call);
- ``whyrec explain``: the command line, one process per pair (load, train the ranker, explain):
  what a frontend would run without a service.

Columns: p50 and p99 wall milliseconds per request as the client saw it, requests per second
over the whole run. Then the studio: POST /api/rules/preview for one rule on 20 sample users
(server-side seconds and the round trip), and POST /api/rules/check (what each keystroke costs
before a problem shows at its line). Medians of --repeat runs. Timings are noisy on a shared
machine (2 cores, ±2x); ratios within one run are steadier.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.whyrec.serving import RULES, start  # noqa: E402


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] if s else float("nan")


def sample_pairs(graph, n: int, seed: int) -> list[tuple[str, str]]:
    """Users with an item one also_bought hop from what they bought (what a shop would show), or any item."""
    rng = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    pairs = []
    while len(pairs) < n:
        user = rng.choice(users)
        u = graph.node(user)
        near = sorted({graph.key(int(x)) for p in graph.neighbors(u, "purchased").tolist()
                       for x in graph.neighbors(int(p), "also_bought").tolist()} & set(items))
        pairs.append((user, rng.choice(near) if near and rng.random() < 0.7 else rng.choice(items)))
    return pairs


def row(name: str, lat: list[float], seconds: float) -> str:
    return f"| {name:<28} | {pct(lat, 0.5):>8.1f} | {pct(lat, 0.99):>8.1f} | {len(lat) / seconds:>8.1f} |"


def http_clients(url: str, pairs: list[tuple[str, str]], clients: int, requests: int) -> tuple[list[float], float]:
    def run(c: int) -> list[float]:
        out = []
        with httpx.Client(base_url=url, timeout=120) as http:
            for n in range(requests):
                u, i = pairs[(c * 13 + n) % len(pairs)]
                t = time.perf_counter()
                r = http.get("/api/explain", params={"user": u, "item": i, "k": 3})
                out.append((time.perf_counter() - t) * 1e3)
                assert r.status_code == 200, r.text
        return out

    start_t = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        lat = [x for part in pool.map(run, range(clients)) for x in part]
    return lat, time.perf_counter() - start_t


def bench_mode(args, graph, rules, pairs, templates: bool) -> None:
    import torch
    torch.set_num_threads(1)
    from generation.explain import DEFAULT, Explainer

    mode = "templates" if templates else "model"
    ex = Explainer(graph, rules, verbalizer=None if templates else DEFAULT)
    for u, i in pairs[:3]:
        ex.explain(u, i)  # warm-up
    lat = []
    t0 = time.perf_counter()
    for u, i in pairs[:args.requests]:
        t = time.perf_counter()
        ex.explain(u, i, k=3)
        lat.append((time.perf_counter() - t) * 1e3)
    print(row(f"{mode}: python API", lat, time.perf_counter() - t0))

    server = start(*(["--templates"] if templates else []), graph=Path(args.graph), rules=RULES)
    try:
        http_clients(server.url, pairs, 1, 5)  # warm-up
        lat, sec = http_clients(server.url, pairs, 1, args.requests)
        print(row(f"{mode}: HTTP, 1 client", lat, sec))
        lat, sec = http_clients(server.url, pairs, args.clients, args.requests)
        print(row(f"{mode}: HTTP, {args.clients} clients", lat, sec))
        studio(server.url, mode, args.repeat)
    finally:
        server.stop()
    if args.cli_runs:
        lat = []
        t0 = time.perf_counter()
        for u, i in pairs[:args.cli_runs]:
            cmd = [sys.executable, "-m", "whyrec.cli", "explain", "--graph", args.graph, "--rules", str(RULES),
                   "--user", u, "--item", i, "--json"] + (["--templates"] if templates else [])
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
                           capture_output=True)
            lat.append((time.perf_counter() - t) * 1e3)
        print(row(f"{mode}: `whyrec explain` CLI", lat, time.perf_counter() - t0))


PREVIEWS: list[str] = []


def studio(url: str, mode: str, repeat: int) -> None:
    text = RULES.read_text(encoding="utf-8")
    with httpx.Client(base_url=url, timeout=120) as http:
        for rule in ("favourite-brand", "same-brand-loved", "within-budget"):
            server_s, trip = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                r = http.post("/api/rules/preview", json={"yaml": text, "rule": rule, "users": 20})
                trip.append(time.perf_counter() - t)
                body = r.json()
                server_s.append(body["seconds"])
            PREVIEWS.append(f"| {mode:<9} | {rule:<17} | {len(body['sample']['users']):>5} | {len(body['matches']):>7} "
                            f"| {statistics.median(server_s):>8.2f} | {statistics.median(trip):>8.2f} |")
        checks = []
        for _ in range(max(repeat, 5)):
            t = time.perf_counter()
            http.post("/api/rules/check", json={"yaml": text})
            checks.append((time.perf_counter() - t) * 1e3)
        PREVIEWS.append(f"| {mode:<9} | (rules check, whole file) | | | | {statistics.median(checks) / 1e3:>8.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", default=str(ROOT / "data" / "demo"))
    ap.add_argument("--requests", type=int, default=50, help="requests per client (default 50)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--cli-runs", type=int, default=2, help="`whyrec explain` runs (each loads everything)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-model", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from kg import load_graph
    from reasoning import load_rules
    graph = load_graph(args.graph)
    rules = load_rules(RULES, graph)
    pairs = sample_pairs(graph, max(args.requests, 50), args.seed)
    print(f"{args.graph}: {len(graph):,} triples; {len(pairs)} sampled pairs; one server worker; "
          f"{os.cpu_count()} CPUs (shared)\n")
    print(f"| {'how':<28} | {'p50 ms':>8} | {'p99 ms':>8} | {'req/s':>8} |\n|{'-' * 30}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    for templates in ((True,) if args.skip_model else (True, False)):
        bench_mode(args, graph, rules, pairs, templates)
    print("\nStudio preview, one rule on sample users (median seconds):\n")
    print("| mode      | rule              | users | matches | server s | round trip s |\n|---|---|---|---|---|---|")
    print("\n".join(PREVIEWS))


if __name__ == "__main__":
    main()
