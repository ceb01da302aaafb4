"""The versioned JSON Schema of sitroom's JSON and JSONL exports, built from the model dataclasses.

``schema/sitroom-export-1.json`` in the repository is :func:`schema_text`, written by
``python -c "from sitroom.present.exporters.schema import schema_text; print(schema_text(), end='')"
> schema/sitroom-export-1.json``; a test keeps the two equal. Bump :data:`SCHEMA_VERSION` (and write a new file beside the old one) when a change would make
an old export invalid or an old reader wrong; adding an optional field keeps the version.

A JSON export is one object: ``header`` then the arrays ``documents``, ``links``, ``stories``,
``questions``, ``sources`` and ``revisions``. A JSONL export is one record a line:
``{"record": "document", "data": {...}}``, the header first, in the same order.
"""

from __future__ import annotations

import functools
import json

from sitroom import layers as registry
from sitroom.analyse.questions import Evidence
from sitroom.model import Document
from sitroom.present.exporters.records import LAYERS, schema_of
from sitroom.views import Assessment, Revision, SourceProfile, StoredLink, StoredQuestion, Story

SCHEMA_VERSION = 1
SCHEMA_ID = f"urn:sitroom:schema:export:{SCHEMA_VERSION}"
FORMAT_NAME = "sitroom-export"
# The kinds of records, in the order an export writes them (and an import reads them).
RECORD_KINDS = ("header", "document", "link", "story", "question", "source", "revision")
SECTIONS = {"document": "documents", "link": "links", "story": "stories", "question": "questions",
            "source": "sources", "revision": "revisions"}  # fmt: skip

_DATE_TIME = {"type": "string", "minLength": 1}


@functools.cache
def export_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a JSON export; ``$defs/line`` is one JSONL line."""
    defs: dict[str, dict] = {}
    for cls in LAYERS.values():
        defs[cls.__name__] = schema_of(cls, defs=defs)
    annotations = {
        "type": "object",
        "description": "The document's stand-off annotations by layer; offsets index the document's text.",
        "properties": {
            layer.name: {
                "type": "array",
                "description": layer.description,
                "items": {"$ref": f"#/$defs/{layer.cls.__name__}"},
            }
            for layer in registry.LAYERS
        },
        "additionalProperties": False,
    }
    processing = {
        "type": "array",
        "description": "Which component versions ran on the document, with their outcomes.",
        "items": {
            "type": "object",
            "properties": {
                "component": {"type": "string"},
                "status": {"type": "string", "enum": ["done", "skipped", "failed"]},
                "reason": {"type": ["string", "null"]},
            },
            "required": ["component", "status"],
            "additionalProperties": False,
        },
    }
    document = schema_of(Document, defs=defs, extra={"processing": processing, "annotations": annotations})
    document["required"] = sorted({*document.get("required", ()), "annotations"})
    defs["document"] = document
    defs["link"] = schema_of(StoredLink, defs=defs)
    defs["story"] = schema_of(Story, defs=defs)
    defs["Evidence"] = schema_of(Evidence, defs=defs)
    defs["Assessment"] = schema_of(Assessment, defs=defs)
    defs["question"] = schema_of(
        StoredQuestion,
        defs=defs,
        extra={
            "evidence": {"type": "array", "items": {"$ref": "#/$defs/Evidence"}},
            "assessments": {"type": "array", "items": {"$ref": "#/$defs/Assessment"}},
        },
    )
    defs["source"] = schema_of(SourceProfile, defs=defs)
    defs["revision"] = schema_of(Revision, defs=defs)
    defs["header"] = {
        "type": "object",
        "description": "What the export is: format, schema version, when and by which sitroom, "
        "the component versions of the pipeline, and the filters that selected its content.",
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"const": SCHEMA_VERSION},
            "exported_at": _DATE_TIME,
            "sitroom": {"type": "string"},
            "components": {"type": "array", "items": {"type": "string"}},
            "filters": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
        },
        "required": ["format", "version", "exported_at", "sitroom", "components", "filters"],
        "additionalProperties": False,
    }
    defs["line"] = {
        "description": "One line of a JSONL export.",
        "type": "object",
        "required": ["record", "data"],
        "properties": {"record": {"enum": list(RECORD_KINDS)}, "data": {"type": "object"}},
        "additionalProperties": False,
        "oneOf": [
            {"properties": {"record": {"const": kind}, "data": {"$ref": f"#/$defs/{kind}"}}}
            for kind in RECORD_KINDS
        ],
    }
    sections = {
        section: {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}} for kind, section in SECTIONS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"sitroom export, version {SCHEMA_VERSION}",
        "description": "Documents with their cleaned text and stand-off annotations, links, stories, "
        "questions with evidence and assessments, sources with grades and analyst revisions. "
        "Generated from sitroom's dataclasses; see docs/exports.md.",
        "type": "object",
        "properties": {"header": {"$ref": "#/$defs/header"}, **sections},
        "required": ["header", "documents"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def line_schema() -> dict:
    """The schema of one JSONL line (the export schema's ``$defs/line``, standing alone)."""
    full = export_schema()
    return {"$schema": full["$schema"], "$ref": "#/$defs/line", "$defs": full["$defs"]}


def schema_text() -> str:
    """The schema as the file in schema/ holds it."""
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"
