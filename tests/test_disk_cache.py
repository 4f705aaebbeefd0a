"""A value kept on disk between runs comes back equal, is rebuilt when its inputs change, and a damaged or
unwritable cache costs a rebuild, never an error."""

from __future__ import annotations

import pytest

from pipeline.disk_cache import cached
from pipeline.parse.places import gazetteer as gazetteer_module


class Builder:
    """Counts its builds: the cache must spare the second one."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("code,nom\n01001,L'Abergement-Clémenciat\n", "utf-8")
    return path


def test_a_second_process_reads_the_value_instead_of_building_it(tmp_path, source):
    build = Builder({("saint", "genis"): frozenset({"42"})})
    first = cached("names", [source], build, cache_dir=tmp_path / "cache")
    second = cached("names", [source], build, cache_dir=tmp_path / "cache")
    assert first == second == build.value
    assert build.calls == 1


def test_an_edited_input_rebuilds_and_the_stale_file_goes(tmp_path, source):
    cache = tmp_path / "cache"
    cached("names", [source], Builder("old"), cache_dir=cache)
    source.write_text("code,nom\n01002,L'Abergement-de-Varey\n", "utf-8")
    build = Builder("new")
    assert cached("names", [source], build, cache_dir=cache) == "new"
    assert build.calls == 1
    assert len(list(cache.glob("names-*.pickle"))) == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]), id="one-byte-flipped"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a pickle at all" * 3, id="garbage"),
    ],
)
def test_a_damaged_file_is_rebuilt_and_replaced(tmp_path, source, damage):
    cache = tmp_path / "cache"
    cached("names", [source], Builder(["Marboz", "Jayat"]), cache_dir=cache)
    (path,) = cache.glob("names-*.pickle")
    path.write_bytes(damage(path.read_bytes()))
    build = Builder(["Marboz", "Jayat"])
    assert cached("names", [source], build, cache_dir=cache) == ["Marboz", "Jayat"]
    assert build.calls == 1
    again = Builder(None)
    assert cached("names", [source], again, cache_dir=cache) == ["Marboz", "Jayat"]
    assert again.calls == 0


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path, source):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", "utf-8")
    build = Builder(42)
    assert cached("names", [source], build, cache_dir=blocked / "cache") == 42
    assert cached("names", [source], build, cache_dir=blocked / "cache") == 42
    assert build.calls == 2
    assert not list(tmp_path.glob("**/*.tmp"))


def test_the_cached_gazetteer_names_equal_a_fresh_build(tmp_path):
    fresh = gazetteer_module._gazetteer_names()
    inputs = gazetteer_module._SOURCES
    cached("gazetteer-names", inputs, gazetteer_module._gazetteer_names, cache_dir=tmp_path)
    read_back = cached("gazetteer-names", inputs, Builder(None), cache_dir=tmp_path)
    assert read_back == fresh
    assert list(read_back) == list(fresh)


def test_the_reference_indexes_read_back_equal_fresh_ones(tmp_path):
    from pipeline.catalog import REFERENCE_DIR
    from pipeline.normalise.cog import Reference

    def on_disk(name, build):
        cached(name, [REFERENCE_DIR / "communes.parquet"], build, cache_dir=tmp_path)
        return cached(name, [REFERENCE_DIR / "communes.parquet"], Builder(None), cache_dir=tmp_path)

    fresh, read_back = Reference(REFERENCE_DIR), Reference(REFERENCE_DIR)
    fresh._keep, read_back._keep = (lambda name, build: build()), on_disk
    assert read_back._moves == fresh._moves
    for year in (2019, 2026):
        ours, theirs = read_back._index(year), fresh._index(year)
        assert ours.keys_by_prefix == theirs.keys_by_prefix
        assert ours.keys_by_departement == theirs.keys_by_departement
        assert ours.epci_by_key == theirs.epci_by_key
        for name in ("Saint-Genis-Laval", "Marboz", "Les Abymes", "Lyon 3e", "Paris 12e Arrondissement"):
            assert read_back.lookup(name, year) == fresh.lookup(name, year)
            assert read_back.fuzzy(name + "e", year) == fresh.fuzzy(name + "e", year)
