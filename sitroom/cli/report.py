"""`sitroom report`: a situation report on a question, a story or everything, as md, html or pdf."""

from __future__ import annotations

from typing import Annotated

import typer

from sitroom.cli.common import EXIT_NOT_FOUND, WorkspaceOption, _open, app, err, out
from sitroom.errors import NotFoundError, SitroomError
from sitroom.present.text import escape


@app.command()
def report(
    workspace: WorkspaceOption = None,
    question: Annotated[str | None, typer.Option(help="Report on this question (its slug).")] = None,
    story: Annotated[str | None, typer.Option(help="Report on this story (its id).")] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Report on every question, with the workspace overview.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(help="Only evidence and items dated from this date on (2015, 2015-11, 2015-11-23)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md, html (one self-contained file) or pdf.")
    ] = "html",
    out_path: Annotated[
        str | None,
        typer.Option("--out", "-o", help="File to write (by default sitroom-report-SUBJECT.FORMAT here)."),
    ] = None,
) -> None:
    """Write a situation report: key judgments in estimative language with their confidence, the evidence
    and its provenance, indicators, the ACH matrix, a timeline, a map, claims, contradictions, sources."""
    from sitroom.present.reports import build, check_format, write

    try:
        fmt = check_format(fmt)
    except SitroomError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    with _open(workspace) as ws:
        try:
            with err.status("assembling the report…"):
                built = build(ws, question=question, story=story, everything=everything, since=since)
            with err.status(f"writing {fmt}…"):
                path = write(ws, built, fmt, out_path)
        except SitroomError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
    for section in built.questions:
        if section.judgment is not None:
            out.print(f"[bold]{escape(section.slug)}[/bold]: {escape(section.judgment.likelihood_sentence)}")
            out.print(f"  {escape(section.judgment.confidence_sentence)}")
    out.print(f"report written to [bold]{escape(str(path.resolve()))}[/bold]")
