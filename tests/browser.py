"""Open a page in headless Chromium: its DOM after scripts ran, a screenshot, and its network requests.

Tests mark themselves ``@requires_chromium``; without a Chromium they skip with the reason.
Requests come from Chromium's own net log, so a request made any way (tag, CSS, fetch, navigation)
is seen. Chromium's own background requests (update checks, sign-in) carry the initiator
``not an origin``; anything a page asks for carries the page's origin (``null`` for file://).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium): browser tests skip")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",  # a leak fails fast, and stays here
         "--enable-logging=stderr", "--log-level=0")  # the page's console (errors, CSP refusals) on stderr


@dataclass(frozen=True)
class PageRun:
    dom: str  # the document after its scripts ran (--dump-dom)
    png: bytes  # screenshot of the window
    requests: tuple[tuple[str, str], ...]  # (url, initiator) of every request the page made
    console: tuple[str, ...]  # what the page wrote to its console: script errors, refused scripts ...
    seconds: float


def open_page(path: Path, fragment: str = "", size: tuple[int, int] = (1200, 800), budget_ms: int = 8000,
              timeout: float = 60.0) -> PageRun:
    """Load ``path`` (a local file) in a fresh headless Chromium profile and return what it did."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="whyrec-chromium-") as tmp:
        shot, netlog = Path(tmp) / "shot.png", Path(tmp) / "net.json"
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp}/profile", f"--window-size={size[0]},{size[1]}",
               f"--virtual-time-budget={budget_ms}", f"--log-net-log={netlog}", "--dump-dom",
               f"--screenshot={shot}", Path(path).resolve().as_uri() + fragment]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the process group this call started, nothing else
            proc.communicate()
            raise AssertionError(f"chromium did not finish within {timeout:.0f} s: {' '.join(cmd)}")
        seconds = time.perf_counter() - start
        if not shot.exists():
            raise AssertionError(f"chromium wrote no screenshot (exit {proc.returncode}):\n{err.decode()[-3000:]}")
        console = tuple(line.split(":CONSOLE", 1)[1] for line in err.decode("utf-8", "replace").splitlines()
                        if ":CONSOLE" in line)
        return PageRun(out.decode("utf-8", "replace"), shot.read_bytes(), page_requests(netlog), console, seconds)


def page_requests(netlog: Path) -> tuple[tuple[str, str], ...]:
    """(url, initiator) of each URL request in a Chromium net log that a web page started."""
    text = netlog.read_text(encoding="utf-8") if netlog.exists() else ""
    if not text.strip():
        raise AssertionError("chromium wrote no net log: cannot tell whether the page used the network")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # a log cut short at exit lacks its closing brackets
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    found = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] == start_job and "url" in params and params.get("initiator") != "not an origin":
            found.append((params["url"], str(params.get("initiator"))))
    return tuple(found)


def decode_png(data: bytes) -> np.ndarray:
    """An 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) as an (h, w, 3) uint8 array."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    assert header is not None, "PNG without IHDR"
    w, h, depth, ctype, _, _, interlace = header
    assert depth == 8 and ctype in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    out = np.zeros((h, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1)
        if f == 0:
            cur = line.copy()
        elif f == 1:  # Sub: a running sum per channel
            cur = (np.cumsum(line.reshape(w, bpp).astype(np.int64), axis=0) % 256).astype(np.uint8).ravel()
        elif f == 2:  # Up
            cur = line + prev
        else:  # Average and Paeth depend on the byte to the left: byte by byte
            cur = _unfilter_slow(f, line.tobytes(), prev.tobytes(), bpp)
        out[y] = cur
        prev = cur
    return out.reshape(h, w, bpp)[:, :, :3]


def _unfilter_slow(f: int, line: bytes, prev: bytes, bpp: int) -> np.ndarray:
    cur = bytearray(line)
    n = len(cur)
    for i in range(min(bpp, n)):  # no byte to the left: Average halves the one above, Paeth takes it
        cur[i] = (cur[i] + (prev[i] >> 1 if f == 3 else prev[i])) & 255
    if f == 3:
        for i in range(bpp, n):
            cur[i] = (cur[i] + ((cur[i - bpp] + prev[i]) >> 1)) & 255
    else:
        for i in range(bpp, n):
            a, b, c = cur[i - bpp], prev[i], prev[i - bpp]
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - c - c)
            cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return np.frombuffer(bytes(cur), dtype=np.uint8)


def count_colour(pixels: np.ndarray, hex_colour: str, box: tuple[int, int, int, int], tol: int = 24) -> int:
    """Pixels within ``tol`` (per channel) of ``#rrggbb`` inside box = (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    area = pixels[y0:y1, x0:x1].astype(np.int16)
    return int(np.all(np.abs(area - rgb) <= tol, axis=2).sum())


def count_ink(pixels: np.ndarray, box: tuple[int, int, int, int], background: int = 250) -> int:
    """Pixels inside the box that are not (near) white: something was drawn there."""
    x0, y0, x1, y1 = box
    return int((pixels[y0:y1, x0:x1].min(axis=2) < background).sum())
