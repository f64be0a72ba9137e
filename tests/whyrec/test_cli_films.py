"""A second domain end to end on the command line: a film catalog whose items are Films, users
Viewers, and whose viewer ids equal film ids (viewer "1", film "1"). Load, kg info, rules check,
rules test, rules stats, rules suggest, rules vocab, explain with templates."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from whyrec.cli import main

FILMS = Path(__file__).resolve().parents[1] / "data" / "films_tiny"
RULES = str(FILMS / "films.rules.yaml")
GRAPH = str(FILMS)


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_kg_info_shows_roles_and_warns_about_nodes_named_by_id(capsys) -> None:
    code, out = run(capsys, "kg", "info", GRAPH)
    assert code == 0
    assert "users      5\n" in out and "items      6\n" in out
    assert "roles      items: Film; users: Viewer; audience: viewers" in out
    warning = next(line for line in out.splitlines() if line.startswith("warning: nodes named only by their id"))
    assert "Decade 3" in warning and "'label:' column" in warning and "rdfs:label" in warning
    assert "Viewer" not in warning  # users are never named anyway: not a problem to warn about


def test_kg_info_is_quiet_when_every_node_has_a_name_and_warns_when_no_items(capsys, tmp_path) -> None:
    folder = shutil.copytree(FILMS, tmp_path / "films")
    mapping = (folder / "whyrec.yaml").read_text()
    (folder / "decades.csv").write_text("decade_id,name\n1990s,the 1990s\n2000s,the 2000s\n2010s,the 2010s\n")
    mapping = mapping.replace("  - {file: genres.csv,", "  - {file: decades.csv, type: Decade, id: decade_id, label: name}\n"
                                                        "  - {file: genres.csv,")
    (folder / "whyrec.yaml").write_text(mapping)
    code, out = run(capsys, "kg", "info", str(folder))
    assert code == 0 and "warning" not in out
    (folder / "whyrec.yaml").write_text(mapping.replace("items: Film\n", ""))
    code, out = run(capsys, "kg", "info", str(folder))
    assert "warning: no items: no node is typed Product; name the types in the mapping with a top-level " \
           "'items: TYPE' (types here: Decade, Film, Genre, Person, Viewer)" in out


def test_rules_check_and_test_resolve_shared_ids_by_role(capsys) -> None:
    assert run(capsys, "rules", "check", RULES, "--graph", GRAPH) == (0, "4 rules OK\n")
    code, out = run(capsys, "rules", "test", RULES, "--graph", GRAPH)
    assert code == 0, out
    assert out.splitlines()[-1] == "7 passed, 0 failed (7 examples in 4 rules)"
    assert "pass same-director 1 -> 2 (match: yes)" in out and "R071" not in out


def test_rules_test_names_the_real_problem(capsys, tmp_path) -> None:
    text = Path(RULES).read_text().replace('{user: "1", item: "4", match: yes}', '{user: "10", item: "4", match: yes}')
    (tmp_path / "r.yaml").write_text(text)
    code, out = run(capsys, "rules", "test", str(tmp_path / "r.yaml"), "--graph", GRAPH)
    assert code == 1
    assert "FAIL shared-star 10 -> 4 (match: yes): R071 '10' is a Person, not a user" in out


def test_rules_stats_holds_out_ratings_when_there_are_no_purchases(capsys) -> None:
    code, out = run(capsys, "rules", "stats", RULES, "--graph", GRAPH, "--users", "5", "--candidates", "3")
    assert code == 0
    assert "each with one 'rated' fact held out (latest by date)" in out
    assert "same-director" in out and "(any rule)" in out


def test_rules_suggest_mines_ratings_in_the_catalogs_words(capsys) -> None:
    code, out = run(capsys, "rules", "suggest", "--graph", GRAPH, "--min-support", "1", "--crowd-min", "2")
    assert code == 0
    assert "rated facts" in out.splitlines()[0]
    assert "other viewers" in out and "shopper" not in out


def test_rules_vocab_speaks_of_viewers(capsys) -> None:
    code, out = run(capsys, "rules", "vocab", "--graph", GRAPH)
    assert code == 0
    assert "a viewer rated The Long Night (1)" in out
    assert "'user' is a Viewer, 'item' a Film" in out and "'{count} other viewers'" in out


def test_explain_resolves_the_user_among_viewers_and_the_item_among_films(capsys) -> None:
    code, out = run(capsys, "explain", "--graph", GRAPH, "--rules", RULES, "--user", "1", "--item", "2",
                    "--templates", "--json")
    assert code == 0
    e = json.loads(out)
    assert e["user"] == "1" and e["item"] == "2" and e["item_label"] == "Harbour Lights"
    rules = {r["rule"]["id"] for r in e["reasons"]}
    assert "same-director" in rules and len(rules) >= 2  # one reason per film of the viewer's (diversity)
    assert all(r["verified"] for r in e["reasons"])
    code, out = run(capsys, "explain", "--graph", GRAPH, "--rules", RULES, "--user", "1", "--item", "1", "--templates")
    assert code == 0 and out.startswith("Why The Long Night (1) for 1?")


def test_explain_says_what_a_wrong_id_is(capsys) -> None:
    code, out = run(capsys, "explain", "--graph", GRAPH, "--rules", RULES, "--user", "1", "--item", "10", "--templates")
    assert code != 0 and "E002 '10' is a Person, not an item" in out
