"""The CLI in-process (Typer's runner) and end to end on the demo corpus."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from sitroom.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_help_lists_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("init", "ingest", "status", "show", "search", "demo"):
        assert command in result.output
    for command in ("init", "ingest", "status", "show", "search", "demo"):
        assert invoke(command, "--help").exit_code == 0


def test_init_ingest_status_show_search(tmp_path, demo_corpus):
    ws = str(tmp_path / "ws")
    assert invoke("init", ws).exit_code == 0
    result = invoke("ingest", str(demo_corpus), "-w", ws, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["ingested"] == 5 and summary["problems"] == []

    again = json.loads(invoke("ingest", str(demo_corpus), "-w", ws, "--json").stdout)
    assert (again["ingested"], again["already_present"]) == (0, 5)

    status = json.loads(invoke("status", "-w", ws, "--json").stdout)
    assert status["documents"] == 5

    hits = json.loads(invoke("search", "Lavrov", "-w", ws, "--json").stdout)
    assert len(hits) == 1
    shown = invoke("show", hits[0]["document_id"][:8], "-w", ws, "--removed")
    assert shown.exit_code == 0
    assert "Lavrov" in shown.stdout
    doc = json.loads(invoke("show", hits[0]["document_id"], "-w", ws, "--json").stdout)
    assert doc["published"]["implausible"]


def test_partial_batch_exits_1_and_lists_problems(tmp_path):
    (tmp_path / "ok.txt").write_text(
        "Title\n\nSome body text about a ceasefire in the north of the country.\n"
    )
    (tmp_path / "empty.txt").write_text("")
    result = invoke("ingest", str(tmp_path), "-w", str(tmp_path / "ws"))
    assert result.exit_code == 1
    assert "empty.txt" in result.stdout and "1 ingested" in result.stdout


def test_missing_workspace_exit_3(tmp_path):
    result = invoke("status", "-w", str(tmp_path / "none"))
    assert result.exit_code == 3
    assert "E001" in result.stderr


def test_unknown_document_exit_4(tmp_path, demo_corpus):
    ws = str(tmp_path / "ws")
    invoke("ingest", str(demo_corpus), "-w", ws)
    result = invoke("show", "ffffffff", "-w", ws)
    assert result.exit_code == 4


def test_bad_map_is_a_usage_error(tmp_path):
    result = invoke("ingest", "x.csv", "--map", "body", "-w", str(tmp_path / "ws"))
    assert result.exit_code == 2
    assert "E023" in result.stderr


def test_demo_end_to_end(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sitroom", "demo", "--path", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "5 ingested" in result.stdout
    assert "IMPLAUSIBLE" in result.stdout or "date flagged" in result.stdout
    # A second demo run starts fresh rather than piling up.
    again = subprocess.run(
        [sys.executable, "-m", "sitroom", "demo", "--path", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "5 ingested" in again.stdout


def test_process_share_backlog_is_accepted_and_changes_nothing_on_sqlite(tmp_path):
    # On SQLite (one writer at a time) there is nothing to split: the flag is accepted and the run is
    # an ordinary one. Splitting between PostgreSQL runs is tested in tests/test_leases.py.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wire.txt").write_text(
        "Talks resume in Geneva\n\nThe foreign minister said on Monday that talks would resume in Geneva.\n"
    )
    ws = str(tmp_path / "ws")
    assert invoke("ingest", str(tmp_path / "in"), "-w", ws).exit_code == 0
    result = invoke("process", "-w", ws, "--share-backlog", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["processed"] == 1
    again = json.loads(invoke("process", "-w", ws, "--share-backlog", "--json").stdout)
    assert again["processed"] == 0
