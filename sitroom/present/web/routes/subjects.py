"""``/entities/{id}`` and ``/places/{id}``: the documents, claims and events that mention one actor or
place, with a small timeline (a table of its dated events) and a map of where they happened."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from sitroom.present.web.render import page
from sitroom.present.web.routes.common import Limit, Offset, Text, blank, workspace
from sitroom.present.web.routes.geo import markers_of

router = APIRouter()

EntityId = Annotated[int, Path(ge=1, le=2**31, description="workspace entity id")]
PlaceId = Annotated[str, Path(min_length=1, max_length=200, description="GeoNames id, else the place's name")]


def _dated(events) -> list:
    return sorted((r for r in events if r.event.earliest), key=lambda r: (r.event.earliest, r.ref))


@page(router, "/entities/{entity_id}", "subject.html", summary="Everything that mentions one entity")
def entity(request: Request, entity_id: EntityId, offset: Offset = 0, limit: Limit = 25) -> dict:
    ws = workspace(request)
    found = ws.entity(entity_id)
    events = ws.events(entity=found.id, limit=200)
    return {
        "entity": found,
        "documents": ws.subject_documents(entity=found.id, offset=offset, limit=limit),
        "claims": ws.claims(entity=found.id, limit=20),
        "events": events,
        "markers": markers_of(events),
        "_dated": _dated(events),
        "_title": found.name,
        "_api": f"/api/entities/{found.id}",
    }


@page(router, "/places", "places.html", summary="Resolved places, most mentioned first")
def places(request: Request, match: Text = None, offset: Offset = 0, limit: Limit = 100) -> dict:
    return {"places": workspace(request).places(match=blank(match), offset=offset, limit=limit),
            "filters": {"match": match}}  # fmt: skip


@page(router, "/places/{place_id}", "subject.html", summary="Everything that mentions one place")
def place(request: Request, place_id: PlaceId, offset: Offset = 0, limit: Limit = 25) -> dict:
    ws = workspace(request)
    found = ws.place(place_id)
    events = ws.events(place=found.name, limit=200)
    return {
        "place": found,
        "documents": ws.subject_documents(place=found.id, offset=offset, limit=limit),
        "events": events,
        "markers": markers_of(events),
        "_dated": _dated(events),
        "_title": found.name,
        "_api": f"/api/places/{found.id}",
    }
