"""``whyrec batch PAIRS OUT``: explain a file of pairs into JSON-lines shards (whyrec/batch.py)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "data" / "rules" / "default.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("batch", help="explain a file of user-item pairs into JSON lines, resumably",
                       description="Explain every pair of PAIRS (CSV with user,item columns, JSON lines with "
                                   "\"user\" and \"item\", or Parquet with pyarrow) into OUT, a folder of JSON-lines "
                                   "shards written atomically. Run the same command again to resume a stopped run: "
                                   "finished shards are skipped. A local process pool by default; --ray for Ray.")
    b.add_argument("pairs", help="the pairs file")
    b.add_argument("out", help="output folder (created; part-00000.jsonl ..., one line per pair with its 'index')")
    b.add_argument("--graph", required=True, help="graph to load (folder with whyrec.yaml, RDF file, Amazon folder)")
    b.add_argument("--rules", default=str(DEFAULT_RULES), help="rule file (default: the shipped default rules)")
    b.add_argument("--k", type=int, default=3, help="how many reasons per pair at most (default 3)")
    b.add_argument("--workers", type=int, default=1, help="processes (or Ray CPUs for a local Ray); default 1")
    b.add_argument("--ray", metavar="ADDRESS", help="run on Ray: 'local' starts one on this machine with --workers "
                                                    "CPUs; an address (ray://host:10001, auto) joins a cluster")
    b.add_argument("--shard-size", type=int, default=500, help="pairs per shard (default 500)")
    b.add_argument("--templates", action="store_true", help="say reasons with rule templates only (no model)")
    b.add_argument("--model", metavar="DIR", help="verbalizer checkpoint folder (default: the shipped model)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(run=run_batch)


def run_batch(args: argparse.Namespace) -> int:
    from generation.verbalizer import default_model_dir
    from whyrec.batch import Spec, run, summary_text
    model = None
    if not args.templates:
        folder = Path(args.model) if args.model else default_model_dir()
        model = str(folder) if args.model or (folder / "config.json").exists() else None
    if args.k < 1 or args.workers < 1 or args.shard_size < 1:
        print("whyrec: --k, --workers and --shard-size must be at least 1", file=sys.stderr)
        return 2
    spec = Spec(args.graph, args.rules, model, k=args.k)
    summary = run(spec, args.pairs, args.out, workers=args.workers, ray=args.ray, shard_size=args.shard_size,
                  progress=not args.quiet)
    print(summary_text(summary))
    return 0
