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
from sitroom.ingest.dispatch import DEFAULT_OPTIONS, guard_reader, read_bytes, read_url
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
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from guard_reader(read_stdin(stream, options=options), origin=STDIN_ORIGIN)
        elif is_url(target):
            yield from guard_reader(read_url(target, options=options), origin=target)
        else:
            yield from guard_reader(_read_target(target, options, excluded), origin=display_path(target))


def _read_target(
    target: str, options: IngestOptions, excluded: tuple[Path, ...]
) -> Iterator[RawDocument | Problem]:
    for path in expand_target(target):
        if isinstance(path, Problem):
            yield path
        elif not _is_excluded(path, excluded):
            yield from read_file(path, options=options)


def display_path(path: str | Path) -> str:
    """A path as text that any database and terminal can take.

    POSIX file names are bytes: one that is not UTF-8 reaches Python with lone surrogates, which
    SQLite and PostgreSQL refuse to store (the batch once died recording the problem). Bad bytes
    become ``\\xNN`` escapes; terminal escapes are left to the printing side (the CLI escapes).
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _is_excluded(path: Path, excluded: tuple[Path, ...]) -> bool:
    if not excluded:
        return False
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): read_file says so
        return False
    return any(resolved == e or e in resolved.parents for e in excluded)


def expand_target(target: str) -> Iterator[Path | Problem]:
    """The files a path, folder or glob pattern names, or E010 when it names none."""
    path = Path(target).expanduser()
    if path.is_dir():
        yield from walk_folder(path)
    elif path.exists() or path.is_symlink():  # a dangling or looping link: read_file says which
        yield path
    elif _GLOB_CHARS & set(target):
        matches = sorted(glob.glob(os.path.expanduser(target), recursive=True))
        if not matches:
            yield Problem(origin=display_path(target), code="E010", reason="no files match this pattern")
        for match in matches:
            match_path = Path(match)
            yield from walk_folder(match_path) if match_path.is_dir() else [match_path]
    else:
        yield Problem(origin=display_path(target), code="E010", reason="no such file or folder")


def walk_folder(folder: Path) -> Iterator[Path | Problem]:
    """Every non-hidden file under ``folder``, depth first, names sorted; unreadable folders as E010.

    Symbolic links to folders are not followed (``os.walk`` default), so a link loop cannot make the
    walk endless; a link to a file is read like the file, and a dangling or looping one is reported
    by :func:`read_file`.
    """
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        yield from (_walk_problem(e) for e in errors)
        errors.clear()
        # Pruning in place stops os.walk from descending into hidden folders at all.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name
    yield from (_walk_problem(e) for e in errors)


def _walk_problem(exc: OSError) -> Problem:
    return Problem(
        origin=display_path(exc.filename or "?"),
        code="E010",
        reason=f"cannot list this folder ({exc.strerror or exc}); the rest was read",
    )


def read_file(path: Path, *, options: IngestOptions | None = None) -> Iterator[RawDocument | Problem]:
    """Documents from one file, after checking its size without reading it."""
    options = options or DEFAULT_OPTIONS
    origin = display_path(path)
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
