"""Run the second round's hostile table (round2.py + round2_api.py) and judge each case.

In a child process with a watchdog, so a hang or a crash names its case; after a hang the child is
started again from the next case, so one hang does not hide the rest:

    python -m tests.reliability.round2_run --folder DIR          (one JSON line per case)
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path


def all_cases():
    from tests.reliability.round2 import CASES as FILES
    from tests.reliability.round2_api import CASES as API
    return FILES + API


@dataclass
class Outcome:
    name: str
    cls: str
    expected: str  # a code, or "ok"
    got: str  # ok | wrong | refused CODE | crash TYPE | hang
    seconds: float
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.got == ("ok" if self.expected == "ok" else f"refused {self.expected}")

    @property
    def verdict(self) -> str:
        """passed | hang | crash | silent wrong answer | other code"""
        if self.passed:
            return "passed"
        if self.got in ("hang",) or self.got.startswith("crash"):
            return self.got.split()[0]
        if self.got in ("ok", "wrong"):
            return "silent wrong answer"
        return "other code"


def run_case(case, folder: Path) -> Outcome:
    folder.mkdir(parents=True)
    start = time.perf_counter()
    try:
        right = case.run(folder)
        got, message = ("ok" if right else "wrong"), ""
    except Exception as exc:  # noqa: BLE001 - what this table exists to sort
        code = getattr(exc, "code", None)
        if isinstance(code, str) and code[:1] in "KRVE" and str(exc).strip():
            got = f"refused {code}"
        else:
            got = f"crash {type(exc).__name__}"
        message = str(exc)[:300]
    return Outcome(case.name, case.cls, case.expect or "ok", got, time.perf_counter() - start, message)


def run_in_child(folder: Path, hang_seconds: float = 60.0, timeout: float = 1200.0) -> list[Outcome]:
    """Every case, each judged once; a hang is recorded and the child restarted after it."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(root)}
    names = [c.name for c in all_cases()]
    outcomes: dict[str, Outcome] = {}
    start_at = 0
    deadline = time.monotonic() + timeout
    while start_at < len(names) and time.monotonic() < deadline:
        cmd = [sys.executable, "-m", "tests.reliability.round2_run", "--folder", str(folder / f"run{start_at}"),
               "--start", str(start_at), "--hang-seconds", str(hang_seconds)]
        try:
            done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env,
                                  timeout=max(1.0, deadline - time.monotonic()))
            stdout = done.stdout
        except subprocess.TimeoutExpired as exc:
            stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        running = None
        for line in stdout.splitlines():
            record = json.loads(line)
            if "start" in record:
                running = record["start"]
            else:
                outcomes[record["name"]] = Outcome(**record)
                running = None
        if running is None:
            break
        outcomes[running] = Outcome(running, "", "?", "hang", hang_seconds, "the watchdog ended it")
        start_at = names.index(running) + 1
    cases = {c.name: c for c in all_cases()}
    for name, o in outcomes.items():
        o.cls, o.expected = cases[name].cls, cases[name].expect or "ok"
    return [outcomes[n] for n in names if n in outcomes]


def summary(outcomes: list[Outcome]) -> dict:
    verdicts = [o.verdict for o in outcomes]
    return {"tried": len(outcomes), "refused_with_code": sum(o.got.startswith("refused") for o in outcomes),
            "ran_and_right": sum(o.got == "ok" and o.passed for o in outcomes),
            "passed": verdicts.count("passed"), "hangs": verdicts.count("hang"), "crashes": verdicts.count("crash"),
            "silent_wrong_answers": verdicts.count("silent wrong answer"), "other_code": verdicts.count("other code"),
            "slowest": max(((round(o.seconds, 2), o.name) for o in outcomes), default=None)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--hang-seconds", type=float, default=60.0)
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    for k, case in enumerate(all_cases()):
        if k < args.start:
            continue
        print(json.dumps({"start": case.name}), flush=True)
        faulthandler.dump_traceback_later(args.hang_seconds, exit=True)
        out = run_case(case, args.folder / f"case{k:03d}")
        faulthandler.cancel_dump_traceback_later()
        print(json.dumps(asdict(out)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
