"""kill -9 in the middle of a 2,000-document ingest, then a rerun: every document exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow

WORDS = [
    "army",
    "border",
    "talks",
    "ceasefire",
    "convoy",
    "minister",
    "embassy",
    "rebels",
    "village",
    "shelling",
    "report",
    "agency",
    "governor",
    "province",
    "airport",
    "bridge",
    "election",
    "protest",
    "refugees",
    "harvest",
    "market",
    "drought",
    "court",
    "police",
    "river",
    "port",
]


def write_corpus(path, count: int, *, seed: int = 7, prefix: str = "Dispatch") -> None:
    rng = random.Random(seed)
    with path.open("w") as handle:
        for i in range(count):
            words = " ".join(rng.choice(WORDS) for _ in range(120))
            record = {
                "title": f"{prefix} {i}",
                "text": f"{prefix} number {i}. {words.capitalize()}.",
                "source": "Wire",
            }
            handle.write(json.dumps(record) + "\n")


def count_documents(db) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_then_rerun_stores_each_document_once(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 2000)
    ws = tmp_path / "ws"
    command = [sys.executable, "-m", "sitroom", "ingest", str(corpus), "-w", str(ws), "--json"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = ws / "sitroom.db"
    deadline = time.monotonic() + 120
    while count_documents(db) < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = count_documents(db)
    assert 0 < stored < 2000

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    summary = json.loads(rerun.stdout)
    assert summary["already_present"] == stored
    assert summary["ingested"] + summary["duplicates"] == 2000 - stored
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (2000, 2000)
        titles = conn.execute("SELECT count(DISTINCT title) FROM documents").fetchone()[0]
        assert titles == 2000
        # The full-text index moved in step with the rows.
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert (
            conn.execute(
                "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'dispatch'"
            ).fetchone()[0]
            == 2000
        )
