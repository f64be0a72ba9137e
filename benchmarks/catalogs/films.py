"""A generated film catalog, the second domain the team measures on (MovieLens-sized by default).

    python benchmarks/catalogs/films.py OUT_DIR [--films 3000 --users 1500 --ratings 100000 --seed 0]
    python benchmarks/catalogs/films.py OUT_DIR --small        # 120 films, 80 viewers, 2,400 ratings

Writes CSV tables, ``whyrec.yaml`` (items: Film, users: Viewer, audience: viewers) and
``films.rules.yaml`` (seven rules worded in film language, with ``expect`` examples computed
from the data, so ``whyrec rules test`` passes). Viewers, films and people all have numeric
ids, as in MovieLens: viewer 1 and film 1 both exist. Relations the shipped beauty-trained
model never saw: directed_by, starring, genre, released_in, similar_to (partly to films outside
the catalog: the mapping keeps only rows), and a text ``tag`` on some ratings. Standard
library only; the same arguments give byte-identical files.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import io
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import films_data as D  # noqa: E402

SMALL = {"films": 120, "users": 80, "ratings": 2400}


class Catalog:
    """The generated data, and which rule links which viewer to which film (for ``expect``)."""

    def __init__(self, n_films: int, n_users: int, n_ratings: int, seed: int):
        if n_films < 20 or n_users < 10 or n_ratings < 5 * n_users:
            raise SystemExit("need at least 20 films, 10 users and 5 ratings per user")
        n_ratings = min(n_ratings, n_films * n_users // 2)  # unique (viewer, film) pairs must exist
        self.rnd = rnd = random.Random(seed)
        self.people = self._names(n_films // 6 + n_films // 2)
        n_directors = max(2, n_films // 6)
        self.films = [self._film(f, n_films, n_directors) for f in range(1, n_films + 1)]
        self._similar(n_films)
        self.titles = self._titles(n_films)
        self.pop = [rnd.paretovariate(1.2) for _ in self.films]  # Zipf-like popularity
        self.rated: dict[int, dict[int, tuple[int, str, str]]] = {v: {} for v in range(1, n_users + 1)}
        self._ratings(n_ratings)
        self.raters: dict[int, set[int]] = {f: set() for f in range(1, n_films + 1)}
        for v, films in self.rated.items():
            for f in films:
                self.raters[f].add(v)

    # -- entities ------------------------------------------------------------------------
    def _names(self, n: int) -> list[str]:
        combos = [f"{a} {b}" for a in D.FIRST for b in D.LAST]
        self.rnd.shuffle(combos)
        k = 0
        while len(combos) < n:  # more people than pairs of names: middle initials
            combos.append(f"{D.FIRST[k % len(D.FIRST)]} {chr(65 + k // len(D.FIRST) % 26)}. "
                          f"{D.LAST[k * 7 % len(D.LAST)]}")
            k += 1
        return combos[:n]

    def _film(self, f: int, n_films: int, n_directors: int) -> dict:
        rnd = self.rnd
        decade = rnd.choices(D.DECADES, weights=D.DECADE_WEIGHTS)[0]
        genres = sorted(set(rnd.choices(range(len(D.GENRES)), weights=D.GENRE_WEIGHTS, k=rnd.choice((1, 1, 2, 2, 3)))))
        n_actors = len(self.people) - n_directors
        cast = sorted(set(n_directors + 1 + int(n_actors * rnd.random() ** 1.6) for _ in range(rnd.randint(2, 5))))
        return {"id": f, "year": decade + rnd.randrange(5 if decade == 2020 else 10), "decade": decade, "genres": genres,
                "director": 1 + int(n_directors * rnd.random() ** 1.3), "cast": cast, "similar": []}

    def _similar(self, n_films: int) -> None:
        """0-3 similar films of the same first genre, and now and then an id outside the catalog."""
        rnd = self.rnd
        by_genre: dict[int, list[int]] = {}
        for f in self.films:
            by_genre.setdefault(f["genres"][0], []).append(f["id"])
        for f in self.films:
            pool = by_genre[f["genres"][0]]
            picked = {rnd.choice(pool) for _ in range(rnd.choice((0, 1, 2, 3)))}
            if rnd.random() < 0.3:
                picked.add(rnd.randint(n_films + 1, int(n_films * 1.3) + 1))
            f["similar"] = sorted(picked - {f["id"]})

    def _titles(self, n: int) -> list[str]:
        rnd, seen, out = self.rnd, set(), []
        for f in self.films:
            for tries in range(50):
                shape = rnd.randrange(5)
                a, b, c = rnd.choice(D.ADJECTIVES), rnd.choice(D.NOUNS), rnd.choice(D.PLACES)
                place = c[4:] if c.startswith("the ") else c
                an = "An" if b[0] in "AEIOU" else "A"
                title = (f"The {a} {b}", f"{b} of {c}", f"{a} {_plural(b)}", f"{an} {b} in {c}", f"{place} {b}")[shape]
                if tries >= 40:
                    title = f"{title} ({f['year']})"
                if title not in seen:
                    break
            else:
                title = f"{title} No. {f['id']}"
            seen.add(title)
            out.append(title)
        return out

    def _ratings(self, n: int) -> None:
        rnd, films = self.rnd, self.films
        by_genre = [[f["id"] for f in films if g in f["genres"]] for g in range(len(D.GENRES))]
        cum = _cumulative([self.pop[f - 1] for f in range(1, len(films) + 1)])
        cum_genre = [_cumulative([self.pop[f - 1] for f in ids]) for ids in by_genre]
        users = list(self.rated)
        activity = _cumulative([rnd.lognormvariate(0, 0.9) for _ in users])
        taste = {v: set(rnd.choices(range(len(D.GENRES)), weights=D.GENRE_WEIGHTS, k=2)) for v in users}
        by_director: dict[int, list[int]] = {}
        by_star: dict[int, list[int]] = {}
        for film in films:
            by_director.setdefault(film["director"], []).append(film["id"])
            for star in film["cast"]:
                by_star.setdefault(star, []).append(film["id"])
        clock = {v: date(2015, 1, 1) + timedelta(days=rnd.randrange(3 * 365)) for v in users}
        made, tries = 0, 0
        while made < n and tries < 30 * n:  # each viewer at least 5 ratings first, then by activity
            tries += 1
            v = users[made % len(users)] if made < 5 * len(users) else users[_pick(rnd, activity)]
            fav = sorted(taste[v])
            seen = self.rated[v]
            if seen and rnd.random() < 0.35:  # follow a film already rated, a liked one more often
                liked = [f for f, r in seen.items() if r[0] >= 4] or list(seen)
                film = films[rnd.choice(liked) - 1]
                way = rnd.random()
                pool = (by_director[film["director"]] if way < 0.4 else
                        by_star[rnd.choice(film["cast"])] if way < 0.7 else
                        [x for x in film["similar"] if x <= len(films)])
                f = rnd.choice(pool) if pool else _pick(rnd, cum) + 1
            elif rnd.random() < 0.6 and any(by_genre[g] for g in fav):
                g = rnd.choice([g for g in fav if by_genre[g]])
                f = by_genre[g][_pick(rnd, cum_genre[g])]
            else:
                f = _pick(rnd, cum) + 1
            if f in self.rated[v]:
                continue
            film = films[f - 1]
            score = 3 + (1 if taste[v] & set(film["genres"]) else 0) + rnd.choice((-2, -1, -1, 0, 0, 0, 1))
            score = min(5, max(1, score + (1 if film["director"] % 7 == v % 7 else 0)))
            tag = rnd.choice(D.TAGS) if rnd.random() < 0.08 else ""
            clock[v] += timedelta(days=rnd.randrange(6))  # a viewer's ratings come in order
            self.rated[v][f] = (score, tag, clock[v].isoformat())
            made += 1

    # -- what each rule links (mirrors films.rules.yaml; `whyrec rules test` checks the two agree) ----
    def fires(self, rule: str, v: int, i: int) -> bool:
        item, n = self.films[i - 1], len(self.films)
        for f, (score, tag, _) in self.rated[v].items():
            if f == i:
                continue
            film = self.films[f - 1]
            if rule == "same-director" and score >= 4 and film["director"] == item["director"]:
                return True
            if rule == "shared-star" and set(film["cast"]) & set(item["cast"]):
                return True
            if rule == "similar-film" and i in film["similar"] and i <= n:
                return True
            if rule == "your-tag" and tag and film["director"] == item["director"]:
                return True
            if rule == "loved-genre" and score >= 5 and set(film["genres"]) & set(item["genres"]):
                return True
            if rule == "loved-decade" and score >= 5 and film["decade"] == item["decade"]:
                return True
            if rule == "viewers-also-rated" and len((self.raters[f] & self.raters[i]) - {v}) >= D.CROWD_MIN:
                return True
        return False

    def expects(self, rule: str) -> list[tuple[int, int, bool]]:
        """One pair the rule links and one it does not, found on a seeded sample."""
        rnd = random.Random(f"expect {rule}")
        users = rnd.sample(sorted(self.rated), min(60, len(self.rated)))
        films = rnd.sample(range(1, len(self.films) + 1), min(200, len(self.films)))
        found: dict[bool, tuple[int, int, bool]] = {}
        for v in users:
            for i in films:
                verdict = self.fires(rule, v, i)
                found.setdefault(verdict, (v, i, verdict))
                if len(found) == 2:
                    return [found[True], found[False]]
        return list(found.values())


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rnd: random.Random, cum: list[float]) -> int:
    return min(bisect.bisect(cum, rnd.random() * cum[-1]), len(cum) - 1)


def _csv(header: list[str], rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def rules_yaml(cat: Catalog) -> str:
    lines = ["# Rules for the generated film catalog; the expect examples were computed from its data.",
             "# Run: whyrec rules test films.rules.yaml --graph .", ""]
    for rid, desc, says, path, when, weight in D.RULES:
        lines += [f"- id: {rid}", f"  description: {json.dumps(desc)}", "  says:", f"    - {json.dumps(says, ensure_ascii=False)}", "  path:"]
        lines += [f"    - {step}" for step in path]
        if when:
            lines += ["  when:"] + [f"    - {json.dumps(c) if chr(34) in c else c}" for c in when]
        if rid == "viewers-also-rated":
            lines += ["  tags: [collaborative]", f"  min_support: {D.CROWD_MIN}",
                      '  min_support_reason: "a generated catalog of 1,500 viewers: five of them are a crowd"']
        lines += [f"  weight: {weight}", "  expect:"]
        lines += [f'    - {{user: "{v}", item: "{i}", match: {"yes" if ok else "no"}}}' for v, i, ok in cat.expects(rid)]
        lines.append("")
    return "\n".join(lines)


def write(out: Path, cat: Catalog) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "films.csv": _csv(["film_id", "title", "year", "decade", "genres", "director", "cast", "similar"],
                          [[f["id"], t, f["year"], f"{f['decade']}s", "|".join(D.GENRES[g][0] for g in f["genres"]),
                            f["director"], "|".join(map(str, f["cast"])), "|".join(map(str, f["similar"]))]
                           for f, t in zip(cat.films, cat.titles)]),
        "people.csv": _csv(["person_id", "name"], [[k, name] for k, name in enumerate(cat.people, 1)]),
        "genres.csv": _csv(["genre_id", "name"], [list(g) for g in D.GENRES]),
        "decades.csv": _csv(["decade_id", "name"], [[f"{d}s", f"the {d}s"] for d in D.DECADES]),
        "viewers.csv": _csv(["viewer_id"], [[v] for v in cat.rated]),
        "ratings.csv": _csv(["viewer_id", "film_id", "rating", "tag", "date"],
                            [[v, f, s, t, d] for v, films in cat.rated.items() for f, (s, t, d) in sorted(films.items())]),
        "whyrec.yaml": D.MAPPING,
        "films.rules.yaml": rules_yaml(cat),
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="")
    return {"films": len(cat.films), "viewers": len(cat.rated), "people": len(cat.people),
            "ratings": sum(len(f) for f in cat.rated.values())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder to write (created; files in it are replaced)")
    ap.add_argument("--films", type=int, default=3000)
    ap.add_argument("--users", type=int, default=1500)
    ap.add_argument("--ratings", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--small", action="store_true", help=f"a test-sized catalog: {SMALL}")
    args = ap.parse_args(argv)
    size = SMALL if args.small else {"films": args.films, "users": args.users, "ratings": args.ratings}
    counts = write(args.out, Catalog(size["films"], size["users"], size["ratings"], args.seed))
    print(f"wrote {args.out}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
