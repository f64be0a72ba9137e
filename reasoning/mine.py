"""Rule suggestions mined from the data, AMIE-style: path shapes that predict purchases.

For a target relation (default ``purchased``: user -> item), every path shape of 2 or 3
steps over the graph's linking relations (walked either way) that can lead from a user
to an item is tried on a seeded sample of users:

- support: the sampled users' target facts (user, item) that the shape connects by a
  simple path. A simple path never steps straight from the user to the item, so no
  fact is ever explained by itself (AMIE's "without using that same fact");
- body: the (user, item) pairs the shape connects at all (items only);
- confidence = support / body; PCA confidence counts in the body only users with at
  least one target fact (AMIE's partial-completeness assumption).

Paths through other shoppers become collaborative rules: an item counts only when at
least ``crowd_min`` shoppers stand behind one chain, exactly as the matcher fires them.
Each suggestion is a ready-to-paste rule; :func:`suggest` checks that it validates.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from kg import KnowledgeGraph
from kg.index import CSR
from reasoning.mine_yaml import rule_id, to_yaml, variable_names
from reasoning.ruleset import check_rules

Move = tuple[str, bool]  # (relation, forward): forward walks subject -> object


@dataclass(frozen=True)
class Pattern:
    moves: tuple[Move, ...]
    names: tuple[str, ...]  # a variable per position: "user", ..., "item"
    crowd: tuple[int, ...]  # positions standing for other shoppers
    support: int
    body: int
    pca_body: int
    truncated: bool  # a hub or work cap skipped some paths for some user

    @property
    def confidence(self) -> float:
        return self.support / self.body if self.body else 0.0

    @property
    def pca_confidence(self) -> float:
        return self.support / self.pca_body if self.pca_body else 0.0


@dataclass(frozen=True)
class Suggestion:
    rule_id: str
    pattern: Pattern
    yaml: str


@dataclass(frozen=True)
class MineReport:
    suggestions: tuple[Suggestion, ...]
    target: str
    users: int  # users sampled
    facts: int  # target facts of the sampled users
    shapes: int  # shapes tried
    seed: int
    notes: tuple[str, ...] = ()  # relations left out, shapes that could not become a valid rule

    def yaml(self) -> str:
        return "\n".join(s.yaml for s in self.suggestions)


@dataclass(frozen=True)
class MineConfig:
    target: str = "purchased"
    users: int = 300
    seed: int = 0
    min_support: int = 5
    max_length: int = 3
    top: int = 20
    crowd_min: int = 3  # written as the rule's min_support
    hub_cap: int = 5000  # skip middle nodes with more neighbours than this (the matcher's default)
    max_entries: int = 200_000  # paths per user and step, on average over a chunk of users; a chunk
    # over it is skipped for that shape (the pattern then says truncated)


def _gather(csr: CSR, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All neighbours of ``nodes`` at once: (neighbour, index of the node it came from)."""
    starts = csr.indptr[nodes]
    lens = csr.indptr[nodes + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    origin = np.repeat(np.arange(len(nodes)), lens)
    offsets = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    return csr.indices[np.repeat(starts, lens) + offsets].astype(np.int64), origin


def _same_facts(graph: KnowledgeGraph, a: str, b: str) -> bool:
    x, y = graph.edges(a), graph.edges(b)
    return (x is not None and y is not None and x.n_edges == y.n_edges
            and np.array_equal(x.out.indptr, y.out.indptr) and np.array_equal(x.out.indices, y.out.indices))


class _Walker:
    """Typed moves of one graph and the per-user walk along a shape (prefixes cached)."""

    def __init__(self, graph: KnowledgeGraph, cfg: MineConfig):
        self.g, self.cfg = graph, cfg
        # Node kinds: the primary class, except that every user is one kind and every item another
        # (a catalog may name several user or item types); -1 is untyped.
        self.node_class = graph.parts.node_class.astype(np.int64)
        classes = graph.parts.classes
        self.user_k = len(classes) if graph.user_mask.any() else -2
        self.item_k = len(classes) + 1 if graph.item_mask.any() else -2
        self.node_class[graph.item_mask] = self.item_k
        self.node_class[graph.user_mask] = self.user_k  # a node typed both ways walks as a user
        items = np.flatnonzero(self.node_class == self.item_k)
        self.n_items = len(items)
        self.item_index = np.full(graph.n_nodes, -1, dtype=np.int64)  # node -> position among items
        self.item_index[items] = np.arange(len(items))
        self.sig: dict[Move, dict[int, frozenset[int]]] = {}  # move -> source class -> target classes
        self.twins: list[str] = []  # relations skipped: the very facts of one tried before
        kept: list[str] = []
        order = sorted(graph.vocab.relations, key=lambda r: r.name != cfg.target)  # the target first
        for rel in order:
            index = graph.edges(rel.name)
            if index is None:
                continue
            twin = next((k for k in kept if _same_facts(graph, k, rel.name)), None)
            if twin is not None:  # Amazon: every review is both a purchase and a rating
                self.twins.append(f"{rel.name} has the same facts as {twin}; its shapes are left out")
                continue
            kept.append(rel.name)
            src = np.repeat(np.arange(graph.n_nodes), np.diff(index.out.indptr))
            dst = index.out.indices.astype(np.int64)
            k = len(classes) + 3  # node kinds run from -1 (none) to len(classes) + 1 (items)
            codes = np.unique((self.node_class[src] + 1) * k + self.node_class[dst] + 1)
            combos = {(int(c // k) - 1, int(c % k) - 1) for c in codes}
            for forward in (True, False):
                table: dict[int, set[int]] = {}
                for a, b in combos:
                    s, t = (a, b) if forward else (b, a)
                    table.setdefault(s, set()).add(t)
                self.sig[(rel.name, forward)] = {k: frozenset(v) for k, v in table.items()}

    def csr(self, move: Move) -> CSR:
        index = self.g.edges(move[0])
        assert index is not None
        return index.out if move[1] else index.inn

    def shapes(self) -> list[tuple[tuple[Move, ...], tuple[frozenset[int], ...]]]:
        """Every 2..max_length move sequence that types from a user to an item, in a fixed order."""
        out = []
        moves = sorted(self.sig)

        def walk(seq: tuple[Move, ...], types: tuple[frozenset[int], ...]) -> None:
            if len(seq) >= 2 and self.item_k in types[-1]:
                out.append((seq, types))
            if len(seq) == self.cfg.max_length:
                return
            for m in moves:
                nxt = frozenset(t for k in types[-1] for t in self.sig[m].get(k, ()))
                if nxt:
                    walk(seq + (m,), types + (nxt,))

        walk((), (frozenset({self.user_k}),))
        return out


CHUNK = 64  # users walked together: vectorised, yet bounded memory


def _walk(w: _Walker, users: np.ndarray, seq: tuple[Move, ...], cache: dict) -> tuple[list[np.ndarray], bool]:
    """Simple paths from ``users`` along ``seq``: one column per position (0: the user), and capped?

    Rows are distinct paths (CSR rows hold each neighbour once); a row never revisits a node.
    ``cache`` holds the prefixes of the shape walked last (shapes come in depth-first order).
    """
    cfg = w.cfg
    for stale in [k for k in cache if k != seq[:len(k)]]:
        del cache[stale]
    if seq[:1] not in cache:
        nxt, origin = _gather(w.csr(seq[0]), users)
        keep = nxt != users[origin]
        cache[seq[:1]] = ([users[origin][keep], nxt[keep]], False)
    cols, capped = cache[seq[:1]]
    for depth in range(1, len(seq)):
        key = seq[:depth + 1]
        if key not in cache:
            csr = w.csr(seq[depth])
            last = cols[-1]
            deg = csr.indptr[last + 1] - csr.indptr[last]
            ok = deg <= cfg.hub_cap
            if int(deg[ok].sum()) > cfg.max_entries * len(users):
                cache[key] = ([np.zeros(0, dtype=np.int64)] * (depth + 2), True)
            else:
                rows = np.flatnonzero(ok)
                nxt, origin = _gather(csr, last[rows])
                origin = rows[origin]
                keep = np.ones(len(nxt), dtype=bool)
                for c in cols:
                    keep &= nxt != c[origin]
                cache[key] = ([c[origin[keep]] for c in cols] + [nxt[keep]], capped or not bool(ok.all()))
        cols, capped = cache[key]
    return cols, capped


def _pairs(w: _Walker, cols: list[np.ndarray], crowd: tuple[int, ...], chunk: np.ndarray) -> np.ndarray:
    """Distinct (user, item) pairs reached, as keys ``user position in chunk * n_items + item index``.

    Crowd chains count only with ``crowd_min`` shoppers behind them: rows are distinct paths,
    so the rows of one chain (the path with its shoppers left out) are its distinct shoppers.
    """
    item = w.item_index[cols[-1]]
    mask = item >= 0
    if not mask.any():
        return np.zeros(0, dtype=np.int64)
    user = np.searchsorted(chunk, cols[0][mask])
    keys = user * w.n_items + item[mask]
    if crowd:
        fixed = [c[mask] for j, c in enumerate(cols[1:-1], start=1) if j not in crowd]
        chain = keys
        for c in fixed:  # mixed radix: (pair, middle node) fits int64 for any realistic graph
            chain = chain * w.g.n_nodes + c
        chains, counts = np.unique(chain, return_counts=True)
        for _ in fixed:
            chains = chains // w.g.n_nodes
        keys = chains[counts >= w.cfg.crowd_min]
    marks = np.zeros(len(chunk) * w.n_items, dtype=bool)
    marks[keys] = True
    return np.flatnonzero(marks)


@dataclass(frozen=True)
class Mined:
    patterns: tuple[Pattern, ...]  # support >= min_support, best PCA confidence first
    users: int  # users sampled
    facts: int  # their target facts
    shapes: int  # shapes tried
    notes: tuple[str, ...] = ()


def mine(graph: KnowledgeGraph, cfg: MineConfig = MineConfig()) -> Mined:
    """Every shape's support and confidence on a seeded sample of users (see module docstring)."""
    target = graph.edges(cfg.target)
    w = _Walker(graph, cfg)
    if target is None or w.user_k < 0 or w.item_k < 0:
        why = f"no {cfg.target!r} facts" if target is None else "no users and no items (see 'items:' in a mapping)"
        return Mined((), 0, 0, 0, (f"nothing to mine: the graph has {why}",))
    users = graph.user_nodes().tolist()
    sample = np.array(sorted(random.Random(cfg.seed).sample(users, min(cfg.users, len(users)))), dtype=np.int64)
    shapes = w.shapes()
    size = max(1, min(CHUNK, 4_000_000 // max(1, w.n_items)))
    totals = {seq: [0, 0, 0, False] for seq, _ in shapes}
    n_heads = 0
    for chunk in (sample[k:k + size] for k in range(0, len(sample), size)):
        heads, origin = _gather(target.out, chunk)
        ok = w.item_index[heads] >= 0
        head = np.zeros(len(chunk) * w.n_items, dtype=bool)
        head[origin[ok] * w.n_items + w.item_index[heads[ok]]] = True
        n_heads += int(head.sum())
        has_head = head.reshape(len(chunk), w.n_items).any(axis=1)
        cache: dict = {}
        for seq, types in shapes:
            crowd = _crowd(w, seq, types)
            if crowd is None:
                continue
            cols, capped = _walk(w, chunk, seq, cache)
            keys = _pairs(w, cols, crowd, chunk)
            t = totals[seq]
            t[0] += int(head[keys].sum())
            t[1] += len(keys)
            t[2] += int(has_head[keys // w.n_items].sum())
            t[3] = t[3] or capped
    patterns = []
    for seq, types in shapes:
        crowd = _crowd(w, seq, types)
        support, body, pca, capped = totals[seq]
        if crowd is not None and support >= cfg.min_support:
            patterns.append(Pattern(seq, variable_names(graph, seq, types, crowd), crowd, support, body, pca, capped))
    patterns.sort(key=lambda p: (-p.pca_confidence, -p.support, p.moves))
    return Mined(tuple(patterns), len(sample), n_heads, len(shapes), tuple(w.twins))


def _crowd(w: _Walker, seq: tuple[Move, ...], types: tuple[frozenset[int], ...]) -> tuple[int, ...] | None:
    """Positions standing for other shoppers; None when a position is only sometimes a shopper."""
    crowd = tuple(j for j in range(1, len(seq)) if types[j] == frozenset({w.user_k}))
    if any(w.user_k in types[j] and j not in crowd for j in range(1, len(seq))):
        return None  # no rule can say that safely: the matcher would drop those paths
    return crowd


def suggest(graph: KnowledgeGraph, cfg: MineConfig = MineConfig()) -> MineReport:
    """The ``top`` best patterns as rules that validate against ``graph``."""
    mined = mine(graph, cfg)
    out: list[Suggestion] = []
    dropped: list[str] = []
    taken: set[str] = set()
    for p in mined.patterns:
        if len(out) == cfg.top:
            break
        rid = rule_id(p.moves)
        base, k = rid, 2
        while rid in taken:
            rid, k = f"{base}-{k}", k + 1
        text = to_yaml(graph, p, rid, mined.users, mined.facts, cfg)
        plans, problems = check_rules("<suggested>", graph, text=text)
        crowd_ok = bool(plans) and {p.names[j] for j in p.crowd} == set(plans[0].crowd)
        if problems or not crowd_ok:
            why = problems[0].message if problems else "the validator sees other shoppers differently"
            dropped.append(f"{rid}: {why}")
            continue
        taken.add(rid)
        out.append(Suggestion(rid, p, text))
    return MineReport(tuple(out), cfg.target, mined.users, mined.facts, mined.shapes, cfg.seed,
                      mined.notes + tuple(dropped))
