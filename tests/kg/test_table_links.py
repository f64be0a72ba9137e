"""A link column restricted to rows (``targets: rows``): an id that is no row of its type's node
table is left out (or, with ``outside: TYPE``, links to a node of that other type), so a catalog's
also-liked ids outside the catalog never become items."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import load_graph
from kg.errors import KGError

FILMS = Path(__file__).resolve().parents[1] / "data" / "films_tiny"
SIMILAR = 'similar:  {relation: similar_to, type: Film, split: "|", targets: rows}'
RATED_FILM = "object: {column: film_id, type: Film, targets: rows}"


def catalog(tmp_path: Path, **edits: str) -> Path:
    folder = shutil.copytree(FILMS, tmp_path / "films")
    text = (folder / "whyrec.yaml").read_text()
    for old, new in edits.values():
        assert old in text
        text = text.replace(old, new)
    (folder / "whyrec.yaml").write_text(text)
    return folder


def keys(g, relation: str) -> list[tuple[str, str]]:
    index = g.edges(relation)
    return sorted((g.key(s), g.key(int(o))) for s in range(g.n_nodes) for o in index.out.row(s))


def test_targets_rows_keeps_only_links_to_rows() -> None:
    g = load_graph(FILMS)
    assert keys(g, "similar_to") == [("1", "2"), ("2", "1"), ("4", "5"), ("5", "4")]  # not 99, not 1001
    assert sorted(g.items(), key=int) == ["1", "2", "3", "4", "5", "6"]  # nor film 7, rated but no row
    assert ("5", "7") not in keys(g, "rated") and len(keys(g, "rated")) == 10
    for gone in ("film/99", "film/1001", "film/7"):
        with pytest.raises(KGError):
            g.node(gone)


def test_without_targets_every_id_becomes_an_item(tmp_path) -> None:
    g = load_graph(catalog(tmp_path, a=(", targets: rows}", "}")))  # both restricted links
    assert sorted(g.items(), key=int) == ["1", "2", "3", "4", "5", "6", "7", "99", "1001"]


def test_outside_links_to_another_type_that_is_not_an_item(tmp_path) -> None:
    g = load_graph(catalog(tmp_path, s=(SIMILAR, SIMILAR.replace("targets: rows", "outside: OtherFilm")),
                           r=(RATED_FILM, RATED_FILM.replace("targets: rows", "targets: rows, outside: OtherFilm"))))
    assert sorted(g.items(), key=int) == ["1", "2", "3", "4", "5", "6"]
    outside = {g.key(n) for n in range(g.n_nodes) if g.type_name(n) == "OtherFilm"}
    assert outside == {"7", "99", "1001"}
    assert ("1", "99") in keys(g, "similar_to") and ("5", "7") in keys(g, "rated")
    assert g.label(g.node_of("1", "item")) == "The Long Night"  # film 1 is still the row, not outside


def test_a_column_may_point_to_rows_of_a_later_table(tmp_path) -> None:
    folder = catalog(tmp_path, d=("director: {relation: directed_by, type: Person}",
                                  "director: {relation: directed_by, type: Person, targets: rows}"))
    films_csv = (folder / "films.csv").read_text().replace("6,Quiet Hours,2001,2000s,drama,13", "6,Quiet Hours,2001,2000s,drama,77")
    (folder / "films.csv").write_text(films_csv)
    g = load_graph(folder)  # people.csv comes after films.csv in the mapping
    assert [k for k in keys(g, "directed_by")] == [("1", "10"), ("2", "10"), ("3", "11"), ("4", "12"), ("5", "12")]


@pytest.mark.parametrize("old, new, message", [
    (SIMILAR, SIMILAR.replace("targets: rows", "targets: all"), "targets must be 'rows' or 'any'"),
    ("year:     {relation: year, datatype: integer}", "year:     {relation: year, datatype: integer, targets: rows}",
     "needs a fixed 'type'"),
    (SIMILAR, SIMILAR.replace("type: Film", "type: Festival"), "no node table has type 'Festival'"),
    (SIMILAR, SIMILAR.replace("targets: rows", "targets: any, outside: OtherFilm"), "'outside' needs 'targets: rows'"),
    (SIMILAR, SIMILAR.replace("targets: rows", "target: rows"), "unknown key 'target'"),
])
def test_bad_targets_are_located(tmp_path, old, new, message) -> None:
    with pytest.raises(KGError) as err:
        load_graph(catalog(tmp_path, x=(old, new)))
    assert message in str(err.value) and "whyrec.yaml:" in str(err.value)
