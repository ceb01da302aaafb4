"""The records of a full export, one at a time, in export order: header, documents (with text,
metadata, processing records and annotations), links, stories, questions (evidence, assessments),
sources (grades) and analyst revisions. JSON and JSONL write this stream; nothing holds it whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sitroom import __version__
from sitroom.config import DEFAULT_PIPELINE
from sitroom.pipeline import component_versions
from sitroom.present.exporters.records import LAYERS, to_record
from sitroom.present.exporters.schema import FORMAT_NAME, SCHEMA_VERSION
from sitroom.present.exporters.selection import Selection, keep_link, keep_revision, pages, trim_story

Record = tuple[str, dict]
# Documents whose processing records are read in one query.
_BATCH = 100


def header(selection: Selection, *, now: str | None = None) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": SCHEMA_VERSION,
        "exported_at": now or datetime.now(UTC).isoformat(timespec="seconds"),
        "sitroom": __version__,
        "components": component_versions(DEFAULT_PIPELINE),
        "filters": selection.filters.as_dict(),
    }


def document_records(ws, selection: Selection) -> Iterator[Record]:
    for start in range(0, len(selection.ids), _BATCH):
        batch = selection.ids[start : start + _BATCH]
        processing = ws.processing(batch)
        for doc_id in batch:
            doc = ws.document(doc_id)
            layers = ws.annotations(doc_id)
            record = to_record(doc)
            record["processing"] = [
                {"component": p.component, "status": p.status, "reason": p.reason}
                for p in processing.get(doc_id, ())
            ]
            record["annotations"] = {layer: to_record(layers.get(layer, [])) for layer in LAYERS}
            yield "document", record


def iter_records(ws, selection: Selection, *, now: str | None = None) -> Iterator[Record]:
    """Every record of the export of ``selection``, header first."""
    yield "header", header(selection, now=now)
    yield from document_records(ws, selection)
    link_ids: set[int] = set()
    for link in pages(ws.links):
        if keep_link(selection, link):
            link_ids.add(link.id)
            yield "link", to_record(link)
    for story in pages(ws.stories):
        kept = trim_story(selection, story)
        if kept is not None:
            yield "story", to_record(kept)
    for stored in ws.question_records(selection.question):
        record = to_record(stored)
        record["evidence"] = [
            to_record(e) for e in ws.evidence(stored.slug) if selection.holds(e.document_id)
        ]
        record["assessments"] = [to_record(a) for a in ws.assessment_history(stored.slug)]
        yield "question", record
    for profile in ws.sources(min_documents=0):
        yield "source", to_record(profile)
    revisions = getattr(ws, "revisions", None)  # the analyst revisions layer, where this sitroom has it
    if revisions is not None:
        for revision in pages(revisions):
            if keep_revision(selection, revision, link_ids):
                yield "revision", to_record(revision)
