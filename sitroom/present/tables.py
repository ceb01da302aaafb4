"""Rich tables of a document's annotations, for the CLI. Article text is escaped: it is hostile input."""

from __future__ import annotations

from rich.table import Table

from sitroom.model import Document
from sitroom.present.text import escape


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
    names = {doc.id: {e.key: e.name for e in layers.get("entities", [])}}
    if layers.get("claims"):
        tables.append(claims_table([(doc, c) for c in layers["claims"]], names))
    if layers.get("events"):
        tables.append(events_table([(doc, e) for e in layers["events"]], names))
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


def findings_table(docs: list[Document], layers_by_doc: dict[str, dict[str, list]], *, top: int = 6) -> Table:
    """Per document, the most mentioned entities, the literal places, and the time span it reports."""
    table = Table(title="what each document mentions", title_justify="left", show_lines=True)
    for column in ("id", "entities (mentions)", "places", "dates reported", "figures"):
        table.add_column(column)
    for doc in docs:
        layers = layers_by_doc.get(doc.id, {})
        counts: dict[str, int] = {}
        names = {e.key: e.name for e in layers.get("entities", [])}
        for mention in layers.get("mentions", []):
            counts[mention.entity_key] = counts.get(mention.entity_key, 0) + 1
        entities = sorted(counts.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))[:top]
        places = []
        for place in layers.get("places", []):
            if place.feature not in ("metonym", "demonym") and place.name not in places:
                places.append(place.name)
        days = sorted(t.earliest for t in layers.get("times", []) if t.type == "DATE" and t.earliest)
        figures = [
            escape(doc.text[q.start : q.end] + (f" {q.counted}" if q.counted else ""))
            for q in layers.get("quantities", [])
            if q.counted or q.unit != "count"
        ]
        table.add_row(
            doc.id[:8],
            escape(", ".join(f"{names.get(k, k)} ({n})" for k, n in entities)) or "—",
            escape(", ".join(places[:top])) + (" …" if len(places) > top else "") or "—",
            f"{days[0]} – {days[-1]}" if days else "—",
            "; ".join(figures[:4]) + (" …" if len(figures) > 4 else "") or "—",
        )
    return table


def _entity_or_span(doc: Document, key: str | None, names: dict[str, str]) -> str:
    if not key:
        return "—"
    if key.startswith("span:"):
        start, _, end = key[5:].partition("-")
        return _span(doc, int(start), int(end))
    return escape(names.get(key, key))


def claims_table(rows: list[tuple[Document, object]], names: dict[str, dict[str, str]]) -> Table:
    """Who said what, via whom, how sure: one row per claim. ``names`` maps document → entity key → name."""
    table = Table(title="claims", title_justify="left", show_lines=True)
    for column in ("doc", "speaker", "cue", "via", "said", "modality", "content"):
        table.add_column(column, overflow="fold")
    for doc, claim in rows:
        doc_names = names.get(doc.id, {})
        speaker = (
            _entity_or_span(doc, claim.speaker, doc_names)
            if claim.speaker
            else (_span(doc, claim.source_start, claim.source_end) if claim.source_start is not None else "—")
        )
        cue = _span(doc, claim.cue_start, claim.cue_end) if claim.cue_start is not None else "—"
        via = " → ".join(_entity_or_span(doc, v, doc_names) for v in claim.via) or "—"
        mood = claim.modality + ("" if claim.polarity == "affirm" else f", {claim.polarity}")
        table.add_row(
            doc.id[:8],
            speaker,
            cue,
            via,
            claim.said or "—",
            mood,
            _span(doc, claim.content_start, claim.content_end) + f" [dim]({claim.quote})[/dim]",
        )
    return table


def events_table(
    rows: list[tuple[Document, object]], names: dict[str, dict[str, str]], *, brief: bool = False
) -> Table:
    """Who did what to whom, where, when, how sure: one row per event (``brief`` drops the "why")."""
    table = Table(title="events", title_justify="left", show_lines=True)
    columns = ["doc", "type", "trigger", "actors", "targets", "place", "when", "figures", "modality"]
    for column in columns if brief else [*columns, "why"]:
        table.add_column(column, overflow="fold")
    for doc, event in rows:
        doc_names = names.get(doc.id, {})
        when = event.time_value or "—"
        if event.earliest or event.latest:
            when += f" [{event.earliest or '…'} – {event.latest or '…'}]"
        mood = event.modality + ("" if event.polarity == "affirm" else f", {event.polarity}")
        cells = [
            doc.id[:8],
            event.type,
            _span(doc, event.trigger_start, event.trigger_end),
            ", ".join(_entity_or_span(doc, a, doc_names) for a in event.actors) or "—",
            ", ".join(_entity_or_span(doc, t, doc_names) for t in event.targets) or "—",
            escape(event.place_name or "—"),
            escape(when),
            escape(", ".join(event.quantities)) or "—",
            mood,
        ]
        table.add_row(*cells if brief else [*cells, escape(event.why)])
    return table
