"""The NLP result cache: batched reads and writes in one private SQLite file."""

from __future__ import annotations

import stat

from nlp.cache import FILE_NAME, ResultCache


def test_results_round_trip_in_one_file_and_a_key_is_replaced(tmp_path):
    cache = ResultCache(tmp_path / "nlp-cache")
    assert cache.get_many(["a"]) == {}  # nothing written yet, no file made
    assert not (tmp_path / "nlp-cache").exists()
    cache.put_many({f"k{i}": {"n": i, "text": "décidé"} for i in range(2000)})
    cache.put_many({"k1": {"n": -1}})
    found = cache.get_many([f"k{i}" for i in range(2000)] + ["missing", "k1"])
    assert len(found) == 2000  # more keys than one `in (...)` holds
    assert found["k1"] == {"n": -1} and found["k7"] == {"n": 7, "text": "décidé"}
    assert [p.name for p in (tmp_path / "nlp-cache").iterdir()] == [FILE_NAME]


def test_the_file_is_private_whatever_the_umask(tmp_path):
    ResultCache(tmp_path).put_many({"k": {}})
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600


def test_an_unreadable_file_is_set_aside_and_the_cache_starts_anew(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"not a database, a torn copy" * 100)
    cache = ResultCache(tmp_path)
    assert cache.get_many(["k"]) == {}
    cache.put_many({"k": {"ok": True}})
    assert cache.get_many(["k"]) == {"k": {"ok": True}}
    assert (tmp_path / "results.unreadable").exists()


def test_no_directory_means_no_cache(tmp_path):
    cache = ResultCache(None)
    cache.put_many({"k": {}})
    assert cache.get_many(["k"]) == {}
