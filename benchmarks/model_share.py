"""How much of what users read comes from the model, per catalog and model (a measurement, not a test).

    python benchmarks/model_share.py CATALOG[:RULES] ... [--model DIR] [--pairs 150] [--seed 0]

For random user-item pairs that some rule links, the explainer (one thread) gives its reasons; the
table counts the shown reasons, the share said by the model (verified before any fallback; the rest
are the rules' own templates), and the shown reasons the independent reading of
benchmarks/independent_check.py flags (item unnamed, a chain node unnamed, a name three times, a
number of the chain unsaid, a word outside the catalog's vocabulary: another domain's words land
here). Use it with the shipped model on a catalog it never saw, and with a model trained on the
catalog by `whyrec train`.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def measure(path: str, rules_path: str, model: str, pairs: int, seed: int, scorer: str = "weights"
            ) -> dict[str, object]:
    import torch

    from independent_check import flags
    from whyrec import Explainer, find_chains_many, load_graph, load_rules

    torch.set_num_threads(1)
    graph = load_graph(path)
    rules = load_rules(rules_path, graph)
    ex = Explainer(graph, rules, verbalizer=model, scorer=None if scorer == "trained" else "weights", feedback=Path("/tmp") / f"share-{seed}.sqlite")
    rnd = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    chosen: list[tuple[str, str]] = []
    for _ in range(40 * pairs):
        if len(chosen) >= pairs:
            break
        u, i = rnd.choice(users), rnd.choice(items)
        res = find_chains_many(graph, rules, [(graph.node_of(u, "user"), graph.node_of(i, "item"))])[0]
        if res.chains:
            chosen.append((u, i))
    start = time.perf_counter()
    out = ex.explain_many(chosen, k=3)
    seconds = time.perf_counter() - start
    shown = [r for e in out for r in e.reasons]
    flagged = [(r, f) for r in shown if (f := flags(r.text, r.chain, graph, rules.get(r.rule)))]
    words = [len(r.text.split()) for r in shown]
    # the "starts with the full item name": the item said in full before any other word
    lead = sum(r.text.startswith(b.label) for r in shown if (b := r.chain.binding("item")) and b.label)
    return {"catalog": Path(path).name, "pairs": len(chosen), "shown": len(shown),
            "model": sum(r.source == "model" for r in shown), "flagged": len(flagged),
            "words": statistics.median(words) if words else 0,
            "lead": lead / max(1, len(shown)), "it": sum(bool(re.search(r"\bit\b", r.text, re.I)) for r in shown) / max(1, len(shown)), "ms_per_pair": 1000 * seconds / max(1, len(chosen)),
            "examples": [r.text for r in shown[:3]], "flag_examples": [(r.text, f) for r, f in flagged[:3]]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("catalogs", nargs="+", help="CATALOG or CATALOG:RULES (default rules: data/rules/default.yaml)")
    p.add_argument("--model", default="default", help="verbalizer folder (default: the shipped model)")
    p.add_argument("--pairs", type=int, default=150)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scorer", choices=("weights", "trained"), default="weights",
                   help="rank by rule weights (default: fast, every linked pair shows a reason) or the trained "
                        "scorer, as an Explainer ranks by default (a weak-only pair below its floor shows none)")
    args = p.parse_args()
    print(f"model: {args.model}; ranked by {args.scorer}\n")
    print("| catalog | pairs | shown | from the model | flagged by the independent reading | median words | starts with the item's full name | says 'it' | ms/pair |")
    print("|---|---|---|---|---|---|---|---|---|")
    notes = []
    for spec in args.catalogs:
        path, _, rules = spec.partition(":")
        m = measure(path, rules or str(ROOT / "data/rules/default.yaml"), args.model, args.pairs, args.seed, args.scorer)
        share = m["model"] / max(1, m["shown"])
        print(f"| {m['catalog']} | {m['pairs']} | {m['shown']} | {m['model']} ({share:.1%}) | {m['flagged']} | "
              f"{m['words']:.0f} | {m['lead']:.1%} | {m['it']:.1%} | {m['ms_per_pair']:.0f} |")
        notes += [f"- {m['catalog']}: {t}" for t in m["examples"]] + \
                 [f"- {m['catalog']} flagged: {t} {f}" for t, f in m["flag_examples"]]
    print("\n" + "\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
