"""The picture's layout in headless Chromium (Playwright over Debian's chromium): ten reasons at
1400 px with no two labels on top of each other, and a 400 px phone where the sentences come first,
the words stay readable and the picture zooms."""
from __future__ import annotations

import pytest

from generation.render import write_html
from tests.browser import CHROMIUM, count_ink, decode_png
from tests.generation.test_render import demo, many_reasons  # noqa: F401

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")]
MIN_FONT_PX = 11.0  # a node's 14 px label at the smallest scale the page allows (0.8)


@pytest.fixture(scope="module")
def page_file(demo, tmp_path_factory):  # noqa: F811
    graph, rules = demo
    path = tmp_path_factory.mktemp("picture") / "ten.html"
    write_html(many_reasons(graph, rules), graph, path)
    return path


def opened(path, width: int):
    p = playwright.sync_playwright().start()
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND"])
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("section.pair[data-drawn]", timeout=30_000)
    return p, browser, page, requests


def test_ten_reasons_at_1400px_no_label_on_another(page_file, tmp_path) -> None:
    p, browser, page, requests = opened(page_file, 1400)
    try:
        overlaps = page.evaluate("""() => {
            const net = document.querySelector('section.pair').whyrecNetwork;
            const ids = Object.keys(net.getPositions());
            const boxes = ids.map(id => net.getBoundingBox(id));
            const hits = [];
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i], b = boxes[j];
              if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push([ids[i], ids[j]]);
            }
            return hits; }""")
        assert overlaps == []
        assert page.locator("ul.legend li").count() >= 4
        page.screenshot(path=str(tmp_path / "picture-1400.png"), full_page=True)
        pixels = decode_png((tmp_path / "picture-1400.png").read_bytes())
        assert count_ink(pixels, (40, 120, 900, 700)) > 10_000
        assert all(u.startswith("file://") for u in requests)
    finally:
        browser.close()
        p.stop()


def test_a_phone_sees_the_sentences_first_readable_words_and_zoom(page_file, tmp_path) -> None:
    p, browser, page, _ = opened(page_file, 400)
    try:
        aside, graph = page.locator("aside").bounding_box(), page.locator(".graph").bounding_box()
        assert aside["y"] < graph["y"]  # the reasons come before a screen of graph
        scale = float(page.get_attribute("section.pair", "data-scale"))
        assert scale * 14 >= MIN_FONT_PX, f"node labels drawn at {scale * 14:.1f} px"
        page.click('.zoom button[data-zoom="in"]')
        zoomed = page.evaluate("() => document.querySelector('section.pair').whyrecNetwork.getScale()")
        assert zoomed > scale * 1.2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 400
        smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('body *')]
            .filter(e => e.offsetParent !== null && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
        assert smallest >= 12.0
        page.screenshot(path=str(tmp_path / "picture-400.png"), full_page=True)
    finally:
        browser.close()
        p.stop()
