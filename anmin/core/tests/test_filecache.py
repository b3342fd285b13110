"""The shared file cache (one server without Redis): what is set is read back, a new value replaces
the old one for every reader, and the directory is culled when it grows past its bound."""

from __future__ import annotations

from anmin.core import filecache
from anmin.core.filecache import FileCache


def _cache(tmp_path, **options):
    return FileCache(str(tmp_path), {"OPTIONS": options})


def test_values_are_read_back_and_a_new_value_replaces_the_old_one_for_another_reader(tmp_path):
    writer, reader = _cache(tmp_path), _cache(tmp_path)
    writer.set_many({"g:all": "a1", "g:t:411081001": "t1"}, 60)
    assert reader.get_many(["g:all", "g:t:411081001"]) == {"g:all": "a1", "g:t:411081001": "t1"}
    writer.set("g:all", "a2", 60)
    assert reader.get("g:all") == "a2"
    assert reader.add("g:all", "other", 60) is False  # present: kept
    assert reader.get("g:all") == "a2"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".djcache")) == []  # no temp file left


def test_the_directory_is_culled_past_its_bound_at_most_once_in_a_while(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: clock[0])
    cache = _cache(tmp_path, MAX_ENTRIES=10, CULL_FREQUENCY=2)
    for i in range(20):
        cache.set(f"k{i}", i, 60)
    assert len(list(tmp_path.iterdir())) == 20  # culled only before the first set
    clock[0] += filecache.CULL_SECONDS
    cache.set("k20", 20, 60)
    assert len(list(tmp_path.iterdir())) == 11  # half of the 20 removed, then the new one
    assert cache.get("k20") == 20
