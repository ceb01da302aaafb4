"""Commands across documents: analyse, stories, timeline, contradictions, sources, question
add/list/board."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated

import typer
from rich.padding import Padding
from rich.text import Text

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
def analyse(
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="Recompute links and evidence of every processed document, in ingest order."
        ),
    ] = False,
) -> None:
    """Bring stories, links and question boards up to date with every processed document (those an
    interrupted run left out); `process` does this itself. `--all` recomputes them for every one."""
    with _open(workspace) as ws:
        summary = ws.analyse(everything=everything)
    if as_json:
        _print_json(
            {
                "documents": summary.documents,
                "caught_up": summary.caught_up,
                "failed": summary.failed,
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
    for doc_id, step, reason in summary.failed[:50]:
        out.print(f"  [yellow]{doc_id}[/yellow] {step}: {escape(reason)}")
    if not summary.documents:
        out.print("[dim]nothing was left out; `sitroom process` takes in new documents[/dim]")


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
    home: Annotated[
        list[str] | None,
        typer.Option(
            help='Say where an outlet is local: --home "Richmond Register=Kentucky, US" (a national outlet: =NG; or =none; '
            "repeatable). Places of its next processed documents weigh it; `process --force` re-reads the rest."
        ),
    ] = None,
    min_documents: Annotated[int, typer.Option(help="Only outlets with at least this many documents.")] = 1,
    match: Annotated[str | None, typer.Option(help="Only outlets whose name contains this.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Outlets: documents, claims, corroboration and contradiction rates, hedging, reliability grade and
    home region."""
    with _open(workspace) as ws:
        settings = [(s, "--grade", ws.grade_source) for s in grade or []]
        settings += [(s, "--home", ws.set_outlet_home) for s in home or []]
        for setting, option, apply in settings:
            name, sep, value = setting.rpartition("=")
            try:
                if not sep:
                    raise InputError("E052" if option == "--grade" else "E053", f"{option} {setting!r} must be NAME=VALUE")
                apply(name.strip(), value.strip())
            except SitroomError as exc:
                raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
        found = ws.sources(min_documents=min_documents, match=match)
        homes = ws.outlet_homes([p.name for p in found])
        profiles = [p.as_dict() | {"home": homes[p.name].region, "home_basis": homes[p.name].basis} for p in found]
    if as_json:
        _print_json(profiles)
        return
    if not profiles:
        out.print("no sources match" if (match or min_documents > 1) else "no sources yet")
        return
    for p in profiles:
        claims = (
            f"{p['claims']} claims ({p['corroboration_rate']:.0%} corroborated, "
            f"{p['contradiction_rate']:.0%} contradicted by independent sources, {p['hedged_share']:.0%} hedged)"
        )
        events = f"{p['events']} events ({p['unattributed_event_share']:.0%} in its own voice)"
        documents = f"{p['documents']} document{'s' if p['documents'] != 1 else ''}"
        if p["duplicates"]:
            documents += f" + {p['duplicates']} syndicated copies"
        out.print(f"[bold]{escape(p['name'])}[/bold]  grade {p['grade']} ({GRADE_LABELS.get(p['grade'], '')})")
        home = f" · home {escape(p['home'])} ({escape(p['home_basis'])})" if p["home"] else ""
        out.print(Padding(Text.from_markup(f"{documents} · {claims} · {events}{home}"), (0, 0, 0, 4), expand=False),
                  soft_wrap=False)  # fmt: skip


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
    why: Annotated[bool, typer.Option(help="Say why each piece of evidence got each rating.")] = False,
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
    print_board(board, history, quotes, evidence=evidence, why=why)


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
             "credibility": r.credibility, "diagnosticity": r.diagnosticity, "why": r.why,
             "indicators": list(r.indicators)}
            for r in board.matrix
        ],
        "history": [asdict(entry) for entry in history],
    }  # fmt: skip
