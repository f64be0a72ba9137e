"""The graph cache: a second load maps the cache; any change to the sources, the version or the
file itself makes it rebuild from the sources, never trust it."""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

import kg.cache as cache
from kg import load_graph
from kg.cache_codec import Arrays, KeyTable, decode, encode
from kg.graph import KnowledgeGraph
from kg.load import cache_status
from kg.vocab import Relation
from tests.kg.tiny import tiny_builder

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


@pytest.fixture
def nt(tmp_path: Path) -> Path:
    path = tmp_path / "shop.nt"
    tiny_builder().build().save(path)
    return path


def state(source: Path, folder: Path) -> str:
    return cache_status(source, cache=folder).state


def same_graph(a: KnowledgeGraph, b: KnowledgeGraph) -> None:
    assert list(a.lines()) == list(b.lines())
    for f in dataclasses.fields(a.parts):
        x, y = getattr(a.parts, f.name), getattr(b.parts, f.name)
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y), f.name
        elif f.name in ("edges", "literals"):
            assert x.keys() == y.keys()
            for name in x:
                for g in dataclasses.fields(x[name]):
                    u, v = getattr(x[name], g.name), getattr(y[name], g.name)
                    if g.name == "values":
                        assert u.keys() == v.keys() and all(np.array_equal(u[k], v[k], equal_nan=True) for k in u)
                    elif isinstance(u, np.ndarray):
                        assert np.array_equal(u, v, equal_nan=True), (name, g.name)
                    elif dataclasses.is_dataclass(u):
                        assert all(np.array_equal(getattr(u, h.name), getattr(v, h.name))
                                   for h in dataclasses.fields(u)), (name, g.name)
                    else:
                        assert u == v, (name, g.name)
        else:
            assert x == y, f.name


def test_second_load_comes_from_the_cache_and_equals_the_first(nt, tmp_path):
    folder = tmp_path / "c"
    assert state(nt, folder) == "missing"
    first = load_graph(nt, cache=folder)
    assert state(nt, folder) == "fresh"
    second = load_graph(nt, cache=folder)
    same_graph(first, second)
    assert second.node("u1") == first.node("u1") and second.label(second.node("p1")) == "Glow Serum"
    assert second.values(second.node("p1"), "price") == [12.5]
    assert not second.parts.triples.flags.writeable  # mapped read-only: shared between processes


def test_demo_catalog_round_trips_with_its_id_table(tmp_path):
    folder = tmp_path / "c"
    fresh = load_graph(DEMO, cache=False)
    load_graph(DEMO, cache=folder)
    cached = load_graph(DEMO, cache=folder)
    assert state(DEMO, folder) == "fresh"
    same_graph(fresh, cached)
    assert isinstance(cached._lookup, KeyTable)  # the id table is mapped, not rebuilt
    for key in list(fresh._lookup)[::37]:
        assert cached._lookup.get(key) == fresh._lookup[key]
    assert cached.node("u001") == fresh.node("u001")


def test_a_changed_source_file_invalidates(nt, tmp_path):
    folder = tmp_path / "c"
    load_graph(nt, cache=folder)
    text = nt.read_text().replace('"Glow Serum"', '"Glow Serum Plus"')
    nt.write_text(text)  # same folder, same name: only the content says it changed
    assert state(nt, folder) == "stale"
    g = load_graph(nt, cache=folder)
    assert g.label(g.node("p1")) == "Glow Serum Plus"
    assert state(nt, folder) == "fresh"


def test_a_changed_table_of_a_mapping_invalidates(tmp_path):
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "whyrec.yaml").write_text("namespace: https://ex.org/\nnodes:\n  - file: products.csv\n"
                                      "    type: Product\n    id: id\n    label: name\n")
    (shop / "products.csv").write_text("id,name\np1,Glow Serum\n")
    folder = tmp_path / "c"
    load_graph(shop, cache=folder)
    (shop / "products.csv").write_text("id,name\np1,Glow Cream\n")
    assert state(shop, folder) == "stale"
    g = load_graph(shop, cache=folder)
    assert g.label(g.node("p1")) == "Glow Cream"


def test_a_changed_version_or_code_invalidates(nt, tmp_path, monkeypatch):
    folder = tmp_path / "c"
    load_graph(nt, cache=folder)
    monkeypatch.setattr(cache, "project_version", lambda: "99.0")
    assert state(nt, folder) == "stale"
    load_graph(nt, cache=folder)
    assert state(nt, folder) == "fresh"
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another loader")
    assert state(nt, folder) == "stale"


def _entry(nt: Path, folder: Path) -> Path:
    return cache_status(nt, cache=folder).file


@pytest.mark.parametrize("where", ["header", "data", "last byte"])
def test_a_corrupt_cache_is_rebuilt_never_trusted(nt, tmp_path, where):
    folder = tmp_path / "c"
    good = load_graph(nt, cache=folder)
    entry = _entry(nt, folder)
    raw = bytearray(entry.read_bytes())
    at = {"header": cache.PREFIX.size + 20, "data": len(raw) // 2 + 200, "last byte": len(raw) - 1}[where]
    at = min(at, len(raw) - 1)
    raw[at] ^= 0x5A
    entry.write_bytes(bytes(raw))
    assert state(nt, folder) in ("corrupt", "stale")
    assert cache.read(entry, cache_status(nt, cache=folder).key) is None
    again = load_graph(nt, cache=folder)
    same_graph(good, again)
    assert state(nt, folder) == "fresh"  # rewritten


@pytest.mark.parametrize("keep", [0, 5, 30, 0.5, 0.999])
def test_a_truncated_cache_is_rebuilt(nt, tmp_path, keep):
    folder = tmp_path / "c"
    good = load_graph(nt, cache=folder)
    entry = _entry(nt, folder)
    raw = entry.read_bytes()
    entry.write_bytes(raw[:int(len(raw) * keep) if isinstance(keep, float) else keep])
    assert state(nt, folder) != "fresh"
    same_graph(good, load_graph(nt, cache=folder))
    assert state(nt, folder) == "fresh"


def test_a_padded_cache_is_not_trusted(nt, tmp_path):
    folder = tmp_path / "c"
    load_graph(nt, cache=folder)
    entry = _entry(nt, folder)
    entry.write_bytes(entry.read_bytes() + b"\0" * 64)
    assert cache.read(entry, cache_status(nt, cache=folder).key) is None


def test_off_writes_nothing(nt, tmp_path, monkeypatch):
    monkeypatch.setenv("WHYREC_CACHE_DIR", str(tmp_path / "env"))
    load_graph(nt, cache=False)
    monkeypatch.setenv("WHYREC_CACHE", "0")
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0)
    load_graph(nt)
    assert not (tmp_path / "env").exists()


def test_default_folder_skips_quick_loads_and_keeps_few_files(tmp_path, monkeypatch):
    monkeypatch.setenv("WHYREC_CACHE_DIR", str(tmp_path / "env"))
    monkeypatch.delenv("WHYREC_CACHE", raising=False)
    sources = []
    for n in range(4):
        path = tmp_path / f"g{n}.nt"
        tiny_builder().build().save(path)
        sources.append(path)
    load_graph(sources[0])  # a tiny graph loads in far under MIN_SECONDS: not worth a file
    assert not list((tmp_path / "env").glob("*.wgc")) if (tmp_path / "env").exists() else True
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0)
    monkeypatch.setattr(cache, "MAX_FILES", 2)
    for path in sources:
        load_graph(path)
    kept = sorted((tmp_path / "env").glob("*.wgc"))
    assert len(kept) == 2 and any(p.name.startswith("g3.nt") for p in kept)


def test_new_graph_attributes_travel_without_cache_changes(nt, tmp_path, monkeypatch):
    """State a later change adds to the graph (in its parts or on the object) round-trips."""
    original = KnowledgeGraph.__init__

    def init(self, parts):
        original(self, parts)
        self.shelf = "films"
        self.kinds = ("https://schema.org/Product", "https://ex.org/Film")
        self.rel = {"items": Relation("film", "https://ex.org/film", "film", "film of", ("is",))}
    monkeypatch.setattr(KnowledgeGraph, "__init__", init)
    folder = tmp_path / "c"
    load_graph(nt, cache=folder)
    g = load_graph(nt, cache=folder)
    assert state(nt, folder) == "fresh"
    assert g.shelf == "films" and g.kinds[1] == "https://ex.org/Film" and g.rel["items"].phrases == ("is",)


def test_roles_are_part_of_the_key(nt, tmp_path):
    folder = tmp_path / "c"
    load_graph(nt, audience="viewers", cache=folder)
    load_graph(nt, cache=folder)
    viewers = load_graph(nt, audience="viewers", cache=folder)
    plain = load_graph(nt, cache=folder)
    assert cache_status(nt, audience="viewers", cache=folder).state == "fresh" == state(nt, folder)
    assert (viewers.audience, plain.audience) == ("viewers", "people")
    assert viewers.item_classes == plain.item_classes and len(list(folder.glob("*.wgc"))) == 2


def test_state_the_codec_cannot_write_turns_the_cache_off_for_that_graph(nt, tmp_path, monkeypatch):
    original = KnowledgeGraph.__init__

    def init(self, parts):
        original(self, parts)
        self.hook = lambda: None  # no code ever goes into a cache file
    monkeypatch.setattr(KnowledgeGraph, "__init__", init)
    folder = tmp_path / "c"
    g = load_graph(nt, cache=folder)
    assert callable(g.hook) and state(nt, folder) == "missing"


# -- the codec -------------------------------------------------------------------------------------

def roundtrip(value):
    arrays = Arrays()
    tree = encode(value, arrays)
    return decode(tree, Arrays(list(arrays.items)))


def test_codec_round_trips_values_of_every_kind():
    strs = ["a", "line\nbreak", "nul\x00", "\udc80 lone surrogate", ""] * 10
    value = {"n": None, "t": True, "i": -3, "f": 1.5, "nan": math.nan, "inf": -math.inf, "s": "é",
             "tuple": (1, "x"), "strs": strs, "ints": list(range(40)), "ragged": [(1, 2), (), (3,)] * 10,
             "bytes_free": {k: str(k) for k in range(30)}, "set": frozenset({"a", "b"}),
             "arr": np.arange(12, dtype=np.int16).reshape(3, 4), "rel": Relation("r", "https://ex.org/r", "r", "r of", ("is",))}
    got = roundtrip(value)
    assert math.isnan(got.pop("nan")) and np.array_equal(got.pop("arr"), value["arr"])
    value = {k: v for k, v in value.items() if k not in ("nan", "arr")}
    assert got == value and isinstance(got["tuple"], tuple) and isinstance(got["ragged"][0], tuple)


def test_key_table_answers_like_the_dict_it_replaced():
    table = {f"k{n}": [n, n + 1] for n in range(100)} | {"é": [7], "": [1]}
    kt = roundtrip(table)
    assert isinstance(kt, KeyTable) and len(kt) == len(table)
    assert all(kt[k] == v for k, v in table.items()) and set(kt) == set(table)
    assert kt.get("missing") is None and "k5" in kt and "k500" not in kt and 5 not in kt


@pytest.mark.parametrize("tree", [{"$c": "os:system", "f": {}}, {"$c": "builtins:eval", "f": {}},
                                  {"$e": "subprocess:Popen", "v": 1}, {"$c": "kg.graph:np", "f": {}}])
def test_codec_refuses_classes_outside_the_kg_package(tree):
    with pytest.raises(ValueError):
        decode(tree, Arrays())
