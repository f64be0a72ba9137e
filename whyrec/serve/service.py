"""What the service holds: the graph, the rules and the explainer, loaded once at start.

Every call into the packages below (matching, ranking, the model, previews) runs under one
lock: their caches are per graph, not per thread, and one worker doing one thing at a time is
what the benchmarks measure. Explanations come in through a :class:`Batcher`, so clients that
ask at the same moment share one batched model call.
"""
from __future__ import annotations

import hashlib
import stat
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generation.explain import DEFAULT, Explainer
from generation.explanation import Explanation
from kg import KnowledgeGraph, load_graph
from kg.errors import KGError, Where
from kg.store import atomic_write_text
from reasoning import RuleSet, load_rules
from reasoning.match import Budget
from whyrec.serve.batcher import Batcher
from whyrec.serve.limits import LOOPBACK_NAMES, Limits
from whyrec.serve.security import Keys

MAX_RULE_FILE = 2_000_000  # bytes: a rule file is text an expert wrote


@dataclass(frozen=True)
class ServeConfig:
    graph: str
    rules: str
    host: str = "127.0.0.1"
    port: int = 8000
    templates: bool = False  # say every reason with its rule's template (no model)
    model: str | None = None  # a verbalizer checkpoint folder (default: the shipped one)
    scorer: str | None = None  # None: train one on the graph at start; "weights": rank by rule weight
    feedback: str | None = None  # where votes persist (default: beside the graph)
    token: str | None = None  # the write token (default: WHYREC_TOKEN, else a random one)
    limits: Limits = field(default_factory=Limits)
    search_seconds: float | None = None  # wall time for one pair's chain search (default: Budget's)

    @property
    def allowed_hosts(self) -> frozenset[str] | None:
        """Host names a request may use: loopback names when bound to loopback, else any."""
        if self.host in LOOPBACK_NAMES:
            return LOOPBACK_NAMES
        return None if self.host in ("0.0.0.0", "::") else frozenset({self.host.lower()}) | LOOPBACK_NAMES


class Service:
    """The loaded state behind every endpoint."""

    def __init__(self, config: ServeConfig):
        start = time.perf_counter()
        self.config = config
        self.keys = Keys.make(config.token)
        self.graph: KnowledgeGraph = load_graph(config.graph)
        self.rules_path = Path(config.rules)
        self.rules: RuleSet = load_rules(self.rules_path, self.graph)
        self.lock = threading.Lock()
        self._saving = threading.Lock()
        self.reloads = 0  # rule files taken in since start (/healthz)
        self.explainer = self._explainer(self.rules, None if config.templates else (config.model or DEFAULT))
        self.explainers: dict[str, Explainer] = {"en": self.explainer}  # other languages: loaded when first asked
        self.batcher = Batcher(self._explain_many, max_pairs=max(config.limits.max_pairs, 64))
        self.load_seconds = time.perf_counter() - start
        self.started = time.time()

    def _explainer(self, rules: RuleSet, verbalizer: object, lang: str = "en") -> Explainer:
        scorer = "weights" if self.config.scorer == "weights" else self.config.scorer
        budget = None if self.config.search_seconds is None else Budget(seconds=self.config.search_seconds)
        return Explainer(self.graph, rules, verbalizer=verbalizer, scorer=scorer, feedback=self.config.feedback,
                         lang=lang, budget=budget)

    def _for(self, lang: str) -> Explainer:
        """The explainer of a language (under the lock): its own model (the shipped one of that
        language; templates with --templates or when there is none), the same rules and ranker."""
        ex = self.explainers.get(lang)
        if ex is None:
            model = None if self.config.templates or self.config.model else DEFAULT  # --model is one language's
            ex = self.explainers[lang] = self._explainer(self.rules, model, lang)
        return ex

    def _explain_many(self, pairs: Sequence[tuple[str, str]], key: tuple[int, str]) -> list[Explanation]:
        k, lang = key
        with self.lock:
            return self._for(lang).explain_many(pairs, k)

    async def explain(self, pairs: Sequence[tuple[str, str]], k: int, lang: str = "en") -> list[Explanation]:
        """Explanations of ``pairs`` in ``lang`` (a code generation.lang knows: check it first)."""
        return await self.batcher.submit(pairs, (k, lang))

    def read_rules(self) -> tuple[str, str]:
        """The rule file as it is on disk now, and its SHA-256 (what a save must start from)."""
        data = read_rule_bytes(self.rules_path)
        return data.decode("utf-8", "replace"), sha(data)

    def save_rules(self, text: str, rules: RuleSet) -> str:
        """Write the file atomically, then explain with the new rules once the ranker has learned them
        (in the background: answers keep coming from the old rules until then). Returns the new SHA."""
        with self._saving:  # two saves at once: one file after the other, never interleaved
            atomic_write_text(self.rules_path, text)
        threading.Thread(target=self._reload, args=(rules,), name="whyrec-reload", daemon=True).start()
        return sha(text.encode("utf-8"))

    def _reload(self, rules: RuleSet) -> None:
        # the ranker learns from the rules' chains: train it again, keep the loaded model
        with self.lock:
            self.explainer = self._explainer(rules, self.explainer.verbalizer)
            self.explainers = {"en": self.explainer} | {
                lang: self._explainer(rules, ex.verbalizer, lang) for lang, ex in self.explainers.items() if lang != "en"}
            self.rules = rules
            self.reloads += 1


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_rule_bytes(path: Path) -> bytes:
    """The bytes of a rule file, checked to be a regular file of a sane size first."""
    try:
        st = path.stat()
    except OSError as exc:
        raise KGError("K001", f"cannot read the rule file ({exc.strerror})", Where(str(path))) from None
    if not stat.S_ISREG(st.st_mode):
        raise KGError("K001", "the rule file is not a regular file", Where(str(path)))
    if st.st_size > MAX_RULE_FILE:
        raise KGError("K006", f"the rule file is {st.st_size} bytes, over {MAX_RULE_FILE}", Where(str(path)))
    return path.read_bytes()
