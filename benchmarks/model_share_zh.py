"""The Chinese verbalizer on catalog pairs it never trained on, beside the English one (a measurement).

    python benchmarks/model_share_zh.py [--graph data/demo] [--rules data/rules/default.yaml]
        [--model data/models/verbalizer-zh] [--en-model data/models/verbalizer] [--latency 40]

Pairs: the graph pairs the model's own corpus held out (training/corpus.py, rebuilt from its
train_config.json), each with up to three of its chains, one reason per chain as the explainer
says them. Per reason: the n-best beams refilled and tidied; the first one the Chinese closed-world
reader (verify(..., lang="zh")) accepts is the model's, else the rule's Chinese template is said
(the fallback). Reported: the share from the model before any fallback, verified in the end,
sentences with a space between two CJK characters, the unique-sentence ratio, and greedy latency
per sentence on one thread for the Chinese and the English model on the same chains (each in its
own language), with the templates alone as the alternative without a model. Without the Chinese
reader, a beam counts when it equals the template sentence (said in the table).
"""
from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]


def _greedy_ms(verbalizer, sources: list[str], styles: list[int]) -> float:
    """Median ms of one greedy sentence, one source at a time (what a single explain waits for)."""
    times = []
    for source, style in zip(sources, styles):
        t = time.perf_counter()
        verbalizer.generate([source], n=1, styles=[style])
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times) if times else float("nan")


def main() -> int:
    import torch

    from generation.lang.relabel import relabel
    from generation.linearize import refill
    from generation.templates import realize_template, tidy
    from generation.verbalizer import Verbalizer, default_model_dir, source_for, style_for
    from generation.verify import verify
    from kg import load_graph
    from reasoning.ruleset import load_rules
    from training.config import TrainConfig
    from training.corpus import build_corpus
    from training.evaluate import CJK_SPACE

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--graph", default=str(ROOT / "data/demo"))
    p.add_argument("--rules", default=str(ROOT / "data/rules/default.yaml"))
    p.add_argument("--model", default=str(default_model_dir("zh")))
    p.add_argument("--en-model", default=str(default_model_dir("en")))
    p.add_argument("--n-best", type=int, default=4)
    p.add_argument("--latency", type=int, default=40, help="chains timed one at a time, per model")
    args = p.parse_args()
    torch.set_num_threads(1)

    graph = load_graph(args.graph)
    rules = load_rules(args.rules, graph)
    zh = Verbalizer.load(args.model, lang="zh")
    config = TrainConfig.load(Path(args.model) / "train_config.json")
    corpus = build_corpus(graph, rules, config, heldout_only=True)
    reader = "lang" in inspect.signature(verify).parameters
    # each reason's chain with its Chinese labels: the reader reads a sentence against those
    chains = [(u, i, c) for u, i, cs in corpus.heldout_pairs for c in relabel(list(cs[:3]), graph, "zh")[0]]
    lins = [source_for([c], i, u, graph.vocab, lang="zh", graph=graph) for u, i, c in chains]
    styles = [style_for(u, i) for u, i, _ in chains]
    t = time.perf_counter()
    beams = zh.generate([x.source for x in lins], n=args.n_best, styles=styles)
    batched = 1000 * (time.perf_counter() - t) / max(1, len(chains))

    shown, model, verified, examples = [], 0, 0, []
    for (u, i, c), lin, style, nbest in zip(chains, lins, styles, beams):
        template = realize_template(c, rules, graph, variant=style, lang="zh")
        said = None
        for beam in nbest:
            text = tidy(refill(beam, lin.slots), "zh")
            if (verify(text, [c], graph, rules, lang="zh").ok if reader else text == template):
                said = text
                break
        model += said is not None
        text = said or template
        verified += bool(verify(text, [c], graph, rules, lang="zh").ok) if reader else True
        shown.append(text)
        if said and len(examples) < 4:
            examples.append(text)
    n = max(1, len(shown))
    spaced = sum(bool(CJK_SPACE.search(s)) for s in shown)

    k = min(args.latency, len(chains))
    en = Verbalizer.load(args.en_model, lang="en")
    en_sources = [source_for([c], i, u, graph.vocab).source for u, i, c in chains[:k]]
    ms_zh = _greedy_ms(zh, [x.source for x in lins[:k]], styles[:k])
    ms_en = _greedy_ms(en, en_sources, styles[:k])
    t = time.perf_counter()
    for (u, i, c), style in zip(chains[:k], styles[:k]):
        realize_template(c, rules, graph, variant=style, lang="zh")
    ms_tpl = 1000 * (time.perf_counter() - t) / max(1, k)

    check = "verify(lang='zh')" if reader else "exact match with the template sentence (no Chinese reader yet)"
    print(f"catalog {graph.source}; model {args.model} ({zh.n_params:,} parameters); held-out pairs "
          f"{len(corpus.heldout_pairs)}, reasons {len(shown)}; a beam counts by {check}\n")
    print("| measure | value |\n|---|---|")
    print(f"| from the model before any fallback | {model}/{len(shown)} ({model / n:.1%}) |")
    print(f"| verified in the end | {verified}/{len(shown)} ({verified / n:.1%}) |")
    print(f"| space between two CJK characters | {spaced} |")
    print(f"| unique-sentence ratio | {len(set(shown)) / n:.3f} |")
    print(f"| n-best ({args.n_best}) in batches of 32, ms per sentence | {batched:.1f} |")
    print(f"\ngreedy latency per sentence, one thread, the same {k} chains (median):\n")
    print("| model | ms | ratio to English |\n|---|---|---|")
    print(f"| Chinese ({args.model}) | {ms_zh:.1f} | {ms_zh / ms_en:.2f} |")
    print(f"| English ({args.en_model}) | {ms_en:.1f} | 1.00 |")
    print(f"| templates only (no model), Chinese | {ms_tpl:.2f} | {ms_tpl / ms_en:.3f} |")
    print("\n" + "\n".join(f"- {s}" for s in examples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
