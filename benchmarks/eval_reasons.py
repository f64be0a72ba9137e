"""Which reasons are shown: repetition, broad middle nodes, department jumps, on seeded pairs.

    python benchmarks/eval_reasons.py                       # 300 demo pairs, k = 3
    python benchmarks/eval_reasons.py ../shared/data/amazon_magazine_2018 --pairs 300

Pairs: seeded (user, item) pairs the user never touched, kept when at least one rule links
them (what a shop would ask to explain); with ``--real``, each user's newest purchase instead,
its facts removed from the graph first (the item a good recommender would have shown). Each pair's top k chains are ranked by the rule
weights alone and by the trained scorer (the same diversity rules apply to both). Reported,
per ranker:

- repeat rule: share of pairs whose reasons use one rule twice or more;
- broad node: share of reasons through a node (not the user, not the item) touching more than
  30% of the catalog's items (glycerin, a root category);
- cross dept: share of attribute reasons (a product of the user and the item linked through a
  shared brand, ingredient, finish, category ...) whose product is in another department than
  the item; ``all`` counts every reason with a product in it (co-purchase reasons too);
- weakest first: share of pairs whose top reason comes from the rule with the lowest expert
  weight among the rules that link the pair (when they differ in weight);
- repeat product: share of pairs whose reasons lean on one product twice (must be 0);
- no reason: share of pairs (all linked by some chain) left without a reason (``--weak-chains drop``).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import load_graph  # noqa: E402
from reasoning import load_rules  # noqa: E402
from reasoning.evidence import evidence  # noqa: E402
from reasoning.features import BROAD_SHARE, spine_nodes  # noqa: E402
from reasoning.holdout import holdout, interaction_relation, touched, without_facts  # noqa: E402
from reasoning.match import find_chains_many  # noqa: E402
from reasoning.rank import WEAK_CHAINS, rank, weight_scorer  # noqa: E402
from reasoning.roles import item_nodes, user_nodes  # noqa: E402
from reasoning.train import train_scorer  # noqa: E402


def seeded_pairs(graph, ruleset, n: int, seed: int) -> list:
    """``n`` results of seeded untouched (user, item) pairs that some rule links."""
    rng = random.Random(seed)
    users, items = user_nodes(graph).tolist(), item_nodes(graph).tolist()
    out = []
    for _ in range(20):  # rounds of draws; a catalog where few pairs link stops early
        batch = []
        for _ in range(2 * n):
            u, i = rng.choice(users), rng.choice(items)
            if i not in touched(graph, u):
                batch.append((graph.iri(u), graph.iri(i)))
        out += [r for r in find_chains_many(graph, ruleset, batch) if r.chains]
        if len(out) >= n:
            break
    return out[:n]


def real_pairs(graph, ruleset, n: int, seed: int):
    """(graph without the held-out facts, results of each user's newest choice that some rule links)."""
    held = holdout(graph, interaction_relation(graph), seed, max_users=n)
    masked, _ = without_facts(graph, held.pairs, before=held.relation if held.by == "date" else None)
    found = find_chains_many(masked, ruleset, [(graph.iri(u), graph.iri(i)) for u, i in held.pairs])
    return masked, [r for r in found if r.chains]


def measure(graph, ruleset, results, scorer, k: int, weak_chains: str = "alone") -> dict[str, float]:
    ev = evidence(graph)
    weights = {r.id: r.weight for r in ruleset}
    n_reasons = repeat_rule = repeat_product = broad = cross_attr = attr = cross_all = with_product = 0
    weakest = differ = 0
    rules = Counter()
    for res in results:
        picks = rank(graph, ruleset, res, scorer, k, weak_chains=weak_chains)
        n_reasons += len(picks)
        said = [rc.chain.rule for rc in picks]
        rules.update(said)
        repeat_rule += len(set(said)) < len(said)
        products = []
        for rc in picks:
            nodes = spine_nodes(rc.chain, ruleset.plan(rc.chain.rule), graph)
            middle = [n for n in nodes[1:-1] if n >= 0]
            mine = [n for n in middle if ev.is_item[n]]
            products += mine
            broad += any(ev.share(n) > BROAD_SHARE for n in middle)
            jumps = [ev.same_department(p, nodes[-1]) is False for p in mine]
            if mine:
                with_product += 1
                cross_all += any(jumps)
                if any(not ev.is_item[n] for n in middle):
                    attr += 1
                    cross_attr += any(jumps)
        repeat_product += len(set(products)) < len(products)
        linked = {c.rule for c in res.chains}
        if picks and len({weights[r] for r in linked}) > 1:
            differ += 1
            weakest += weights[picks[0].chain.rule] == min(weights[r] for r in linked)
    n = max(len(results), 1)
    return {"reasons/pair": n_reasons / n, "repeat rule": repeat_rule / n, "broad node": broad / max(n_reasons, 1),
            "cross dept": cross_attr / max(attr, 1), "cross dept (all)": cross_all / max(with_product, 1),
            "weakest first": weakest / max(differ, 1), "repeat product": repeat_product / n,
            "no reason": sum(1 for res in results if not rank(graph, ruleset, res, scorer, k, weak_chains=weak_chains)) / n,
            "top rules": ", ".join(f"{r} {c / max(n_reasons, 1):.0%}" for r, c in rules.most_common(4))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="*", default=[str(ROOT / "data" / "demo")])
    ap.add_argument("--rules", default=str(ROOT / "data" / "rules" / "default.yaml"))
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--weak-chains", default="alone", choices=WEAK_CHAINS,
                    help="what rank() does with weak chains (default alone: one, when nothing better links the pair and it reaches the scorer's weak floor; always: one whatever its score)")
    ap.add_argument("--keep-order", action="store_true", help="learned rule weights keep the expert's order")
    ap.add_argument("--real", action="store_true", help="each user's newest purchase (held out) instead of random items")
    args = ap.parse_args(argv)
    cols = ("reasons/pair", "no reason", "repeat rule", "broad node", "cross dept", "cross dept (all)",
            "weakest first", "repeat product")
    print("| data | ranker | pairs | " + " | ".join(cols) + " | top rules |")
    print("|---" * (len(cols) + 4) + "|")
    for path in args.data:
        graph = load_graph(path)
        ruleset = load_rules(args.rules, graph)
        t0 = time.perf_counter()
        if args.real:
            graph, results = real_pairs(graph, ruleset, args.pairs, args.seed)
        else:
            results = seeded_pairs(graph, ruleset, args.pairs, args.seed)
        t1 = time.perf_counter()
        trained = train_scorer(graph, ruleset, keep_order=args.keep_order)
        t2 = time.perf_counter()
        for name, scorer in (("rule weights", weight_scorer()), ("trained", trained)):
            m = measure(graph, ruleset, results, scorer, args.k, args.weak_chains)
            print(f"| {Path(path).name}{' (real)' if args.real else ''}, weak {args.weak_chains} | {name} | {len(results)} | " + " | ".join(
                f"{m[c]:.2f}" if c == "reasons/pair" else f"{m[c]:.1%}" for c in cols) + f" | {m['top rules']} |")
        print(f"# {Path(path).name}: pairs found in {t1 - t0:.1f} s, scorer trained in {t2 - t1:.1f} s; "
              f"departments by {evidence(graph).grouping or 'nothing (none found)'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
