"""How well the verifier catches planted errors, and how often it rejects true sentences.

True sentences: every rule template and several generic wordings (generation/templates.py) for
chains the default rules find on the demo catalog. Each is then corrupted once per error kind
(generation/inject.py) and verified again. Prints detection recall per kind, the false-alarm rate
on the untouched sentences, reading speed, and label-index build time for a large synthetic
catalogue.

    python benchmarks/bench_verify.py                      # demo catalog, default rules
    python benchmarks/bench_verify.py --users 60 --per-rule 200 --labels 200000
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
import reasoning  # noqa: E402
from generation.claims import LabelIndex, read_claims  # noqa: E402
from generation.inject import KINDS, inject  # noqa: E402
from generation.templates import realize_chain_generic, realize_template  # noqa: E402
from generation.verify import verify  # noqa: E402


def sample_chains(graph, rules, users: int, per_rule: int, seed: int):
    rng = random.Random(seed)
    all_users = sorted(graph.users())
    items = sorted(graph.items())
    chosen = rng.sample(all_users, min(users, len(all_users)))
    pairs = [(u, i) for u in chosen for i in items]
    by_rule: dict[str, list] = collections.defaultdict(list)
    for res in reasoning.find_chains_many(graph, rules, pairs):
        for c in res.chains:
            by_rule[c.rule].append(c)
    out = []
    for rule in sorted(by_rule):
        cs = by_rule[rule]
        out += rng.sample(cs, min(per_rule, len(cs)))
    return out


def true_sentences(chains, graph, rules, generic: int, corpus: bool = False):
    """(origin, chain, sentence): templates, generic wordings and, with ``corpus``, every wording the
    verbalizer's training corpus would try (training/compose.py), refilled with the real labels."""
    compose = _compose() if corpus else None
    for c in chains:
        rule = rules.get(c.rule)
        for v in range(max(1, len(rule.says))):
            yield "template", c, realize_template(c, rules, graph, v)
        for v in range(generic):
            yield "generic", c, realize_chain_generic(c, graph, v)
        if compose is not None:
            yield from (("corpus", c, t) for t in _corpus_wordings(compose, c, graph, rules))


def _compose():
    try:
        from generation.linearize import refill
        from generation.verbalizer import source_for
        from training.compose import candidates
    except ImportError:  # training/ is not there (a trimmed install): no corpus wordings
        return None
    return candidates, source_for, refill


def _corpus_wordings(compose, chain, graph, rules):
    candidates, source_for, refill = compose
    user, item = chain.binding("user"), chain.binding("item")
    if user is None or item is None:
        return []
    lin = source_for([chain], item.key, user.key, graph.vocab)
    out = []
    for style, order in enumerate(candidates(chain, user.key, item.key, lin, graph.vocab, rules)):
        for cand in order:
            text = cand(style)
            if text:
                out.append(refill(text, lin.slots))
    return list(dict.fromkeys(out))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--graph", default=str(ROOT / "data" / "demo"))
    ap.add_argument("--rules", default=str(ROOT / "data" / "rules" / "default.yaml"))
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--per-rule", type=int, default=150, help="chains kept per rule")
    ap.add_argument("--generic", type=int, default=3, help="generic wordings per chain")
    ap.add_argument("--labels", type=int, default=200_000, help="synthetic labels for the index timing (0: skip)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-corpus", action="store_true", help="skip the training corpus wordings")
    ap.add_argument("--show", type=int, default=3, help="examples of misses and false alarms to print")
    args = ap.parse_args(argv)

    graph = kg.load_graph(args.graph)
    rules = reasoning.load_rules(args.rules, graph)
    chains = sample_chains(graph, rules, args.users, args.per_rule, args.seed)
    rng = random.Random(args.seed)

    clean = collections.Counter()
    alarms = collections.Counter()
    caught = collections.Counter()
    tried = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    n_read, t_read = 0, 0.0
    for origin, chain, text in true_sentences(chains, graph, rules, args.generic, not args.no_corpus):
        t0 = time.perf_counter()
        verdict = verify(text, chain, graph)
        t_read += time.perf_counter() - t0
        n_read += 1
        clean[origin] += 1
        if not verdict.ok:
            alarms[origin] += 1
            if len(examples[f"false alarm ({origin})"]) < args.show:
                examples[f"false alarm ({origin})"].append(f"{text}  <- {[str(p) for p in verdict.unsupported]}")
            continue
        for kind in KINDS:
            bad = inject(text, chain, graph, kind, rng)
            if bad is None or bad == text:
                continue
            tried[kind] += 1
            v = verify(bad, chain, graph)
            if not v.ok:
                caught[kind] += 1
            elif len(examples[kind]) < args.show:
                examples[kind].append(bad)

    print(f"graph {args.graph}: {len(chains)} chains, {len(set(c.rule for c in chains))} rules, "
          f"{sum(clean.values())} true sentences\n")
    print(f"{'error kind':<18} {'injected':>9} {'caught':>8} {'recall':>8}")
    for kind in KINDS:
        n, k = tried[kind], caught[kind]
        print(f"{kind:<18} {n:>9} {k:>8} {(100 * k / n if n else float('nan')):>7.2f}%")
    total_n, total_k = sum(tried.values()), sum(caught.values())
    print(f"{'all':<18} {total_n:>9} {total_k:>8} {100 * total_k / max(total_n, 1):>7.2f}%\n")
    print(f"{'true sentences':<18} {'checked':>9} {'rejected':>8} {'false alarms':>13}")
    for origin in sorted(clean):
        print(f"{origin:<18} {clean[origin]:>9} {alarms[origin]:>8} {100 * alarms[origin] / clean[origin]:>12.2f}%")
    print(f"\nverify: {1000 * t_read / max(n_read, 1):.3f} ms per sentence (read + check)")
    sample = [t for _, _, t in true_sentences(chains[:300], graph, rules, 1)]
    t0 = time.perf_counter()
    for s in sample:
        read_claims(s, graph)
    print(f"read_claims: {1000 * (time.perf_counter() - t0) / max(len(sample), 1):.3f} ms per sentence")
    if args.labels:
        names = _synthetic_labels(args.labels, args.seed)
        t0 = time.perf_counter()
        index = LabelIndex(names)
        build = time.perf_counter() - t0
        print(f"label index: {index.size} labels built in {build:.2f} s")
    for kind, lines in examples.items():
        print(f"\n{kind} (examples):")
        for line in lines:
            print("  " + line)
    return 0


def _synthetic_labels(n: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    words = ["glow", "serum", "cream", "velvet", "matte", "hydra", "calm", "cica", "silk", "night", "day", "dew",
             "rose", "gold", "balm", "oil", "mist", "tonic", "clay", "mask", "lip", "tint", "brow", "gel"]
    out = []
    for k in range(n):
        name = " ".join(rng.choice(words).capitalize() for _ in range(rng.randint(2, 6))) + f" {k} ml"
        out.append((name, f"p{k}", "Product"))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
