"""Verbalizer speed against the template fallback, side by side in one run (CPU, one thread).

For chains the default rules find on the demo catalog: the rule template alone; the template with
verification; the model (greedy, and 4-best beam search) alone; and the whole model path as the
explainer runs it (generation.realize: 4-best -> refill -> verify, template fallback). Each is
timed per sentence alone (p50 over single calls) and per sentence in batches of 32.

    python benchmarks/bench_verbalizer.py                  # shipped model, data/demo
    python benchmarks/bench_verbalizer.py --model DIR --pairs 128
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

import kg  # noqa: E402
import reasoning  # noqa: E402
from generation.realize import realize_many  # noqa: E402
from generation.templates import realize_template  # noqa: E402
from generation.verbalizer import Verbalizer, default_model_dir, source_for, style_for  # noqa: E402
from generation.verify import verify  # noqa: E402


def sample(graph, rules, n: int, seed: int):
    rnd = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    pairs = sorted({(rnd.choice(users), rnd.choice(items)) for _ in range(n * 4)})
    found = [r for r in reasoning.find_chains_many(graph, rules, pairs) if r.chains]
    rnd.shuffle(found)
    return [(r.user, r.item, rnd.choice(r.chains)) for r in found[:n]]


def timed(fn, items, batch: int) -> tuple[float, float]:
    """(p50 ms per sentence alone, ms per sentence in batches of ``batch``)."""
    alone = []
    for x in items[:min(len(items), 24)]:
        t = time.perf_counter()
        fn([x])
        alone.append(1000 * (time.perf_counter() - t))
    t = time.perf_counter()
    for k in range(0, len(items), batch):
        fn(items[k:k + batch])
    return statistics.median(alone), 1000 * (time.perf_counter() - t) / len(items)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(default_model_dir()))
    ap.add_argument("--graph", default=str(ROOT / "data" / "demo"))
    ap.add_argument("--rules", default=str(ROOT / "data" / "rules" / "default.yaml"))
    ap.add_argument("--pairs", type=int, default=96)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)

    graph = kg.load_graph(args.graph)
    rules = reasoning.load_rules(args.rules, graph)
    items = sample(graph, rules, args.pairs, seed=5)
    v = Verbalizer.load(args.model)
    sources = {id(c): source_for([c], i, u, graph.vocab).source for u, i, c in items}

    def template(batch):
        return [realize_template(c, rules, graph, style_for(u, i)) for u, i, c in batch]

    def template_verified(batch):
        return [verify(t, [c], graph) for t, (_, _, c) in zip(template(batch), batch)]

    def model(n: int):
        return lambda batch: v.generate([sources[id(c)] for _, _, c in batch], n=n,
                                        styles=[style_for(u, i) for u, i, _ in batch], batch_size=args.batch)

    def realize(batch):
        return realize_many([[c] for _, _, c in batch], graph, rules, v, n_best=4)

    rows = [("template", template), ("template + verify", template_verified), ("model greedy", model(1)),
            ("model 4-best beams", model(4)), ("realize: model 4-best + verify", realize)]
    model(4)(items[:2])  # warm-up: first calls allocate
    results = [(name, *timed(fn, items, args.batch)) for name, fn in rows]
    out = realize(items)
    base_alone, base_batch = results[0][1], results[0][2]
    print(f"verbalizer {args.model}: {v.n_params:,} parameters; {len(items)} chains of {args.graph}; "
          f"CPU, {torch.get_num_threads()} thread")
    print(f"{'method':<32}{'p50 alone ms':>14}{'x template':>12}{'batch ms/sent':>15}{'x template':>12}")
    for name, alone, batched in results:
        print(f"{name:<32}{alone:>14.2f}{alone / base_alone:>12.1f}{batched:>15.2f}{batched / base_batch:>12.1f}")
    said = sum(r.source == "model" for r in out)
    print(f"realize: {said}/{len(out)} sentences from the model, {sum(r.verified for r in out)}/{len(out)} verified")


if __name__ == "__main__":
    main()
