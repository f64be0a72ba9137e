"""Every hostile input file (tests/reliability/hostile.py), loaded in a child process with traps set.

One table, one test per row: a refusal names its file and line with a project code; a valid but
odd file loads and passes its check; nothing is written, fetched or opened outside; a graph
loaded earlier is untouched. The child runs the whole table, so a hang or a crash names its case.
tests/kg/test_rdf_load.py and test_tables.py hold the finer per-format checks (columns, hints).
"""
from __future__ import annotations

import os
import socket
import threading
import urllib.request

import pytest

from tests.reliability.hostile import CASES
from tests.reliability.hostile_run import run_in_child
from tests.reliability.traps import NetworkGuard, Traps


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return run_in_child(tmp_path_factory.mktemp("hostile"), timeout=600, hang_seconds=20)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(report, case):
    assert report.died_in is None, f"the loader hung or crashed on {report.died_in!r}:\n{report.stderr}"
    out = report.outcomes.get(case.name)
    assert out is not None, f"the child never reached this case:\n{report.stderr}"
    assert not out.problems, f"{case.name}: {'; '.join(out.problems)}"
    assert out.outcome == ("loaded" if case.code is None else "refused")


def test_nothing_reached_the_network_or_the_trap_pipe(report):
    assert len(report.outcomes) == len(CASES)
    assert (report.connections, report.pipe_opens) == (0, 0)


def test_most_hostile_files_are_refused():
    refused = sum(c.code is not None for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)  # the names key the results
    assert refused >= 50 and len(CASES) - refused >= 15


# -- the traps themselves must see what they exist to see -----------------------------------------

def test_the_traps_count_a_connection_and_a_pipe_reader(tmp_path):
    with Traps(tmp_path) as traps:
        with pytest.raises(Exception):  # the trap closes at once: no HTTP answer
            urllib.request.urlopen(traps.url + "ctx", timeout=2)
        reader = threading.Thread(target=lambda: os.close(os.open(traps.fifo, os.O_RDONLY)))
        reader.start()
        reader.join(5)
        assert not reader.is_alive()
    assert traps.connections >= 1 and traps.fifo_opens == 1


def test_the_audit_hook_refuses_python_networking(tmp_path):
    guard = NetworkGuard.get()
    with guard, pytest.raises(ConnectionRefusedError):
        socket.getaddrinfo("example.org", 80)
    with guard, pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert len(guard.attempts) >= 2
    guard.attempts.clear()
