"""The interactive picture of an Explanation: one standalone HTML page that loads nothing.

The page draws the reason subgraph (You, the item, and the facts of each chain, one colour per
reason) with vis-network, lists the sentences beside it with their verified marks, and highlights
a reason's chain when its sentence is chosen. Safe by construction, without relying on pyvis:

* every text is escaped here (``html.escape``) or put into the page by script with
  ``textContent``; data travels as JSON in ``<script type="application/json">`` with ``<``, ``>``
  and ``&`` written as ``\\u003c`` ... so no product name can end the element;
* nothing is fetched: vis-network is inlined from the pyvis package, there is no ``src=`` or
  ``href=`` but in-page ``#`` links, and a Content-Security-Policy allows only this page's own
  scripts and style (by hash), so even a mistake cannot load or run anything else;
* nothing of another shopper is in the page, drawn or hidden (see generation/render_graph.py).

>>> from reasoning.chains import Chain, Fact
>>> fact = Fact("u1", "viewed", "p1", "u1", "Glow <Serum>", "User", "Product")
>>> reason = Reason("You looked at Glow <Serum> recently.", "viewed", 1.0, True, Chain("viewed", (fact,), ()), "template")
>>> page = render_html(Explanation("u1", "p1", "Glow <Serum>", (reason,)))
>>> "Why Glow &lt;Serum&gt; for you" in page and "<Serum>" not in page and ">u1<" not in page
True
"""
from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Sequence
from typing import Any

from kg.store import atomic_write_text
from generation.errors import BadRequest
from generation.explanation import Explanation, Reason
from generation.render_assets import APP, PAGE, STYLE, csp_hash, inline_script, vis_script
from generation.render_graph import build_scene, scrub_user
from generation.render_words import words
from generation.lang import get_language
from generation.render_vis import colour, dashes, vis_data

_MARKER = re.compile(r"@([A-Z]+)@")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates: they reorder text


def render_html(explanation: Explanation | Sequence[Explanation], graph=None, title: str | None = None,
                staff: bool = False, lang: str = "en") -> str:
    """A complete standalone HTML page picturing one Explanation, or several of one user (a section each).

    ``graph`` (the KnowledgeGraph the reasons came from) adds each node's attributes to its tooltip.
    ``staff``: the support staff's view, for a shop's own people answering a shopper: it names the
    user by id and dates the user's own facts. The default page, shown to the shopper, never does.
    ``lang``: the page's own words (generation.render_words) in that language.
    """
    w = words(lang)
    explanations = [explanation] if isinstance(explanation, Explanation) else list(explanation)
    if not explanations:
        raise BadRequest("E004", "render_html needs at least one Explanation")
    users = {x.user for x in explanations}
    if len(users) > 1:  # a page is for one shopper: another's reasons would show their history
        raise BadRequest("E004", f"one page pictures one user's reasons; got {len(users)} users",
                         hint="render a page per user")
    user = explanations[0].user
    multi = len(explanations) > 1
    whom = w["user"].format(user=user) if staff else w["you"]
    labels = tuple(x.item_label for x in explanations if x.item_label)
    if title is None:  # built here from the item's label, which is the shop's data: never scrubbed
        title = (w["title_many"].format(whom=whom) if multi else
                 w["title_one"].format(item=explanations[0].item_label or w["this_item"], whom=whom))
    elif not staff:
        title = scrub_user(title, user, keep=labels)
    sections, blocks = [], []
    for k, x in enumerate(explanations):
        section, data = _section(k, x, graph, multi, staff, w)
        sections.append(section)
        blocks.append(_json_block(f"whyrec-data-{k}", _isolated(data)))
    nav = ""
    if multi:
        links = "".join(f'<a href="#pair-{k}">{_text(x.item_label or w["this_item"])}</a>'
                        for k, x in enumerate(explanations))
        nav = f'<nav aria-label="{w["items_nav"]}">{links}</nav>'
    style, vis, app = STYLE + _swatches(explanations), vis_script(), inline_script(APP)
    csp = (f"default-src 'none'; script-src {csp_hash(vis)} {csp_hash(app)}; style-src {csp_hash(style)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = {"CSP": csp, "TITLE": _esc(title), "STYLE": style, "NAV": nav, "SECTIONS": "\n".join(sections),
             "DATA": "\n".join(blocks), "VIS": vis, "APP": app, "LANG": get_language(lang).code}
    return _MARKER.sub(lambda m: parts[m.group(1)], PAGE)  # one pass: filled text is never re-scanned


def write_html(explanation: Explanation | Sequence[Explanation], graph, path: str | os.PathLike[str],
               title: str | None = None, staff: bool = False, lang: str = "en") -> None:
    """Write the page atomically: a failure leaves any previous file at ``path`` intact."""
    atomic_write_text(path, render_html(explanation, graph, title, staff, lang))


def safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: no ``<``, ``>`` or ``&`` can close or open a tag.

    >>> safe_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, code)
    return text


def _esc(text: str) -> str:
    """Escaped for HTML, with bidirectional controls shown (not obeyed): U+202E cannot turn the page's
    words around. Every label and sentence of the page goes through here."""
    return html.escape(_BIDI.sub(lambda m: f"\\u{ord(m.group(0)):04x}", str(text)), quote=True)


def _text(text: str) -> str:
    """A piece of the shop's data in running text: escaped, and isolated (``<bdi>``), so a right-to-left
    name keeps its own direction without reordering the words around it."""
    return f"<bdi>{_esc(text)}</bdi>"


def _isolated(data: Any) -> Any:
    """The page's JSON data with bidirectional controls shown, as in the text."""
    if isinstance(data, str):
        return _BIDI.sub(lambda m: f"\\u{ord(m.group(0)):04x}", data)
    if isinstance(data, dict):
        return {k: _isolated(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_isolated(v) for v in data]
    return data


def _said(r: Reason, user: str, item_label: str) -> str:
    """A reason's text as the page shows it. A verified sentence is shown exactly as verified: the user
    is "you" in it, so a word equal to their id is the shop's data ("rated 5 stars" for user "5").
    Any other text has the id said as "you", except inside the chain's own labels and values."""
    if r.verified:
        return r.text
    keep = tuple(str(v) for f in r.chain.facts for v in (  # the user's own node is what is hidden: not kept
        *((f.subject_label,) if f.subject != user else ()), *((f.object_label,) if f.object != user else ()),
        *(x for _, x in f.values)))
    return scrub_user(r.text, user, keep=keep + (item_label,))


def _json_block(ident: str, data: Any) -> str:
    return f'<script type="application/json" id="{ident}">{safe_json(data)}</script>'


def _swatches(explanations: list[Explanation]) -> str:
    """One class per reason colour (style attributes would need a looser Content-Security-Policy);
    past the palette's eight colours a swatch is striped, as that reason's lines are dashed."""
    most = max((len(x.reasons) for x in explanations), default=0)
    return "".join(f".c{k} {{ background: {colour(k)}; }}\n" if not dashes(k) else
                   f".c{k} {{ background: repeating-linear-gradient(45deg, {colour(k)} 0 3px, #ffffff 3px 5px); "
                   f"box-shadow: 0 0 0 1px {colour(k)} inset; }}\n" for k in range(most))


def _legend(scene, w: dict[str, str]) -> str:
    """How to read the picture: node kinds, and that a line's colour is its reason's swatch."""
    kinds = {n.kind for n in scene.nodes}
    row = lambda key, word: f'<li><span class="key {key}"></span>{w[word]}</li>'  # noqa: E731
    rows = [row("you", "key_you"), row("item", "key_item")]
    if "node" in kinds:
        rows.append(row("node", "key_node"))
    if kinds & {"crowd", "other"}:
        rows.append(row("crowd", "key_crowd"))
    rows.append(f'<li><span class="key line"></span>{w["key_line"]}'
                + (w["key_star"] if any("★" in e.label for e in scene.edges) else "") + "</li>")
    return f'<ul class="legend" aria-label="{w["legend"]}">{"".join(rows)}</ul>'


ZOOM = ('<div class="zoom" role="group" aria-label="Zoom the picture"><button type="button" data-zoom="in" '
        'aria-label="Zoom in">+</button><button type="button" data-zoom="out" aria-label="Zoom out">−</button>'
        '<button type="button" data-zoom="fit">fit</button></div>')


def _mark(r: Reason, w: dict[str, str]) -> str:
    key, cls = ("verified", "ok") if r.verified else ("template", "warn") if r.source == "template" else ("unverified", "warn")
    return f'<span class="mark {cls}" title="{w[key + "_tip"]}">{w[key]}</span>'


def _section(k: int, x: Explanation, graph, multi: bool, staff: bool = False,
             w: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    w = w or words("en")
    user = x.user
    item = _text(x.item_label or w["this_item"])
    rows = []
    for j, r in enumerate(x.reasons):
        said = w["by_model"] if r.source == "model" else w["by_template"] if r.source == "template" else _esc(r.source)
        rows.append(
            f'<li><button type="button" class="reason" data-reason="{j}" aria-pressed="false">'
            f'<span class="swatch c{j}" aria-hidden="true"></span><span class="text">{_text(_said(r, user, x.item_label))}</span>'
            f'</button><div class="foot">{_mark(r, w)}<span class="meta">'
            f'{w["meta"].format(rule=_esc(r.rule), said=said)}</span></div></li>')
    if x.reasons:
        n = len(x.reasons)
        summary = w["summary"].format(n=n, s="s" if n != 1 else "")
    else:
        summary = w["none"] + (f": {_text(scrub_user(x.message, user, keep=(x.item_label,)))}"
                                     if x.message else ".")
    note = f'<p class="note">{w["cut"]}</p>' if x.truncated or x.timed_out else ""
    heading = f'<h2 id="pair-{k}-title">{w["heading"].format(item=item)}</h2>' if multi else ""
    if staff:
        dated = "; dates of the user's own facts on the lines" if any(
            name == "date" for r in x.reasons for f in r.chain.facts for name, _ in f.values) else ""
        note += f'<p class="staff">Support view: user <b>{_esc(user)}</b>, item {_esc(x.item)}{dated}.</p>'
    aside = f'<aside><h3>{w["reasons"]}</h3><ol class="reasons">{"".join(rows)}</ol></aside>' if rows else ""
    scene = build_scene(x, graph, staff)
    html_ = (f'<section class="pair" id="pair-{k}" data-json="whyrec-data-{k}">{heading}'
             f'<p class="summary">{summary}</p>{note}<div class="body"><div class="stage">'
             f'<div class="graph" role="img" aria-label="{w["picture"].format(item=item)}">'
             f'<p class="fallback">{w["no_js"]}</p></div>'
             f'{ZOOM if x.reasons else ""}{_legend(scene, w) if x.reasons else ""}</div>'
             f'{aside}</div></section>')
    return html_, vis_data(scene)
