"""Shared by every test: scorers trained during a run are cached in one temporary folder (not beside
the demo data), so a run leaves the repository clean and trains each graph's scorer once.

The graph cache (kg/cache.py) and the command line's sentence cache are off unless a test turns
them on: a test that patches a loader's limit must see the loader run, not a graph cached by an
earlier test. Set at import, so subprocesses (the CLI tests) inherit it too.
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("WHYREC_CACHE", "0")


@pytest.fixture(scope="session", autouse=True)
def scorer_cache(tmp_path_factory):
    if os.environ.get("WHYREC_CACHE_DIR"):
        yield os.environ["WHYREC_CACHE_DIR"]
        return
    folder = str(tmp_path_factory.mktemp("scorer-cache"))
    os.environ["WHYREC_CACHE_DIR"] = folder  # subprocesses (the CLI tests) inherit it
    yield folder
    os.environ.pop("WHYREC_CACHE_DIR", None)
