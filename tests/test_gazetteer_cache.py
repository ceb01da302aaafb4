"""The gazetteer's cache is safe when several installs and processes share one machine."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from sitroom.nlp import gazetteer, gazetteer_store
from sitroom.nlp.gazetteer import Entry, Gazetteer


@pytest.fixture()
def supplement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the CSV supplement, as a second checkout of sitroom would have."""
    folder = tmp_path / "data"
    shutil.copytree(gazetteer._data_file(""), folder)
    monkeypatch.setattr(gazetteer, "_data_file", lambda name: folder / name)
    return folder


def _tiny_arrays() -> tuple[dict, dict]:
    """A three-entry index, built in milliseconds, in the real on-disk layout."""
    entries = [
        Entry("Idlib", 35.9, 36.6, "SY", "Idlib", None, "populated place", 128840, 169389),
        Entry("Syria", 35.0, 38.0, "SY", None, None, "country", 16906283, 163843),
        Entry("Idlib Governorate", 35.8, 36.6, "SY", "Idlib", None, "admin1", 0, None),
    ]
    exact = {"idlib": (0 << 2, 2 << 2 | 1), "syria": 1 << 2, "idlib governorate": 2 << 2}
    loose = {"idlib": (0 << 2, 2 << 2 | 1), "syria": 1 << 2}
    return gazetteer_store.pack_arrays(entries, {"exact": exact, "loose": loose}, {"SY": frozenset({"TR"})})


def test_key_follows_content_not_file_times(supplement: Path, tmp_path: Path) -> None:
    first = gazetteer._cache_path(tmp_path / "cache")
    regions = supplement / "regions.csv"
    os.utime(regions, (1_000_000, 1_000_000))  # a fresh checkout: same bytes, other times
    assert gazetteer._cache_path(tmp_path / "cache") == first
    regions.write_text(regions.read_text(encoding="utf-8") + "XX,Testland,1.0,2.0,\n", encoding="utf-8")
    assert gazetteer._cache_path(tmp_path / "cache") != first


def test_arrays_round_trip_and_entries_keep_their_identity(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer-aaaaaaaaaaaaaaaa"
    gazetteer_store.write_folder(path, *_tiny_arrays())
    gaz = Gazetteer(*gazetteer_store.open_folder(path))
    found = gaz.candidates("Idlib")
    assert [(c.entry.name, c.match) for c in found] == [("Idlib", 0), ("Idlib Governorate", 1)]
    assert found[0].entry is gaz.candidates("idlib")[0].entry  # geo_recognize compares with `is`
    assert gaz.country("SY") == Entry("Syria", 35.0, 38.0, "SY", None, None, "country", 16906283, 163843)
    assert gaz.admin1_index == {("SY", "Idlib Governorate"): 2}
    assert gaz.neighbours == {"SY": frozenset({"TR"})}
    assert gaz.entries[2].geonames_id is None and len(gaz.entries) == 3
    assert gaz.candidates("Aleppo") == []


def test_two_versions_side_by_side_keep_their_caches(tmp_path: Path) -> None:
    """An install of another sitroom version (another cache key) never removes this one's cache."""
    mine = tmp_path / "gazetteer-aaaaaaaaaaaaaaaa"
    theirs = tmp_path / "gazetteer-bbbbbbbbbbbbbbbb"
    for path in (mine, theirs):
        gazetteer_store.write_folder(path, *_tiny_arrays())
        gazetteer_store.prune(tmp_path, path, max_age_days=gazetteer.CACHE_MAX_AGE_DAYS)
    assert gazetteer_store.open_folder(mine) and gazetteer_store.open_folder(theirs)


def test_prune_removes_only_caches_unused_for_long(tmp_path: Path) -> None:
    months_ago = time.time() - 90 * 86400
    old_pickle = tmp_path / "gazetteer-cccccccccccccccc.pickle"  # an earlier sitroom's format
    old_pickle.write_bytes(b"unused for months")
    old_folder = tmp_path / "gazetteer-dddddddddddddddd"
    gazetteer_store.write_folder(old_folder, *_tiny_arrays())
    killed = tmp_path / "gazetteer-eeeeeeeeeeeeeeee.1234.tmp"
    killed.mkdir()
    for stale in (old_pickle, old_folder, killed):
        os.utime(stale, (months_ago, months_ago))
    recent = tmp_path / "gazetteer-ffffffffffffffff.pickle"
    recent.write_bytes(b"another install's current cache")
    current = tmp_path / "gazetteer-0000000000000000"
    gazetteer_store.write_folder(current, *_tiny_arrays())

    gazetteer_store.prune(tmp_path, current, max_age_days=30)

    assert sorted(p.name for p in tmp_path.iterdir()) == [current.name, recent.name]


def test_opening_touches_the_cache_so_it_is_not_pruned(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer-aaaaaaaaaaaaaaaa"
    gazetteer_store.write_folder(path, *_tiny_arrays())
    months_ago = time.time() - 90 * 86400
    os.utime(path, (months_ago, months_ago))
    gazetteer_store.open_folder(path)
    assert path.stat().st_mtime > time.time() - 60


def _write_and_open(path: str) -> int:
    gazetteer_store.write_folder(Path(path), *_tiny_arrays())
    return len(Gazetteer(*gazetteer_store.open_folder(Path(path))).candidates("Idlib"))


def test_concurrent_builders_both_succeed_and_leave_one_whole_cache(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer-aaaaaaaaaaaaaaaa"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(_write_and_open, [str(path)] * 8) == [2] * 8
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary folder left behind


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gazetteer-aaaaaaaaaaaaaaaa"
    gazetteer_store.write_folder(path, *_tiny_arrays())
    (path / "exact_hash.npy").unlink()  # a half-deleted folder
    monkeypatch.setattr(gazetteer, "_cache_path", lambda cache_dir: path)
    monkeypatch.setattr(gazetteer, "_build_arrays", _tiny_arrays)
    assert Gazetteer.load().candidates("Syria")[0].entry.name == "Syria"
    assert (path / "exact_hash.npy").exists()


def test_an_unwritable_cache_place_is_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(gazetteer, "_cache_path", lambda cache_dir: blocker / "gazetteer-x")
    monkeypatch.setattr(gazetteer, "_build_arrays", _tiny_arrays)
    assert Gazetteer.load().candidates("Syria")[0].entry.name == "Syria"


def test_reverse_admin_from_the_cache_answers_as_reverse_geocoder_does() -> None:
    import contextlib
    import io
    import random

    import reverse_geocoder

    gaz = gazetteer.load_gazetteer()
    rng = random.Random(5)
    points = [(round(rng.uniform(-60, 70), 3), round(rng.uniform(-180, 180), 3)) for _ in range(300)]
    points += [(gaz.entries[i].lat, gaz.entries[i].lon) for i in range(0, len(gaz.entries), 2000)]
    with contextlib.redirect_stdout(io.StringIO()):
        hits = reverse_geocoder.search(points, mode=1)
    for point, hit in zip(points, hits, strict=True):
        assert gaz.reverse_admin(*point) == (hit.get("admin1") or None, hit.get("admin2") or None), point
