"""What the picture draws: the reason subgraph of one Explanation, as plain data.

Only what is drawn is kept, and nothing of any other shopper: the user is "You" (never an id),
a crowd fact is one node "N other shoppers" (a count, never a name, id or review), and a node
typed as a user that is not the target user is drawn as "another shopper" without its values.
Values on facts (a rating's score, date and summary) are kept only on the target user's own
facts and on catalogue facts. Node ids in the page are made up here (``n0``, ``n1`` ...), so no
graph key reaches the page.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from kg.errors import KGError
from kg.roles import singular
from kg.vocab import Vocabulary, default_vocabulary
from generation.explanation import Explanation, Reason
from reasoning.chains import Fact
from kg.terms import number_text

MAX_LABEL = 80  # characters of a label drawn on a node; the tooltip says the rest
MAX_TIP_LINES = 14
MAX_PER_RELATION = 4  # neighbour labels listed per relation in a tooltip


@dataclass(frozen=True)
class SceneNode:
    id: str  # n0, n1 ... (never a graph key)
    label: str
    kind: str  # "you", "item", "node", "crowd", "other"
    type: str
    level: int  # column, left to right: You ... item
    chains: tuple[int, ...]  # reasons whose chain runs through this node
    tip: tuple[str, ...]  # hover text, one line each (plain text)
    row: float = 0.0  # lane, top to bottom (0 is the middle): each reason runs along its own lane


@dataclass(frozen=True)
class SceneEdge:
    id: str
    source: str
    target: str
    label: str
    chain: int  # one edge per fact and reason, so each reason keeps its own colour
    tip: tuple[str, ...]
    parallel: int  # 0 for the first edge between two nodes, 1, 2 ... for the next ones


@dataclass(frozen=True)
class Scene:
    nodes: tuple[SceneNode, ...]
    edges: tuple[SceneEdge, ...]


def build_scene(explanation: Explanation, graph=None, staff: bool = False) -> Scene:
    """The nodes and edges that picture ``explanation``'s reasons (``graph`` adds node details).

    ``staff``: the support staff's view: the dates of the user's own facts on the lines.
    """
    return _SceneBuilder(explanation, graph, staff).build()


def lanes(lengths: list[int]) -> list[float]:
    """The lane of each reason: the shortest chains nearest the middle, longer ones outside.

    A short chain's last line runs from its node to the item in the middle, across the columns it
    does not use; with longer chains on the outer lanes, no line crosses another reason's node.

    >>> lanes([3, 1, 2, 1])
    [1.5, -0.5, -1.5, 0.5]
    """
    n = len(lengths)
    slots = sorted(range(n), key=lambda j: abs(j - (n - 1) / 2) + j * 1e-6)  # middle first, then outwards
    order = sorted(range(n), key=lambda k: (lengths[k], k))
    out = [0.0] * n
    for slot, k in zip(slots, order):
        out[k] = slot - (n - 1) / 2
    return out


def scrub_user(text: str, user: str, keep: tuple[str, ...] = ()) -> str:
    """``text`` with the user's id said as "you", except inside ``keep`` (the shop's own data: labels
    and values, which may hold the same word or number); the page never shows the id otherwise.

    >>> scrub_user("No history for u004 yet", "u004")
    'No history for you yet'
    >>> scrub_user("5 said: rated 5 stars", "5", keep=("rated 5 stars",))
    'you said: rated 5 stars'
    """
    if not user:
        return text
    protected = [(m.start(), m.end()) for k in keep if k and user in k for m in re.finditer(re.escape(k), text)]

    def swap(m: re.Match) -> str:
        inside = any(a <= m.start() and m.end() <= b for a, b in protected)
        return m.group(0) if inside else "you"

    return re.sub(rf"(?<!\w){re.escape(user)}(?!\w)", swap, text)


def relation_words(name: str, vocab: Vocabulary | None) -> str:
    rel = (vocab.get(name) if vocab is not None else None) or default_vocabulary().get(name)
    return rel.label if rel is not None else name.replace("_", " ")


def _short(text: str, limit: int = MAX_LABEL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _num(value: str | float) -> str:
    return number_text(value)


_CROWD = re.compile(r"\d+ other (.+)")


def _crowd_label(count: int | None, noun: str = "shoppers") -> str:
    if count is None:
        return f"other {noun}"
    return f"{count} other " + (singular(noun) if count == 1 else noun)


def _roles(explanation: Explanation, graph) -> tuple[frozenset[str], frozenset[str], str]:
    """User type names, item type names and the audience noun: from the graph when given, else from
    the reasons themselves (the user's and the item's bindings, a crowd fact's "12 other viewers")."""
    users, items, noun = {"User"}, {"Product"}, None
    for reason in explanation.reasons:
        for var, kinds in (("user", users), ("item", items)):
            b = reason.chain.binding(var)
            if b is not None:
                kinds.add(b.type)
        for f in reason.chain.facts:
            said = _CROWD.fullmatch(f.subject_label if f.subject is None else f.object_label)
            if f.count is not None and said and noun is None:
                noun = said.group(1)
    if graph is not None:
        return graph.user_types, graph.item_types, graph.audience
    return frozenset(users), frozenset(items), noun or "shoppers"


class _SceneBuilder:
    def __init__(self, explanation: Explanation, graph, staff: bool = False) -> None:
        self.x = explanation
        self.graph = graph
        self.staff = staff
        self.vocab: Vocabulary | None = graph.vocab if graph is not None else None
        self.ids: dict[tuple, str] = {}
        self.info: dict[str, dict] = {}  # node id -> label, kind, type, chains, values, graph node
        self.edges: list[tuple[str, str, str, int, tuple[str, ...]]] = []
        self.user_types, self.item_types, self.noun = _roles(explanation, graph)
        self.one = singular(self.noun)  # "another viewer"

    # -- nodes ------------------------------------------------------------------------
    def _node(self, ident: tuple, label: str, kind: str, type_: str, chain: int, graph_node: int | None = None) -> str:
        nid = self.ids.get(ident)
        if nid is None:
            nid = self.ids[ident] = f"n{len(self.ids)}"
            self.info[nid] = {"label": _short(label), "full": _short(label, 300), "kind": kind, "type": type_,
                              "chains": [], "values": [], "graph_node": graph_node}
        if self.info[nid]["graph_node"] is None:  # the chain's own node id beats a lookup by key
            self.info[nid]["graph_node"] = graph_node
        if chain >= 0 and chain not in self.info[nid]["chains"]:
            self.info[nid]["chains"].append(chain)
        return nid

    def _side(self, key: str | None, label: str, type_: str, fact: Fact, k: int, spine: dict) -> str:
        """The node for one side of a fact: You, the item, a crowd, another shopper or a graph node."""
        if key is None or (key == "" and fact.count is not None):
            return self._node(("crowd", k), _crowd_label(fact.count, self.noun), "crowd", f"other {self.noun}", k)
        # ids are per type: a user "1" and an item "1" are different nodes
        if key == self.x.user and (type_ in self.user_types or type_ == "Thing"):
            return self._node(("you",), "You", "you", "you", k)
        if key == self.x.item and (type_ in self.item_types or type_ == "Thing"):
            return self._node(("item",), self.x.item_label or label, "item", type_, k,
                              spine.get((key, label)))
        if type_ in self.user_types:  # someone else: never their id, name or values
            return self._node(("other", k, key), f"another {self.one}", "other", f"another {self.one}", k)
        return self._node(("node", type_, key), label, "node", type_, k, spine.get((key, label)))

    def _spine(self, reason: Reason) -> dict[tuple[str, str], int]:
        """(key, label) -> graph node id, from the chain's own node ids (keys alone can be ambiguous)."""
        if self.graph is None:
            return {}
        out: dict[tuple[str, str], int] = {}
        for n in reason.chain.nodes:
            if n >= 0:
                try:
                    out[(self.graph.key(n), self.graph.label(n))] = int(n)
                except (IndexError, KGError):
                    continue
        return out

    # -- the scene --------------------------------------------------------------------
    def build(self) -> Scene:
        you = self._node(("you",), "You", "you", "you", -1)
        self._node(("item",), self.x.item_label or self.x.item, "item", min(self.item_types), -1,
                   self._graph_node(self.x.item))
        for k, reason in enumerate(self.x.reasons):
            spine = self._spine(reason)
            for fact in reason.chain.facts:
                self._fact(fact, k, spine)
        levels = self._levels(you)
        rows = lanes([sum(not f.is_value for f in r.chain.facts) for r in self.x.reasons])
        nodes = tuple(SceneNode(nid, info["label"], info["kind"], info["type"], levels[nid],
                                tuple(info["chains"]), self._tip(info),
                                rows[info["chains"][0]] if info["kind"] not in ("you", "item") and info["chains"] else 0.0)
                      for nid, info in self.info.items())
        seen: dict[tuple[str, str], int] = {}
        edges = []
        for j, (s, o, label, k, tip) in enumerate(self.edges):
            pair = (min(s, o), max(s, o))
            seen[pair] = seen.get(pair, -1) + 1
            edges.append(SceneEdge(f"e{j}", s, o, label, k, tip, seen[pair]))
        return Scene(nodes, tuple(edges))

    def _fact(self, fact: Fact, k: int, spine: dict) -> None:
        if fact.is_value:  # a price or a budget reads best as a detail of its node, not a node
            if fact.subject is None or (fact.subject_type in self.user_types and fact.subject != self.x.user):
                return
            nid = self._side(fact.subject, fact.subject_label, fact.subject_type, fact, k, spine)
            line = f"{relation_words(fact.relation, self.vocab)}: {_short(fact.object_label)}"
            if line not in self.info[nid]["values"]:
                self.info[nid]["values"].append(line)
            return
        s = self._side(fact.subject, fact.subject_label, fact.subject_type, fact, k, spine)
        o = self._side(fact.object, fact.object_label, fact.object_type, fact, k, spine)
        words = relation_words(fact.relation, self.vocab)
        kinds = (self.info[s]["kind"], self.info[o]["kind"])
        own = "you" in kinds and not ({"crowd", "other"} & set(kinds))
        catalogue = not ({"you", "crowd", "other"} & set(kinds))
        values = fact.values if (own or catalogue) else ()
        label = words
        tip = [f"{self.info[s]['full']} {words} {self.info[o]['full']}"]
        for name, value in values:
            if name == "score":
                label = f"{words} {_num(value)}★"
            tip.append(f"{name}: {_short(_num(value), 120)}")
        dated = [v for name, v in values if name == "date"]
        if self.staff and own and dated:  # support staff see when it happened
            label = f"{label} · {_short(_num(dated[0]), 10)}"
        if "crowd" in kinds:
            tip.append(f"a count of other {self.noun}; no one is named")
        self.edges.append((s, o, label, k, tuple(tip)))

    def _levels(self, you: str) -> dict[str, int]:
        """Columns left to right: You at 0, each node at its hop distance, the item last."""
        adjacent: dict[str, set[str]] = {nid: set() for nid in self.info}
        for s, o, *_ in self.edges:
            adjacent[s].add(o)
            adjacent[o].add(s)
        item = self.ids[("item",)]
        level = {you: 0}
        queue = deque([you])
        while queue:
            n = queue.popleft()
            for m in sorted(adjacent[n]):
                if m not in level and m != item:
                    level[m] = level[n] + 1
                    queue.append(m)
        for nid in self.info:
            if nid != item:
                level.setdefault(nid, 1)  # not reached from You (a hand-made chain): first column
        level[item] = max([v for n, v in level.items() if n != item] + [0]) + 1
        return level

    # -- tooltips ---------------------------------------------------------------------
    def _graph_node(self, key: str) -> int | None:
        if self.graph is None:
            return None
        try:
            return self.graph.node_of(key, "item")
        except KGError:  # unknown or ambiguous: the tooltip goes without graph details
            return None

    def _tip(self, info: dict) -> tuple[str, ...]:
        kind = info["kind"]
        if kind == "you":
            lines = ["You"] + ([f"user {self.x.user}"] if self.staff else [])  # support staff only
        elif kind == "crowd":
            lines = [info["label"], f"{self.noun} who did the same; counted, never named"]
        elif kind == "other":
            lines = [f"another {self.one}"]
        else:
            lines = [info["full"], info["type"] + (" (recommended)" if kind == "item" else "")]
        lines += info["values"]
        if kind in ("item", "node") and info["graph_node"] is not None:
            lines += [line for line in self._details(info["graph_node"]) if line not in lines]
        return tuple(lines[:MAX_TIP_LINES])

    def _details(self, n: int) -> list[str]:
        """A catalogue node's attributes from the graph: values and neighbour labels, no users."""
        g = self.graph
        if g.user_mask[n]:
            return []
        out: list[str] = []
        for rel in g.vocab.relations:
            if rel.domain == "User":
                continue
            if rel.kind == "literal":
                shown = [_short(_num(v), 60) for v in g.values(n, rel.name)[:MAX_PER_RELATION]]
            else:
                shown = [_short(g.label(int(m)), 40) for m in g.neighbors(n, rel.name)[:50].tolist()
                         if not g.user_mask[int(m)] and not g.item_mask[int(m)]][:MAX_PER_RELATION]
            if shown:
                out.append(f"{rel.label}: {', '.join(sorted(set(shown), key=shown.index))}")
        return out
