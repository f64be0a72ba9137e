"""What keeping labels per language costs: load time, lookups and the cache, on a synthetic catalog.

    python benchmarks/bench_lang_labels.py [--nodes 200000] [--repeat 3]

Three N-Triples files of the same products: names untagged (one language, as before labels per
language), names tagged @en and @zh, and @en, @zh, @ja. For each: the load time from the file
(median of ``--repeat`` runs, no cache), the load time from the binary cache, and the time of one
``graph.label_in(node, "zh")`` beside ``graph.label(node)`` and beside the alternative a user would
write without it: a Python dict {(node, lang): name} built from the record (its build time too).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import load_graph  # noqa: E402
from kg import terms as T  # noqa: E402

NAME = "<https://schema.org/name>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Product>"
CJK = "精华面霜眼影盘口红甘油哑光玫瑰"


def write(path: Path, n: int, langs: tuple[str, ...]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for k in range(n):
            s = f"<https://ex.org/p/{k}>"
            f.write(f"{s} {TYPE} .\n")
            for lang in langs or ("",):
                text = f"Product {k}" if lang in ("", "en") else "".join(CJK[(k >> b) % len(CJK)] for b in range(0, 24, 4))
                f.write(f"{s} {NAME} {T.literal(text, lang=lang or None)} .\n")


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for langs in ((), ("en", "zh"), ("en", "zh", "ja")):
            path = Path(tmp) / f"shop-{'-'.join(langs) or 'untagged'}.nt"
            write(path, args.nodes, langs)
            load_s, g = median_time(lambda: load_graph(path, cache=False), args.repeat)
            folder = Path(tmp) / "cache"
            load_graph(path, cache=folder)
            cached_s, g = median_time(lambda: load_graph(path, cache=folder), args.repeat)
            nodes = list(range(0, g.n_nodes, max(1, g.n_nodes // 20000)))
            label_s, _ = median_time(lambda: [g.label(n) for n in nodes], args.repeat)
            lang_s, _ = median_time(lambda: [g.label_in(n, "zh") for n in nodes], args.repeat)
            dict_build_s, table = median_time(lambda: _dict_of(g), 1)
            dict_s, _ = median_time(lambda: [table.get((n, "zh")) for n in nodes], args.repeat)
            rows.append((", ".join(langs) or "untagged", len(g), load_s, cached_s,
                         label_s / len(nodes) * 1e6, lang_s / len(nodes) * 1e6, dict_s / len(nodes) * 1e6,
                         dict_build_s))
    print(f"{args.nodes:,} products, median of {args.repeat}")
    print("| labels | triples | load (s) | cached load (s) | label() µs | label_in('zh') µs | "
          "dict lookup µs | dict build (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r[0]} | {r[1]:,} | {r[2]:.2f} | {r[3]:.3f} | {r[4]:.2f} | {r[5]:.2f} | {r[6]:.2f} | {r[7]:.2f} |")
    base = rows[0][2]
    print("load time relative to untagged: " + ", ".join(f"{r[0]} x{r[2] / base:.2f}" for r in rows))
    return 0


def _dict_of(g) -> dict[tuple[int, str], str]:
    """The alternative: every tagged name read back from the record into a dict."""
    out: dict[tuple[int, str], str] = {}
    for line in g.lines():
        s, p, o = line[:-2].split(" ", 2)
        if p == NAME and "@" in o[o.rfind('"'):]:
            value, _, lang = T.literal_parts(o)
            out[(g.node(T.iri_value(s)), lang)] = value
    return out


if __name__ == "__main__":
    sys.exit(main())
