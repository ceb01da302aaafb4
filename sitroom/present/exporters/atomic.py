"""Writing an export whole or not at all: a temporary file (or folder) beside the target, renamed into
place only when every record is written, and removed when anything fails."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from sitroom.errors import InputError


def check_target(path: Path, *, folder: bool = False) -> None:
    """Fail before any work when ``path`` cannot be written (E071): its parent must be a writable
    folder, and the path itself must not be a folder (a file export) or a file (a folder export)."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError("E071", f"cannot write {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("E071", f"cannot write {path}: folder {parent} is not writable")
    if folder and path.exists() and not path.is_dir():
        raise InputError("E071", f"cannot write the data package into {path}: it is a file, not a folder")
    if not folder and path.is_dir():
        raise InputError("E071", f"cannot write {path}: it is a folder; name a file")


@contextlib.contextmanager
def atomic_text(path: Path | None, *, newline: str | None = None) -> Iterator[TextIO]:
    """A text handle for ``path`` (standard output when None) that appears only when complete."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    check_target(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A fresh temporary folder that replaces ``path`` (a folder) when the block completes."""
    check_target(path, folder=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or "."))
    try:
        yield temp
        if path.exists():
            # Swap in two renames so a reader never sees a half-replaced package.
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent or "."))
            os.rmdir(old)
            os.replace(path, old)
            os.replace(temp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
