"""The page's fixed parts: its skeleton, style and script, and vis-network read from pyvis.

They live in Python strings (not package data files) so that every install finds them. The page
never loads anything: vis-network's script is copied in from the pyvis package, and its 220 kB
stylesheet (icons for buttons this page does not show) is replaced by the few rules below.
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources

VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"  # inside the pyvis package (0.3.2)


@lru_cache(maxsize=1)
def vis_script() -> str:
    """vis-network's standalone build as shipped with pyvis, safe to put inside <script>...</script>."""
    text = (resources.files("pyvis") / VIS_JS).read_text(encoding="utf-8")
    # Its source map is not shipped; the comment would only make developer tools look for it.
    return inline_script(re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text))


def inline_script(text: str) -> str:
    """Script text that cannot end its <script> element early, with newlines as the parser sees them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # "</script" or "<!--" inside a string or comment would end or confuse the element; "<\/" means
    # the same in every JavaScript context where it can occur (strings, regexes, comments).
    return re.sub(r"<(?=/script|!--)", r"<\\", text, flags=re.IGNORECASE)


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# @NAME@ markers are filled in one pass by generation/render.py (never re-scanned).
PAGE = """<!DOCTYPE html>
<html lang="@LANG@">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@CSP@">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style>@STYLE@</style>
</head>
<body>
<header><h1>@TITLE@</h1>@NAV@</header>
<main>
@SECTIONS@
</main>
<div id="whyrec-tips" hidden></div>
@DATA@
<script>@VIS@</script>
<script>@APP@</script>
</body>
</html>
"""

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2127;
       background: #ffffff; }
header { padding: 14px 20px 4px; }
h1 { font-size: 21px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 6px; }
nav a { margin-right: 14px; color: #0b5394; }
main { padding: 0 20px 20px; }
section.pair { margin: 10px 0 26px; }
.summary, .hint, .note { color: #5a616b; margin: 2px 0 8px; font-size: 14px; }
.body { display: flex; gap: 18px; align-items: stretch; flex-wrap: wrap; }
.stage { flex: 1 1 560px; min-width: 320px; position: relative; }
.graph { height: 560px; border: 1px solid #dcdfe4; border-radius: 8px; background: #ffffff; position: relative; }
.zoom { position: absolute; top: 8px; right: 8px; display: flex; gap: 4px; }
.zoom button { font: 15px/1 system-ui, sans-serif; min-width: 34px; height: 32px; border: 1px solid #b9bfc8;
               border-radius: 6px; background: #ffffff; color: #1d2127; cursor: pointer; }
.legend { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px;
          font-size: 14px; color: #3a3f47; }
.legend li { display: flex; align-items: center; gap: 6px; }
.key { display: inline-block; width: 22px; height: 14px; border-radius: 3px; border: 2px solid #3a3f47; }
.key.you { background: #fff1c2; }
.key.item { background: #d6f0df; }
.key.node { background: #f4f5f7; border-color: #0072B2; }
.key.crowd { background: #eceef2; border-style: dashed; border-color: #6b727c; }
.key.line { height: 0; border-width: 2px 0 0; border-color: #D55E00; border-radius: 0; }
.staff { font-size: 14px; background: #eef3fb; border-radius: 6px; padding: 4px 8px; margin: 2px 0 8px; }
.fallback { padding: 16px; color: #5a616b; }
aside { flex: 0 1 380px; min-width: 280px; overflow-wrap: anywhere; }
aside h3 { font-size: 15px; margin: 0 0 6px; }
ol.reasons { list-style: none; margin: 0; padding: 0; }
ol.reasons li { margin: 0 0 10px; padding: 8px 10px; border: 1px solid #e3e6ea; border-radius: 8px; }
ol.reasons li.active { border-color: #1d2127; box-shadow: 0 0 0 1px #1d2127 inset; }
ol.reasons li.dim { opacity: 0.55; }
button.reason { all: unset; cursor: pointer; display: flex; gap: 8px; align-items: flex-start; width: 100%; }
button.reason:focus-visible { outline: 2px solid #0b5394; outline-offset: 3px; }
.swatch { flex: 0 0 14px; height: 14px; margin-top: 4px; border-radius: 3px; }
.foot { margin: 4px 0 0 22px; }
.mark { display: inline-block; font-size: 13px; margin-right: 8px; padding: 0 6px; border-radius: 4px; }
.mark.ok { background: #e3f4e9; color: #145c32; }
.mark.warn { background: #fff1d6; color: #7a4b00; }
.meta { font-size: 12px; color: #6b727c; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 9px; white-space: normal; max-width: 340px;
                  font: 13px/1.35 system-ui, sans-serif; color: #1d2127; background: #ffffff;
                  border: 1px solid #b9bfc8; border-radius: 6px; box-shadow: 2px 3px 8px rgba(0,0,0,0.18);
                  pointer-events: none; z-index: 5; }
.tip-head { font-weight: 600; }
.vis-network:focus { outline: none; }
/* A phone: the sentences first, the picture below them, zoomable with two fingers or the buttons. */
@media (max-width: 700px) {
  header { padding: 10px 12px 2px; }
  main { padding: 0 12px 12px; }
  .body { flex-direction: column; gap: 12px; }
  aside { order: -1; flex: 0 0 auto; min-width: 0; }
  .stage { flex: 0 0 auto; min-width: 0; }
  .graph { height: 420px; }
  .meta { font-size: 13px; }
}
"""

# Builds each network from its JSON block; every text goes into the page through textContent.
APP = """
(function () {
  "use strict";
  var DIM_NODE = {background: "#fafafa", border: "#e2e4e8"};
  var DIM_EDGE = "#eceef1";
  var MIN_SCALE = 0.8;  // node labels are 14-16 px at scale 1: never below ~11 px

  function tooltip(lines) {
    var box = document.createElement("div");
    lines.forEach(function (line, i) {
      var row = document.createElement("div");
      row.className = i === 0 ? "tip-head" : "tip-line";
      row.textContent = line;
      box.appendChild(row);
    });
    document.getElementById("whyrec-tips").appendChild(box);  // parked here until hovered
    return box;
  }

  function nodeLook(n, ring, width, ink) {
    return {id: n.id, borderWidth: width, font: {size: n.font.size, face: n.font.face, color: ink},
            color: {background: ring ? n.color.background : DIM_NODE.background, border: ring || DIM_NODE.border,
                    highlight: {background: n.color.background, border: ring || DIM_NODE.border},
                    hover: {background: n.color.background, border: ring || DIM_NODE.border}}};
  }

  function edgeLook(e, c, width, ink) {
    return {id: e.id, width: width, dashes: e.dashes, color: {color: c, highlight: c, hover: c, inherit: false},
            font: {size: e.font.size, face: e.font.face, color: ink, strokeWidth: e.font.strokeWidth,
                   strokeColor: e.font.strokeColor, align: e.font.align}};
  }

  function draw(section) {
    var text = document.getElementById(section.getAttribute("data-json")).textContent;
    var data = JSON.parse(text);
    var keep = JSON.parse(text);  // the first look, untouched by vis, to restore after a highlight
    var box = section.querySelector(".graph");
    var buttons = Array.prototype.slice.call(section.querySelectorAll("button.reason"));
    var items = buttons.map(function (b) { return b.parentNode; });
    var palette = data.palette;
    var active = null;
    data.nodes.forEach(function (n) { n.title = tooltip(n.tip); });
    data.edges.forEach(function (e) { e.title = tooltip(e.tip); });
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    box.textContent = "";
    var narrow = window.matchMedia("(max-width: 700px)").matches;
    if (narrow) { data.options.interaction.zoomView = true; }  // pinch to zoom; a desktop page scrolls instead
    else {  // one lane per reason: a tall picture gets a taller box, so its words keep their size
      var ys = data.nodes.map(function (n) { return n.y || 0; });
      var span = Math.max.apply(null, ys) - Math.min.apply(null, ys);
      box.style.height = Math.round(Math.min(1200, Math.max(560, span * 0.9 + 160))) + "px";
    }
    var network = new vis.Network(box, {nodes: nodes, edges: edges}, data.options);
    network.once("afterDrawing", function () {
      // a wide picture fitted into a phone would shrink its words to a few pixels: keep them readable,
      // starting from You, and let the reader drag or zoom to the rest
      var scale = network.getScale();
      if (scale < MIN_SCALE) {
        var you = keep.nodes.filter(function (n) { return n.kind === "you"; })[0];
        var at = you ? network.getPositions([you.id])[you.id] : {x: 0, y: 0};
        network.moveTo({position: {x: at.x + box.clientWidth / (2 * MIN_SCALE) - 60, y: 0}, scale: MIN_SCALE});
      }
      section.setAttribute("data-scale", String(Math.round(network.getScale() * 100) / 100));
      section.setAttribute("data-drawn", "1");
    });
    section.whyrecNetwork = network;  // for the page's tests: node boxes and the zoom level
    Array.prototype.forEach.call(section.querySelectorAll(".zoom button"), function (b) {
      b.addEventListener("click", function () {
        var how = b.getAttribute("data-zoom");
        if (how === "fit") { network.fit(); return; }
        network.moveTo({scale: network.getScale() * (how === "in" ? 1.25 : 0.8)});
      });
    });

    function highlight(k) {
      active = k;
      nodes.update(keep.nodes.map(function (n) {
        if (k === null) { return nodeLook(n, n.color.border, n.borderWidth, n.font.color); }
        var on = n.chains.indexOf(k) >= 0 || n.kind === "you" || n.kind === "item";
        return on ? nodeLook(n, palette[k % palette.length], 4, n.font.color) : nodeLook(n, null, 1, "#c4c8ce");
      }));
      edges.update(keep.edges.map(function (e) {
        if (k === null) { return edgeLook(e, e.color.color, e.width, e.font.color); }
        return e.chain === k ? edgeLook(e, palette[k % palette.length], 4, "#1d2127")
                             : edgeLook(e, DIM_EDGE, 1, "rgba(0,0,0,0)");
      }));
      buttons.forEach(function (b, i) {
        b.setAttribute("aria-pressed", String(i === k));
        items[i].className = k === null ? "" : (i === k ? "active" : "dim");
      });
      if (k === null) { section.removeAttribute("data-active"); } else { section.setAttribute("data-active", String(k)); }
    }

    buttons.forEach(function (b, i) {
      b.addEventListener("click", function () { highlight(active === i ? null : i); });
    });
    network.on("click", function (p) {
      if (p.nodes.length === 0 && p.edges.length === 1) { highlight(edges.get(p.edges[0]).chain); }
      else if (p.nodes.length === 0 && p.edges.length === 0) { highlight(null); }
    });
    var m = /^#pair-(\\d+)-reason-(\\d+)$/.exec(window.location.hash);
    if (m && section.id === "pair-" + m[1] && Number(m[2]) < buttons.length) { highlight(Number(m[2])); }
  }

  var sections = document.querySelectorAll("section.pair");
  for (var i = 0; i < sections.length; i++) {
    try { draw(sections[i]); } catch (err) { sections[i].setAttribute("data-error", String(err && err.message)); }
  }
})();
"""
