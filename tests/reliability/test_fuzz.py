"""Mutation fuzzing (hypothesis) of the Turtle, N-Triples, CSV-mapping and rule loaders.

Each example mutates a valid seed file (tests/reliability/fuzzing.py: byte flips, insertions of
special characters, deletions, truncations, duplications). The loader must return a graph (or
rule set) that survives a save and a reload, or raise the project's error; anything else fails.
WHYREC_FUZZ_EXAMPLES sets the examples per loader (200 in CI, derandomized so CI is repeatable);
benchmarks/fuzz.py runs 10,000 random ones per loader and reports the slowest.
"""
from __future__ import annotations

import faulthandler
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import FUZZ_EXAMPLES
from tests.reliability.fuzzing import CI_TARGETS, KINDS, mutate, run_input, targets

OPS = st.lists(st.tuples(st.sampled_from(KINDS), st.floats(0, 1), st.floats(0, 1), st.integers(0, 1 << 16)),
               min_size=1, max_size=4)
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=timedelta(seconds=10), database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def hang_guard():
    """A hang in native code cannot be interrupted: dump every thread and exit instead of waiting."""
    faulthandler.dump_traceback_later(600, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("name", CI_TARGETS)
def test_mutants_load_or_raise_the_project_error(name):
    target = targets()[name]
    outcomes = []

    @FUZZ
    @given(OPS)
    def one(ops):
        with tempfile.TemporaryDirectory() as tmp:
            outcomes.append(run_input(target, mutate(target.seed, ops), Path(tmp)))  # raises Unexpected

    one()
    assert "error" in outcomes  # the mutations do reach the error paths


@pytest.mark.parametrize("name", sorted(targets()))
def test_every_seed_loads_and_round_trips(name, tmp_path):
    assert run_input(targets()[name], targets()[name].seed, tmp_path) == "loaded"


@pytest.mark.parametrize("data", [b'{\x00\x00\x00"', b"\x00\x00\x00{"])
def test_jsonld_starting_with_nul_bytes_is_a_syntax_error_not_a_crash(data, tmp_path):
    # found by the fuzzer: json.loads(bytes) guessed UTF-32 from the NULs and raised UnicodeDecodeError
    from kg.errors import KGError
    from kg.load.rdf import load_rdf

    (tmp_path / "a.jsonld").write_bytes(data)
    with pytest.raises(KGError) as err:
        load_rdf(tmp_path / "a.jsonld")
    assert err.value.code == "K003" and err.value.where.line == 1
