"""Writing a stream of documents: one connection, whole documents grouped into short transactions.

Each document (its row, source, search-index entry and near-duplicate bands) is written inside a
savepoint, so it is all there or not there at all; savepoints are committed together every
``commit_every`` documents or ``commit_seconds``, whichever comes first. Committing each document on
its own costs a third of the ingest time in SQLite's commit path alone; a kill loses at most the last
uncommitted group, which a rerun stores again. Reads go through the same connection, so a document
sees the uncommitted ones before it (near-duplicates inside one batch are found).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from sitroom.model import Document, Problem
from sitroom.store import schema
from sitroom.store.raw import RawRef

_DOC = schema.documents
# Built once: the ingest hot path runs these per document, and a prebuilt statement skips
# SQLAlchemy's per-call construction and cache-key work.
_HAS_DOCUMENT = select(_DOC.c.id).where(_DOC.c.id == bindparam("id"))
_FIND_TEXT_HASH = (
    select(_DOC.c.id, _DOC.c.duplicate_of)
    .where(_DOC.c.text_hash == bindparam("text_hash"))
    .order_by(_DOC.c.ingested_at, _DOC.c.id)
    .limit(1)
)
_SHARED = func.count().label("shared")
_BAND_CANDIDATES = (
    select(schema.dedup_bands.c.document_id, _SHARED)
    .where(schema.dedup_bands.c.band.in_(bindparam("bands", expanding=True)))
    .group_by(schema.dedup_bands.c.document_id)
    .order_by(_SHARED.desc())
    .limit(bindparam("limit"))
)
_CANDIDATE_TEXTS = select(_DOC.c.id, _DOC.c.text, _DOC.c.duplicate_of).where(
    _DOC.c.id.in_(bindparam("ids", expanding=True))
)
_FIND_SOURCE = select(schema.sources.c.id).where(schema.sources.c.name == bindparam("name"))
_INSERT_SOURCE = schema.sources.insert()
_INSERT_DOCUMENT = _DOC.insert()
_INSERT_BANDS = schema.dedup_bands.insert()
_INSERT_PROBLEM = schema.problems.insert()


class DocumentWriter:
    """Use as a context manager; leaving it commits what is pending (or rolls back on an error).

    The write lock is taken at the first write after a commit (``BEGIN IMMEDIATE``, see
    store/database.py) and released at the next commit, so between groups, and while it only reads,
    the writer leaves the workspace to other writers; reads outside a group are plain (deferred)."""

    def __init__(self, engine: Engine, *, commit_every: int = 64, commit_seconds: float = 1.0) -> None:
        self.engine = engine
        self.commit_every = max(1, commit_every)
        self.commit_seconds = commit_seconds
        self._conn = None
        self._writing = False
        self._pending = 0
        self._pending_documents = 0
        self.committed = 0  # documents committed so far (a storage failure loses only the pending ones)
        self._since = time.monotonic()
        # Called before every commit: the ingest loop makes the raw pack durable here, so a committed
        # row never points at bytes a power loss could still take (see store/raw.py).
        self.before_commit: Callable[[], None] | None = None

    def __enter__(self) -> DocumentWriter:
        from sitroom.store.database import WRITE_OPTION

        self._conn = self.engine.connect()
        self._conn.execution_options(**{WRITE_OPTION: False})
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            transaction = self._conn.get_transaction()
            if transaction is None:
                pass
            elif exc_type is None or not issubclass(exc_type, Exception):
                # KeyboardInterrupt too: what is whole is kept, as a kill between commits would not.
                if self.before_commit is not None:
                    self.before_commit()
                transaction.commit()
                self.committed += self._pending_documents
            else:
                _rollback_quietly(transaction, exc)
        finally:
            self._conn.close()

    @property
    def pending(self) -> int:
        """Documents written but not yet committed."""
        return self._pending_documents

    def commit(self) -> None:
        from sitroom.store.database import WRITE_OPTION

        if self._conn.in_transaction():
            if self.before_commit is not None:
                self.before_commit()
            self._conn.commit()
        self.committed += self._pending_documents
        self._conn.execution_options(**{WRITE_OPTION: False})
        self._writing = False
        self._pending = 0
        self._pending_documents = 0

    def _start_writing(self) -> None:
        """Before a write: end a read transaction (it cannot be upgraded safely) and begin one that
        holds the write lock, waiting for it if another process has it."""
        from sitroom.store.database import WRITE_OPTION

        if self._writing:
            return
        if self._conn.in_transaction():
            self._conn.commit()
        self._conn.execution_options(**{WRITE_OPTION: True})
        self._conn.begin()
        self._writing = True
        self._since = time.monotonic()

    def _after_write(self) -> None:
        self._pending += 1
        if self._pending >= self.commit_every or time.monotonic() - self._since >= self.commit_seconds:
            self.commit()

    def _commit_if_due(self) -> None:
        """Called before each document is cleaned (which may take long): a group open for
        ``commit_seconds`` is committed first, so the write lock is not held through the cleaning."""
        if self._writing and time.monotonic() - self._since >= self.commit_seconds:
            self.commit()

    # --- reads ---------------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        self._commit_if_due()
        return self._conn.execute(_HAS_DOCUMENT, {"id": document_id}).first() is not None

    def find_text_hash(self, text_hash: str) -> str | None:
        """The original (non-duplicate) document with this normalised-text hash, if any."""
        row = self._conn.execute(_FIND_TEXT_HASH, {"text_hash": text_hash}).first()
        if row is None:
            return None
        return row.duplicate_of or row.id

    def find_band_candidates(
        self, bands: Sequence[str], *, limit: int = 20
    ) -> list[tuple[str, str, str | None]]:
        """Documents sharing at least one LSH band: (id, text, duplicate_of), most shared first."""
        if not bands:
            return []
        ids = [
            r.document_id
            for r in self._conn.execute(_BAND_CANDIDATES, {"bands": list(bands), "limit": limit})
        ]
        if not ids:
            return []
        rows = self._conn.execute(_CANDIDATE_TEXTS, {"ids": ids}).all()
        order = {doc_id: i for i, doc_id in enumerate(ids)}
        return sorted(((r.id, r.text, r.duplicate_of) for r in rows), key=lambda r: order[r[0]])

    # --- writes --------------------------------------------------------------------------------

    def add_document(self, doc: Document, *, raw: RawRef | int, bands: Iterable[str], run_id: str) -> bool:
        """Store ``doc`` whole (savepoint). False if a document with its id exists already."""
        from sitroom.store.database import document_row

        self._start_writing()
        savepoint = self._conn.begin_nested()
        try:
            source_id = self._ensure_source(doc.source, doc.url)
            self._conn.execute(_INSERT_DOCUMENT, document_row(doc, source_id, raw, run_id))
            band_rows = [{"band": band, "document_id": doc.id} for band in set(bands)]
            if band_rows:
                self._conn.execute(_INSERT_BANDS, band_rows)
        except IntegrityError:
            savepoint.rollback()
            # Another writer stored the same bytes first (or a rerun after a crash): nothing to add.
            if self.has_document(doc.id):
                return False
            raise
        except BaseException as exc:
            _rollback_quietly(savepoint, exc)
            raise
        savepoint.commit()
        self._pending_documents += 1
        self._after_write()
        return True

    def _ensure_source(self, name: str | None, url: str | None) -> int | None:
        if not name:
            return None
        row = self._conn.execute(_FIND_SOURCE, {"name": name}).first()
        if row is not None:
            return int(row.id)
        from sitroom.store.database import domain_of, utc_now

        result = self._conn.execute(
            _INSERT_SOURCE, {"name": name, "domain": domain_of(url), "created_at": utc_now()}
        )
        return int(result.inserted_primary_key[0])

    def add_problem(self, run_id: str, problem: Problem) -> None:
        from sitroom.store.database import utc_now

        self._start_writing()
        self._conn.execute(
            _INSERT_PROBLEM,
            {
                "run_id": run_id,
                "code": problem.code,
                "kind": problem.kind,
                "origin": problem.origin,
                "locator": problem.locator,
                "reason": problem.reason,
                "at": utc_now(),
            },
        )
        self._after_write()


def _rollback_quietly(transaction, cause: BaseException | None) -> None:
    """Roll back; when the database already did (SQLite rolls back the whole transaction on a full
    disk), the rollback's own error would hide the cause, so it is dropped in favour of ``cause``."""
    try:
        transaction.rollback()
    except Exception:
        if cause is None:
            raise
