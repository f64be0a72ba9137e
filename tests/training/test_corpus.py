"""The corpus: every target verified, styles deterministic, held-out shapes and names kept out of training."""
import random

from generation.linearize import refill
from generation.verify import verify
from tests.training.tiny import tiny_catalog_corpus, tiny_corpus
from training.compose import join, namer
from training.config import TINY
from training.corpus import build_corpus, on_graph
from training.synth import (HELD_OUT_RELATIONS, HELD_OUT_USER_RELATIONS, ITEM, NAMES_HELD_OUT, NAMES_TRAIN, USER, Shape, has_unseen_family, make_chain,
                            names_graph, signature)


def test_every_target_is_verified_and_slot_level():
    graph, _, corpus = tiny_corpus()
    assert corpus.train and corpus.dev and corpus.heldout
    for e in corpus.train + corpus.dev + corpus.heldout:
        g = graph if on_graph(e.origin) else names_graph()
        text = refill(e.target, dict(e.slots))
        assert "<" not in text, e.target
        assert verify(text, e.chains, g).ok, (e.source, text)
        assert e.source.startswith(f"style {e.style} | why <ITEM>")


def test_both_sources_of_chains_are_used():
    _, _, corpus = tiny_corpus()
    origins = {e.origin for e in corpus.train}
    assert origins == {"graph", "synthetic"}
    assert any("walk" in e.shape.split("+") for e in corpus.train)
    assert {"heldout-family", "heldout-shape", "heldout-names", "heldout-relation"} <= {e.origin for e in corpus.heldout}
    said = [e.source for e in corpus.heldout if e.origin == "heldout-relation"]
    # a catalog's own phrase (an attribute or a user relation) reaches the model input
    assert said and all("is made in" in s or "you borrowed" in s for s in said)
    assert any("you borrowed" in s for s in said) and any("is made in" in s for s in said)


def test_held_out_shapes_and_names_never_reach_training():
    graph, rules, corpus = tiny_corpus()
    held = {e.shape for e in corpus.heldout if e.origin in ("heldout-shape", "heldout-family")}
    held_sigs = {signature(c) for e in corpus.heldout if e.origin in ("heldout-shape", "heldout-family")
                 for c in e.chains}
    assert held and held_sigs
    pool = {n for names in NAMES_HELD_OUT.values() for n in names}
    for e in corpus.train + corpus.dev:
        assert not {signature(c) for c in e.chains} & held_sigs, e.source
        assert not any(has_unseen_family(c) for c in e.chains)
        assert not any(f.relation in HELD_OUT_RELATIONS + HELD_OUT_USER_RELATIONS for c in e.chains for f in c.facts)
        if e.origin == "synthetic":
            assert not {label for _, label in e.slots} & pool


def test_the_corpus_is_reproducible_and_heldout_can_be_rebuilt_alone():
    graph, rules, corpus = tiny_corpus()
    again = build_corpus(graph, rules, TINY.replace(synthetic="domains"))
    assert again.train == corpus.train and again.heldout == corpus.heldout
    alone = build_corpus(graph, rules, TINY.replace(synthetic="domains"), heldout_only=True)
    assert alone.heldout == corpus.heldout and not alone.train


def test_namer_says_values_as_their_slots():
    from generation.verbalizer import source_for

    chain = make_chain(Shape("shared", ("rated", "brand")), random.Random(1), NAMES_TRAIN)
    lin = source_for([chain], ITEM, USER)
    name = namer(lin)
    assert name(ITEM, "whatever", "Product") == "<ITEM>"
    assert name(chain.facts[1].object, chain.facts[1].object_label, "Brand") == "<B1>"
    assert name("5", "5", "Value") in ("<V1>", "5") and "<V1>" in lin.source


def test_join_keeps_each_part():
    assert join(["You bought <P1>.", "<ITEM> is vegan."], 1) == "You bought <P1>; also, <ITEM> is vegan."
    assert join(["You bought <P1>."], 3) == "You bought <P1>."


def test_a_catalog_corpus_speaks_only_the_catalog_words():
    graph, rules, corpus = tiny_catalog_corpus()
    assert {e.origin for e in corpus.train} == {"graph", "walk"}
    assert {e.origin for e in corpus.heldout} <= {"graph-pairs", "heldout-walks"}
    relations = {r.name for r in graph.vocab.relations}
    labels = {graph.label(n) for n in range(graph.n_nodes)} | {graph.key(n) for n in range(graph.n_nodes)}
    for e in corpus.train + corpus.dev + corpus.heldout:
        assert {f.relation for c in e.chains for f in c.facts} <= relations, e.source
        named = {label for token, label in e.slots if not token.startswith(("<V", "<AUD")) and not label.isdigit()}
        assert named <= labels, e.source
        text = refill(e.target, dict(e.slots))
        assert verify(text, e.chains, graph, rules).ok, (e.source, text)
    again = build_corpus(graph, rules, TINY)
    assert again.train == corpus.train and again.heldout == corpus.heldout


def test_a_chain_with_no_natural_frame_is_said_by_its_template_in_every_style():
    """The generic sentence says each fact in turn and names a product twice; a rule's own template
    is the target in every style for chain shapes that have no natural frame (within-budget here)."""
    from generation.templates import audience_noun
    from generation.verbalizer import STYLES, source_for
    from tests.generation.shop import chains_by_rule, shop
    from training.compose import candidates
    graph, rules = shop()
    chain = chains_by_rule()["within-budget"][0]
    item, user = chain.binding("item").key, chain.binding("user").key
    lin = source_for([chain], item, user, graph.vocab, audience_noun(graph))
    for style, order in enumerate(candidates(chain, user, item, lin, graph, rules)[:STYLES]):
        first = order[0](style)
        assert first is not None and first.startswith("<ITEM> costs"), (style, first)
        assert first.count("<P1>") == 1
