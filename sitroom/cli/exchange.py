"""Commands that move a workspace's content out and back in: export and import."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sitroom.cli.common import EXIT_NOT_FOUND, WorkspaceOption, _open, app, err
from sitroom.errors import NotFoundError, SitroomError

_FORMATS_HELP = "json, jsonl, csv (= datapackage), datapackage, geojson, acled or plover."


def _fail(exc: SitroomError) -> typer.Exit:
    err.print(f"[red]{escape(str(exc))}[/red]")
    return typer.Exit(EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help=_FORMATS_HELP)] = "json",
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o", help="File to write (a folder for csv/datapackage) [default: standard output]."
        ),
    ] = None,
    question: Annotated[
        str | None, typer.Option("--question", help="Only this question's evidence documents.")
    ] = None,
    story: Annotated[str | None, typer.Option("--story", help="Only the documents of this story.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Documents published on or after (2015, 2015-11, 2015-11-23)."),
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Documents published on or before.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Outlets whose name contains this.")] = None,
    document: Annotated[str | None, typer.Option("--document", help="One document (id or prefix).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export the workspace (or the part the filters select) in a format other tools read; see
    docs/exports.md. Written whole or not at all."""
    from sitroom.present.exporters import Filters
    from sitroom.present.exporters import export as run_export

    filters = Filters(
        question=question, story=story, since=since, until=until, source=source, document=document
    )
    with _open(workspace) as ws:
        try:
            summary = run_export(ws, format, out, filters=filters)
        except SitroomError as exc:
            raise _fail(exc) from None
    err.print(
        f"exported {summary.documents} documents as {summary.format} "
        f"({summary.records} records) to {escape(summary.out)}"
    )


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A JSON or JSONL export written by `sitroom export`.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Read a JSON or JSONL export into a new, empty workspace (-w): the same documents, annotations,
    links, stories, questions, source grades and revisions. The file is checked whole first."""
    from sitroom.present.exporters import check_export, import_export
    from sitroom.present.exporters.schema import SECTIONS

    try:
        check_export(Path(file))  # before the workspace is created: a bad file leaves nothing
    except SitroomError as exc:
        raise _fail(exc) from None
    # A new workspace folder is built beside its final place and renamed into it when complete, so
    # an import that fails midway leaves no half-filled workspace behind.
    target = Path(workspace) if workspace and "://" not in workspace else None
    fresh = target is not None and target.suffix not in (".db", ".sqlite", ".sqlite3") and not target.exists()
    building = (
        Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
        if fresh
        else None
    )
    try:
        with _open(str(building) if building else workspace, create=True) as ws:
            try:
                counts = import_export(ws, file)
            except SitroomError as exc:
                raise _fail(exc) from None
            where = ws.location.display
        if building is not None:
            os.replace(building, target)
            where = str(target)
    except BaseException:
        if building is not None:
            shutil.rmtree(building, ignore_errors=True)
        raise
    listed = ", ".join(f"{n} {SECTIONS[kind]}" for kind, n in counts.items() if kind in SECTIONS)
    err.print(f"imported {escape(listed)} into {escape(where)}")
