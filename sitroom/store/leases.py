"""Leases on documents being analysed, so that concurrent ``process`` runs on one PostgreSQL workspace
split the backlog instead of analysing the same documents twice.

Saving was already safe (``save_analysis(only_missing=True)`` writes a document once, whichever run
comes second), but two runs that read the same backlog both analysed every document, and one of them
threw its work away. A lease is a PostgreSQL session advisory lock keyed by the document id, taken
before the document goes to the pipeline and released once its annotations are saved. A run passes
over a document another run holds, tries it once more at the end of its backlog, and leaves it to the
holder if it is still held: waiting there would deadlock, since each run holds the documents of the
batch it is filling while it looks for the next. A run that dies loses its session and with it its
leases, so no lease is ever left stale; what it did not save stays in the backlog for the next run,
as after any interrupted run. No table, no clean-up.

SQLite needs none of this: it has one writer at a time, and ``process`` on SQLite is a single-machine
affair (see docs/deploy.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import text
from sqlalchemy.engine import Engine

from sitroom.model import Document


def _key(document_id: str) -> int:
    """A signed 64-bit lock key. Two ids sharing one would only leave a document to the next run; at
    64 bits that is vanishingly rare (about 1e-12 over a million documents with a hundred in flight)."""
    return int.from_bytes(hashlib.blake2b(document_id.encode(), digest_size=8).digest(), "big", signed=True)


class DocumentLeases:
    """The leases one ``process`` run holds, on its own database session (closed by :meth:`close`)."""

    def __init__(self, engine: Engine) -> None:
        self._conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._held: set[str] = set()

    def _call(self, function: str, document_id: str) -> bool:
        query = text(f"SELECT {function}(CAST(:key AS bigint))")
        return bool(self._conn.execute(query, {"key": _key(document_id)}).scalar())

    def claim(self, docs: Iterable[Document], needed: Callable[[str], bool]) -> Iterator[Document]:
        """The documents of ``docs`` this run should analyse, each leased: first those no other run
        holds, then, at the end, those another run held and has since let go, if ``needed(id)`` says
        they still lack their annotations. Documents already processed are left out."""
        deferred: list[Document] = []  # bounded by the other runs' documents in flight

        def wanted(doc: Document) -> bool:
            """Whether this run leased ``doc`` and it still needs analysing (else the lease is let go)."""
            if needed(doc.id):
                return True
            self.release(doc.id)
            return False

        for doc in docs:
            if not self._take(doc.id):
                deferred.append(doc)
            elif wanted(doc):
                yield doc
        for doc in deferred:
            # still held: its holder is analysing it (or, if it dies, the next run will)
            if self._take(doc.id) and wanted(doc):
                yield doc

    def _take(self, document_id: str) -> bool:
        if document_id in self._held:
            return True
        if self._call("pg_try_advisory_lock", document_id):
            self._held.add(document_id)
            return True
        return False

    def release(self, document_id: str) -> None:
        """Let go of a document (after its annotations are saved, or when it is not needed)."""
        if document_id in self._held:
            self._held.discard(document_id)
            self._call("pg_advisory_unlock", document_id)

    def close(self) -> None:
        """Release every lease. The connection goes back to the pool, where its session (and with it
        a session lock) would live on, so the locks are dropped explicitly first."""
        self._held.clear()
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
        finally:
            self._conn.close()
