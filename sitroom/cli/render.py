"""Printing helpers shared by commands: stories, timelines, links, question boards (rich markup,
article text always escaped)."""

from __future__ import annotations

from rich.table import Table

from sitroom.cli.common import out
from sitroom.errors import NotFoundError
from sitroom.present.text import escape
from sitroom.workspace import Workspace


def quote_ref(ws: Workspace, ref: str, *, width: int = 160) -> str:
    try:
        doc, text = ws.quote(ref)
    except (NotFoundError, ValueError):
        return ref
    text = " ".join(text.split())
    return f"{escape(text[:width])}{'…' if len(text) > width else ''} [dim]({escape(doc.source or doc.id[:8])})[/dim]"


def print_stories(found, titles: dict[str, str | None], *, changes: bool = False) -> None:
    if not found:
        out.print("no stories yet (run `sitroom process`)")
        return
    for story in found:
        out.print(
            f"[bold]{story.id}[/bold]  {escape(story.title or '')}  "
            f"[dim]{story.size} documents, {story.first_seen or '?'} – {story.last_seen or '?'}"
            f"{', ' + story.topic if story.topic else ''}[/dim]"
        )
        for doc_id in story.documents:
            out.print(f"    {doc_id[:8]}  {escape(titles.get(doc_id) or '')}")
        if changes:
            for change in story.changes:
                out.print(f"    [dim]{change.at} {change.kind}: {escape(change.reason or '')}[/dim]")


def print_timeline(entries: list, kind: str) -> None:
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


def print_links(found, quotes: dict[str, str], kind: str) -> None:
    if not found:
        out.print(f"no {kind} links (run `sitroom process`, or try --kind corroborates)")
        return
    for link in found:
        flag = "" if link.independent else " [yellow](same origin)[/yellow]"
        out.print(f"[bold]#{link.id}[/bold] {link.kind} {link.score:.2f} \\[{link.status}]{flag}")
        out.print(f"   A: {quotes[link.a]}")
        out.print(f"   B: {quotes[link.b]}")
        out.print(f"   [dim]{escape(link.reason)}[/dim]")


def print_board(board, history: list, quotes: dict[str, str], *, evidence: int = 20) -> None:
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
                f"  {entry.at}  leading {entry.leading}  ranking {' > '.join(entry.ranking)}  "
                f"({entry.evidence} pieces of evidence from {entry.documents} documents)"
            )


def evidence_text(evidence, *, width: int = 110) -> str:
    text = " ".join(evidence.text.split())
    cut = f"{text[:width]}{'…' if len(text) > width else ''}"
    return f"{escape(cut)} [dim]({escape(evidence.source or evidence.document_id[:8])})[/dim]"
