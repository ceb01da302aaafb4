"""Commands across documents: analyse, stories, timeline, contradictions, sources, question
add/list/board."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from sitroom.analyse.sources import GRADE_LABELS
from sitroom.cli.common import EXIT_NOT_FOUND, JsonOption, WorkspaceOption, _open, _print_json, app, err, out
from sitroom.cli.render import (
    evidence_text,
    print_board,
    print_links,
    print_stories,
    print_timeline,
    quote_ref,
)
from sitroom.errors import InputError, NotFoundError, SitroomError
from sitroom.present.text import escape

LINK_KINDS = ("contradicts", "corroborates", "same-event")
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
question_app = typer.Typer(help="Analyst questions: hypotheses, indicators, the board and the ACH matrix.")
app.add_typer(question_app, name="question")


def _fail(exc: SitroomError, code: int = 2) -> typer.Exit:
    err.print(f"[red]{escape(str(exc))}[/red]")
    return typer.Exit(code)


# --- analyse -------------------------------------------------------------------------------------


@app.command()
def analyse(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Bring stories, links and question boards up to date with every processed document (after an
    interrupted run, or to recompute links); `process` does this for the documents it processes."""
    with _open(workspace) as ws:
        summary = ws.analyse()
    if as_json:
        _print_json(
            {
                "documents": summary.documents,
                "story_changes": len(summary.story_changes),
                "new_links": summary.links,
                "evidence": summary.evidence,
                "assessments": summary.assessments,
            }
        )
        return
    out.print(
        f"[bold]{summary.documents}[/bold] documents analysed: {len(summary.story_changes)} story changes, "
        f"{summary.links} new links, evidence {summary.evidence or '{}'}"
    )
    if not summary.documents:
        out.print(
            "[dim]only documents processed by the current components count: run `sitroom process`[/dim]"
        )


# --- stories -------------------------------------------------------------------------------------


@app.command()
def stories(
    workspace: WorkspaceOption = None,
    changes: Annotated[
        bool, typer.Option(help="Also list how each story formed (joins, merges, splits).")
    ] = False,
    min_size: Annotated[int, typer.Option(help="Only stories of at least this many documents.")] = 1,
    match: Annotated[
        str | None, typer.Option(help="Only stories whose title or documents' titles contain this.")
    ] = None,
    document: Annotated[
        str | None, typer.Option(help="Only the story of this document (id or prefix).")
    ] = None,
    topic: Annotated[
        str | None, typer.Option(help="Only the stories of this topic (same kind of event), e.g. topic-3.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many stories.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Stories: clusters of documents about one developing situation, largest first."""
    with _open(workspace) as ws:
        try:
            found = ws.stories(min_size=min_size, match=match, document=document, topic=topic, limit=limit)
        except SitroomError as exc:
            raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
        titles = ws.store.document_titles([d for story in found for d in story.documents])
    if as_json:
        _print_json([asdict(story) for story in found])
        return
    print_stories(found, titles, changes=changes)


# --- timeline ------------------------------------------------------------------------------------


@app.command()
def timeline(
    workspace: WorkspaceOption = None,
    kind: Annotated[str, typer.Option(help="documents (by what they report) or events.")] = "documents",
    event_type: Annotated[str | None, typer.Option("--type", help="Only events of this type.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only what overlaps this date or later (2015, 2015-11, 2015-11-23).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Only what overlaps this date or earlier.")] = None,
    source: Annotated[str | None, typer.Option(help="Only outlets whose name contains this.")] = None,
    story: Annotated[str | None, typer.Option(help="Only the documents of this story (its id).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Documents ordered by the dates of what they report (not their stated date), or dated events."""
    if kind not in ("documents", "events"):
        raise _fail(InputError("E041", "--kind is documents or events"))
    for value in (since, until):
        if value and not _ISO_DATE.fullmatch(value):
            raise _fail(InputError("E041", f"{value!r} is not a date: use 2015, 2015-11 or 2015-11-23"))
    with _open(workspace) as ws:
        try:
            entries = ws.timeline(
                kind=kind, event_type=event_type, since=since, until=until, source=source, story=story
            )
        except SitroomError as exc:
            raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
    if as_json:
        _print_json([asdict(e) for e in entries])
        return
    print_timeline(entries, kind)


# --- contradictions and links ----------------------------------------------------------------------


@app.command()
def contradictions(
    workspace: WorkspaceOption = None,
    kind: Annotated[str, typer.Option(help="contradicts, corroborates or same-event.")] = "contradicts",
    status: Annotated[
        str | None, typer.Option(help="Only links with this status: open, confirmed, dismissed.")
    ] = None,
    set_status: Annotated[
        tuple[int, str] | None, typer.Option("--set", help="Set a link's status: --set ID confirmed.")
    ] = None,
    document: Annotated[
        str | None, typer.Option(help="Only links touching this document (id or prefix).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Contradictions (or corroborations, same-event links) between reports, with reasons and status."""
    if kind not in LINK_KINDS:
        raise _fail(InputError("E052", f"--kind is one of {', '.join(LINK_KINDS)}, not {kind!r}"))
    with _open(workspace) as ws:
        if set_status is not None:
            try:
                ws.set_link_status(set_status[0], set_status[1])
            except SitroomError as exc:
                raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
            out.print(f"link {set_status[0]} is now {set_status[1]}")
            return
        try:
            found = ws.links(kind=kind, status=status, document=document, limit=limit)
        except SitroomError as exc:
            raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
        quotes = {ref: quote_ref(ws, ref) for link in found for ref in (link.a, link.b)}
    if as_json:
        _print_json([asdict(link) for link in found])
        return
    print_links(found, quotes, kind)


# --- sources -------------------------------------------------------------------------------------


@app.command()
def sources(
    workspace: WorkspaceOption = None,
    grade: Annotated[
        list[str] | None,
        typer.Option(help='Set a reliability grade: --grade "Antiwar.com=C" (A–F, repeatable).'),
    ] = None,
    min_documents: Annotated[int, typer.Option(help="Only outlets with at least this many documents.")] = 1,
    match: Annotated[str | None, typer.Option(help="Only outlets whose name contains this.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Outlets: documents, claims, corroboration and contradiction rates, hedging, and reliability grade."""
    with _open(workspace) as ws:
        for setting in grade or []:
            name, sep, value = setting.rpartition("=")
            try:
                if not sep:
                    raise InputError("E052", f"--grade {setting!r} must be NAME=GRADE")
                ws.grade_source(name.strip(), value.strip())
            except SitroomError as exc:
                raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
        profiles = [p.as_dict() for p in ws.sources(min_documents=min_documents, match=match)]
    if as_json:
        _print_json(profiles)
        return
    table = Table(
        title="sources",
        title_justify="left",
        show_edge=False,
        caption="corrob./contra.: share of claims corroborated/contradicted by independent sources; "
        "unattr.: events the outlet reports in its own voice\n"
        + " · ".join(f"{g} {label}" for g, label in GRADE_LABELS.items()),
        caption_justify="left",
    )
    table.add_column("source", min_width=16, overflow="fold")
    table.add_column("grade")
    # Short headers so the table fits a terminal; the caption and docs/cli.md say what each means.
    for column in ("docs", "dups", "claims", "events", "corrob.", "contra.", "hedged", "unattr."):
        table.add_column(column, justify="right", min_width=len(column))
    for p in profiles:
        table.add_row(
            escape(p["name"]),
            p["grade"],
            str(p["documents"]),
            str(p["duplicates"]),
            str(p["claims"]),
            str(p["events"]),
            f"{p['corroboration_rate']:.0%}",
            f"{p['contradiction_rate']:.0%}",
            f"{p['hedged_share']:.0%}",
            f"{p['unattributed_event_share']:.0%}",
        )
    out.print(table)


# --- questions -----------------------------------------------------------------------------------


@question_app.command("add")
def question_add(
    path: Annotated[str, typer.Argument(help="A question YAML file (docs/questions.md).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Add (or replace) a question and gather its evidence from every document so far."""
    with _open(workspace) as ws:
        try:
            question, created = ws.add_question(path)
        except SitroomError as exc:
            raise _fail(exc) from None
        board = ws.board(question.slug)
    verb = "added" if created else "replaced"
    out.print(
        f"{verb} [bold]{question.slug}[/bold]: {escape(question.text)} — {len(board.matrix)} pieces of evidence; "
        f"`sitroom question board {question.slug}`"
    )


@question_app.command("list")
def question_list(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """The workspace's questions."""
    with _open(workspace) as ws:
        found = ws.questions()
    if as_json:
        _print_json(
            [{"slug": q.slug, "text": q.text, "hypotheses": [asdict(h) for h in q.hypotheses]} for q in found]
        )
        return
    for q in found:
        out.print(f"[bold]{q.slug}[/bold]  {escape(q.text)}  [dim]{len(q.indicators)} indicators[/dim]")


@question_app.command("board")
def question_board(
    slug: Annotated[str, typer.Argument(help="The question's slug.")],
    workspace: WorkspaceOption = None,
    evidence: Annotated[
        int, typer.Option(help="Rows of the ACH matrix to show (most diagnostic first).")
    ] = 20,
    as_json: JsonOption = False,
) -> None:
    """Indicator board (hits over time, latest evidence), ACH matrix and the dated assessment history."""
    with _open(workspace) as ws:
        try:
            board = ws.board(slug)
            history = ws.assessment_history(slug)
        except SitroomError as exc:
            raise _fail(exc, EXIT_NOT_FOUND) from None
        quotes = {row.evidence.ref: evidence_text(row.evidence) for row in board.matrix}
    if as_json:
        _print_json(_board_dict(board, history))
        return
    print_board(board, history, quotes, evidence=evidence)


def _board_dict(board, history: list) -> dict:
    q = board.question
    return {
        "question": {"slug": q.slug, "text": q.text, "hypotheses": [asdict(h) for h in q.hypotheses]},
        "ranking": board.ranking,
        "inconsistency": board.inconsistency,
        "support": board.support,
        "indicators": [
            {"id": i.id, "label": i.label, "hits": board.indicator_hits[i.id],
             "latest": [asdict(e) for e in board.latest[i.id][:5]]}
            for i in q.indicators
        ],
        "matrix": [
            {"evidence": asdict(r.evidence), "ratings": r.ratings, "weight": r.weight, "reliability": r.reliability,
             "credibility": r.credibility, "diagnosticity": r.diagnosticity}
            for r in board.matrix
        ],
        "history": [asdict(entry) for entry in history],
    }  # fmt: skip
