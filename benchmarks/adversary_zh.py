"""The Chinese adversarial set: how many bad 推荐理由 the Chinese reader catches, per kind.

    python benchmarks/adversary_zh.py [--graph data/demo] [--rules data/rules/default.yaml] [--pairs 60]

For seeded user-item pairs of the catalog (the rules' expect examples first), every chain's rule
templates in Chinese are filled (``fill_template(..., lang="zh")``) and each sentence is edited into
the bad forms of benchmarks/adversary_zh_forms.py (written from the issue, not from the reader).
Each is read with ``verify(sentence, [chain], graph, rules, lang="zh")``. The table gives, per kind,
how many sentences were made and the share refused (for ``true``: the share shown), beside what
a names-only check would do (a sentence passes when every name of its chain is in it: what a shop
would write without a reader).
"""
from __future__ import annotations

import argparse
import inspect
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.adversary_zh_forms import KINDS, variants, zh_context  # noqa: E402
from kg import load_graph  # noqa: E402
from reasoning import find_chains, load_rules  # noqa: E402


def pairs_of(graph, rules, n: int, seed: int) -> list[tuple[str, str]]:
    """The rules' matching examples, then seeded random pairs that have chains (at most ``n``)."""
    out = [p for p in dict.fromkeys((e.user, e.item) for r in rules.rules for e in r.expect if e.match)
           if _known(graph, *p)]  # examples written for another catalog name nobody here
    rng = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    for _ in range(50 * n):  # bounded: a catalog with few chains ends the search
        if len(out) >= n:
            break
        u, i = rng.choice(users), rng.choice(items)
        if (u, i) not in out and find_chains(graph, rules, u, i).chains:
            out.append((u, i))
    return out[:n]


def _known(graph, user: str, item: str) -> bool:
    try:
        graph.node_of(user, "user"), graph.node_of(item, "item")
    except Exception:  # KGError: not in this catalog
        return False
    return True


def names_only(sentence: str, names: tuple[str, ...]) -> bool:
    return all(name in sentence for name in names)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", default=str(ROOT / "data" / "demo"))
    ap.add_argument("--rules", default=str(ROOT / "data" / "rules" / "default.yaml"))
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--chains", type=int, default=4, help="chains per pair")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args(argv)
    from generation.templates import fill_template
    from generation.verify import verify
    from generation.lang.relabel import relabel
    if "lang" not in inspect.signature(verify).parameters:
        print("verify() has no lang= (issue 15's Chinese reader is not merged): nothing to measure")
        return 2
    graph = load_graph(args.graph)
    rules = load_rules(args.rules, graph)
    made: dict[str, int] = defaultdict(int)
    refused: dict[str, int] = defaultdict(int)
    naive: dict[str, int] = defaultdict(int)
    missed: dict[str, list[str]] = defaultdict(list)
    no_template = 0
    start = time.perf_counter()
    for user, item in pairs_of(graph, rules, args.pairs, args.seed):
        for chain in relabel(find_chains(graph, rules, user, item).chains[:args.chains], graph, args.lang)[0]:
            plan = rules.plan(chain.rule)
            for template in plan.rule.says_in(args.lang):
                text = fill_template(template, chain, plan=plan, rule=plan.rule, graph=graph, lang=args.lang)
                if not text:
                    no_template += 1
                    continue
                ctx = zh_context(text, chain, graph, args.lang)
                for kind, forms in variants(ctx).items():
                    for _, sentence in forms:
                        ok = verify(sentence, [chain], graph, rules=rules, lang=args.lang).ok
                        made[kind] += 1
                        refused[kind] += (not ok) if kind != "true" else ok
                        passes = names_only(sentence, ctx.names)
                        naive[kind] += (not passes) if kind != "true" else passes
                        if (ok if kind != "true" else not ok) and len(missed[kind]) < 3:
                            missed[kind].append(sentence)
    took = time.perf_counter() - start
    print(f"catalog {args.graph}, rules {args.rules}, language {args.lang}, {sum(made.values())} sentences "
          f"in {took:.1f} s; templates that could not be filled: {no_template}")
    print("| kind | sentences | reader: refused (true: shown) | names-only check |")
    print("| --- | ---: | ---: | ---: |")
    for kind in ["true", *KINDS]:
        n = made[kind]
        share = f"{refused[kind] / n:.1%}" if n else "-"
        base = f"{naive[kind] / n:.1%}" if n else "-"
        print(f"| {kind} | {n} | {share} | {base} |")
    for kind, texts in missed.items():
        for t in texts:
            print(f"missed {kind}: {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
