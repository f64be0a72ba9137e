"""``whyrec train`` and ``whyrec evaluate``: build the verbalizer from a graph and its rules, and measure it.

The shipped model (data/models/verbalizer) was made by exactly::

    whyrec train --graph data/demo --rules data/rules/default.yaml --out data/models/verbalizer
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

SHIPPED = "data/models/verbalizer"
LANGS = ("en", "zh")  # training.config.LANGS (not imported here: `whyrec --help` stays light)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train the verbalizer (chains -> sentences) from a graph and rules",
                       description="Build a corpus of chains and verified sentences from GRAPH + RULES, train a "
                                   "small seq2seq model on it (CPU is fine: minutes), save it to OUT with "
                                   "metrics.json. Everything runs offline.")
    p.add_argument("--graph", required=True, help="graph to sample chains from (e.g. data/demo)")
    p.add_argument("--rules", required=True, help="rule file (e.g. data/rules/default.yaml)")
    p.add_argument("--out", help=f"checkpoint folder to write (default {SHIPPED}, {SHIPPED}-LANG for --lang LANG)")
    p.add_argument("--init", help="fine-tune this local Hugging Face seq2seq checkpoint (t5-small, flan-t5, "
                                  "bart; safetensors only) instead of training from scratch")
    p.add_argument("--config", help="JSON file of TrainConfig fields (training/config.py)")
    p.add_argument("--epochs", type=int, help="override the number of epochs")
    p.add_argument("--corpus-size", type=int, help="override the number of training examples (training time grows with it)")
    p.add_argument("--max-minutes", type=float, help="stop (resumably) after this many minutes of training")
    p.add_argument("--resume", action="store_true", help="continue from OUT.resume, left by an interrupted run")
    p.add_argument("--synthetic", choices=("catalog", "domains"),
                   help="invented chains from random walks on this catalog (default: its own words only) or "
                        "from invented catalogs of many domains (how the shipped default model is made)")
    p.add_argument("--lang", choices=LANGS, help="language of the sentences (default en): the corpus is said "
                                                 "with that language's phrases and templates, the tokenizer "
                                                 "trained on it")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run_train)

    e = sub.add_parser("evaluate", help="measure a verbalizer on held-out chains; print and write JSON",
                       description="Rebuild the held-out examples of the model's own train_config.json (shapes, "
                                   "names and graph pairs it never saw) and report verified shares, unsaid "
                                   "facts, BLEU/chrF, variety and latency.")
    e.add_argument("--model", default=SHIPPED, help=f"checkpoint folder (default {SHIPPED})")
    e.add_argument("--graph", required=True)
    e.add_argument("--rules", required=True)
    e.add_argument("--json", help="write the metrics here (default: MODEL/metrics.json is left alone)")
    e.add_argument("--n-best", type=int, default=4)
    e.set_defaults(run=run_evaluate)


def _config(args: argparse.Namespace):
    from training.config import TrainConfig

    config = TrainConfig.load(args.config) if args.config else TrainConfig()
    if getattr(args, "epochs", None) is not None:
        config = config.replace(epochs=args.epochs)
    if getattr(args, "corpus_size", None) is not None:
        config = config.replace(corpus_size=args.corpus_size)
    if getattr(args, "max_minutes", None) is not None:
        config = config.replace(max_minutes=args.max_minutes)
    if getattr(args, "synthetic", None) is not None:
        config = config.replace(synthetic=args.synthetic)
    if getattr(args, "lang", None) is not None:
        config = config.replace(lang=args.lang)
    return config


def out_dir(args: argparse.Namespace, lang: str) -> str:
    """--out, else the shipped model's folder of the language (data/models/verbalizer[-LANG])."""
    return args.out or (SHIPPED if lang == "en" else f"{SHIPPED}-{lang}")


def measure(model_dir: Path, graph, rules, corpus, n_best: int = 4) -> dict[str, Any]:
    """evaluate() on the held-out examples plus the end-to-end run on held-out graph pairs."""
    import torch

    from generation.verbalizer import Verbalizer
    from training.evaluate import evaluate, evaluate_pairs

    from training.config import TrainConfig

    torch.set_num_threads(1)
    verbalizer = Verbalizer.load(model_dir)
    longest = TrainConfig.load(Path(model_dir) / "train_config.json").max_target_len
    metrics = evaluate(verbalizer, corpus.heldout, graph, rules, n=n_best, max_new_tokens=longest)
    metrics["graph_pairs"] = evaluate_pairs(verbalizer, corpus.heldout_pairs, graph, rules, n=n_best)
    metrics["graph"] = graph.source
    metrics["n_params"] = verbalizer.n_params
    metrics["size_bytes"] = sum(f.stat().st_size for f in Path(model_dir).iterdir() if f.is_file())
    return metrics


def run_train(args: argparse.Namespace) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from kg import load_graph
    from kg.store import atomic_write_text
    from reasoning.ruleset import load_rules
    from training.corpus import build_corpus
    from training.train import train

    start = time.perf_counter()
    config = _config(args)
    args.out = out_dir(args, config.lang)
    graph = load_graph(args.graph)
    rules = load_rules(args.rules, graph)
    corpus = build_corpus(graph, rules, config)
    st = corpus.stats
    print(f"corpus: {len(corpus.train):,} train, {len(corpus.dev):,} dev, {len(corpus.heldout):,} held out; "
          f"{st.rejected:,} of {st.candidates:,} candidate sentences refused by {st.verifier}, "
          f"{st.dropped:,} examples dropped ({time.perf_counter() - start:.0f} s)")
    result = train(corpus.train, corpus.dev, config, args.out, init=args.init, resume=args.resume,
                   progress=not args.no_progress)
    print(f"trained: {result.epochs_run} epochs ({result.stopped}), best epoch {result.best_epoch}, "
          f"dev loss {result.best_dev_loss:.4f}, {result.seconds:.0f} s")
    metrics = measure(Path(args.out), graph, rules, corpus)
    command = "whyrec train " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if sys.argv[1:2] == ["train"] \
        else f"whyrec train --graph {args.graph} --rules {args.rules} --out {args.out}"
    metrics.update({"command": command, "total_seconds": round(time.perf_counter() - start, 1),
                    "train": {"epochs_run": result.epochs_run, "best_epoch": result.best_epoch,
                              "stopped": result.stopped, "best_dev_loss": result.best_dev_loss,
                              "seconds": round(result.seconds, 1), "history": list(result.history)},
                    "corpus": {"train": len(corpus.train), "dev": len(corpus.dev), "heldout": len(corpus.heldout),
                               "candidates": st.candidates, "refused": st.rejected, "dropped": st.dropped,
                               "verifier": st.verifier, "by_origin": dict(st.by_origin)}})
    out = Path(args.out)
    atomic_write_text(out / "metrics.json", json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(out / "README.md", f"# whyrec verbalizer\n\nMade by:\n\n    {command}\n\n"
                      f"{metrics['n_params']:,} parameters; metrics in metrics.json "
                      f"(`whyrec evaluate --model {args.out} --graph {args.graph} --rules {args.rules}`).\n")
    print(summary(metrics))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from generation.verbalizer import check_checkpoint
    from kg import load_graph
    from kg.store import atomic_write_text
    from reasoning.ruleset import load_rules
    from training.config import TrainConfig
    from training.corpus import build_corpus

    folder = check_checkpoint(args.model)
    config = TrainConfig.load(folder / "train_config.json")
    graph = load_graph(args.graph)
    rules = load_rules(args.rules, graph)
    corpus = build_corpus(graph, rules, config, heldout_only=True)
    metrics = measure(folder, graph, rules, corpus, args.n_best)
    print(summary(metrics))
    if args.json:
        atomic_write_text(args.json, json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    return 0


def summary(m: dict[str, Any]) -> str:
    keys = ("n", "model_verified", "top1_verified", "verified_after_fallback", "unsaid_facts", "bleu", "chrf",
            "unique_ratio", "unique_slot_ratio", "distinct_2")
    rows = [k for k, v in m.items() if isinstance(v, dict) and "model_verified" in v]
    lines = [f"{'':<16}" + "".join(f"{k[:11]:>12}" for k in keys)]
    for r in rows:
        lines.append(f"{r:<16}" + "".join(f"{_fmt(m[r].get(k)):>12}" for k in keys))
    d, lat = m.get("graph_pairs", {}), m.get("latency", {})
    lines.append(f"held-out pairs of {m.get('graph', 'the graph')} end to end: n={d.get('n')} model share "
                 f"{_fmt(d.get('model_share'))}, verified "
                 f"{_fmt(d.get('verified'))}, unique {_fmt(d.get('unique_ratio'))}")
    lines.append(f"latency: {_fmt(lat.get('ms_alone_p50'))} ms alone (p50), {_fmt(lat.get('ms_batched'))} ms per "
                 f"sentence in batches of {lat.get('batch_size')}; {m.get('n_params', 0):,} parameters, "
                 f"{m.get('size_bytes', 0) / 2**20:.1f} MiB")
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if v <= 1.0 else f"{v:.1f}"
    return "-" if v is None else str(v)
