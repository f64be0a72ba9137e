"""Start ``whyrec serve`` in a subprocess on a free local port and stop it again (tests, benchmarks)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO, RULES = ROOT / "data" / "demo", ROOT / "data" / "rules" / "default.yaml"
TOKEN = "test-token-0123456789abcdef"
_URL = re.compile(r"listening on (http://\S+)")


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: list[str]

    def stop(self) -> str:
        """Stop the server this helper started (by its own process group) and return what it printed."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        rest = self.proc.stdout.read() if self.proc.stdout else ""
        return "".join(self.log) + (rest or "")


def start(*args: str, graph: Path = DEMO, rules: Path = RULES, timeout: float = 180.0,
          env: dict[str, str] | None = None) -> Server:
    """``whyrec serve --graph G --rules R --port 0 ARGS`` with WHYREC_TOKEN set; waits until it listens."""
    environ = {**os.environ, "WHYREC_TOKEN": TOKEN, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    cmd = [sys.executable, "-m", "whyrec.cli", "serve", "--graph", str(graph), "--rules", str(rules),
           "--port", "0", *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    log: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        log.append(line)
        m = _URL.search(line)
        if m:
            return Server(m.group(1), proc, log)
    server = Server("", proc, log)
    raise AssertionError(f"whyrec serve did not start:\n{server.stop()}")
