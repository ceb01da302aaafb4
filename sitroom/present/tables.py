"""Rich tables of a document's annotations, for the CLI. Article text is escaped: it is hostile input."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from sitroom.model import Document


def _span(doc: Document, start: int, end: int) -> str:
    return escape(doc.text[start:end].replace("\n", " "))


def _interval(low: float | None, high: float | None, low_in: bool, high_in: bool) -> str:
    def fmt(x: float | None) -> str:
        return "∞" if x is None else f"{x:g}"

    return f"{'[' if low_in else '('}{fmt(low)}, {fmt(high)}{']' if high_in and high is not None else ')'}"


def annotation_tables(doc: Document, layers: dict[str, list]) -> list[Table]:
    """One table per non-empty layer: entities (with their mentions), places, times, quantities."""
    tables: list[Table] = []
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
