"""Annotation tables and their reads and writes.

Each annotation dataclass of ``sitroom.model`` (Mention, Place, TimeRef, Quantity) has a table whose
columns are its fields plus ``document_id`` and ``run_id``, built from the dataclass so the two cannot
drift apart. A document's analysis is written in one transaction that first deletes what earlier runs
of the same components produced, so re-processing with a new component version replaces exactly that
component's annotations.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Iterable, Sequence

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    or_,
    select,
)

from sitroom.layers import LAYERS, Layer
from sitroom.store.schema import metadata

_SQL_TYPES = {int: Integer, float: Float, bool: Boolean, str: Text}


def _column_type(annotation) -> type:
    hint = annotation
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is typing.Literal:
        hint = str
    if typing.get_origin(hint) in (tuple, list):
        hint = str  # stored as a "; "-joined string
    return _SQL_TYPES.get(hint, Text)


def _annotation_table(layer: Layer) -> Table:
    hints = typing.get_type_hints(layer.cls)
    columns = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    ]
    for f in dataclasses.fields(layer.cls):
        columns.append(Column(column_name(f.name), _column_type(hints[f.name])))
    columns += [Column(name, Text) for name in layer.derived]
    columns.append(Column("run_id", String(40)))
    table = Table(layer.table, metadata, *columns)
    Index(f"ix_{layer.table}_document", table.c.document_id)
    for index_name, fields in layer.indexes:
        Index(index_name, *(table.c[column_name(f)] for f in ((fields,) if isinstance(fields, str) else fields)))
    return table


def column_name(field: str) -> str:
    """The column of an annotation field (``start``/``end`` are reserved words in SQL)."""
    return {"start": "start_offset", "end": "end_offset"}.get(field, field)


def layer_columns(layer: Layer) -> list[Column]:
    """The columns a layer's table should have, for a migration step that adds a new field."""
    hints = typing.get_type_hints(layer.cls)
    columns = [Column(column_name(f.name), _column_type(hints[f.name])) for f in dataclasses.fields(layer.cls)]
    return columns + [Column(name, Text) for name in layer.derived]


def _speaker_as_written(claim, text: str) -> str | None:
    """The claim's source as the text writes it ("the foreign minister"), so a search by name reads
    one short column instead of cutting the span out of every document's text."""
    if claim.source_start is None or claim.source_end is None:
        return None
    return text[claim.source_start : claim.source_end]


# How each derived column (Layer.derived) is computed from an annotation and its document's text.
DERIVED = {"speaker_as_written": _speaker_as_written}


# One table per annotation layer, built from the registry (sitroom/layers.py).
ANNOTATION_TABLES: dict[str, Table] = {layer.name: _annotation_table(layer) for layer in LAYERS}
LAYER_CLASSES: dict[str, type] = {layer.name: layer.cls for layer in LAYERS}
mentions = ANNOTATION_TABLES["mentions"]
places = ANNOTATION_TABLES["places"]
time_expressions = ANNOTATION_TABLES["times"]
quantities = ANNOTATION_TABLES["quantities"]
document_entities = ANNOTATION_TABLES["entities"]
claims = ANNOTATION_TABLES["claims"]
events = ANNOTATION_TABLES["events"]

# Workspace-wide canonical entities; a document's entity (document_entities.key) links to one of
# these through ``entity_links``.
entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor_id", String(120)),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("country", String(3)),
    UniqueConstraint("actor_id", name="uq_entities_actor"),
)
entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", String(300), primary_key=True),
)
Index("ix_entity_aliases_alias", entity_aliases.c.alias)
entity_links = Table(
    "entity_links",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_key", String(120), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("reason", Text),
)
Index("ix_entity_links_entity", entity_links.c.entity_id)

# Which component ran on which document, with what outcome: the record that makes a skipped or
# failed document visible instead of silently missing its annotations.
processing = Table(
    "processing",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("component", String(40), primary_key=True),
    Column("status", String(8), nullable=False),
    Column("reason", Text),
    Column("run_id", String(40)),
    Column("at", String(32), nullable=False),
)

# Surnames of people outside the dictionary, for cross-document linking by name without scanning
# every alias (a LIKE '% name' cannot use an index).
person_surnames = Table(
    "person_surnames",
    metadata,
    Column("surname", String(120), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
)

# Which tables each migration step creates (store/migrations.py): a step never changes.
TABLES_STEP_2 = [
    *(ANNOTATION_TABLES[layer.name] for layer in LAYERS if layer.step == 2),
    entities,
    entity_aliases,
    entity_links,
    processing,
]
TABLES_STEP_3 = [ANNOTATION_TABLES[layer.name] for layer in LAYERS if layer.step == 3]
TABLES_STEP_5 = [person_surnames]
TABLES_STEP_10 = [ANNOTATION_TABLES[layer.name] for layer in LAYERS if layer.step == 10]


def component_family(name: str) -> str:
    """``places.v2`` → ``places``: versions of one component replace each other."""
    return re.sub(r"\.v\d+$", "", name)


def annotation_row(document_id: str, run_id: str | None, annotation) -> dict:
    """The table row of an annotation dataclass (tuples stored "; "-joined)."""
    row = {"document_id": document_id, "run_id": run_id}
    for f in dataclasses.fields(annotation):
        value = getattr(annotation, f.name)
        if isinstance(value, tuple):
            value = "; ".join(map(str, value))
        row[column_name(f.name)] = value
    return row


def replace_annotations(
    conn: Connection,
    document_id: str,
    *,
    run_id: str,
    layers: dict[str, Sequence],
    components: Iterable[str],
    outcomes: Sequence[tuple[str, str, str | None]],
    now: str,
    text: str,
) -> None:
    """Within the caller's transaction: drop the annotations the named components made earlier for this
    document, insert the new ones (with the columns derived from the document's ``text``), and record
    each component's outcome (done / skipped / failed)."""
    derived = {layer.name: layer.derived for layer in LAYERS}
    families = {component_family(c) for c in components}
    for key, table in ANNOTATION_TABLES.items():
        if families:
            conn.execute(
                delete(table).where(
                    and_(
                        table.c.document_id == document_id,
                        or_(*(table.c.component.like(f"{family}.v%") for family in families)),
                    )
                )
            )
        rows = [
            annotation_row(document_id, run_id, a) | {name: DERIVED[name](a, text) for name in derived[key]}
            for a in layers.get(key, ())
        ]
        if rows:
            conn.execute(table.insert(), rows)
    ran = {component for component, _, _ in outcomes}
    if ran:
        conn.execute(
            delete(processing).where(
                processing.c.document_id == document_id,
                or_(*(processing.c.component.like(f"{component_family(c)}.v%") for c in ran)),
            )
        )
    records: dict[str, dict] = {}  # the first outcome of each component
    for component, status, reason in outcomes:
        records.setdefault(
            component,
            {"document_id": document_id, "component": component, "status": status, "reason": reason,
             "run_id": run_id, "at": now},
        )  # fmt: skip
    if records:
        conn.execute(processing.insert(), list(records.values()))


def read_annotations(conn: Connection, document_id: str) -> dict[str, list]:
    """A document's annotations as model dataclasses, in text order."""
    out: dict[str, list] = {}
    for key, table in ANNOTATION_TABLES.items():
        cls = LAYER_CLASSES[key]
        order = table.c.start_offset if "start_offset" in table.c else table.c.id
        rows = conn.execute(
            select(table).where(table.c.document_id == document_id).order_by(order, table.c.id)
        )
        items = [row_to_annotation(cls, row) for row in rows]
        out[key] = items
    return out


def row_to_annotation(cls: type, row):
    """A table row back to its annotation dataclass."""
    data = row._mapping
    kwargs = {}
    for name, column, is_tuple in _field_columns(cls):
        value = data[column]
        if is_tuple:
            value = tuple(v for v in (value or "").split("; ") if v)
        kwargs[name] = value
    return cls(**kwargs)


@functools.cache
def _field_columns(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(field, column, stored as a "; "-joined tuple) for each field of an annotation class: worked
    out once per class, since candidate lookups turn thousands of rows back into annotations."""
    return tuple(
        (
            f.name,
            column_name(f.name),
            str(f.type).startswith("tuple"),
        )
        for f in dataclasses.fields(cls)
    )


def read_annotations_many(
    conn: Connection, document_ids: Sequence[str], *, layers: Sequence[str] | None = None
) -> dict[str, dict[str, list]]:
    """Annotations of many documents in one query per layer: {document_id: {layer: [...]}}."""
    wanted = list(layers or ANNOTATION_TABLES)
    out: dict[str, dict[str, list]] = {doc_id: {key: [] for key in wanted} for doc_id in document_ids}
    if not document_ids:
        return out
    for key in wanted:
        table = ANNOTATION_TABLES[key]
        cls = LAYER_CLASSES[key]
        order = table.c.start_offset if "start_offset" in table.c else table.c.id
        rows = conn.execute(
            select(table)
            .where(table.c.document_id.in_(list(document_ids)))
            .order_by(table.c.document_id, order, table.c.id)
        )
        for row in rows:
            out[row.document_id][key].append(row_to_annotation(cls, row))
    return out
