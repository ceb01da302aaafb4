"""``/stories`` and ``/stories/{id}``; ``/contradictions`` with the analyst's status; ``/sources``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from sitroom.present.web.render import page
from sitroom.present.web.routes.common import Limit, Offset, Text, blank, workspace

router = APIRouter()

StoryId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


@dataclass(frozen=True, kw_only=True, slots=True)
class QuotedLink:
    """A stored link with both sides quoted."""

    link: object
    a_text: str
    b_text: str
    a_source: str | None
    b_source: str | None


@page(router, "/stories", "stories.html", summary="Stories, largest first")
def stories(
    request: Request, match: Text = None, topic: Text = None, min_size: Annotated[int, Query(ge=1, le=100000)] = 1,
    offset: Offset = 0, limit: Limit = 50,
) -> dict:  # fmt: skip
    found = workspace(request).stories(
        match=blank(match), topic=blank(topic), min_size=max(1, min_size), offset=offset, limit=limit
    )
    return {"stories": found, "filters": {"match": match, "topic": topic, "min_size": min_size}}


@page(router, "/stories/{story_id}", "story.html", summary="One story: documents, timeline, changes")
def story(request: Request, story_id: StoryId, offset: Offset = 0, limit: Limit = 50) -> dict:
    ws = workspace(request)
    found = ws.story(story_id)
    return {
        "story": found,
        "documents": ws.documents_page(story=found.id, offset=offset, limit=limit),
        "timeline": ws.timeline(kind="events", story=found.id, limit=200),
    }


@page(router, "/contradictions", "contradictions.html", summary="Links between reports, with their status")
def contradictions(
    request: Request,
    kind: Literal["contradicts", "corroborates", "same-event"] = "contradicts",
    status: Literal["", "open", "confirmed", "dismissed"] = "",
    offset: Offset = 0,
    limit: Limit = 25,
) -> dict:
    ws = workspace(request)
    found = ws.links(kind=kind, status=status or None, offset=offset, limit=limit)
    quoted = []
    for link in found:
        a_doc, a_text = ws.quote(link.a)
        b_doc, b_text = ws.quote(link.b)
        quoted.append(QuotedLink(link=link, a_text=a_text[:600], b_text=b_text[:600],
                                 a_source=a_doc.source, b_source=b_doc.source))  # fmt: skip
    return {
        "links": found,
        "quoted": quoted,
        "filters": {"kind": kind, "status": status},
        "_correct": not request.app.state.settings.read_only,
    }


@page(router, "/sources", "sources.html", summary="Outlets with their grades and record")
def sources(request: Request, match: Text = None) -> dict:
    from sitroom.analyse.sources import GRADE_LABELS

    ws = workspace(request)
    found = ws.sources(match=blank(match), min_documents=0)
    return {
        "sources": found,
        "homes": ws.outlet_homes([s.name for s in found]),
        "grades": GRADE_LABELS,
        "filters": {"match": match},
        "_correct": not request.app.state.settings.read_only,
    }
