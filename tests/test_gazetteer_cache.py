"""The gazetteer's pickle cache is safe when several installs and processes share one machine."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from sitroom.nlp import gazetteer


@pytest.fixture()
def supplement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the CSV supplement, as a second checkout of sitroom would have."""
    folder = tmp_path / "data"
    shutil.copytree(gazetteer._data_file(""), folder)
    monkeypatch.setattr(gazetteer, "_data_file", lambda name: folder / name)
    return folder


def test_key_follows_content_not_file_times(supplement: Path, tmp_path: Path) -> None:
    first = gazetteer._cache_path(tmp_path / "cache")
    regions = supplement / "regions.csv"
    os.utime(regions, (1_000_000, 1_000_000))  # a fresh checkout: same bytes, other times
    assert gazetteer._cache_path(tmp_path / "cache") == first
    regions.write_text(regions.read_text(encoding="utf-8") + "XX,Testland,1.0,2.0,\n", encoding="utf-8")
    assert gazetteer._cache_path(tmp_path / "cache") != first


def test_write_keeps_other_installs_pickles_and_prunes_old_ones(tmp_path: Path) -> None:
    other = tmp_path / "gazetteer-aaaaaaaaaaaaaaaa.pickle"
    other.write_bytes(b"another install's current pickle")
    old = tmp_path / "gazetteer-bbbbbbbbbbbbbbbb.pickle"
    old.write_bytes(b"unused for months")
    months_ago = time.time() - 90 * 86400
    os.utime(old, (months_ago, months_ago))
    killed = tmp_path / "gazetteer-cccccccccccccccc.1234.tmp"
    killed.write_bytes(b"half")
    os.utime(killed, (months_ago, months_ago))

    path = tmp_path / "gazetteer-dddddddddddddddd.pickle"
    gazetteer._write_cache(path, ("payload",))

    assert pickle.loads(path.read_bytes()) == ("payload",)
    assert other.exists()
    assert not old.exists() and not killed.exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_write_to_an_unwritable_place_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    gazetteer._write_cache(blocker / "gazetteer-x.pickle", ("payload",))  # no exception
