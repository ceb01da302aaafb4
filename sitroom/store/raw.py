"""The folder of raw bytes: append-only pack files, one per ingest run.

A document's raw bytes are appended to its run's pack before the document row is committed, and the
row records (file, offset, size). Packs avoid one file per document: millions of tiny files are slow
to create (about 2 ms each here) and painful to copy or back up.

What survives which fault (tests/test_hardening_ingest.py, "raw pack durability"):

- kill -9 at any point: bytes reach the OS with every append (unbuffered ``os.write``), so a killed
  process loses none that a committed row points at. The worst case is unreferenced bytes at the end
  of a pack (appended, row never committed), possibly a half-written record; a rerun appends the
  document again to its own new pack, and nothing ever reads the dead tail.
- a write that fails (disk full, quota, I/O error): the pack is cut back to where the record started
  before the error goes up, so the file never holds a half record that a later offset would skip
  over. Each offset is taken from the file's real size, never from a counter that a failed write
  could have left wrong.
- power loss or a kernel crash: :meth:`RawPackWriter.sync` fsyncs the pack (and, the first time, the
  folder holding it) and the document writer calls it before every commit, so a committed row never
  points at bytes still in the page cache. One fsync per commit group (64 documents or one second),
  not per document, so ingest throughput is unchanged.
- a pack damaged later (truncated copy, replaced file): :func:`read_raw` refuses to return short data
  and says which pack is damaged.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RawRef:
    """Where a document's raw bytes lie: a pack file name (relative to the raw folder), offset, size."""

    file: str
    offset: int
    size: int


class RawPackWriter:
    """Appends raw bytes to ``<folder>/<name>.pack``; opened lazily, written unbuffered, synced on demand."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.file = f"{name}.pack"
        self._fd: int | None = None
        self._dirty = False

    def append(self, data: bytes) -> RawRef:
        fd = self._open()
        # O_APPEND writes land at the end whatever happened before; the end is where this record starts.
        offset = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            written = 0
            while written < len(view):
                written += os.write(fd, view[written:])
        except BaseException:
            # A half record must not stay: cut the pack back (best effort: a dead disk may refuse).
            with contextlib.suppress(OSError):
                os.ftruncate(fd, offset)
            raise
        self._dirty = True
        return RawRef(self.file, offset, len(data))

    def sync(self) -> None:
        """Make every appended byte durable (fsync); cheap when nothing was appended since the last."""
        if self._fd is not None and self._dirty:
            os.fsync(self._fd)
            self._dirty = False

    def close(self) -> None:
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None

    def _open(self) -> int:
        if self._fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / self.file
            created = not path.exists()
            self._fd = os.open(
                path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644
            )
            if created:
                _sync_folder(self.folder)  # the new file's name must survive a power loss too
        return self._fd


def _sync_folder(folder: Path) -> None:
    # Folders cannot be opened for fsync on Windows; there NTFS journals the name anyway.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_raw(folder: Path, ref: RawRef) -> bytes:
    with (folder / ref.file).open("rb") as handle:
        handle.seek(ref.offset)
        data = handle.read(ref.size)
    if len(data) != ref.size:
        raise OSError(
            f"raw pack {ref.file} is shorter than the workspace expects ({len(data):,} of {ref.size:,} "
            f"bytes at offset {ref.offset:,}): the file was truncated or replaced after ingest; restore it "
            "from a backup"
        )
    return data
