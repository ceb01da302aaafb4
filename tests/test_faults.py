"""Faults under a write: a full disk during ingest and process, a document that breaks the
cross-document update. Each stops or records cleanly, with its cause; nothing is half-written."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from sitroom import Workspace
from sitroom.errors import StorageError
from tests.test_crash_recovery import write_corpus


def _limit_pages(ws: Workspace, extra_pages: int) -> None:
    """Make the database 'full' a few pages from now (SQLite's max_page_count gives SQLITE_FULL,
    exactly what a full disk gives), for every connection opened from here on."""
    with sqlite3.connect(ws.location.sqlite_path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]

    def limit(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + extra_pages}")

    event.listen(ws.store.engine, "connect", limit)
    ws.store.engine.dispose()


def _count(ws_path) -> tuple[int, int]:
    with sqlite3.connect(ws_path / "sitroom.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        return conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone()


def test_disk_full_during_ingest_stops_with_its_cause_and_a_rerun_completes(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_corpus(first, 20, seed=1, prefix="Alpha")
    write_corpus(second, 300, seed=2, prefix="Bravo")
    path = tmp_path / "ws"
    with Workspace.init(path) as ws:
        ws.ingest([str(first)])
        _limit_pages(ws, 40)
        with pytest.raises(StorageError) as caught:
            ws.ingest([str(second)])
    message = str(caught.value)
    assert message.startswith("E004: storage failed: the disk is full")
    assert "PendingRollback" not in message and "rerun" in message
    stored, distinct = _count(path)
    assert stored == distinct and 20 <= stored < 320
    assert "E031" not in message
    # Space again: the rerun adds exactly the rest.
    with Workspace.open(path) as ws:
        summary = ws.ingest([str(second)])
    assert summary.already_present == stored - 20
    assert summary.ingested + summary.duplicates == 320 - stored
    assert _count(path) == (320, 320)


def test_disk_full_writing_raw_bytes_is_a_storage_error(tmp_path, monkeypatch):
    from sitroom.store.raw import RawPackWriter

    corpus = tmp_path / "a.jsonl"
    write_corpus(corpus, 10)

    def full(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RawPackWriter, "append", full)
    with Workspace.init(tmp_path / "ws") as ws, pytest.raises(StorageError, match="No space left"):
        ws.ingest([str(corpus)])
    assert _count(tmp_path / "ws") == (0, 0)


def test_any_write_on_a_full_disk_is_a_storage_error_not_a_traceback(tmp_path):
    """Every write of the store (process, analyse, runs) goes through the same translation."""
    with Workspace.init(tmp_path / "ws") as ws:
        _limit_pages(ws, 0)
        with pytest.raises(StorageError, match="E004: storage failed: the disk is full"):
            for number in range(200):
                ws.store.start_run(f"run-{number}", kind="process", arguments={"pad": "x" * 100_000})
