"""The Chinese corpus of the demo catalog (its rules' chains and walks said with the Chinese phrase
tables and templates, kept only when the Chinese reader verifies them), and the shipped Chinese
model's sentences on demo pairs, verified by that reader."""
from functools import lru_cache
from pathlib import Path

import pytest

from generation.linearize import refill
from generation.verbalizer import default_model_dir
from training.config import TINY

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_ZH = default_model_dir("zh")


@lru_cache(maxsize=1)
def demo_zh():
    from kg import load_graph
    from reasoning.ruleset import load_rules
    from training.corpus import build_corpus

    graph = load_graph(ROOT / "data" / "demo")
    rules = load_rules(ROOT / "data" / "rules" / "default.yaml", graph)
    return graph, rules, build_corpus(graph, rules, TINY.replace(lang="zh", corpus_size=48, heldout_size=12))


def test_the_chinese_corpus_is_verified_chinese_without_spaces():
    from generation.verify import verify

    graph, rules, corpus = demo_zh()
    examples = corpus.train + corpus.dev + corpus.heldout
    assert len(corpus.train) >= 20 and corpus.stats.verifier == "generation.verify(zh)"
    for e in examples:
        text = refill(e.target, dict(e.slots))
        assert not any(c.isspace() for c in e.target) and e.target.endswith("。"), e.target
        assert any("\u4e00" <= c <= "\u9fff" for c in e.target)
        assert verify(text, e.chains, graph, rules if e.origin in ("graph", "graph-pairs") else None, lang="zh").ok
    # names come from slots: the Chinese labels of the demo, copied exactly
    assert any(any("\u4e00" <= c <= "\u9fff" for c in label) for e in examples for _, label in e.slots)


def test_a_chinese_corpus_needs_the_catalog():
    from generation.errors import VerbalizerError
    from training.corpus import build_corpus

    graph, rules, _ = demo_zh()
    with pytest.raises(VerbalizerError) as err:
        build_corpus(graph, rules, TINY.replace(lang="zh", synthetic="domains"))
    assert err.value.code == "V012" and "English" in str(err.value)


@pytest.mark.skipif(not (SHIPPED_ZH / "model.safetensors").exists(), reason="data/models/verbalizer-zh is absent")
def test_shipped_chinese_model_says_demo_pairs_it_never_saw_and_they_verify(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import torch

    from generation.lang.relabel import relabel
    from generation.templates import tidy
    from generation.verbalizer import Verbalizer, source_for, style_for
    from generation.verify import verify
    from training.config import TrainConfig
    from training.corpus import build_corpus

    torch.set_num_threads(1)
    graph, rules, _ = demo_zh()
    v = Verbalizer.load(lang="zh")
    assert v.lang == "zh" and v.n_params < 3_000_000
    assert sum(f.stat().st_size for f in SHIPPED_ZH.iterdir()) <= 30 * 2**20
    assert not any(f.suffix in (".bin", ".pt", ".pkl") for f in SHIPPED_ZH.iterdir())
    config = TrainConfig.load(SHIPPED_ZH / "train_config.json")
    pairs = build_corpus(graph, rules, config.replace(heldout_size=40), heldout_only=True).heldout_pairs[:20]
    chains = [relabel([cs[0]], graph, "zh")[0][0] for _, _, cs in pairs]
    lins = [source_for([c], i, u, graph.vocab, lang="zh", graph=graph) for (u, i, _), c in zip(pairs, chains)]
    beams = v.generate([x.source for x in lins], n=4, styles=[style_for(u, i) for u, i, _ in pairs])
    said = 0
    for chain, lin, nbest in zip(chains, lins, beams):
        texts = [tidy(refill(b, lin.slots), "zh") for b in nbest]
        assert not any(c.isspace() for b in nbest for c in b)
        said += any(verify(t, [chain], graph, rules, lang="zh").ok for t in texts)
    assert len(pairs) >= 10 and said >= 0.9 * len(pairs)
