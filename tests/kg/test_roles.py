"""Items and users are roles: a film catalog (``items: Film``, ``users: Viewer``) whose viewers and
films share numeric ids, declared by a mapping, by RDF annotations or by load_graph's arguments."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import load_graph
from kg.errors import KGError
from kg.roles import singular
from kg.vocab import ITEM_CLASS, USER_CLASS

FILMS = Path(__file__).resolve().parents[1] / "data" / "films_tiny"


@pytest.fixture(scope="module")
def films():
    return load_graph(FILMS)


def test_a_film_catalog_has_films_as_items_and_viewers_as_users(films) -> None:
    assert films.item_types == {"Film"} and films.user_types == {"Viewer"}
    assert films.item_classes == ("https://id.whyrec.dev/films-tiny/vocab#Film",)
    assert films.audience == "viewers"
    assert sorted(films.items(), key=int) == ["1", "2", "3", "4", "5", "6"]
    assert sorted(films.users(), key=int) == ["1", "2", "3", "4", "5"]
    assert [films.type_name(n) for n in films.item_nodes()] == ["Film"] * 6
    assert all(films.is_user(n) and not films.is_item(n) for n in films.user_nodes())


def test_ids_are_per_type(films) -> None:
    with pytest.raises(KGError) as err:
        films.node("1")  # a viewer and a film
    assert err.value.code == "K041"
    user, item = films.node_of("1", "user"), films.node_of("1", "item")
    assert user != item
    assert films.iri(user).endswith("/viewer/1") and films.iri(item).endswith("/film/1")
    assert films.label(item) == "The Long Night"
    assert films.node_of("viewer/1", "user") == user and films.node_of(films.iri(item), "item") == item
    assert films.node_of(item, "item") == item  # a node id is accepted when it has the role


def test_asking_for_the_wrong_role_says_what_the_node_is_and_how_to_declare_roles(films) -> None:
    with pytest.raises(KGError) as err:
        films.node_of("10", "item")  # a person
    assert err.value.code == "K043" and "'10' is a Person, not an item" in err.value.message
    with pytest.raises(KGError) as err:
        films.node_of("42", "user")
    assert err.value.code == "K040" and "unknown user '42'" in err.value.message
    with pytest.raises(ValueError):
        films.node_of("1", "viewer")


def test_without_a_declaration_a_movie_catalog_has_no_items_and_says_how_to_fix_it(tmp_path) -> None:
    folder = shutil.copytree(FILMS, tmp_path / "films")
    text = (folder / "whyrec.yaml").read_text()
    (folder / "whyrec.yaml").write_text(text.replace("items: Film\nusers: Viewer\n", ""))
    g = load_graph(folder)
    assert g.item_classes == (ITEM_CLASS,) and g.user_classes == (USER_CLASS,) and not g.item_mask.any()
    with pytest.raises(KGError) as err:
        g.node_of("2", "item")
    assert err.value.code == "K043" and "this graph has no items" in err.value.hint and "items: Film" in err.value.hint
    again = load_graph(folder, items="Film", users=["Viewer"], audience="film fans")  # or say it when loading
    assert sorted(again.items()) == sorted(load_graph(FILMS).items()) and again.audience == "film fans"


def test_roles_survive_save_and_reload(films, tmp_path) -> None:
    for name in ("films.nt", "films.ttl"):
        films.save(tmp_path / name)
        back = load_graph(tmp_path / name)
        assert back.item_classes == films.item_classes and back.user_classes == films.user_classes
        assert back.audience == "viewers" and sorted(back.items()) == sorted(films.items())
        assert back.n_nodes == films.n_nodes  # the annotations make no nodes


def test_rdf_declares_roles_with_annotations_and_load_graph_overrides_them(tmp_path) -> None:
    ttl = tmp_path / "books.ttl"
    ttl.write_text("""\
@prefix ex: <https://ex.org/> .
@prefix wr: <https://whyrec.dev/ns#> .
ex:Book wr:role "item" .
ex:Reader wr:role "user" ; wr:audience "readers" .
ex:b1 a ex:Book ; ex:writtenBy ex:a1 .
ex:b2 a ex:Book ; ex:writtenBy ex:a1 .
ex:r1 a ex:Reader ; ex:read ex:b1 .
ex:a1 a ex:Author .
""")
    g = load_graph(ttl)
    assert g.item_types == {"Book"} and g.user_types == {"Reader"} and g.audience == "readers"
    assert sorted(g.items()) == ["b1", "b2"] and list(g.users()) == ["r1"]
    assert "role" not in g.vocab.names() and "audience" not in g.vocab.names()
    other = load_graph(ttl, items="Author")
    assert list(other.items()) == ["a1"] and other.user_types == {"Reader"}  # only what is said changes
    with pytest.raises(KGError) as err:
        load_graph(ttl, items="Bok")
    assert err.value.code == "K025" and "'Book'" in err.value.hint


def test_a_graph_without_declarations_keeps_the_shop_defaults(tmp_path) -> None:
    nt = tmp_path / "g.nt"
    nt.write_text("<https://ex.org/u1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://whyrec.dev/ns#User> .\n"
                  "<https://ex.org/u1> <https://whyrec.dev/ns#purchased> <https://ex.org/p1> .\n"
                  "<https://ex.org/p1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Product> .\n")
    g = load_graph(nt)
    assert g.audience == "people" and list(g.items()) == ["p1"] and list(g.users()) == ["u1"]
    assert g.node_of("p1", "item") == g.node("p1")


@pytest.mark.parametrize("edit, code, where, hint", [
    ("items: Flim", "K025", ":4:", "did you mean 'Film'?"),
    ("items: [Film, Genre]", None, None, None),
    ("audience: 42", "K025", ":6:", "audience: viewers"),
    ("audience: [a, b]", "K025", ":6:", "audience: viewers"),
])
def test_mapping_roles_are_checked(tmp_path, edit, code, where, hint) -> None:
    folder = shutil.copytree(FILMS, tmp_path / "films")
    text = (folder / "whyrec.yaml").read_text()
    key = edit.split(":")[0]
    line = next(x for x in text.splitlines() if x.startswith(key + ":"))
    (folder / "whyrec.yaml").write_text(text.replace(line, edit))
    if code is None:
        assert load_graph(folder).item_types == {"Film", "Genre"}
        return
    with pytest.raises(KGError) as err:
        load_graph(folder)
    assert err.value.code == code and where in str(err.value) and hint in str(err.value)


def test_the_audience_in_the_singular() -> None:
    assert [singular(w) for w in ("viewers", "people", "shoppers", "libraries", "class")] == \
        ["viewer", "person", "shopper", "library", "class"]
