"""Schema migrations: an ordered list of steps, each applied once, recorded in ``settings``.

A workspace records ``schema_version``; opening it applies every later step in one transaction per
step. A workspace newer than this sitroom is refused (E002) rather than silently misread.

Rule for adding a step: append a function, never edit a released one. Step 1 builds the tables from
``schema.py``; when a later step alters one of those tables, freeze that table's version-1 definition
inside step 1 so a fresh workspace still goes through the same history. A step that only adds a
nullable column may instead add it where it is missing (step 6), since creating the table from its
current definition already gives a fresh workspace the column. Adding a field to an annotation
layer (a field of its dataclass in ``model.py``) is such a step: ``lambda conn:
add_layer_columns(conn, "claims")`` adds every column the layer's table lacks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Connection, LargeBinary, func, inspect, select, text

from sitroom.errors import WorkspaceError
from sitroom.store import analysis, annotations, progress, revisions, schema


def _create_base_tables(conn: Connection) -> None:
    schema.metadata.create_all(
        conn,
        tables=[
            schema.settings,
            schema.sources,
            schema.runs,
            schema.documents,
            schema.dedup_bands,
            schema.problems,
        ],
    )


def _create_full_text_search(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # External-content FTS5 table: the text lives once, in documents; triggers keep the index
        # in step inside the same transaction as the row, so a crash cannot leave them apart.
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE documents_fts USING fts5("
                "title, text, content='documents', content_rowid='rowid', "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
                "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
                "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                "VALUES ('delete', old.rowid, old.title, old.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN "
                "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                "VALUES ('delete', old.rowid, old.title, old.text); "
                "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
            )
        )
    else:
        conn.execute(
            text(
                "ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
                "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('english', text), 'B')) STORED"
            )
        )
        conn.execute(text("CREATE INDEX ix_documents_search ON documents USING gin (search_vector)"))


def _create_views(conn: Connection) -> None:
    conn.execute(
        text(
            "CREATE VIEW document_overview AS "
            "SELECT d.id, d.title, s.name AS source, s.reliability, d.author, d.published, "
            "d.published_precision, d.published_basis, d.published_implausible, d.dateline, "
            "d.language, d.duplicate_of, d.url, d.origin, d.ingested_at "
            "FROM documents d LEFT JOIN sources s ON s.id = d.source_id"
        )
    )


def add_layer_columns(conn: Connection, layer_name: str) -> list[str]:
    """Add to a layer's table every column its dataclass has and the table lacks (nullable, no default:
    rows written before the field existed read it as missing). Returns the columns added."""
    from sitroom.layers import layer

    table = layer(layer_name).table
    present = {column["name"] for column in inspect(conn).get_columns(table)}
    added = []
    for column in annotations.layer_columns(layer(layer_name)):
        if column.name not in present:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{column.name}" {kind}'))
            added.append(column.name)
    return added


def _step_1(conn: Connection) -> None:
    _create_base_tables(conn)
    _create_full_text_search(conn)
    _create_views(conn)


def _step_2(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=annotations.TABLES_STEP_2)


def _step_3(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=annotations.TABLES_STEP_3)


def _step_4(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=analysis.TABLES_STEP_4)


def _step_5(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=annotations.TABLES_STEP_5)
    # Index the people already linked (workspaces made before this step).
    table = annotations.entities
    rows = conn.execute(
        select(table.c.id, table.c.name).where(table.c.type == "PERSON", table.c.actor_id.is_(None))
    )
    seen = set()
    for entity_id, name in rows:
        # The same normalisation as Store._link_entities (punctuation dropped, case folded).
        words = re.sub(r"[^\w\s]", "", name.casefold()).split()
        if len(words) >= 2 and (words[-1], entity_id) not in seen:
            seen.add((words[-1], entity_id))
            conn.execute(annotations.person_surnames.insert().values(surname=words[-1], entity_id=entity_id))


def _step_6(conn: Connection) -> None:
    # Step 4 creates ``stories`` from its current definition, which has the column already on a
    # fresh workspace; older workspaces get it here.
    if "topic" not in {column["name"] for column in inspect(conn).get_columns("stories")}:
        conn.execute(text("ALTER TABLE stories ADD COLUMN topic VARCHAR(40)"))


def _step_7(conn: Connection) -> None:
    from datetime import UTC, datetime

    schema.metadata.create_all(conn, tables=progress.TABLES_STEP_7)
    # Workspaces from before this step: their processed documents were taken into stories and links.
    progress.mark_processed_as_analysed(conn, now=datetime.now(UTC).isoformat(timespec="seconds"))


def _step_8(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=revisions.TABLES_STEP_8)


def _step_9(conn: Connection) -> None:
    from sitroom.layers import layer

    # Claims: the source as written, stored so a search by speaker name reads it instead of cutting it
    # out of every document's text; backfilled from the texts (the same cut, by character offsets).
    add_layer_columns(conn, "claims")
    claims, documents = annotations.claims, schema.documents
    text_of = select(documents.c.text).where(documents.c.id == claims.c.document_id).scalar_subquery()
    conn.execute(
        claims.update()
        .where(claims.c.source_start.is_not(None), claims.c.source_end.is_not(None),
               claims.c.speaker_as_written.is_(None))
        .values(speaker_as_written=func.substr(text_of, claims.c.source_start + 1,
                                               claims.c.source_end - claims.c.source_start))
    )  # fmt: skip
    # The indexes the layers name (claims by speaker, places by id); a fresh workspace has them already.
    for name in ("claims", "places"):
        named = {index_name for index_name, _ in layer(name).indexes}
        for index in annotations.ANNOTATION_TABLES[name].indexes:
            if index.name in named:
                index.create(conn, checkfirst=True)


def _step_10(conn: Connection) -> None:
    # Documents processed before this step have no rows: the cross-document update parses their lead
    # when it needs it (sitroom.nlp.lead.parse_lead_nouns gives the same nouns).
    schema.metadata.create_all(conn, tables=annotations.TABLES_STEP_10)


def _step_11(conn: Connection) -> None:
    # Documents linked before this step have no stored items: the cross-document update builds a
    # candidate's items from its annotations the first time it needs them, and stores them then.
    schema.metadata.create_all(conn, tables=analysis.TABLES_STEP_11)
    # Each blocking key's recency (its document's ingested_at), indexed with the key: candidates are
    # ranked over the most recent rows of each key. Step 4 gives a fresh workspace the column and the
    # index already; older ones get them here, backfilled.
    keys, documents = analysis.link_keys, schema.documents
    if "at" not in {column["name"] for column in inspect(conn).get_columns("link_keys")}:
        conn.execute(text("ALTER TABLE link_keys ADD COLUMN at VARCHAR(32)"))
        ingested = select(documents.c.ingested_at).where(documents.c.id == keys.c.document_id)
        conn.execute(keys.update().values(at=func.coalesce(ingested.scalar_subquery(), "")))
    for index in keys.indexes:
        index.create(conn, checkfirst=True)


def _step_12(conn: Connection) -> None:
    # The ingest-order index; step 1 gives a fresh workspace it (and the others) from schema.py already.
    for index in schema.documents.indexes:
        index.create(conn, checkfirst=True)
    # Copies are never link candidates, and from this step on they store no keys: drop the old ones,
    # so the candidates' ranking need not test each row against the list of copies.
    keys, documents = analysis.link_keys, schema.documents
    copies = select(documents.c.id).where(documents.c.duplicate_of > "")
    conn.execute(keys.delete().where(keys.c.document_id.in_(copies)))


def _step_13(conn: Connection) -> None:
    # States saved before this step keep every document's vectors in them; the clusterer moves them
    # here when it next saves its state (sitroom.analyse.stories: use_vector_store).
    schema.metadata.create_all(conn, tables=analysis.TABLES_STEP_13)


def _step_14(conn: Connection) -> None:
    # Parts of the clusterer's state saved from this step on are MessagePack bytes; those saved before
    # stay JSON text and are read as such until the state is next saved.
    if "data" not in {column["name"] for column in inspect(conn).get_columns("story_state")}:
        binary = conn.dialect.type_compiler.process(LargeBinary())
        conn.execute(text(f"ALTER TABLE story_state ADD COLUMN data {binary}"))


STEPS: list[tuple[str, Callable[[Connection], None]]] = [
    ("documents, sources, runs, problems, near-duplicate bands, full-text search", _step_1),
    ("annotations: mentions, entities, places, time expressions, quantities, processing record", _step_2),
    ("claims and events", _step_3),
    ("stories, links, questions, evidence and assessments", _step_4),
    ("surname index for linking people across documents", _step_5),
    ("the topic of each story", _step_6),
    ("which documents the cross-document update has taken in", _step_7),
    ("analyst revisions; the period of each document's main events", _step_8),
    ("claims: the source as written; indexes for claims by speaker and places by id", _step_9),
    ("the nouns of each document's lead, kept from the pipeline's parse", _step_10),
    ("each linked document's link items; link keys ranked by recency", _step_11),
    ("documents in ingest order (an index); syndicated copies keep no link keys", _step_12),
    ("the story clusterer's vectors of each document, apart from its state", _step_13),
    ("the story clusterer's state saved as binary", _step_14),
]
LATEST = len(STEPS)


def read_version(conn: Connection) -> int:
    """The workspace's schema version; 0 for an empty database."""
    if not conn.dialect.has_table(conn, "settings"):
        return 0
    row = conn.execute(
        select(schema.settings.c.value).where(schema.settings.c.key == "schema_version")
    ).first()
    return int(row[0]) if row else 0


def migrate(engine, *, read_only: bool = False, upto: int | None = None) -> int:
    """Bring the database up to :data:`LATEST` (or to step ``upto``, for tests of old workspaces);
    returns the version it started at. ``read_only``: check the version only (E005 when the workspace
    needs a migration it cannot be given)."""
    with engine.connect() as conn:
        start = read_version(conn)
    if start > LATEST:
        raise WorkspaceError(
            "E002",
            f"this workspace has schema version {start} but this sitroom knows only up to {LATEST}; "
            "upgrade sitroom to open it",
        )
    if read_only:
        if start < LATEST:
            raise WorkspaceError(
                "E005",
                f"this read-only workspace has schema version {start} and this sitroom needs {LATEST}; "
                "open a writable copy once to upgrade it",
            )
        return start
    from sitroom.store.database import writes_to

    for number in range(start + 1, (upto or LATEST) + 1):
        _, step = STEPS[number - 1]
        with writes_to(engine).begin() as conn:
            # Two processes opening a new workspace at once: the write lock makes the second wait,
            # and it finds the step done.
            if read_version(conn) >= number:
                continue
            step(conn)
            _write_version(conn, number)
    return start


def _write_version(conn: Connection, number: int) -> None:
    table = schema.settings
    updated = conn.execute(table.update().where(table.c.key == "schema_version").values(value=str(number)))
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key="schema_version", value=str(number)))
