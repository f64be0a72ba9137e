"""Does the trained chain scorer tell real next choices from random items? Leave-last-out.

    python benchmarks/eval_rank.py ../shared/data/amazon_magazine_2018 data/demo
    python benchmarks/eval_rank.py data/demo --negatives 50 --leak --weights

For each user with three or more interactions, the newest one (by date; a seeded draw when
undated) is the test pair; its facts leave the graph (``G_test``), except facts of other relations
dated strictly before it (a view the week before the purchase; ``--strict-mask`` removes those too). The scorer is trained on
``G_test`` alone, so it holds out each user's *second*-to-last interaction and never sees a test
pair. Chains are found on ``G_test`` for the test pair and for ``--negatives`` seeded items the
user never touched; a pair scores its top chain (no chain: lowest). Reported:

- coverage: share of test pairs with at least one chain (``neg cov``: the same for random items);
- AUC: per user, the share of their random items scored below the real one (ties count half),
  averaged over users: item popularity alone (its interactions in ``G_test``: the baseline),
  the top chain by rule weight alone, the top chain by the trained scorer ("strict": a pair
  without a chain scores lowest), and the trained scorer per pair ("pair": a pair without a
  chain scores the scorer's popularity baseline, what the item would get with no reason);
- ``--leak``: the same measured on the full graph, where the held-out facts were never removed.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import load_graph  # noqa: E402
from reasoning import load_rules  # noqa: E402
from reasoning.holdout import holdout, interaction_relation, sample_negatives, without_facts  # noqa: E402
from reasoning.match import find_chains_many  # noqa: E402
from reasoning.rank import Scorer, rank, weight_scorer  # noqa: E402
from reasoning.train import PRIOR_BOUND, TRAIN_BUDGET, train_scorer  # noqa: E402


def user_auc(scores: dict[int, tuple[float, list[float]]]) -> float:
    """Mean over users of P(real item above a random one); ties count one half."""
    per_user = []
    for pos, negs in scores.values():
        if negs:
            per_user.append(sum(1.0 if pos > s else 0.5 if pos == s else 0.0 for s in negs) / len(negs))
    return sum(per_user) / len(per_user) if per_user else float("nan")


def evaluate(graph, ruleset, pairs, labels, scorers: dict[str, Scorer], relation: str) -> dict[str, float]:
    """Coverage and per-user AUC of popularity and of each scorer on ``graph``."""
    results = find_chains_many(graph, ruleset, [(graph.iri(u), graph.iri(i)) for u, i in pairs], TRAIN_BUDGET)
    out: dict[str, float] = {}
    pos = [r for r, y in zip(results, labels) if y]
    neg = [r for r, y in zip(results, labels) if not y]
    out["coverage"] = sum(bool(r.chains) for r in pos) / max(len(pos), 1)
    out["neg_coverage"] = sum(bool(r.chains) for r in neg) / max(len(neg), 1)
    chosen = graph.edges(relation).inn.degrees()
    tops = {name: [max((s.score(c, graph, ruleset) for c in r.chains), default=-math.inf) for r in results]
            for name, s in scorers.items()}
    columns = {"popularity": [float(chosen[i]) for _, i in pairs], "weight": tops["weight"],
               "strict": tops["trained"],
               "pair": [t if t > -math.inf else scorers["trained"].baseline(graph, i) for t, (_, i) in zip(tops["trained"], pairs)]}
    for name, scores in columns.items():
        by_user: dict[int, tuple[float, list[float]]] = {}
        for (u, _), y, top in zip(pairs, labels, scores):
            entry = by_user.setdefault(u, (-math.inf, []))
            by_user[u] = (top, entry[1]) if y else (entry[0], entry[1] + [top])
        out[name] = user_auc(by_user)
    shown = [len(rank(graph, ruleset, r, scorers["trained"], k=3)) for r in pos if r.chains]
    out["top3"] = sum(shown) / max(len(shown), 1)
    out["shown"] = sum(n > 0 for n in shown) / max(len(pos), 1)  # real choices shown a reason (weak floor applied)
    return out


def run(path: str, rules: str, negatives: int, seed: int, leak: bool, show_weights: bool, bound: float,
        keep_order: bool, strict_mask: bool = False) -> list[str]:
    t0 = time.perf_counter()
    graph = load_graph(path)
    ruleset = load_rules(rules, graph)
    t_load = time.perf_counter() - t0
    relation = interaction_relation(graph)
    if relation is None:
        return [f"| {path} | no user-item interactions | | | | | | | | | | |"]
    test = holdout(graph, relation, seed, min_interactions=3)
    users = [u for u, _ in test.pairs]
    negs = sample_negatives(graph, relation, users, negatives, seed + 1000)
    pairs = list(test.pairs) + negs
    labels = [True] * len(test.pairs) + [False] * len(negs)
    g_test, removed = without_facts(graph, test.pairs, before=None if strict_mask or test.by != "date" else relation)
    t1 = time.perf_counter()
    scorer = train_scorer(g_test, ruleset, seed=seed, bound=bound, keep_order=keep_order)
    t_train = time.perf_counter() - t1
    scorers = {"weight": weight_scorer(), "trained": scorer}
    t2 = time.perf_counter()
    m = evaluate(g_test, ruleset, pairs, labels, scorers, relation)
    t_eval = time.perf_counter() - t2
    name = Path(path).name
    rows = [f"| {name} | {len(graph):,} | {len(test.pairs)} x (1 + {negatives}) | {m['coverage']:.1%} | "
            f"{m['neg_coverage']:.1%} | {m['popularity']:.3f} | {m['weight']:.3f} | {m['strict']:.3f} | "
            f"{m['pair']:.3f} | {m['top3']:.2f} | {m['shown']:.1%} | "
            f"{t_load:.1f} / {t_train:.1f} / {t_eval:.1f} |"]
    if leak:  # the same pairs with their facts still in the graph: what not removing them would report
        lm = evaluate(graph, ruleset, pairs, labels, scorers, relation)
        rows.append(f"| {name} (held-out facts kept: leak) | | | {lm['coverage']:.1%} | {lm['neg_coverage']:.1%} | "
                    f"{lm['popularity']:.3f} | {lm['weight']:.3f} | {lm['strict']:.3f} | {lm['pair']:.3f} | "
                    f"{lm['top3']:.2f} | {lm['shown']:.1%} | |")
    print(f"# {name}: relation {relation!r}, held out by {test.by}, {removed} facts removed; scorer: "
          f"{scorer.stats}", file=sys.stderr)
    if show_weights:
        for n, w in sorted(zip(scorer.names, scorer.weights), key=lambda t: -abs(t[1])):
            print(f"#   {n:40s} {w:+.3f}", file=sys.stderr)
        print(f"#   {'bias':40s} {scorer.bias:+.3f}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="+", help="graph paths (folders or files load_graph reads)")
    ap.add_argument("--rules", default=str(ROOT / "data" / "rules" / "default.yaml"))
    ap.add_argument("--negatives", type=int, default=20, help="random untouched items per user for the AUC")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--leak", action="store_true", help="also measure on the graph with the held-out facts kept")
    ap.add_argument("--weights", action="store_true", help="print the learned weights (stderr)")
    ap.add_argument("--bound", type=float, default=PRIOR_BOUND, help="how far the data may move a rule's weight")
    ap.add_argument("--keep-order", action="store_true", help="learned rule weights keep the expert's order")
    ap.add_argument("--strict-mask", action="store_true",
                    help="remove every fact between a test pair, even one dated before the held-out choice")
    args = ap.parse_args(argv)
    print("| data | triples | test pairs | coverage | neg cov | AUC popularity | AUC weight-only | AUC strict |"
          " AUC pair | top-3 size | shown a reason | time load / train / eval (s) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in args.data:
        for row in run(path, args.rules, args.negatives, args.seed, args.leak, args.weights, args.bound,
                       args.keep_order, args.strict_mask):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
