"""English: every word whyrec writes or reads in English, in one place (the spirit of spaCy's spacy/lang/).

Moved here verbatim from generation/phrasing.py (relation phrasings) and generation/labels.py (the
closed list of connectives, numbers, crowd nouns); those modules import them back under their old
names, so English output is byte for byte what it was (tests/generation/test_golden_en.py).
"""
from __future__ import annotations

# -- hand-written variants for the default relations -----------------------------------------
# "verbs": "{s} VERB {o}" (the first is canonical). "user": the subject is the user ("you ...").
# "extra": full patterns beyond "{s} VERB {o}". "inverse": "{o} INV {s}" (read, rarely written).
RELATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "purchased": {"user": ("you bought {o}", "you purchased {o}", "you picked up {o}", "you ordered {o}"),
                  # "paid for": the purchase, its amount the product's price ("the 30 you paid for X")
                  "verbs": ("bought", "purchased", "ordered", "picked up", "buy", "buys", "purchase", "paid for",
                            "paid"),
                  "crowd": ("{n} {a} bought {o}", "{n} other {a} bought {o}", "{n} {a} purchased {o}"),
                  "inverse": ("bought by", "purchased by", "ordered by")},
    "rated": {"user": ("you rated {o}", "you gave {o} a rating"),
              "score": ("you rated {o} {score} stars", "you gave {o} {score} stars", "you rated {o} {score} out of 5"),
              "verbs": ("rated", "gave", "scored", "rate", "rates"),
              "crowd": ("{n} {a} rated {o}", "{n} other {a} rated {o}"),
              "inverse": ("rated by",)},
    "viewed": {"user": ("you looked at {o}", "you viewed {o}", "you browsed {o}"),
               "verbs": ("looked at", "viewed", "browsed", "view", "views", "look at"),
               "crowd": ("{n} {a} looked at {o}", "{n} {a} viewed {o}"),
               "inverse": ("viewed by",)},
    "reviewed": {"user": ("you reviewed {o}", "you wrote about {o}"),
                 "verbs": ("reviewed", "wrote about", "review", "reviews"),
                 "crowd": ("{n} {a} reviewed {o}",), "inverse": ("reviewed by",)},
    "prefers": {"user": ("you prefer {o}", "you told us you like {o}", "you chose {o}", "you love {o}"),
                # "like" alone is a comparison ("like Glow Serum"), so it is only a verb after "you".
                "verbs": ("prefer", "prefers", "you like", "told us you like", "chose", "love", "loves",
                          "told us you love", "told us you prefer", "told us is yours", "is yours",
                          "said you like"),
                "crowd": ("{n} {a} prefer {o}",), "inverse": ("preferred by", "loved by")},
    "brand": {"verbs": ("is made by", "is by", "comes from", "is from", "come from"),
              "inverse": ("makes", "make", "brand of")},
    "category": {"verbs": ("is in", "belongs to", "sits in", "is a kind of", "belong to"),
                 "extra": ("{s} is one of the {o}",), "inverse": ("category of",)},
    "parent": {"verbs": ("is part of", "falls under", "sits within", "part of"), "inverse": ("subcategory",)},
    "ingredient": {"verbs": ("contains", "is made with", "has", "contain", "have", "includes", "include"),
                   "inverse": ("ingredient of", "is found in", "found in")},
    "material": {"verbs": ("is made of", "uses", "use"), "inverse": ("material of",)},
    "colour": {"verbs": ("comes in", "has the colour", "is in the shade", "come in", "is in the colour"),
               "inverse": ("colour of",)},
    "finish": {"verbs": ("has a finish of", "gives a finish of", "leaves a finish of"),
               "extra": ("{s} has a {o} finish", "{s} gives a {o} finish", "{s} leaves a {o} finish"),
               "inverse": ("finish of",)},
    "suits": {"verbs": ("suits", "is suitable for", "is made for", "works for", "suit", "work for"),
              "inverse": ("suited by",)},
    "claim": {"verbs": ("is", "is certified", "is labelled"), "inverse": ("claim of",)},
    "also_bought": {"verbs": ("is often bought with", "is also bought with", "is bought with"),
                    "extra": ("{a} who buy {s} also buy {o}", "{a} who bought {s} also bought {o}"),
                    "inverse": ()},
    "also_viewed": {"verbs": ("is often viewed with", "is also viewed with", "is viewed with"),
                    "extra": ("{a} who view {s} also view {o}",), "inverse": ()},
    "bought_together": {"verbs": ("is bought together with", "goes with", "pairs with", "is made to go with",
                                  "go with", "pair with", "is sold together with"),
                        "inverse": ()},
    "price": {"verbs": ("costs", "is priced at", "cost"), "inverse": ("price of",)},
    "budget": {"user": ("your budget is {o}", "you set a budget of {o}", "you have a budget of {o}"),
               # all say the user's budget: the subject is fixed, the verifier never looks for one
               "verbs": ("your budget is", "your budget of", "budget of", "set a budget of",
                         "have a budget of", "budget is"),
               "inverse": ()},
    "size": {"verbs": ("comes in a size of", "is sized", "comes in size"), "inverse": ("size of",)},
}

# Verbs of a shared-subject sentence ("A and B both contain X") in their plural form.
PLURAL = {"is": "are", "has": "have", "contains": "contain", "comes": "come", "suits": "suit",
           "goes": "go", "pairs": "pair", "works": "work", "belongs": "belong", "falls": "fall",
           "sits": "sit", "gives": "give", "leaves": "leave", "costs": "cost", "uses": "use",
           "makes": "make", "includes": "include", "buys": "buy", "loves": "love", "prefers": "prefer"}

# Grammatical words that do not change what a phrase claims; dropped before phrases are compared.
# Deliberately short: a time word ("recently", "often", "usually") or an intensifier claims something,
# so it is read only where a phrase itself contains it ("is often bought with").
FILLER = frozenset({"a", "an", "the", "also", "too", "both", "do", "does", "did", "have", "has", "had"})
# Auxiliaries said in several ways; "have"/"has" are filler unless a phrase starts with them.
AUX = {"are": "is", "was": "is", "were": "is", "be": "is", "been": "is", "'s": "is"}


# Verbs kept for reading only: they are grammatical only in the plural or after "you".
NOT_SAID = frozenset({"paid for", "paid", "buy", "purchase", "rate", "view", "look at", "review", "prefer", "love", "come from",
                       "belong to", "contain", "have", "include", "come in", "suit", "work for", "go with",
                       "pair with", "cost", "use", "part of", "is yours", "told us is yours", "gave",
                       "budget of", "your budget of", "set a budget of", "have a budget of", "budget is"})


# First words of "is ..." phrases that also work without "is", as a participle after a name.
PARTICIPLES = frozenset({"made", "bought", "sold", "found", "suitable", "part", "often", "also"})


WORD_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20}
# Nouns a sentence may use for a counted crowd; which of them a catalog accepts is the verifier's call
# (its audience noun, "people" and "others"); a noun outside this list is simply an unread word.
CROWD_NOUNS = frozenset({"shoppers", "shopper", "customers", "customer", "people", "person", "buyers", "buyer",
                         "others", "fans", "users", "viewers", "viewer", "readers", "reader", "listeners",
                         "members", "guests", "travellers", "travelers", "players", "students", "patients",
                         "diners", "subscribers", "visitors", "watchers", "moviegoers"})
NEGATIONS = frozenset({"not", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"})
USER_WORDS = frozenset({"you", "your", "yours", "yourself"})
RELATIVE = frozenset({"which", "that", "who", "whom"})
PRONOUNS = frozenset({"it", "they", "them", "this"})
POSSESSIVE = frozenset({"its", "their", "'s"})
# The closed world: the only connective words a verified sentence may use besides names, values,
# relation phrases and the words above. "but", "so", "because", "or" claim contrast, cause or
# choice that no fact states, so they are not here (they make a sentence unreadable).
CONJUNCTIONS = frozenset({"and"})
CONNECTIVES = frozenset({"also", "both", "too", "the", "as", "well"})
# Comparison words between two values: "costs 21.50, within your budget of 40" -> 21.5 <= 40.
COMPARISONS = {("within",): "<=", ("at", "most"): "<=", ("under",): "<", ("below",): "<",
               ("less", "than"): "<", ("cheaper", "than"): "<", ("lower", "than"): "<",
               ("more", "than"): ">", ("above",): ">", ("over",): ">", ("higher", "than"): ">",
               ("dearer", "than"): ">", ("pricier", "than"): ">"}
HARD = frozenset({".", "!", "?", ";", ":"})
CURRENCY = frozenset({"$", "£", "€"})
# Labels made only of these words are not names ("New", "The"): matching them would flag ordinary prose.
STOP = frozenset({"a", "an", "the", "and", "or", "of", "in", "on", "is", "it", "to", "for", "with", "by", "you",
                   "your", "new", "other", "more", "none", "n/a", "na", "unknown", "generic", "like", "as", "at"})


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def count_text(n: int | str) -> str:
    """How a count is written in a sentence: digits."""
    return str(n)


NAME = "English"
SPACED = True
AUDIENCE = "people"
YOU = "you"  # the user, as sentences and the model input say them
