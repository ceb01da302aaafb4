"""Rich tables of a document's annotations, for the CLI. Article text is escaped: it is hostile input."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sitroom.model import Document
from sitroom.present.records import claim_block, claim_records, event_block, event_records
from sitroom.present.text import escape
from sitroom.present.words import timex_in_words


def _span(doc: Document, start: int, end: int) -> str:
    return escape(doc.text[start:end].replace("\n", " "))


def _interval(low: float | None, high: float | None, low_in: bool, high_in: bool) -> str:
    def fmt(x: float | None) -> str:
        return "∞" if x is None else f"{x:g}"

    return f"{'[' if low_in else '('}{fmt(low)}, {fmt(high)}{']' if high_in and high is not None else ')'}"


def annotation_tables(doc: Document, layers: dict[str, list]) -> list[RenderableType]:
    """One table per non-empty layer: entities (with their mentions), places, times, quantities."""
    tables: list[RenderableType] = []
    mentions_by_key: dict[str, list[str]] = {}
    for mention in layers.get("mentions", []):
        mentions_by_key.setdefault(mention.entity_key, []).append(_span(doc, mention.start, mention.end))
    if layers.get("entities"):
        lines = [Text("entities", style="italic")]
        for entity in layers["entities"]:
            surfaces = sorted(set(mentions_by_key.get(entity.key, [])))
            facts = ", ".join(x for x in (entity.type, entity.country, entity.actor_id) if x)
            roles = f" — {escape('; '.join(entity.roles))}" if entity.roles else ""
            lines.append(Text.from_markup(f"[bold]{escape(entity.name)}[/bold] [dim]({escape(facts)})[/dim]{roles}"))
            count = len(mentions_by_key.get(entity.key, []))
            lines.append(_indented(f"{count} mention{'s' if count != 1 else ''}: " + ", ".join(surfaces)))
        tables.append(Group(*lines))
    if layers.get("places"):
        lines = [Text("places", style="italic")]
        for place in layers["places"]:
            where = ", ".join(escape(x) for x in (place.admin1, place.country_code) if x)
            lines.append(Text.from_markup(
                f"“{_span(doc, place.start, place.end)}” → [bold]{escape(place.name)}[/bold]"
                f"{' (' + where + ')' if where else ''}, {escape(place.feature)} "
                f"[dim]{place.lat:.3f}, {place.lon:.3f} · score {place.score:.2f} · at {place.start}[/dim]"
            ))  # fmt: skip
            lines.append(_indented(escape(place.reason), style="dim"))
        tables.append(Group(*lines))
    if layers.get("times"):
        lines = [Text("time expressions", style="italic")]
        for time in layers["times"]:
            interval = f"{time.earliest or '…'} – {time.latest or '…'}" if time.earliest or time.latest else ""
            anchor = f"anchored on {time.anchor} ({time.anchor_basis})" if time.anchor else ""
            detail = " · ".join(x for x in (interval, anchor, f"at {time.start}") if x)
            lines.append(Text.from_markup(
                f"“{_span(doc, time.start, time.end)}” {time.type.lower()} → "
                f"[bold]{escape(timex_in_words(time.value))}[/bold] [dim]{escape(detail)}[/dim]"
            ))  # fmt: skip
        tables.append(Group(*lines))
    names = {e.key: e.name for e in layers.get("entities", [])}
    if layers.get("claims"):
        blocks = [claim_block(r, width=None) for r in claim_records(doc, layers["claims"], names)]
        tables.append(Group(Text("claims", style="italic"), *blocks))
    if layers.get("events"):
        blocks = [event_block(r, why=True) for r in event_records(doc, layers["events"], names)]
        tables.append(Group(Text("events", style="italic"), *blocks))
    if layers.get("quantities"):
        lines = [Text("quantities", style="italic")]
        for q in layers["quantities"]:
            counted = f" of {escape(q.counted)}" if q.counted else ""
            lines.append(Text.from_markup(
                f"“{_span(doc, q.start, q.end)}” → {_interval(q.low, q.high, q.low_inclusive, q.high_inclusive)}"
                f"{' ≈' if q.approx else ''} {escape(q.unit)}{counted} [dim]{q.category or ''} · at {q.start}[/dim]"
            ))  # fmt: skip
        tables.append(Group(*lines))
    return tables


def _indented(text: str, *, style: str = "") -> Padding:
    return Padding(Text.from_markup(text, style=style), (0, 0, 0, 4), expand=False)


def short_published(doc: Document) -> str:
    """ "2015-11-23 stated", "2016 inferred", "2025-11-06 stated ⚠ implausible" (rich markup)."""
    pub = doc.published
    if pub.value is None:
        return "unknown"
    text = f"{escape(pub.value)} {pub.basis}"
    return text + (" [red]⚠ implausible[/red]" if pub.implausible else "")


def documents_table(docs: list[Document]) -> Table:
    """One row per document: title, outlet, author, publication date, dateline, lines removed."""
    table = Table(title="documents", title_justify="left", show_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title", max_width=44, overflow="ellipsis", no_wrap=True)
    for column in ("outlet", "author", "published", "dateline"):
        table.add_column(column, overflow="fold")
    table.add_column("removed", justify="right")
    for doc in docs:
        table.add_row(
            doc.id[:8],
            escape(doc.title or "—"),
            escape(doc.source or "—"),
            escape(doc.author or "—"),
            short_published(doc),
            escape(doc.dateline or "—"),
            str(len(doc.removed)),
        )
    return table


def findings_blocks(
    docs: list[Document], layers_by_doc: dict[str, dict[str, list]], *, top: int = 6
) -> list[RenderableType]:
    """Per document, the most mentioned entities, the literal places, the dates it reports and its figures."""
    blocks: list[RenderableType] = []
    for doc in docs:
        layers = layers_by_doc.get(doc.id, {})
        counts: dict[str, int] = {}
        names = {e.key: e.name for e in layers.get("entities", [])}
        for mention in layers.get("mentions", []):
            counts[mention.entity_key] = counts.get(mention.entity_key, 0) + 1
        entities = sorted(counts.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))[:top]
        places: list[str] = []
        for place in layers.get("places", []):
            if place.feature not in ("metonym", "demonym") and place.name not in places:
                places.append(place.name)
        days = sorted(t.earliest[:10] for t in layers.get("times", []) if t.type == "DATE" and t.earliest)
        figures = [
            " ".join((doc.text[q.start : q.end] + (f" {q.counted}" if q.counted else "")).split())
            for q in layers.get("quantities", [])
            if q.counted or q.unit != "count"
        ]
        facts = [
            ("who", ", ".join(f"{names.get(k, k)} ({n})" for k, n in entities)),
            ("where", ", ".join(places[:top]) + (" …" if len(places) > top else "")),
            ("dates", f"{days[0]} – {days[-1]}" if days else ""),
            ("figures", "; ".join(figures[:4]) + (" …" if len(figures) > 4 else "")),
        ]
        lines = [Text.from_markup(f"[bold]{doc.id[:8]}[/bold]  {escape(doc.title or '(untitled)')}")]
        lines += [
            Text.from_markup(f"    [dim]{label}:[/dim] {escape(value)}") for label, value in facts if value
        ]
        blocks.append(Group(*lines))
    return blocks
