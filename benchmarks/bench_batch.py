"""``whyrec batch`` throughput: one process, a process pool and a local Ray, templates and model.

    OMP_NUM_THREADS=1 python benchmarks/bench_batch.py [--pairs 2000] [--model-pairs 400]
        [--workers 1 2] [--ray-workers 1 2] [--graph G ...] [--no-ray] [--only templates|model]

For each graph (default: the demo catalog and the Beauty-scale synthetic graph) a file of seeded
random user-item pairs is explained into a fresh output folder by each engine; the figure is
pairs per second of wall time for the whole command (start-up, graph from its cache, scorer from
its cache, workers started, shards written); "steady" leaves out the time to the first finished
shard (start-up, imports, first loads). Memory: the largest peak RSS of a worker, and of it the
worker's own (anonymous) memory: the rest is mapped file pages (the graph cache, the model),
shared by every worker on the machine. "in-process" reuses the benchmark's own process (its
imports are done), so its start-up is shorter; it is the one-core row of the process pool (a pool
of one would add only a spawn). The graph cache and the scorer are made before the first timed
run (a warm-up on ``--warm-pairs`` of the pairs), as a repeated batch finds them; each run's
sentence cache starts empty, and its hit rate is the share of realized sentences it answered.
Each row shows the machine's 1-minute load average at its start and end (a shared machine), and
pairs per CPU-second of a worker (shards other than each worker's first): a core's rate, the
figure that holds whatever else the machine runs.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
RULES = ROOT / "data" / "rules" / "default.yaml"


def pairs_file(graph_path: Path, n: int, folder: Path, seed: int = 0) -> Path:
    from kg import load_graph
    g = load_graph(graph_path)
    users, items = sorted(g.users()), sorted(g.items())
    rng = random.Random(seed)
    path = folder / f"pairs-{graph_path.stem}-{n}-{seed}.csv"
    path.write_text("user,item\n" + "".join(f"{rng.choice(users)},{rng.choice(items)}\n" for _ in range(n)))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, nargs="*")
    ap.add_argument("--pairs", type=int, default=2000, help="pairs per run with templates")
    ap.add_argument("--model-pairs", type=int, default=400, help="pairs per run with the shipped model (0: skip)")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--ray-workers", type=int, nargs="*", default=[2])
    ap.add_argument("--shard-size", type=int, default=100)
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--warm-pairs", type=int, default=200, help="pairs of the warm-up run that makes the caches")
    ap.add_argument("--only", choices=("templates", "model"), help="run one kind of sentences only")
    args = ap.parse_args(argv)
    from whyrec.batch import Spec, run
    from generation.verbalizer import default_model_dir
    graphs = args.graph
    if not graphs:
        from bench_chains import ensure_graph
        graphs = [ROOT / "data" / "demo", ensure_graph(None, 1.0)]
    engines = [("in-process", None), ("process pool", None)] + ([] if args.no_ray else [("ray", "local")])
    model = str(default_model_dir())
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; shards of {args.shard_size}")
    print("| graph | sentences | engine | workers | pairs | seconds | pairs/s | steady pairs/s | worker peak MB | "
          "of it private MB | cache hit rate | pairs per worker CPU-s | load avg start/end |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-batch-", dir=HERE / "out") as tmp:
        work = Path(tmp)
        for graph in graphs:
            for label, model_dir, n in (("templates", None, args.pairs), ("model", model, args.model_pairs)):
                if not n or args.only not in (None, label):
                    continue
                pairs = pairs_file(graph, n, work)
                warm = work / "warm"
                few = pairs_file(graph, min(args.warm_pairs, n), work, seed=1)
                run(Spec(str(graph), str(RULES), model_dir), few, warm, shard_size=n, progress=False)  # caches
                shutil.rmtree(warm)
                for engine, address in engines:
                    for w in args.ray_workers if engine == "ray" else args.workers:
                        if engine == "in-process" and w != 1 or engine == "process pool" and w == 1:
                            continue
                        out = work / f"out-{engine}-{w}"
                        load0 = os.getloadavg()[0]
                        t = time.perf_counter()
                        s = run(Spec(str(graph), str(RULES), model_dir), pairs, out, workers=w, ray=address,
                                shard_size=args.shard_size, progress=False)
                        seconds = time.perf_counter() - t
                        print(f"| {graph.name} | {label} | {s.engine} | {w} | {n} | {seconds:.1f} | "
                              f"{n / seconds:.1f} | {s.steady_pairs_per_second:.1f} | {s.worker_peak_mb:.0f} | "
                              f"{s.worker_private_mb:.0f} | "
                              f"{f'{s.cache_hit_rate:.1%}' if s.cache_hits + s.cache_misses else ''} | "
                              f"{s.pairs_per_cpu_second:.1f} | "
                              f"{load0:.1f} / {os.getloadavg()[0]:.1f} |", flush=True)
                        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
