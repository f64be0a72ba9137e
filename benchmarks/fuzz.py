"""The reliability figures: mutation fuzzing at large budgets, plus the other counts of the suite.

    python benchmarks/fuzz.py                     # 10,000 mutants per loader, 7 loaders
    python benchmarks/fuzz.py --inputs 500 --targets turtle rules
    python benchmarks/fuzz.py --all               # and hostile files, round trips, kills, hubs
    python benchmarks/fuzz.py --hostile --roundtrip 10000 --kills 100 --bounded
    python benchmarks/fuzz.py --inputs 0 --round2      # the second round's table (issue 14)

Each loader's mutants (tests/reliability/fuzzing.py: byte flips, special-character insertions,
deletions, truncations, duplications of a valid seed) run in a child process, so a crash or a
hang in native code is caught and the input kept (benchmarks/out/fuzz-crash-*.bin). A mutant
passes when it raises the project's error, or loads and survives a save and reload. Prints one
table per part and, at the end, the figures table of tests/reliability/README.md.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

HANG_SECONDS = 30.0  # an input running longer than this is a hang: the worker dumps its stack and dies


def worker(target_name: str, inputs: int, seed: int) -> None:
    """Run the mutants of one loader; print one JSON line of counts."""
    import faulthandler

    from tests.reliability.fuzzing import Relabelled, Unexpected, mutate, random_ops, run_input, targets

    target = targets()[target_name]
    rnd = random.Random(f"{seed}:{target_name}")
    counts = {"error": 0, "loaded": 0, "relabelled": 0}
    crashes, worst, worst_ops = [], 0.0, None
    current = OUT / f"fuzz-current-{target_name}.json"
    with tempfile.TemporaryDirectory() as tmp:
        run_input(target, target.seed, Path(tmp))  # untimed: the first load imports and builds caches
        for k in range(inputs):
            ops = random_ops(rnd)
            data = mutate(target.seed, ops)
            current.write_text(json.dumps(ops))  # what was running if this process dies
            folder = Path(tmp) / f"{k}"
            folder.mkdir()
            faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
            start = time.perf_counter()
            try:
                counts[run_input(target, data, folder)] += 1
            except Relabelled:  # isomorphic: reported apart from crashes (tests/reliability/test_round_trip.py)
                counts["relabelled"] += 1
                (OUT / f"fuzz-relabelled-{target_name}-{k}.bin").write_bytes(data)
            except Unexpected as exc:
                crashes.append(str(exc)[:300])
                (OUT / f"fuzz-crash-{target_name}-{k}.bin").write_bytes(data)
            seconds = time.perf_counter() - start
            faulthandler.cancel_dump_traceback_later()
            if seconds > worst:
                worst, worst_ops = seconds, ops
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
    current.unlink()
    print(json.dumps({"target": target_name, "inputs": inputs, **counts, "crashes": len(crashes),
                      "max_seconds": worst, "slowest_ops": worst_ops, "first_crashes": crashes[:3]}))


def fuzz(targets: list[str], inputs: int, seed: int) -> list[dict]:
    rows = []
    print(f"\n## Mutation fuzzing: {inputs:,} inputs per loader (seed {seed})\n")
    print("| loader | inputs | project errors | loaded + round-tripped | crashes | labels changed | max time |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in targets:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--worker", name, str(inputs), str(seed)], cwd=ROOT,
                              capture_output=True, text=True, env=_env())
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        if done.returncode != 0 or not lines:
            current = OUT / f"fuzz-current-{name}.json"
            row = {"target": name, "inputs": inputs, "error": 0, "loaded": 0, "relabelled": 0, "crashes": 1,
                   "max_seconds": float("nan"),
                   "first_crashes": [f"the worker died (exit {done.returncode}) on ops "
                                     f"{current.read_text() if current.exists() else '?'}: {done.stderr[-800:]}"]}
        else:
            row = json.loads(lines[-1])
        row["wall"] = time.perf_counter() - start
        rows.append(row)
        print(f"| {name} | {row['inputs']:,} | {row['error']:,} | {row['loaded']:,} | {row['crashes']} | "
              f"{row['relabelled']} | {row['max_seconds'] * 1000:.0f} ms |", flush=True)
        for c in row.get("first_crashes", []):
            print(f"    crash: {c}")
    return rows


def hostile() -> dict:
    from tests.reliability.hostile import CASES
    from tests.reliability.hostile_run import run_in_child

    with tempfile.TemporaryDirectory() as tmp:
        report = run_in_child(Path(tmp))
    outs = [report.outcomes[c.name] for c in CASES if c.name in report.outcomes]
    print("\n## Hostile files (tests/reliability/hostile.py)\n")
    print("| file | expected | got | time |")
    print("|---|---|---|---:|")
    for o in sorted(outs, key=lambda o: -o.seconds)[:12]:
        print(f"| {o.name} | {o.expected} | {o.code or o.outcome} | {o.seconds * 1000:.0f} ms |")
    failed = [o.name for o in outs if o.problems]
    summary = {"tried": len(CASES), "refused": sum(o.outcome == "refused" for o in outs),
               "loaded": sum(o.outcome == "loaded" for o in outs), "failed": failed + (
                   [f"died in {report.died_in}"] if report.died_in else []),
               "max_seconds": max(o.seconds for o in outs), "over_2s": [(o.name, round(o.seconds, 2)) for o in outs
                                                                        if o.seconds > 2],
               "connections": report.connections, "pipe_opens": report.pipe_opens}
    print(f"\n{summary}")
    return summary


def round2() -> dict:
    """The second round's hostile table (tests/reliability/round2.py, round2_api.py), by class, with times."""
    from tests.reliability.round2_run import run_in_child, summary

    with tempfile.TemporaryDirectory() as tmp:
        outs = run_in_child(Path(tmp), hang_seconds=HANG_SECONDS)
    print("\n## Hostile inputs, second round (issue 14), by class\n")
    print("| class | tried | refused with a code | ran and right | hangs | crashes | silent wrong | slowest |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for cls in sorted({o.cls for o in outs}):
        mine = [o for o in outs if o.cls == cls]
        f = summary(mine)
        print(f"| {cls} | {f['tried']} | {f['refused_with_code']} | {f['ran_and_right']} | {f['hangs']} | "
              f"{f['crashes']} | {f['silent_wrong_answers']} | {max(o.seconds for o in mine) * 1000:.0f} ms |")
    figures = summary(outs)
    print(f"\n{figures}")
    for o in outs:
        if not o.passed:
            print(f"    FAILED {o.name}: expected {o.expected}, got {o.got}: {o.message[:200]}")
    return {**figures, "failed": [o.name for o in outs if not o.passed]}


def roundtrip(examples: int) -> dict:
    from hypothesis import HealthCheck, given, settings

    from tests.reliability.graphs import build, round_trip_mismatches, triples

    counts = {"graphs": 0, "mismatches": 0, "examples": []}

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(triples)
    def one(rows):
        counts["graphs"] += 1
        with tempfile.TemporaryDirectory() as tmp:
            bad = round_trip_mismatches(build(rows), Path(tmp))
        if bad:
            counts["mismatches"] += len(bad)
            counts["examples"] = (counts["examples"] + [(bad[0][:200], rows)])[:3]

    one()
    print(f"\n## Round trips: {counts['graphs']:,} random graphs x 3 formats (.nt .ttl .jsonld): "
          f"{counts['mismatches']} mismatches")
    for e in counts["examples"]:
        print(f"    {e}")
    return counts


def kills(trials: int) -> list[dict]:
    rows = []
    print(f"\n## Interrupted saves: SIGKILL at random moments, {trials} per target\n")
    print("| save | kills | files intact | files lost | stray temp files | one save |")
    print("|---|---:|---:|---:|---:|---:|")
    for target in ("graph", "feedback", "checkpoint"):
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([sys.executable, "-m", "tests.reliability.crash_saves", target, "--trials",
                                   str(trials), "--folder", tmp], cwd=ROOT, capture_output=True, text=True, env=_env())
        row = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else \
            {"target": target, "trials": trials, "intact": 0, "lost": trials, "stray_temp_files": 0,
             "save_seconds": float("nan"), "problems": [done.stderr[-500:]]}
        rows.append(row)
        print(f"| {target} | {row['trials']} | {row['intact']} | {row['lost']} | {row['stray_temp_files']} | "
              f"{row['save_seconds'] * 1000:.0f} ms |", flush=True)
        for p in row["problems"]:
            print(f"    {p}")
    return rows


def bounded() -> dict:
    from generation.explain import Explainer
    from reasoning import Budget, find_chains
    from tests.reliability.hubs import four_hubs, hub_shop, rules_for

    out = {}
    print("\n## Bounded work (default Budget): time per pair, first call (indexes built) and warm\n")
    print("| graph | triples | pair | first call | warm (best of 5) | truncated | timed out |")
    print("|---|---:|---|---:|---:|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("hub of 100,000 products", hub_shop), ("four hubs of 1,000", four_hubs)):
            graph, text = make()
            rules = rules_for(graph, text, Path(tmp))
            explainer = Explainer(graph, rules, verbalizer=None, scorer="weights")
            start = time.perf_counter()
            x = explainer.explain("u1", "item")
            first = time.perf_counter() - start
            warm = min(_timed(lambda: explainer.explain("u1", "item")) for _ in range(5))
            chains = find_chains(graph, rules, "u1", "item", Budget())
            out[name] = {"first": first, "warm": warm, "truncated": x.truncated, "timed_out": x.timed_out}
            print(f"| {name} | {len(graph):,} | u1, item | {first * 1000:.0f} ms | {warm * 1000:.1f} ms | "
                  f"{chains.truncated} | {chains.timed_out} |", flush=True)
    return out


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _env() -> dict:
    import os
    return {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}


def main() -> int:
    from tests.reliability.fuzzing import targets as all_targets

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:8]))
    ap.add_argument("--inputs", type=int, default=10_000, help="mutants per loader (default 10,000; 0 skips fuzzing)")
    ap.add_argument("--targets", nargs="+", choices=sorted(all_targets()), default=list(all_targets()))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hostile", action="store_true", help="the hostile-file table, with times")
    ap.add_argument("--roundtrip", type=int, default=0, metavar="N", help="N random graphs through .nt, .ttl, .jsonld")
    ap.add_argument("--kills", type=int, default=0, metavar="N", help="N SIGKILLs during each kind of save")
    ap.add_argument("--bounded", action="store_true", help="time per pair on the hub graphs")
    ap.add_argument("--round2", action="store_true", help="the second round's hostile table (issue 14), by class")
    ap.add_argument("--all", action="store_true", help="--hostile --roundtrip 10000 --kills 100 --bounded --round2")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), int(args.worker[2]))
        return 0
    if args.all:
        args.hostile, args.bounded, args.round2 = True, True, True
        args.roundtrip, args.kills = args.roundtrip or 10_000, args.kills or 100
    figures: dict = {}
    if args.inputs:
        figures["fuzz"] = fuzz(args.targets, args.inputs, args.seed)
    if args.hostile:
        figures["hostile"] = hostile()
    if args.roundtrip:
        figures["roundtrip"] = roundtrip(args.roundtrip)
    if args.kills:
        figures["kills"] = kills(args.kills)
    if args.bounded:
        figures["bounded"] = bounded()
    if args.round2:
        figures["round2"] = round2()
    (OUT / "fuzz.json").write_text(json.dumps(figures, indent=1, default=str))
    bad = sum(r["crashes"] for r in figures.get("fuzz", [])) + len(figures.get("hostile", {}).get("failed", [])) \
        + figures.get("roundtrip", {}).get("mismatches", 0) + sum(r["lost"] for r in figures.get("kills", [])) \
        + len(figures.get("round2", {}).get("failed", []))
    print(f"\nfigures saved to {OUT / 'fuzz.json'}; {bad} failure(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
