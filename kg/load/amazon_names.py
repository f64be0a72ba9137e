"""Display names for Amazon items whose ``title`` is missing or page debris.

In the 2018 Magazine metadata 148 of 151 reviewed items have the title
``<span class="a-size-medium a-color-secondary"``; other categories hold scraped
JavaScript or CSS. We use, in order:

1. the title, with tags stripped and entities decoded, unless what is left looks like
   markup or code (``{``, ``getTime``, ``var ``) or is longer than ``MAX_TITLE``;
2. the name the description gives itself: descriptions open with "<Name> is ...",
   "<Name> magazine offers ...", "..., <Name> has been ...", so a run of capitalised
   words followed by a verb is a name; otherwise the phrase the description sets in
   italics most often (``<i>Vanity Fair</i>``), when it does so at least twice;
3. the publisher and the most specific category: "Meredith magazine in Recipes & Techniques",
   "Hearst Magazines title in Fashion & Style / Women".
"""
from __future__ import annotations

import html
import re
from collections import Counter

MAX_TITLE = 200
JUNK = ("getTime", "{", "}", "var ", "function(", "();", "<", ">", "http://", "https://")
_TAG = re.compile(r"<[^<>]*>|<[^<>]*$")  # a tag, or an unclosed tag running to the end
_ITALIC = re.compile(r"<(?:i|em|I|EM)>(.*?)</(?:i|em|I|EM)>", re.S)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CLAUSE = re.compile(r"[,:;]\s+|\s+--?\s+")
# Verbs with which a description says what its product does: "<Name> offers ...".
VERBS = frozenset("""is are was has have offers brings gives sets covers helps focuses provides delivers reveals
celebrates requires captures uncovers makes takes keeps features inspires explores dishes shares tells includes
serves presents lets puts shows teaches combines informs examines publishes contains showcases highlights
spotlights continues remains chronicles educates connects empowers embraces knows goes gets speaks
invites gathers guides answers caters appeals reports tracks blends mixes""".split())
CONNECTORS = frozenset("& + and of the de du la for on in at".split())
# A "name" that is really the start of a sentence: "This magazine is ...", "Each issue has ...".
NOT_NAMES = frozenset("""a an the this that these those each every our your its it we you they he she his her
their magazine magazines here there now new all any some no one issue issues subscribe nobody everyone
everybody someone anyone also plus more most only just still today readers subscribers""".split())


def strip_markup(text: str) -> str:
    """Tags removed, entities decoded (twice: the data holds ``&amp;#39;``), spaces collapsed."""
    text = _TAG.sub(" ", text or "")
    for _ in range(2):
        text = html.unescape(text)
    return " ".join(_TAG.sub(" ", text).split())


def clean_title(raw: str) -> str:
    """The title as a name, or '' when it is empty or page debris."""
    if not raw or len(raw) > 4 * MAX_TITLE:
        return ""
    text = strip_markup(raw)
    if not text or len(text) > MAX_TITLE or any(j in text for j in JUNK) or not re.search(r"\w", text):
        return ""
    return text


def name_from_description(paragraphs: list[str]) -> str:
    """The product's name as its description states it, or ''."""
    if not paragraphs:
        return ""
    italics = Counter(n for p in paragraphs for m in _ITALIC.findall(p) if (n := _italic_name(m)))
    for paragraph in paragraphs[:2]:
        for sentence in _SENTENCE.split(strip_markup(paragraph))[:3]:
            for clause in _CLAUSE.split(sentence):  # "Week after week, The New Yorker keeps ..."
                name = _leading_name(clause.split())
                if name:
                    return _fix_case(name, italics)
    if italics:
        name, count = min(italics.items(), key=lambda kv: (-kv[1], kv[0]))
        if count >= 2:
            return name
    return ""


def _italic_name(raw: str) -> str:
    text = strip_markup(raw)
    if not text or len(text) > 60 or text.startswith(("-", "*")) or not text[0].isupper():
        return ""
    return text


def _is_name_word(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _leading_name(words: list[str]) -> str:
    """'Better Homes & Gardens offers ...' -> 'Better Homes & Gardens'."""
    run: list[str] = []
    for word in words[:8]:
        bare = word.rstrip(",;:")
        if _is_name_word(bare) or (run and bare in CONNECTORS):
            run.append(bare)
            if bare != word:  # "Harper's BAZAAR, the fashion authority": an apposition, not a verb
                return ""
            continue
        break
    while run and run[-1].casefold() in CONNECTORS:
        run.pop()
    if not run or len(run) > 6 or all(w.casefold() in NOT_NAMES for w in run) or not any(c.isalpha() for c in run[0]):
        return ""  # "This magazine ...", "Each issue ..." start sentences; "This Old House" is a name
    rest = [w.casefold().strip(",.;:!?") for w in words[len(run):len(run) + 2]]
    if rest and rest[0] in ("magazine", "magazines"):  # "Discover magazine provides", "Good Housekeeping magazine, ..."
        return " ".join(run)
    return " ".join(run) if rest and rest[0] in VERBS else ""


def _fix_case(name: str, italics: Counter[str]) -> str:
    """'MAXIMUM PC' -> 'Maximum PC' (the italic spelling if the text has one); 'Martha' ->
    'Martha Stewart Living' when the text sets that in italics."""
    for spelled in sorted(italics, key=len, reverse=True):
        if spelled.casefold().startswith(name.casefold() + " "):
            return spelled
    if not name.isupper():
        return name
    for spelled in sorted(italics):
        if spelled.casefold() == name.casefold() and not spelled.isupper():
            return spelled
    return " ".join(_title_word(w, first=k == 0) for k, w in enumerate(name.split()))


def _title_word(word: str, first: bool) -> str:
    """One upper-case word in title case; short words are kept: they are often acronyms (PC, TV)."""
    if word.casefold() in CONNECTORS:  # "THE", "AND", "OF" are words, not acronyms
        return word[:1] + word[1:].lower() if first else word.lower()
    return word[:1] + word[1:].lower() if len(word) > 3 else word


def kind_word(root_category: str) -> str:
    """What one item is called, from the root category: 'Magazine Subscriptions' -> 'magazine'."""
    words = root_category.casefold().split()
    if words and words[-1] == "subscriptions":
        words = words[:-1]
    if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words) or "product"


def fallback_name(brand: str, path: list[str]) -> str:
    """'Hearst Magazines title in Fashion & Style / Women' from publisher and category path."""
    kind = kind_word(path[0]) if path else "product"
    leaf = path[-1] if len(path) > 1 else ""
    if leaf and len(leaf.split()) == 1 and len(path) > 2:  # "Women" alone says little
        leaf = f"{path[-2]} / {leaf}"
    if brand and brand.casefold().rstrip("s").endswith(kind.rstrip("s")):
        kind = "title"  # "Hearst Magazines magazine" reads badly
    if brand and leaf:
        return f"{brand} {kind} in {leaf}"
    if brand:
        return f"{brand} {kind}"
    if leaf:
        return f"{leaf} {kind}"
    return ""


def display_name(title: str, description: list[str], brand: str, path: list[str]) -> str:
    """The best readable name the record offers, or '' (the node then shows its ASIN)."""
    return clean_title(title) or name_from_description(description) or fallback_name(brand, path)
