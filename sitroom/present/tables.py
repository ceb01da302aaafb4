"""Rich tables of a document's annotations, for the CLI. Article text is escaped: it is hostile input."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sitroom.model import Document
from sitroom.present.records import claim_block, claim_records, event_block, event_records
from sitroom.present.text import escape


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
        table = Table(title="entities", title_justify="left", show_edge=False)
        for column in ("entity", "type", "country", "dictionary id", "roles", "mentions"):
            table.add_column(column)
        for entity in layers["entities"]:
            surfaces = mentions_by_key.get(entity.key, [])
            table.add_row(
                escape(entity.name),
                entity.type,
                entity.country or "—",
                entity.actor_id or "—",
                escape("; ".join(entity.roles)) or "—",
                f"{len(surfaces)}: " + ", ".join(sorted(set(surfaces))),
            )
        tables.append(table)
    if layers.get("places"):
        table = Table(title="places", title_justify="left", show_edge=False)
        for column in (
            "at",
            "text",
            "resolved to",
            "country",
            "admin1",
            "feature",
            "lat, lon",
            "score",
            "why",
        ):
            table.add_column(column)
        for place in layers["places"]:
            table.add_row(
                str(place.start),
                _span(doc, place.start, place.end),
                escape(place.name),
                place.country_code or "—",
                escape(place.admin1 or "—"),
                place.feature,
                f"{place.lat:.3f}, {place.lon:.3f}",
                f"{place.score:.2f}",
                escape(place.reason),
            )
        tables.append(table)
    if layers.get("times"):
        table = Table(title="time expressions", title_justify="left", show_edge=False)
        for column in ("at", "text", "type", "value", "interval", "anchored on"):
            table.add_column(column)
        for time in layers["times"]:
            interval = (
                f"{time.earliest or '…'} – {time.latest or '…'}" if time.earliest or time.latest else "—"
            )
            anchor = f"{time.anchor} ({time.anchor_basis})" if time.anchor else "—"
            table.add_row(
                str(time.start), _span(doc, time.start, time.end), time.type, time.value, interval, anchor
            )
        tables.append(table)
    names = {e.key: e.name for e in layers.get("entities", [])}
    if layers.get("claims"):
        blocks = [claim_block(r, width=None) for r in claim_records(doc, layers["claims"], names)]
        tables.append(Group(Text("claims", style="italic"), *blocks))
    if layers.get("events"):
        blocks = [event_block(r, why=True) for r in event_records(doc, layers["events"], names)]
        tables.append(Group(Text("events", style="italic"), *blocks))
    if layers.get("quantities"):
        table = Table(title="quantities", title_justify="left", show_edge=False)
        for column in ("at", "text", "interval", "unit", "counted", "category"):
            table.add_column(column)
        for q in layers["quantities"]:
            table.add_row(
                str(q.start),
                _span(doc, q.start, q.end),
                _interval(q.low, q.high, q.low_inclusive, q.high_inclusive) + (" ≈" if q.approx else ""),
                q.unit,
                escape(q.counted or "—"),
                q.category or "—",
            )
        tables.append(table)
    return tables


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
