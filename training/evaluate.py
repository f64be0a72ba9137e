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

import re
import statistics
import time
from collections.abc import Sequence
from typing import Any

from generation.decoding import NO_SPACES
from generation.linearize import refill
from generation.realize import realize
from generation.templates import tidy
from generation.verify import verify
from training.corpus import Example, on_graph
from training.synth import names_graph


# a space between two CJK characters (ideographs, kana, full-width forms, CJK punctuation)
CJK_SPACE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]\s+"
                       r"[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _graph_for(example: Example, graph) -> Any:
    return graph if on_graph(example.origin) else names_graph()


def _distinct_2(texts: Sequence[str], lang: str = "en") -> float:
    """Distinct word pairs (character pairs in a language written without spaces) over all pairs."""
    units = [list(t.lower()) if lang in NO_SPACES else t.lower().split() for t in texts]
    grams = [tuple(u[k:k + 2]) for u in units for k in range(max(0, len(u) - 1))]
    return len(set(grams)) / len(grams) if grams else 0.0


def _verify(text: str, chains, graph, rules, lang: str):
    return verify(text, chains, graph, rules) if lang == "en" else verify(text, chains, graph, rules, lang=lang)


def _fallback(chains, graph, rules, variant: int, lang: str) -> tuple[str, Any]:
    """What the explainer says when no beam verifies: the rule's template (generation.realize); in
    another language, each chain's template in that language (or its generic sentence), joined."""
    if lang == "en":
        r = realize(list(chains), graph, rules, None, variant=variant)
        return r.text, r.verdict
    from generation.templates import realize_template
    from training.compose_zh import join_spaceless

    text = join_spaceless([realize_template(c, rules, graph, variant=variant, lang=lang) for c in chains], variant, lang)
    return text, _verify(text, chains, graph, rules, lang)


def evaluate(verbalizer, examples: Sequence[Example], graph, rules, n: int = 4, batch_size: int = 32,
             latency_samples: int = 20, max_new_tokens: int = 96) -> dict[str, Any]:
    """Metrics of ``verbalizer`` on ``examples`` (their chains, styles and reference targets)."""
    import sacrebleu

    lang = getattr(verbalizer, "lang", "en")
    start = time.perf_counter()
    beams = verbalizer.generate([e.source.split(" | ", 1)[1] for e in examples], n=n, max_new_tokens=max_new_tokens,
                                styles=[e.style for e in examples], batch_size=batch_size)
    ms_batched = 1000 * (time.perf_counter() - start) / max(1, len(examples))
    rows: list[dict[str, Any]] = []
    for e, nbest in zip(examples, beams):
        slots, g = dict(e.slots), _graph_for(e, graph)
        final, source, top1 = None, "template", False
        for k, beam in enumerate(nbest):
            text = tidy(refill(beam, slots), lang) if lang != "en" else tidy(refill(beam, slots))
            verdict = _verify(text, e.chains, g, rules if on_graph(e.origin) else None, lang)
            if verdict.ok:
                final, source, top1 = (text, verdict), "model", k == 0
                break
        if final is None:
            final = _fallback(e.chains, g, rules if on_graph(e.origin) else None, e.style, lang)
        text, verdict = final
        facts = sum(len(c.facts) for c in e.chains)
        rows.append({"origin": e.origin, "model": source == "model", "top1": top1, "ok": verdict.ok,
                     "unsaid": len(verdict.unsaid) / max(1, facts), "text": text,
                     "model_text": (tidy(refill(nbest[0], slots), lang) if lang != "en" else tidy(refill(nbest[0], slots)))
                if nbest else "",
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
                "bleu": round(sacrebleu.corpus_bleu(said, [[r["ref"] for r in part]],
                                                    tokenize="zh" if lang == "zh" else "13a").score, 2),
                "chrf": round(sacrebleu.corpus_chrf(said, [[r["ref"] for r in part]]).score, 2),
                "unique_ratio": len(set(texts)) / k,
                "unique_slot_ratio": len({r["slot_text"] for r in part}) / k,
                "distinct_2": _distinct_2(texts, lang),
                "cjk_spaced": sum(bool(CJK_SPACE.search(t)) for t in texts)}

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

    lang = getattr(verbalizer, "lang", "en")
    if lang != "en":
        return _pairs_in(verbalizer, pairs, graph, rules, n, lang)
    batch = [list(chains[:1]) for _, _, chains in pairs]
    out = realize_many(batch, graph, rules, verbalizer, n_best=n)
    texts = [r.text for r in out]
    k = max(1, len(out))
    return {"n": len(out), "model_share": sum(r.source == "model" for r in out) / k,
            "verified": sum(r.verified for r in out) / k, "unique_ratio": len(set(texts)) / k,
            "distinct_2": _distinct_2(texts)}


def _pairs_in(verbalizer, pairs: Sequence[tuple[str, str, Sequence[Any]]], graph, rules, n: int, lang: str
              ) -> dict[str, Any]:
    """evaluate_pairs in a language other than English: each pair's first chain, its source in that
    language, the first of n beams that language's reader verifies, else the fallback."""
    from generation.lang.relabel import relabel
    from generation.verbalizer import source_for, style_for

    # the reader reads a chain with its labels in the language (so does the sentence, through its slots)
    pairs = [(user, item, tuple(relabel(list(chains[:1]), graph, lang)[0])) for user, item, chains in pairs]
    lins = [source_for(list(chains), item, user, graph.vocab, lang=lang, graph=graph) for user, item, chains in pairs]
    beams = verbalizer.generate([x.source for x in lins], n=n, styles=[style_for(u, i) for u, i, _ in pairs])
    texts, model, ok = [], 0, 0
    for (user, item, chains), lin, nbest in zip(pairs, lins, beams):
        for beam in nbest:
            text = tidy(refill(beam, lin.slots), lang)
            verdict = _verify(text, chains[:1], graph, rules, lang)
            if verdict.ok:
                model += 1
                break
        else:
            text, verdict = _fallback(chains[:1], graph, rules, style_for(user, item), lang)
        texts.append(text)
        ok += verdict.ok
    k = max(1, len(texts))
    return {"n": len(texts), "model_share": model / k, "verified": ok / k, "unique_ratio": len(set(texts)) / k,
            "distinct_2": _distinct_2(texts, lang), "cjk_spaced": sum(bool(CJK_SPACE.search(t)) for t in texts)}
