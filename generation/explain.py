"""The explainer: "why item I for user U?" -> a few short, personal, checked reasons.

Per pair: find chains (reasoning) -> rank them with this user's weights -> verbalize the
top k in one batched model call -> verify every claim, falling back to the rule's template.
A reason whose sentence cannot be verified is dropped, never shown. Rules with a hidden tag
("sensitive" unless the user consented) are left out before matching, so nothing of them
reaches any output.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from collections.abc import Collection, Sequence
from pathlib import Path

from generation.api_checks import check_helpful, check_id, check_k, check_pairs
from generation.errors import BadRequest, GenerationError
from generation.explanation import Explanation, Reason
from generation.feedback import FeedbackStore, Vote, default_feedback_path
from generation.lang import get_language
from generation.lang.relabel import label_in, relabel
from generation.verbalizer import default_model_dir
from generation.realize import Realized, generate_styled, realize_many
from kg import KnowledgeGraph
from kg.errors import KGError
from kg.progress import progress
from reasoning import Budget, RankedChain, RuleSet, Scorer, find_chains_many, rank, weight_scorer
from reasoning.calibrate import Calibration, Ranker, cached_ranker
from reasoning.errors import ReasoningError
from reasoning.rank import WEAK_CHAINS

DEFAULT = "default"
SENSITIVE = frozenset({"sensitive"})  # tags hidden unless the shop says the user consented


class _Timed:
    """Wraps a verbalizer to measure model time apart from verification time."""

    def __init__(self, model):
        self.model, self.seconds = model, 0.0

    def generate(self, sources: list[str], n: int, styles: list[int] | None = None) -> list[list[str]]:
        start = time.perf_counter()
        try:  # the per-pair wording style goes through whenever the model takes one
            return generate_styled(self.model, sources, n, styles)
        finally:
            self.seconds += time.perf_counter() - start


class Explainer:
    """Explain recommendations on one graph with one rule set.

    ``verbalizer``: ``"default"`` loads the shipped model (templates when it is absent), ``None``
    says every reason with its rule's template, or pass a loaded model or a checkpoint folder.
    ``scorer``: ``None`` trains one on the graph and calibrates its confidence (seconds, once: both
    are kept in the scorer cache, see reasoning.scorer_cache),
    ``"weights"`` ranks by rule weight (no confidence), a path loads a saved
    :class:`reasoning.calibrate.Ranker`, or pass a Ranker or a :class:`reasoning.Scorer` (with
    ``calibration``, else reasons have no confidence). ``feedback``: where per-user weights
    persist (a path or a FeedbackStore; default: one store per graph in the user's data folder,
    never in the package). ``show_progress``: a bar on stderr for the start-up work (None: on a terminal).
    ``vcache``: how many model inputs to remember (0: none), or a
    :class:`generation.vcache.VerbalizationCache` (e.g. one on disk, shared by processes).
    ``lang``: the language of the reasons ("en", "zh"): the rules' templates in it, its shipped
    model (``"default"``: data/models/verbalizer-zh; templates only, said in each result's notes,
    when there is none), labels in it (a node without one keeps its default label, noted too).
    """

    def __init__(self, graph: KnowledgeGraph, rules, verbalizer: object = DEFAULT, scorer: object = None,
                 feedback: str | os.PathLike[str] | FeedbackStore | None = None, budget: Budget | None = None,
                 n_best: int = 4, calibration: Calibration | None = None, show_progress: bool | None = None,
                 vcache: object = 20_000, lang: str = "en", weak_chains: str = "alone"):
        self.graph, self.rules = graph, rules
        if weak_chains not in WEAK_CHAINS:
            raise BadRequest("E004", f"weak_chains must be one of {', '.join(WEAK_CHAINS)}, not {weak_chains!r}",
                             hint="'alone' (the default) shows a lone weak reason when it scores like a real choice's")
        self.weak_chains = weak_chains
        self.lang = get_language(lang).code  # an unknown language fails here, with the known ones
        self.budget = budget or Budget()
        self.n_best = n_best
        if verbalizer is not None and not hasattr(verbalizer, "generate"):
            with progress(1, "loading the verbalizer", show_progress) as bar:
                self.verbalizer = _load_verbalizer(verbalizer, self.lang)
                bar.update()
        else:
            self.verbalizer = _load_verbalizer(verbalizer, self.lang)
        # a language without its model says every reason with templates, and each result says so
        self._no_model = (f"no {self.lang} model ({default_model_dir(self.lang).name}): reasons said by templates"
                          if self.lang != "en" and self.verbalizer is None and verbalizer == DEFAULT else "")
        self.vcache = _vcache(self.verbalizer, vcache)  # the verbalizer behind a cache of its answers
        ranker = _ranker(graph, rules, scorer, show_progress)
        self.scorer = ranker.scorer
        self.calibration = calibration if calibration is not None else ranker.calibration
        self._feedback = feedback
        self._store: FeedbackStore | None = feedback if isinstance(feedback, FeedbackStore) else None
        self._shown: dict[frozenset[str], RuleSet] = {}

    @property
    def store(self) -> FeedbackStore:
        if self._store is None:
            path = self._feedback or default_feedback_path(self.graph.source)
            self._store = FeedbackStore(path)
        return self._store

    def explain(self, user: str, item: str, k: int = 3, hide_tags: Collection[str] = (),
                consent: bool = False) -> Explanation:
        """Up to ``k`` checked reasons why ``item`` suits ``user`` (ids or IRIs).

        Reasons of rules tagged with any of ``hide_tags`` are never given; neither are those
        tagged ``sensitive`` unless ``consent`` says the user agreed to them.
        """
        return self.explain_many([(check_id(user, "user"), check_id(item, "item"))], k, hide_tags, consent)[0]

    def explain_many(self, pairs: Sequence[tuple[str, str]], k: int = 3, hide_tags: Collection[str] = (),
                     consent: bool | Collection[str] = False) -> list[Explanation]:
        """:meth:`explain` for many pairs, with one batched model call for all of them.

        ``consent``: True or False for every pair, or the ids of the users who consented.
        """
        k, pairs = check_k(k), check_pairs(pairs)
        if isinstance(hide_tags, str):  # a lone tag would hide its letters
            raise BadRequest("E004", f"hide_tags takes a collection of tags, not the string {hide_tags!r}",
                             hint=f"write hide_tags={{{hide_tags!r}}}")
        resolved = [(self._node(u, "user", "E001"), self._node(i, "item", "E002")) for u, i in pairs]
        g = self.graph
        t0 = time.perf_counter()
        shown = [self._rules_shown(hide_tags, _consented(consent, g.key(u))) for u, _ in resolved]
        results = [None] * len(resolved)
        for rules in set(shown):  # one bulk call per distinct rule set (most often one)
            at = [n for n, r in enumerate(shown) if r is rules]
            for n, res in zip(at, find_chains_many(g, rules, [resolved[n] for n in at], self.budget)):
                results[n] = res
        t1 = time.perf_counter()
        ranked: list[list[RankedChain]] = []
        for (u, _), res, rules in zip(resolved, results, shown):
            weights = self.store.weights(g.iri(u), res.user)  # stored by IRI: equal local ids never share
            ranked.append(rank(g, rules, res, self.scorer, k, weights, weak_chains=self.weak_chains))
        t2 = time.perf_counter()
        timed = _Timed(self.vcache or self.verbalizer) if self.verbalizer is not None else None
        flat = [rc.chain for picks in ranked for rc in picks]
        flat, _ = relabel(flat, g, self.lang)  # labels in the asked language (English: as found)
        realized = realize_many(flat, g, self.rules, timed, self.n_best, lang=self.lang) if flat else []
        t3 = time.perf_counter()
        n = max(len(pairs), 1)
        model_s = timed.seconds if timed else 0.0
        timings = (("chains", (t1 - t0) * 1e3 / n), ("ranking", (t2 - t1) * 1e3 / n),
                   ("generation", model_s * 1e3 / n), ("verification", (t3 - t2 - model_s) * 1e3 / n))
        out, cursor = [], 0
        for (_, item), res, picks in zip(resolved, results, ranked):
            texts = realized[cursor:cursor + len(picks)]
            if self.lang != "en":
                picks = [replace(rc, chain=c) for rc, c in zip(picks, flat[cursor:cursor + len(picks)])]
            cursor += len(picks)
            out.append(_explanation(g, self.rules, item, res, picks, texts, timings, self.calibration, self.lang,
                                    self._no_model))
        return out

    def _rules_shown(self, hide_tags: Collection[str], consented: bool) -> RuleSet:
        """The rule set without the rules a hidden tag names (cached: the plans stay compiled)."""
        hidden = frozenset(hide_tags) | (frozenset() if consented else SENSITIVE)
        got = self._shown.get(hidden)
        if got is None:
            plans = tuple(p for p in self.rules.plans if not hidden & set(p.rule.tags))
            got = self._shown[hidden] = self.rules if len(plans) == len(self.rules.plans) else \
                RuleSet(plans, self.rules.source)
        return got

    def rank_items(self, user: str, candidates: Sequence[str], k: int = 3) -> list[Explanation]:
        """``candidates`` re-ranked for ``user`` by their best reason's score, each explained (up to
        ``k`` checked reasons); an item no reason links scores its popularity alone. Ties keep order."""
        nodes = [self._node(c, "item", "E002") for c in candidates]
        found = self.explain_many([(user, c) for c in candidates], k)
        scores = [max((r.score for r in e.reasons), default=self.scorer.baseline(self.graph, n))
                  for e, n in zip(found, nodes)]
        return [found[j] for j in sorted(range(len(found)), key=lambda j: (-scores[j], j))]

    def feedback(self, user: str, reason: Reason, helpful: bool) -> None:
        """Record a vote: the rule and relations behind ``reason`` move for this user only."""
        node = self._node(check_id(user, "user"), "user", "E001")
        key = self.graph.key(node)
        owner = reason.chain.binding("user") if isinstance(reason, Reason) else None
        if owner is None:  # a forged or foreign object: no vote can be traced to its user
            raise GenerationError("E004", "feedback needs a Reason this explainer gave to the user")
        spine = reason.chain.nodes  # the user's own node, when known: equal local ids in two namespaces differ
        if owner.key != key or (spine and spine[0] >= 0 and spine[0] != node):
            raise GenerationError("E004", f"this reason was given to another user, not {key!r}")
        self.store.record(Vote(self.graph.iri(node), reason.rule, reason.relations(), check_helpful(helpful)))

    def _node(self, key: str, role: str, code: str) -> int:
        """The user (item) ``key`` names: looked up among the users (items), so a user and an item
        may share an id ("1" in MovieLens)."""
        try:
            return self.graph.node_of(key, role)
        except KGError as exc:
            if exc.code == "K041":  # several users (items) of different types share the id
                raise GenerationError(code, f"{role} {key!r} is ambiguous: {exc.message}",
                                      hint="give the full IRI, or the 'type/id' form") from None
            message = f"unknown {role} {key!r}" if exc.code == "K040" else exc.message
            raise GenerationError(code, message, hint=exc.hint) from None


def _claim_text(claim) -> str:
    """A verified claim as words ("Glow Serum is by Lumiere"), not the reader's internal record."""
    side = lambda m: "?" if m is None else m.text  # noqa: E731
    return f"{'not ' if claim.negated else ''}{side(claim.subject)} {claim.phrase} {side(claim.object)}"


def _consented(consent: bool | Collection[str], user: str) -> bool:
    if isinstance(consent, bool):
        return consent
    if isinstance(consent, str):  # a lone id would match its letters
        raise BadRequest("E004", f"consent is True, False or a collection of user ids, not {consent!r}")
    return user in consent


def _units(g: KnowledgeGraph, chain) -> tuple[tuple[str, str | None, str | None], ...]:
    """Unit or currency of each value relation in the chain (values on facts included)."""
    names = {f.relation for f in chain.facts if f.is_value} | {k for f in chain.facts for k, _ in f.values}
    out = []
    for name in sorted(names):
        try:
            rel = g.relation(name)
        except KGError:  # a value name the vocabulary does not know: nothing declared for it
            continue
        if rel.unit or rel.currency:
            out.append((name, rel.unit, rel.currency))
    return tuple(out)


def _explanation(g: KnowledgeGraph, rules: RuleSet, item: int, res, picks: list[RankedChain],
                 texts: list[Realized], timings: tuple[tuple[str, float], ...],
                 calibration: Calibration | None, lang: str = "en", no_model: str = "") -> Explanation:
    reasons, dropped = [], 0
    for rc, r in zip(picks, texts):
        if not r.verified:  # an unsupported claim never reaches a user
            dropped += 1
            continue
        v, rule = r.verdict, rules.get(rc.chain.rule)
        reasons.append(Reason(
            r.text, rc.chain.rule, rc.score, True, rc.chain, r.source,
            tuple(_claim_text(s.claim) for s in v.verified), tuple(str(p) for p in v.unsupported),
            tuple(f"{f.subject_label} {f.relation} {f.object_label}" for f in v.unsaid),
            tuple(sorted(rc.contributions.items(), key=lambda kv: -abs(kv[1]))),
            rank=len(reasons) + 1, confidence=None if calibration is None else calibration.probability(rc.score),
            title=rule.heading, description=rule.description, tags=rule.tags, units=_units(g, rc.chain),
            claims=v.claim_spans(), unread=v.problem_spans(), verdict_ok=v.ok, you=get_language(lang).you))
    notes = list(res.notes) + ([no_model] if no_model and reasons else [])
    if dropped:
        notes.append(f"{dropped} reason(s) left out: their sentences could not be verified")
    fell_back = {f.key: f for r in texts if r.verified for f in r.verdict.fallbacks}
    notes += [f"{f.label!r} has no {lang} label: said as the catalog names it" for f in fell_back.values()]
    # the node itself: its source id alone may name several nodes
    item_label = g.label(item) if lang == "en" else label_in(g, item, lang)[0]
    message = "" if reasons else (
        f"no rule links this user to {item_label!r}; whyrec does not invent a reason" if not res.count else
        "chains were found but no sentence could be verified" if picks else
        "only weak links were found (through something most of the catalog shares, or a product of another "
        "department), and none scores like the weak link of a real choice: whyrec shows none "
        "(weak_chains='always' shows the best of them)")
    return Explanation(res.user, res.item, item_label, tuple(reasons), message, res.truncated, res.timed_out,
                       tuple(notes), timings, calibration)


def _load_verbalizer(spec: object, lang: str = "en"):
    if spec is None:
        return None
    if isinstance(spec, (str, Path)):
        from generation.verbalizer import Verbalizer, check_lang
        if spec == DEFAULT:
            directory = default_model_dir(lang)
            if not (directory / "config.json").exists():
                return None
            check_lang(directory, lang)
            return Verbalizer.load(directory)
        check_lang(spec, lang)  # a model of another language is refused (V014), never asked for this one's sentences
        return Verbalizer.load(spec)
    if not hasattr(spec, "generate"):
        raise BadRequest("E004", "verbalizer must be 'default', None, a folder or an object with generate()")
    return spec


def _vcache(model, spec: object):
    from generation.vcache import VerbalizationCache
    if model is None or isinstance(spec, VerbalizationCache):
        return spec if model is not None else None
    if not isinstance(spec, int) or isinstance(spec, bool) or spec < 0:
        raise GenerationError("E004", "vcache must be a number of entries (0: none) or a VerbalizationCache")
    return VerbalizationCache(model, max_entries=spec) if spec else None


def _ranker(graph: KnowledgeGraph, rules, spec: object, show: bool | None) -> Ranker:
    if isinstance(spec, Ranker):
        return spec
    if isinstance(spec, Scorer):
        return Ranker(spec)
    if spec == "weights":
        return Ranker(weight_scorer("asked for rule weights"))
    if isinstance(spec, (str, Path)):
        return Ranker.load(spec)
    if spec is not None:
        raise BadRequest("E004", "scorer must be None, 'weights', a path, a Ranker or a reasoning.Scorer")
    try:
        return cached_ranker(graph, rules, show=show)  # trained once per graph and rule set
    except ReasoningError as exc:  # a graph with nothing to learn from still explains, by weight
        return Ranker(weight_scorer(f"training failed: {exc}"))
