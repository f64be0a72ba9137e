"""The English sentences of the demo as data: every template variant, the generic sentence, the
model input, and the verifier's verdicts on those sentences and on a fixed set of refused ones.

The language layer (generation/lang/) moved English out of phrasing.py, labels.py and templates.py;
this file pins the output it must keep byte for byte (tests/generation/test_golden_en.py).
Regenerate only on purpose: ``python -m tests.generation.golden_en`` (writes golden/en_demo.jsonl).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "en_demo.jsonl"
PAIRS, SEED = 200, 15
# Sentences the verifier must go on refusing the same way (each said about the pair's first chain).
_BROKEN = ("{s} Actually, it is not great.", "You never bought anything.", "{s} Buy it now!",
           "{s} {s}", "Nobody likes {item}.", "12 shoppers bought {item}.")


def _verdict(v) -> dict:
    return {"ok": v.ok, "reasons": list(v.reasons), "unsaid": len(v.unsaid),
            "claims": [[s.start, s.end] for s in v.claim_spans()]}


def records(graph, rules) -> list[dict]:
    from generation.templates import fill_template, realize_chain_generic, realize_template
    from generation.verbalizer import source_for
    from generation.verify import verify
    from reasoning import find_chains

    rng = random.Random(SEED)
    users, items = sorted(graph.users()), sorted(graph.items())
    out: list[dict] = []
    for _ in range(PAIRS):
        user, item = rng.choice(users), rng.choice(items)
        chains = find_chains(graph, rules, user, item).chains[:3]
        rec: dict = {"user": user, "item": item, "chains": []}
        for c in chains:
            plan = rules.plan(c.rule)
            says = plan.rule.says
            texts = [realize_template(c, rules, graph, v) for v in range(len(says) or 1)]
            filled = [fill_template(t, c, plan=plan, rule=plan.rule, graph=graph) for t in says]
            filled = [None if f is None else f == t for f, t in zip(filled, texts)]  # same as realized?
            generic = [realize_chain_generic(c, graph, v) for v in range(3)]
            said = list(dict.fromkeys(t for t in texts + generic if t))
            rec["chains"].append({"rule": c.rule, "templates": texts, "filled": filled, "generic": generic,
                                  "source": source_for([c], item, user, graph.vocab).source,
                                  "verdicts": [_verdict(verify(t, [c], graph, rules)) for t in said]})
        if chains:
            first = rec["chains"][0]["templates"][0]
            label = graph.label(graph.node(item))
            broken = [b.format(s=first, item=label) for b in _BROKEN]
            rec["broken"] = [_verdict(verify(t, chains[:1], graph, rules)) for t in broken]
        out.append(rec)
    return out


def dump(recs: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in recs)


if __name__ == "__main__":
    from kg import load_graph
    from reasoning import load_rules

    root = HERE.parents[1]
    g = load_graph(root / "data" / "demo")
    text = dump(records(g, load_rules(root / "data" / "rules" / "default.yaml", g)))
    GOLDEN.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(text)} characters)", file=sys.stderr)
