"""Concurrent writers on one workspace: two ingests queue for the write lock instead of failing, and
two ``process`` runs neither duplicate nor lose work."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_crash_recovery import write_corpus

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _ingest(corpus: Path, ws: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "sitroom", "ingest", str(corpus), "-w", str(ws), "--json"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


def test_two_ingests_into_one_sqlite_workspace_queue_for_the_lock(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_corpus(first, 400, seed=1, prefix="Alpha")
    write_corpus(second, 400, seed=2, prefix="Bravo")
    ws = tmp_path / "ws"
    subprocess.run([sys.executable, "-m", "sitroom", "init", str(ws)], check=True, env=_env())
    procs = [_ingest(first, ws), _ingest(second, ws)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr[-2000:]
        summary = json.loads(stdout)
        assert summary["ingested"] + summary["duplicates"] == 400
        assert not summary["problems"]
    with sqlite3.connect(ws / "sitroom.db") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (800, 800)
        assert conn.execute("SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()[0] == 0


def test_two_processes_opening_a_new_workspace_at_once_both_migrate_it(tmp_path):
    ws = tmp_path / "fresh"
    code = "from sitroom import Workspace; import sys; Workspace.init(sys.argv[1]).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(ws)], stderr=subprocess.PIPE, text=True, env=_env())
        for _ in range(3)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr[-2000:]
