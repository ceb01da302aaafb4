"""CSV per table as a Frictionless Data Package (datapackage.json with table schemas, primary and
foreign keys): documents, one table per annotation layer, links, stories with members and history,
questions with evidence and assessments, sources and revisions.

Columns come from the dataclasses (``records.to_record``); tuples are joined with "; " as in the
database, mappings are JSON text. Cells of text columns that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) get a leading apostrophe (OWASP's advice on CSV
injection); numbers, ids and dates never start with one, so keys and figures are untouched.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import typing
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.analyse.questions import Evidence
from sitroom.present.exporters.records import LAYERS, to_record
from sitroom.present.exporters.selection import Selection, keep_link, keep_revision, pages, trim_story
from sitroom.present.exporters.stream import header
from sitroom.views import Assessment, Revision, SourceProfile, StoredLink, StoredQuestion, StoryChange

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """One CSV file of the package: columns with their Table Schema types, keys."""

    name: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    description: str = ""
    formats: dict[str, str] = field(default_factory=dict)

    def schema(self) -> dict:
        fields = [{"name": name, "type": kind} for name, kind in self.columns]
        out: dict = {"fields": fields, "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            out["foreignKeys"] = [
                {"fields": column, "reference": {"resource": table, "fields": target}}
                for column, table, target in self.foreign_keys
            ]
        return out


def _columns(cls: type, *, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if args and typing.get_origin(hint) not in (tuple, list, dict) and len(args) == 1:
            hint = args[0]
        out.append((f.name, _TYPES.get(hint, "string")))
    return out


_DOC = ("documents", "id")


def table_specs() -> list[TableSpec]:
    """Every table of the package, in the order they are written."""
    documents = TableSpec(
        name="documents",
        columns=(
            ("id", "string"),
            ("title", "string"),
            ("url", "string"),
            ("author", "string"),
            ("author_role", "string"),
            ("source", "string"),
            ("dateline", "string"),
            ("language", "string"),
            ("published", "string"),
            ("published_precision", "string"),
            ("published_basis", "string"),
            ("published_earliest", "string"),
            ("published_latest", "string"),
            ("published_implausible", "string"),
            ("duplicate_of", "string"),
            ("duplicate_reason", "string"),
            ("format", "string"),
            ("origin", "string"),
            ("ingested_at", "string"),
            ("components", "string"),
            ("text", "string"),
        ),  # fmt: skip
        primary_key=("id",),
        description="Documents: metadata and cleaned text (offsets in the layer tables index it).",
    )
    specs = [documents]
    for layer, cls in LAYERS.items():
        key = ("document_id", "key") if "key" in cls.__dataclass_fields__ else ("document_id", "n")
        lead = [("document_id", "string")] + ([] if "key" in cls.__dataclass_fields__ else [("n", "integer")])
        specs.append(TableSpec(
            name=layer, columns=tuple(lead + _columns(cls)), primary_key=key,
            foreign_keys=(("document_id", *_DOC),),
            description=f"{cls.__name__} annotations; n numbers them within their document.",
        ))  # fmt: skip
    specs += [
        TableSpec(name="links", columns=tuple(_columns(StoredLink)), primary_key=("id",),
                  foreign_keys=(("a_document", *_DOC), ("b_document", *_DOC)),
                  description="Cross-document links with the analyst's status."),
        TableSpec(name="stories", columns=(("id", "string"), ("title", "string"), ("topic", "string"),
                  ("first_seen", "string"), ("last_seen", "string"), ("size", "integer")), primary_key=("id",)),
        TableSpec(name="story_documents", columns=(("story_id", "string"), ("document_id", "string")),
                  primary_key=("story_id", "document_id"),
                  foreign_keys=(("story_id", "stories", "id"), ("document_id", *_DOC))),
        TableSpec(name="story_changes", columns=(("story_id", "string"), ("n", "integer"), *_columns(StoryChange, skip=("story_id",))),
                  primary_key=("story_id", "n"), foreign_keys=(("story_id", "stories", "id"),)),
        TableSpec(name="questions", columns=tuple(_columns(StoredQuestion)), primary_key=("slug",)),
        TableSpec(name="evidence", columns=(("n", "integer"), *_columns(Evidence)), primary_key=("question", "n"),
                  foreign_keys=(("question", "questions", "slug"), ("document_id", *_DOC))),
        TableSpec(name="assessments", columns=(("question", "string"), ("n", "integer"), *_columns(Assessment)),
                  primary_key=("question", "n"), foreign_keys=(("question", "questions", "slug"),)),
        TableSpec(name="sources", columns=tuple(_columns(SourceProfile)), primary_key=("name",)),
        TableSpec(name="revisions", columns=tuple(_columns(Revision)), primary_key=("id",)),
    ]  # fmt: skip
    return specs


def safe_cell(value) -> str:
    """A CSV cell: empty for None, true/false, numbers as written, tuples "; "-joined, mappings as
    JSON, and text that a spreadsheet would evaluate prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_package(ws, selection: Selection, folder: Path) -> int:
    """Write every table and datapackage.json into ``folder``; returns the number of rows."""
    specs = {spec.name: spec for spec in table_specs()}
    rows = 0
    with ExitStack() as stack:
        writers = {}
        for name, spec in specs.items():
            handle = stack.enter_context(open(folder / f"{name}.csv", "w", encoding="utf-8", newline=""))
            writer = csv.writer(handle)
            writer.writerow([column for column, _ in spec.columns])
            writers[name] = writer

        def put(name: str, row: dict) -> None:
            nonlocal rows
            writers[name].writerow([safe_cell(row.get(column)) for column, _ in specs[name].columns])
            rows += 1

        for start in range(0, len(selection.ids), 100):
            batch = selection.ids[start : start + 100]
            processing = ws.processing(batch)
            for doc_id in batch:
                doc = ws.document(doc_id)
                record = to_record(doc)
                published = record.pop("published")
                record.update({f"published_{k}": v for k, v in published.items() if k != "value"})
                record["published"] = published["value"]
                record["components"] = [f"{p.component}={p.status}" for p in processing.get(doc_id, ())]
                put("documents", record)
                for layer, items in ws.annotations(doc_id).items():
                    for n, item in enumerate(items):
                        put(layer, {"document_id": doc_id, "n": n, **to_record(item)})
        link_ids: set[int] = set()
        for link in pages(ws.links):
            if keep_link(selection, link):
                link_ids.add(link.id)
                put("links", to_record(link))
        for story in pages(ws.stories):
            story = trim_story(selection, story)
            if story is None:
                continue
            put("stories", to_record(story))
            for doc_id in story.documents:
                put("story_documents", {"story_id": story.id, "document_id": doc_id})
            for n, change in enumerate(story.changes):
                put("story_changes", {**to_record(change), "story_id": story.id, "n": n})
        for question in ws.question_records(selection.question):
            put("questions", to_record(question))
            evidence = [e for e in ws.evidence(question.slug) if selection.holds(e.document_id)]
            for n, item in enumerate(evidence):
                put("evidence", {"n": n, **to_record(item)})
            for n, assessment in enumerate(ws.assessment_history(question.slug)):
                put("assessments", {"question": question.slug, "n": n, **to_record(assessment)})
        for profile in ws.sources(min_documents=0):
            put("sources", to_record(profile))
        revisions = getattr(ws, "revisions", None)
        if revisions is not None:
            for revision in pages(revisions):
                if keep_revision(selection, revision, link_ids):
                    put("revisions", to_record(revision))
    package = {
        "name": "sitroom-export",
        "title": "sitroom export (CSV tables)",
        "profile": "tabular-data-package",
        "created": header(selection)["exported_at"],
        "sitroom": {k: v for k, v in header(selection).items() if k != "exported_at"},
        "resources": [
            {
                "name": spec.name,
                "path": f"{spec.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **({"description": spec.description} if spec.description else {}),
                "schema": spec.schema(),
            }  # fmt: skip
            for spec in specs.values()
        ],
    }
    (folder / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return rows
