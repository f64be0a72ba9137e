"""A synthetic product graph with the shape of the Amazon Beauty benchmark, as N-Triples.

    python benchmarks/synth_beauty.py OUT.nt [--scale 1.0] [--seed 0]

Counts follow the Beauty set used by the path-reasoning literature (PGPR, CAFE, ...):
22,363 users, 12,101 products, 2,077 brands (10,021 products branded), 248 categories in
a four-level tree (a product sits in every category on a root-to-leaf path, about 4),
149,844 purchases (every user >= 5, every product >= 5, Zipf-like popularity), and
also_bought / also_viewed / bought_together edges to 164,721 related products, most of
them outside the catalog (untyped nodes, as in Amazon's metadata). Names are invented.
A small share of users has a budget and a small share of purchases a date (reified).
``--scale`` shrinks every count proportionally; the same seed gives the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from kg import terms as T  # noqa: E402
from kg.vocab import RDF, RDF_TYPE, SCHEMA, SKOS, WR  # noqa: E402

NS = "https://id.whyrec.dev/beauty/"
FULL = {  # name: (count at scale 1, minimum at any scale)
    "users": (22_363, 6), "products": (12_101, 6), "brands": (2_077, 2), "branded": (10_021, 2),
    "categories": (248, 4), "purchases": (149_844, 30), "related": (164_721, 12),
    "also_bought": (891_000, 10), "also_viewed": (155_000, 5), "bought_together": (9_000, 2),
}
BUDGET_SHARE, DATE_SHARE, PRICE_SHARE = 0.10, 0.02, 0.85
XSD = T.XSD

_SYLLABLES = "lu mo ra vi ne sa ko ri ta el ba zu mi ya or an ce do fi ge".split()
_ADJECTIVES = ("Hydrating Matte Radiant Gentle Daily Intense Soft Velvet Pure Bright Repair Silk Fresh "
               "Nourishing Clarifying Smoothing Firming Calming Glow Ultra").split()
_NOUNS = ("Serum Cream Cleanser Toner Lipstick Mascara Foundation Shampoo Conditioner Lotion Mask "
          "Balm Oil Polish Eyeliner Blush Powder Primer Scrub Mist").split()
_CATEGORY_WORDS = ("Skin Care, Makeup, Hair Care, Fragrance, Tools & Accessories, Bath & Body, Nails, "
                   "Face, Eyes, Lips, Body, Cleansers, Moisturizers, Treatments, Sun Care, Styling, "
                   "Shampoos, Conditioners, Brushes, Mirrors, Perfume, Cologne, Polish, Masks").split(", ")


def counts_for(scale: float) -> dict[str, int]:
    n = {k: max(low, round(full * scale)) for k, (full, low) in FULL.items()}
    n["branded"] = min(max(n["branded"], n["brands"]), n["products"])
    n["purchases"] = max(n["purchases"], 5 * n["users"], 5 * n["products"])
    n["related"] = max(n["related"], n["products"] + 1)
    return n


def spread(total: int, n: int, rng: np.random.Generator, sigma: float, cap: int, floor: int = 0) -> np.ndarray:
    """``n`` counts summing exactly to ``total``: ``floor`` each, the rest by lognormal activity, each <= cap."""
    out = np.full(n, floor, dtype=np.int64)
    weights = rng.lognormal(0.0, sigma, n)
    left = total - out.sum()
    while left > 0:
        room = cap - out
        w = np.where(room > 0, weights, 0.0)
        out += np.minimum(rng.multinomial(left, w / w.sum()), room)
        left = total - out.sum()
    return out


def zipf_weights(n: int, a: float, rng: np.random.Generator) -> np.ndarray:
    """Zipf-like popularity over ``n`` things in a random order (rank r has weight 1/r^a)."""
    w = 1.0 / np.arange(1, n + 1) ** a
    return (w[rng.permutation(n)] / w.sum())


def unique_targets(src: np.ndarray, n_targets: int, p: np.ndarray, rng: np.random.Generator,
                   forced: np.ndarray | None = None, no_self: bool = False) -> np.ndarray:
    """One target per source slot, drawn by ``p``, until each (src, dst) pair is unique.

    With ``forced`` the targets are given and a repeated pair swaps its target with a random
    slot instead of redrawing, so each target keeps its count (the >= 5 floor holds).
    """
    dst = forced.copy() if forced is not None else rng.choice(n_targets, size=len(src), p=p)
    while True:
        _, first = np.unique(src * n_targets + dst, return_index=True)
        bad = np.ones(len(src), dtype=bool)
        bad[first] = False
        if no_self:
            bad |= src == dst
        where = np.flatnonzero(bad)
        if not len(where):
            return dst
        if forced is None:
            dst[where] = rng.choice(n_targets, size=len(where), p=p)
        else:
            good = np.flatnonzero(~bad)  # disjoint, distinct partners: a swap keeps every count
            other = rng.choice(good, size=min(len(where), len(good)), replace=False)
            where = where[:len(other)]
            dst[where], dst[other] = dst[other], dst[where].copy()


def ids(prefix: str, n: int, rng: np.random.Generator, width: int) -> list[str]:
    """``n`` distinct random ids like ``B00X7K2QJM`` (prefix + ``width`` base-36 digits, width <= 12)."""
    values = rng.integers(0, 36 ** width, size=n)
    while len(np.unique(values)) < n:  # astronomically rare; keep it correct anyway
        _, first = np.unique(values, return_index=True)
        again = np.setdiff1d(np.arange(n), first)
        values[again] = rng.integers(0, 36 ** width, size=len(again))
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = []
    for v in values.tolist():
        s = []
        for _ in range(width):
            v, r = divmod(v, 36)
            s.append(digits[r])
        out.append(prefix + "".join(reversed(s)))
    return out


def unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for nm in names:
        seen[nm] = seen.get(nm, 0) + 1
        out.append(nm if seen[nm] == 1 else f"{nm} {seen[nm]}")
    return out


def category_tree(n: int, rng: np.random.Generator) -> np.ndarray:
    """Parent of each category (-1 for the root): levels of about 1 / 7 / 40 / 200 of 248."""
    l1 = max(1, round((n - 1) * 7 / 247))
    l2 = max(1, round((n - 1) * 40 / 247)) if n - 1 - l1 > 0 else 0
    l3 = n - 1 - l1 - l2
    parent = np.full(n, -1, dtype=np.int64)
    lv1 = np.arange(1, 1 + l1)
    lv2 = np.arange(1 + l1, 1 + l1 + l2)
    lv3 = np.arange(1 + l1 + l2, n)
    parent[lv1] = 0
    for level, above in ((lv2, lv1), (lv3, lv2)):  # every node above gets a child first, then at random
        if len(level):
            first = min(len(level), len(above))
            parent[level[:first]] = above[:first]
            parent[level[first:]] = rng.choice(above, size=len(level) - first)
    return parent


def path_to_root(c: int, parent: np.ndarray) -> list[int]:
    path = []
    while c >= 0:
        path.append(c)
        c = int(parent[c])
    return path


def name(rng: np.random.Generator, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES, size=parts)).capitalize()


def generate(scale: float = 1.0, seed: int = 0) -> Iterable[str]:
    """The graph's N-Triples lines (each ending in a newline), in a fixed order for a seed."""
    rng = np.random.default_rng(seed)
    n = counts_for(scale)
    a = lambda local: f"<{local}>"  # noqa: E731
    TYPE, NAME, PRICE = a(RDF_TYPE), a(SCHEMA + "name"), a(SCHEMA + "price")
    BRAND, CATEGORY, PARENT = a(SCHEMA + "brand"), a(SCHEMA + "category"), a(SKOS + "broader")
    PURCHASED, BUDGET, DATE = a(WR + "purchased"), a(WR + "budget"), a(WR + "date")
    USER_C, PRODUCT_C, BRAND_C, CATEGORY_C = a(WR + "User"), a(SCHEMA + "Product"), a(SCHEMA + "Brand"), a(WR + "Category")

    users = [T.mint(NS, "user", u) for u in ids("A", n["users"], rng, 12)]
    pool_ids = ids("B0", n["related"], rng, 8)  # catalog products first, then the related-only ones
    pool = [T.mint(NS, "product", p) for p in pool_ids]
    products = pool[:n["products"]]
    brand_names = unique_names([f"{name(rng, 2 + k % 2)} {'Beauty Labs Cosmetics Paris Naturals'.split()[k % 5]}"
                                for k in range(n["brands"])])
    brands = [T.mint(NS, "brand", b) for b in brand_names]
    cat_names = [_CATEGORY_WORDS[k % len(_CATEGORY_WORDS)] + (f" {k // len(_CATEGORY_WORDS) + 1}" if k >= len(_CATEGORY_WORDS) else "")
                 for k in range(n["categories"] - 1)]
    cat_names = ["Beauty"] + cat_names
    categories = [T.mint(NS, "category", c) for c in cat_names]

    for c_term, c_name in zip(categories, cat_names):
        yield f"{c_term} {TYPE} {CATEGORY_C} .\n{c_term} {NAME} {T.literal(c_name)} .\n"
    parent = category_tree(n["categories"], rng)
    for c in np.flatnonzero(parent >= 0).tolist():
        yield f"{categories[c]} {PARENT} {categories[parent[c]]} .\n"
    for b_term, b_name in zip(brands, brand_names):
        yield f"{b_term} {TYPE} {BRAND_C} .\n{b_term} {NAME} {T.literal(b_name)} .\n"

    # Products: a name, most a price, a brand for `branded` of them, categories along 1-2 paths.
    n_p = n["products"]
    brand_of = np.full(n_p, -1, dtype=np.int64)
    branded = rng.choice(n_p, size=n["branded"], replace=False)
    brand_of[branded[:n["brands"]]] = np.arange(n["brands"])  # every brand makes something
    brand_of[branded[n["brands"]:]] = rng.choice(n["brands"], size=len(branded) - n["brands"],
                                                 p=zipf_weights(n["brands"], 1.0, rng))
    leaves = np.setdiff1d(np.arange(n["categories"]), parent[parent >= 0])
    leaf_p = zipf_weights(len(leaves), 0.6, rng)
    leaf_of = rng.choice(leaves, size=(n_p, 2), p=leaf_p)
    second = rng.random(n_p) < 0.05  # some products are filed twice, like Amazon does
    prices = np.round(rng.lognormal(np.log(14.0), 0.7, n_p), 2)
    has_price = rng.random(n_p) < PRICE_SHARE
    adjectives = rng.choice(_ADJECTIVES, size=n_p)
    nouns = rng.choice(_NOUNS, size=n_p)
    for k, p_term in enumerate(products):
        maker = brand_names[brand_of[k]].split()[0] if brand_of[k] >= 0 else "Generic"
        lines = [f"{p_term} {TYPE} {PRODUCT_C} .\n",
                 f"{p_term} {NAME} {T.literal(f'{maker} {adjectives[k]} {nouns[k]} {pool_ids[k][-4:]}')} .\n"]
        if has_price[k]:
            lines.append(f"{p_term} {PRICE} {T.literal(f'{prices[k]:.2f}', XSD + 'decimal')} .\n")
        if brand_of[k] >= 0:
            lines.append(f"{p_term} {BRAND} {brands[brand_of[k]]} .\n")
        cats = set(path_to_root(int(leaf_of[k, 0]), parent))
        if second[k]:
            cats.update(path_to_root(int(leaf_of[k, 1]), parent))
        lines += [f"{p_term} {CATEGORY} {categories[c]} .\n" for c in sorted(cats)]
        yield "".join(lines)

    # Users and purchases: >= 5 per user, each product >= 5 times, the rest Zipf-popular.
    per_user = spread(n["purchases"], n["users"], rng, 1.0, cap=max(5, n_p // 3), floor=5)
    buyer = np.repeat(np.arange(n["users"]), per_user)
    popular = zipf_weights(n_p, 0.5, rng)  # top product ~400 buyers, as in Beauty
    floor = np.repeat(np.arange(n_p), 5)
    bought = np.concatenate([floor, rng.choice(n_p, size=len(buyer) - len(floor), p=popular)])
    bought = unique_targets(buyer, n_p, popular, rng, forced=rng.permutation(bought))
    budget = rng.random(n["users"]) < BUDGET_SHARE
    for u, u_term in enumerate(users):
        line = f"{u_term} {TYPE} {USER_C} .\n"
        if budget[u]:
            line += f"{u_term} {BUDGET} {T.literal(str(int(rng.integers(10, 80))), XSD + 'decimal')} .\n"
        yield line
    dated = rng.random(len(buyer)) < DATE_SHARE
    days = rng.integers(0, 5 * 365, size=len(buyer))
    start = np.datetime64("2010-01-01")
    for u, p, has_date, day in zip(buyer.tolist(), bought.tolist(), dated.tolist(), days.tolist()):
        s, o = users[u], products[p]
        line = f"{s} {PURCHASED} {o} .\n"
        if has_date:  # the same statement IRI the table loader mints for a fact with values
            stmt = f"<{NS}fact/{hashlib.sha1(f'{s} {PURCHASED} {o}'.encode()).hexdigest()[:20]}>"
            line += (f"{stmt} <{RDF}subject> {s} .\n{stmt} <{RDF}predicate> {PURCHASED} .\n"
                     f"{stmt} <{RDF}object> {o} .\n"
                     f"{stmt} {DATE} {T.literal(str(start + day), XSD + 'date')} .\n")
        yield line

    # Product-to-product relations, to a pool of related products (catalog ones first).
    related_p = zipf_weights(n["related"], 0.8, rng)
    for rel, sigma in (("also_bought", 0.8), ("also_viewed", 1.2), ("bought_together", 1.5)):
        pred = a(WR + {"also_bought": "alsoBought", "also_viewed": "alsoViewed",
                       "bought_together": "boughtTogether"}[rel])
        per_product = spread(n[rel], n_p, rng, sigma, cap=min(n["related"] // 2, 1000))
        src = np.repeat(np.arange(n_p), per_product)
        dst = unique_targets(src, n["related"], related_p, rng, no_self=True)
        for chunk in range(0, len(src), 100_000):
            yield "".join(f"{products[s]} {pred} {pool[d]} .\n"
                          for s, d in zip(src[chunk:chunk + 100_000].tolist(), dst[chunk:chunk + 100_000].tolist()))


def write(path: Path, scale: float = 1.0, seed: int = 0) -> int:
    """Write the graph to ``path`` (atomically enough for a benchmark); returns the triple count."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for block in generate(scale, seed):
            count += block.count("\n")
            f.write(block)
    tmp.replace(path)
    return count


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="N-Triples file to write")
    ap.add_argument("--scale", type=float, default=1.0, help="shrink every count (0.01 for tests)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not 0 < args.scale <= 10:
        ap.error("--scale must be in (0, 10]")
    t = time.perf_counter()
    count = write(args.out, args.scale, args.seed)
    print(f"{args.out}: {count:,} triples in {time.perf_counter() - t:.1f} s "
          f"({', '.join(f'{k} {v:,}' for k, v in counts_for(args.scale).items())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
