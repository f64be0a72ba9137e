"""Reasons in Chinese beside English: how many read back, from what, and how fast the readers are.

For chains the default rules find on a catalog, each rule's Chinese templates and the Chinese
generic sentence are verified by the Chinese reader (labels in Chinese, generation.lang.relabel),
side by side with the English templates and English reader on the same chains. Prints, per
language: sentences checked, the share verified, the share of chains with at least one verified
sentence, no-space violations (a space between two CJK characters), and the median time to verify
one sentence; then the ratio of the medians.

    python benchmarks/bench_lang.py                                  # demo catalog
    python benchmarks/bench_lang.py --graph /tmp/films               # a catalog from benchmarks/catalogs/films.py
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
import reasoning  # noqa: E402
from generation.lang.relabel import relabel  # noqa: E402
from generation.template_check import chains_per_rule  # noqa: E402
from generation.templates import fill_template, realize_chain_generic, says_in  # noqa: E402
from generation.verify import verify  # noqa: E402

CJK_SPACE = re.compile(r"[\u4e00-\u9fff，。、]\s+[\u4e00-\u9fff，。、]")


def sentences(chain, plan, graph, lang: str) -> list[str]:
    texts = [fill_template(t, chain, plan=plan, rule=plan.rule, graph=graph, lang=lang) for t in says_in(plan.rule, lang)]
    texts.append(realize_chain_generic(chain, graph, 0, lang=lang))
    return list(dict.fromkeys(t for t in texts if t))


def run(graph, rules, lang: str, chains: dict) -> dict:
    times, ok, total, covered, spaced, n_chains = [], 0, 0, 0, 0, 0
    for plan in rules.plans:
        for c in relabel(chains.get(plan.rule.id, []), graph, lang)[0]:
            n_chains += 1
            good = False
            for text in sentences(c, plan, graph, lang):
                t0 = time.perf_counter()
                v = verify(text, [c], graph, rules, lang)
                times.append(time.perf_counter() - t0)
                total += 1
                ok += v.ok
                good = good or v.ok
                spaced += bool(CJK_SPACE.search(text))
            covered += good
    return {"chains": n_chains, "sentences": total, "verified": ok / max(total, 1), "covered": covered / max(n_chains, 1),
            "spaced": spaced, "median_ms": 1e3 * statistics.median(times) if times else float("nan")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--graph", default=str(ROOT / "data" / "demo"))
    ap.add_argument("--rules", default=str(ROOT / "data" / "rules" / "default.yaml"))
    ap.add_argument("--per-rule", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    graph = kg.load_graph(args.graph)
    rules = reasoning.load_rules(args.rules, graph)
    chains = chains_per_rule(graph, rules, want=args.per_rule, seconds=args.seconds)
    rows = {lang: run(graph, rules, lang, chains) for lang in ("en", "zh")}
    print(f"catalog {args.graph}: {len(rules)} rules, label languages {getattr(graph, 'languages', ())}")
    print(f"{'lang':<5}{'chains':>8}{'sentences':>11}{'verified':>10}{'covered':>9}{'CJK spaces':>12}{'median ms':>11}")
    for lang, r in rows.items():
        print(f"{lang:<5}{r['chains']:>8}{r['sentences']:>11}{r['verified']:>10.1%}{r['covered']:>9.1%}"
              f"{r['spaced']:>12}{r['median_ms']:>11.3f}")
    print(f"zh/en median time per sentence: {rows['zh']['median_ms'] / rows['en']['median_ms']:.2f}x")


if __name__ == "__main__":
    main()
