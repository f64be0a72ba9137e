"""realize.py: the first verified model sentence wins, else the template; never a false 'verified'."""
from reasoning.chains import Binding, Chain, Fact
from generation.realize import realize, realize_many
from generation.verbalizer import source_for
from tests.generation.shop import chains_by_rule, shop


class FakeModel:
    """Returns the same slot-level beams for every source and counts its calls."""

    def __init__(self, beams):
        self.beams, self.calls, self.sources = beams, 0, []

    def generate(self, sources, n):
        self.calls += 1
        self.sources.append(list(sources))
        return [list(self.beams[:n]) for _ in sources]


def same_brand() -> Chain:
    return next(c for c in chains_by_rule()["same-brand"] if c.binding("item").label == "Glow Cream")


def slots(chain: Chain) -> dict[str, str]:
    graph, _ = shop()
    return source_for([chain], "p2", "u1", graph.vocab).slots


def test_slot_tokens_are_what_the_fake_model_writes():
    assert slots(same_brand()) == {"<ITEM>": "Glow Cream", "<P1>": "Glow Serum", "<B1>": "Lumière"}


def test_the_second_beam_wins_when_the_first_is_wrong():
    graph, rules = shop()
    model = FakeModel(["You bought <P1>; <ITEM> contains <B1>.", "You bought <P1>; <ITEM> is also made by <B1>."])
    r = realize(same_brand(), graph, rules, model)
    assert (r.source, r.tried, r.verified) == ("model", 2, True)
    assert r.text == "You bought Glow Serum; Glow Cream is also made by Lumière."


def test_falls_back_to_the_template_when_every_beam_is_wrong():
    graph, rules = shop()
    model = FakeModel(["<ITEM> is not made by <B1>.", "You bought <P7>.", "You bought <P1>; <ITEM> is by Nocturne."])
    r = realize(same_brand(), graph, rules, model, n_best=3)
    assert (r.source, r.tried, r.verified) == ("template", 3, True)
    assert r.text == "You bought Glow Serum, and Glow Cream is also by Lumière."


def test_without_a_model_the_template_is_said_and_verified():
    graph, rules = shop()
    r = realize(same_brand(), graph, rules)
    assert (r.source, r.tried, r.verified) == ("template", 0, True)


def test_never_verified_when_even_the_template_fails():
    graph, rules = shop()
    ghost = Chain("same-brand", (
        Fact("u1", "purchased", "x1", "u1", "Ghost Serum", "User", "Product"),
        Fact("x1", "brand", "xb", "Ghost Serum", "Ghostly", "Product", "Brand"),
        Fact("x2", "brand", "xb", "Ghost Cream", "Ghostly", "Product", "Brand")),
        (("user", Binding("u1", "u1", "User")), ("product", Binding("x1", "Ghost Serum", "Product")),
         ("brand", Binding("xb", "Ghostly", "Brand")), ("item", Binding("x2", "Ghost Cream", "Product"))))
    model = FakeModel(["You bought <P1>; <ITEM> is also made by <B1>."])
    r = realize(ghost, graph, rules, model)
    assert r.source == "template" and not r.verified and not r.verdict.ok
    assert r.text == "You bought Ghost Serum, and Ghost Cream is also by Ghostly."


def test_many_pairs_share_one_greedy_call_and_one_beam_call():
    graph, rules = shop()
    found = chains_by_rule()
    batch = [[same_brand()], found["viewed"][:1], found["stated-claim"][:1]]
    model = FakeModel(["You looked at <ITEM>."])
    out = realize_many(batch, graph, rules, model)
    # one greedy call for every pair; beams only for the two whose greedy sentence failed
    assert model.calls == 2 and len(model.sources[0]) == 3 and len(model.sources[1]) == 2
    assert [r.source for r in out] == ["template", "model", "template"]
    assert all(r.verified for r in out)
