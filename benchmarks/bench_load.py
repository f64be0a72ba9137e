"""Load one N-Triples file with whyrec and with plain RDF libraries; time and memory each.

    python benchmarks/bench_load.py [--scale 1.0] [--repeat 1] [--skip-rdflib] [--file F.nt]

The file is the synthetic Beauty-sized graph (benchmarks/synth_beauty.py), generated into
benchmarks/out/ when missing. Each loader runs in a fresh subprocess, so memory figures do
not mix: "peak MB" is the process's peak RSS minus its RSS after imports (ru_maxrss), "kept
MB" what the loaded result still holds when the loader returns; "cpu s" is the process's
CPU time, steadier than wall time on a shared machine. With --repeat N the table shows medians.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _whyrec(path: str) -> object:
    from kg import load_graph
    return load_graph(path)


def _whyrec_fast(path: str) -> object:
    """kg/load/ntriples_fast.py as kg/load/rdf.py would call it for a .nt file (same guards and terms)."""
    from kg.build import GraphBuilder
    from kg.load import rdf
    from kg.load.ntriples_fast import add_ntriples
    p = Path(path)
    fmt = rdf.rdf_format(p)
    data = rdf._read(p, fmt)
    rdf._check(data, fmt, path)
    builder = GraphBuilder(path)
    if not add_ntriples(builder, data, rdf.Terms(data), p.resolve().as_uri()):
        raise SystemExit("the file is not in one-triple-per-line form; the fast path declined it")
    del data
    return builder.build()


def _rdflib(path: str) -> object:
    import rdflib
    g = rdflib.Graph()
    g.parse(path, format="nt")
    return g


def _oxrdflib(path: str) -> object:
    import rdflib
    g = rdflib.Graph(store="Oxigraph")
    g.parse(path, format="ox-ntriples")  # len(g) would run a counting query (+290 MB): not called
    return g


def _ox_list(path: str) -> object:
    import pyoxigraph as ox
    return list(ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES))


def _ox_store(path: str) -> object:
    import pyoxigraph as ox
    store = ox.Store()  # in memory
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
    return store


LOADERS = {  # name: (function, modules to import before the clock starts)
    "whyrec load_graph": (_whyrec, ["kg", "kg.load.rdf", "numpy", "pyoxigraph"]),
    "whyrec fast N-Triples path": (_whyrec_fast, ["kg", "kg.load.rdf", "kg.load.ntriples_fast"]),
    "rdflib Graph().parse nt": (_rdflib, ["rdflib"]),
    "rdflib + oxrdflib store": (_oxrdflib, ["rdflib", "oxrdflib"]),
    "pyoxigraph list(parse)": (_ox_list, ["pyoxigraph"]),
    "pyoxigraph Store.bulk_load": (_ox_store, ["pyoxigraph"]),
}


def child(name: str, path: str) -> None:
    """Run one loader in this (fresh) process and print one JSON line."""
    import importlib
    import resource

    import psutil
    fn, modules = LOADERS[name]
    for m in modules:
        importlib.import_module(m)
    proc = psutil.Process()
    before = proc.memory_info().rss
    t, cpu = time.perf_counter(), time.process_time()
    result = fn(path)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    kept = proc.memory_info().rss - before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before  # KiB on Linux
    triples = len(result) if name.startswith("whyrec") or name.startswith("pyoxigraph list") else None
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak": peak, "kept": kept, "triples": triples}))
    del result


def run_child(name: str, path: Path) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, "--child", name, str(path)], capture_output=True,
                         text=True, env=env, cwd=str(ROOT))
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--file", type=Path, help="an N-Triples file to load instead of the synthetic graph")
    ap.add_argument("--repeat", type=int, default=1, help="runs per loader; the table shows medians")
    ap.add_argument("--skip-rdflib", action="store_true", help="skip plain rdflib (slowest, >1 GB at full scale)")
    ap.add_argument("--only", nargs="*", choices=list(LOADERS), help="run just these loaders")
    ap.add_argument("--child", nargs=2, metavar=("LOADER", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0

    path = args.file or HERE / "out" / f"beauty_{args.scale:g}_seed{args.seed}.nt"
    if not path.exists():
        from benchmarks.synth_beauty import write
        t = time.perf_counter()
        count = write(path, args.scale, args.seed)
        print(f"generated {path} ({count:,} triples) in {time.perf_counter() - t:.1f} s")
    with open(path, "rb") as f:
        n_lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))
    names = args.only or [n for n in LOADERS if not (args.skip_rdflib and n.startswith("rdflib Graph"))]
    print(f"{path}: {path.stat().st_size / 1e6:.0f} MB, {n_lines:,} lines; {args.repeat} run(s) per loader, "
          f"each in a fresh process; python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    rows = []
    for name in names:
        runs = [run_child(name, path) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "cpu", "peak", "kept")}
        triples = runs[0]["triples"]
        rows.append((name, med, triples))
        print(f"  {name}: {med['seconds']:.2f} s" + (f" ({triples:,} triples)" if triples else ""), flush=True)
    base = next((r[1]["seconds"] for r in rows if r[0] == "whyrec load_graph"), rows[0][1]["seconds"])
    head = f"| {'loader':<28} | {'seconds':>7} | {'cpu s':>6} | {'peak MB':>7} | {'kept MB':>7} | {'triples/s':>9} | {'x whyrec':>8} |"
    print("\n" + head + "\n|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for name, med, _ in rows:
        print(f"| {name:<28} | {med['seconds']:7.2f} | {med['cpu']:6.2f} | {med['peak'] / 2**20:7.0f} | {med['kept'] / 2**20:7.0f} "
              f"| {n_lines / med['seconds']:9,.0f} | {med['seconds'] / base:8.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
