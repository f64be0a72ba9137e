"""How well does ``confidence`` match reality? Reliability on a held-out split, per catalog.

    python benchmarks/calibration.py data/demo ../shared/data/amazon_magazine_2018 ../shared/data/amazon_giftcards_2018

For each graph: train the ranker as the Explainer does (``train_ranker``), score the held-out
calibration pairs (each user's second-newest interaction against 4 untouched items), then fit
Platt scaling on the users of one parity and read the reliability curve on the other's pairs
(both ways). Side by side: the raw sigmoid of the scorer's logit (what a page would show without
calibration). Also the CPU time of training alone against training plus calibration.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import load_graph  # noqa: E402
from reasoning import load_rules, train_scorer  # noqa: E402
from reasoning.calibrate import Calibration, calibration_samples, fit_platt, reliability, train_ranker  # noqa: E402

RULES = ROOT / "data" / "rules" / "default.yaml"


def cpu(fn):
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def measure(path: str) -> list[str]:
    graph = load_graph(path)
    rules = load_rules(RULES, graph)
    _, t_train = cpu(lambda: train_scorer(graph, rules, max_users=500))
    ranker, t_both = cpu(lambda: train_ranker(graph, rules, show=False))
    s = calibration_samples(graph, rules, ranker.scorer, show=False)
    if s is None or ranker.calibration is None:
        return [f"| {Path(path).name} | no calibration: {ranker.scorer.stats.note or 'no held-out pairs'} |"]
    rows = []
    for parity in (0, 1):
        fit = s.users % 2 == parity
        cal = Calibration(*fit_platt(s.scores[fit], s.labels[fit]))
        held = ~fit
        curve, ece = reliability(np.array([cal.probability(x) for x in s.scores[held]]), s.labels[held])
        _, raw = reliability(1 / (1 + np.exp(-s.scores[held])), s.labels[held])
        worst = max(abs(p - y) for _, p, y in curve)
        rows.append(f"| {Path(path).name} | {parity} | {int(held.sum())} | {s.labels[held].mean():.2f} | "
                    f"{ece:.3f} | {worst:.3f} | {raw:.3f} | {raw / max(ece, 1e-9):.1f}x | {t_train:.2f} | {t_both:.2f} |")
    return rows


def main(paths: list[str]) -> None:
    print("| graph | fit on parity | held-out pairs | share real | ECE Platt | worst bin gap | ECE raw sigmoid |"
          " raw / Platt | train CPU-s | train+calibrate CPU-s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        for row in measure(path):
            print(row, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT / "data" / "demo")])
