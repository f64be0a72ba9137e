"""The training corpus: (linearized chains, slot-level sentence) pairs, seeded and reproducible.

Two sources of chains: the shop's own (``find_chains`` over sampled user-item pairs of the graph
with its rules) and invented ones (training/synth.py: named shapes and random walks through any
relations whose types fit), so the model learns to say each fact rather than recall one shop's
rules. One, two or three chains of a pair make one example. Targets come from
training/compose.py and are kept only when the verifier reads every claim back as true
(refusals are counted in ``CorpusStats``).

Held out for evaluation (``Corpus.heldout``, by ``origin``): a whole shape family no example
contains (heldout-family), a share of relation combinations (heldout-shape), combinations of
several chains with one of those (heldout-multi), names never used in training (heldout-names),
a shop relation no example uses (heldout-relation), and graph pairs no example comes from
(graph-pairs).
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generation.errors import VerbalizerError
from generation.linearize import Linearized, refill, unknown_slots
from generation.templates import audience_noun
from generation.verbalizer import STYLES, source_for, styled
from kg.vocab import Vocabulary
from reasoning.chains import Chain
from training.compose import candidates, join
from training.compose_zh import candidates_in, join_spaceless
from training.config import TrainConfig
from training.synth import (CUSTOM, HELD_OUT_RELATIONS, HELD_OUT_USER_RELATIONS, USER_CUSTOM, ITEM, NAMES_HELD_OUT, NAMES_TRAIN, USER, Maker, PoolExhausted, Shape, all_shapes,
                            UNSEEN_KINDS, has_unseen_family, make_chain, make_walk, names_graph, signature,
                            split_shapes)

GRAPH_ORIGINS = ("graph", "graph-pairs", "walk", "heldout-walks")  # examples whose names are the graph's


def on_graph(origin: str) -> bool:
    """Whether an example of this origin holds the catalog's own names (else the invented pools')."""
    return origin in GRAPH_ORIGINS


# text (refilled), chains, graph (whose labels the reader knows) -> verified?
Checker = Callable[[str, Sequence[Chain], Any], bool]


@dataclass(frozen=True)
class Example:
    source: str  # styled model input
    target: str  # slot-level sentence
    shape: str  # chain shapes, e.g. "shared:rated:brand+pref:claim", or rule ids for graph chains
    origin: str  # graph | synthetic | heldout-{family,shape,multi,names,relation} | graph-pairs
    style: int
    chains: tuple[Chain, ...] = field(compare=False, repr=False)
    user: str = ""
    item: str = ""
    slots: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class CorpusStats:
    candidates: int  # target sentences built
    rejected: int  # ... that the verifier refused (another wording was tried)
    dropped: int  # examples with no verified wording at all
    verifier: str  # which checker filtered the targets
    by_origin: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Corpus:
    train: tuple[Example, ...]
    dev: tuple[Example, ...]
    heldout: tuple[Example, ...]  # unseen shapes / unseen names / unseen graph pairs
    stats: CorpusStats
    heldout_pairs: tuple[tuple[str, str, tuple[Chain, ...]], ...] = ()  # graph pairs no example uses


def default_checker(rules=None, lang: str = "en") -> tuple[Checker, str]:
    """generation.verify, closed-world: a target is kept only when it reads back into its chains
    (with ``rules``, the values their conditions compare must be said too), read in ``lang``."""
    from generation.verify import verify

    if lang == "en":
        return (lambda text, chains, graph: verify(text, chains, graph, rules).ok), "generation.verify"
    return (lambda text, chains, graph: verify(text, chains, graph, rules, lang=lang).ok), f"generation.verify({lang})"


class _Builder:
    def __init__(self, rules, graph, check: Checker, lang: str = "en"):
        self.rules, self.graph, self.check, self.lang = rules, graph, check, lang
        self.vocab: Vocabulary | None = graph.vocab
        self.built = self.rejected = self.dropped = 0
        self.seen: dict[tuple[str, tuple[int, ...]], bool] = {}  # same text, same chain objects: same verdict

    def example(self, chains: Sequence[Chain], user: str, item: str, style: int, shape: str, origin: str
                ) -> Example | None:
        if self.lang == "en":
            lin = source_for(chains, item, user, self.vocab, audience_noun(self.graph))
        else:  # labels in the language (slots refill them; its reader reads them), user and audience in its words
            from generation.lang.relabel import relabel
            chains = relabel(chains, self.graph, self.lang)[0]
            lin = source_for(chains, item, user, self.vocab, audience_noun(self.graph, lang=self.lang),
                             lang=self.lang, graph=self.graph)
        parts = []
        for chain in chains:
            said = self._say(chain, user, item, lin, style)
            if said is None:
                self.dropped += 1
                return None
            parts.append(said)
        target = join(parts, style) if self.lang == "en" else join_spaceless(parts, style, self.lang)
        if len(chains) > 1 and not self._ok(target, lin, chains):
            self.dropped += 1
            return None
        return Example(styled(lin.source, style), target, shape, origin, style, tuple(chains), user, item,
                       tuple(sorted(lin.slots.items())))

    def _say(self, chain: Chain, user: str, item: str, lin: Linearized, style: int) -> str | None:
        said = candidates(chain, user, item, lin, self.graph, self.rules) if self.lang == "en" else \
            candidates_in(chain, user, item, lin, self.graph, self.rules, self.lang)
        for cand in said[style % STYLES]:
            text = cand(style)
            if text and self._ok(text, lin, [chain]):
                return text
        return None

    def _ok(self, text: str, lin: Linearized, chains: Sequence[Chain]) -> bool:
        key = (refill(text, lin.slots), tuple(map(id, chains)))
        good = self.seen.get(key)
        if good is None:
            self.built += 1
            good = self.seen[key] = not unknown_slots(text, lin.slots) and self.check(key[0], chains, self.graph)
            self.rejected += not good
        return good


def _subsets(chains: Sequence[Chain], rnd: random.Random, k: int) -> list[tuple[Chain, ...]]:
    """k chain sets from one pair: mostly single chains, some pairs and triples of different rules.
    Rules are drawn uniformly first, so one prolific rule does not crowd out the rest."""
    by_rule: dict[str, list[Chain]] = {}
    for c in chains:
        by_rule.setdefault(c.rule, []).append(c)
    rules = sorted(by_rule)
    out = []
    for _ in range(k):
        size = min(rnd.choices((1, 2, 3), weights=SIZES)[0], len(rules))
        out.append(tuple(rnd.choice(by_rule[r]) for r in rnd.sample(rules, size)))
    return out


def graph_chains(graph, rules, n_pairs: int, seed: int) -> list[tuple[str, str, tuple[Chain, ...]]]:
    """(user, item, chains) for seeded random pairs of the graph that have at least one chain."""
    from reasoning.match import find_chains_many

    rnd = random.Random(seed)
    users, items = sorted(graph.users()), sorted(graph.items())
    if not users or not items:
        return []
    pairs = sorted({(rnd.choice(users), rnd.choice(items)) for _ in range(n_pairs)})
    return [(r.user, r.item, r.chains) for r in find_chains_many(graph, rules, pairs) if r.chains]


SIZES = (0.85, 0.12, 0.03)  # how often an example joins one, two or three chains
WALKS = 0.6  # share of invented chains that are random walks rather than named shapes
TRAIN_CUSTOM = tuple(r for r in CUSTOM if r not in HELD_OUT_RELATIONS)
TRAIN_USER_CUSTOM = tuple(r for r in USER_CUSTOM if r not in HELD_OUT_USER_RELATIONS)


def synthetic(builder: _Builder, shapes: Sequence[Shape], n: int, rnd: random.Random, names, origin: str,
              others: Sequence[Shape] = (), sizes: Sequence[float] = SIZES, walks: float = 0.0,
              banned: frozenset[str] = frozenset(), custom: Sequence[str] = TRAIN_CUSTOM,
              must: str | None = None, user_custom: Sequence[str] = TRAIN_USER_CUSTOM) -> list[Example]:
    """n examples of invented chains; with ``others``, extra chains of a combination come from them.
    A share ``walks`` of chains are random walks (using the shop relations ``custom`` too); walks
    whose structure is ``banned`` (held out) or of the unseen family are drawn again, and so are
    walks without the relation ``must`` when one is given."""
    out: list[Example] = []
    tries = 0
    while len(out) < n and tries < 3 * n + 10:
        tries += 1
        size = rnd.choices((1, 2, 3), weights=sizes)[0]
        picked = [rnd.choice(shapes)] + [rnd.choice(others or shapes) for _ in range(size - 1)]
        maker = Maker(rnd, names)
        chains, labels = [], []
        try:
            for shape in picked:
                if rnd.random() < walks:
                    walk = make_walk(rnd, names, rnd.choice((1, 2, 3, 3, 4)), maker=maker, custom=custom,
                                     user_custom=user_custom)
                    if has_unseen_family(walk) or signature(walk) in banned or (
                            must is not None and all(f.relation != must for f in walk.facts)):
                        raise PoolExhausted("walk")  # draw again
                    chains.append(walk)
                    labels.append("walk")
                else:
                    chains.append(make_chain(shape, rnd, names, maker=maker))
                    labels.append(str(shape))
        except PoolExhausted:
            continue
        ex = builder.example(chains, USER, ITEM, rnd.randrange(STYLES), "+".join(labels), origin)
        if ex is not None:
            out.append(ex)
    return out


def build_corpus(graph, rules, config: TrainConfig, check: Checker | None = None, checker_name: str = "custom",
                 heldout_only: bool = False) -> Corpus:
    """Train/dev/held-out examples for ``graph`` + ``rules`` (a RuleSet), reproducible from config.seed.
    The held-out part has its own random stream: ``heldout_only`` rebuilds it alone, identically."""
    if config.lang != "en" and (config.synthetic != "catalog" or graph is None):
        raise VerbalizerError("V012", f"a corpus in {config.lang!r} is said from a catalog's own chains and walks: "
                              "the invented domains (synthetic 'domains') are English words",
                              hint="train with --synthetic catalog and --graph")
    if check is None:
        check, checker_name = default_checker(rules, config.lang)
    b = _Builder(rules, graph if graph is not None else names_graph(), check, config.lang)
    sb = _Builder(None, names_graph(), check)  # invented chains: names from the synthetic pools
    train_shapes, held_shapes = split_shapes(all_shapes(), config.seed)

    n_graph = round(config.corpus_size * (1 - config.synthetic_share)) if graph is not None else 0
    found = graph_chains(graph, rules, config.graph_pairs, config.seed) if n_graph else []
    random.Random(config.seed).shuffle(found)
    cut = max(1, len(found) // 8) if len(found) > 8 else 0
    held_pairs, train_pairs = found[:cut], found[cut:]
    # a shape the shop's rules produce is not unseen: it moves to training
    real_sigs = {signature(c) for _, _, chains in found for c in chains}
    sig = {str(x): signature(make_chain(x, random.Random(0), NAMES_TRAIN)) for x in held_shapes}
    train_shapes += [x for x in held_shapes if sig[str(x)] in real_sigs]
    held_shapes = [x for x in held_shapes if sig[str(x)] not in real_sigs]
    banned = frozenset(sig[str(x)] for x in held_shapes)

    if config.synthetic == "catalog" and graph is not None:
        return _catalog_corpus(b, held_pairs, train_pairs, n_graph, config, checker_name, heldout_only)
    rh = random.Random(config.seed + 7919)
    held: list[Example] = []
    family = [x for x in held_shapes if x.kind in UNSEEN_KINDS]
    combos = [x for x in held_shapes if x.kind not in UNSEEN_KINDS]
    q = max(1, config.heldout_size // 8)
    held += synthetic(sb, family, q, rh, NAMES_HELD_OUT, "heldout-family", sizes=(1, 0, 0))
    held += synthetic(sb, combos, 2 * q, rh, NAMES_HELD_OUT, "heldout-shape", sizes=(1, 0, 0))
    held += synthetic(sb, held_shapes, q, rh, NAMES_HELD_OUT, "heldout-multi", others=train_shapes, sizes=(0, 3, 1))
    held += synthetic(sb, train_shapes, q, rh, NAMES_HELD_OUT, "heldout-names", sizes=(1, 0, 0))
    for rel in HELD_OUT_RELATIONS:  # a shop relation no example uses: its phrase must be copied
        held += synthetic(sb, train_shapes, q // len(HELD_OUT_RELATIONS), rh, NAMES_HELD_OUT, "heldout-relation",
                          sizes=(1, 0, 0), walks=1.0, custom=(rel,), must=rel)
    for rel in HELD_OUT_USER_RELATIONS:  # a user relation no example uses ("you borrowed X")
        held += synthetic(sb, train_shapes, q // len(HELD_OUT_USER_RELATIONS), rh, NAMES_HELD_OUT,
                          "heldout-relation", sizes=(1, 0, 0), walks=1.0, user_custom=(rel,), must=rel)
    for user, item, chains in held_pairs[: 2 * q]:
        chain = rh.choice(chains)
        ex = b.example([chain], user, item, rh.randrange(STYLES), chain.rule, "graph-pairs")
        if ex is not None:
            held.append(ex)

    train: list[Example] = []
    dev: list[Example] = []
    if not heldout_only:
        rnd = random.Random(config.seed)
        real = _graph_examples(b, train_pairs, n_graph, rnd)
        every = real + synthetic(sb, train_shapes, config.corpus_size - len(real), rnd, NAMES_TRAIN, "synthetic",
                                 walks=WALKS, banned=banned)
        rnd.shuffle(every)
        if len(every) < 2:
            raise VerbalizerError("V010", f"only {len(every)} training example(s) could be built")
        n_dev = min(config.dev_size, len(every) // 5)
        dev, train = every[:n_dev], every[n_dev:]
    return _corpus(train, dev, held, (b, sb), checker_name, held_pairs)


def _corpus(train, dev, held, builders, checker_name: str, held_pairs) -> Corpus:
    counts = Counter(e.origin for e in list(train) + list(dev) + list(held))
    stats = CorpusStats(sum(x.built for x in builders), sum(x.rejected for x in builders),
                        sum(x.dropped for x in builders), checker_name, tuple(sorted(counts.items())))
    return Corpus(tuple(train), tuple(dev), tuple(held), stats, tuple(held_pairs))


def _graph_examples(b: _Builder, pairs, n: int, rnd: random.Random) -> list[Example]:
    """Up to ``n`` examples from the rules' chains of ``pairs`` (one to three chains each)."""
    real: list[Example] = []
    if pairs:
        per_pair = max(1, -(-n // len(pairs)))
        for user, item, chains in pairs:
            for subset in _subsets(chains, rnd, per_pair):
                ex = b.example(subset, user, item, rnd.randrange(STYLES), "+".join(c.rule for c in subset), "graph")
                if ex is not None:
                    real.append(ex)
        rnd.shuffle(real)
    return real[:n]


def _catalog_corpus(b: _Builder, held_pairs, train_pairs, n_graph: int, config: TrainConfig, checker_name: str,
                    heldout_only: bool = False) -> Corpus:
    """A corpus in this catalog's words only: its rules' chains, and random walks on its graph
    (shapes no rule lists). Held out: graph pairs and walks from a separate random stream."""
    from training.walks import graph_walks

    rh = random.Random(config.seed + 7919)
    q = max(1, config.heldout_size // 2)
    held: list[Example] = []
    for user, item, chains in held_pairs[:q]:
        chain = rh.choice(chains)
        ex = b.example([chain], user, item, rh.randrange(STYLES), chain.rule, "graph-pairs")
        if ex is not None:
            held.append(ex)
    for user, item, chain in graph_walks(b.graph, config.heldout_size - len(held), rh):
        ex = b.example([chain], user, item, rh.randrange(STYLES), "walk", "heldout-walks")
        if ex is not None:
            held.append(ex)
    if heldout_only:
        return _corpus((), (), held, (b,), checker_name, held_pairs)
    rnd = random.Random(config.seed)
    every = _graph_examples(b, train_pairs, n_graph, rnd)
    for user, item, chain in graph_walks(b.graph, config.corpus_size - len(every), rnd):
        ex = b.example([chain], user, item, rnd.randrange(STYLES), "walk", "walk")
        if ex is not None:
            every.append(ex)
    rnd.shuffle(every)
    if len(every) < 2:
        raise VerbalizerError("V010", f"only {len(every)} training example(s) could be built")
    n_dev = min(config.dev_size, len(every) // 5)
    return _corpus(every[n_dev:], every[:n_dev], held, (b,), checker_name, held_pairs)
