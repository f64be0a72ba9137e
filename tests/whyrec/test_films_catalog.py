"""The generated film catalog the team measures on (benchmarks/catalogs/films.py): the same seed
gives the same bytes, it loads with its roles, and its rule file's examples hold."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg import load_graph
from reasoning import check_rules
from reasoning.expect import run_expects
from reasoning.ruleset import RuleSet

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "catalogs" / "films.py"


def generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(SCRIPT), str(out), "--small", *args], check=True, capture_output=True)


def test_same_seed_same_bytes_other_seed_other_data(tmp_path) -> None:
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    generate(tmp_path / "c", "--seed", "1")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["decades.csv", "films.csv", "films.rules.yaml", "genres.csv", "people.csv", "ratings.csv",
                     "viewers.csv", "whyrec.yaml"]
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)
    assert (tmp_path / "a" / "ratings.csv").read_bytes() != (tmp_path / "c" / "ratings.csv").read_bytes()


def test_the_catalog_loads_with_its_roles_and_its_examples_hold(tmp_path) -> None:
    generate(tmp_path)
    g = load_graph(tmp_path)
    assert g.item_types == {"Film"} and g.user_types == {"Viewer"} and g.audience == "viewers"
    assert g.n_items == 120 and g.n_users == 80 and g.edges("rated").n_edges == 2400
    assert g.node_of("1", "user") != g.node_of("1", "item")  # ids shared by viewers and films
    assert {"directed_by", "starring", "genre", "released_in", "similar_to", "tag"} <= set(g.vocab.names())
    assert all(g.is_item(int(o)) for o in g.edges("similar_to").out.indices)  # targets: rows
    plans, problems = check_rules(str(tmp_path / "films.rules.yaml"), g)
    assert not problems and len(plans) == 7
    assert any(p.rule.collaborative for p in plans) and any(p.rule.when for p in plans)
    results = run_expects(g, RuleSet(tuple(plans)))
    assert len(results) == 14 and all(r.passed for r in results), [str(r) for r in results if not r.passed]
