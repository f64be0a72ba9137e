"""Random walks on a catalog's own graph: chains of shapes no rule lists, in the catalog's words.

A catalog's verbalizer should learn to say each fact of *its* relations, not to recall a few rule
frames, and never to say another domain's relations. So the invented chains of a catalog's corpus
are walks on the catalog itself: from a user along one of their facts, then through any node
relation (either direction) to an item, never through another user, never visiting a node twice.
Facts carry the values the graph holds on them (a rating's score, a date).

>>> import random
>>> from kg import load_graph
>>> g = load_graph("data/demo")
>>> walks = graph_walks(g, 5, random.Random(0))
>>> all(w[2].facts[0].subject == w[0] for w in walks) and len(walks) == 5
True
"""
from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from kg.vocab import ITEM_CLASS, USER_CLASS
from reasoning.chains import Binding, Chain, Fact
from reasoning.match_index import lookups_for

RULE_WORDS = ("match", "pick", "because", "fit", "link", "reason", "signal", "path", "trail", "hint")
LENGTHS = (1, 2, 2, 3, 3, 3, 4)
MAX_TRIES = 40  # walks tried per walk kept: a dead end (no item within reach) is drawn again


def _nodes(graph, role: str) -> np.ndarray:
    method = getattr(graph, f"{role}_nodes", None)
    return method() if method is not None else graph.nodes_of(USER_CLASS if role == "user" else ITEM_CLASS)


class _Walker:
    def __init__(self, graph, rnd: random.Random):
        self.g, self.rnd = graph, rnd
        self.rels = [r.name for r in graph.vocab.relations if r.kind == "node" and graph.edges(r.name) is not None]
        self.users = _nodes(graph, "user")
        self.items = set(_nodes(graph, "item").tolist())
        self.user_set = set(self.users.tolist())
        self.lookups = lookups_for(graph)

    def steps(self, node: int) -> list[tuple[str, int, bool]]:
        """(relation, neighbour, forward) for every fact at ``node``; bounded by sampling big rows."""
        out = []
        for rel in self.rels:
            for forward in (True, False):
                row = self.g.neighbors(node, rel, reverse=not forward)
                if len(row):
                    picks = row if len(row) <= 8 else row[self.rnd.sample(range(len(row)), 8)]
                    out += [(rel, int(y), forward) for y in picks]
        return out

    def walk(self, length: int) -> tuple[int, int, list[tuple[str, int, int]]] | None:
        user = int(self.rnd.choice(self.users))
        at, seen, path = user, {user}, []
        for k in range(length):
            last = k == length - 1
            options = [(r, y, f) for r, y, f in self.steps(at) if y not in seen and y not in self.user_set
                       and (not last or y in self.items) and (k > 0 or f)]
            if not options:
                return None
            rel, y, forward = self.rnd.choice(options)
            path.append((rel, at, y) if forward else (rel, y, at))
            seen.add(y)
            at = y
        return user, at, path

    def fact(self, rel: str, s: int, o: int) -> Fact:
        """The fact as the matcher builds it, with the values the graph holds on it (score, date, tag)."""
        return self.lookups.facts[(rel, s, o)]


def graph_walks(graph, n: int, rnd: random.Random, lengths: Sequence[int] = LENGTHS) -> list[tuple[str, str, Chain]]:
    """Up to ``n`` (user key, item key, chain) walks on ``graph``, seeded by ``rnd``."""
    w = _Walker(graph, rnd)
    if len(w.users) == 0 or not w.items or not w.rels:
        return []
    out: list[tuple[str, str, Chain]] = []
    for _ in range(n * MAX_TRIES):
        if len(out) >= n:
            break
        found = w.walk(rnd.choice(lengths))
        if found is None:
            continue
        user, item, path = found
        facts = tuple(w.fact(rel, s, o) for rel, s, o in path)
        u, i = graph.key(user), graph.key(item)
        bindings = (("user", Binding(u, graph.label(user), graph.type_name(user))),
                    ("item", Binding(i, graph.label(item), graph.type_name(item))))
        out.append((u, i, Chain(f"{rnd.choice(RULE_WORDS)}-{rnd.choice(RULE_WORDS)}", facts, bindings)))
    return out
