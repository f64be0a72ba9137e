"""Explain with the shipped model, with and without the verbalization cache; its hit rate.

    OMP_NUM_THREADS=1 python benchmarks/bench_vcache.py [--pairs 300] [--graph G ...] [--cpu]

For each graph (default: the demo catalog and the Beauty-scale synthetic graph), seeded random
user-item pairs are explained one at a time, as a service would, by two explainers that share
the graph, rules, scorer and model: one without a cache (``vcache=0``) and one with the default
in-memory cache, which starts empty. Table: per-pair p50/p95 over all pairs and over the second
half ("warm": the cache has seen the first half), the cache's hit rate over the same spans, and
how many model calls each made. One torch thread.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


class Counted:
    def __init__(self, model) -> None:
        self.model, self.calls, self.sources = model, 0, 0

    def generate(self, sources, n, styles=None, **kw):
        self.calls += 1
        self.sources += len(sources)
        return self.model.generate(sources, n, styles=styles, **kw)


def run(graph_path: Path, n: int, clock, seed: int) -> None:
    from generation.explain import Explainer
    from generation.vcache import VerbalizationCache
    from generation.verbalizer import Verbalizer
    from kg import load_graph
    from reasoning import load_rules
    from reasoning.calibrate import cached_ranker

    graph = load_graph(graph_path)
    rules = load_rules(ROOT / "data" / "rules" / "default.yaml", graph)
    scorer = cached_ranker(graph, rules, show=False)
    model = Verbalizer.load()
    rng = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    pairs = [(rng.choice(users), rng.choice(items)) for _ in range(n)]
    print(f"\n{graph_path.name}: {len(graph):,} triples; {n} random pairs; model {model.n_params:,} parameters", flush=True)
    rows = []
    for name, cached in (("no cache", False), ("verbalization cache", True)):
        counted = Counted(model)
        vc = VerbalizationCache(counted) if cached else 0
        ex = Explainer(graph, rules, verbalizer=counted, scorer=scorer, vcache=vc)
        ex.explain(*pairs[0])  # imports and first-call set-up outside the timings
        counted.calls = counted.sources = 0
        if cached:
            vc.clear()
            vc.hits = vc.misses = 0
        times, hits = [], []
        for u, i in pairs:
            before = (vc.hits, vc.misses) if cached else (0, 0)
            t = clock()
            ex.explain(u, i)
            times.append(clock() - t)
            if cached:
                hits.append((vc.hits - before[0], vc.misses - before[1]))
        half = n // 2
        rate = lambda hs: sum(h for h, _ in hs) / max(sum(h + m for h, m in hs), 1)  # noqa: E731
        rows.append((name, times, half, rate(hits) if cached else None, rate(hits[half:]) if cached else None,
                     counted.calls, counted.sources))
    print("| explainer | p50 ms | p95 ms | p50 warm ms | p95 warm | hit rate | hit rate warm | model calls | sources sent |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, times, half, r_all, r_warm, calls, sources in rows:
        warm = times[half:]
        fmt = lambda r: "" if r is None else f"{100 * r:.1f}%"  # noqa: E731
        print(f"| {name} | {pct(times, 50) * 1e3:.1f} | {pct(times, 95) * 1e3:.1f} | {pct(warm, 50) * 1e3:.1f} | "
              f"{pct(warm, 95) * 1e3:.1f} | {fmt(r_all)} | {fmt(r_warm)} | {calls} | {sources} |", flush=True)
    base, cached = statistics.median(rows[0][1][n // 2:]), statistics.median(rows[1][1][n // 2:])
    print(f"warm p50: {base / cached:.1f}x faster with the cache")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, nargs="*", help="graphs (default: the demo and the Beauty-scale graph)")
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cpu", action="store_true", help="thread CPU time instead of wall time")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    graphs = args.graph
    if not graphs:
        from bench_chains import ensure_graph
        graphs = [ROOT / "data" / "demo", ensure_graph(None, 1.0)]
    print(f"clock: {'thread CPU' if args.cpu else 'wall'}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for g in graphs:
        run(g, args.pairs, time.thread_time if args.cpu else time.perf_counter, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
