"""Run the hostile-file table (tests/reliability/hostile.py) and judge each case.

In a child process, so that a hang or a crash is reported with the case that caused it; the traps
(tests/reliability/traps.py) live in the parent and see native code too:

    python -m tests.reliability.hostile_run --url U --fifo F --secret S     (one JSON line per case)
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.reliability.hostile import CASES, EXECUTED, EX, Case, Env, put


@dataclass
class Outcome:
    name: str
    expected: str
    outcome: str  # refused | loaded | crashed
    seconds: float
    code: str | None = None
    file: str | None = None
    line: int | None = None
    message: str = ""
    triples: int | None = None
    problems: tuple[str, ...] = ()  # why this case fails; empty when it passes


# -- writers ------------------------------------------------------------------------------------


EARLIER = f'<{EX}s> <{EX}p> "kept" .\n<{EX}s> <{EX}q> _:b .\n_:b <{EX}p> "1" .\n'


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(folder)), p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*"))


def run_case(case: Case, folder: Path, env: Env, earlier, guard) -> Outcome:
    """Load the case's input once and judge it (see the module docstring)."""
    from kg import load_graph
    from kg.errors import KGError
    from tests.reliability.traps import SECRET

    folder.mkdir(parents=True)
    path = case.make(folder, env)
    before, kept = _listing(folder), list(earlier.lines())
    expected = case.code or "loads"
    start = time.perf_counter()
    graph = err = None
    try:
        with guard:
            graph = load_graph(path)
        seconds = time.perf_counter() - start
        out = Outcome(case.name, expected, "loaded", seconds, triples=len(graph))
    except KGError as exc:
        seconds = time.perf_counter() - start
        err = exc
        out = Outcome(case.name, expected, "refused", seconds, exc.code, exc.where.file, exc.where.line, str(exc)[:300])
    except BaseException as exc:  # noqa: BLE001 - anything else is what this table exists to catch
        seconds = time.perf_counter() - start
        out = Outcome(case.name, expected, "crashed", seconds, message=f"{type(exc).__name__}: {exc}"[:300])
    problems = []
    if case.code is not None:
        want = str(folder / case.at) if case.at else str(path)
        if err is None:
            problems.append(f"expected {case.code}, got {out.outcome} {out.message}")
        else:
            if err.code != case.code:
                problems.append(f"code {err.code}, expected {case.code}: {err}")
            if err.where.file != want:
                problems.append(f"names {err.where.file}, expected {want}")
            if err.where.line is None or (case.line is not None and err.where.line != case.line):
                problems.append(f"line {err.where.line}, expected {case.line}")
            if not str(err).startswith(f"{err.where}: {err.code} ") or not err.hint:
                problems.append(f"not in the form file:line:col: CODE message; hint: {err}")
            if SECRET in str(err):
                problems.append("the message holds the trap file's secret")
    else:
        if graph is None:
            problems.append(f"a valid file was {out.outcome}: {out.message}")
        else:
            try:
                if case.check is not None and not case.check(graph):
                    problems.append("the loaded graph fails its check")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"the check raised {type(exc).__name__}: {exc}")
            if any(SECRET in line for line in graph.lines()):
                problems.append("the graph holds the trap file's secret")
    if (Path(env.secret).parent / EXECUTED).exists():
        problems.append("a YAML tag ran code")
    if _listing(folder) != before:
        problems.append("the load wrote to the input folder")
    if list(earlier.lines()) != kept:
        problems.append("a graph loaded earlier changed")
    if guard.attempts or guard.opens:
        problems.append(f"reached outside: {guard.attempts + guard.opens}")
        guard.attempts.clear()
        guard.opens.clear()
    out.problems = tuple(problems)
    return out


@dataclass
class Report:
    outcomes: dict[str, Outcome]
    connections: int  # to the trap socket, from any code in the child
    pipe_opens: int  # of the trap FIFO, from any code in the child
    died_in: str | None  # the case running when the child hung or crashed
    stderr: str


def run_in_child(folder: Path, only: list[str] | None = None, timeout: float = 600.0,
                 hang_seconds: float = 20.0) -> Report:
    """Run the table in a fresh interpreter, with the traps set in this process."""
    import subprocess

    from tests.reliability.traps import Traps

    root = Path(__file__).resolve().parents[2]
    with Traps(folder / "outside") as traps:
        cmd = [sys.executable, "-m", "tests.reliability.hostile_run", *traps.args(), "--hang-seconds", str(hang_seconds)]
        if only:
            cmd += ["--only", *only]
        try:
            done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout)
            stdout, stderr = done.stdout, done.stderr
        except subprocess.TimeoutExpired as exc:
            stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            stderr = "timed out"
        time.sleep(0.05)  # let the watchers count a last touch
        outcomes, running = {}, None
        for line in stdout.splitlines():
            record = json.loads(line)
            if "start" in record:
                running = record["start"]
            else:
                outcomes[record["name"]] = Outcome(**{**record, "problems": tuple(record["problems"])})
                running = None
        return Report(outcomes, traps.connections, traps.fifo_opens, running, stderr[-4000:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--fifo", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--only", nargs="*", help="case names (default: all)")
    ap.add_argument("--hang-seconds", type=float, default=20.0, help="a case running longer is a hang")
    args = ap.parse_args(argv)
    from kg.load import rdf as _rdf, tables as _tables  # noqa: F401 - imported before the guard is armed
    from kg import load_graph
    from tests.reliability.traps import NetworkGuard

    env = Env(args.url, args.fifo, args.secret)
    guard = NetworkGuard.get()
    guard.watched = (str(Path(args.secret).parent),)
    with tempfile.TemporaryDirectory() as tmp:
        earlier = load_graph(put(Path(tmp), "earlier.nt", EARLIER))
        for k, case in enumerate(c for c in CASES if not args.only or c.name in args.only):
            print(json.dumps({"start": case.name}), flush=True)
            faulthandler.dump_traceback_later(args.hang_seconds, exit=True)
            out = run_case(case, Path(tmp) / f"case{k:03d}", env, earlier, guard)
            faulthandler.cancel_dump_traceback_later()
            print(json.dumps(asdict(out)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
