"""``whyrec rules ...``: the domain expert's toolkit: check, vocab, test, stats, suggest."""
from __future__ import annotations

import argparse
import json

from kg import KnowledgeGraph, load_graph

GRAPH_HELP = "the graph the rules are for: a folder with whyrec.yaml, a mapping .yaml, an RDF file or an Amazon folder"


def register(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser("rules", help="check, test and measure rule files; list what rules may say",
                           description="Tools for the people who write rules: check a rule file, list the "
                                       "vocabulary of a graph, run a file's expect examples, measure each rule "
                                       "against held-out purchases, and mine new rules from the data.")
    rsub = rules.add_subparsers(dest="rules_command", metavar="SUBCOMMAND", required=True)
    fmt = argparse.RawDescriptionHelpFormatter

    check = rsub.add_parser("check", help="report every problem of a rule file (file:line:col: CODE message; hint)",
                            description="Parse RULES and validate it against the graph's vocabulary. Prints every "
                                        "problem as 'file:line:col: CODE message; hint' and exits 1 if there is "
                                        "any; otherwise prints 'N rules OK' and exits 0. Warnings (R110-R121) "
                                        "name rules that load but never fire in this graph (a step no fact "
                                        "matches or written backwards, text compared with a number, a value "
                                        "out of range or that nothing carries, a name the graph lacks) and "
                                        "rules that duplicate or are narrower than another.")
    check.add_argument("rules", help="rule file (YAML list of rules)")
    check.add_argument("--graph", required=True, help=GRAPH_HELP)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too, and also warn about a rule "
                                                             "narrower than another that weighs no more (R121)")
    check.set_defaults(run=run_check)

    vocab = rsub.add_parser("vocab", help="what a rule may name: relations, node types, values",
                            description="List what an expert may write in a rule for this graph: every relation "
                                        "(name, label, inverse label, phrases, node or value, the node types it "
                                        "links, its number of facts and two example facts), node types with "
                                        "counts, value relations with their ranges, and the values on facts "
                                        "(score, summary, date ...) readable with 'as r'. Shoppers are never "
                                        "named: examples say 'a shopper'.")
    vocab.add_argument("--graph", required=True, help=GRAPH_HELP)
    vocab.add_argument("--json", action="store_true", help="print JSON instead of text")
    vocab.set_defaults(run=run_vocab)

    test = rsub.add_parser("test", help="run every rule's expect examples",
                           description="Run each rule's 'expect' examples: {user, item, match: yes|no}. An example "
                                       "passes when find_chains with only that rule finds at least one chain for "
                                       "the pair (match: yes) or none (match: no). Prints pass/FAIL per example "
                                       "with file:line:col; exits 1 if any fails. A user or item the graph lacks "
                                       "fails with R071, a wrong verdict with R090.")
    test.add_argument("rules", help="rule file (YAML list of rules)")
    test.add_argument("--graph", required=True, help=GRAPH_HELP)
    test.set_defaults(run=run_test)

    stats = rsub.add_parser(
        "stats", help="per rule: users and pairs covered, support and confidence on held-out purchases",
        formatter_class=fmt,
        description="Measure each rule against purchases it did not see.\n\n"
                    "Sample USERS users (seeded) with at least two purchases. Hold out each one's last\n"
                    "purchase (by the purchase's date value when present, else a seeded random one): the\n"
                    "purchased/rated/reviewed facts between that user and item are removed from the index\n"
                    "the rules walk (views stay: looking before buying is a signal, not a leak). Pair each\n"
                    "user with the held-out item and CANDIDATES random items they never touched. Then, for\n"
                    "each rule alone:\n"
                    "  users       sampled users for whom the rule fires on at least one of their pairs\n"
                    "  pairs       (user, candidate) pairs it fires on (finds at least one chain)\n"
                    "  support     held-out pairs it fires on\n"
                    "  confidence  support / pairs: of the pairs it fires on, the share that are the\n"
                    "              user's held-out purchase\n"
                    "  lift        confidence / the share of all pairs that are held out (what a rule\n"
                    "              firing at random scores: 1/(CANDIDATES+1) with enough items)\n"
                    "  cut         pairs where a hub cap or the time budget cut the search\n\n"
                    "A catalog without purchases holds out its users' main interaction instead: the\n"
                    "relation with the most user-to-item facts (rated, in a film catalog).\n"
                    "Then the ranker's weight of each rule (what `whyrec explain` uses, trained once and\n"
                    "kept in the scorer cache) beside the expert's, and why it moved: the expert's weight\n"
                    "is a prior; the data may move it within a bound (--keep-order: never past the\n"
                    "expert's order of rules).")
    stats.add_argument("rules", help="rule file (YAML list of rules)")
    stats.add_argument("--graph", required=True, help=GRAPH_HELP)
    stats.add_argument("--users", type=_positive, default=50, help="users to sample (default 50)")
    stats.add_argument("--candidates", type=_positive, default=20,
                       help="random untouched items per user besides the held-out one (default 20)")
    stats.add_argument("--seed", type=int, default=0, help="seed for sampling users, ties and candidates (default 0)")
    stats.add_argument("--keep-order", action="store_true",
                       help="learned weights keep the expert's order of rules (default: free within the bound)")
    stats.set_defaults(run=run_stats)

    sug = rsub.add_parser(
        "suggest", help="mine path patterns that predict purchases and print them as rules",
        formatter_class=fmt,
        description="Mine rules from the data, AMIE-style. For the target relation (user -> item), try every\n"
                    "path shape of 2..MAX_LENGTH steps over the graph's linking relations (either way) that\n"
                    "types from a user to an item, on USERS sampled users (seeded):\n"
                    "  support         target facts (user, item) the shape connects by a simple path; a\n"
                    "                  simple path never steps from the user straight to the item, so no\n"
                    "                  fact is counted through itself\n"
                    "  confidence      support / number of (user, item) pairs the shape connects\n"
                    "  PCA confidence  the same, counting only users with at least one target fact\n"
                    "Paths through other shoppers become collaborative rules that need CROWD_MIN shoppers\n"
                    "behind a chain. The TOP shapes by PCA confidence (support >= MIN_SUPPORT) are printed as\n"
                    "YAML rules, each checked to load against the graph; weight = 1 + 4 x PCA confidence.")
    sug.add_argument("--graph", required=True, help=GRAPH_HELP)
    sug.add_argument("--target", default=None,
                     help="relation to predict, user -> item (default: purchased, else the relation with the "
                          "most user-to-item facts, such as rated)")
    sug.add_argument("--min-support", type=_positive, default=5, help="least support to keep a shape (default 5)")
    sug.add_argument("--max-length", type=int, choices=(2, 3), default=3, help="longest path shape (default 3)")
    sug.add_argument("--top", type=_positive, default=20, help="rules to print (default 20)")
    sug.add_argument("--users", type=_positive, default=300, help="users to sample (default 300)")
    sug.add_argument("--crowd-min", type=_at_least_two, default=3,
                     help="shoppers needed behind a collaborative chain (at least 2); becomes its min_support, "
                          "with a min_support_reason line when below the default 10 (default 3)")
    sug.add_argument("--seed", type=int, default=0, help="seed for sampling users (default 0)")
    sug.set_defaults(run=run_suggest)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _at_least_two(text: str) -> int:
    value = _positive(text)
    if value < 2:
        raise argparse.ArgumentTypeError("one shopper is a person, not a crowd: give at least 2")
    return value


def _graph(args: argparse.Namespace) -> KnowledgeGraph:
    return load_graph(args.graph)


def run_check(args: argparse.Namespace) -> int:
    from reasoning import RuleSet, check_rules
    from reasoning.lint import lint
    graph = _graph(args)
    plans, problems = check_rules(args.rules, graph)
    if not problems:  # a valid file: read every template back on real chains of its rule (R055)
        from generation.template_check import check_templates
        problems = check_templates(graph, RuleSet(tuple(plans), str(args.rules)))
    warnings = lint(graph, plans, narrower=args.strict)  # rules that load but never fire, or duplicate another
    for p in sorted(problems + warnings, key=lambda p: (p.line, p.col, p.code)):
        print(p)
    also = f"; {len(warnings)} warning(s)" if warnings else ""
    if problems:
        print(f"{len(problems)} problem(s) in {args.rules}{also}")
        return 1
    if warnings:
        print(f"{len(plans)} rules load{also}: {len({w.line for w in warnings})} place(s) to look at")
        return 1 if args.strict else 0
    print(f"{len(plans)} rules OK")
    return 0


def run_vocab(args: argparse.Namespace) -> int:
    from reasoning.vocab_export import vocab_report, vocab_text
    report = vocab_report(_graph(args))
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else vocab_text(report))
    return 0


def _valid_rules(args: argparse.Namespace, graph: KnowledgeGraph):
    """The RuleSet, or None after printing the file's problems (an invalid file is not run)."""
    from reasoning import check_rules
    from reasoning.ruleset import RuleSet
    plans, problems = check_rules(args.rules, graph)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) in {args.rules}; run `whyrec rules check` and fix them first")
        return None
    return RuleSet(tuple(plans), args.rules)


def run_test(args: argparse.Namespace) -> int:
    from reasoning.expect import run_expects
    graph = _graph(args)
    rules = _valid_rules(args, graph)
    if rules is None:
        return 1
    results = run_expects(graph, rules)
    for r in results:
        print(r)
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed ({len(results)} examples in {len(rules)} rules)")
    return 1 if failed else 0


def run_stats(args: argparse.Namespace) -> int:
    from reasoning.stats import rule_stats, stats_text
    graph = _graph(args)
    rules = _valid_rules(args, graph)
    if rules is None:
        return 1
    print(stats_text(rule_stats(graph, rules, users=args.users, seed=args.seed, candidates=args.candidates)))
    from reasoning.scorer_cache import TrainSettings, cached_scorer
    from reasoning.stats import weights_text
    print()
    print(weights_text(cached_scorer(graph, rules, TrainSettings(keep_order=args.keep_order))))
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    from reasoning.mine import MineConfig, suggest
    graph = _graph(args)
    if args.target is None:
        from reasoning.features import interaction_relation
        args.target = interaction_relation(graph) or "purchased"
    if graph.edges(args.target) is None:
        from reasoning.errors import ReasoningError
        raise ReasoningError("R011", f"the graph has no {args.target!r} facts to predict",
                             "pass --target with a relation from `whyrec rules vocab`")
    cfg = MineConfig(target=args.target, users=args.users, seed=args.seed, min_support=args.min_support,
                     max_length=args.max_length, top=args.top, crowd_min=args.crowd_min)
    report = suggest(graph, cfg)
    print(f"# {len(report.suggestions)} rules mined from {graph.source}: {report.shapes} path shapes tried on "
          f"{report.users} users (seed {report.seed}) with {report.facts} {report.target} facts.")
    for note in report.notes:
        print(f"# note: {note}")
    if not report.suggestions:
        print(f"# no shape reached --min-support {args.min_support}; lower it or sample more --users")
    print()
    print(report.yaml(), end="")
    return 0
