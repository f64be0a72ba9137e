"""Test-session settings shared by every test package.

The graph cache (kg/cache.py) is off unless a test turns it on: a test that patches a loader's
limit must see the loader run, not a graph cached by an earlier test. Its default folder points
into a temporary directory, so no test ever writes to the user's ~/.cache.
"""
import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="whyrec-test-cache-")
os.environ["WHYREC_CACHE_DIR"] = _CACHE
os.environ["WHYREC_CACHE"] = "0"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_CACHE, ignore_errors=True)
