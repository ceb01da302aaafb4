"""Printing helpers shared by commands: stories, timelines, links, question boards (rich markup,
article text always escaped)."""

from __future__ import annotations

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sitroom.cli.common import out
from sitroom.errors import NotFoundError
from sitroom.present.records import timeline_block
from sitroom.present.text import escape
from sitroom.present.words import stance_in_words
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


def print_timeline(entries, kind: str) -> None:
    """One block per entry: the period, the document and how it was placed (or the event's sentence)."""
    if not entries:
        out.print(f"no dated {kind}")
        return
    for entry in entries:
        out.print(timeline_block(entry), soft_wrap=False)
    if hasattr(entries, "notice") and entries.more:
        out.print(f"[dim]{entries.notice(kind)} (--offset for more)[/dim]")


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


def print_board(
    board, history: list, quotes: dict[str, str], *, evidence: int = 20, why: bool = False
) -> None:
    q = board.question
    out.print(f"[bold]{escape(q.text)}[/bold]  [dim]({q.slug})[/dim]")
    for h in q.hypotheses:
        lead = " [green]◀ least inconsistent[/green]" if board.ranking and h.id == board.ranking[0] else ""
        out.print(
            f"  {h.id}: {escape(h.text)}  [dim]inconsistency {board.inconsistency[h.id]:.2f}, "
            f"support {board.support[h.id]:.2f}[/dim]{lead}"
        )
    out.print("[italic]indicators[/italic]")
    for indicator in q.indicators:
        hits = board.indicator_hits[indicator.id]
        latest = board.latest[indicator.id]
        over_time = ", ".join(f"{k}: {v}" for k, v in sorted(hits.items()))
        out.print(
            f"[bold]{escape(indicator.label)}[/bold]  {sum(hits.values())} hits"
            + (f" [dim]({over_time})[/dim]" if over_time else "")
        )
        if latest:
            when = latest[0].when or "undated"
            out.print(Padding(Text.from_markup(f"latest: {quotes.get(latest[0].ref, '')} [dim]{when}[/dim]"),
                              (0, 0, 0, 4), expand=False), soft_wrap=False)  # fmt: skip
    matrix = Table(title="ACH matrix (most diagnostic evidence first)", title_justify="left", show_lines=True)
    matrix.add_column("evidence", overflow="fold")
    for h in q.hypotheses:
        matrix.add_column(h.id, justify="center")
    matrix.add_column("weight", justify="right")
    for row in board.matrix[:evidence]:
        e = row.evidence
        label = f"{quotes[e.ref]}\n[dim]{e.indicator} · {stance_in_words(e.modality, e.polarity)}"
        label += f" · source {row.reliability}, credibility {row.credibility} · {e.when or 'undated'}[/dim]"
        if why:
            for h in q.hypotheses:
                reason = getattr(row, "why", {}).get(h.id)
                if reason:
                    label += f"\n[italic]{h.id} {row.ratings[h.id]}:[/italic] {escape(reason)}"
        matrix.add_row(label, *(row.ratings[h.id] for h in q.hypotheses), f"{row.weight:.2f}")
    out.print(matrix, soft_wrap=False)
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
