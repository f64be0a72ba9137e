"""The scene as a vis-network: nodes, edges and options built with pyvis, as JSON-ready data.

pyvis only builds the node and edge dicts here; its own HTML page is not used, because it loads
scripts and styles from the web and does not escape what it shows (see generation/render.py).
Tooltips are not given to pyvis as ``title`` strings: each carries its lines in ``tip`` and the
page builds the tooltip element with ``textContent``.
"""
from __future__ import annotations

from typing import Any

from generation.render_graph import Scene, SceneEdge, SceneNode

# One colour per reason; readable on white and told apart by most colour-blind readers (Okabe-Ito).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7A5195", "#8C6D1F")
INK = "#3a3f47"  # border of You and the item: they are in every chain
FILL = {"you": "#fff1c2", "item": "#d6f0df", "node": "#f4f5f7", "crowd": "#eceef2", "other": "#eceef2"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


# Past eight reasons a colour comes back, drawn with a pattern no earlier reason has.
DASHES: tuple[list[int] | bool, ...] = (False, [10, 6], [3, 5], [14, 4, 3, 4])
COLUMN, LANE = 250, 115  # px between columns (hops) and between lanes (reasons) at scale 1


def colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def dashes(k: int) -> list[int] | bool:
    """The line pattern of reason k: solid for the first eight, then a new pattern per round of colours."""
    return DASHES[(k // len(PALETTE)) % len(DASHES)]


def vis_data(scene: Scene) -> dict[str, Any]:
    """``{"nodes": [...], "edges": [...], "options": {...}}`` for ``new vis.Network``."""
    from pyvis.network import Network  # imported here: pyvis pulls in IPython, slow for the CLI

    net = Network(directed=True)
    for n in scene.nodes:
        net.add_node(n.id, label=n.label, x=n.level * COLUMN, y=round(n.row * LANE), **_node_options(n))
    for e in scene.edges:
        net.add_edge(e.source, e.target, **_edge_options(e))
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": OPTIONS, "palette": list(PALETTE)}


def _node_options(n: SceneNode) -> dict[str, Any]:
    ring = colour(n.chains[0]) if n.kind not in ("you", "item") and n.chains else INK
    opts: dict[str, Any] = {
        "shape": "box", "level": n.level, "chains": list(n.chains), "kind": n.kind, "tip": list(n.tip),
        "color": {"background": FILL[n.kind], "border": ring,
                  "highlight": {"background": FILL[n.kind], "border": ring},
                  "hover": {"background": FILL[n.kind], "border": ring}},
        "borderWidth": 3 if n.kind in ("item", "node", "crowd", "other") else 2,
        "font": {"size": 16 if n.kind in ("you", "item") else 14, "color": "#1d2127", "face": FONT},
    }
    if n.kind in ("crowd", "other"):
        opts["shapeProperties"] = {"borderDashes": [6, 4]}
    elif n.kind == "node" and n.chains and dashes(n.chains[0]):
        opts["shapeProperties"] = {"borderDashes": dashes(n.chains[0])}
    return opts


def _edge_options(e: SceneEdge) -> dict[str, Any]:
    c = colour(e.chain)
    if e.parallel == 0:
        smooth = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.45}
    else:  # the same two nodes in another reason: bend each further so every colour shows
        smooth = {"enabled": True, "type": "curvedCW" if e.parallel % 2 else "curvedCCW",
                  "roundness": 0.18 * ((e.parallel + 1) // 2)}
    return {"id": e.id, "label": e.label, "chain": e.chain, "tip": list(e.tip), "width": 2.5,
            "dashes": dashes(e.chain),
            "color": {"color": c, "highlight": c, "hover": c, "inherit": False},
            "font": {"size": 12, "color": "#2b2f36", "face": FONT, "strokeWidth": 4, "strokeColor": "#ffffff",
                     "align": "middle"},
            "smooth": smooth}


# Positions come from the scene (a column per hop, a lane per reason), not from a layout engine:
# labels never collide however many reasons there are. The page's script turns zoom on for small
# screens and offers + / - buttons everywhere.
OPTIONS: dict[str, Any] = {
    "layout": {"hierarchical": {"enabled": False}, "randomSeed": 1},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "zoomView": False, "dragView": True,
                    "navigationButtons": False, "keyboard": False, "multiselect": False},
    "nodes": {"margin": 10, "widthConstraint": {"maximum": 190}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "selectionWidth": 0,
              "hoverWidth": 0.5},
}
