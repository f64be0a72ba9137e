"""The picture in a real browser: drawn offline, hostile names inert, the chosen reason highlighted.

Each test is one headless Chromium run (a few seconds); see tests/browser.py.
"""
from __future__ import annotations

import html
import re
import struct
import zlib

import numpy as np
import pytest

from generation.render import write_html
from generation.render_vis import PALETTE
from tests.browser import count_colour, count_ink, decode_png, open_page, requires_chromium
from tests.generation.test_render import (BRAND_LABEL, ITEM_LABEL, P1_LABEL, RULE, SENTENCE, demo,  # noqa: F401
                                          demo_explanation, empty_explanation, hostile_explanation)



def browser_test(test):
    """A test that runs headless Chromium once; it skips, saying why, where there is none."""
    return pytest.mark.browser(requires_chromium(test))


SIZE = (1200, 800)
GRAPH = (40, 170, 740, 640)  # x0, y0, x1, y1: inside the graph box at this window size, left of the reasons


def _start_tag(dom: str, tag: str) -> str:
    return re.search(rf"<{tag}\b[^>]*>", dom).group(0)


def _section(dom: str, k: int) -> str:
    return re.search(rf'<section class="pair" id="pair-{k}"[^>]*>', dom).group(0)


@browser_test
def test_page_draws_offline_and_hostile_names_stay_text(tmp_path):
    path = tmp_path / "why.html"
    write_html([hostile_explanation(), empty_explanation()], None, path)
    run = open_page(path, size=SIZE)
    assert run.requests == ()  # nothing fetched: no script, style, font or image from anywhere
    assert run.console == ()  # no script error, nothing refused by the Content-Security-Policy
    dom = run.dom
    for k in (0, 1):
        assert 'data-drawn="1"' in _section(dom, k) and "data-error" not in _section(dom, k)
    assert dom.count("<canvas") == 2
    # No payload ran: nothing marked the document, no element came out of a name.
    assert "data-pwned" not in _start_tag(dom, "html") + _start_tag(dom, "body")
    assert "<pwned-marker" not in dom and "<img" not in dom and "<svg" not in dom
    assert re.search(r"<title>([^<]*)</title>", dom).group(1) == "Why these items for you"
    # ... and every payload is there as text: in the heading, the list, and the parked tooltips.
    for payload in (ITEM_LABEL, SENTENCE, RULE, P1_LABEL, BRAND_LABEL.split(" @")[0]):
        assert html.escape(payload, quote=False) in dom, payload
    pixels = decode_png(run.png)
    assert count_ink(pixels, GRAPH) > 5000  # the network is drawn, not a blank box
    for k in range(4):
        assert count_colour(pixels, PALETTE[k], GRAPH) > 40, f"reason {k}'s colour is not in the picture"


@browser_test
def test_choosing_a_reason_highlights_its_chain_and_dims_the_others(demo, tmp_path):  # noqa: F811
    graph, rules = demo
    path = tmp_path / "why.html"
    write_html(demo_explanation(graph, rules, k=3), graph, path)
    run = open_page(path, fragment="#pair-0-reason-1", size=SIZE)
    assert run.requests == () and run.console == ()
    assert 'data-active="1"' in _section(run.dom, 0)
    assert re.findall(r'<li class="(\w*)"', run.dom) == ["dim", "active", "dim"]
    assert 'aria-pressed="true" data-reason="1"' in run.dom or re.search(
        r'data-reason="1"[^>]*aria-pressed="true"', run.dom)
    pixels = decode_png(run.png)
    chosen = count_colour(pixels, PALETTE[1], GRAPH)
    others = count_colour(pixels, PALETTE[0], GRAPH) + count_colour(pixels, PALETTE[2], GRAPH)
    assert chosen > 100 and others < chosen / 20


@browser_test
def test_the_checks_would_see_a_leak(tmp_path):
    """Control: a page that fetches and runs things is caught by the same checks."""
    path = tmp_path / "leaky.html"
    path.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example.invalid/x.css"></head>'
        '<body><img src="http://127.0.0.1:9/p.png"><script>document.documentElement.setAttribute("data-pwned", "1");'
        'document.body.appendChild(document.createElement("pwned-marker"));</script>'
        '<script>noSuchFunction();</script></body></html>', encoding="utf-8")
    run = open_page(path, size=(400, 300), budget_ms=2000)
    urls = {url for url, _ in run.requests}
    assert {"https://cdn.example.invalid/x.css", "http://127.0.0.1:9/p.png"} <= urls
    assert "data-pwned" in _start_tag(run.dom, "html") and "<pwned-marker" in run.dom
    assert any("noSuchFunction" in line for line in run.console)  # a script error reaches the console
    assert count_ink(decode_png(run.png), (0, 0, 400, 300)) < 2000  # and a blank page reads as blank


def test_png_decoder_of_the_browser_tests_reads_every_filter():
    """The screenshot checks need a right decoder: check it on a PNG made here (no browser needed)."""
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(5, 4, 4), dtype=np.uint8)  # RGBA, one row per PNG filter type
    flat = image.reshape(5, -1).astype(int)
    raw = b""
    for f in range(5):
        x, up = flat[f], flat[f - 1] if f else np.zeros_like(flat[0])
        left = np.concatenate([[0] * 4, x[:-4]])
        upleft = np.concatenate([[0] * 4, up[:-4]])
        p = left + up - upleft
        paeth = np.where((abs(p - left) <= abs(p - up)) & (abs(p - left) <= abs(p - upleft)), left,
                         np.where(abs(p - up) <= abs(p - upleft), up, upleft))
        pred = [0 * x, left, up, (left + up) // 2, paeth][f]
        raw += bytes([f]) + bytes(((x - pred) % 256).astype(np.uint8))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 5, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    assert (decode_png(png) == image[:, :, :3]).all()
    r, g, b = image[2, 1, :3]
    assert count_colour(decode_png(png), f"#{r:02x}{g:02x}{b:02x}", (0, 0, 4, 5), tol=0) >= 1
