"""The rule studio's work on the server: the vocabulary for its dropdowns, checks, previews, saves.

Everything here reads the service's graph under the service's lock (the matcher's caches are
per graph). The vocabulary is read once at start: what each relation links in this data, the
values each carries, and the names of the things a condition may compare with (never users).
"""
from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from kg.vocab import snake
from reasoning.conditions import table
from reasoning.errors import Problem
from reasoning.expect import ExpectResult, run_expects
from reasoning.lint import lint
from reasoning.ruleset import RuleSet, check_rules
from reasoning.signatures import Signatures, signatures
from reasoning.stats import RuleStats, StatsReport, rule_stats
from reasoning.vocab_export import vocab_report
from whyrec.serve.outline import outline
from whyrec.serve.preview import preview, to_json
from whyrec.serve.problems import ProblemError, problem_dict
from whyrec.serve.service import Service

MAX_NAMES = 500  # names offered per type in a condition's dropdown
STATS_USERS = 50  # users sampled to measure coverage, support and confidence (reasoning.stats)


class Studio:
    def __init__(self, svc: Service):
        self.svc = svc
        with svc.lock:
            self.sig: Signatures = signatures(svc.graph)
            self.vocab: dict[str, Any] = studio_vocab(svc, self.sig)
        self._saved: dict[tuple[str, str, int], dict[str, Any] | None] = {}

    @property
    def file(self) -> str:
        return self.svc.rules_path.name

    def check(self, text: str) -> dict[str, Any]:
        with self.svc.lock:
            plans, problems = check_rules(self.file, self.svc.graph, text=text)
            warnings = lint(self.svc.graph, plans, self.sig)
        return {"ok": not problems, "problems": [problem_dict(p) for p in problems],
                "warnings": [problem_dict(w) for w in warnings], "rules": [o.to_dict() for o in outline(text)],
                "valid": [p.rule.id for p in plans]}

    def preview(self, text: str, rule_id: str | None, n: int, seed: int, use_model: bool) -> dict[str, Any]:
        start = time.perf_counter()
        svc = self.svc
        with svc.lock:
            plans, problems = check_rules(self.file, svc.graph, text=text)
            rules = outline(text)
            rid = rule_id or (rules[0].id if rules else None)
            plan = next((p for p in plans if p.rule.id == rid), None)
            if plan is None:
                lines = _block(rules, rid)
                mine = [problem_dict(p) for p in problems if lines[0] <= p.line < lines[1]]
                raise ProblemError("R003", f"rule {rid!r} cannot be previewed until its problems are fixed"
                                   if rid in {r.id for r in rules} else f"no rule {rid!r} in the file", 422,
                                   "fix the problems shown at their lines", {"problems": mine})
            sample, matches = preview(svc.graph, plan, n, seed, svc.explainer.verbalizer if use_model else None)
            t_preview = time.perf_counter() - start
            now = _stats(svc, plan, seed)
            saved = self._saved_stats(plan.rule.id, seed)
            lines = _block(rules, rid)
            warnings = [problem_dict(w) for w in lint(svc.graph, plans, self.sig) if lines[0] <= w.line < lines[1]]
        return {"rule": rid, **to_json(sample, matches), "stats": now, "saved": saved, "warnings": warnings,
                "model": use_model and svc.explainer.verbalizer is not None,
                "seconds": round(time.perf_counter() - start, 3), "preview_seconds": round(t_preview, 3)}

    def _saved_stats(self, rid: str, seed: int) -> dict[str, Any] | None:
        text, digest = self.svc.read_rules()
        key = (digest, rid, seed)
        if key not in self._saved:
            plans, _ = check_rules(self.file, self.svc.graph, text=text)
            plan = next((p for p in plans if p.rule.id == rid), None)
            self._saved[key] = _stats(self.svc, plan, seed) if plan is not None else None
        return self._saved[key]

    def ready_to_save(self, text: str) -> tuple[RuleSet | None, list[Problem], list[ExpectResult]]:
        """The rules a save would serve, or the problems and failing examples that refuse it."""
        with self.svc.lock:
            plans, problems = check_rules(self.file, self.svc.graph, text=text)
            if problems:
                return None, problems, []
            rules = RuleSet(tuple(plans), str(self.svc.rules_path))
            failed = [r for r in run_expects(self.svc.graph, rules) if not r.passed]
        return rules, [], failed

    def saved(self) -> None:
        self._saved.clear()


def _block(rules, rid: str | None) -> tuple[int, int]:
    """Lines [first, next rule's first) of a rule in the file."""
    starts = [r.line for r in rules]
    for k, r in enumerate(rules):
        if r.id == rid:
            return r.line, starts[k + 1] if k + 1 < len(starts) else 10 ** 9
    return 0, 0


def _stats(svc: Service, plan, seed: int) -> dict[str, Any]:
    report = rule_stats(svc.graph, RuleSet((plan,)), users=STATS_USERS, seed=seed)
    row = report.rows[0]
    return {"users": row.users, "pairs": row.pairs, "support": row.support,
            "confidence": None if math.isnan(row.confidence) else round(row.confidence, 4),
            "n_users": report.n_users, "n_pairs": report.n_pairs,
            "baseline": None if math.isnan(report.baseline) else round(report.baseline, 4),
            "words": stats_words(row, report)}


def stats_words(row: RuleStats, report: StatsReport) -> str:
    """Coverage, support and confidence as a person would say them."""
    if not report.n_pairs:
        return "cannot be measured: no shopper has two purchases to hold one out"
    if not row.pairs:
        return f"fires for none of {report.n_users} shoppers tested on {report.n_pairs} items"
    odds = round(1 / row.confidence) if row.confidence > 0 else 0
    conf = f"1 in {odds}" if odds else "none"
    rand = round(1 / report.baseline) if report.baseline > 0 else 0
    return (f"fires for {row.users} of {report.n_users} shoppers; it would have explained {row.support} of "
            f"their {report.n_users} next purchases; when it fires, {conf} of its items is the one they bought "
            f"next (a random pick: 1 in {rand})")


def studio_vocab(svc: Service, sig: Signatures) -> dict[str, Any]:
    g = svc.graph
    report = vocab_report(g).to_dict()
    private = set(sig.user_types)
    names: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    node_class = g.parts.node_class
    for k, iri in enumerate(g.parts.classes):  # one vector pass per type, not a Python loop per node
        nodes = np.flatnonzero(node_class == k)
        t = g.vocab.class_name(iri)
        counts[t] = counts.get(t, 0) + len(nodes)
        if t not in private:
            names.setdefault(t, []).extend(g.label(int(n)) for n in nodes[:MAX_NAMES].tolist())
    report.update({
        "links": [{"relation": rel, "subject": s, "object": o, "count": c}
                  for rel, pairs in sig.links.items() for (s, o), c in sorted(pairs.items())],
        "values": {name: {"kind": v.kind, "owners": list(v.owners), "min": v.minimum, "max": v.maximum,
                          "texts": list(v.texts)} for name, v in sig.node_values.items()},
        "fact_value_kinds": {rel: {name: {"kind": v.kind, "min": v.minimum, "max": v.maximum, "texts": list(v.texts)}
                                   for name, v in found.items()} for rel, found in sig.fact_values.items() if found},
        "types": {t: {"count": c, "var": snake(t), "names": sorted(set(names.get(t, [])))} for t, c in counts.items()},
        "user_types": sorted(sig.user_types), "item_types": sorted(sig.item_types),
        "operators": table(), "file": svc.rules_path.name})
    return report
