"""Targets to inputs: files, folders, glob patterns, ``-`` for stdin, and http(s) URLs.

Folders are walked recursively in sorted order so a run is reproducible; hidden files and folders
(``.git``, ``.DS_Store``) are skipped because they are never articles.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from sitroom.config import IngestOptions
from sitroom.ingest.dispatch import DEFAULT_OPTIONS, read_bytes, read_url
from sitroom.ingest.url import is_url
from sitroom.model import Problem, RawDocument

STDIN_ORIGIN = "<stdin>"
_GLOB_CHARS = frozenset("*?[")


def iter_inputs(
    targets: Iterable[str],
    *,
    options: IngestOptions | None = None,
    stdin: BinaryIO | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[RawDocument | Problem]:
    """Documents and problems from every target, in order; never raises for a bad input.

    Files under an ``exclude`` path are passed over: a workspace ingesting the folder it lives in
    must not read its own database and raw packs back as articles."""
    excluded = tuple(Path(p).resolve() for p in exclude)
    options = options or DEFAULT_OPTIONS
    if isinstance(targets, str):  # one path passed bare would otherwise be read letter by letter
        targets = [targets]
    for target in targets:
        if target == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, options=options)
        elif is_url(target):
            yield from read_url(target, options=options)
        else:
            for path in expand_target(target):
                if isinstance(path, Problem):
                    yield path
                elif not _is_excluded(path, excluded):
                    yield from read_file(path, options=options)


def _is_excluded(path: Path, excluded: tuple[Path, ...]) -> bool:
    if not excluded:
        return False
    resolved = path.resolve()
    return any(resolved == e or e in resolved.parents for e in excluded)


def expand_target(target: str) -> Iterator[Path | Problem]:
    """The files a path, folder or glob pattern names, or E010 when it names none."""
    path = Path(target).expanduser()
    if path.is_dir():
        yield from walk_folder(path)
    elif path.exists():
        yield path
    elif _GLOB_CHARS & set(target):
        matches = sorted(glob.glob(os.path.expanduser(target), recursive=True))
        if not matches:
            yield Problem(origin=target, code="E010", reason="no files match this pattern")
        for match in matches:
            match_path = Path(match)
            yield from walk_folder(match_path) if match_path.is_dir() else [match_path]
    else:
        yield Problem(origin=target, code="E010", reason="no such file or folder")


def walk_folder(folder: Path) -> Iterator[Path]:
    """Every non-hidden file under ``folder``, depth first, names sorted."""
    for root, dirs, files in os.walk(folder):
        # Pruning in place stops os.walk from descending into hidden folders at all.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path, *, options: IngestOptions | None = None) -> Iterator[RawDocument | Problem]:
    """Documents from one file, after checking its size without reading it."""
    options = options or DEFAULT_OPTIONS
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            yield Problem(
                origin=origin,
                code="E015",
                reason=f"{size:,} bytes, over the {options.max_bytes:,}-byte cap; raise max_bytes to read it",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(origin=origin, code="E010", reason=f"cannot read ({exc.strerror or exc})")
        return
    yield from read_bytes(data, origin=origin, options=options, name=path.name)


def read_stdin(stream: BinaryIO, *, options: IngestOptions | None = None) -> Iterator[RawDocument | Problem]:
    """Documents from standard input, read up to one byte past the cap so an overflow is noticed."""
    options = options or DEFAULT_OPTIONS
    chunks: list[bytes] = []
    size = 0
    # Loop: a raw pipe may hand over less than asked for before its end.
    while size <= options.max_bytes:
        chunk = stream.read(options.max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if len(data) > options.max_bytes:
        yield Problem(
            origin=STDIN_ORIGIN,
            code="E015",
            reason=f"more than {options.max_bytes:,} bytes on standard input; raise max_bytes to read it",
        )
        return
    yield from read_bytes(data, origin=STDIN_ORIGIN, options=options)
