"""Terminal layouts that stay readable at 80 columns: one block per item instead of a wide table.

A claim, an event, a document or a timeline entry is printed as a headline (who, what, where, when,
how sure) and an indented body that wraps inside its indent, so nothing is squeezed into one-letter
columns. Long texts are cut (with "…") unless the caller asks for them whole. Everything from a
document is escaped (:mod:`sitroom.present.text`); codes are shown in words (:mod:`sitroom.present.words`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from sitroom.model import Claim, Document, Event
from sitroom.present.text import escape, neutralise
from sitroom.present.words import basis_in_words, stance_in_words, timex_in_words
from sitroom.views import ClaimRecord, DocumentBrief, EventRecord, TimelineEntry

INDENT = 4


def cut(text: str | None, width: int | None) -> str:
    """Whitespace collapsed, cut to ``width`` characters with an ellipsis (``None``: whole)."""
    text = " ".join((text or "").split())
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 1, 1)].rstrip() + "…"


def _body(text: str, *, style: str = "") -> Padding:
    return Padding(Text(neutralise(text), style=style), (0, 0, 0, INDENT), expand=False)


def _markup(line: str) -> Text:
    return Text.from_markup(line)


# --- claims and events -------------------------------------------------------------------------------


def claim_block(record: ClaimRecord, *, width: int | None = 280) -> RenderableType:
    """``speaker (via A → B) cue, when · how sure   doc`` then the content, indented."""
    claim = record.claim
    speaker = record.speaker_name or "(no speaker)"
    via = f" [dim]via[/dim] {escape(' → '.join(record.via_names or claim.via))}" if claim.via else ""
    cue = f" [dim]{escape(cut(record.cue_text, 30))}[/dim]" if record.cue_text else ""
    said = f", {escape(timex_in_words(claim.said))}" if claim.said else ""
    mark = " [yellow](corrected)[/yellow]" if record.corrected else ""
    head = (
        f"[bold]{escape(cut(speaker, 40))}[/bold]{via}{cue}{said} · "
        f"{stance_in_words(claim.modality, claim.polarity)}, {claim.quote} quote{mark}  "
        f"[dim]{record.document.id[:8]}[/dim]"
    )
    return Group(_markup(head), _body(cut(record.content, width)))


def event_block(record: EventRecord, *, width: int | None = 200, why: bool = False) -> RenderableType:
    """``type "trigger" · how sure   doc`` then who, where, when, figures, and the sentence."""
    event = record.event
    mark = " [yellow](corrected)[/yellow]" if record.corrected else ""
    head = (
        f"[bold]{escape(event.type.replace('_', ' '))}[/bold] “{escape(cut(record.trigger, 30))}” · "
        f"{stance_in_words(event.modality, event.polarity)}{mark}  [dim]{record.document.id[:8]}[/dim]"
    )
    facts = []
    if record.actor_names:
        facts.append("by " + ", ".join(cut(n, 30) for n in record.actor_names))
    if record.target_names:
        facts.append("against " + ", ".join(cut(n, 30) for n in record.target_names))
    if event.place_name:
        facts.append("in " + event.place_name)
    when = _event_when(event)
    if when:
        facts.append(when)
    if event.quantities:
        facts.append("figures " + "; ".join(event.quantities))
    lines = [_markup(head)]
    if facts:
        lines.append(_body(" · ".join(facts)))
    lines.append(_body(cut(record.sentence, width), style="dim"))
    if why and event.why:
        lines.append(_body("why: " + event.why, style="dim italic"))
    return Group(*lines)


def _event_when(event: Event) -> str:
    if event.earliest and event.latest and event.earliest != event.latest:
        return f"{event.earliest[:10]} – {event.latest[:10]}"
    if event.earliest:
        return event.earliest[:10]
    return timex_in_words(event.time_value) if event.time_value else ""


def claim_records(doc: Document, claims: Iterable[Claim], names: Mapping[str, str]) -> list[ClaimRecord]:
    """Records of one document's claims (for ``show``): names are its entities' key → name."""
    brief = brief_of(doc)
    out = []
    for claim in claims:
        source = doc.text[claim.source_start : claim.source_end] if claim.source_start is not None else None
        out.append(
            ClaimRecord(
                ref=f"claim:{doc.id}:{claim.content_start}-{claim.content_end}",
                document=brief,
                claim=claim,
                speaker_name=names.get(claim.speaker or "") or source,
                via_names=tuple(_local_name(doc, key, names) for key in claim.via),
                source_text=source,
                cue_text=doc.text[claim.cue_start : claim.cue_end] if claim.cue_start is not None else None,
                content=doc.text[claim.content_start : claim.content_end],
                sentence=doc.text[claim.sentence_start : claim.sentence_end],
            )
        )
    return out


def _local_name(doc: Document, key: str, names: Mapping[str, str]) -> str:
    if key.startswith("span:"):
        start, _, end = key[5:].partition("-")
        return doc.text[int(start) : int(end)] if start.isdigit() and end.isdigit() else key
    return names.get(key, key)


def event_records(doc: Document, events: Iterable[Event], names: Mapping[str, str]) -> list[EventRecord]:
    brief = brief_of(doc)

    def name(key: str) -> str:
        return _local_name(doc, key, names)

    return [
        EventRecord(
            ref=f"event:{doc.id}:{e.trigger_start}-{e.trigger_end}:{e.type}",
            document=brief,
            event=e,
            actor_names=tuple(name(k) for k in e.actors),
            target_names=tuple(name(k) for k in e.targets),
            trigger=doc.text[e.trigger_start : e.trigger_end],
            sentence=doc.text[e.sentence_start : e.sentence_end],
        )
        for e in events
    ]


def brief_of(doc: Document) -> DocumentBrief:
    return DocumentBrief(
        id=doc.id, title=doc.title, source=doc.source, url=doc.url, published=doc.published,
        language=doc.language, author=doc.author, duplicate_of=doc.duplicate_of, ingested_at=doc.ingested_at,
        format=doc.format,
    )  # fmt: skip


# --- documents and the timeline -----------------------------------------------------------------------


def published_words(doc: Document | DocumentBrief) -> str:
    """'2015-11-23, stated in the document' / '2016, inferred from the content' (+ a red flag)."""
    pub = doc.published
    if pub.value is None:
        if pub.earliest:
            return f"between {pub.earliest[:10]} and {pub.latest[:10] if pub.latest else '…'}, {basis_in_words(pub.basis)}"
        return "date unknown"
    text = f"{escape(pub.value[:10])}, {basis_in_words(pub.basis)}"
    return text + (" [red]⚠ implausible[/red]" if pub.implausible else "")


def document_block(doc: Document | DocumentBrief, *, extra: str = "") -> RenderableType:
    """``id  title`` then outlet · author · date (· extra), indented."""
    head = f"[bold]{doc.id[:8]}[/bold]  {escape(cut(doc.title or '(untitled)', 200))}"
    facts = [escape(doc.source or "outlet unknown")]
    if doc.author:
        facts.append(escape(cut(doc.author, 40)))
    facts.append(published_words(doc))
    if getattr(doc, "dateline", None):
        facts.append("dateline " + escape(cut(doc.dateline, 30)))
    if extra:
        facts.append(extra)
    return Group(_markup(head), Padding(_markup(" · ".join(facts)), (0, 0, 0, 10), expand=False))


def timeline_block(entry: TimelineEntry) -> RenderableType:
    """``2015-11-16 – 2015-11-22  doc  title (outlet)`` then how it was placed, or the sentence."""
    span = entry.when or "undated"
    if entry.until and entry.until != entry.when:
        span += f" – {entry.until}"
    source = f" [dim]({escape(entry.source)})[/dim]" if entry.source else ""
    label = entry.title if entry.kind == "document" else entry.label
    head = f"[bold]{escape(span)}[/bold]  {entry.document_id[:8]}  {escape(cut(label or entry.document_id, 120))}{source}"
    return Group(_markup(head), _body(cut(entry.text, 240), style="dim"))
