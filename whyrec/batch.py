"""``whyrec batch``: explain a file of pairs into JSON-lines shards, on a process pool or on Ray.

    run(Spec(graph, rules), "pairs.csv", "out/", workers=4)        # a local process pool
    run(Spec(graph, rules), "pairs.csv", "out/", ray="local")      # Ray on this machine
    run(Spec(graph, rules), "pairs.csv", "out/", ray="ray://head:10001")   # an existing cluster

The parent reads the pairs, plans shards (one user's pairs together; whyrec/batch_io.py), makes
sure the graph cache and the trained ranker exist (the ranker is saved into the output folder,
so a resumed run ranks with the same one), then hands shards to workers. A worker builds its
Explainer once: the graph comes from the memory-mapped cache (kg/cache.py), so every worker on a
machine reads the same pages of one file instead of a copy of its own; sentences go through one
SQLite verbalization cache shared by the workers. Each shard is written atomically by its
worker; a killed run loses at most the shards in flight, and the same command resumes it.
On a Ray cluster the graph and rules paths must be readable on every node.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from whyrec.batch_io import BatchError, Manifest, Pair, plan_shards, prepare, read_pairs, shard_path, write_shard


@dataclass(frozen=True)
class Spec:
    """What every worker needs to build its Explainer (plain values: sent to processes and Ray)."""

    graph: str
    rules: str
    model: str | None = None  # checkpoint folder; None: rule templates only
    scorer: str | None = None  # a saved ranker (the parent fills it in)
    sentences: str | None = None  # the shared on-disk verbalization cache
    k: int = 3


@dataclass(frozen=True)
class Summary:
    pairs: int
    shards: int
    skipped: int  # shards already on disk from an earlier run
    seconds: float
    workers: int
    engine: str  # "in-process", "process pool" or "ray"
    worker_peak_mb: float  # the largest peak RSS of a worker (its own memory and mapped file pages)
    worker_private_mb: float = 0.0  # ... of which its own (anonymous) memory, at its largest
    steady_seconds: float = 0.0  # from the first finished shard to the last
    steady_pairs: int = 0  # pairs finished in that time
    cache_hits: int = 0  # sentences the verbalization cache answered (model runs only)
    cache_misses: int = 0  # ... and those it sent to the model
    worker_cpu_seconds: float = 0.0  # CPU time the workers spent on shards other than their first
    cpu_pairs: int = 0  # pairs of those shards

    @property
    def cache_hit_rate(self) -> float:
        total = self.cache_hits + self.cache_misses
        return self.cache_hits / total if total else 0.0

    @property
    def pairs_per_second(self) -> float:
        done = self.pairs * (self.shards - self.skipped) / max(self.shards, 1)
        return done / self.seconds if self.seconds > 0 else 0.0

    @property
    def pairs_per_cpu_second(self) -> float:
        """Steady pairs per CPU-second of a worker: a core's rate, whatever else the machine runs."""
        return self.cpu_pairs / self.worker_cpu_seconds if self.worker_cpu_seconds > 0 else 0.0

    @property
    def steady_pairs_per_second(self) -> float:
        """Throughput once the workers are up (start-up, imports and first loads left out)."""
        return self.steady_pairs / self.steady_seconds if self.steady_seconds > 0 else 0.0


_EXPLAINERS: dict[Spec, object] = {}  # one per worker process, built on its first shard


def _explainer(spec: Spec):
    got = _EXPLAINERS.get(spec)
    if got is None:
        from generation.explain import Explainer
        from kg import load_graph
        from reasoning import load_rules
        graph = load_graph(spec.graph)
        rules = load_rules(spec.rules, graph)
        if spec.model is None:
            got = Explainer(graph, rules, verbalizer=None, scorer=spec.scorer or "weights")
        else:
            try:
                import torch
                torch.set_num_threads(1)  # one core per worker: the pool, not torch, spreads the work
            except ImportError:
                pass
            from generation.vcache import LazyVerbalizer, VerbalizationCache
            model = LazyVerbalizer(spec.model)
            cache = VerbalizationCache(model, path=spec.sentences) if spec.sentences else VerbalizationCache(model)
            got = Explainer(graph, rules, verbalizer=model, scorer=spec.scorer or "weights", vcache=cache)
        _EXPLAINERS.clear()
        _EXPLAINERS[spec] = got
    return got


def memory_mb() -> tuple[float, float]:
    """(peak RSS, current private RSS) of this process in MB; /proc's VmHWM is this process's own
    (ru_maxrss would count the parent's before the exec of a spawned worker)."""
    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
        kb = lambda k: float(fields[k].split()[0])  # noqa: E731
        return kb("VmHWM") / 1024, kb("RssAnon") / 1024
    except (OSError, KeyError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0.0


def explain_shard(spec: Spec, pairs: list[tuple[int, str, str]], path: str) -> tuple:
    """Explain one shard and write it atomically; (pairs done, peak RSS, private RSS in MB,
    verbalization cache hits and misses during this shard, CPU seconds of the shard, whether
    it was this worker's first)."""
    cpu = time.process_time()
    first = spec not in _EXPLAINERS
    from generation.errors import GenerationError
    from kg.errors import KGError
    ex = _explainer(spec)
    vc = getattr(ex, "vcache", None)
    before = (vc.hits, vc.misses) if vc is not None else (0, 0)
    try:
        results = ex.explain_many([(u, i) for _, u, i in pairs], spec.k)
        rows = [_row(idx, e) for (idx, _, _), e in zip(pairs, results)]
    except (GenerationError, KGError):  # an unknown or ambiguous id: find which, keep the others
        rows = []
        for idx, u, i in pairs:
            try:
                rows.append(_row(idx, ex.explain(u, i, spec.k)))
            except (GenerationError, KGError) as exc:
                rows.append({"index": idx, "user": u, "item": i, "error": {"code": exc.code, "message": exc.message}})
    write_shard(Path(path), rows)
    after = (vc.hits, vc.misses) if vc is not None else (0, 0)
    return (len(rows), *memory_mb(), after[0] - before[0], after[1] - before[1], time.process_time() - cpu, first)


def _row(index: int, explanation) -> dict:
    d = explanation.to_dict()
    d.pop("timings_ms", None)  # per-run noise: a resumed run must write the same bytes
    return {"index": index, **d}


def run(spec: Spec, pairs_path: str | os.PathLike[str], out: str | os.PathLike[str], workers: int = 1,
        ray: str | None = None, shard_size: int = 500, progress: bool = True) -> Summary:
    """Explain every pair of ``pairs_path`` into ``out`` (a folder), resuming an earlier run there."""
    start = time.perf_counter()
    out = Path(out)
    pairs, digest = read_pairs(pairs_path)
    shards = plan_shards(pairs, shard_size)
    options = (("graph", str(Path(spec.graph).resolve())), ("rules", str(Path(spec.rules).resolve())),
               ("model", str(Path(spec.model).resolve()) if spec.model else "templates"), ("k", str(spec.k)))
    todo = prepare(out, Manifest(digest, len(pairs), shard_size, len(shards), options))
    spec = _ready(spec, out)
    jobs = [(n, [(p.index, p.user, p.item) for p in shards[n]], str(shard_path(out, n))) for n in todo]
    track = _Track(sum(len(j[1]) for j in jobs), progress)
    try:
        if ray is not None:
            engine = "ray"
            _on_ray(spec, jobs, ray, workers, track)
        elif workers > 1:
            engine = "process pool"
            _on_pool(spec, jobs, workers, track)
        else:
            engine = "in-process"
            for _, items, path in jobs:
                track.done(explain_shard(spec, items, path))
    finally:
        track.bar.close()
    return Summary(len(pairs), len(shards), len(shards) - len(todo), time.perf_counter() - start, workers, engine,
                   round(track.peak, 1), round(track.private, 1), track.last - (track.first or track.last),
                   track.after_first, track.hits, track.misses, round(track.cpu, 3), track.cpu_pairs)


class _Track:
    """The progress bar, the workers' memory and when shards finished."""

    def __init__(self, total: int, show: bool):
        self.bar = _bar(total, show)
        self.peak = self.private = 0.0
        self.first: float | None = None
        self.last = 0.0
        self.after_first = 0
        self.hits = self.misses = 0
        self.cpu, self.cpu_pairs = 0.0, 0  # CPU seconds and pairs of the shards no worker started with

    def done(self, result: tuple) -> None:
        n, peak, private = result[:3]
        if len(result) >= 5:
            self.hits += result[3]
            self.misses += result[4]
        if len(result) >= 7 and not result[6]:  # not a worker's first shard (imports, loads)
            self.cpu += result[5]
            self.cpu_pairs += n
        self.bar.update(n)
        self.peak, self.private = max(self.peak, peak), max(self.private, private)
        self.last = time.perf_counter()
        if self.first is None:
            self.first = self.last
        else:
            self.after_first += n


def _ready(spec: Spec, out: Path) -> Spec:
    """Load the graph once here (writing its cache for the workers), and fix the scorer to a file."""
    from dataclasses import replace
    scorer = out / "_scorer.json"
    if not scorer.is_file():
        from kg import load_graph
        from reasoning import load_rules
        from reasoning.calibrate import cached_ranker
        graph = load_graph(spec.graph)
        rules = load_rules(spec.rules, graph)
        cached_ranker(graph, rules, show=False).save(scorer)  # the scorer and its calibration
    sentences = spec.sentences
    if spec.model is not None and sentences is None:
        sentences = str(out / "_sentences.sqlite")
    return replace(spec, scorer=str(scorer), sentences=sentences)


def _bar(total: int, show: bool):
    from tqdm import tqdm
    return tqdm(total=total, unit="pair", desc="whyrec batch", file=sys.stderr, disable=not show, smoothing=0.1)


def _on_pool(spec: Spec, jobs: list, workers: int, track: _Track) -> None:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    # spawn: a worker starts clean (no forked torch threads); it maps the graph cache on its first shard
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(explain_shard, spec, items, path) for _, items, path in jobs}
        while futures:
            done, futures = wait(futures, return_when=FIRST_COMPLETED)
            for f in done:
                if f.exception() is not None:
                    for other in futures:
                        other.cancel()
                    raise BatchError("B004", f"{type(f.exception()).__name__}: {f.exception()}") from f.exception()
                track.done(f.result())


def _on_ray(spec: Spec, jobs: list, address: str, workers: int, track: _Track) -> None:
    try:
        import ray
    except ImportError:
        raise BatchError("B003", "--ray needs the ray package") from None
    local = address in ("", "local", "auto-local")
    root = str(Path(__file__).resolve().parents[1])  # a source checkout: let Ray's workers import it
    env = {"env_vars": {"PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
                        **{k: v for k, v in os.environ.items() if k.startswith("WHYREC_")}}}
    started = not ray.is_initialized()
    if started:
        if local:
            ray.init(num_cpus=max(workers, 1), include_dashboard=False, runtime_env=env, log_to_driver=False)
        else:
            ray.init(address=address, runtime_env=env, log_to_driver=False)
    try:
        task = ray.remote(num_cpus=1, max_retries=2)(explain_shard)
        refs = [task.remote(spec, items, path) for _, items, path in jobs]
        while refs:
            done, refs = ray.wait(refs, num_returns=1)
            try:
                result = ray.get(done[0])
            except Exception as exc:  # ray.exceptions.RayTaskError wraps the worker's error
                raise BatchError("B004", str(exc).splitlines()[-1] if str(exc) else type(exc).__name__) from exc
            track.done(result)
    finally:
        if started:
            ray.shutdown()


def summary_text(s: Summary) -> str:
    return json.dumps({"pairs": s.pairs, "shards": s.shards, "skipped": s.skipped, "seconds": round(s.seconds, 2),
                       "pairs_per_second": round(s.pairs_per_second, 1),
                       "steady_pairs_per_second": round(s.steady_pairs_per_second, 1), "workers": s.workers,
                       "engine": s.engine, "worker_peak_mb": s.worker_peak_mb, "worker_private_mb": s.worker_private_mb,
                       **({"cache_hit_rate": round(s.cache_hit_rate, 4)} if s.cache_hits + s.cache_misses else {})})


__all__ = ["BatchError", "Pair", "Spec", "Summary", "explain_shard", "run", "summary_text"]
