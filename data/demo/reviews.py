"""Short review headlines for the demo shop, driven by why a user liked or disliked a product.

``why`` holds the reasons generate.fit found: "skin" (made for the user's skin type), "skin-bad"
(made for other skin types), "hair"/"hair-bad", "brand" (a favourite brand), "finish"/"finish-bad"
(the finish the user likes, or its opposite), "price-bad" (over their usual spend), "vegan-bad".
"""
from __future__ import annotations

import random

SKIN_BAD = {
    "oily": ["Too greasy for my oily skin", "Made my oily skin shiny by noon", "Too rich for oily skin"],
    "dry": ["Too drying for my dry skin", "Left my dry skin tight", "Not enough moisture for dry skin"],
    "combination": ["Too heavy on my T-zone", "Broke out my T-zone", "Oily T-zone by lunchtime"],
    "sensitive": ["Stung my sensitive skin", "Caused redness on my sensitive skin", "Too harsh for sensitive skin"],
    "normal": ["Broke me out, sadly", "Did not agree with my skin", "Left little bumps on my cheeks"],
}
BODY_BAD = ["Too rich for my {skin} skin", "Did not suit my {skin} skin"]
GOOD = [
    "Lovely {finish} finish", "Beautiful {finish} finish that lasts", "Gorgeous {shade} shade",
    "Perfect {shade}, wear it daily", "Perfect for my {skin} skin", "Finally a {short} that suits {skin} skin",
    "Leaves my {hair} hair so soft", "Great on {hair} hair", "Love the {ingredient} in this",
    "You can tell the {ingredient} works", "{brand} never disappoints", "Another {brand} favourite",
    "Great vegan {short}", "Worth every penny", "My holy grail {short}", "Bought it again straight away",
    "Lovely texture, absorbs fast", "Does exactly what it says", "Lasts all day", "Gentle and effective",
]
MIDDLE = [
    "Does the job", "Fine, nothing special", "Decent {short} for the price", "Nice texture, results so-so",
    "Okay {finish} finish but fades fast", "Good, but the scent is strong", "Takes a while to show results",
    "Nice, but {size} goes quickly", "Not bad, not amazing",
]
BAD = {
    "hair-bad": ["Weighed my {hair} hair down", "Left my {hair} hair frizzy", "Not made for {hair} hair"],
    "finish-bad": ["Too {finish} for my liking", "Wanted less of a {finish} look", "{finish} finish is not me"],
    "price-bad": ["Not worth {price}", "Too pricey for what it is", "Overpriced for what you get"],
    "vegan-bad": ["Did not realise it is not vegan", "Returned it, not vegan", "Wish this were vegan"],
    "generic": ["Did nothing for me", "Smell is overpowering", "Packaging feels cheap", "Pilled under make-up",
                "Disappointing {short}", "Would not buy again", "Wore off within an hour"],
}


def _fill(template: str, user: dict, p: dict, ingredient: str, brand: str) -> str:
    text = template.format(finish=p["finish"], shade=p["colour"].replace("-", " "), skin=user["skin"],
                           short=p["leaf"].short, hair=user["hair"].replace("-", " "), ingredient=ingredient,
                           brand=brand, size=p["size"], price=p["price"])
    return text[0].upper() + text[1:]


def _usable(template: str, why: list[str], p: dict) -> bool:
    """A template may name only what is true of this user and product."""
    dept, scented = p["leaf"].dept, "fragrance-free" not in p["claims"]
    needs = {"{finish}": bool(p["finish"]), "{shade}": bool(p["colour"]), "scent": scented, "Smell": scented,
             "absorbs": dept != "make-up", "results": dept != "make-up", "Pilled": dept == "skin-care",
             "Wore off": dept == "make-up", "Gentle": dept != "make-up", "Lasts": dept == "make-up",
             "{skin}": "skin" in why or "skin-bad" in why, "{hair}": "hair" in why or "hair-bad" in why,
             "{brand}": "brand" in why, "vegan": "vegan" in p["claims"], "{ingredient}": dept != "make-up"}
    return all(ok for key, ok in needs.items() if key in template)


def summary(rng: random.Random, stars: int, why: list[str], user: dict, p: dict) -> str:
    from catalog_data import BRANDS, INGREDIENTS
    ingredient = INGREDIENTS[p["ingredients"][0]].split(" (")[0]
    brand = next(b["name"] for b in BRANDS if b["id"] == p["brand"])
    if stars >= 4:
        pool = [t for t in GOOD if _usable(t, why, p)]
        if "finish" in why:  # the reason a user liked it is what they mention first
            pool += ["Lovely {finish} finish"] * 3
        if "skin" in why:
            pool += ["Perfect for my {skin} skin"] * 2
    elif stars == 3:
        pool = [t for t in MIDDLE if _usable(t, why, p)]
    else:
        bad = [r for r in why if r.endswith("-bad")]
        reason = rng.choice(bad) if bad else "generic"
        if reason == "skin-bad":
            pool = BODY_BAD if p["leaf"].dept == "body-care" else SKIN_BAD[user["skin"]]
        else:
            pool = [t for t in BAD[reason] if _usable(t, why, p)] or ["Would not buy again"]
    return _fill(rng.choice(pool), user, p, ingredient, brand)
