"""A small shop with a category tree under one root, a hub ingredient and co-purchase links.

24 products in two departments (skin: serums and masks; hair: shampoos) under one root "all";
glycerin is in 20 of them (a hub), each product also has a rare ingredient shared by two
(rare0 by three: s00, s01 and the shampoo h00, across departments). u02 and u04 both bought
s00 and s01 (the also_bought link s00 -> s01 has two people behind it).
Users buy within their department; some also rate. Deterministic.
"""
from __future__ import annotations

from pathlib import Path

MAPPING = """\
namespace: https://shop.example/
nodes:
  - file: products.csv
    type: Product
    id: id
    columns:
      brand: {relation: brand, type: Brand}
      category: {relation: category, type: Category}
      ingredients: {relation: ingredient, type: Ingredient, split: "|"}
  - file: categories.csv
    type: Category
    id: id
    columns:
      parent: {relation: parent, type: Category}
facts:
  - file: purchases.csv
    subject: {column: user, type: User}
    relation: purchased
    object: {column: item, type: Product}
    values:
      date: {column: date, datatype: date}
  - file: ratings.csv
    subject: {column: user, type: User}
    relation: rated
    object: {column: item, type: Product}
    values:
      score: {column: score, datatype: decimal}
  - file: links.csv
    subject: {column: a, type: Product}
    relation: also_bought
    object: {column: b, type: Product}
"""
RULES = """\
- id: shared-ingredient
  says: "{item} contains {ingredient}, like {product}."
  path: [user purchased product, product ingredient ingredient, item ingredient ingredient]
  weight: 1.5
- id: same-brand
  says: "You bought {product}; {item} is also by {brand}."
  path: [user purchased product, product brand brand, item brand brand]
  weight: 1.5
- id: also-bought
  says: "{item} is often bought with {product}."
  path: [user purchased product, product also_bought item]
  weight: 2.5
- id: loved-ingredient
  says: "You rated {product} {r.score} stars; {item} contains {ingredient} too."
  path: [user rated product as r, product ingredient ingredient, item ingredient ingredient]
  weight: 2
"""
LEAVES = {"serum": "skin", "mask": "skin", "shampoo": "hair"}


def products() -> list[tuple[str, str, str, str]]:
    """(id, brand, leaf category, ingredients) for 24 products: s00-s15 skin, h00-h07 hair."""
    out = []
    for n in range(24):
        pid, leaf = (f"s{n:02d}", "serum" if n % 2 else "mask") if n < 16 else (f"h{n - 16:02d}", "shampoo")
        ingredients = [f"rare{n // 2}"] + (["glycerin"] if n % 6 else []) + (["rare0"] if n == 16 else [])
        out.append((pid, f"brand{n % 5}", leaf, "|".join(ingredients)))
    return out


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "whyrec.yaml").write_text(MAPPING)
    (folder / "rules.yaml").write_text(RULES)
    (folder / "categories.csv").write_text("id,parent\nall,\nskin,all\nhair,all\n" +
                                           "".join(f"{leaf},{dept}\n" for leaf, dept in LEAVES.items()))
    (folder / "products.csv").write_text("id,brand,category,ingredients\n" +
                                         "".join(",".join(p) + "\n" for p in products()))
    buys, rates = [], []
    for u in range(12):
        dept = "s" if u < 8 else "h"
        size = 16 if dept == "s" else 8
        for k in range(3):
            item = f"{dept}{(u * 3 + k * 5) % size:02d}"
            buys.append(f"u{u:02d},{item},2024-0{k + 1}-1{u % 9}")
            if k < 2:
                rates.append(f"u{u:02d},{item},{5 - (u + k) % 3}")
    buys += ["u02,s01,2024-04-12", "u04,s00,2024-04-13"]
    (folder / "purchases.csv").write_text("user,item,date\n" + "\n".join(buys) + "\n")
    (folder / "ratings.csv").write_text("user,item,score\n" + "\n".join(rates) + "\n")
    links = [("s00", "s01"), ("s01", "s00"), ("s02", "s03"), ("s00", "h00")]
    (folder / "links.csv").write_text("a,b\n" + "".join(f"{a},{b}\n" for a, b in links))
    return folder
