"""The folder of raw bytes: append-only pack files, one per ingest run.

A document's raw bytes are appended to its run's pack before the document row is committed, and the
row records (file, offset, size). A kill between the two leaves unreferenced bytes at the end of a
pack, never a row pointing at missing bytes; a rerun appends the bytes again to its own pack. Packs
avoid one file per document: millions of tiny files are slow to create (about 2 ms each here) and
painful to copy or back up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True, slots=True)
class RawRef:
    """Where a document's raw bytes lie: a pack file name (relative to the raw folder), offset, size."""

    file: str
    offset: int
    size: int


class RawPackWriter:
    """Appends raw bytes to ``<folder>/<name>.pack``; open lazily, flushed after every append."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.file = f"{name}.pack"
        self._handle: BinaryIO | None = None

    def append(self, data: bytes) -> RawRef:
        if self._handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._handle = (self.folder / self.file).open("ab")
        offset = self._handle.tell()
        self._handle.write(data)
        # Flushed to the OS before the row commits: a killed process loses neither; only a power
        # loss can, which also drops the uncommitted row (SQLite synchronous=NORMAL).
        self._handle.flush()
        return RawRef(self.file, offset, len(data))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def read_raw(folder: Path, ref: RawRef) -> bytes:
    with (folder / ref.file).open("rb") as handle:
        handle.seek(ref.offset)
        data = handle.read(ref.size)
    if len(data) != ref.size:
        raise OSError(f"raw pack {ref.file} is shorter than the workspace expects (truncated or replaced?)")
    return data
