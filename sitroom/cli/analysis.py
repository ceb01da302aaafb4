"""Commands across documents: stories, timeline, contradictions, sources, question add/list/board."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sitroom.cli.common import EXIT_NOT_FOUND, JsonOption, WorkspaceOption, _open, _print_json, app, err, out
from sitroom.errors import InputError, NotFoundError, SitroomError
from sitroom.workspace import Workspace

question_app = typer.Typer(help="Analyst questions: hypotheses, indicators, the board and the ACH matrix.")
app.add_typer(question_app, name="question")


def _fail(exc: SitroomError, code: int = 2) -> typer.Exit:
    err.print(f"[red]{escape(str(exc))}[/red]")
    return typer.Exit(code)


def _quote(ws: Workspace, ref: str, *, width: int = 160) -> str:
    try:
        doc, text = ws.quote(ref)
    except (NotFoundError, ValueError):
        return ref
    text = " ".join(text.split())
    return f"{escape(text[:width])}{'…' if len(text) > width else ''} [dim]({escape(doc.source or doc.id[:8])})[/dim]"


# --- stories -------------------------------------------------------------------------------------


@app.command()
def stories(
    workspace: WorkspaceOption = None,
    changes: Annotated[
        bool, typer.Option(help="Also list how each story formed (joins, merges, splits).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Stories: clusters of documents about one developing situation, largest first."""
    with _open(workspace) as ws:
        found = ws.stories()
        titles = {doc.id: doc.title for doc in ws.documents()}
    if as_json:
        _print_json(found)
        return
    if not found:
        out.print("no stories yet (run `sitroom process`)")
        return
    for story in found:
        out.print(
            f"[bold]{story['id']}[/bold]  {escape(story['title'] or '')}  "
            f"[dim]{story['size']} documents, {story['first_seen'] or '?'} – {story['last_seen'] or '?'}[/dim]"
        )
        for doc_id in story["documents"]:
            out.print(f"    {doc_id[:8]}  {escape(titles.get(doc_id) or '')}")
        if changes:
            for change in story["changes"]:
                out.print(f"    [dim]{change['at']} {change['kind']}: {escape(change['reason'] or '')}[/dim]")


# --- timeline ------------------------------------------------------------------------------------


@app.command()
def timeline(
    workspace: WorkspaceOption = None,
    kind: Annotated[str, typer.Option(help="documents (by what they report) or events.")] = "documents",
    event_type: Annotated[str | None, typer.Option("--type", help="Only events of this type.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Documents ordered by the dates of what they report (not their stated date), or dated events."""
    if kind not in ("documents", "events"):
        raise _fail(InputError("E041", "--kind is documents or events"))
    with _open(workspace) as ws:
        entries = ws.timeline(kind=kind, event_type=event_type)
    if as_json:
        _print_json([asdict(e) for e in entries])
        return
    table = Table(title=f"timeline of {kind}", title_justify="left", show_lines=kind == "events")
    for column in ("when", "until", "doc", "source", "what"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        what = (
            escape(entry.label)
            if kind == "documents"
            else f"[bold]{escape(entry.label)}[/bold] {escape(entry.text)}"
        )
        if kind == "documents":
            what += f"\n[dim]{escape(entry.text)}[/dim]"
        table.add_row(
            entry.when or "—", entry.until or "—", entry.document_id[:8], escape(entry.source or "—"), what
        )
    out.print(table)


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
    ] = (None, None),
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Contradictions (or corroborations, same-event links) between reports, with reasons and status."""
    with _open(workspace) as ws:
        if set_status and set_status[0] is not None:
            try:
                ws.set_link_status(set_status[0], set_status[1])
            except SitroomError as exc:
                raise _fail(exc, EXIT_NOT_FOUND if isinstance(exc, NotFoundError) else 2) from None
            out.print(f"link {set_status[0]} is now {set_status[1]}")
            return
        found = ws.links(kind=kind, status=status, limit=limit)
        quotes = {ref: _quote(ws, ref) for link in found for ref in (link["a"], link["b"])}
    if as_json:
        _print_json(found)
        return
    if not found:
        out.print(f"no {kind} links (run `sitroom process`, or try --kind corroborates)")
        return
    for link in found:
        flag = "" if link["independent"] else " [yellow](same origin)[/yellow]"
        out.print(f"[bold]#{link['id']}[/bold] {link['kind']} {link['score']:.2f} [{link['status']}]{flag}")
        out.print(f"   A: {quotes[link['a']]}")
        out.print(f"   B: {quotes[link['b']]}")
        out.print(f"   [dim]{escape(link['reason'])}[/dim]")


# --- sources -------------------------------------------------------------------------------------


@app.command()
def sources(
    workspace: WorkspaceOption = None,
    grade: Annotated[
        list[str] | None,
        typer.Option(help='Set a reliability grade: --grade "Antiwar.com=C" (A–F, repeatable).'),
    ] = None,
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
        profiles = [p.as_dict() for p in ws.sources()]
    if as_json:
        _print_json(profiles)
        return
    table = Table(title="sources", title_justify="left", show_edge=False)
    for column in (
        "source",
        "grade",
        "docs",
        "dups",
        "claims",
        "events",
        "corroborated",
        "contradicted",
        "hedged",
        "own events",
    ):
        table.add_column(column, overflow="fold")
    for p in profiles:
        table.add_row(
            escape(p["name"]),
            f"{p['grade']} [dim]{p['grade_label']}[/dim]",
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
        quotes = {row.evidence.ref: _evidence_text(row.evidence) for row in board.matrix}
    if as_json:
        _print_json(_board_dict(board, history))
        return
    q = board.question
    out.print(f"[bold]{escape(q.text)}[/bold]  [dim]({q.slug})[/dim]")
    for h in q.hypotheses:
        lead = " [green]◀ least inconsistent[/green]" if board.ranking and h.id == board.ranking[0] else ""
        out.print(
            f"  {h.id}: {escape(h.text)}  [dim]inconsistency {board.inconsistency[h.id]:.2f}, "
            f"support {board.support[h.id]:.2f}[/dim]{lead}"
        )
    table = Table(title="indicators", title_justify="left", show_edge=False)
    for column in ("indicator", "hits", "over time", "latest evidence"):
        table.add_column(column, overflow="fold")
    for indicator in q.indicators:
        hits = board.indicator_hits[indicator.id]
        latest = board.latest[indicator.id]
        table.add_row(
            escape(indicator.label),
            str(sum(hits.values())),
            ", ".join(f"{k}: {v}" for k, v in sorted(hits.items())) or "—",
            (quotes.get(latest[0].ref, "") + f" [dim]{latest[0].when or 'undated'}[/dim]") if latest else "—",
        )
    out.print(table)
    matrix = Table(title="ACH matrix (most diagnostic evidence first)", title_justify="left", show_lines=True)
    matrix.add_column("evidence", overflow="fold")
    for h in q.hypotheses:
        matrix.add_column(h.id, justify="center")
    matrix.add_column("weight", justify="right")
    for row in board.matrix[:evidence]:
        e = row.evidence
        label = f"{quotes[e.ref]}\n[dim]{e.indicator} · {e.modality}{'' if e.polarity == 'affirm' else ', ' + e.polarity}"
        label += f" · source {row.reliability}, credibility {row.credibility} · {e.when or 'undated'}[/dim]"
        matrix.add_row(label, *(row.ratings[h.id] for h in q.hypotheses), f"{row.weight:.2f}")
    out.print(matrix)
    if history:
        out.print("[dim]assessment history:[/dim]")
        for entry in history[-10:]:
            out.print(
                f"  {entry['at']}  leading {entry['leading']}  ranking {' > '.join(entry['ranking'])}  "
                f"({entry['evidence']} pieces of evidence from {entry['documents']} documents)"
            )


def _evidence_text(evidence, *, width: int = 110) -> str:
    text = " ".join(evidence.text.split())
    cut = f"{text[:width]}{'…' if len(text) > width else ''}"
    return f"{escape(cut)} [dim]({escape(evidence.source or evidence.document_id[:8])})[/dim]"


def _board_dict(board, history: list[dict]) -> dict:
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
        "history": history,
    }  # fmt: skip
