"""A small shop as CSV tables and a mapping, with planted canary shoppers, for the reliability suite.

u1 bought Glow Serum (Lumière, niacinamide) and rated it 5; u2 bought Night Oil; u3 viewed Glow
Cream. Four canary shoppers bought Glow Serum too and rated Night Oil 5 stars with a review that
names them: the collaborative rule may count them for u1, and nothing else of theirs may show.
"""
from __future__ import annotations

from pathlib import Path

CANARY_IDS = ("canary-7f3a", "canary-91be", "canary-c04d", "canary-e55f")
CANARY_NAMES = ("Quillon Canarywood", "Ysolde Canarybright", "Tamsin Canaryvale", "Oswin Canaryfield")
CANARY_REVIEW = "CANARY-REVIEW-93B1"
CANARY_TEXTS = CANARY_IDS + CANARY_NAMES + (CANARY_REVIEW, "Canary")

MAPPING = """\
namespace: https://id.example.com/reliability/
nodes:
  - file: products.csv
    type: Product
    id: product_id
    label: name
    columns:
      brand: {relation: brand, type: Brand}
      category: {relation: category, type: Category}
      price: {relation: price, datatype: decimal}
      ingredients: {relation: ingredient, type: Ingredient, split: "|"}
  - file: users.csv
    type: User
    id: user_id
    label: name
    columns:
      budget: {relation: budget, datatype: decimal}
facts:
  - file: purchases.csv
    subject: {column: user_id, type: User}
    relation: purchased
    object: {column: product_id, type: Product}
  - file: views.csv
    subject: {column: user_id, type: User}
    relation: viewed
    object: {column: product_id, type: Product}
  - file: ratings.csv
    subject: {column: user_id, type: User}
    relation: rated
    object: {column: product_id, type: Product}
    values:
      score: {column: rating, datatype: decimal}
      summary: {column: summary}
"""

PRODUCTS = '''\
product_id,name,brand,category,price,ingredients
p1,Glow Serum,Lumière,Serums,30,niacinamide|squalane
p2,Glow Cream,Lumière,Creams,25,niacinamide
p3,Night Oil,Nocturne,Oils,40,retinol|squalane
p4,Day Fluid,Solenne,Creams,20,zinc
p5,"Lip Tint ""Rosé""",Nocturne,Lips,15,
'''

RULES = """\
- id: same-brand
  says: "You bought {product}; {item} is also made by {brand}."
  path:
    - user purchased product
    - product brand brand
    - item brand brand
  when:
    - product != item
  weight: 2
- id: shared-ingredient
  says: "{item} contains {ingredient}, like {product}, which you rated {r.score} stars."
  path:
    - user rated product as r
    - product ingredient ingredient
    - item ingredient ingredient
  when:
    - r.score >= 4
    - product != item
- id: viewed
  says: "You looked at {item}."
  path:
    - user viewed item
- id: crowd
  tags: [collaborative]
  min_support: 2
  min_support_reason: "a test shop of seven shoppers"
  says: "{count} {audience} who bought {product}, like you, rated {item} 4 stars or more."
  path:
    - user purchased product
    - other purchased product
    - other rated item as r
  when:
    - r.score >= 4
"""

USERS = ("u1", "u2", "u3")


def write_shop(folder: Path) -> Path:
    """The shop's tables, mapping and rules in ``folder``; returns the folder (load_graph takes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "whyrec.yaml").write_text(MAPPING, encoding="utf-8")
    (folder / "products.csv").write_text(PRODUCTS, encoding="utf-8")
    users = ["user_id,name,budget", "u1,Ada,35", "u2,Ben,", "u3,Cleo,50"]
    users += [f"{i},{n}," for i, n in zip(CANARY_IDS, CANARY_NAMES)]
    purchases = ["user_id,product_id", "u1,p1", "u2,p3"] + [f"{i},p1" for i in CANARY_IDS] \
        + [f"{i},p3" for i in CANARY_IDS]
    views = ["user_id,product_id", "u1,p2", "u3,p2", "u3,p5"] + [f"{i},p4" for i in CANARY_IDS]
    ratings = ["user_id,product_id,rating,summary", "u1,p1,5,Love it", "u2,p3,4,Nice oil"]
    ratings += [f"{i},p3,5,{CANARY_REVIEW} {n} says hi" for i, n in zip(CANARY_IDS, CANARY_NAMES)]
    for name, rows in (("users", users), ("purchases", purchases), ("views", views), ("ratings", ratings)):
        (folder / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    return folder
