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


def _locations(tmp_path, postgres_url: str | None) -> tuple[str, str]:
    """Two fresh workspaces (reference, contended): SQLite folders, or PostgreSQL databases."""
    if postgres_url is None:
        return str(tmp_path / "reference"), str(tmp_path / "contended")
    import uuid

    import sqlalchemy as sa

    names = ["sitroom_conc_" + uuid.uuid4().hex[:8] for _ in range(2)]
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return tuple(postgres_url.rsplit("/", 1)[0] + "/" + name for name in names)


def _process(location: str, raw: Path) -> subprocess.Popen:
    code = (
        "import json, sys; from dataclasses import asdict; from sitroom import Workspace\n"
        "with Workspace.open(sys.argv[1], raw_dir=sys.argv[2]) as ws:\n"
        "    print(json.dumps(asdict(ws.process())))"
    )
    command = [sys.executable, "-c", code, location, str(raw)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_process_runs_at_once_neither_duplicate_nor_lose_work(tmp_path, database):
    from benchmarks.faults import QUESTION, fingerprint, write_news_corpus

    postgres_url = os.environ.get("SITROOM_TEST_POSTGRES_URL")
    if database == "postgresql" and not postgres_url:
        pytest.skip("no PostgreSQL server (set SITROOM_TEST_POSTGRES_URL)")
    corpus = tmp_path / "news.jsonl"
    write_news_corpus(corpus, 12)
    reference, contended = _locations(tmp_path, postgres_url if database == "postgresql" else None)
    for location in (reference, contended):
        from sitroom import Workspace

        with Workspace.init(location, raw_dir=tmp_path / "raw") as ws:
            ws.ingest([str(corpus)])
            ws.add_question(QUESTION)
    alone = _process(reference, tmp_path / "raw")
    assert alone.wait(timeout=600) == 0, alone.stderr.read()[-2000:]
    runs = [_process(contended, tmp_path / "raw") for _ in range(2)]
    summaries = []
    for proc in runs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-2000:]
        summaries.append(json.loads(stdout))
    # Each document processed by one run or the other (a run that finds one done skips it).
    assert sum(s["processed"] for s in summaries) == 12
    assert fingerprint(contended) == fingerprint(reference)
