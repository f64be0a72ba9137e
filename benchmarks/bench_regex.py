"""The worst time per accepted ``matches`` pattern: RE2 (what whyrec runs) beside Python's ``re``.

    python benchmarks/bench_regex.py                  # families + 2,000 random patterns
    python benchmarks/bench_regex.py --random 200 --re-limit 1

Every pattern goes through the rule loader's check (reasoning/safe_regex.check_pattern); each
accepted one is searched in every hostile text cut to MATCH_TEXT (2,000) characters, the most the
matcher ever hands it, and its worst time is kept (each search on a fresh text, DFA cache as left). The same patterns run on Python's ``re`` in a
child process killed after ``--re-limit`` seconds (what a user without RE2 would get). Prints
one table per family and the worst time over all accepted patterns (tests/reliability/README.md).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAMILIES: dict[str, list[str]] = {
    "nested repetition": ["(a+)+$", "(a|aa)*b", r"(\w+\s?)+$", "(x+x+)+y", "((((a*)*)*)*)b", "(a*)*$",
                          r"^(([a-z])+.)+[A-Z]([a-z])+$", r"(\d+\.?)+x"],
    "optional chains": [f"(a?){{{n}}}a{{{n}}}" for n in (10, 20, 25, 30, 50, 100, 200)]
                       + [f"(a{{0,9}}){{{k}}}b" for k in (5, 10, 20, 50)] + ["(a?b?c?){40}d", "(?:a?){60}$"],
    "wide in sequence": [".*.*.*x", ".*" * 20 + "x", "(.*a){20}", "(.*a){50}", r"\w+\s*\w+x", ".{0,100}.{0,100}x",
                         r"(\s*\w+\s*,)*\s*$", "(.+)+(.+)+(.+)+z"],
    "automaton blow-up": [f"(a|b)*a(a|b){{{n}}}" for n in (10, 20, 50, 100, 200)]
                         + [f"[ab]*a[ab]{{{n}}}b" for n in (30, 150)],
    "large bounded": [".{500}x", "(.{100}){9}x", r"[\s\S]{999}q", r"\pL{200}\pN", r"(?i)[^x]{10,999}(?:aa|bb){20}$",
                      "x{1000}", "(?:ab){400}"],
    "unicode classes": [r"\pL{3}\pN", r"(\pL|\pN){0,20}x", r"[^x]{10,60}", r"(?i)\pL{1,50}é", r"\p{Greek}+\p{Han}{2,9}",
                        r"[^\s]{1,80}$", r"(\PL|\pL)*\pL{40}"],
    "ordinary": ["(?i)spf", r"\d+ ?ml", "^[A-Ma-m]", "serum$", "glow|lueur", ".*x", r"^\pL+$", r"(?i)\bvegan\b"],
}


def texts(n: int = 10_000) -> dict[str, str]:
    rnd = random.Random(7)
    return {"a x n": "a" * n, "a x n, then !": "a" * (n - 1) + "!", "random ab": "".join(rnd.choice("ab") for _ in range(n)),
            "words": " ".join(rnd.choice(["Glow", "serum", "SPF", "30ml", "vegan", "é中"]) for _ in range(n // 5))[:n],
            "lines": ("ab\n" * n)[:n], "x x n": "x" * n}


def random_patterns(count: int, seed: int) -> list[str]:
    """Small random regexes from a grammar rich in repetition, alternation and classes."""
    rnd = random.Random(seed)
    atoms = ["a", "b", "x", ".", r"\w", r"\d", r"\s", "[ab]", "[^x]", r"\pL", "(?i)a"]

    def expr(depth: int) -> str:
        k = rnd.random()
        if depth > 3 or k < 0.3:
            return rnd.choice(atoms)
        if k < 0.55:
            return "".join(expr(depth + 1) for _ in range(rnd.randint(2, 4)))
        if k < 0.7:
            return "(" + "|".join(expr(depth + 1) for _ in range(rnd.randint(2, 3))) + ")"
        quant = rnd.choice(["*", "+", "?", "{2,}", f"{{{rnd.randint(1, 60)}}}", f"{{0,{rnd.randint(1, 90)}}}", "*?"])
        return "(" + expr(depth + 1) + ")" + quant

    return [(rnd.choice(["", "^"]) + expr(0) + rnd.choice(["", "$", "x"]))[:200] for _ in range(count)]


def time_re2(patterns: list[str], corpus: dict[str, str]) -> list[dict]:
    from reasoning.match_finish import MATCH_TEXT
    from reasoning.safe_regex import _compiled, check_pattern

    rows = []
    for p in patterns:
        why = check_pattern(p)
        if why is not None:
            rows.append({"pattern": p, "accepted": False, "why": why})
            continue
        worst, where = 0.0, ""
        compiled = _compiled(p)[0]  # compiled once (the loader's cache): only searches are timed
        for name, text in corpus.items():
            text = text[:MATCH_TEXT]  # what the matcher hands a pattern at most
            start = time.perf_counter()
            compiled.search(text)
            took = time.perf_counter() - start
            if took > worst:
                worst, where = took, name
        rows.append({"pattern": p, "accepted": True, "worst": worst, "text": where})
    return rows


def time_re(pattern: str, limit: float) -> float | None:
    """Python re's worst time over the same texts, or None when it ran past ``limit`` seconds."""
    code = ("import re,sys,time,json;sys.path.insert(0,%r);from benchmarks.bench_regex import texts;"
            "p=re.compile(sys.argv[1]);w=0\nfor t in texts().values():\n s=time.perf_counter();p.search(t);"
            "w=max(w,time.perf_counter()-s)\nprint(json.dumps(w))") % str(ROOT)
    try:
        done = subprocess.run([sys.executable, "-c", code, pattern], capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout) if done.returncode == 0 and done.stdout.strip() else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--random", type=int, default=2000, help="random patterns besides the families (default 2,000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--re-limit", type=float, default=2.0, help="seconds Python's re may take per pattern (default 2)")
    args = ap.parse_args()
    corpus = texts()
    families = {**FAMILIES, f"random ({args.random:,}, seed {args.seed})": random_patterns(args.random, args.seed)}
    print("| family | patterns | accepted | RE2 median | RE2 worst | worst pattern | Python re worst | re over limit |")
    print("|---|---:|---:|---:|---:|---|---:|---:|")
    overall = {"worst": 0.0, "pattern": "", "accepted": 0, "tried": 0, "re_hangs": 0}
    for family, patterns in families.items():
        rows = time_re2(patterns, corpus)
        ok = [r for r in rows if r["accepted"]]
        overall["tried"] += len(rows)
        overall["accepted"] += len(ok)
        worst = max(ok, key=lambda r: r["worst"]) if ok else None
        if worst and worst["worst"] > overall["worst"]:
            overall["worst"], overall["pattern"] = worst["worst"], worst["pattern"]
        sample = patterns if not family.startswith("random") else [r["pattern"] for r in sorted(
            ok, key=lambda r: -r["worst"])[:10]]  # Python re on the 10 slowest random ones only
        re_times = [time_re(p, args.re_limit) for p in sample]
        hangs = sum(t is None for t in re_times)
        overall["re_hangs"] += hangs
        finite = [t for t in re_times if t is not None and t == t]
        re_worst = f">{args.re_limit:g} s" if hangs else (f"{max(finite) * 1e3:.2f} ms" if finite else "-")
        median = f"{statistics.median(r['worst'] for r in ok) * 1e3:.3f} ms" if ok else "-"
        print(f"| {family} | {len(rows)} | {len(ok)} | {median} | "
              f"{worst['worst'] * 1e3:.2f} ms | `{worst['pattern'][:40]}` | {re_worst} | {hangs} of {len(sample)} |"
              if worst else f"| {family} | {len(rows)} | 0 | - | - | - | {re_worst} | {hangs} of {len(sample)} |",
              flush=True)
    print(f"\nworst time per accepted pattern (RE2, texts of MATCH_TEXT characters): {overall['worst'] * 1e3:.1f} ms "
          f"for `{overall['pattern']}`; {overall['accepted']:,} of {overall['tried']:,} patterns accepted; "
          f"Python re ran past {args.re_limit:g} s on {overall['re_hangs']}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_regex.json").write_text(json.dumps(overall, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
