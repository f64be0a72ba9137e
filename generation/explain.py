"""The explainer: "why item I for user U?" -> a few short, personal, checked reasons.

Per pair: find chains (reasoning) -> rank them with this user's weights -> verbalize the
top k in one batched model call -> verify every claim, falling back to the rule's template.
A reason whose sentence cannot be verified is dropped, never shown.
"""
from __future__ import annotations

import difflib
import os
import time
from collections.abc import Sequence
from pathlib import Path

from generation.errors import GenerationError
from generation.explanation import Explanation, Reason
from generation.feedback import FeedbackStore, Vote, default_feedback_path
from generation.realize import Realized, realize_many
from kg import KnowledgeGraph
from kg.errors import KGError
from kg.vocab import ITEM_CLASS, USER_CLASS
from reasoning import Budget, RankedChain, Scorer, find_chains_many, rank, train_scorer, weight_scorer
from reasoning.errors import ReasoningError

DEFAULT = "default"


class _Timed:
    """Wraps a verbalizer to measure model time apart from verification time."""

    def __init__(self, model):
        self.model, self.seconds = model, 0.0

    def generate(self, sources: list[str], n: int, styles: list[int] | None = None) -> list[list[str]]:
        start = time.perf_counter()
        try:
            if styles is not None and _takes_styles(self.model):  # realize() picks a style per pair
                return self.model.generate(sources, n, styles=styles)
            return self.model.generate(sources, n)
        finally:
            self.seconds += time.perf_counter() - start


def _takes_styles(model) -> bool:
    import inspect
    try:
        return "styles" in inspect.signature(model.generate).parameters
    except (TypeError, ValueError):
        return False


class Explainer:
    """Explain recommendations on one graph with one rule set.

    ``verbalizer``: ``"default"`` loads the shipped model (templates when it is absent), ``None``
    says every reason with its rule's template, or pass a loaded model or a checkpoint folder.
    ``scorer``: ``None`` trains one on the graph (seconds), ``"weights"`` ranks by rule weight,
    or pass a :class:`reasoning.Scorer`. ``feedback``: where per-user weights persist
    (default: beside the graph). ``vcache``: how many model inputs to remember (0: none), or a
    :class:`generation.vcache.VerbalizationCache` (e.g. one on disk, shared by processes).
    """

    def __init__(self, graph: KnowledgeGraph, rules, verbalizer: object = DEFAULT, scorer: object = None,
                 feedback: str | os.PathLike[str] | FeedbackStore | None = None, budget: Budget | None = None,
                 n_best: int = 4, vcache: object = 20_000):
        self.graph, self.rules = graph, rules
        self.budget = budget or Budget()
        self.n_best = n_best
        self.verbalizer = _load_verbalizer(verbalizer)
        self.vcache = _vcache(self.verbalizer, vcache)  # the verbalizer behind a cache of its answers
        self.scorer = _scorer(graph, rules, scorer)
        self._feedback = feedback
        self._store: FeedbackStore | None = feedback if isinstance(feedback, FeedbackStore) else None

    @property
    def store(self) -> FeedbackStore:
        if self._store is None:
            path = self._feedback or default_feedback_path(self.graph.source)
            self._store = FeedbackStore(path)
        return self._store

    def explain(self, user: str, item: str, k: int = 3) -> Explanation:
        """Up to ``k`` checked reasons why ``item`` suits ``user`` (ids or IRIs)."""
        return self.explain_many([(user, item)], k)[0]

    def explain_many(self, pairs: Sequence[tuple[str, str]], k: int = 3) -> list[Explanation]:
        """:meth:`explain` for many pairs, with one batched model call for all of them."""
        if k < 1:
            raise GenerationError("E004", f"k must be at least 1, not {k}")
        resolved = [(self._node(u, USER_CLASS, "E001", "user"), self._node(i, ITEM_CLASS, "E002", "item"))
                    for u, i in pairs]
        g = self.graph
        t0 = time.perf_counter()
        results = find_chains_many(g, self.rules, resolved, self.budget)
        t1 = time.perf_counter()
        ranked: list[list[RankedChain]] = []
        for res in results:
            weights = self.store.weights(res.user)  # the store reads its file once; absent: no weights
            ranked.append(rank(g, self.rules, res, self.scorer, k, weights))
        t2 = time.perf_counter()
        timed = _Timed(self.vcache or self.verbalizer) if self.verbalizer is not None else None
        flat = [rc.chain for picks in ranked for rc in picks]
        realized = realize_many(flat, g, self.rules, timed, self.n_best) if flat else []
        t3 = time.perf_counter()
        n = max(len(pairs), 1)
        model_s = timed.seconds if timed else 0.0
        timings = (("chains", (t1 - t0) * 1e3 / n), ("ranking", (t2 - t1) * 1e3 / n),
                   ("generation", model_s * 1e3 / n), ("verification", (t3 - t2 - model_s) * 1e3 / n))
        out, cursor = [], 0
        for (_, item), res, picks in zip(resolved, results, ranked):
            texts = realized[cursor:cursor + len(picks)]
            cursor += len(picks)
            out.append(_explanation(g, item, res, picks, texts, timings))
        return out

    def feedback(self, user: str, reason: Reason, helpful: bool) -> None:
        """Record a vote: the rule and relations behind ``reason`` move for this user only."""
        key = self.graph.key(self._node(user, USER_CLASS, "E001", "user"))
        owner = reason.chain.binding("user")
        if owner is not None and owner.key != key:
            raise GenerationError("E004", f"this reason was given to another user, not {key!r}")
        self.store.record(Vote(key, reason.rule, reason.relations(), bool(helpful)))

    def _node(self, key: str, cls: str, code: str, what: str) -> int:
        g = self.graph
        try:
            node = g.node(key)
        except KGError as exc:
            if exc.code == "K041":  # an id shared by several nodes (a brand and a product): take the one of this kind
                same = [n for n in g.nodes_of(cls).tolist() if g.key(n) == key]
                if len(same) == 1:
                    return same[0]
                raise GenerationError(code, f"{what} {key!r} is ambiguous: {exc.message}",
                                      hint="give the full IRI, or the 'type/id' form") from None
            # suggest ids of the kind asked for (the graph's hint mixes every kind)
            close = _close(g, str(key), cls)
            raise GenerationError(code, f"unknown {what} {key!r}",
                                  hint=f"did you mean {', '.join(map(repr, close))}?" if close else exc.hint) from None
        if not g.has_type(node, cls):
            close, article = _close(g, str(key), cls), "an" if what == "item" else "a"
            raise GenerationError(code, f"{key!r} is a {g.type_name(node)}, not {article} {what}",
                                  hint=f"did you mean {', '.join(map(repr, close))}?" if close else None)
        return node


def _close(g: KnowledgeGraph, key: str, cls: str) -> list[str]:
    pool = list(g.users() if cls == USER_CLASS else g.items())
    return difflib.get_close_matches(key, pool, n=3, cutoff=0.6)


def _claim_text(claim) -> str:
    """A verified claim as words ("Glow Serum is by Lumiere"), not the reader's internal record."""
    side = lambda m: "?" if m is None else m.text  # noqa: E731
    return f"{'not ' if claim.negated else ''}{side(claim.subject)} {claim.phrase} {side(claim.object)}"


def _explanation(g: KnowledgeGraph, item: int, res, picks: list[RankedChain], texts: list[Realized],
                 timings: tuple[tuple[str, float], ...]) -> Explanation:
    reasons, dropped = [], 0
    for rc, r in zip(picks, texts):
        if not r.verified:  # an unsupported claim never reaches a user
            dropped += 1
            continue
        v = r.verdict
        reasons.append(Reason(r.text, rc.chain.rule, rc.score, True, rc.chain, r.source,
                              tuple(_claim_text(s.claim) for s in v.verified), tuple(str(p) for p in v.unsupported),
                              tuple(f"{f.subject_label} {f.relation} {f.object_label}" for f in v.unsaid),
                              tuple(sorted(rc.contributions.items(), key=lambda kv: -abs(kv[1])))))
    notes = list(res.notes)
    if dropped:
        notes.append(f"{dropped} reason(s) left out: their sentences could not be verified")
    item_label = g.label(item)  # the node itself: its source id alone may name several nodes
    message = "" if reasons else (
        f"no rule links this user to {item_label!r}; whyrec does not invent a reason" if not res.chains else
        "chains were found but no sentence could be verified")
    return Explanation(res.user, res.item, item_label, tuple(reasons), message, res.truncated, res.timed_out,
                       tuple(notes), timings)


def _load_verbalizer(spec: object):
    if spec is None:
        return None
    if isinstance(spec, (str, Path)):
        from generation.verbalizer import Verbalizer, default_model_dir
        if spec == DEFAULT:
            directory = default_model_dir()
            return Verbalizer.load(directory) if (directory / "config.json").exists() else None
        return Verbalizer.load(spec)
    if not hasattr(spec, "generate"):
        raise GenerationError("E004", "verbalizer must be 'default', None, a folder or an object with generate()")
    return spec


def _vcache(model, spec: object):
    from generation.vcache import VerbalizationCache
    if model is None or isinstance(spec, VerbalizationCache):
        return spec if model is not None else None
    if not isinstance(spec, int) or isinstance(spec, bool) or spec < 0:
        raise GenerationError("E004", "vcache must be a number of entries (0: none) or a VerbalizationCache")
    return VerbalizationCache(model, max_entries=spec) if spec else None


def _scorer(graph: KnowledgeGraph, rules, spec: object) -> Scorer:
    if isinstance(spec, Scorer):
        return spec
    if spec == "weights":
        return weight_scorer("asked for rule weights")
    if isinstance(spec, (str, Path)):
        return Scorer.load(spec)
    if spec is not None:
        raise GenerationError("E004", "scorer must be None, 'weights', a path or a reasoning.Scorer")
    try:
        from reasoning.scorer_cache import cached_scorer
        return cached_scorer(graph, rules, train_scorer, max_users=500)  # trained once per graph, rules and code
    except ReasoningError as exc:  # a graph with nothing to learn from still explains, by weight
        return weight_scorer(f"training failed: {exc}")
