"""Analyst corrections from the command line: `sitroom correct` and `sitroom revisions`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from sitroom.cli.common import EXIT_NOT_FOUND, JsonOption, WorkspaceOption, _open, _print_json, app, err, out
from sitroom.errors import NotFoundError, SitroomError
from sitroom.present.text import escape
from sitroom.workspace import default_analyst

AnalystOption = Annotated[
    str | None,
    typer.Option(
        "--analyst",
        envvar="SITROOM_ANALYST",
        show_envvar=True,
        help="Who corrects [default: your user name].",
    ),
]


@app.command()
def correct(
    target: Annotated[
        str,
        typer.Argument(
            help="What to correct: claim:DOC:S-E, event:DOC:S-E, place:DOC:S-E, doc:DOC, link:ID, "
            "source:NAME or ach:QUESTION:EVIDENCE-REF:HYPOTHESIS (refs as `--json` listings give them)."
        ),
    ],
    field: Annotated[
        str,
        typer.Argument(
            help="claim: speaker, modality, polarity; event: type, actors, place; place: resolution; "
            "doc: published; link: status; source: grade, home; ach: rating."
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(help='The new value (a place is "NAME|LAT,LON"; actors are "A; B").'),
    ],
    why: Annotated[str, typer.Option(help="Why: kept with the revision.")] = "",
    analyst: AnalystOption = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct what the machine got wrong. The correction is kept as a revision (what, before, after,
    who, when, why) and survives re-processing; a disagreeing new result is listed as a conflict."""
    with _open(workspace) as ws:
        try:
            revision = ws.correct(target, field, value, analyst=analyst or default_analyst(), why=why)
        except SitroomError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
    if as_json:
        _print_json(asdict(revision))
        return
    out.print(
        f"revision {revision.id}: {escape(revision.target)} {revision.field} "
        f"{escape(revision.before or '—')} → {escape(revision.after or '—')} "
        f"[dim]by {escape(revision.analyst)}, {revision.at}[/dim]"
    )


@app.command()
def revisions(
    workspace: WorkspaceOption = None,
    target: Annotated[str | None, typer.Option(help="The history of one item (its reference).")] = None,
    state: Annotated[
        str | None, typer.Option(help="active, superseded, conflict (to review) or orphaned.")
    ] = None,
    analyst: Annotated[str | None, typer.Option(help="Only this analyst's revisions.")] = None,
    document: Annotated[str | None, typer.Option(help="Only revisions inside this document.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (newest first).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Analyst revisions, newest first; `--state conflict` lists those re-processing disagrees with."""
    with _open(workspace) as ws:
        try:
            page = ws.revisions(target=target, state=state, analyst=analyst, document=document, limit=limit)
        except SitroomError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
    if as_json:
        _print_json([asdict(r) for r in page])
        return
    if not page.items:
        out.print("no revisions match" if (target or state or analyst or document) else "no revisions yet")
        return
    table = Table(title=f"revisions ({page.notice('revisions')})", title_justify="left", show_lines=True)
    for column in ("id", "target / field", "before → after", "who, when, why", "state"):
        table.add_column(column, overflow="fold")
    for r in page:
        state_text = r.state + (f"\nmachine now: {escape(r.machine)}" if r.machine else "")
        table.add_row(
            str(r.id),
            f"{escape(r.target)}\n{r.field}",
            f"{escape(r.before or '—')} → {escape(r.after or '—')}",
            f"{escape(r.analyst)}, {r.at}" + (f"\n{escape(r.why)}" if r.why else ""),
            state_text,
        )
    out.print(table)
