"""The second round's cases on the API, table values, confident wrong answers and terminal output.

See tests/reliability/round2.py for what a case is and how it is judged.
"""
from __future__ import annotations

import contextlib
import io
import json
import logging
import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from tests.reliability.round2 import Case, _shop_graph
from tests.reliability.shop import MAPPING, PRODUCTS, RULES, write_shop

ESC_LABEL = "Glow\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]8;;https://evil.example\x07Serum\u202e"


@lru_cache(maxsize=1)
def _explainer():
    import tempfile

    from generation.explain import Explainer
    from reasoning import load_rules

    g = _shop_graph()
    folder = Path(tempfile.mkdtemp(prefix="whyrec-round2-api-"))
    (folder / "rules.yaml").write_text(RULES)
    return Explainer(g, load_rules(folder / "rules.yaml", g), verbalizer=None, scorer="weights",
                     feedback=folder / "f.sqlite")


def call(fn: Callable[[object], object]) -> Callable[[Path], bool]:
    """Misuse of the explainer: ``fn(explainer)`` must be refused (its result is never right)."""
    def run(folder: Path) -> bool:
        fn(_explainer())
        return False
    return run


def generator_pairs(folder: Path) -> bool:
    ex = _explainer()
    got = ex.explain_many(((u, "p2") for u in ("u1", "u3")))
    return [x.user for x in got] == ["u1", "u3"] and got[0] == ex.explain("u1", "p2")


def forged_reason(ex) -> None:
    from generation.explanation import Reason
    from reasoning.chains import Chain
    real = ex.explain("u1", "p2").reasons[0]
    ex.feedback("u1", Reason(real.text, real.rule, 1.0, True, Chain(real.rule, real.chain.facts, ()), "model"), False)


# -- tables: one cell or one mapping line changed -----------------------------------------------------

def table(products: str | None = None, mapping: str | None = None, extra: dict[str, str] | None = None,
          check: Callable[[object], bool] | None = None) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from kg import load_graph
        write_shop(folder)
        if products is not None:
            (folder / "products.csv").write_text(products, encoding="utf-8")
        if mapping is not None:
            (folder / "whyrec.yaml").write_text(mapping, encoding="utf-8")
        for name, text in (extra or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        g = load_graph(folder)
        return check(g) if check is not None else True
    return run


def price_of(row: str) -> str:
    return PRODUCTS.replace("p4,Day Fluid,Solenne,Creams,20,zinc", row)


def dated(value: str) -> Callable[[Path], bool]:
    mapping = MAPPING.replace("      summary: {column: summary}", "      summary: {column: summary}\n"
                              "      date: {column: when, datatype: date}")
    ratings = f"user_id,product_id,rating,summary,when\nu1,p1,5,Love it,{value}\n"
    return table(mapping=mapping, extra={"ratings.csv": ratings})


def relation_column(name: str) -> Callable[[Path], bool]:
    mapping = MAPPING + ("  - file: links.csv\n    subject: {column: a, type: Product}\n    relation: {column: rel}\n"
                         "    object: {column: b, type: Product}\n")
    return table(mapping=mapping, extra={"links.csv": f"a,rel,b\np1,also_bought,p2\np1,{name},p3\n"})


def nfc_ids(g) -> bool:
    return g.label(g.node("café")) == "Café Balm" and len([k for k in g.items() if k.startswith("caf")]) == 1


# -- wrong answers and terminal output --------------------------------------------------------------

def page_keeps_data_equal_to_the_user_id(folder: Path) -> bool:
    from generation.explanation import Explanation, Reason
    from generation.render import render_html
    from reasoning.chains import Binding, Chain, Fact
    fact = Fact("5", "rated", "p1", "5", "Glow Serum", "User", "Product", values=(("score", 5.0),))
    chain = Chain("rated", (fact,), (("user", Binding("5", "5", "User")),))
    page = render_html(Explanation("5", "p1", "Size 5 Cream", (
        Reason("You rated Glow Serum 5 stars.", "rated", 1.0, True, chain, "template"),)))
    return "You rated Glow Serum 5 stars." in page and "Size 5 Cream" in page and "rated you stars" not in page


def page_shows_bidi_controls(folder: Path) -> bool:
    from generation.explanation import Explanation
    from generation.render import render_html
    page = render_html(Explanation("u1", "p1", "Glow \u202eSerum\u2066", ()))
    return "\u202e" not in page and "\u2066" not in page and "\\u202e" in page and "<bdi>" in page


def cli(args: list[str], check: Callable[[str, str, int], bool], label: str | None = None,
        files: dict[str, str] | None = None) -> Callable[[Path], bool]:
    """Run the command line on the shop (a product's name set to ``label``, ``files`` replaced);
    check (stdout, stderr, exit status)."""
    def run(folder: Path) -> bool:
        from whyrec.cli import main
        write_shop(folder)
        if label is not None:
            (folder / "products.csv").write_text(PRODUCTS.replace("Glow Cream", label), encoding="utf-8")
        for name, text in (files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([a.replace("SHOP", str(folder)) for a in args])
        return check(out.getvalue(), err.getvalue(), code)
    return run


def no_controls(out: str, err: str, code: int) -> bool:
    """Ran, nothing a terminal would obey in the output, and the label's ESC shown as text."""
    text = out + err
    return code in (0, 1) and not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f or c == "\u202e"
                                      for c in text) and "\\u001b" in text


def json_same(out: str, err: str, code: int) -> bool:
    doc = json.loads(out)
    return code == 0 and doc["item_label"] == ESC_LABEL and "\u202e" not in out


def html_refused(out: str, err: str, code: int) -> bool:
    return code == 2 and "K050" in err and "Traceback" not in err


def lowered_floor_logged(folder: Path) -> bool:
    from reasoning import load_rules
    (folder / "r.yaml").write_text(RULES.replace('  min_support_reason: "a test shop of seven shoppers"\n',
                                                 '  min_support_reason: "approved for the test shop"\n'))
    seen = io.StringIO()
    handler = logging.StreamHandler(seen)
    logging.getLogger("whyrec.rules").addHandler(handler)
    try:
        load_rules(folder / "r.yaml", _shop_graph())
    finally:
        logging.getLogger("whyrec.rules").removeHandler(handler)
    return "lowers min_support to 2" in seen.getvalue() and "approved for the test shop" in seen.getvalue()


def floor(value: str, reason: bool = True) -> Callable[[Path], bool]:
    def run(folder: Path) -> bool:
        from reasoning import load_rules
        text = RULES.replace("  min_support: 2\n", f"  min_support: {value}\n")
        if not reason:
            text = text.replace('  min_support_reason: "a test shop of seven shoppers"\n', "")
        (folder / "r.yaml").write_text(text)
        load_rules(folder / "r.yaml", _shop_graph())
        return False
    return run


CASES: tuple[Case, ...] = (
    Case("explain: user None", "api", "E004", call(lambda ex: ex.explain(None, "p2"))),
    Case("explain: user 0 (a node number)", "api", "E004", call(lambda ex: ex.explain(0, "p2"))),
    Case("explain: user True", "api", "E004", call(lambda ex: ex.explain(True, "p2"))),
    Case("explain: item 1.5", "api", "E004", call(lambda ex: ex.explain("u1", 1.5))),
    Case("explain: user bytes", "api", "E004", call(lambda ex: ex.explain(b"u1", "p2"))),
    Case("explain: k='3'", "api", "E004", call(lambda ex: ex.explain("u1", "p2", k="3"))),
    Case("explain: k=2.5", "api", "E004", call(lambda ex: ex.explain("u1", "p2", k=2.5))),
    Case("explain: k=nan", "api", "E004", call(lambda ex: ex.explain("u1", "p2", k=math.nan))),
    Case("explain: k=True", "api", "E004", call(lambda ex: ex.explain("u1", "p2", k=True))),
    Case("explain: k=10**9", "api", "E004", call(lambda ex: ex.explain("u1", "p2", k=10**9))),
    Case("explain_many: a 3-tuple", "api", "E004", call(lambda ex: ex.explain_many([("u1", "p2", "x")]))),
    Case("explain_many: a string", "api", "E004", call(lambda ex: ex.explain_many("u1p2"))),
    Case("explain_many: None", "api", "E004", call(lambda ex: ex.explain_many(None))),
    Case("explain_many: a generator of pairs", "api", None, generator_pairs),
    Case("feedback: helpful='no'", "api", "E004", call(lambda ex: ex.feedback("u1", ex.explain("u1", "p2").reasons[0], "no"))),
    Case("feedback: helpful=0", "api", "E004", call(lambda ex: ex.feedback("u1", ex.explain("u1", "p2").reasons[0], 0))),
    Case("feedback: a forged reason with no user", "api", "E004", call(forged_reason)),
    Case("feedback: not a reason", "api", "E004", call(lambda ex: ex.feedback("u1", {"rule": "viewed"}, True))),
    Case("feedback: user 0", "api", "E004", call(lambda ex: ex.feedback(0, ex.explain("u1", "p2").reasons[0], True))),
    Case("table: price 12,50", "wrong", "K023", table(price_of("p4,Day Fluid,Solenne,Creams,\"12,50\",zinc"))),
    Case("table: price 1,250.50 reads 1250.50", "tables", None, table(
        price_of("p4,Day Fluid,Solenne,Creams,\"1,250.50\",zinc"), check=lambda g: g.values(g.node("p4"), "price")
        in ([1250.5], ["1250.50"]))),
    Case("table: decimal 1e3", "tables", "K023", table(price_of("p4,Day Fluid,Solenne,Creams,1e3,zinc"))),
    Case("table: Arabic-Indic digits", "tables", "K023", table(price_of("p4,Day Fluid,Solenne,Creams,٢٠,zinc"))),
    Case("table: duplicate id", "tables", "K023", table(PRODUCTS + "p4,Day Fluid Two,Solenne,Creams,21,zinc\n")),
    Case("table: duplicate header", "tables", "K022", table(PRODUCTS.replace("price,ingredients", "price,price"))),
    Case("table: NFC and NFD ids are one node", "tables", None, table(
        PRODUCTS + "caf\u00e9,Caf\u00e9 Balm,Solenne,Creams,9,zinc\n", extra={"views.csv": "user_id,product_id\n"
                                                                            "u1,cafe\u0301\n"}, check=nfc_ids)),
    Case("table: NFC and NFD ids in one table", "tables", "K023", table(
        PRODUCTS + "caf\u00e9,Balm,Solenne,Creams,9,zinc\ncafe\u0301,Balm 2,Solenne,Creams,9,zinc\n")),
    Case("table: date 2023-02-30", "tables", "K023", dated("2023-02-30")),
    Case("table: date 'yesterday'", "tables", "K023", dated("yesterday")),
    Case("table: date as a Unix timestamp", "tables", "K023", dated("1675209600")),
    Case("table: date 2023-02-28", "tables", None, dated("2023-02-28")),
    Case("table: type: user in lower case", "tables", "K020", table(mapping=MAPPING.replace("    type: User\n", "    type: user\n"))),
    Case("table: relation column says rdf:type", "tables", "K023", relation_column("rdf:type")),
    Case("table: relation column says schema:name", "tables", "K023", relation_column("schema:name")),
    Case("table: relation column gives rdf:type's IRI", "tables", "K023", relation_column(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")),
    Case("table: integer column holds 12.5", "tables", "K023", table(mapping=MAPPING.replace(
        "price: {relation: price, datatype: decimal}", "price: {relation: price, datatype: integer}"),
        products=price_of("p4,Day Fluid,Solenne,Creams,12.5,zinc"))),
    Case("page: verified 'rated 5 stars' for user '5' kept", "wrong", None, page_keeps_data_equal_to_the_user_id),
    Case("page: bidi controls shown, text isolated", "terminal", None, page_shows_bidi_controls),
    Case("rules: min_support 1", "wrong", "R051", floor("1")),
    Case("rules: min_support 3 without a reason", "wrong", "R053", floor("3", reason=False)),
    Case("rules: a lowered floor is logged", "wrong", None, lowered_floor_logged),
    Case("cli explain: ESC and OSC in a label", "terminal", None, cli(
        ["explain", "--graph", "SHOP", "--rules", "SHOP/rules.yaml", "--user", "u1", "--item", "p2", "--templates"],
        no_controls, ESC_LABEL)),
    Case("cli explain --json: same data, no raw controls", "terminal", None, cli(
        ["explain", "--graph", "SHOP", "--rules", "SHOP/rules.yaml", "--user", "u1", "--item", "p2", "--templates",
         "--json"], json_same, ESC_LABEL)),
    Case("cli kg info: ESC and BEL in a relation's label", "terminal", None, cli(
        ["kg", "info", "SHOP"], no_controls, files={"whyrec.yaml": MAPPING + 'relations:\n  purchased: '
                                                   '{label: "bought\\e]0;pwned\\a\\e[2J"}\n'})),
    Case("cli rules check: ESC in a problem it quotes", "terminal", None, cli(
        ["rules", "check", "SHOP/r.yaml", "--graph", "SHOP"], no_controls,
        files={"r.yaml": '- id: seen\n  says: "You looked at {it\\e[2Jem}."\n  path:\n    - user viewed item\n'})),
    Case("cli explain --html into a missing folder", "cli", None, cli(
        ["explain", "--graph", "SHOP", "--rules", "SHOP/rules.yaml", "--user", "u1", "--item", "p2", "--templates",
         "--html", "SHOP/no/x.html"], html_refused)),
    Case("cli explain --html onto a folder", "cli", None, cli(
        ["explain", "--graph", "SHOP", "--rules", "SHOP/rules.yaml", "--user", "u1", "--item", "p2", "--templates",
         "--html", "SHOP"], html_refused)),
)
