"""Rules on a catalog with its own roles: other users are found by the data's types (a catalog's
own 'watched' relation, Viewer -> Film), counted in the catalog's word, and stats and mining use
the catalog's items and its main interaction."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import load_graph
from reasoning import check_rules, find_chains
from reasoning.mine import MineConfig, suggest
from reasoning.ruleset import RuleSet
from reasoning.stats import rule_stats

FILMS = Path(__file__).resolve().parents[1] / "data" / "films_tiny"
CROWD = """
- id: watched-together
  says: "{count} other viewers who watched {film} also watched {item}."
  path:
    - user watched film
    - viewer watched film
    - viewer watched item
  TAGS
  min_support: 3
  min_support_reason: "a tiny test catalog"
"""


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    """The tiny film catalog with ratings called 'watched': a relation whyrec has never heard of."""
    folder = shutil.copytree(FILMS, tmp_path_factory.mktemp("w") / "films")
    text = (folder / "whyrec.yaml").read_text().replace("relation: rated", "relation: watched")
    (folder / "whyrec.yaml").write_text(text)
    return load_graph(folder)


def test_a_catalogs_own_user_relation_binds_other_users(watched) -> None:
    assert watched.user_ends("watched") == (True, False)
    _, problems = check_rules("<t>", watched, text=CROWD.replace("TAGS", ""))
    assert "R080" in [p.code for p in problems] and "binds other users (viewer)" in problems[0].message
    plans, problems = check_rules("<t>", watched, text=CROWD.replace("TAGS", "tags: [collaborative]"))
    assert not problems and plans[0].crowd == frozenset({"viewer"})
    (chain,) = find_chains(watched, RuleSet(tuple(plans)), "1", "2").chains
    crowd = chain.facts[1]
    assert crowd.subject is None and crowd.subject_label == "3 other viewers" and crowd.subject_type == "Viewer"


def test_stats_hold_out_the_catalogs_interaction_and_pair_with_its_items(watched) -> None:
    plans, _ = check_rules("<t>", watched, text=CROWD.replace("TAGS", "tags: [collaborative]"))
    report = rule_stats(watched, RuleSet(tuple(plans)), users=5, candidates=3)
    assert report.relation == "watched" and report.n_users == 4  # viewer 2 to 4 and 1: two films each or more
    items = set(watched.item_nodes().tolist())
    assert report.n_pairs == 4 * 4 and report.by_date
    assert all(n in items for n in watched.item_nodes())


def test_mining_names_variables_after_the_catalogs_types(watched) -> None:
    report = suggest(watched, MineConfig(target="watched", min_support=1, crowd_min=2, users=10))
    assert report.suggestions and report.users == 5
    text = report.yaml()
    assert "{count} other viewers" in text and "shopper" not in text
    assert "viewer watched film" in text  # the crowd is 'viewer', a middle film is 'film'
