"""The store: the only code that talks to the database.

SQLite (default, WAL mode so readers work during an ingest) or PostgreSQL, through SQLAlchemy Core.
Each document is written in one transaction with its source row and near-duplicate bands, so a crash
or a kill in the middle of a batch leaves no half-written document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Engine, and_, bindparam, create_engine, delete, event, func, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from sitroom.errors import InputError, NotFoundError, StorageError, WorkspaceError
from sitroom.model import Document, Problem, Published, RemovedLine, SearchHit
from sitroom.store import migrations, schema
from sitroom.store.analysis import AnalysisStore
from sitroom.store.imports import ImportStore
from sitroom.store.periods import PeriodStore
from sitroom.store.progress import ProgressStore, analysed_documents
from sitroom.store.queries import ReadStore
from sitroom.store.raw import RawRef
from sitroom.store.revisions import RevisionStore
from sitroom.store.writer import DocumentWriter

_DOC = schema.documents
_HAS_DOCUMENT = select(_DOC.c.id).where(_DOC.c.id == bindparam("id"))


def _processed_by(components: Sequence[str]):
    """The ids of documents with a processing record for each of ``components`` (a subquery)."""
    from sitroom.store import annotations as ann

    wanted = sorted(set(components))
    if not wanted:
        return None
    return (
        select(ann.processing.c.document_id)
        .where(ann.processing.c.component.in_(wanted))
        .group_by(ann.processing.c.document_id)
        .having(func.count() == len(wanted))
    )


def of_outlets(outlets: Sequence[str]) -> list:
    """The condition (none, or one in a list) that keeps only the documents of the named outlets."""
    if not outlets:
        return []
    return [_DOC.c.source_id.in_(select(schema.sources.c.id).where(schema.sources.c.name.in_(list(outlets))))]


def _has_records(conn, document_id: str, components: Sequence[str]) -> bool:
    from sitroom.store import annotations as ann

    table = ann.processing
    query = select(table.c.component).where(
        table.c.document_id == document_id, table.c.component.in_(sorted(set(components)))
    )
    return {row.component for row in conn.execute(query)} >= set(components)


# The PostgreSQL advisory lock that serialises saving annotations (any constant all processes share).
_SAVE_ANALYSIS_LOCK = 0x5172_0002


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The execution option that marks a connection as a writer: its transactions take the write lock at
# BEGIN (SQLite) and are refused on a read-only workspace. See :func:`writes_to`.
WRITE_OPTION = "sitroom_write"


def writes_to(engine: Engine) -> Engine:
    """The same engine (same pool) for write transactions: ``writes_to(engine).begin()``."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _configure_sqlite(dbapi_connection, _record, *, read_only: bool = False) -> None:
    # SQLAlchemy begins transactions itself (the "begin" listener below), not the sqlite3 module,
    # whose own implicit BEGIN is always DEFERRED.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    if not read_only:
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a process crash or kill; only a power loss may drop
        # the last commits, never corrupt the file. FULL would fsync every document and cost ~10x.
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Writers queue for the lock (BEGIN IMMEDIATE): an ingest holds it for a group of documents (about
    # a second) at a time, so a long wait means a stuck writer; readers in WAL mode never wait.
    cursor.execute("PRAGMA busy_timeout=300000")
    cursor.close()


def _begin_sqlite(conn) -> None:
    # A deferred transaction that reads and then writes cannot wait for the lock: when another
    # writer committed in between, SQLite answers "database is locked" at once, busy_timeout or not
    # (two ingests into one workspace failed after 0-3 documents). Writers take the lock at BEGIN,
    # where busy_timeout applies, so concurrent writers queue; readers stay deferred and never wait.
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _refuse_writes(conn) -> None:
    if conn.get_execution_options().get(WRITE_OPTION):
        raise WorkspaceError(
            "E005",
            "this workspace is open read-only (read-only media, or opened with read_only=True): "
            "queries work, but ingest, process, analyse and analyst settings need a writable copy",
        )


def _sqlite_read_only_creator(path: str):
    """Connections that never write the file or create its -wal/-shm beside it: ``mode=ro`` where
    SQLite can still use (or make) the shared-memory file, ``immutable=1`` where the folder itself is
    read-only and no WAL is left (read-only media: nobody can write it under us)."""
    import os
    import sqlite3
    from pathlib import Path
    from urllib.parse import quote

    db = Path(path)
    wal = db.with_name(db.name + "-wal")
    writable_folder = os.access(db.parent, os.W_OK)
    flag = "mode=ro" if writable_folder or wal.exists() else "immutable=1"
    uri = f"file:{quote(str(db))}?{flag}"

    def connect():
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return connect


# SQLite result codes (the low byte of the extended code) that mean the storage, not the statement,
# failed: FULL, IOERR, READONLY, CORRUPT, CANTOPEN, NOTADB, and BUSY (the lock never came).
_SQLITE_STORAGE_CODES = {13: "the disk is full", 10: "disk I/O error", 8: "the database file is read-only",
                         11: "the database file is corrupt", 14: "cannot open the database file",
                         26: "the file is not a database",
                         5: "another process held the workspace's write lock for over 5 minutes"}  # fmt: skip
# PostgreSQL SQLSTATE classes: 53 insufficient resources (53100 disk full), 58 system error (I/O),
# 57P0x the server shut down or restarted, 08 connection lost.
_POSTGRES_STORAGE_STATES = ("53", "58", "57P", "08")


def storage_failure(orig: BaseException | None, *, disconnect: bool = False) -> str | None:
    """What failed when a database error is the storage's fault (disk full, I/O, a lost or restarted
    server), else None (a bug or a constraint: the statement's fault)."""
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_STORAGE_CODES:
        return _SQLITE_STORAGE_CODES[code & 0xFF]
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or ""
    if disconnect or state.startswith(_POSTGRES_STORAGE_STATES):
        return (
            "the database server went away or refused the write"
            if not state.startswith("53")
            else ("the database server's disk is full")
        )
    return None


def _raise_storage_errors(context) -> None:
    # A storage failure leaves the transaction unusable (SQLite rolls it back itself on SQLITE_FULL):
    # raised as StorageError it stops the batch with its cause, instead of being taken for one bad
    # document and the next statement failing with PendingRollbackError.
    what = storage_failure(context.original_exception, disconnect=context.is_disconnect)
    if what is not None:
        orig = context.original_exception
        raise StorageError("E004", f"storage failed: {what} ({type(orig).__name__}: {orig})") from orig


def create_database_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` with sitroom's connection settings (``read_only``: writes refused, E005)."""
    try:
        kwargs = {}
        if read_only and url.startswith("sqlite"):
            from sqlalchemy.engine import make_url

            kwargs["creator"] = _sqlite_read_only_creator(make_url(url).database or "")
        engine = create_engine(url, future=True, **kwargs)
    except Exception as exc:  # a bad URL or a missing driver: say which
        raise WorkspaceError("E003", f"cannot open database {url!r}: {exc}") from exc
    event.listen(engine, "handle_error", _raise_storage_errors)
    if read_only:
        # First, so a refused write never reaches BEGIN.
        event.listen(engine, "begin", _refuse_writes)
    if engine.dialect.name == "sqlite":
        event.listen(
            engine, "connect", lambda dbapi, record: _configure_sqlite(dbapi, record, read_only=read_only)
        )
        event.listen(engine, "begin", _begin_sqlite)
    return engine


# --- annotations (mixed into Store) -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _candidate_queries():
    """Entity resolution's three queries (by actor id, by aliases and type, by surname), with bound
    parameters: built once per process, compiled once by SQLAlchemy."""
    from sitroom.store import annotations as ann

    entities, aliases, surnames = ann.entities, ann.entity_aliases, ann.person_surnames
    by_actor = select(entities.c.id).where(entities.c.actor_id == bindparam("actor_id"))
    by_aliases = (
        select(entities.c.id, entities.c.country, aliases.c.alias)
        .select_from(entities.join(aliases, aliases.c.entity_id == entities.c.id))
        .where(
            aliases.c.alias.in_(bindparam("aliases", expanding=True)),
            entities.c.type == bindparam("type"),
        )
        .order_by(entities.c.id)
    )
    by_surname = (
        select(entities.c.id, entities.c.name, entities.c.country)
        .select_from(entities.join(surnames, surnames.c.entity_id == entities.c.id))
        .where(surnames.c.surname == bindparam("surname"))
        .order_by(entities.c.id)
        .limit(50)
    )
    return by_actor, by_aliases, by_surname


class _EntityCandidates:
    """The store's answers to entity resolution (analyse.entity_resolution.Candidates), read in the
    transaction that writes the links. Its queries are built once (:func:`_candidate_queries`), their
    values bound per call."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self._by_actor, self._by_aliases, self._by_surname = _candidate_queries()

    def by_actor(self, actor_id: str) -> int | None:
        row = self.conn.execute(self._by_actor, {"actor_id": actor_id}).first()
        return int(row.id) if row else None

    def by_aliases(self, aliases: list[str], type: str) -> list[tuple[int, str | None, str]]:
        rows = self.conn.execute(self._by_aliases, {"aliases": list(aliases), "type": type})
        return [(int(r.id), r.country, r.alias) for r in rows]

    def by_surname(self, surname: str) -> list[tuple[int, str, str | None]]:
        rows = self.conn.execute(self._by_surname, {"surname": surname})
        return [(int(r.id), r.name, r.country) for r in rows]


class AnnotationStore:
    """Mixin for :class:`Store`: writes a document's analysis and links its entities across documents."""

    engine: Engine
    write_engine: Engine

    def save_analysis(
        self, analysis, *, run_id: str, only_missing: bool = False, period=None, dated: bool | None = None
    ) -> bool:
        """Replace the annotations of the components that ran, in one transaction; the document is
        then due for the cross-document update again. With ``only_missing``, nothing is written (and
        False returned) when every component already has a record for the document: a concurrent
        ``process`` run got there first. With ``dated`` given, the document's reported ``period`` (a
        ReportedPeriod, or None: no dated content) is written too."""
        from sitroom.store import annotations as ann
        from sitroom.store.analysis import link_items

        doc = analysis.document
        outcomes = [(name, "done", None) for name in analysis.components]
        outcomes += [(name, "skipped", reason) for name, reason in analysis.skipped]
        outcomes += [(name, "failed", reason) for name, reason in analysis.failed]
        components = [name for name, _, _ in outcomes]
        layers = analysis.layers()
        with self.write_engine.begin() as conn:
            if self.dialect == "postgresql":
                # Entity linking reads then inserts: two processes would both create one entity.
                # SQLite serialises writers at BEGIN IMMEDIATE; PostgreSQL needs the lock said.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SAVE_ANALYSIS_LOCK})
            if only_missing and _has_records(conn, doc.id, components):
                return False
            conn.execute(delete(analysed_documents).where(analysed_documents.c.document_id == doc.id))
            # Its link items are built from these annotations: rebuilt when it is linked again.
            conn.execute(delete(link_items).where(link_items.c.document_id == doc.id))
            ann.replace_annotations(
                conn,
                doc.id,
                run_id=run_id,
                layers=layers,
                components=components,
                outcomes=outcomes,
                now=utc_now(),
                text=doc.text,
            )
            if any(ann.component_family(c) == "entities" for c in analysis.components):
                self._link_entities(conn, doc.id, analysis.entities)
            if dated is not None:
                self._save_period(conn, doc.id, period)
        return True

    def save_periods(self, periods: dict) -> None:
        """Record reported periods (document id → ReportedPeriod or None) computed after the fact."""
        with self.write_engine.begin() as conn:
            for document_id, period in periods.items():
                self._save_period(conn, document_id, period)

    def _save_period(self, conn, document_id: str, period) -> None:
        from sitroom.store.revisions import document_periods

        conn.execute(document_periods.delete().where(document_periods.c.document_id == document_id))
        conn.execute(
            document_periods.insert().values(
                document_id=document_id,
                earliest=period.earliest if period else None,
                latest=period.latest if period else None,
                outside=period.outside if period else 0,
            )
        )

    def _link_entities(self, conn, document_id: str, local_entities) -> None:
        """Link each document entity to a workspace entity, by the policy the workspace gave the store
        (``resolve_entity``: sitroom.analyse.entity_resolution); without one, nothing is linked."""
        from sitroom.store import annotations as ann

        conn.execute(ann.entity_links.delete().where(ann.entity_links.c.document_id == document_id))
        if self.resolve_entity is None:
            return
        candidates = _EntityCandidates(conn)
        # Statements built once and given their values as parameters (SQLAlchemy then reuses their
        # compiled form); the links, which no later resolution reads, are written together at the end.
        insert_entity, insert_surname = ann.entities.insert(), ann.person_surnames.insert()
        aliases_of = select(ann.entity_aliases.c.alias).where(
            ann.entity_aliases.c.entity_id == bindparam("entity_id")
        )
        links = []
        for entity in local_entities:
            found = self.resolve_entity(entity, candidates)
            entity_id = found.entity_id
            if entity_id is None:
                result = conn.execute(
                    insert_entity,
                    {
                        "actor_id": entity.actor_id,
                        "name": entity.name,
                        "type": entity.type,
                        "country": entity.country,
                    },
                )
                entity_id = int(result.inserted_primary_key[0])
                if found.surname:
                    conn.execute(insert_surname, {"surname": found.surname, "entity_id": entity_id})
            known = {row.alias for row in conn.execute(aliases_of, {"entity_id": entity_id})}
            new = [{"entity_id": entity_id, "alias": a} for a in sorted(set(found.aliases) - known)]
            if new:
                conn.execute(ann.entity_aliases.insert(), new)
            links.append(
                {
                    "document_id": document_id,
                    "entity_key": entity.key,
                    "entity_id": entity_id,
                    "reason": found.reason,
                }
            )
        if links:
            conn.execute(ann.entity_links.insert(), links)

    def annotations_of_many(
        self, document_ids: Sequence[str], *, layers: Sequence[str] | None = None
    ) -> dict[str, dict[str, list]]:
        from sitroom.store import annotations as ann

        with self.engine.connect() as conn:
            return ann.read_annotations_many(conn, document_ids, layers=layers)

    def get_documents(self, document_ids: Sequence[str]) -> dict[str, Document]:
        """Documents by exact id, in one query."""
        if not document_ids:
            return {}
        query = _select_documents().where(_DOC.c.id.in_(list(document_ids)))
        with self.engine.connect() as conn:
            return {row.id: _document_from_row(row) for row in conn.execute(query)}

    def document_titles(self, document_ids: Sequence[str] | None = None) -> dict[str, str | None]:
        """Titles by document id (all documents when ``document_ids`` is None), without the texts."""
        query = select(_DOC.c.id, _DOC.c.title)
        if document_ids is not None:
            query = query.where(_DOC.c.id.in_(list(document_ids)))
        with self.engine.connect() as conn:
            return {row.id: row.title for row in conn.execute(query)}

    def annotations_of(self, document_id: str) -> dict[str, list]:
        from sitroom.store import annotations as ann

        with self.engine.connect() as conn:
            return ann.read_annotations(conn, document_id)

    def documents_needing(
        self, components: Sequence[str], *, batch: int = 500, outlets: Sequence[str] = ()
    ) -> Iterator[Document]:
        """Originals and duplicates alike that lack a record for any of ``components`` (exact versions);
        only those of ``outlets`` (source names) if any are given.

        One query per batch: the documents with a record for every component are found in the
        ``processing`` table by the database, so a workspace of 10k processed documents costs
        milliseconds here, not a query per document."""
        complete = _processed_by(components)
        if complete is not None:
            yield from self.iter_documents(batch=batch, where=and_(_DOC.c.id.not_in(complete), *of_outlets(outlets)))

    def first_documents_by_outlet(
        self, components: Sequence[str] | None, *, per_outlet: int, outlets: Sequence[str] = ()
    ) -> dict[str, list[str]]:
        """For each outlet with more than ``per_outlet`` original documents to process (those lacking
        a record for any of ``components``; every one with ``components`` None), the ids of its first
        ``per_outlet`` in ingest order; only ``outlets`` (source names) if any are given. One query:
        the database ranks each outlet's documents, only the few first ids come back."""
        src = schema.sources
        where = [_DOC.c.duplicate_of.is_(None), *of_outlets(outlets)]
        complete = _processed_by(components) if components is not None else None
        if complete is not None:
            where.append(_DOC.c.id.not_in(complete))
        by_outlet = {"partition_by": _DOC.c.source_id}
        ranked = (
            select(
                _DOC.c.id,
                src.c.name,
                func.row_number().over(**by_outlet, order_by=(_DOC.c.ingested_at, _DOC.c.id)).label("rank"),
                func.count().over(**by_outlet).label("pending"),
            )
            .select_from(_DOC.join(src, src.c.id == _DOC.c.source_id))
            .where(*where)
            .subquery()
        )
        query = (
            select(ranked.c.name, ranked.c.id)
            .where(ranked.c.rank <= per_outlet, ranked.c.pending > per_outlet)
            .order_by(ranked.c.name, ranked.c.rank)
        )
        firsts: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for name, document_id in conn.execute(query):
                firsts.setdefault(name, []).append(document_id)
        return firsts

    def documents_in_order(self, document_ids: Iterable[str], *, batch: int = 500) -> Iterator[Document]:
        """The documents of ``document_ids`` in ingest order: their ingest keys first (``batch`` ids a
        query, so no query outgrows the database's limit on parameters), then their texts ``batch`` at
        a time."""
        wanted = sorted(set(document_ids))
        keys: list[tuple[str, str]] = []
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), batch):
                query = select(_DOC.c.ingested_at, _DOC.c.id).where(_DOC.c.id.in_(wanted[start : start + batch]))
                keys += [(ingested_at or "", doc_id) for ingested_at, doc_id in conn.execute(query)]
        keys.sort()
        for start in range(0, len(keys), batch):
            found = self.get_documents([doc_id for _, doc_id in keys[start : start + batch]])
            yield from (found[doc_id] for _, doc_id in keys[start : start + batch] if doc_id in found)

    def documents_of(self, outlets: Sequence[str], *, batch: int = 500) -> Iterator[Document]:
        """Every document (originals and duplicates) of the named outlets, in ingest order."""
        yield from self.iter_documents(batch=batch, where=and_(*of_outlets(outlets)))

    def documents_processed(self, components: Sequence[str], *, batch: int = 500) -> Iterator[Document]:
        """Documents with a record (done, skipped or failed) for every one of ``components``."""
        complete = _processed_by(components)
        if complete is not None:
            yield from self.iter_documents(batch=batch, where=_DOC.c.id.in_(complete))

    def outlet_regions(self, source: str, *, before_run: str) -> dict[str, frozenset[tuple[str, str]]]:
        """Each original document of outlet ``source`` processed before run ``before_run``, with the
        (country code, first-level region) pairs of its local places (sitroom.nlp.places_home), for
        the outlet's home region; documents with no local place are left out."""
        from sitroom.nlp.places_home import LOCAL_FEATURES
        from sitroom.store import annotations as ann

        places = ann.places
        query = (
            select(places.c.document_id, places.c.country_code, places.c.admin1)
            .select_from(
                places.join(_DOC, _DOC.c.id == places.c.document_id).join(
                    schema.sources, schema.sources.c.id == _DOC.c.source_id
                )
            )
            .where(
                schema.sources.c.name == source,
                _DOC.c.duplicate_of.is_(None),
                places.c.feature.in_(LOCAL_FEATURES),
                places.c.country_code.is_not(None),
                places.c.admin1.is_not(None),
                (places.c.run_id.is_(None)) | (places.c.run_id != before_run),
            )
            .distinct()
        )
        regions: dict[str, set[tuple[str, str]]] = {}
        with self.engine.connect() as conn:
            for document_id, country_code, admin1 in conn.execute(query):
                regions.setdefault(document_id, set()).add((country_code, admin1))
        return {document_id: frozenset(pairs) for document_id, pairs in regions.items()}

    def outlet_region_counts(
        self, sources: Sequence[str]
    ) -> dict[str, tuple[int, dict[tuple[str, str], int]]]:
        """For each outlet: how many of its original documents name a local place, and how many name one
        in each (country code, first-level region): its home's evidence, counted by the database (one
        query for all the outlets, small answers, however many places they hold)."""
        from sitroom.nlp.places_home import LOCAL_FEATURES
        from sitroom.store import annotations as ann

        places, src = ann.places, schema.sources
        joined = places.join(_DOC, _DOC.c.id == places.c.document_id).join(src, src.c.id == _DOC.c.source_id)
        local = and_(
            src.c.name.in_(list(sources)),
            _DOC.c.duplicate_of.is_(None),
            places.c.feature.in_(LOCAL_FEATURES),
            places.c.country_code.is_not(None),
            places.c.admin1.is_not(None),
        )
        documents = func.count(func.distinct(places.c.document_id))
        out: dict[str, tuple[int, dict[tuple[str, str], int]]] = {}
        if not sources:
            return out
        with self.engine.connect() as conn:
            per_outlet = select(src.c.name, documents).select_from(joined).where(local).group_by(src.c.name)
            totals = dict(conn.execute(per_outlet).all())
            by_region = conn.execute(
                select(src.c.name, places.c.country_code, places.c.admin1, documents)
                .select_from(joined)
                .where(local)
                .group_by(src.c.name, places.c.country_code, places.c.admin1)
            )
            for name, country_code, admin1, count in by_region:
                out.setdefault(name, (totals[name], {}))[1][(country_code, admin1)] = count
        return out

    def iter_layer(
        self, layer: str, *, filters: dict[str, str | None] | None = None, limit: int | None = None
    ) -> Iterator[tuple[Document, object]]:
        """Annotations of one layer across the workspace, with their documents, in document order."""
        from sitroom.store import annotations as ann

        table = ann.ANNOTATION_TABLES[layer]
        cls = ann.LAYER_CLASSES[layer]
        query = (
            select(table)
            .where(*_layer_filters(table, filters or {}))
            .order_by(table.c.document_id, table.c.id)
        )
        if limit:
            query = query.limit(limit)
        cache: dict[str, Document] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        for row in rows:
            doc = cache.get(row.document_id)
            if doc is None:
                doc = cache[row.document_id] = self.get_document(row.document_id)
            yield doc, ann.row_to_annotation(cls, row)

    def processing_counts(self) -> list[tuple[str, str, int]]:
        from sitroom.store import annotations as ann

        table = ann.processing
        query = (
            select(table.c.component, table.c.status, func.count())
            .group_by(table.c.component, table.c.status)
            .order_by(table.c.component, table.c.status)
        )
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(query)]


class Store(AnnotationStore, AnalysisStore, ProgressStore, ReadStore, PeriodStore, RevisionStore, ImportStore):
    """Reads and writes workspace rows. Callers pass and get model dataclasses, never rows."""

    def __init__(self, engine: Engine, *, read_only: bool = False, resolve_entity: Callable | None = None) -> None:
        self.engine = engine
        # Every write transaction goes through this one (see writes_to): it queues for the lock.
        self.write_engine = writes_to(engine)
        self.read_only = read_only
        self.dialect = engine.dialect.name
        # Linking entities across documents is analysis policy, given by the caller (the workspace
        # gives sitroom.analyse.entity_resolution.resolve_entity); the store only does the writing.
        self.resolve_entity = resolve_entity

    def leases(self):
        """Leases on documents being analysed (:mod:`sitroom.store.leases`), so concurrent ``process``
        runs split the work; None on SQLite, which has one writer at a time."""
        if self.dialect != "postgresql":
            return None
        from sitroom.store.leases import DocumentLeases

        return DocumentLeases(self.write_engine)

    def needs_processing(self, document_id: str, components: Sequence[str]) -> bool:
        """Whether the document lacks a processing record for any of ``components``."""
        with self.engine.connect() as conn:
            return not _has_records(conn, document_id, components)

    @classmethod
    def open(cls, url: str, *, read_only: bool = False, resolve_entity: Callable | None = None) -> Store:
        engine = create_database_engine(url, read_only=read_only)
        try:
            migrations.migrate(engine, read_only=read_only)
        except WorkspaceError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            raise WorkspaceError("E003", f"cannot open database {url!r}: {exc}") from exc
        return cls(engine, read_only=read_only, resolve_entity=resolve_entity)

    def close(self) -> None:
        self.engine.dispose()

    # --- documents -----------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(_HAS_DOCUMENT, {"id": document_id}).first() is not None

    def raw_ref(self, document_id: str) -> RawRef | None:
        query = select(_DOC.c.raw_file, _DOC.c.raw_offset, _DOC.c.raw_size).where(_DOC.c.id == document_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or not row.raw_file:
            return None
        return RawRef(row.raw_file, row.raw_offset, row.raw_size)

    def writer(self, *, commit_every: int = 64, commit_seconds: float = 1.0) -> DocumentWriter:
        """A writer for a stream of documents (ingest): see :class:`DocumentWriter`."""
        return DocumentWriter(self.write_engine, commit_every=commit_every, commit_seconds=commit_seconds)

    def add_document(self, doc: Document, *, raw: RawRef | int, bands: Iterable[str], run_id: str) -> bool:
        """Store one document in its own transaction. False if a document with its id exists."""
        with self.writer(commit_every=1) as writer:
            return writer.add_document(doc, raw=raw, bands=bands, run_id=run_id)

    def find_text_hash(self, text_hash: str) -> str | None:
        # Reads only: the plain engine, so no write lock is taken (and a read-only workspace answers).
        with DocumentWriter(self.engine) as reader:
            return reader.find_text_hash(text_hash)

    def find_band_candidates(
        self, bands: Sequence[str], *, limit: int = 20
    ) -> list[tuple[str, str, str | None]]:
        with DocumentWriter(self.engine) as reader:
            return reader.find_band_candidates(bands, limit=limit)

    def get_document(self, id_or_prefix: str) -> Document:
        """A document by id or unique id prefix (at least 4 characters)."""
        key = id_or_prefix.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{4,16}", key):
            raise NotFoundError("E040", f"{id_or_prefix!r} is not a document id (4–16 hex digits)")
        # Ids are lower-case hex, so a prefix is the range [key, key + "g"): the primary key's index
        # answers it, where SQLite's (case-insensitive) LIKE scanned every document.
        match = _DOC.c.id == key if len(key) == 16 else and_(_DOC.c.id >= key, _DOC.c.id < key + "g")
        query = _select_documents().where(match).limit(2)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFoundError("E040", f"no document with id {id_or_prefix!r}; `sitroom status` lists them")
        if len(rows) > 1:
            raise NotFoundError("E040", f"id prefix {id_or_prefix!r} is ambiguous; give more digits")
        return _document_from_row(rows[0])

    def iter_documents(
        self, *, include_duplicates: bool = True, batch: int = 500, where=None
    ) -> Iterator[Document]:
        """All documents (those matching the SQL condition ``where``, if given) in ingest order, read
        in batches so memory stays bounded."""
        last: tuple[str, str] | None = None
        while True:
            query = _select_documents().order_by(_DOC.c.ingested_at, _DOC.c.id).limit(batch)
            if where is not None:
                query = query.where(where)
            if not include_duplicates:
                query = query.where(_DOC.c.duplicate_of.is_(None))
            if last is not None:
                query = query.where(
                    (_DOC.c.ingested_at > last[0]) | ((_DOC.c.ingested_at == last[0]) & (_DOC.c.id > last[1]))
                )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _document_from_row(row)
            if len(rows) < batch:
                # A short page was the last: asking again would only scan the table once more (a
                # document ingested since is the next read's).
                return
            last = (rows[-1].ingested_at, rows[-1].id)

    def count_documents(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(_DOC)).scalar_one()
            dups = conn.execute(
                select(func.count()).select_from(_DOC).where(_DOC.c.duplicate_of.is_not(None))
            ).scalar_one()
            sources = conn.execute(select(func.count()).select_from(schema.sources)).scalar_one()
        return {"documents": total, "duplicates": dups, "originals": total - dups, "sources": sources}

    def count_by(self, column: str) -> list[tuple[str | None, int]]:
        """Document counts grouped by a column of the overview (source, language, format …)."""
        if column == "source":
            key = schema.sources.c.name
            query = select(key, func.count()).select_from(
                _DOC.outerjoin(schema.sources, _DOC.c.source_id == schema.sources.c.id)
            )
        else:
            key = _DOC.c[column]
            query = select(key, func.count()).select_from(_DOC)
        query = query.group_by(key).order_by(func.count().desc())
        with self.engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(query)]

    # --- search --------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        if not query.strip():
            raise InputError("E041", "empty search query")
        if self.dialect == "sqlite":
            try:
                return self._search_sqlite(query, limit)
            except OperationalError:
                # FTS5 syntax the user did not mean (a stray quote, a hyphen): search the words.
                words = re.findall(r"\w+", query)
                if not words:
                    raise InputError("E041", f"no searchable words in {query!r}") from None
                return self._search_sqlite(" ".join(f'"{w}"' for w in words), limit)
        return self._search_postgres(query, limit)

    def _search_sqlite(self, query: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT d.id, d.title, s.name AS source, d.published, "
            "snippet(documents_fts, 1, '[', ']', '…', 16) AS snippet, bm25(documents_fts, 5.0, 1.0) AS rank "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "LEFT JOIN sources s ON s.id = d.source_id "
            "WHERE documents_fts MATCH :query ORDER BY rank LIMIT :limit"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(sql, {"query": query, "limit": limit}).all()
        return [
            SearchHit(
                document_id=r.id,
                title=r.title,
                source=r.source,
                published=r.published,
                snippet=r.snippet,
                score=-float(r.rank),
            )
            for r in rows
        ]

    def _search_postgres(self, query: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT d.id, d.title, s.name AS source, d.published, "
            "ts_headline('english', d.text, q, 'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet, "
            "ts_rank(d.search_vector, q) AS rank "
            "FROM documents d LEFT JOIN sources s ON s.id = d.source_id, "
            "websearch_to_tsquery('english', :query) q "
            "WHERE d.search_vector @@ q ORDER BY rank DESC LIMIT :limit"
        )
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(sql, {"query": query, "limit": limit}).all()
        except ProgrammingError as exc:
            raise InputError("E041", f"cannot search for {query!r}: {exc.orig}") from exc
        return [
            SearchHit(
                document_id=r.id,
                title=r.title,
                source=r.source,
                published=r.published,
                snippet=r.snippet,
                score=float(r.rank),
            )
            for r in rows
        ]

    # --- runs and problems ---------------------------------------------------------------------

    def start_run(self, run_id: str, *, kind: str, arguments: dict) -> None:
        with self.write_engine.begin() as conn:
            conn.execute(
                schema.runs.insert().values(
                    id=run_id, kind=kind, started_at=utc_now(), arguments=json.dumps(arguments)
                )
            )

    def finish_run(self, run_id: str, *, counts: dict[str, int]) -> None:
        with self.write_engine.begin() as conn:
            conn.execute(
                schema.runs.update().where(schema.runs.c.id == run_id).values(finished_at=utc_now(), **counts)
            )

    def add_problem(self, run_id: str, problem: Problem) -> None:
        with self.write_engine.begin() as conn:
            conn.execute(
                schema.problems.insert().values(
                    run_id=run_id,
                    code=problem.code,
                    kind=problem.kind,
                    origin=problem.origin,
                    locator=problem.locator,
                    reason=problem.reason,
                    at=utc_now(),
                )
            )

    def problems_of(self, run_id: str) -> list[Problem]:
        table = schema.problems
        query = select(table).where(table.c.run_id == run_id).order_by(table.c.id)
        with self.engine.connect() as conn:
            return [
                Problem(origin=r.origin, locator=r.locator, code=r.code, kind=r.kind, reason=r.reason)
                for r in conn.execute(query)
            ]


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", url, re.IGNORECASE)
    return match.group(1).lower() if match else None


def document_row(doc: Document, source_id: int | None, raw: RawRef | int, run_id: str) -> dict:
    pub = doc.published
    ref = raw if isinstance(raw, RawRef) else RawRef("", 0, raw)
    return {
        "id": doc.id,
        "source_id": source_id,
        "source_basis": doc.source_basis,
        "url": doc.url,
        "title": doc.title,
        "author": doc.author,
        "author_role": doc.author_role,
        "dateline": doc.dateline,
        "language": doc.language,
        "published": pub.value,
        "published_precision": pub.precision,
        "published_basis": pub.basis,
        "published_earliest": pub.earliest,
        "published_latest": pub.latest,
        "published_evidence": pub.evidence,
        "published_implausible": pub.implausible,
        "text": doc.text,
        "text_hash": doc.text_hash or "",
        "duplicate_of": doc.duplicate_of,
        "duplicate_reason": doc.duplicate_reason,
        "removed_lines": json.dumps([asdict(line) for line in doc.removed], ensure_ascii=False),
        "format": doc.format,
        "origin": doc.origin,
        "locator": doc.locator,
        "raw_file": ref.file or None,
        "raw_offset": ref.offset if ref.file else None,
        "raw_size": ref.size,
        "cleaner": doc.cleaner,
        "extra": json.dumps(doc.extra, ensure_ascii=False, default=str),
        "run_id": run_id,
        "ingested_at": doc.ingested_at or utc_now(),
    }


def _select_documents():
    return select(_DOC, schema.sources.c.name.label("source_name")).select_from(
        _DOC.outerjoin(schema.sources, _DOC.c.source_id == schema.sources.c.id)
    )


def _document_from_row(row) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        origin=row.origin,
        format=row.format,
        locator=row.locator,
        title=row.title,
        url=row.url,
        author=row.author,
        author_role=row.author_role,
        source=row.source_name,
        source_basis=row.source_basis,
        dateline=row.dateline,
        language=row.language,
        published=Published(
            value=row.published,
            precision=row.published_precision,
            basis=row.published_basis,
            earliest=row.published_earliest,
            latest=row.published_latest,
            evidence=row.published_evidence,
            implausible=row.published_implausible,
        ),
        removed=[RemovedLine(**line) for line in json.loads(row.removed_lines or "[]")],
        text_hash=row.text_hash,
        duplicate_of=row.duplicate_of,
        duplicate_reason=row.duplicate_reason,
        ingested_at=row.ingested_at,
        cleaner=row.cleaner,
        extra=json.loads(row.extra or "{}"),
    )


def _layer_filters(table, filters: dict[str, str | None]):
    conditions = []
    for column, value in filters.items():
        if value is None:
            continue
        if column not in table.c:
            raise InputError("E041", f"cannot filter on {column!r}")
        conditions.append(table.c[column] == value)
    return conditions
