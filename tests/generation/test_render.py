"""generation/render.py: the standalone picture page -- no URLs, everything escaped, nobody else's data."""
from __future__ import annotations

import base64
import csv
import hashlib
import html
import itertools
import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from generation.explanation import Explanation, Reason
from generation.render import render_html, safe_json, write_html
from generation.render_assets import VIS_JS, vis_script
from generation.render_graph import build_scene
from generation.render_vis import PALETTE, vis_data
from reasoning.chains import Binding, Chain, Fact

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
USER, OTHER = "user-SECRET-7731", "shopper-OTHER-4242"
ITEM = "key-ITEM-91"
# Each payload would mark the document if any of it ran or became markup.
ITEM_LABEL = """Glow <img src=x onerror="document.documentElement.setAttribute('data-pwned','item')"> Cream"""
P1_LABEL = "</script><script>document.documentElement.setAttribute('data-pwned','p1')</script>"
BRAND_LABEL = '<a href="javascript:alert(1)">Lumière</a> @VIS@ @SECTIONS@ \u2028'  # "href": pyvis would use HTML
SENTENCE = "You rated it <svg onload=\"document.body.appendChild(document.createElement('pwned-marker'))\">!"
RULE = "\"><img src=x onerror=\"document.title='PWNED'\">"
OWN_SUMMARY = "My own <b>review</b>"
SECRETS = (USER, OTHER, "Alice Secret-Name", "Bob Other-Name", "OTHER-REVIEW-TEXT", "key-P1-5501", "key-B1-5502")
ALLOWED_TAGS = {"bdi", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "nav", "a", "main",
                "section", "p", "div", "aside", "ol", "ul", "li", "button", "span", "script", "b"}
# vis-network 9.1.2 names these in licence comments, error messages and the SVG namespace; it loads none.
VIS_URLS = {"http://almende.com", "http://opensource.org/licenses/MIT", "http://www.apache.org/licenses/LICENSE-2.0",
            "http://www.w3.org/2000/svg", "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
            "https://github.com/visjs", "https://github.com/zloirock/core-js",
            "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE", "https://visjs.github.io/vis-network/"}


def _f(s, rel, o, sl, ol, st, ot, **kw) -> Fact:
    return Fact(s, rel, o, sl, ol, st, ot, **kw)


def hostile_explanation() -> Explanation:
    """Four reasons: own rating, a crowd, value facts, and a (defensive) fact of another named user."""
    rated = _f(USER, "rated", "key-P1-5501", USER, P1_LABEL, "User", "Product",
               values=(("score", 5.0), ("summary", OWN_SUMMARY)))
    brand = (_f("key-P1-5501", "brand", "key-B1-5502", P1_LABEL, BRAND_LABEL, "Product", "Brand"),
             _f(ITEM, "brand", "key-B1-5502", ITEM_LABEL, BRAND_LABEL, "Product", "Brand"))
    bought = _f(USER, "purchased", "key-P1-5501", USER, P1_LABEL, "User", "Product")
    crowd = (_f(None, "purchased", "key-P1-5501", "Alice Secret-Name", P1_LABEL, "User", "Product", count=12),
             _f(None, "purchased", ITEM, "Alice Secret-Name", ITEM_LABEL, "User", "Product", count=12))
    budget = (_f(USER, "purchased", "key-P2", USER, "Night Oil", "User", "Product"),
              _f("key-P2", "category", "key-C1", "Night Oil", "Face oils", "Product", "Category"),
              _f(ITEM, "category", "key-C1", ITEM_LABEL, "Face oils", "Product", "Category"),
              _f(ITEM, "price", "12.5", ITEM_LABEL, "12.5", "Product", "Value", is_value=True),
              _f(USER, "budget", "30", USER, "30", "User", "Value", is_value=True))
    other = (_f(OTHER, "purchased", "key-P2", "Bob Other-Name", "Night Oil", "User", "Product",
                values=(("summary", "OTHER-REVIEW-TEXT"),)),
             _f("key-P2", "also_bought", ITEM, "Night Oil", ITEM_LABEL, "Product", "Product"))
    chains = [Chain("same-brand-loved", (rated, *brand), (("user", Binding(USER, USER, "User")),)),
              Chain("crowd-also-bought", (bought, *crowd), (), support=12),
              Chain("within-budget", budget, ()),
              Chain("odd", other, ())]
    reasons = (Reason(SENTENCE, "same-brand-loved", 3.0, True, chains[0], "model"),
               Reason("12 shoppers who bought it, like you, also bought it.", "crowd-also-bought", 2.0, False,
                      chains[1], "template"),
               Reason(f"It costs 12.5, within the budget of {USER}.", "within-budget", 1.5, False, chains[2], "model"),
               Reason("Shoppers of Night Oil also buy it.", RULE, 1.0, True, chains[3], "template"))
    return Explanation(USER, ITEM, ITEM_LABEL, reasons)


def empty_explanation() -> Explanation:
    return Explanation(USER, "key-P9", "Night <Oil>", (), message=f"no chains for {USER} <script>x()</script>")


class Page(HTMLParser):
    """Every tag with its attributes, the text outside scripts, and each script's type and text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []
        self.styles: list[str] = []
        self._in: tuple[str, str | None] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = (tag, dict(attrs).get("type"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in is None:
            self.text.append(data)
        elif self._in[0] == "script":
            self.scripts.append((self._in[1], data))
        else:
            self.styles.append(data)

    def json_blocks(self) -> list[dict]:
        return [json.loads(t) for kind, t in self.scripts if kind == "application/json"]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(hostile_explanation())


def test_page_loads_nothing_and_links_only_within_itself(page):
    parsed = Page(page)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}>"
        for name, value in attrs.items():
            if name == "href":
                assert tag == "a" and value.startswith("#"), (tag, attrs)
            assert name not in ("src", "srcset", "action", "formaction", "poster", "data", "ping", "background")
    vis = vis_script()
    assert page.count(vis) == 1
    rest = page.replace(vis, "")
    assert "://" not in rest and "@import" not in rest and "url(" not in rest and "//cdn" not in rest


def test_vis_network_is_pyvis_own_file_verbatim_and_its_urls_are_only_text():
    shipped = (resources.files("pyvis") / VIS_JS).read_text(encoding="utf-8")
    kept, map_comment = shipped.replace("\r\n", "\n").rsplit("\n//# sourceMappingURL=", 1)
    assert vis_script() == kept + "\n" and map_comment.strip() == "vis-network.min.js.map"  # else verbatim
    assert set(re.findall(r"https?://[^\s\"')]+", shipped)) == VIS_URLS  # a new one would need a look


def test_hostile_names_stay_text_everywhere(page):
    parsed = Page(page)
    text = "".join(parsed.text)
    for payload in (ITEM_LABEL, SENTENCE, RULE):
        assert payload in text  # shown as text, after the parser decoded the escapes
    assert f"Why {ITEM_LABEL} for you" in text
    blocks = [t for kind, t in parsed.scripts if kind == "application/json"]
    assert len(blocks) == 1 and not re.search("[<>&\u2028]", blocks[0])
    data = parsed.json_blocks()[0]
    names = {n["tip"][0] for n in data["nodes"]}  # the full name heads the tooltip; the drawn label may be cut
    assert {P1_LABEL, ITEM_LABEL} <= names and any(BRAND_LABEL.strip() in name for name in names)
    assert not any("title" in d for d in data["nodes"] + data["edges"])  # tooltips are built with textContent
    rest = page.replace(vis_script(), "")
    assert rest.count("<script") == 3 and rest.count("</script") == 3  # data, vis-network, the page's own


def test_content_security_policy_allows_exactly_the_page_own_script_and_style(page):
    parsed = Page(page)
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    rules = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert rules["default-src"] == "'none'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
    code = [body for kind, body in parsed.scripts if kind is None]
    assert len(code) == 2 and set(rules["script-src"].split()) == {digest(c) for c in code}
    assert rules["style-src"].split() == [digest(parsed.styles[0])]


def test_nothing_of_anyone_else_and_never_the_user_id(page):
    for secret in SECRETS:
        assert secret not in page, secret
    data = Page(page).json_blocks()[0]
    assert {n["id"] for n in data["nodes"]} == {f"n{k}" for k in range(len(data["nodes"]))}
    labels = [n["label"] for n in data["nodes"]]
    assert "You" in labels and "12 other shoppers" in labels and "another shopper" in labels
    tips = json.dumps([e["tip"] for e in data["edges"]])
    assert json.dumps(OWN_SUMMARY)[1:-1] in tips  # the user's own review summary may show, on their own fact
    assert set(data) == {"nodes", "edges", "options", "palette"}


def test_scene_columns_values_as_attributes_and_one_edge_per_fact_and_reason():
    x = hostile_explanation()
    scene = build_scene(x)
    by_label = {n.tip[0]: n for n in scene.nodes}
    you, item = by_label["You"], by_label[ITEM_LABEL]
    assert item.kind == "item" and item.label == ITEM_LABEL[:79] + "…"
    assert you.level == 0 and item.level == max(n.level for n in scene.nodes)
    assert "price: 12.5" in item.tip and "budget: 30" in you.tip
    assert "12.5" not in by_label and "30" not in by_label  # values are details, not nodes
    for k, reason in enumerate(x.reasons):
        drawn = [e for e in scene.edges if e.chain == k]
        assert len(drawn) == sum(not f.is_value for f in reason.facts)
    assert by_label["12 other shoppers"].kind == "crowd" and by_label["12 other shoppers"].chains == (1,)
    twice = [e for e in scene.edges if e.parallel > 0]
    assert twice and all(e.source in (you.id, by_label[P1_LABEL].id) for e in twice)  # rated + purchased P1


def test_one_colour_per_reason_on_edges_and_rings():
    x = hostile_explanation()
    data = vis_data(build_scene(x))
    for e in data["edges"]:
        assert e["color"]["color"] == PALETTE[e["chain"]]
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["Face oils"]["color"]["border"] == PALETTE[2]
    assert nodes["12 other shoppers"]["shapeProperties"]["borderDashes"]
    smooth = {json.dumps(e["smooth"], sort_keys=True) for e in data["edges"] if e["from"] == nodes["You"]["id"]}
    assert len(smooth) > 1  # parallel edges bend apart


def test_sentences_in_order_with_marks_and_swatches(page):
    parsed = Page(page)
    buttons = [a["data-reason"] for t, a in parsed.tags if t == "button" and "data-reason" in a]
    assert buttons == ["0", "1", "2", "3"]
    marks = re.findall(r'class="mark (?:ok|warn)"[^>]*>([^<]+)<', page)
    assert marks == ["✓ verified", "⚠ template", "⚠ unverified", "✓ verified"]
    assert f".c2 {{ background: {PALETTE[2]}; }}" in page
    assert "within the budget of you." in "".join(parsed.text)  # the id in a sentence is said as "you"


def test_several_pairs_one_page_one_user_only():
    page = render_html([hostile_explanation(), empty_explanation()], title="For <you>")
    parsed = Page(page)
    assert [a["id"] for t, a in parsed.tags if t == "section"] == ["pair-0", "pair-1"]
    assert [a["href"] for t, a in parsed.tags if t == "a"] == ["#pair-0", "#pair-1"]
    assert "<title>For &lt;you&gt;</title>" in page and len(parsed.json_blocks()) == 2
    other = Explanation(OTHER, "key-P9", "Night Oil", ())
    with pytest.raises(ValueError, match="one user"):
        render_html([hostile_explanation(), other])
    with pytest.raises(ValueError):
        render_html([])


def test_empty_explanation_says_why_without_the_user_id():
    page = render_html(empty_explanation())
    text = "".join(Page(page).text)
    assert "No reasons to show: no chains for you <script>x()</script>" in text and USER not in page
    data = Page(page).json_blocks()[0]
    assert [n["label"] for n in data["nodes"]] == ["You", "Night <Oil>"] and data["edges"] == []


def test_write_html_is_atomic(tmp_path):
    path = tmp_path / "why.html"
    write_html(hostile_explanation(), None, path)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    before = path.read_bytes()
    with pytest.raises(ValueError):
        write_html([hostile_explanation(), Explanation(OTHER, "x", "x", ())], None, path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["why.html"]


def test_safe_json_round_trips():
    value = {"a": "</script><!-- & \u2028 \u2029 >"}
    text = safe_json(value)
    assert json.loads(text) == value and not re.search("[<>&\u2028\u2029]", text)


@pytest.fixture(scope="module")
def demo():
    if not (DEMO / "whyrec.yaml").exists():
        pytest.skip("data/demo is absent")
    from kg.load import load_graph
    from reasoning.ruleset import load_rules
    graph = load_graph(str(DEMO))
    return graph, load_rules(str(DEMO.parents[1] / "data" / "rules" / "default.yaml"), graph)


def demo_explanation(graph, rules, user: str = "u004", item: str = "p0050", k: int = 5) -> Explanation:
    """Reasons from real chains (one per rule, a crowd chain first when there is one), said by templates."""
    from generation.templates import realize_template
    from reasoning.match import find_chains
    chains = sorted(find_chains(graph, rules, user, item).chains, key=lambda c: c.support is None)
    picked, seen = [], set()
    for c in chains:
        if c.rule not in seen and len(picked) < k:
            seen.add(c.rule)
            picked.append(Reason(realize_template(c, rules, graph), c.rule, 1.0, True, c, "template"))
    return Explanation(user, item, graph.label(graph.node(item)), tuple(picked))


def test_demo_page_details_from_the_graph_and_no_other_shopper(demo):
    graph, rules = demo
    x = demo_explanation(graph, rules)
    assert any(r.chain.support for r in x.reasons), "expected a crowd reason for u004 / p0050"
    page = render_html(x, graph)
    assert not re.search(r"\bu\d{3}\b", page.replace(vis_script(), ""))  # no user id, not even u004's own
    parsed = Page(page)
    data = parsed.json_blocks()[0]
    shown = json.dumps(data, ensure_ascii=False) + "".join(parsed.text)
    own, others = set(), set()
    with open(DEMO / "ratings.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            (own if row["user_id"] == x.user else others).add(row["summary"])
    assert own & set(re.findall(r"summary: ([^\"]+)", shown))  # the user's own summaries do show
    assert not {s for s in others - own if s in shown}
    item = next(n for n in data["nodes"] if n["kind"] == "item")
    assert any(t.startswith("price: ") for t in item["tip"]) and any(t.startswith("brand: ") for t in item["tip"])
    crowd = [n for n in data["nodes"] if n["kind"] == "crowd"]
    assert crowd and all(re.fullmatch(r"\d+ other shoppers", n["label"]) for n in crowd)



def many_reasons(graph, rules, user: str = "u038", item: str = "p0053", n: int = 10) -> Explanation:
    """``n`` reasons from real chains (a busy picture: nine rules, then a second chain of the first), said by
    templates."""
    from generation.templates import realize_template
    from reasoning.match import find_chains
    by_rule: dict[str, list] = {}
    for c in find_chains(graph, rules, user, item).chains:
        by_rule.setdefault(c.rule, []).append(c)
    chains = [c for row in itertools.zip_longest(*by_rule.values()) for c in row if c is not None][:n]
    assert len(chains) == n, f"{user} / {item} has only {len(chains)} chains"
    return Explanation(user, item, graph.label(graph.node(item)),
                       tuple(Reason(realize_template(c, rules, graph), c.rule, 1.0, True, c, "template") for c in chains))


def test_ten_reasons_never_share_a_look_and_each_runs_along_its_own_lane(demo):
    from generation.render_vis import COLUMN, LANE
    graph, rules = demo
    x = many_reasons(graph, rules)
    scene = build_scene(x, graph)
    data = vis_data(scene)
    looks = {e["chain"]: (e["color"]["color"], json.dumps(e["dashes"])) for e in data["edges"]}
    assert len(looks) == 10 and len(set(looks.values())) == 10  # colours come back only with a pattern
    assert all(e["dashes"] is False for e in data["edges"] if e["chain"] < len(PALETTE))
    page = render_html(x, graph)
    assert ".c9 { background: repeating-linear-gradient(45deg, " + PALETTE[1] in page
    spots = [(n["x"], n["y"]) for n in data["nodes"]]
    assert len(set(spots)) == len(spots)  # no two nodes drawn on top of each other
    by_id = {n.id: n for n in scene.nodes}
    for n in data["nodes"]:
        node = by_id[n["id"]]
        assert n["x"] == node.level * COLUMN and n["y"] == round(node.row * LANE)
    rows = {n.row for n in scene.nodes if n.kind == "node"}
    assert len(rows) > 5  # the reasons are spread over lanes, not piled in one column


def test_the_legend_says_how_to_read_the_picture(page):
    legend = re.search(r'<ul class="legend"[^>]*>(.*?)</ul>', page).group(1)
    text = re.sub(r"<[^>]+>", " ", legend)
    for words in ("You", "the recommended item", "catalogue", "other shoppers: counted, never named", "★ a rating"):
        assert words in html.unescape(text), words


def test_the_support_view_names_the_user_and_dates_their_facts(demo):
    graph, rules = demo
    x = demo_explanation(graph, rules)
    shopper, staff = render_html(x, graph), render_html(x, graph, staff=True)
    assert "u004" not in shopper.replace(vis_script(), "")
    assert "Why " in staff and "for user u004" in staff and "Support view: user <b>u004</b>" in staff
    data = Page(staff).json_blocks()[0]
    dated = [e["label"] for e in data["edges"] if re.search(r" · \d{4}-\d{2}-\d{2}$", e["label"])]
    assert dated, "the user's own facts carry their dates in the support view"
    assert not any(re.search(r" · \d{4}-", e["label"]) for e in Page(shopper).json_blocks()[0]["edges"])
