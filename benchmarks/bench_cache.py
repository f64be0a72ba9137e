"""First and second loads: whyrec's graph cache against rdflib and pyoxigraph, side by side.

    python benchmarks/bench_cache.py [--repeat 3] [--skip-rdflib] [SOURCE ...]

Sources (default): the demo catalog (CSV tables), Amazon Magazine (../shared/data, when present)
and the Beauty-scale synthetic graph (benchmarks/out/beauty_1_seed0.nt, generated when missing).
Every row runs in a fresh process (imports done before the clock starts), so a "second load" is
what a new ``whyrec explain`` or a batch worker pays. whyrec rows: ``load_graph(cache=False)``,
the first load into an empty cache folder (load + write), the second load (mapped from the cache,
the source files hashed to check the key), and the second load followed by one id lookup.
The RDF libraries load the same graph written as N-Triples: rdflib parse, pyoxigraph in-memory
bulk_load, and pyoxigraph's own persistent answer, an on-disk store (first: bulk_load into it;
second: open it again). Columns: wall and CPU seconds (CPU is steadier on a shared machine),
the RSS the result keeps, and the ratio to whyrec's load without the cache.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
OUT = HERE / "out"


def _nocache(src: str, work: str):
    from kg import load_graph
    return load_graph(src, cache=False)


def _first(src: str, work: str):
    from kg import load_graph
    shutil.rmtree(Path(work) / "cache", ignore_errors=True)
    return load_graph(src, cache=Path(work) / "cache")


def _second(src: str, work: str):
    from kg import load_graph
    return load_graph(src, cache=Path(work) / "cache")


def _second_lookup(src: str, work: str):
    from kg import load_graph
    g = load_graph(src, cache=Path(work) / "cache")
    g.node(g.key(g.n_nodes // 2))
    return g


def _rdflib(src: str, work: str):
    import rdflib
    g = rdflib.Graph()
    g.parse(str(Path(work) / "graph.nt"), format="nt")
    return g


def _ox_memory(src: str, work: str):
    import pyoxigraph as ox
    store = ox.Store()
    store.bulk_load(path=str(Path(work) / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _ox_disk_first(src: str, work: str):
    import pyoxigraph as ox
    shutil.rmtree(Path(work) / "oxstore", ignore_errors=True)
    store = ox.Store(str(Path(work) / "oxstore"))
    store.bulk_load(path=str(Path(work) / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return store


def _ox_disk_second(src: str, work: str):
    import pyoxigraph as ox
    return ox.Store(str(Path(work) / "oxstore"))


ROWS = {  # name: (function, modules imported before the clock starts)
    "whyrec, no cache": (_nocache, ["kg", "kg.cache", "kg.load.rdf", "kg.load.tables", "kg.load.amazon"]),
    "whyrec, first load (writes the cache)": (_first, ["kg", "kg.cache", "kg.load.rdf", "kg.load.tables", "kg.load.amazon"]),
    "whyrec, second load (cache)": (_second, ["kg", "kg.cache", "kg.load.rdf", "kg.load.tables", "kg.load.amazon"]),
    "whyrec, second load + first node()": (_second_lookup, ["kg", "kg.cache", "kg.load.rdf", "kg.load.tables", "kg.load.amazon"]),
    "rdflib Graph().parse (N-Triples)": (_rdflib, ["rdflib"]),
    "pyoxigraph Store.bulk_load, memory": (_ox_memory, ["pyoxigraph"]),
    "pyoxigraph on-disk store, first (bulk_load)": (_ox_disk_first, ["pyoxigraph"]),
    "pyoxigraph on-disk store, second (open)": (_ox_disk_second, ["pyoxigraph"]),
}


def child(name: str, src: str, work: str) -> None:
    import importlib

    import psutil
    fn, modules = ROWS[name]
    for m in modules:
        importlib.import_module(m)
    proc = psutil.Process()
    before = proc.memory_info().rss
    t, cpu = time.perf_counter(), time.process_time()
    result = fn(src, work)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    kept = proc.memory_info().rss - before
    print(json.dumps({"seconds": seconds, "cpu": cpu, "kept": kept}))
    del result


def run_child(name: str, src: Path, work: Path) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, "--child", name, str(src), str(work)], capture_output=True,
                         text=True, env=env, cwd=str(ROOT))
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def default_sources() -> list[Path]:
    beauty = OUT / "beauty_1_seed0.nt"
    if not beauty.exists():
        from synth_beauty import write  # noqa: E402 (benchmarks/ is on sys.path when run as a script)
        write(beauty, 1.0, 0)
    magazine = ROOT.parent / "shared" / "data" / "amazon_magazine_2018"
    return [ROOT / "data" / "demo"] + ([magazine] if magazine.exists() else []) + [beauty]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="runs per row; the table shows medians")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    sys.path.insert(0, str(HERE))
    from kg import load_graph
    names = [n for n in ROWS if not (args.skip_rdflib and n.startswith("rdflib"))]
    print(f"{args.repeat} run(s) per row, each in a fresh process; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for src in args.sources or default_sources():
        with tempfile.TemporaryDirectory(prefix="bench-cache-", dir=OUT) as work:
            g = load_graph(src, cache=False)
            g.save(Path(work) / "graph.nt")  # what the RDF libraries load: the same triples
            print(f"\n{src.name}: {len(g):,} triples, {g.n_nodes:,} nodes")
            del g
            rows = []
            for name in names:
                # the first-load rows remove what they build: rerun them before each second-load run
                runs = []
                for _ in range(args.repeat):
                    if "second" in name:
                        run_child(name.replace("second load + first node()", "first load (writes the cache)")
                                  .replace("second load (cache)", "first load (writes the cache)")
                                  .replace("second (open)", "first (bulk_load)"), src, Path(work))
                    runs.append(run_child(name, src, Path(work)))
                rows.append((name, {k: statistics.median(r[k] for r in runs) for k in ("seconds", "cpu", "kept")}))
            cache_mb = sum(f.stat().st_size for f in (Path(work) / "cache").glob("*")) / 1e6
            base = rows[0][1]["seconds"]
            print(f"cache file {cache_mb:.1f} MB")
            print("| loader | wall s | CPU s | kept MB | x whyrec no cache |")
            print("|---|---|---|---|---|")
            for name, m in rows:
                print(f"| {name} | {m['seconds']:.3f} | {m['cpu']:.3f} | {m['kept'] / 2**20:.0f} | {m['seconds'] / base:.3f} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
