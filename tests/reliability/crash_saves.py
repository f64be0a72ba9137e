"""Kill a process with SIGKILL at random moments while it saves, and check the file it was replacing.

One process imports everything and builds the data once, then for each trial forks a child that
saves in a loop (two versions in turn), sleeps a random time within about one and a half saves,
and kills the child. The target must then hold a complete version, parsed in full: the graph
loads with the lines of one version, the feedback file reads and keeps every vote committed
before, the checkpoint passes the safe loader and its weights are one of the two versions.

    python -m tests.reliability.crash_saves graph|feedback|checkpoint --trials 100 --folder DIR

Prints one JSON object: trials, intact, lost (trials whose file was missing or damaged), stray
temp files left beside the target (garbage a kill cannot clean up, not data), the save time.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sys
import time
from pathlib import Path


class Graph:
    """graph.save to .nt: a graph big enough that one save takes a while."""

    name = "graph"

    def __init__(self, folder: Path, size: int = 60_000):
        from kg.build import GraphBuilder

        def build(extra: int):
            b = GraphBuilder("crash")
            for k in range(size // 3 + extra):
                s = f"<https://ex.org/p/{k}>"
                b.add(s, "<https://schema.org/name>", f'"Product {k} \\"q\\"\\n"')
                b.add(s, "<https://schema.org/brand>", f"<https://ex.org/b/{k % 97}>")
                b.add(s, "<https://whyrec.dev/ns#ingredient>", f"<https://ex.org/i/{k % 1013}>")
            return b.build()

        self.target = folder / "graph.nt"
        self.versions = (build(0), build(1))
        self.digests = set()
        for g in self.versions:
            g.save(self.target)
            self.digests.add(_digest(self.target))

    def save(self, k: int) -> None:
        self.versions[k % 2].save(self.target)

    def verify(self) -> str | None:
        from kg import load_graph

        if _digest(self.target) not in self.digests:
            return "the file is neither version"
        return None if len(load_graph(self.target)) in {len(g) for g in self.versions} else "reload differs"


class Feedback:
    """FeedbackStore.record: one new rule key per vote, so committed votes can be counted."""

    name = "feedback"

    def __init__(self, folder: Path):
        from generation.feedback import FeedbackStore, Vote

        import sqlite3

        self.target = folder / "feedback.sqlite"
        FeedbackStore(self.target).record(Vote("user0", "rule-0", ("brand",), True))
        with sqlite3.connect(self.target) as db:
            db.executemany("INSERT OR REPLACE INTO weights VALUES (?, ?, ?, ?)",
                           [(f"user{k}", "rule", f"rule-{j}", 0.75) for k in range(1500) for j in range(10)]
                           + [(f"user{k}", "relation", "brand", 0.25) for k in range(1500)])
        self.store, self.vote = FeedbackStore(self.target), Vote
        self.committed = 0

    def save(self, k: int) -> None:
        self.store.record(self.vote("voter", f"vote-{k:07d}", ("brand",), True))

    def verify(self) -> str | None:
        from generation.feedback import FeedbackStore

        store = FeedbackStore(self.target)  # raises on a damaged file
        if sum(1 for u in range(1500) if store.weights(f"user{u}").rules) != 1500:
            return "a user's weights were lost"
        votes = len(store.weights("voter").rules)
        if votes < self.committed:
            return f"{self.committed - votes} committed vote(s) lost"
        self.committed = votes
        return None


class Checkpoint:
    """training.model.atomic_dir + save_checkpoint: the verbalizer's atomic folder save."""

    name = "checkpoint"

    def __init__(self, folder: Path):
        import torch

        from training.config import TINY
        from training.model import atomic_dir, build_model, save_checkpoint
        from training.tokenizer import train_tokenizer

        torch.set_num_threads(1)
        config = TINY.replace(d_model=128, d_ff=512, layers=2, heads=4)  # ~1 MB of weights
        tok = train_tokenizer(["you bought <P1> ; <ITEM> brand <B1>", "You bought <P1>."] * 5, 300)
        self.models = (build_model(config, tok), build_model(config.replace(seed=7), tok))
        self.tok, self.config, self.atomic_dir, self.save_checkpoint = tok, config, atomic_dir, save_checkpoint
        self.target = folder / "verbalizer"
        self.digests = set()
        for k in range(2):
            self.save(k)
            self.digests.add(_digest(self.target / "model.safetensors"))

    def save(self, k: int) -> None:
        with self.atomic_dir(self.target) as tmp:
            self.save_checkpoint(self.models[k % 2], self.tok, self.config, tmp)

    def verify(self) -> str | None:
        from generation.verbalizer import load_seq2seq

        if not (self.target / "model.safetensors").is_file():
            return "no checkpoint at the target"
        load_seq2seq(self.target)  # the safe loader, in full
        return None if _digest(self.target / "model.safetensors") in self.digests else "weights are neither version"


TARGETS = {t.name: t for t in (Graph, Feedback, Checkpoint)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _strays(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def run(target_name: str, trials: int, folder: Path, seed: int = 0) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    folder.mkdir(parents=True, exist_ok=True)
    target = TARGETS[target_name](folder)
    start = time.perf_counter()
    for k in range(3):
        target.save(k)
    save_s = (time.perf_counter() - start) / 3
    rnd = random.Random(seed)
    lost, problems = 0, []
    for trial in range(trials):
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: save until killed
            try:
                os.close(ready_r)
                os.write(ready_w, b"1")
                k = trial
                while True:
                    target.save(k)
                    k += 1
            finally:
                os._exit(1)
        os.close(ready_w)
        os.read(ready_r, 1)
        os.close(ready_r)
        time.sleep(rnd.uniform(0, 1.5 * save_s))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        try:
            problem = target.verify()
        except Exception as exc:  # noqa: BLE001 - a damaged file raises; that is a lost file
            problem = f"{type(exc).__name__}: {exc}"[:300]
        if problem:
            lost += 1
            problems.append(f"trial {trial}: {problem}")
        print(f"trial {trial}: {problem or 'intact'}", file=sys.stderr, flush=True)  # shows progress on a timeout
    return {"target": target_name, "trials": trials, "intact": trials - lost, "lost": lost,
            "stray_temp_files": len(_strays(target.target)), "save_seconds": round(save_s, 4),
            "problems": problems[:5]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("target", choices=sorted(TARGETS))
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.target, args.trials, args.folder, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
