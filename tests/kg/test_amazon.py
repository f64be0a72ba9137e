"""The Amazon 2018 loader (kg/load/amazon*.py): tiny synthetic files, then the real data."""
import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from kg.errors import KGError
from kg.load import load_graph
from kg.load.amazon import find_amazon_files, latest_reviews, load_amazon, read_reviews
from kg.load.amazon_brands import brand_key, resolve_brands
from kg.load.amazon_meta import category_path, parse_price, read_meta
from kg.load.amazon_names import clean_title, display_name, fallback_name, name_from_description
from kg.vocab import SCHEMA, WR

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is absent (fresh clone)")
MAG = SHARED / "amazon_magazine_2018"
GIFT = SHARED / "amazon_giftcards_2018"


def review(user, asin, overall=5.0, t=1400000000, **extra):
    return {"overall": overall, "verified": True, "reviewerID": user, "asin": asin, "reviewerName": "Jane Q. Secret",
            "reviewText": "private words", "summary": "Great &amp; cheap", "unixReviewTime": t, **extra}


def write_lines(path: Path, rows: list) -> Path:
    text = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path):
    reviews = write_lines(tmp_path / "Tiny_5.json.gz", [
        review("U1", "A1", 4.0, 1393372800), review("U1", "A2", 2.0), review("U2", "A1", 5.0, verified=False)])
    meta = write_lines(tmp_path / "meta_Tiny.json.gz", [
        {"asin": "A1", "title": '<span class="a-size-medium a-color-secondary"', "brand": "Cond Nast",
         "category": ["Magazine Subscriptions", "Fashion &amp; Style", "Women"], "price": "$1,250.00",
         "description": ["Glamour gives you the best tips."], "also_buy": ["A2", "X9"], "also_view": ["X8"]},
        {"asin": "A2", "title": "Wired &amp; Co", "brand": "", "details": {"Publisher:": "Conde Nast"},
         "category": ["Magazine Subscriptions", "Fashion & Style"], "price": "$5 - $10"},
        {"asin": "X9", "title": "Outside Thing", "brand": "Conde Nast"},
        {"asin": "X7", "brand": "Cond Nast"},  # two items each: frequent enough to call one letter a typo
        {"asin": "A1", "title": "a later duplicate row", "brand": "Other"}])
    return reviews, meta


def test_tiny_files_give_users_items_facts_and_values(tiny):
    g = load_amazon(*tiny)
    assert sorted(g.users()) == ["U1", "U2"] and sorted(g.items()) == ["A1", "A2"]
    assert g.edges("rated").n_edges == 3 and g.edges("purchased").n_edges == 3
    rated = g.edges("rated")
    u1, a1 = g.node("U1"), g.node("A1")
    edge = rated.edge_id(u1, a1)
    assert rated.values["score"][edge] == 4.0
    assert rated.texts["summary"][edge] == "Great & cheap"
    assert rated.texts["date"][edge] == "2014-02-26"
    bought = g.edges("purchased")
    assert bought.texts["verified"][bought.edge_id(g.node("U2"), a1)] == "false"
    assert g.label(u1) == "U1"  # users have no names
    text = "\n".join(g.lines())
    assert "Jane" not in text and "private" not in text and "reviewerName" not in text


def test_tiny_metadata_names_brands_categories_prices_and_also_edges(tiny):
    g = load_amazon(*tiny)
    a1, a2 = g.node("A1"), g.node("A2")
    assert g.label(a1) == "Glamour" and g.label(a2) == "Wired & Co"  # first row wins; debris title replaced
    assert [g.label(b) for b in g.neighbors(a1, "brand")] == ["Conde Nast"]
    assert list(g.neighbors(a1, "brand")) == list(g.neighbors(a2, "brand"))  # "Cond Nast" ~ publisher "Conde Nast"
    leaf = g.neighbors(a1, "category")
    assert [g.label(c) for c in leaf] == ["Women"]
    chain = [g.label(c) for c in g.neighbors(leaf[0], "parent")]
    assert chain == ["Fashion & Style"]
    assert g.values(a1, "price") == [1250.0] and g.values(a2, "price") == []
    assert sorted(g.key(n) for n in g.neighbors(a1, "also_bought")) == ["A2", "X9"]
    x9 = g.node("X9")
    assert g.type_iri(x9) is None and g.label(x9) == "Outside Thing"  # labelled, not a Product
    assert g.label(g.node("X8")) == "X8"


def test_reviews_without_metadata_and_through_the_dispatcher(tiny, tmp_path):
    g = load_amazon(tiny[0])
    assert sorted(g.items()) == ["A1", "A2"] and g.edges("brand") is None
    assert list(load_graph(tmp_path).lines()) == list(load_amazon(*tiny).lines())


def test_latest_review_of_a_pair_wins_and_ties_go_to_the_later_line(tmp_path):
    path = write_lines(tmp_path / "r.json", [review("U", "A", 1.0, 200), review("U", "A", 3.0, 100),
                                             review("U", "B", 1.0, 50), review("U", "B", 2.0, 50)])
    kept = {r.asin: r.score for r in latest_reviews(read_reviews(path))}
    assert kept == {"A": 1.0, "B": 2.0}


@pytest.mark.parametrize("line, code, words", [
    ("{not json", "K031", "invalid JSON"),
    ("{'reviewerID': 'U', 'asin': 'A'}", "K031", "Python literal"),
    ("[1, 2]", "K031", "JSON object"),
    (json.dumps({"reviewerID": "U", "asin": "A"}), "K032", "overall"),
    (json.dumps({"reviewerID": "U", "asin": "A", "overall": "great"}), "K032", "number"),
    (json.dumps({"reviewerID": "U", "asin": "A", "overall": 5, "verified": "yes"}), "K032", "true or false"),
    ('{"reviewerID": "U", "asin": "A", "overall": NaN}', "K031", "invalid JSON"),
])
def test_bad_lines_name_file_and_line(tmp_path, line, code, words):
    path = write_lines(tmp_path / "Bad_5.json", [review("U", "A"), line])
    with pytest.raises(KGError) as e:
        load_amazon(path)
    assert e.value.code == code and words in str(e.value)
    assert e.value.where.file == str(path) and e.value.where.line == 2


def test_python_literal_hint_says_how_to_convert(tmp_path):
    path = write_lines(tmp_path / "Old_5.json", ["{'asin': 'A'}"])
    with pytest.raises(KGError) as e:
        load_amazon(path)
    assert "JSON lines" in e.value.hint


def test_truncated_gzip_is_an_error_not_a_partial_graph(tmp_path):
    good = write_lines(tmp_path / "G_5.json.gz", [review("U", str(k)) for k in range(200)])
    cut = tmp_path / "Cut_5.json.gz"
    cut.write_bytes(good.read_bytes()[:-30])
    with pytest.raises(KGError) as e:
        load_amazon(cut)
    assert e.value.code == "K030"


def test_find_amazon_files(tmp_path):
    assert find_amazon_files(tmp_path) is None
    write_lines(tmp_path / "context.json", [{"a": 1}])
    assert find_amazon_files(tmp_path) is None  # other JSON is not mistaken for reviews
    core = write_lines(tmp_path / "Books_5.json.gz", [review("U", "A")])
    assert find_amazon_files(tmp_path) == (core, None)
    meta = write_lines(tmp_path / "meta_Books.json.gz", [{"asin": "A"}])
    assert find_amazon_files(tmp_path) == (core, meta)
    write_lines(tmp_path / "Toys_5.json.gz", [review("U", "A")])
    write_lines(tmp_path / "meta_Toys.json.gz", [{"asin": "A"}])
    with pytest.raises(KGError) as e:
        find_amazon_files(tmp_path)
    assert e.value.code == "K030"


def test_meta_duplicates_keep_the_first_row_and_fill_its_blanks(tmp_path):
    path = write_lines(tmp_path / "meta_X.json", [{"asin": "A", "title": "First", "brand": ""},
                                                  {"asin": "A", "title": "Second", "brand": "B1"},
                                                  {"asin": "A", "brand": "B2", "category": "not a list"}])
    assert (read_meta(path)["A"].title, read_meta(path)["A"].brand) == ("First", "B1")
    bad = write_lines(tmp_path / "meta_Y.json", [{"asin": "A"}, {"title": "no asin"}])
    with pytest.raises(KGError) as e:
        read_meta(bad)
    assert e.value.where.line == 2


def test_brand_keys_and_merges():
    assert brand_key("Trusted Media Brands, Inc.") == brand_key("Trusted Media Brands, Inc") == "trusted media brands"
    assert brand_key("Condé Nast Publications Ltd") == brand_key("Conde' Nast") == "conde nast"
    brands = resolve_brands(Counter({"Conde Nast": 9, "Cond Nast": 3, "Bonnier Corporation": 5, "Bonnier Corpiration": 2,
                                     "Time": 3, "Tim": 3, "Rare Publisher": 4, "Rare Publishr": 1,
                                     "ABC Publishing Inc": 3, "ABD Publishing Inc": 3}))
    assert brands.resolve("Cond Nast") == brands.resolve("Conde Nast") == ("conde-nast", "Conde Nast")
    assert brands.resolve("Bonnier Corpiration") == brands.resolve("Bonnier Corporation")
    assert brands.resolve("Time") != brands.resolve("Tim")  # too short to call one letter a typo
    assert brands.resolve("Rare Publishr") != brands.resolve("Rare Publisher")  # a one-off is not evidence
    assert brands.resolve("ABC Publishing Inc") != brands.resolve("ABD Publishing Inc")  # short words: other firms
    assert brands.resolve("") is None and brands.resolve("{junk}") is None


def test_titles_names_and_fallbacks():
    assert clean_title('<span class="a-size-medium a-color-secondary"') == ""
    assert clean_title("Steak &#39;n Shake <b>Gift</b> Card") == "Steak 'n Shake Gift Card"
    assert clean_title("var a = new Date().getTime();") == "" and clean_title("x" * 300) == ""
    assert name_from_description(["Better Homes &amp; Gardens offers beautiful photography."]) == "Better Homes & Gardens"
    assert name_from_description(["MAXIMUM PC is the upgrade.", "Read <i>Maximum PC</i> and <i>Maximum PC</i>."]) == "Maximum PC"
    assert name_from_description(["Week after week, The New Yorker keeps its reader current."]) == "The New Yorker"
    assert name_from_description(["This magazine focuses on food. Each issue has recipes."]) == ""
    assert name_from_description(["Discover thousands of tips."]) == ""
    assert name_from_description(["Go behind the runways with W.", "<i>W</i> is bold. <i>W</i> again."]) == "W"
    path = ["Magazine Subscriptions", "Fashion & Style", "Women"]
    assert fallback_name("Hearst", path) == "Hearst magazine in Fashion & Style / Women"
    assert fallback_name("Meredith", path[:2]) == "Meredith magazine in Fashion & Style"
    assert display_name("", [], "", []) == ""


def test_prices_and_category_paths():
    assert parse_price("$12.99") == "12.99" and parse_price("$1,250.00") == "1250.00" and parse_price("7") == "7"
    assert all(parse_price(p) is None for p in ["", "$5 - $10", ".a-box-inner{background-color:#fff}", "$0.00", "free"])
    assert category_path(("Gift Cards", "Gift Cards")) == ["Gift Cards"]
    assert category_path(("Home &amp; Garden", "", "Design &amp;amp; Decoration")) == ["Home & Garden", "Design & Decoration"]


# -- the real data -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def magazine():
    return load_graph(MAG)


@pytest.fixture(scope="module")
def giftcards():
    return load_graph(GIFT)


def _distinct_pairs(folder: Path) -> int:
    files = find_amazon_files(folder)
    return len({(r.user, r.asin) for r in read_reviews(files[0])})


@needs_data
@pytest.mark.parametrize("folder, users, items, lines, facts", [
    (MAG, 348, 157, 2375, 2302),  # 73 user-item pairs were reviewed twice (146 lines)
    (GIFT, 458, 148, 2972, 2965),  # 6 pairs, 13 lines
])
def test_real_counts(folder, users, items, lines, facts, magazine, giftcards):
    g = magazine if folder == MAG else giftcards
    assert len(list(g.users())) == users and len(list(g.items())) == items
    assert len(read_reviews(find_amazon_files(folder)[0])) == lines
    assert g.edges("rated").n_edges == g.edges("purchased").n_edges == facts == _distinct_pairs(folder)
    assert not np.isnan(g.edges("rated").values["score"]).any()


@needs_data
def test_real_latest_review_kept(magazine):
    rated = magazine.edges("rated")
    edge = rated.edge_id(magazine.node("A331QSLLJQ2OMY"), magazine.node("B00005N7SC"))
    assert rated.values["score"][edge] == 2.0 and rated.texts["date"][edge] == "2016-10-24"


@needs_data
@pytest.mark.parametrize("folder", [MAG, GIFT])
def test_no_reviewer_names_anywhere(folder, magazine, giftcards):
    g = magazine if folder == MAG else giftcards
    rows = [json.loads(line) for line in gzip.open(find_amazon_files(folder)[0], "rt", encoding="utf-8")]
    names = {r["reviewerName"] for r in rows if r.get("reviewerName")} - {r.get("summary") for r in rows}
    lines = list(g.lines())
    assert not any("reviewerName" in line or "reviewText" in line for line in lines)
    labels = {g.label(n) for n in range(g.n_nodes)}
    assert not labels & names
    literals = {line.rsplit('"', 1)[0].split(' "', 1)[1] for line in lines if line.endswith('" .')}
    assert not literals & names
    assert all(g.label(g.node(f"user/{u}")) == u for u in g.users())


@needs_data
def test_real_titles_are_readable_and_unique(magazine, giftcards):
    for g in (magazine, giftcards):
        labels = [g.label(g.node(f"product/{a}")) for a in g.items()]
        assert not any("<" in s or "&amp;" in s or "&#" in s for s in labels)
        named = [s for s, a in zip(labels, g.items()) if s != a]
        assert len(set(named)) == len(named)
    mag = {a: magazine.label(magazine.node(f"product/{a}")) for a in magazine.items()}
    assert mag["B00005N7OV"] == "Better Homes & Gardens" and mag["B00005N7P0"] == "Maximum PC"
    assert sum(label != asin for asin, label in mag.items()) == 151  # every item with a metadata record


@needs_data
def test_real_categories_unescaped_with_parent_chain(magazine):
    cats = magazine.nodes_of(WR + "Category")
    assert not any("&amp;" in magazine.label(c) for c in cats)
    leaf = magazine.neighbors(magazine.node("B00005N7P0"), "category")
    chain = [magazine.label(leaf[0])]
    while len(up := magazine.neighbors(magazine.node(magazine.iri(int(leaf[0]))), "parent")):
        leaf = up
        chain.append(magazine.label(up[0]))
    assert chain == ["Computers & Internet", "Technology", "Magazine Subscriptions"]


@needs_data
def test_real_brand_spellings_merge(magazine):
    def brand(asin):
        return [magazine.label(b) for b in magazine.neighbors(magazine.node(asin), "brand")]
    # "Conde Nast Publications", "Cond Nast Publications", "Conde Nast"
    assert brand("B00005N7PG") == brand("B00005N7PS") == brand("B00HG1BOWO") == ["Conde Nast"]
    assert brand("B00005N7Q5") == brand("B00005N7R0") == ["Bonnier Corporation"]  # "Bonnier Corpiration"
    assert brand("B00005N7OV") == brand("B00005N7U1") == brand("B000ILVRWQ") == ["Meredith"]
    labels = [magazine.label(b) for b in magazine.nodes_of(SCHEMA + "Brand")]
    assert sum("nast" in s.casefold() for s in labels) == 1 and len(labels) == 49


@needs_data
def test_real_prices_and_also_edges(magazine, giftcards):
    prices = giftcards.numbers("price")
    assert int((~np.isnan(prices)).sum()) == 107 and np.nanmax(prices) == 700.0
    assert magazine.numbers("price") is None  # the Magazine prices are empty or page debris
    for g, bought in ((magazine, 8413), (giftcards, 9858)):
        assert g.edges("also_bought").n_edges == bought
    catalog = set(magazine.items())
    targets = {magazine.key(n) for n in magazine.edges("also_bought").out.indices.tolist()}
    assert targets - catalog and len(catalog) == 157  # outside targets exist and are not Products


@needs_data
def test_loading_twice_gives_identical_lines(magazine):
    assert list(load_graph(MAG).lines()) == list(magazine.lines())


@needs_data
def test_malformed_line_in_a_real_copy(tmp_path):
    src = find_amazon_files(MAG)
    lines = gzip.open(src[0], "rt", encoding="utf-8").read().splitlines()
    lines[99] = lines[99][:-5]
    copy = tmp_path / src[0].name
    with gzip.open(copy, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    shutil.copy(src[1], tmp_path / src[1].name)
    with pytest.raises(KGError) as e:
        load_graph(tmp_path)
    assert e.value.code == "K031" and f"{copy}:100:" in str(e.value)
