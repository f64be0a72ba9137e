"""``whyrec explain`` (one pair) and ``whyrec demo`` (what ``make demo`` runs)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEMO_GRAPH = Path(__file__).resolve().parents[2] / "data" / "demo"
DEFAULT_RULES = Path(__file__).resolve().parents[2] / "data" / "rules" / "default.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser("explain", help="why this item for this user: checked reasons",
                        description="Explain why ITEM suits USER: find chains of facts with the rules, rank them, "
                                    "say them with the verbalizer and check every claim against the graph.")
    ex.add_argument("--graph", required=True, help="graph to load (folder with whyrec.yaml, RDF file, Amazon folder)")
    ex.add_argument("--rules", default=str(DEFAULT_RULES), help="rule file (default: the shipped default rules)")
    ex.add_argument("--user", required=True, help="user id or IRI")
    ex.add_argument("--item", required=True, help="item id or IRI")
    ex.add_argument("--k", type=int, default=3, help="how many reasons at most (default 3)")
    ex.add_argument("--json", action="store_true",
                    help="print JSON (whyrec/schema/explanation.v1.json) instead of text; errors as JSON on stderr")
    ex.add_argument("--debug", action="store_true", help="with --json: add the ranker's scores and stage timings")
    ex.add_argument("--hide-tag", action="append", default=[], metavar="TAG",
                    help="never give reasons of rules with this tag (repeat for more)")
    ex.add_argument("--consent", action="store_true",
                    help="the user consented to reasons tagged 'sensitive' (hidden otherwise)")
    ex.add_argument("--html", metavar="FILE", help="also write the interactive picture to FILE")
    ex.add_argument("--staff", action="store_true",
                    help="the picture for support staff: it names the user by id and dates their facts")
    ex.add_argument("--templates", action="store_true", help="say reasons with rule templates only (no model)")
    ex.add_argument("--model", metavar="DIR", help="verbalizer checkpoint folder (default: the shipped model)")
    ex.add_argument("--lang", default="en", metavar="CODE",
                    help="language of the reasons and the page: en (default) or zh (the rules' Chinese templates, "
                         "the shipped Chinese model, labels in Chinese)")
    ex.add_argument("--weak-chains", default="alone", choices=("alone", "always", "drop", "keep"),
                    help="weak evidence (a node most items share, a product of another department): 'alone' "
                         "(default) one lone weak reason when nothing better links the pair and it scores like a "
                         "real choice's weak link; 'always' one whatever its score; 'drop' none; 'keep' ranked as any")
    ex.set_defaults(run=run_explain)
    demo = sub.add_parser("demo", help="explain a handful of pairs of the shipped demo catalog",
                          description="Load the demo catalog, explain a few user-item pairs, print the reasons "
                                      "(a check mark for verified ones) and write an HTML page.")
    demo.add_argument("--out", default="whyrec-demo", help="folder for the HTML pages, one per pair (default whyrec-demo)")
    demo.add_argument("--pairs", type=int, default=5, help="how many pairs (default 5)")
    demo.add_argument("--templates", action="store_true", help="rule templates only (no model)")
    demo.add_argument("--lang", default="en", metavar="CODE", help="language of the reasons and pages: en (default) or zh")
    demo.set_defaults(run=run_demo)


def _explainer(graph_path: str, rules_path: str, templates: bool, model: str | None, lang: str = "en",
               weak_chains: str = "alone"):
    from generation.explain import DEFAULT, Explainer
    from generation.lang import get_language
    lang = get_language(lang).code  # an unknown language fails before the graph loads
    from kg import load_graph
    from kg.progress import progress
    from reasoning import load_rules
    with progress(1, f"loading {graph_path}") as bar:
        graph = load_graph(graph_path)
        bar.update()
    rules = load_rules(rules_path, graph)
    if templates:
        return graph, Explainer(graph, rules, verbalizer=None, lang=lang, weak_chains=weak_chains)
    from generation.vcache import disk_cache_for
    from generation.verbalizer import check_lang, default_model_dir
    folder = Path(model) if model else default_model_dir(lang)
    if (folder / "config.json").exists():
        check_lang(folder, lang)  # V014: a model of another language never writes this one's reasons
    if not model and not (folder / "config.json").exists():
        return graph, Explainer(graph, rules, verbalizer=DEFAULT, lang=lang, weak_chains=weak_chains)  # no shipped model: templates
    # the model loads on its first miss; a repeated question is answered from disk, without torch
    cache = disk_cache_for(folder)
    return graph, Explainer(graph, rules, verbalizer=cache.model, vcache=cache, lang=lang,
                            weak_chains=weak_chains)


def print_explanation(e, out=None, lang: str = "en") -> None:
    from whyrec.terminal import one_line as s  # a label with a newline or ESC cannot forge a line

    out = out or sys.stdout  # looked up per call, so redirect_stdout (and pytest's capsys) see it
    if lang == "zh":
        print(f"为什么向{s(e.user)}推荐{s(e.item_label)}（{s(e.item)}）？", file=out)
    else:
        print(f"Why {s(e.item_label)} ({s(e.item)}) for {s(e.user)}?", file=out)
    if e.empty:
        print(f"  (no reasons: {s(e.message)})", file=out)
    for r in e.reasons:
        mark = "\u2713" if r.verified else "\u26a0"
        how = f"score {r.score:.2f}" if r.confidence is None else f"confidence {r.confidence:.2f}"
        print(f"  {mark} {s(r.text)}   [{s(r.rule)}, {r.source}, {how}]", file=out)
    if e.truncated or e.timed_out:
        print(f"  note: {s('; '.join(e.notes))}", file=out)


def run_explain(args: argparse.Namespace) -> int:
    graph, explainer = _explainer(args.graph, args.rules, args.templates, args.model, args.lang,
                                 args.weak_chains)
    e = explainer.explain(args.user, args.item, k=args.k, hide_tags=set(args.hide_tag), consent=args.consent)
    if args.json:
        print(json.dumps(e.to_dict(debug=args.debug), indent=2, ensure_ascii=False))
    else:
        print_explanation(e, lang=explainer.lang)
    if args.html:
        from generation.render import write_html
        write_html(e, graph, args.html, staff=args.staff, lang=explainer.lang)
        print(f"wrote {args.html}", file=sys.stderr)
    return 0


def demo_pairs(graph, explainer, n: int) -> list[tuple[str, str]]:
    """A few pairs that show different rules: each user with an item the default rules reach."""
    from reasoning import find_chains
    users = sorted(graph.users())
    items = sorted(graph.items())
    pairs, seen_rules = [], set()
    for step, user in enumerate(users[::7]):
        for item in items[(step * 37) % len(items)::11][:12]:
            res = find_chains(graph, explainer.rules, user, item)
            rules = {c.rule for c in res.chains}
            if rules and not rules <= seen_rules:
                pairs.append((user, item))
                seen_rules |= rules
                break
        if len(pairs) >= n:
            break
    return pairs


def run_demo(args: argparse.Namespace) -> int:
    from generation.explain import DEFAULT, Explainer
    from kg import load_graph
    from kg.progress import progress
    from reasoning import load_rules
    from whyrec.commands.kg_cmd import info_text

    bar = progress(5, "whyrec demo")  # on a terminal only: a log gets the results, not the bar
    start = time.perf_counter()
    bar.set_postfix_str("loading the demo catalog")
    graph = load_graph(DEMO_GRAPH)
    loaded = time.perf_counter() - start
    bar.update()
    bar.set_postfix_str("checking the default rules")
    rules = load_rules(DEFAULT_RULES, graph)
    bar.update()
    bar.set_postfix_str("training the ranker, loading the verbalizer")
    explainer = Explainer(graph, rules, verbalizer=None if args.templates else DEFAULT, lang=args.lang)
    bar.update()
    bar.set_postfix_str("choosing pairs")
    pairs = demo_pairs(graph, explainer, args.pairs)
    bar.update()
    bar.set_postfix_str("explaining")
    explanations = explainer.explain_many(pairs)
    bar.update()
    bar.close()
    print(info_text(graph, loaded))
    model = "templates only" if explainer.verbalizer is None else "the shipped verbalizer"
    model += "" if explainer.lang == "en" else f" ({explainer.lang})"
    print(f"\nrules: {len(rules)} from {DEFAULT_RULES.name}; sentences by {model}; "
          f"ranker: {'trained on the graph' if explainer.scorer.trained else 'rule weights'}"
          + (f", confidence calibrated on {explainer.calibration.pairs} held-out pairs" if explainer.calibration else "")
          + "\n")
    for e in explanations:
        print_explanation(e, lang=explainer.lang)
        print()
    verified = sum(r.verified for e in explanations for r in e.reasons)
    total = sum(len(e.reasons) for e in explanations)
    print(f"{verified}/{total} reasons verified against the graph (\u2713); "
          f"{time.perf_counter() - start:.1f} s in all")
    from generation.render import write_html
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for n, e in enumerate(explanations, 1):  # one page per pair: a page never shows two shoppers
        write_html(e, graph, out / f"pair-{n}.html", lang=explainer.lang)
    print(f"wrote {len(explanations)} pages to {out}/ (pair-1.html ...): open them in a browser, offline")
    return 0
