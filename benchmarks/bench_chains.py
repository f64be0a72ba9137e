"""Chain finding: whyrec's matcher against the same rules run as SPARQL (pyoxigraph, rdflib).

    python benchmarks/bench_chains.py [--graph G.nt] [--rules R.yaml] [--pairs 1000] [--seed 0]
        [--sparql-pairs 1000] [--rdflib-graph G_small.nt | --no-rdflib] [--check-pairs 200]

The graph is the synthetic Beauty-sized one (benchmarks/synth_beauty.py), generated into
benchmarks/out/ when missing (beauty_1_seed0.nt; rdflib gets beauty_0.05_seed0.nt, as it needs
minutes and GBs for the full one). Pairs: ``--pairs`` seeded random user-item pairs, and as
many "near" pairs whose item the user's purchases reach (one hop along also_bought,
bought_together or also_viewed, or a shared brand or leaf category): random pairs of a big
catalog mostly meet only category chains.

Measured, on one core (numpy runs single-threaded here: the matcher's arrays are small and it
calls no BLAS): find_chains per pair (p50/p95/p99) with the per-graph memo warm (filled by a
warm-up on other pairs, as in a running service) and cold (emptied before every pair);
find_chains_many pairs/s, over the same pairs and over a ranking-style batch (one user, many
candidate items); and every rule compiled from its Plan to one SPARQL query (hops as triple
patterns with the user and item IRIs bound, FILTERs for distinct nodes, the privacy guard,
comparisons and 'not'; collaborative rules as GROUP BY ... HAVING COUNT), run per pair over
an in-memory pyoxigraph Store (bulk_load) and over rdflib (prepared queries, initBindings).
SPARQL returns IRIs only (no labels, no Fact objects) and applies no caps. For a sample of
pairs the script checks that SPARQL finds as many chains per rule as whyrec, once whyrec's
caps are accounted for (at most ``max_chains_per_rule`` per rule; hubs skipped).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from kg import load_graph  # noqa: E402
from kg.vocab import RDF, WR  # noqa: E402
from reasoning import Budget, find_chains, find_chains_many, load_rules  # noqa: E402
from reasoning.match_finish import compiled  # noqa: E402
from reasoning.match_index import forget, lookups_for  # noqa: E402
from reasoning.validate import vocabulary  # noqa: E402


def ensure_graph(path: Path | None, scale: float) -> Path:
    path = path or HERE / "out" / f"beauty_{scale:g}_seed0.nt"
    if not path.exists():
        from synth_beauty import write  # noqa: E402 (benchmarks/ is on sys.path when run as a script)
        print(f"generating {path} (scale {scale:g}) ...", flush=True)
        write(path, scale, 0)
    return path


# -- pairs ---------------------------------------------------------------------------------------

def random_pairs(g, n: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    users, items = g.user_nodes().tolist(), g.item_nodes().tolist()
    return [(rng.choice(users), rng.choice(items)) for _ in range(n)]


def near_pairs(g, n: int, seed: int) -> list[tuple[int, int]]:
    """Pairs whose item one hop (or a shared brand / leaf category) away from a purchase."""
    rng = random.Random(seed + 1)
    users = g.user_nodes().tolist()
    is_item = set(g.item_nodes().tolist())
    out: list[tuple[int, int]] = []
    while len(out) < n:
        u = rng.choice(users)
        bought = g.neighbors(u, "purchased").tolist()
        if not bought:
            continue
        p = rng.choice(bought)
        rel = rng.choice(["also_bought", "bought_together", "also_viewed", "brand", "category"])
        mids = g.neighbors(p, rel).tolist()
        if rel in ("brand", "category") and mids:
            mid = max(mids) if rel == "category" else mids[0]  # the last category id is usually a leaf
            cands = g.neighbors(mid, rel, reverse=True).tolist()
        else:
            cands = mids
        cands = [c for c in cands if c in is_item and c != p]
        if cands:
            out.append((u, rng.choice(cands)))
    return out


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


CLOCK = time.perf_counter  # --cpu: time.thread_time (steadier on a shared machine)


def per_pair(fn, pairs) -> list[float]:
    out = []
    for u, i in pairs:
        t = CLOCK()
        fn(u, i)
        out.append(CLOCK() - t)
    return out


# -- SPARQL from the compiled plans ------------------------------------------------------------------

def to_sparql(g, cr, lk, bound: bool) -> str | None:
    """The rule as one SELECT (None when a condition has no plain SPARQL form, e.g. label matching).

    ``bound``: user and item written as IRIs ({user}/{item} placeholders); else ?user / ?item
    variables for initBindings. One result row per chain whyrec would find without caps.
    """
    plan = cr.plan
    rel_iri = {name: r.iri for name, r in vocabulary(g).items()}

    def t(var: str) -> str:
        if var in ("user", "item"):
            return "{" + var + "}" if bound else f"?{var}"
        return f"?v_{var}"

    where, filters = [], []
    for hop in plan.hops:
        st = hop.step
        where.append(f"{t(st.subject)} <{rel_iri[hop.relation]}> {t(st.object)} .")
        if st.value:  # a named fact: its values sit on the reified statement
            where.append(f"?st_{st.value} <{RDF}subject> {t(st.subject)} ; <{RDF}predicate> <{rel_iri[hop.relation]}> ;"
                         f" <{RDF}object> {t(st.object)} .")
    for lk_ in plan.lookups:
        where.append(f"{t(lk_.node_var)} <{rel_iri[lk_.relation]}> ?{lk_.var} .")
    lookup_vars, value_names = {x.var for x in plan.lookups}, {n for n, _ in plan.values}

    def operand(op) -> str | None:
        if op.var is None:
            return str(op.const) if isinstance(op.const, (int, float)) else None
        if op.attr is None:
            return f"?{op.var}" if op.var in lookup_vars else (t(op.var) if op.var in plan.vars else None)
        if op.var in value_names:
            where.append(f"?st_{op.var} <{rel_iri[op.attr]}> ?{op.var}_{op.attr} .")
            return f"?{op.var}_{op.attr}"
        where.append(f"{t(op.var)} <{rel_iri[op.attr]}> ?{op.var}_{op.attr} .")
        return f"?{op.var}_{op.attr}"

    for cond in plan.rule.when:
        left, right = operand(cond.left), operand(cond.right)
        if left is None or right is None or cond.op not in ("==", "!=", "<", "<=", ">", ">="):
            return None
        filters.append(f"FILTER({left} {'=' if cond.op == '==' else cond.op} {right})")
    for n, neg in enumerate(plan.rule.negations):
        s = t(neg.step.subject) if neg.step.subject in plan.vars else f"?any{n}s"
        o = t(neg.step.object) if neg.step.object in plan.vars else f"?any{n}o"
        filters.append(f"FILTER NOT EXISTS {{ {s} <{rel_iri[neg.step.relation]}> {o} }}")
    spine = list(plan.vars)
    filters += [f"FILTER({t(a)} != {t(b)})" for k, a in enumerate(spine) for b in spine[k + 1:]]  # simple paths
    filters += [f"FILTER NOT EXISTS {{ {t(plan.vars[j])} a <{WR}User> }}" for j in lk.private(cr)]
    body = " ".join(where + filters)
    middle = [t(v) for v in plan.vars[1:-1] if v not in plan.crowd]
    if plan.crowd:
        if len(plan.crowd) > 1:
            return None
        (c,) = plan.crowd
        keys = " ".join(middle)
        return (f"SELECT {keys} (COUNT(DISTINCT {t(c)}) AS ?n) WHERE {{ {body} }} GROUP BY {keys} "
                f"HAVING (COUNT(DISTINCT {t(c)}) >= {plan.rule.min_support})")
    return f"SELECT DISTINCT {' '.join(middle) or '*'} WHERE {{ {body} }}"


def ox_version() -> str:
    import pyoxigraph
    return pyoxigraph.__version__


def sparql_pyoxigraph(path: Path, queries: dict[str, str], g, pairs):
    import pyoxigraph as ox
    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    load = time.perf_counter() - t

    def run(u: int, i: int) -> dict[str, int]:
        su, si = f"<{g.iri(u)}>", f"<{g.iri(i)}>"
        counts, times = {}, {}
        for rid, q in queries.items():
            t = CLOCK()
            counts[rid] = sum(1 for _ in store.query(q.replace("{user}", su).replace("{item}", si)))
            times[rid] = CLOCK() - t
        log.append(times)
        return counts
    log: list[dict[str, float]] = []
    run.log = log  # type: ignore[attr-defined]  # per call: seconds per rule
    return load, run


def sparql_rdflib(path: Path, queries: dict[str, str], g):
    import rdflib
    from rdflib.plugins.sparql import prepareQuery
    t = time.perf_counter()
    rg = rdflib.Graph()
    rg.parse(str(path), format="nt")
    load = time.perf_counter() - t
    prepared = {rid: prepareQuery(q) for rid, q in queries.items()}

    def run(u: int, i: int) -> dict[str, int]:
        b = {"user": rdflib.URIRef(g.iri(u)), "item": rdflib.URIRef(g.iri(i))}
        return {rid: len(list(rg.query(q, initBindings=b))) for rid, q in prepared.items()}
    return load, run


# -- the run ---------------------------------------------------------------------------------------

def whyrec_rows(label: str, g, rules, pairs, warm_pairs, budget, repeat: int) -> list[tuple]:
    """find_chains per pair (memo warm, then cold) and find_chains_many; ``repeat`` runs each.

    "lazy": the result's chains stay rows (reasoning/lazy.py), as a ranker that builds only the
    top few sees them; "built": every Chain object built (``res.chains`` read).
    """
    for u, i in warm_pairs:
        find_chains(g, rules, u, i, budget)
    warm = [per_pair(lambda u, i: find_chains(g, rules, u, i, budget), pairs) for _ in range(repeat)]
    built = [per_pair(lambda u, i: find_chains(g, rules, u, i, budget).chains, pairs) for _ in range(repeat)]

    def cold_one(u, i):
        forget(g)
        find_chains(g, rules, u, i, budget)
    cold = [per_pair(cold_one, pairs) for _ in range(repeat)]
    rates, rates_built = [], []
    for _ in range(repeat):
        t = CLOCK()
        find_chains_many(g, rules, pairs, budget)
        rates.append(len(pairs) / (CLOCK() - t))
        t = CLOCK()
        for r in find_chains_many(g, rules, pairs, budget):
            r.chains
        rates_built.append(len(pairs) / (CLOCK() - t))
    return [(f"whyrec find_chains, warm memo, lazy ({label})", warm, None),
            (f"whyrec find_chains, cold memo, lazy ({label})", cold, None),
            (f"whyrec find_chains + every Chain built ({label})", built, None),
            (f"whyrec find_chains_many, lazy ({label})", None, statistics.median(rates)),
            (f"whyrec find_chains_many + every Chain built ({label})", None, statistics.median(rates_built))]


def agreement(g, rules, budget, pairs, run) -> tuple[int, int, list[str]]:
    """(agreeing (pair, rule) counts, all, reasons for the others)."""
    ok, total, why = 0, 0, []
    for u, i in pairs:
        res = find_chains(g, rules, u, i, budget)
        per_rule: dict[str, int] = {}
        for c in res.chains:
            per_rule[c.rule] = per_rule.get(c.rule, 0) + 1
        for rid, n_sparql in run(u, i).items():
            total += 1
            mine = per_rule.get(rid, 0)
            if mine == min(n_sparql, budget.max_chains_per_rule):
                ok += 1
            elif res.truncated and mine < n_sparql:
                why.append(f"{rid}: whyrec {mine} < SPARQL {n_sparql} (a hub over hub_cap={budget.hub_cap} was skipped)")
            else:
                why.append(f"{rid}: whyrec {mine}, SPARQL {n_sparql} for {g.key(u)} -> {g.key(i)}  UNEXPLAINED")
    return ok, total, why


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, help="N-Triples graph (default: benchmarks/out/beauty_1_seed0.nt)")
    ap.add_argument("--rules", type=Path, default=ROOT / "data" / "rules" / "default.yaml")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sparql-pairs", type=int, default=200,
                    help="pairs timed with pyoxigraph, a prefix of --pairs (a pair takes it about a second)")
    ap.add_argument("--rdflib-graph", type=Path, help="smaller graph for rdflib (default: beauty_0.05_seed0.nt)")
    ap.add_argument("--rdflib-pairs", type=int, default=50)
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--check-pairs", type=int, default=100, help="pairs whose chain counts are compared with SPARQL")
    ap.add_argument("--cpu", action="store_true", help="time with the thread's CPU clock, not the wall clock")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time whyrec this many times over the same pairs; the table shows the median of each figure")
    args = ap.parse_args(argv)
    budget = Budget(seconds=60.0)  # the default caps; no wall-clock cut-off inside a benchmark
    global CLOCK
    if args.cpu:
        CLOCK = time.thread_time

    path = ensure_graph(args.graph, 1.0)
    t = time.perf_counter()
    g = load_graph(path)
    load = time.perf_counter() - t
    rules = load_rules(args.rules, g)
    print(f"{path.name}: {len(g):,} triples, {g.n_nodes:,} nodes; {len(rules)} rules from {args.rules.name}; "
          f"whyrec load {load:.1f} s", flush=True)
    rand, near = random_pairs(g, args.pairs, args.seed), near_pairs(g, args.pairs, args.seed)
    warm = random_pairs(g, args.pairs, args.seed + 100)
    rows = whyrec_rows("random", g, rules, rand, warm, budget, args.repeat) + \
        whyrec_rows("near", g, rules, near, warm, budget, args.repeat)
    rng = random.Random(args.seed + 7)
    users = rng.sample(g.user_nodes().tolist(), 50)
    items = g.item_nodes().tolist()
    batch = [(u, c) for u in users for c in rng.sample(items, 20)]
    rates = []
    for _ in range(args.repeat):
        t = CLOCK()
        find_chains_many(g, rules, batch, budget)
        rates.append(len(batch) / (CLOCK() - t))
    rows.append(("whyrec find_chains_many, lazy (50 users x 20 candidates)", None, statistics.median(rates)))
    counts = [len(find_chains(g, rules, u, i, budget).chains) for u, i in rand[:200]]
    print(f"chains per random pair: median {statistics.median(counts):g}, mean {statistics.mean(counts):.1f}", flush=True)

    lk = lookups_for(g)
    plans = compiled(rules.plans)
    queries = {cr.rid: q for cr in plans if (q := to_sparql(g, cr, lk, True)) is not None}
    skipped = [cr.rid for cr in plans if cr.rid not in queries]
    print(f"SPARQL: {len(queries)} rules as queries" + (f"; no plain SPARQL form: {', '.join(skipped)}" if skipped else ""))
    n = min(args.sparql_pairs, len(rand))
    oxload, oxrun, ok, total, why = None, None, 0, 0, []
    if n:
        oxload, oxrun = sparql_pyoxigraph(path, queries, g, rand)
        for u, i in warm[:50]:
            oxrun(u, i)
        start = len(oxrun.log)
        rows.append((f"pyoxigraph SPARQL, in memory (random, {n} pairs)", [per_pair(oxrun, rand[:n])], None))
        timed = oxrun.log[start:]
        slowest = max(timed[0], key=lambda rid: statistics.median(t[rid] for t in timed))
        rows.append((f"pyoxigraph SPARQL without {slowest} (random, {n} pairs)",
                     [[sum(v for rid, v in t.items() if rid != slowest) for t in timed]], None))
        rows.append((f"pyoxigraph SPARQL, in memory (near, {n} pairs)", [per_pair(oxrun, near[:n])], None))
        ok, total, why = agreement(g, rules, budget, rand[:args.check_pairs // 2] + near[:args.check_pairs // 2], oxrun)
    small_rows, rdf_note = [], ""
    if not args.no_rdflib:
        small_path = ensure_graph(args.rdflib_graph, 0.05)
        t = time.perf_counter()
        gs = load_graph(small_path)
        sload = time.perf_counter() - t
        rs = load_rules(args.rules, gs)
        srand, snear = random_pairs(gs, args.rdflib_pairs, args.seed), near_pairs(gs, args.rdflib_pairs, args.seed)
        swarm = random_pairs(gs, 200, args.seed + 100)
        small_rows = whyrec_rows(f"random, {small_path.name}", gs, rs, srand, swarm, budget, args.repeat)[:3] + \
            whyrec_rows(f"near, {small_path.name}", gs, rs, snear, swarm, budget, args.repeat)[:3]
        lks = lookups_for(gs)
        squeries = {cr.rid: q for cr in compiled(rs.plans) if (q := to_sparql(gs, cr, lks, False)) is not None}
        rload, rrun = sparql_rdflib(small_path, squeries, gs)
        small_rows.append((f"rdflib SPARQL, prepared (random, {small_path.name}, {len(srand)} pairs)",
                           [per_pair(rrun, srand)], None))
        small_rows.append((f"rdflib SPARQL, prepared (near, {small_path.name}, {len(snear)} pairs)",
                           [per_pair(rrun, snear)], None))
        rok, rtotal, rwhy = agreement(gs, rs, budget, srand[:50] + snear[:50], rrun)
        rdf_note = (f"{small_path.name}: {len(gs):,} triples; whyrec load {sload:.1f} s; rdflib load {rload:.1f} s; "
                    f"rdflib agreement {rok}/{rtotal} (pair, rule) counts" + (f"; {len(rwhy)} differ" if rwhy else ""))

    def table(rows_, base_name: str) -> None:
        """Rows: (name, runs of per-pair times or None, pairs/s or None); each figure a median over runs."""
        def fig(runs, q):
            return statistics.median(pct(r, q) for r in runs)
        base = {kind: fig(r[1], 50) for r in rows_ for kind in ("random", "near")
                if r[0].startswith(base_name) and kind in r[0]}
        print("| engine | pairs | p50 ms | p95 ms | p99 ms | pairs/s | p50 vs whyrec |")
        print("|---|---|---|---|---|---|---|")
        for name, runs, rate in rows_:
            if runs is None:
                print(f"| {name} | | | | | {rate:,.0f} | |")
                continue
            kind = "near" if "near" in name else "random"
            ratio = fig(runs, 50) / base[kind] if kind in base else float("nan")
            rate = statistics.median(len(r) / sum(r) for r in runs)
            print(f"| {name} | {len(runs[0])} | {fig(runs, 50) * 1e3:.3f} | {fig(runs, 95) * 1e3:.3f} | "
                  f"{fig(runs, 99) * 1e3:.3f} | {rate:,.0f} | {ratio:.1f}x |")

    print(f"\nLoad: whyrec {load:.1f} s, pyoxigraph bulk_load "
          f"{'-' if oxload is None else f'{oxload:.1f} s'} ({path.name}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; Python {sys.version.split()[0]}, "
          f"numpy {np.__version__}, pyoxigraph {ox_version()}")
    print(f"whyrec rows: median of {args.repeat} runs over the same pairs; SPARQL rows: one run; "
          f"clock: {'thread CPU time' if args.cpu else 'wall'}")
    table(rows, "whyrec find_chains, warm")
    if oxrun is not None:
        per_rule = {rid: statistics.median(t[rid] for t in oxrun.log) for rid in oxrun.log[0]}
        print("pyoxigraph per rule, median ms: " + ", ".join(
            f"{rid} {ms * 1e3:.2f}" for rid, ms in sorted(per_rule.items(), key=lambda kv: -kv[1])[:6]))
        print(f"\npyoxigraph agreement: {ok}/{total} (pair, rule) chain counts equal "
              f"(whyrec counts capped at {budget.max_chains_per_rule} per rule)")
        for reason in sorted(set(why))[:12]:
            print("  -", reason)
    if small_rows:
        print(f"\n{rdf_note}")
        table(small_rows, "whyrec find_chains, warm")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
