"""Which documents the cross-document update has taken in, and the lock that serialises it.

A document is *analysed* when the cross-document update (stories, links, question evidence) has
finished with it; the mark is written in one transaction for a whole update, and dropped in the
transaction that replaces the document's annotations. So after any interruption (a kill between the
pipeline and the update, or in the middle of the update) the documents without a mark are exactly
those whose derived state may be missing or partial, and the next ``process`` or ``analyse`` takes
them again, in ingest order, after forgetting their half-made links: the end state is the one an
uninterrupted run reaches.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import Column, ForeignKey, String, Table, Text, delete, exists, or_, select, text

from sitroom.errors import WorkspaceError
from sitroom.store.schema import documents, metadata

analysed_documents = Table(
    "analysed_documents",
    metadata,
    Column("document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(8), nullable=False),  # done | failed (E061, reason given)
    Column("reason", Text),
    Column("run_id", String(40)),
    Column("at", String(32), nullable=False),
)
TABLES_STEP_7 = [analysed_documents]
# Any constant shared by every sitroom process: the PostgreSQL advisory lock of the update.
_POSTGRES_LOCK_KEY = 0x5172_0001


class ProgressStore:
    """Mixin for :class:`~sitroom.store.database.Store`."""

    engine: object
    write_engine: object
    read_only: bool

    def documents_to_analyse(self, *, upto: tuple[str | None, str] | None = None) -> list[str]:
        """Ids of the processed documents (any processing record) the cross-document update has not
        finished with, in ingest order: the order documents join the clusterer and get linked in
        decides the result, so it is the same for an uninterrupted run and one catching up. ``upto``
        (ingested_at, id): only those up to that document in ingest order."""
        from sitroom.store.annotations import processing

        # Correlated, the rarer condition first: the database walks the documents in ingest order
        # (ix_documents_ingested) and probes two primary keys for each, rather than listing every
        # processing record of the workspace to test membership (a quarter the time at 20k).
        query = (
            select(documents.c.id)
            .where(
                ~exists().where(analysed_documents.c.document_id == documents.c.id),
                exists().where(processing.c.document_id == documents.c.id),
            )
            .order_by(documents.c.ingested_at, documents.c.id)
        )
        if upto is not None:
            at, last = upto
            query = query.where(
                (documents.c.ingested_at < at) | ((documents.c.ingested_at == at) & (documents.c.id <= last))
            )
        with self.engine.connect() as conn:
            return [row.id for row in conn.execute(query)]

    def mark_analysed(
        self, outcomes: Sequence[tuple[str, str, str | None]], *, run_id: str | None, now: str
    ) -> None:
        """Record (document_id, status, reason) for each document the update finished with."""
        ids = [doc_id for doc_id, _, _ in outcomes]
        if not ids:
            return
        with self.write_engine.begin() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                conn.execute(delete(analysed_documents).where(analysed_documents.c.document_id.in_(chunk)))
            conn.execute(
                analysed_documents.insert(),
                [
                    {"document_id": d, "status": s, "reason": r, "run_id": run_id, "at": now}
                    for d, s, r in outcomes
                ],
            )

    def forget_analysed(self) -> None:
        """Every document due for the cross-document update again (``analyse --all``)."""
        with self.write_engine.begin() as conn:
            conn.execute(delete(analysed_documents))

    def forget_links_of(self, document_ids: Sequence[str]) -> None:
        """Drop the blocking keys and open links of documents about to be linked again, so none of
        them sees another's half-made keys from an interrupted update (confirmed and dismissed links
        are the analyst's and stay)."""
        from sitroom.store.analysis import link_items, link_keys, links

        with self.write_engine.begin() as conn:
            for start in range(0, len(document_ids), 500):
                chunk = list(document_ids[start : start + 500])
                conn.execute(delete(link_keys).where(link_keys.c.document_id.in_(chunk)))
                conn.execute(delete(link_items).where(link_items.c.document_id.in_(chunk)))
                conn.execute(
                    delete(links).where(
                        or_(links.c.a_document.in_(chunk), links.c.b_document.in_(chunk)),
                        links.c.status == "open",
                    )
                )

    @contextlib.contextmanager
    def update_lock(self) -> Iterator[None]:
        """Held for the whole cross-document update: two ``process`` runs on one workspace take turns
        (the second finds the first's work done), instead of each clustering from the same saved
        state and overwriting the other's stories. Released by the operating system (SQLite: a file
        lock) or the server (PostgreSQL: a session advisory lock) if the holder is killed."""
        if self.read_only:
            raise WorkspaceError("E005", "this workspace is open read-only: the analysis cannot be updated")
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _POSTGRES_LOCK_KEY})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _POSTGRES_LOCK_KEY})
                    conn.commit()
            return
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield
            return
        try:
            import fcntl
        except ImportError:  # no POSIX locks (Windows): one process at a time is the user's to keep
            yield
            return
        lock_path = update_lock_path(Path(database))
        with open(lock_path, "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def update_lock_path(database: Path) -> Path:
    """The lock file of a SQLite workspace's cross-document update, beside the database."""
    return database.with_name(database.name + "-update.lock")


def mark_processed_as_analysed(conn, *, now: str) -> None:
    """Migration helper: a workspace from before the marks took every processed document in."""
    conn.execute(
        text(
            "INSERT INTO analysed_documents (document_id, status, run_id, at) "
            "SELECT DISTINCT document_id, 'done', NULL, :now FROM processing"
        ),
        {"now": now},
    )
