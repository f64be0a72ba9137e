"""Generate the shipped demo catalog: a small, realistic beauty shop (standard library only).

    python data/demo/generate.py            # rewrites the CSV tables and whyrec.yaml beside this file
    python data/demo/generate.py --out DIR  # writes them into DIR instead

Seeded and deterministic: only ``random.Random(SEED)`` draws, only lists and insertion-ordered
dicts are iterated (never sets), so two runs give byte-identical files whatever PYTHONHASHSEED is.
Brands, product lines and users are invented; users have ids only, no personal data.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ beside the data
sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog_data import (BRANDS, COMPLEMENTS, DEPARTMENTS, FINISH_WORDS, HAIR_TYPES, INGREDIENTS,  # noqa: E402
                          LEAVES, LINES, MAPPING, OPPOSITE_FINISH, PAIRS, SHADES, SKIN_TYPES, SUPPORT, Leaf)
from catalog_zh import (BRANDS_ZH, CATEGORIES_ZH, CLAIMS_ZH, DEPARTMENTS_ZH, FINISHES_ZH, HAIR_TYPES_ZH,  # noqa: E402
                        INGREDIENTS_ZH, LEAVES_ZH, LINES_ZH, SHADES_ZH, SKIN_TYPES_ZH, check_one_to_one, name_zh)
from reviews import summary  # noqa: E402

SEED = 20240917
N_USERS = 150
START = dt.date(2023, 1, 1)


def _price(rng: random.Random, leaf: Leaf, tier: float) -> str:
    base = rng.uniform(leaf.price_lo, leaf.price_hi) * tier
    ending = rng.choice([0.99, 0.99, 0.50, 0.00, 0.95])  # shelf prices end like real ones
    return f"{max(math.floor(base) + ending, 2.99):.2f}"


def _ingredients(rng: random.Random, leaf: Leaf, vegan: bool, shade: str) -> list[str]:
    keys = rng.sample(leaf.keys, min(len(leaf.keys), rng.choice([1, 2, 2, 3])))
    support = rng.sample(SUPPORT[leaf.dept], rng.choice([2, 3]))
    out = keys + support + (["glycerin"] if rng.random() < 0.55 else [])
    if leaf.short == "lipstick" and shade in ("brick-red", "classic-red", "berry") and rng.random() < 0.5:
        out.append("carmine")  # the classic red pigment, and the classic reason a red lipstick is not vegan
    if vegan:
        out = ["candelilla-wax" if i == "beeswax" else i for i in out if i != "carmine"]
    return list(dict.fromkeys(out))


def _suits(rng: random.Random, leaf: Leaf, fragrance_free: bool) -> tuple[list[str], list[str]]:
    if leaf.suits_kind is None:
        return [], []
    pool = SKIN_TYPES if leaf.suits_kind == "skin" else HAIR_TYPES
    if not leaf.bias or rng.random() < 0.15:
        chosen = list(pool) if leaf.suits_kind == "skin" else rng.sample(pool, 3)
    else:
        chosen = list(leaf.bias) + ([rng.choice(pool)] if rng.random() < 0.3 else [])
    if leaf.suits_kind == "skin" and fragrance_free:
        chosen.append("sensitive")
    ordered = [t for t in pool if t in chosen]
    return (ordered, []) if leaf.suits_kind == "skin" else ([], ordered)


def _claims(rng: random.Random, leaf: Leaf, brand: dict, vegan: bool, skin: list[str]) -> list[str]:
    p = {"vegan": 1.0 if vegan else 0.0, "cruelty-free": brand["cruelty_free"],
         "fragrance-free": 0.55 if "sensitive" in leaf.bias else 0.2, "paraben-free": 0.45,
         "sulfate-free": 0.55 if leaf.short in ("shampoo", "shower gel") else 0.0,
         "non-comedogenic": 0.6 if "oily" in skin and leaf.dept in ("skin-care", "make-up") else 0.0,
         "dermatologist-tested": 0.35 if leaf.dept == "skin-care" else 0.1,
         "reef-safe": 0.6 if leaf.short == "sunscreen" else 0.0,
         "ophthalmologist-tested": 0.6 if leaf.short in ("eye cream", "mascara", "eyeliner") else 0.0,
         "organic": 0.08, "refillable": 0.05 if leaf.dept == "make-up" else 0.0}
    return [c for c, chance in p.items() if rng.random() < chance]


def _words(text: str) -> set[str]:
    return set(text.lower().replace("-", " ").split())


def _name(rng: random.Random, brand: dict, line: str, leaf: Leaf, finish: str, shade: str,
          size: str) -> tuple[str, str]:
    """(the English name, its Chinese name composed from the same parts: no draw of its own)."""
    descs = FINISH_WORDS[finish] if leaf.dept == "make-up" and finish else leaf.descs
    # no word twice ("Glow Getter Glow Foundation", "Glossy Lip Gloss" reads generated)
    taken = _words(f"{line} {leaf.noun}")
    fresh = [d for d in descs if not _words(d) & taken and d.lower()[:4] not in leaf.noun.lower()]
    desc = rng.choice(fresh or descs)
    tail = f" in {SHADES[shade].title()}" if shade else f" {size}"
    return f"{brand['name']} {line} {desc} {leaf.noun}{tail}", name_zh(brand["id"], line, desc, leaf.path, shade, size)


def _short_names(products: list[dict]) -> None:
    """Line, kind and shade ("Soft Focus Lipstick in Brick Red"): the short name reasons may use, the
    first candidate no other product shares (a short name must name one product); empty if none."""
    counts: dict[str, int] = {}
    for p in products:
        for form in p["short"]:
            counts[form] = counts.get(form, 0) + 1
    for p in products:
        p["short"] = next((f for f in p["short"] if counts[f] == 1), "")


def _short_forms(name: str, brand: dict, line: str, leaf: Leaf, shade: str, size: str) -> tuple[str, ...]:
    """Candidate short names, shortest first: line and kind (and shade, or size), the name without
    brand (and size), then brand, line and kind where lines of two brands share a name."""
    rest = name[len(brand["name"]) + 1:]
    if shade:
        tail = f" in {SHADES[shade].title()}"
        return f"{line} {leaf.noun}{tail}", rest, f"{brand['name']} {line} {leaf.noun}{tail}"
    bare = rest[:-len(size) - 1] if rest.endswith(f" {size}") else rest
    return (f"{line} {leaf.noun}", f"{line} {leaf.noun} {size}", bare, rest, f"{brand['name']} {line} {leaf.noun}",
            f"{brand['name']} {line} {leaf.noun} {size}")


def make_products(rng: random.Random) -> tuple[list[dict], list[dict]]:
    lines: list[dict] = []
    products: list[dict] = []
    names: set[str] = set()  # membership only; never iterated
    names_zh: set[str] = set()
    for brand in BRANDS:
        leaves = [lf for lf in LEAVES if lf.dept in brand["depts"]]
        brand_lines = {}
        for dept in brand["depts"]:
            picks = rng.sample(LINES[dept], 3 if brand["id"] == "aurelle" else 2)
            brand_lines[dept] = picks
            lines += [{"line_id": f"{brand['id']}-{_slug(p)}", "name": f"{brand['name']} {p}",
                       "name_zh": BRANDS_ZH[brand["id"]] + LINES_ZH[p]} for p in picks]
        for _ in range(brand["count"]):
            leaf = rng.choices(leaves, weights=[lf.weight for lf in leaves])[0]
            vegan = rng.random() < brand["vegan"]
            finish = rng.choice(leaf.finishes) if leaf.finishes and rng.random() < 0.9 else ""
            shade = rng.choice(leaf.shades) if leaf.shades else ""
            size = rng.choice(leaf.sizes)
            for attempt in range(40):
                line = rng.choice(brand_lines[leaf.dept])
                name, zh = _name(rng, brand, line, leaf, finish, shade, size)
                if name not in names:
                    break
                if attempt > 20 and leaf.shades:
                    shade = rng.choice(leaf.shades)
            else:
                raise RuntimeError(f"no unique name for a {leaf.noun} by {brand['name']}")
            names.add(name)
            if zh in names_zh:
                raise RuntimeError(f"two products named {zh!r} in Chinese")
            names_zh.add(zh)
            ingredients = _ingredients(rng, leaf, vegan, shade)
            fragrance_free = rng.random() < (0.5 if "sensitive" in leaf.bias else 0.2)
            skin, hair = _suits(rng, leaf, fragrance_free)
            claims = _claims(rng, leaf, brand, vegan, skin)
            if fragrance_free and "fragrance-free" not in claims:
                claims.insert(2 if len(claims) > 2 else len(claims), "fragrance-free")
            products.append({"name": name, "name_zh": zh, "brand": brand["id"], "line": f"{brand['id']}-{_slug(line)}",
                             "category": leaf.path, "price": _price(rng, leaf, brand["tier"]), "size": size,
                             "finish": finish, "colour": shade, "ingredients": ingredients, "suits": skin,
                             "hair_types": hair, "claims": claims, "leaf": leaf, "quality": rng.gauss(0, 0.5),
                             "short": _short_forms(name, brand, line, leaf, shade, size)})
    _short_names(products)
    order = {lf.path: i for i, lf in enumerate(LEAVES)}
    products.sort(key=lambda p: (order[p["category"]], p["name"]))
    for i, p in enumerate(products, 1):
        p["product_id"] = f"p{i:04d}"
    popularity_order = list(range(len(products)))
    rng.shuffle(popularity_order)
    for rank, i in enumerate(popularity_order):  # Zipf-like: a few bestsellers, a long tail
        products[i]["pop"] = (1.6 if products[i]["brand"] == "aurelle" else 1.0) / (rank + 1) ** 0.85
    return products, lines


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower().replace("&", "and")).replace("--", "-").strip("-")


def _pick(rng: random.Random, pool: list[dict], weights: list[float], k: int) -> list[dict]:
    """k distinct items, weighted, without replacement (deterministic for a given rng state)."""
    pool, weights, out = list(pool), list(weights), []
    while pool and len(out) < k:
        i = rng.choices(range(len(pool)), weights=weights)[0]
        out.append(pool.pop(i))
        weights.pop(i)
    return out


def make_links(rng: random.Random, products: list[dict]) -> list[tuple[str, str, str]]:
    by_leaf: dict[str, list[dict]] = {}
    by_cat: dict[str, list[dict]] = {}
    for p in products:
        by_leaf.setdefault(p["category"], []).append(p)
        by_cat.setdefault(p["leaf"].cat, []).append(p)
    rows: list[tuple[str, str, str]] = []
    together: list[tuple[str, str]] = []
    for a_leaf, b_leaf in PAIRS:  # routine pairs, same brand and ideally the same line
        for a in by_leaf.get(a_leaf, []):
            mates = [b for b in by_leaf.get(b_leaf, []) if b["brand"] == a["brand"]]
            same_line = [b for b in mates if b["line"] == a["line"]]
            if same_line or (mates and rng.random() < 0.7):
                b = rng.choice(same_line or mates)
                together.append((a["product_id"], b["product_id"]))
                a.setdefault("together", []).append(b)
    rows += [("bought_together", a, b) for a, b in together]
    for p in products:
        leaf = p["leaf"]
        cands = [q for cat in COMPLEMENTS[leaf.cat] for q in by_cat.get(cat, []) if q["category"] != p["category"]]
        weights = [q["pop"] * (3.0 if q["brand"] == p["brand"] else 1.0) for q in cands]
        also = list(p.get("together", [])) + _pick(rng, cands, weights, rng.choice([2, 3, 3, 4]))
        p["also"] = list({q["product_id"]: q for q in also if q is not p}.values())
        rows += [("also_bought", p["product_id"], q["product_id"]) for q in p["also"]]
        rivals = [q for q in by_leaf[p["category"]] if q is not p]
        viewed = _pick(rng, rivals, [q["pop"] * (0.5 if q["brand"] == p["brand"] else 1.0) for q in rivals],
                       rng.choice([2, 3]))
        rows += [("also_viewed", p["product_id"], q["product_id"]) for q in viewed]
    return rows


def make_user(rng: random.Random, uid: str) -> dict:
    dept = {"skin-care": 1.0, "make-up": 0.9, "hair-care": 0.6, "body-care": 0.5}
    dept = {d: w * rng.uniform(0.15, 1.5) for d, w in dept.items()}
    dept[rng.choice(list(dept))] *= 3.0
    fav = [b["id"] for b in _pick(rng, BRANDS, [b["count"] ** 1.3 for b in BRANDS], rng.choice([1, 1, 2, 3]))]
    spend = rng.choice(["thrifty", "mid", "mid", "lavish"])
    max_price = {"thrifty": rng.uniform(12, 22), "mid": rng.uniform(24, 42), "lavish": rng.uniform(50, 95)}[spend]
    return {"user_id": uid, "skin": rng.choices(SKIN_TYPES, weights=[22, 22, 28, 14, 14])[0],
            "hair": rng.choice(HAIR_TYPES), "dept": dept, "fav": fav, "max_price": max_price,
            "vegan": rng.random() < 0.14, "finish": rng.choice(["matte", "dewy", "satin", "natural"]),
            "n": min(3 + int(rng.paretovariate(1.6) * 3), 30)}


def fit(user: dict, p: dict) -> tuple[float, list[str]]:
    """How well product p suits user: a score shift and the reasons behind it (for the review)."""
    score, why = 0.0, []
    if p["suits"]:
        good = user["skin"] in p["suits"]
        score, why = (score + 0.6, why + ["skin"]) if good else (score - 1.6, why + ["skin-bad"])
    if p["hair_types"]:
        good = user["hair"] in p["hair_types"]
        score, why = (score + 0.6, why + ["hair"]) if good else (score - 1.4, why + ["hair-bad"])
    if p["brand"] in user["fav"]:
        score, why = score + 0.5, why + ["brand"]
    if p["finish"] and p["leaf"].dept == "make-up":
        if p["finish"] == user["finish"]:
            score, why = score + 0.5, why + ["finish"]
        elif OPPOSITE_FINISH.get(user["finish"]) == p["finish"]:
            score, why = score - 1.0, why + ["finish-bad"]
    if float(p["price"]) > user["max_price"] * 1.3:
        score, why = score - 0.8, why + ["price-bad"]
    if user["vegan"] and "vegan" not in p["claims"]:
        score, why = score - 1.0, why + ["vegan-bad"]
    return score, why


def weight(user: dict, p: dict) -> float:
    w = p["pop"] * user["dept"][p["leaf"].dept] * (4.0 if p["brand"] in user["fav"] else 1.0)
    if p["suits"]:
        w *= 2.0 if user["skin"] in p["suits"] else 0.35
    if p["hair_types"]:
        w *= 2.0 if user["hair"] in p["hair_types"] else 0.35
    if user["vegan"] and "vegan" not in p["claims"]:
        w *= 0.05
    if float(p["price"]) > user["max_price"]:
        w *= 0.25
    if p["finish"] and p["leaf"].dept == "make-up" and p["finish"] == user["finish"]:
        w *= 2.0
    return w


def _day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


def make_activity(rng: random.Random, users: list[dict], products: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {"purchases": [], "ratings": [], "views": [], "preferences": [], "users": []}
    for u in users:
        weights = [weight(u, p) for p in products]
        bought: list[dict] = []
        while len(bought) < u["n"]:
            last = bought[-1] if bought else None
            nxt = [q for q in last["also"] if q not in bought] if last and rng.random() < 0.3 else []
            p = rng.choice(nxt) if nxt else rng.choices(products, weights=weights)[0]
            if p not in bought:
                bought.append(p)
        days = sorted(rng.randrange(700) for _ in bought)
        for p, day in zip(bought, days):
            out["purchases"].append((u["user_id"], p["product_id"], _day(day)))
            if rng.random() < 0.7:
                shift, why = fit(u, p)
                stars = max(1, min(5, round(3.7 + shift + p["quality"] + rng.gauss(0, 0.7))))
                out["ratings"].append((u["user_id"], p["product_id"], stars,
                                       summary(rng, stars, why, u, p), _day(day + rng.randint(3, 40))))
        seen = {p["product_id"] for p in bought}
        for p in _pick(rng, products, weights, rng.randint(2, 6)):
            if p["product_id"] not in seen:  # browsed, never bought
                out["views"].append((u["user_id"], p["product_id"], _day(rng.randrange(730))))
        for p, day in zip(bought, days):
            if rng.random() < 0.25:  # looked before buying
                out["views"].append((u["user_id"], p["product_id"], _day(max(0, day - rng.randint(0, 9)))))
        prefs = []
        if rng.random() < 0.55:
            prefs.append(("prefers", u["skin"], "SkinType"))
        if u["vegan"] and rng.random() < 0.85:
            prefs.append(("prefers", "vegan", "Claim"))
        if u["skin"] == "sensitive" and rng.random() < 0.4:
            prefs.append(("prefers", "fragrance-free", "Claim"))
        if rng.random() < 0.3:
            prefs.append(("prefers", u["fav"][0], "Brand"))
        if u["dept"]["hair-care"] > 0.5 and rng.random() < 0.4:
            prefs.append(("prefers", u["hair"], "HairType"))
        if u["dept"]["make-up"] > 1.0 and rng.random() < 0.3:
            prefs.append(("prefers", u["finish"], "Finish"))
        out["preferences"] += [(u["user_id"], *row) for row in prefs]
        stated = rng.random() < 0.45
        out["users"].append((u["user_id"], f"{round(u['max_price'] / 5) * 5:.2f}" if stated else ""))
    out["views"].sort()
    return out


def _write(folder: Path, name: str, header: list[str], rows: list) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def generate(folder: Path, seed: int = SEED) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    products, lines = make_products(rng)
    links = make_links(rng, products)
    users = [make_user(rng, f"u{i:03d}") for i in range(1, N_USERS + 1)]
    act = make_activity(rng, users, products)
    check_one_to_one()
    _write(folder, "products.csv", ["product_id", "name", "name_zh", "brand", "line", "category", "price", "size",
                                    "finish", "colour", "ingredients", "suits", "hair_types", "claims", "short_name"],
           [[p["product_id"], p["name"], p["name_zh"], p["brand"], p["line"], p["category"], p["price"], p["size"],
             p["finish"], p["colour"], "|".join(p["ingredients"]), "|".join(p["suits"]), "|".join(p["hair_types"]),
             "|".join(p["claims"]), p["short"]] for p in products])
    _write(folder, "brands.csv", ["brand_id", "name", "name_zh"], [[b["id"], b["name"], BRANDS_ZH[b["id"]]] for b in BRANDS])
    # name only what products use (sets for membership only; rows keep list order)
    used = {p["line"] for p in products} | {i for p in products for i in p["ingredients"] + [p["colour"]]}
    _write(folder, "lines.csv", ["line_id", "name", "name_zh"], [[ln["line_id"], ln["name"], ln["name_zh"]]
                                                                 for ln in lines if ln["line_id"] in used])
    cats = [[d, name, DEPARTMENTS_ZH[d], ""] for d, name in DEPARTMENTS.items()]
    for lf in LEAVES:
        if lf.cat not in [c[0] for c in cats]:
            cats.append([lf.cat, lf.cat_name, CATEGORIES_ZH[lf.cat], lf.dept])
        cats.append([lf.path, lf.name, LEAVES_ZH[lf.path][0], lf.cat])
    _write(folder, "categories.csv", ["category_id", "name", "name_zh", "parent"], cats)
    _write(folder, "ingredients.csv", ["ingredient_id", "name", "name_zh"],
           [[k, v, INGREDIENTS_ZH[k]] for k, v in INGREDIENTS.items() if k in used])
    _write(folder, "colours.csv", ["colour_id", "name", "name_zh"], [[k, v, SHADES_ZH[k]] for k, v in SHADES.items()
                                                                      if k in used])
    # values that English names by their ids get a table only for their Chinese names (the English
    # name stays the id); only the values in use, so the graph gains no node
    said = [(kind, value) for _, _, value, kind in act["preferences"]]
    for kind, column, table, file in (("Finish", "finish", FINISHES_ZH, "finishes.csv"),
                                      ("SkinType", "suits", SKIN_TYPES_ZH, "skin_types.csv"),
                                      ("HairType", "hair_types", HAIR_TYPES_ZH, "hair_types.csv"),
                                      ("Claim", "claims", CLAIMS_ZH, "claims.csv")):
        in_use = {v for p in products for v in (p[column] if isinstance(p[column], list) else [p[column]])}
        in_use |= {v for k, v in said if k == kind}
        _write(folder, file, ["id", "name", "name_zh"], [[k, k, v] for k, v in table.items() if k in in_use])
    _write(folder, "users.csv", ["user_id", "budget"], act["users"])
    _write(folder, "purchases.csv", ["user_id", "product_id", "date"], act["purchases"])
    _write(folder, "ratings.csv", ["user_id", "product_id", "rating", "summary", "date"], act["ratings"])
    _write(folder, "views.csv", ["user_id", "product_id", "date"], act["views"])
    _write(folder, "preferences.csv", ["user_id", "relation", "value", "value_type"], act["preferences"])
    _write(folder, "links.csv", ["product_id", "relation", "other_id"], [[a, r, b] for r, a, b in links])
    (folder / "whyrec.yaml").write_text(MAPPING, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output folder")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generate(args.out, args.seed)
    print(f"wrote the demo catalog to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
