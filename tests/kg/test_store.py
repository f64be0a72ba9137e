import os

import pytest

from kg import load_graph
from kg.errors import KGError
from kg.store import atomic_write
from tests.kg.tiny import tiny_builder


def test_save_load_save_is_byte_identical(tmp_path):
    g = tiny_builder().build()
    g.save(tmp_path / "a.nt")
    again = load_graph(tmp_path / "a.nt")
    again.save(tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert len(again) == len(g)
    assert sorted(again.users()) == sorted(g.users())


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_other_formats_round_trip_to_the_same_canonical_lines(tmp_path, suffix):
    g = tiny_builder().build()
    g.save(tmp_path / f"g{suffix}")
    assert list(load_graph(tmp_path / f"g{suffix}").lines()) == list(g.lines())


def test_failed_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "keep.nt"
    target.write_text("previous\n")

    def boom(f):
        f.write(b"half")
        raise RuntimeError("serializer failed")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nt"]  # no temp file left behind


def test_save_refuses_unknown_format_and_missing_folder(tmp_path):
    g = tiny_builder().build()
    with pytest.raises(KGError) as e:
        g.save(tmp_path / "g.xyz")
    assert e.value.code == "K050"
    with pytest.raises(KGError):
        g.save(tmp_path / "missing" / "g.nt")


def test_save_is_atomic_on_replace(tmp_path, monkeypatch):
    g = tiny_builder().build()
    target = tmp_path / "g.nt"
    target.write_text("old\n")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(KGError):
        g.save(target)
    assert target.read_text() == "old\n"


def test_a_later_save_sweeps_temp_files_left_by_a_killed_one(tmp_path):
    import time
    g = tiny_builder().build()
    stale = tmp_path / ".g.nt.abc123.tmp"
    fresh = tmp_path / ".g.nt.def456.tmp"  # maybe a save in progress right now: kept
    stale.write_text("half")
    fresh.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    g.save(tmp_path / "g.nt")
    assert not stale.exists() and fresh.exists()
