"""The second round of hostile inputs (issue 14): every case refused with its code or answered right.

The table (tests/reliability/round2.py, round2_api.py) runs once in a child process with a watchdog
(tests/reliability/round2_run.py); each case is one test here, and the figures of the closing note
(tried, refused with a code, hangs, crashes, silent wrong answers) are asserted together.
"""
from __future__ import annotations

import pytest

from tests.reliability.round2_run import all_cases, run_in_child, summary

CASES = all_cases()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    return {o.name: o for o in run_in_child(tmp_path_factory.mktemp("round2"), hang_seconds=60, timeout=1500)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(outcomes, case):
    out = outcomes.get(case.name)
    assert out is not None, "the child never reached this case"
    assert out.passed, f"{case.name}: expected {out.expected}, got {out.got} ({out.verdict}): {out.message}"


def test_the_figures_no_hang_no_crash_no_silent_wrong_answer(outcomes):
    figures = summary(list(outcomes.values()))
    assert figures["tried"] == len(CASES) and len({c.name for c in CASES}) == len(CASES)
    assert (figures["hangs"], figures["crashes"], figures["silent_wrong_answers"]) == (0, 0, 0), figures
    assert figures["refused_with_code"] >= 60 and figures["ran_and_right"] >= 20


def test_every_class_of_the_issue_has_cases():
    classes = {c.cls for c in CASES}
    assert classes >= {"regex", "bomb", "files", "wrong", "terminal", "feedback", "generation", "api", "tables", "cli"}
