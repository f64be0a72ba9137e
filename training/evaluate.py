"""How good is a verbalizer: verified shares, unsaid facts, BLEU/chrF, variety and speed, as a dict.

On held-out examples (training/corpus.py: shapes and relation combinations never trained on,
names never seen, graph pairs never trained on) each source gets n-best sentences; the first one
the verifier accepts is the model's sentence, else the rule's template is said (generation.realize)
-- the same choice the explainer makes. Reported per origin and overall:

- ``model_verified``: share of sources with a verified model sentence, before any fallback
- ``top1_verified``: share whose best beam verified; ``verified_after_fallback``: share verified in the end
- ``unsaid_facts``: mean share of chain facts the final sentence leaves unsaid
- ``bleu`` / ``chrf``: the model's best sentence (before any fallback) against the corpus references
- ``unique_ratio`` / ``unique_slot_ratio`` / ``distinct_2``: variety of the final text / of the slot-level
  model output (sentence shapes) / word pairs of the final text
- ``exact_top1``: the best beam equals the reference wording for its style
- ``latency``: ``ms_alone_p50`` (one source, n-best) and ``ms_batched`` (per source, batches of 32)
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from generation.linearize import refill
from generation.realize import realize
from generation.templates import tidy
from generation.verify import verify
from training.corpus import Example, on_graph
from training.synth import names_graph


def _graph_for(example: Example, graph) -> Any:
    return graph if on_graph(example.origin) else names_graph()


def _distinct_2(texts: Sequence[str]) -> float:
    grams = [tuple(t.lower().split()[k:k + 2]) for t in texts for k in range(max(0, len(t.split()) - 1))]
    return len(set(grams)) / len(grams) if grams else 0.0


def evaluate(verbalizer, examples: Sequence[Example], graph, rules, n: int = 4, batch_size: int = 32,
             latency_samples: int = 20, max_new_tokens: int = 96) -> dict[str, Any]:
    """Metrics of ``verbalizer`` on ``examples`` (their chains, styles and reference targets)."""
    import sacrebleu

    start = time.perf_counter()
    beams = verbalizer.generate([e.source.split(" | ", 1)[1] for e in examples], n=n, max_new_tokens=max_new_tokens,
                                styles=[e.style for e in examples], batch_size=batch_size)
    ms_batched = 1000 * (time.perf_counter() - start) / max(1, len(examples))
    rows: list[dict[str, Any]] = []
    for e, nbest in zip(examples, beams):
        slots, g = dict(e.slots), _graph_for(e, graph)
        final, source, top1 = None, "template", False
        for k, beam in enumerate(nbest):
            text = tidy(refill(beam, slots))
            verdict = verify(text, e.chains, g, rules if on_graph(e.origin) else None)
            if verdict.ok:
                final, source, top1 = (text, verdict), "model", k == 0
                break
        if final is None:
            r = realize(list(e.chains), g, rules if on_graph(e.origin) else None, None, variant=e.style)
            final = (r.text, r.verdict)
        text, verdict = final
        facts = sum(len(c.facts) for c in e.chains)
        rows.append({"origin": e.origin, "model": source == "model", "top1": top1, "ok": verdict.ok,
                     "unsaid": len(verdict.unsaid) / max(1, facts), "text": text,
                     "model_text": tidy(refill(nbest[0], slots)) if nbest else "",
                     "ref": refill(e.target, slots), "slot_text": nbest[0] if nbest else "",
                     "exact": bool(nbest) and nbest[0] == e.target})
    alone = []
    for e in examples[:latency_samples]:
        t = time.perf_counter()
        verbalizer.generate([e.source.split(" | ", 1)[1]], n=n, styles=[e.style], max_new_tokens=max_new_tokens)
        alone.append(1000 * (time.perf_counter() - t))

    def summary(part: list[dict[str, Any]]) -> dict[str, Any]:
        if not part:
            return {"n": 0}
        texts = [r["text"] for r in part]
        said = [r["model_text"] for r in part]  # BLEU/chrF judge the model's own best sentence
        k = len(part)
        return {"n": k,
                "model_verified": sum(r["model"] for r in part) / k,
                "top1_verified": sum(r["top1"] for r in part) / k,
                "verified_after_fallback": sum(r["ok"] for r in part) / k,
                "exact_top1": sum(r["exact"] for r in part) / k,
                "unsaid_facts": sum(r["unsaid"] for r in part) / k,
                "bleu": round(sacrebleu.corpus_bleu(said, [[r["ref"] for r in part]]).score, 2),
                "chrf": round(sacrebleu.corpus_chrf(said, [[r["ref"] for r in part]]).score, 2),
                "unique_ratio": len(set(texts)) / k,
                "unique_slot_ratio": len({r["slot_text"] for r in part}) / k,
                "distinct_2": _distinct_2(texts)}

    result: dict[str, Any] = {"overall": summary(rows)}
    for origin in sorted({r["origin"] for r in rows}):
        result[origin] = summary([r for r in rows if r["origin"] == origin])
    result["latency"] = {"ms_alone_p50": statistics.median(alone) if alone else None,
                         "ms_batched": ms_batched, "n_best": n, "batch_size": batch_size}
    result["failures"] = [{"origin": r["origin"], "model_top1": r["slot_text"], "reference": r["ref"]}
                          for r in rows if not r["model"]][:20]
    return result


def evaluate_pairs(verbalizer, pairs: Sequence[tuple[str, str, Sequence[Any]]], graph, rules, n: int = 4
                   ) -> dict[str, Any]:
    """End to end on graph pairs, as the explainer runs it (generation.realize with per-pair styles):
    the share said by the model and the variety of what users would read."""
    from generation.realize import realize_many

    batch = [list(chains[:1]) for _, _, chains in pairs]
    out = realize_many(batch, graph, rules, verbalizer, n_best=n)
    texts = [r.text for r in out]
    k = max(1, len(out))
    return {"n": len(out), "model_share": sum(r.source == "model" for r in out) / k,
            "verified": sum(r.verified for r in out) / k, "unique_ratio": len(set(texts)) / k,
            "distinct_2": _distinct_2(texts)}
