"""``/claims`` with each claim's provenance chain, ``/claims/provenance`` for one claim, ``/events``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from sitroom.errors import NotFoundError
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

Modality = Literal["", "asserted", "reported", "possible", "likely", "unlikely", "planned", "intended",
                   "hypothetical", "conditional"]  # fmt: skip
Polarity = Literal["", "affirm", "deny"]
ClaimRef = Annotated[
    str, Query(pattern=r"^claim:[0-9a-f]{16}:\d{1,9}-\d{1,9}$", description="a claim reference")
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Hop:
    """One step of a provenance chain: who or what, and its role (speaker, via, outlet, sentence)."""

    role: str
    name: str
    key: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkedReport:
    """A link of a claim to another report, with the other side quoted and the independence reasoning."""

    link_id: int
    kind: str
    other: str
    other_document: str
    other_text: str
    other_source: str | None
    independent: bool
    reason: str
    score: float
    status: str


@page(router, "/claims", "claims.html", summary="Attributed statements, filtered")
def claims(
    request: Request,
    speaker: Text = None,
    modality: Modality = "",
    polarity: Polarity = "",
    document: Annotated[str | None, Query(max_length=16)] = None,
    since: Date = None,
    until: Date = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict:
    found = workspace(request).claims(
        speaker=blank(speaker), modality=modality or None, polarity=polarity or None,
        document=blank(document), since=blank(since), until=blank(until), offset=offset, limit=limit,
    )  # fmt: skip
    return {
        "claims": found,
        "filters": {
            "speaker": speaker,
            "modality": modality,
            "polarity": polarity,
            "document": document,
            "since": since,
            "until": until,
        },  # fmt: skip
    }


@page(router, "/claims/provenance", "provenance.html", summary="One claim's provenance chain and links")
def provenance(request: Request, ref: ClaimRef) -> dict:
    ws = workspace(request)
    _, doc_id, span = ref.split(":")
    found = ws.claims(document=doc_id, limit=1000)
    record = next((r for r in found if r.ref == ref), None)
    if record is None:
        raise NotFoundError("E040", f"no claim {ref}; it may have changed when the document was re-processed")
    doc = ws.document(doc_id)
    names = {e.key: e.name for e in ws.annotations(doc.id)["entities"]}

    def name(key: str) -> str:
        if key.startswith("span:"):
            start, _, end = key[5:].partition("-")
            return doc.text[int(start) : int(end)] if start.isdigit() and end.isdigit() else key
        return names.get(key, key)

    claim = record.claim
    chain = [Hop(role="speaker", name=record.speaker_name or "(unattributed)", key=claim.speaker)]
    chain += [Hop(role="via", name=name(key), key=key) for key in claim.via]
    chain.append(Hop(role="outlet", name=doc.source or "(unknown outlet)"))
    chain.append(Hop(role="sentence", name=f"{doc.id}:{claim.sentence_start}-{claim.sentence_end}"))
    links = []
    for link in ws.links(ref=ref, limit=100):
        other = link.b if link.a == ref else link.a
        other_doc, text = ws.quote(other)
        links.append(LinkedReport(
            link_id=link.id, kind=link.kind, other=other, other_document=other_doc.id, other_text=text,
            other_source=other_doc.source, independent=link.independent, reason=link.reason,
            score=link.score, status=link.status,
        ))  # fmt: skip
    return {
        "claim": record,
        "chain": chain,
        "links": links,
        "revisions": history(request, ref),
        "_correct": can_correct(request),
    }


@page(router, "/events", "events.html", summary="Events, filtered by type, actor, place and date")
def events(
    request: Request,
    type: Text = None,
    actor: Text = None,
    place: Text = None,
    modality: Modality = "",
    polarity: Polarity = "",
    document: Annotated[str | None, Query(max_length=16)] = None,
    since: Date = None,
    until: Date = None,
    located: Literal["any", "yes", "no"] = "any",
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict:
    found = workspace(request).events(
        type=blank(type), actor=blank(actor), place=blank(place), modality=modality or None,
        polarity=polarity or None, document=blank(document), since=blank(since), until=blank(until),
        located={"any": None, "yes": True, "no": False}[located], offset=offset, limit=limit,
    )  # fmt: skip
    return {
        "events": found,
        "filters": {
            "type": type,
            "actor": actor,
            "place": place,
            "modality": modality,
            "polarity": polarity,
            "document": document,
            "since": since,
            "until": until,
            "located": located,
        },  # fmt: skip
        "_correct": can_correct(request),
    }
