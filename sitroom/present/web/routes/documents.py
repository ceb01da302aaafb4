"""``/documents``: the list with facets and search; ``/documents/{id}``: one document, highlighted;
``/documents/{id}/raw``: its bytes as a download, never rendered."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from sitroom.present.web.highlight import LAYERS, marks_of, segments
from sitroom.present.web.render import page
from sitroom.present.web.routes.common import (
    Date,
    Limit,
    Offset,
    Text,
    blank,
    can_correct,
    history,
    workspace,
)

router = APIRouter()

DocumentId = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{4,16}$", description="document id or prefix")]
FACETS = ("source", "language", "year", "story", "format")


@page(router, "/documents", "documents.html", summary="Documents with facets, filters and full-text search")
def documents(
    request: Request,
    q: Annotated[str, Query(max_length=300)] = "",
    source: Text = None,
    language: Text = None,
    since: Date = None,
    until: Date = None,
    story: Text = None,
    duplicates: Literal["any", "only", "hide"] = "any",
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict:
    ws = workspace(request)
    hits = ws.search(q, limit=limit) if q.strip() else None
    listing = ws.documents_page(
        source=blank(source), language=blank(language), since=blank(since), until=blank(until),
        story=blank(story), duplicates={"any": None, "only": True, "hide": False}[duplicates],
        offset=offset, limit=limit,
    )  # fmt: skip
    return {
        "q": q,
        "hits": hits,
        "documents": listing,
        "facets": {name: ws.facets(name, limit=15) for name in FACETS},
        "filters": {
            "source": source,
            "language": language,
            "since": since,
            "until": until,
            "story": story,
            "duplicates": duplicates,
        },  # fmt: skip
    }


@page(router, "/documents/{doc_id}", "document.html", summary="One document with its annotations")
def document(
    request: Request,
    doc_id: DocumentId,
    at: Annotated[
        str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$", description="a span START-END to show")
    ] = None,
) -> dict:
    ws = workspace(request)
    doc = ws.document(doc_id)
    layers = ws.annotations(doc.id)
    focus = tuple(int(x) for x in at.split("-")) if at else None
    return {
        "document": doc,
        "annotations": layers,
        "links": ws.links(document=doc.id, limit=100),
        "revisions": history(request, document=doc.id),
        "_entity_ids": ws.document_entity_ids(doc.id),
        "_segments": segments(doc.text, marks_of(layers), focus=focus),
        "_layers": LAYERS,
        "_counts": {name: len(layers.get("mentions" if name == "entities" else name, [])) for name in LAYERS},
        "_correct": can_correct(request),
    }


@router.get("/documents/{doc_id}/raw", summary="The bytes the document was read from, as a download")
def raw(request: Request, doc_id: DocumentId) -> Response:
    ws = workspace(request)
    doc = ws.document(doc_id)
    data = ws.raw_bytes(doc.id)
    # The id is hex (checked by the store), so the file name needs no quoting.
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{doc.id}.raw"',
            "Cache-Control": "no-store",
        },  # fmt: skip
    )
