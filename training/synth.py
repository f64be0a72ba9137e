"""Invented chains of many shapes, so the verbalizer sees relation combinations no shop's rules list.

Names are invented (the slot scheme makes them irrelevant to the model, but evaluation refills
them and verifies the text, so held-out names include awkward ones: '&', 'and', 'by', accents).
A shape is a path pattern with relations filled in, e.g. ``shared:rated:finish``; some shapes
are held out of training entirely so evaluation can measure generalisation to unseen ones.

>>> import random
>>> shape = Shape("shared", ("purchased", "brand"))
>>> chain = make_chain(shape, random.Random(0), NAMES_TRAIN)
>>> [f.relation for f in chain.facts]
['purchased', 'brand', 'brand']
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from kg import terms as T
from kg.build import GraphBuilder
from kg.vocab import DEFAULT_CLASSES, SCHEMA
from reasoning.chains import Binding, Chain, Fact

USER = "u-you"
ITEM = "p-item"
USER_PRODUCT = ("purchased", "rated", "viewed", "reviewed")
ATTRS = {"brand": "Brand", "category": "Category", "ingredient": "Ingredient", "material": "Material",
         "colour": "Colour", "finish": "Finish", "suits": "SkinType", "claim": "Claim"}
PREFERABLE = ("brand", "claim", "suits", "colour", "finish", "ingredient")  # "you prefer X; item attr X"
P2P = ("also_bought", "also_viewed", "bought_together")
CROWD_SECOND = ("purchased", "rated", "viewed")
# Relations of many invented catalogs (name -> (phrase, object type)), not one shop's: films,
# books, music, travel, food, software, courses, games, fashion, homes, wine, events. They are said
# with their phrase, which source_for() puts in the model input, so the model learns to copy
# relation words it has never seen instead of recalling one domain's. "origin" is held out: no
# training example uses it.
CUSTOM = {
    "scent": ("smells of", "Scent"), "line": ("belongs to the line", "ProductLine"),
    "designer": ("is designed by", "Designer"), "origin": ("is made in", "Place"),
    "directed_by": ("is directed by", "Feature"), "starring": ("stars", "Feature"),
    "genre_of": ("is a film of the genre", "Feature"), "written_by": ("is written by", "Feature"),
    "published_by": ("is published by", "Feature"), "set_in": ("is set in", "Feature"),
    "in_series": ("belongs to the series", "Feature"), "performed_by": ("is performed by", "Feature"),
    "on_album": ("appears on the album", "Feature"), "music_style": ("is played in the style of", "Feature"),
    "located_in": ("is located in", "Feature"), "offers": ("offers", "Feature"), "run_by": ("is run by", "Feature"),
    "cuisine": ("is a dish of", "Feature"), "served_with": ("is served with", "Feature"),
    "developed_by": ("is developed by", "Feature"), "runs_on": ("runs on", "Feature"),
    "taught_by": ("is taught by", "Feature"), "covers": ("covers", "Feature"),
    "studio": ("comes from the studio", "Feature"), "played_on": ("is played on", "Feature"),
    "made_of": ("is woven from", "Feature"), "grape": ("is pressed from", "Feature"),
    "region": ("comes from the region", "Feature"), "venue": ("takes place at", "Feature"),
    "neighbourhood": ("lies in the neighbourhood", "Feature"), "theme": ("is about", "Feature"),
    "tagged": ("is tagged", "Feature"), "award": ("won", "Feature"), "decade": ("was released in", "Feature"),
}
HELD_OUT_RELATIONS = ("origin",)
# A catalog's own relations from the user to an item (watched, read ...): said "you watched X".
USER_CUSTOM = {"watched": "watched", "read": "read", "listened_to": "listened to", "visited": "visited",
               "played": "played", "cooked": "cooked", "enrolled_in": "enrolled in", "saved": "saved",
               "borrowed": "borrowed"}
HELD_OUT_USER_RELATIONS = ("borrowed",)


def _pseudo_words(n: int, seed: int) -> list[str]:
    """``n`` invented words ("brelton", "quovish"): relation phrases no catalog has, so a model trained
    on them must copy a relation's words from its input instead of recalling a domain's."""
    rnd = random.Random(seed)
    onset, vowel, coda = "b br c d dr f fl g gr k l m n p pl qu r s st t tr v w z".split(), "a e i o u ai ou".split(), \
        "ck l ld lt m n nd nt r rn rt sk st x".split()
    out: list[str] = []
    while len(out) < n:
        word = "".join(rnd.choice(onset) + rnd.choice(vowel) for _ in range(rnd.choice((1, 2)))) + rnd.choice(coda)
        if len(word) >= 5 and word not in out:
            out.append(word)
    return out


_FRAMES = ("is {w}ed by", "{w}s", "is {w}ed with", "belongs to the {w}", "comes from the {w}", "is part of the {w}",
           "has the {w}", "{w}s with", "was {w}ed in", "is {w}ed for", "shares the {w} of", "is {w}ed at")
_WORDS = _pseudo_words(360, 2026)
# invented relations, name -> (phrase, object type); and invented user relations ("you brelted X")
RANDOM_RELATIONS = {f"rel_{w}": (_FRAMES[k % len(_FRAMES)].format(w=w), "Feature") for k, w in enumerate(_WORDS[:300])}
RANDOM_USER_RELATIONS = {f"user_{w}": f"{w}ed" for w in _WORDS[300:]}
CUSTOM.update(RANDOM_RELATIONS)
USER_CUSTOM.update(RANDOM_USER_RELATIONS)
NS = "https://synthetic.whyrec.dev/"
RULE_WORDS = ("match", "pick", "because", "fit", "link", "reason", "shop", "signal", "path", "trail", "hint")

# Invented labels per type; the held-out pool shares none and holds the awkward cases.
NAMES_TRAIN = {
    "Product": ["Glow Serum", "Velvet Lip Tint", "Night Repair Cream", "Cloud Cleanser 150 ml", "Sun Veil SPF 50",
                "Daily Balm", "Hydra Mist", "Silk Hair Oil", "Brow Gel in Taupe", "Clay Mask", "Rose Toner",
                "Curl Cream 250 ml", "Matte Powder in Ivory", "Lash Lift Mascara", "Eye Gel Patches"],
    "Brand": ["Lumière", "Oakmere", "Petalwise", "Sorelle Skin", "Velmora", "Aurelle", "Noctara"],
    "Category": ["Serums", "Lipsticks", "Moisturisers", "Cleansers", "Face", "Skin Care", "Hair Oils"],
    "Ingredient": ["niacinamide", "glycerin", "shea butter", "retinol", "vitamin C", "squalane"],
    "Material": ["bamboo", "cotton", "glass", "recycled plastic"],
    "Colour": ["Rosewood", "Nude Beige", "Berry", "Brick Red", "Ivory"],
    "Finish": ["matte", "dewy", "satin", "radiant"],
    "SkinType": ["dry skin", "oily skin", "sensitive skin", "curly hair"],
    "Claim": ["vegan", "cruelty-free", "fragrance-free", "refillable"],
    "Scent": ["rose", "vanilla", "cedarwood"], "ProductLine": ["Calm Cica", "Glow Getter", "Aqua Veil"],
    "Designer": ["Ada Moreau", "Kenji Sato"], "Place": ["France", "Korea"],
    "Feature": ["Silk Cloud", "Amber Dusk", "Linen Veil", "Oak Moss", "Jasmine Tea", "Velvet Rain", "Mira Holt",
                "Northbank", "Tomas Ferreira", "Blue Hour", "Harbour Lane", "Vintage Red", "Quiet Cities",
                "Ella Dunmore", "Stonefield Press", "Lakeside", "Early Jazz", "Kettle Row", "Orbit Studio"],
}
NAMES_HELD_OUT = {
    "Product": ["Salt & Sage Body Wash", "Oat and Honey Mask", "Made by Hand Soap No. 5", "Crème de Nuit",
                "Bright Theory 15% Serum 30 ml", "Barrier+ Cream", "Tinted Lip Oil in Fig", "Ceramide Night Cream",
                "Shine Spray 100 ml", "Gentle Exfoliating Toner", "Cushion Compact in Sand", "Scalp Scrub"],
    "Brand": ["Haverly & Co.", "Brume and Bloom", "Ciel Minérale", "Maison Orrery"],
    "Category": ["Body Washes", "Masks & Peels", "Face Oils"],
    "Ingredient": ["ceramide NP", "hyaluronic acid", "aloe vera", "jojoba oil"],
    "Material": ["aluminium", "linen"],
    "Colour": ["Champagne", "Cocoa", "Light-Medium"],
    "Finish": ["natural", "luminous"],
    "SkinType": ["combination skin", "coily hair"],
    "Claim": ["organic", "palm-oil free"],
    "Scent": ["neroli", "sandalwood"], "ProductLine": ["Night Shift", "Bare Skin"], "Designer": ["Lina Berg"],
    "Place": ["Italy", "Japan"], "Feature": ["Ember Glow", "Sea Mist"],
}


@dataclass(frozen=True)
class Shape:
    """A chain pattern: ``kind`` (direct, p2p, shared, pref, pref_p2p, subcat, neighbour, crowd,
    budget, p2p2) and the relations that fill it."""

    kind: str
    relations: tuple[str, ...]

    def __str__(self) -> str:
        return ":".join((self.kind,) + self.relations)


def all_shapes() -> list[Shape]:
    out = [Shape("direct", (u,)) for u in USER_PRODUCT]
    out += [Shape("p2p", (u, p)) for u in USER_PRODUCT for p in P2P]
    out += [Shape("shared", (u, a)) for u in USER_PRODUCT for a in ATTRS]
    out += [Shape("pref", (a,)) for a in PREFERABLE]
    out += [Shape("pref_p2p", (a, p)) for a in PREFERABLE for p in P2P]
    out += [Shape("subcat", (u,)) for u in USER_PRODUCT]
    out += [Shape("neighbour", (u, a, p)) for u in USER_PRODUCT for a in ("brand", "category", "ingredient", "finish")
            for p in P2P]
    out += [Shape("crowd", (u, c)) for u in ("purchased", "rated", "viewed") for c in CROWD_SECOND]
    out += [Shape("budget", (u, a)) for u in USER_PRODUCT for a in ("category", "brand", "finish")]
    out += [Shape("p2p2", (u, p, q)) for u in ("purchased", "rated") for p in P2P for q in P2P]
    return out


UNSEEN_KINDS = ("p2p2",)  # shape families no training example has


def split_shapes(shapes: Sequence[Shape], seed: int, share: float = 0.15,
                 unseen_kinds: tuple[str, ...] = UNSEEN_KINDS) -> tuple[list[Shape], list[Shape]]:
    """(train, held out): every shape of ``unseen_kinds`` plus a seeded share of the other combinations."""
    rnd = random.Random(seed)
    train, held = [], []
    for s in shapes:
        (held if s.kind in unseen_kinds or rnd.random() < share else train).append(s)
    return train, held


class PoolExhausted(Exception):
    """More nodes of one type than the name pool holds: draw a smaller combination."""


class Maker:
    """Fresh nodes for the chains of one example: keys and labels never repeat across them."""

    def __init__(self, rnd: random.Random, names: dict[str, list[str]]):
        self.rnd, self.names, self.used = rnd, names, set()
        self.n = 0
        self.item_label: str | None = None

    def node(self, type_name: str) -> tuple[str, str, str]:
        """A fresh (key, label, type); labels of one chain differ, so slots stay distinct."""
        pool = [x for x in self.names[type_name] if x not in self.used]
        label = self.rnd.choice(pool or self.names[type_name])
        if label in self.used:  # pool exhausted: the caller draws another combination
            raise PoolExhausted(type_name)
        self.used.add(label)
        self.n += 1
        return f"{type_name.lower()}-{self.n}", label, type_name


def _fact(s: tuple[str, str, str], rel: str, o: tuple[str, str, str], values: tuple = ()) -> Fact:
    return Fact(s[0], rel, o[0], s[1], o[1], s[2], o[2], values=values)


def _user_fact(rel: str, o: tuple[str, str, str], rnd: random.Random) -> Fact:
    you = (USER, USER, "User")
    values = (("score", float(rnd.choice((4, 5, 5, 3)))),) if rel == "rated" else ()
    return _fact(you, rel, o, values)


def _crowd(rel: str, o: tuple[str, str, str], n: int) -> Fact:
    return Fact(None, rel, o[0], f"{n} other shoppers", o[1], "User", o[2], count=n)


def make_chain(shape: Shape, rnd: random.Random, names: dict[str, list[str]], rule: str | None = None,
               maker: Maker | None = None) -> Chain:
    """One invented chain of ``shape`` from the user (key USER) to the item (key ITEM)."""
    m = maker or Maker(rnd, names)
    if m.item_label is None:  # one item per example, whatever number of chains
        m.item_label = m.node("Product")[1]
    item = (ITEM, m.item_label, "Product")
    r = shape.relations
    k = shape.kind
    if k == "direct":
        facts = [_user_fact(r[0], item, rnd)]
    elif k == "p2p":
        p = m.node("Product")
        facts = [_user_fact(r[0], p, rnd), _fact(p, r[1], item)]
    elif k in ("shared", "budget"):
        p, x = m.node("Product"), m.node(ATTRS[r[1]])
        facts = [_user_fact(r[0], p, rnd), _fact(p, r[1], x), _fact(item, r[1], x)]
        if k == "budget":
            facts += _budget_facts(item, rnd)
    elif k == "pref":
        x = m.node(ATTRS[r[0]])
        facts = [_user_fact("prefers", x, rnd), _fact(item, r[0], x)]
    elif k == "pref_p2p":
        x, p = m.node(ATTRS[r[0]]), m.node("Product")
        facts = [_user_fact("prefers", x, rnd), _fact(p, r[0], x), _fact(p, r[1], item)]
    elif k == "subcat":
        p, c, sub = m.node("Product"), m.node("Category"), m.node("Category")
        facts = [_user_fact(r[0], p, rnd), _fact(p, "category", c), _fact(sub, "parent", c), _fact(item, "category", sub)]
    elif k == "neighbour":
        p, x, q = m.node("Product"), m.node(ATTRS[r[1]]), m.node("Product")
        facts = [_user_fact(r[0], p, rnd), _fact(p, r[1], x), _fact(q, r[1], x), _fact(q, r[2], item)]
    elif k == "crowd":
        p, n = m.node("Product"), rnd.choice((10, 12, 15, 23, 40, 112))
        facts = [_user_fact(r[0], p, rnd), _crowd(r[0], p, n), _crowd(r[1], item, n)]
    elif k == "p2p2":
        p, q = m.node("Product"), m.node("Product")
        facts = [_user_fact(r[0], p, rnd), _fact(p, r[1], q), _fact(q, r[2], item)]
    else:
        raise ValueError(f"unknown shape kind {k!r}")
    name = rule or f"{rnd.choice(RULE_WORDS)}-{rnd.choice(RULE_WORDS)}"
    support = next((f.count for f in facts if f.count is not None), None)
    bindings = (("user", Binding(USER, USER, "User")), ("item", Binding(ITEM, item[1], "Product")))
    return Chain(name, tuple(facts), bindings, support=support)


TYPE_ATTR = {t: a for a, t in ATTRS.items()}  # Brand -> brand, SkinType -> suits ...
CUSTOM_OF = {t: name for name, (_, t) in CUSTOM.items()}


def make_walk(rnd: random.Random, names: dict[str, list[str]], length: int, maker: Maker | None = None,
              rule: str | None = None, custom: Sequence[str] = (), user_custom: Sequence[str] = ()) -> Chain:
    """A random path of ``length`` facts from the user to the item through any relations whose types
    fit: the shapes no rule file lists, so the model learns to say each fact, not to recall frames."""
    m = maker or Maker(rnd, names)
    if m.item_label is None:
        m.item_label = m.node("Product")[1]
    item = (ITEM, m.item_label, "Product")
    you = (USER, USER, "User")
    facts: list[Fact] = []
    last = length == 1
    if rnd.random() < 0.3 and not last:
        at = m.node(rnd.choice([ATTRS[a] for a in PREFERABLE]))
        facts.append(_user_fact("prefers", at, rnd))
    else:
        at = item if last else m.node("Product")
        users = list(user_custom) if user_custom and rnd.random() < 0.3 else list(USER_PRODUCT)
        facts.append(_user_fact(rnd.choice(users), at, rnd))
    via = ""
    while len(facts) < length:
        last = len(facts) == length - 1
        if at[2] == "Product":
            if last or rnd.random() < 0.4:
                nxt = item if last else m.node("Product")
                facts.append(_fact(at, rnd.choice(P2P), nxt))
            else:
                rel = rnd.choice(list(custom)) if custom and rnd.random() < 0.5 else rnd.choice(list(ATTRS))
                nxt = m.node(CUSTOM[rel][1] if rel in CUSTOM else ATTRS[rel])
                facts.append(_fact(at, rel, nxt))
                via = rel
        elif at[2] == "Category" and not last and rnd.random() < 0.3:
            nxt = m.node("Category")
            facts.append(_fact(at, "parent", nxt) if rnd.random() < 0.5 else _fact(nxt, "parent", at))
        else:  # an attribute (or category): another product that shares it
            nxt = item if last else m.node("Product")
            facts.append(_fact(nxt, via or TYPE_ATTR.get(at[2]) or CUSTOM_OF[at[2]], at))
        at = nxt
    if rnd.random() < 0.15:  # a price-within-budget tail: values in new positions (<V1> is not always the price)
        facts += _budget_facts(item, rnd)
    name = rule or f"{rnd.choice(RULE_WORDS)}-{rnd.choice(RULE_WORDS)}"
    bindings = (("user", Binding(USER, USER, "User")), ("item", Binding(ITEM, item[1], "Product")))
    return Chain(name, tuple(facts), bindings)


def _budget_facts(item: tuple[str, str, str], rnd: random.Random) -> list[Fact]:
    price = f"{rnd.randint(4, 60)}.{rnd.choice(('00', '50', '99'))}"
    budget = str(rnd.choice((40, 50, 75, 80, 100, 120)))
    return [Fact(ITEM, "price", price, item[1], price, "Product", "Value", is_value=True),
            Fact(USER, "budget", budget, USER, budget, "User", "Value", is_value=True)]


def signature(chain: Chain) -> str:
    """A chain's structure without names or values: equal for chains of one shape."""
    from generation.linearize import linearize

    item, user = chain.binding("item"), chain.binding("user")
    body = linearize([chain], item=item.key if item else ITEM, user=user.key if user else USER).source
    body = body.split(" : ", 1)[1]
    return " ".join(w for w in body.split() if not w.startswith("<V") and w != "score")


def has_unseen_family(chain: Chain) -> bool:
    """Two product-to-product links in a row: the p2p2 family, kept out of training entirely."""
    rels = [f.relation for f in chain.facts]
    return any(a in P2P and b in P2P for a, b in zip(rels, rels[1:]))


_NAMES_GRAPH = None


def names_graph():
    """A graph holding every invented name with its type: what the verifier reads names against."""
    global _NAMES_GRAPH
    if _NAMES_GRAPH is None:
        classes = {c.name: c.iri for c in DEFAULT_CLASSES} | {t: f"{NS}ns#{t}" for _, t in CUSTOM.values()}
        b = GraphBuilder("synthetic names")
        n = 0
        for pool in (NAMES_TRAIN, NAMES_HELD_OUT):
            for type_name, labels in pool.items():
                for label in labels:
                    n += 1
                    node = f"<{NS}{type_name.lower()}/{n}>"
                    b.add(node, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{classes[type_name]}>")
                    b.add(node, f"<{SCHEMA}name>", T.literal(label))
        b.add(f"<{NS}user/{USER}>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{classes['User']}>")
        for rel, (phrase, _) in CUSTOM.items():  # each custom relation used once, so the vocabulary has it
            b.describe_relation(f"{NS}ns#{rel}", rel, f"{rel} of", (phrase,))
            b.add(f"<{NS}product/1>", f"<{NS}ns#{rel}>", f"<{NS}thing/{rel}>")
        for rel, phrase in USER_CUSTOM.items():
            b.describe_relation(f"{NS}ns#{rel}", rel, f"{phrase} by", (phrase,))
            b.add(f"<{NS}user/{USER}>", f"<{NS}ns#{rel}>", f"<{NS}product/1>")
        _NAMES_GRAPH = b.build()
    return _NAMES_GRAPH
