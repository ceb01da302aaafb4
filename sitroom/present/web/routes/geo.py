"""``/map``: located events (clustered markers over the bundled basemap); ``/timeline``: events and
documents by the period they report. Both pages list their content as tables for readers without
JavaScript; the scripts draw the map and the zoomable timeline from the same JSON (``/api/...``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from sitroom.present.web.render import page
from sitroom.present.web.routes.common import Date, Offset, Text, blank, workspace

router = APIRouter()


@dataclass(frozen=True, kw_only=True, slots=True)
class Marker:
    """A located event as the map shows it; ``href`` opens the sentence in its document."""

    lat: float
    lon: float
    place: str | None
    type: str
    modality: str
    when: str | None
    document_id: str
    title: str | None
    sentence: str
    href: str


def markers_of(events) -> list[Marker]:
    """The located events of a page of events, as map markers."""
    return [
        Marker(
            lat=r.event.lat,
            lon=r.event.lon,
            place=r.event.place_name,
            type=r.event.type,
            modality=r.event.modality,
            when=r.event.earliest or r.document.published.value,
            document_id=r.document.id,
            title=r.document.title,
            sentence=r.sentence,
            href=f"/documents/{r.document.id}?at={r.event.sentence_start}-{r.event.sentence_end}#focus",
        )  # fmt: skip
        for r in events
        if r.event.lat is not None and r.event.lon is not None
    ]


@page(router, "/map", "map.html", summary="Located events, for the map")
def map_view(
    request: Request,
    type: Text = None,
    actor: Text = None,
    place: Text = None,
    since: Date = None,
    until: Date = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 300,
) -> dict:
    # 300 markers by default: each carries its sentence, so the documents' texts are read (about
    # 0.3 s for 300 on a 10k-document workspace); ?limit=1000 shows more.
    found = workspace(request).events(
        type=blank(type), actor=blank(actor), place=blank(place), since=blank(since), until=blank(until),
        located=True, offset=offset, limit=limit,
    )  # fmt: skip
    markers = markers_of(found)
    return {
        "total": found.total,
        "offset": found.offset,
        "markers": markers,
        "filters": {"type": type, "actor": actor, "place": place, "since": since, "until": until},
    }


@page(router, "/timeline", "timeline.html", summary="Events and documents by the period they report")
def timeline(
    request: Request,
    kind: Literal["events", "documents"] = "events",
    type: Text = None,
    source: Text = None,
    story: Text = None,
    since: Date = None,
    until: Date = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict:
    entries = workspace(request).timeline(
        kind=kind, event_type=blank(type) if kind == "events" else None, source=blank(source),
        story=blank(story), since=blank(since), until=blank(until), offset=offset, limit=limit,
    )  # fmt: skip
    return {
        "entries": entries,
        "filters": {
            "kind": kind,
            "type": type,
            "source": source,
            "story": story,
            "since": since,
            "until": until,
        },  # fmt: skip
    }
