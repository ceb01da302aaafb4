"""A workspace on read-only media: queries work, every write is refused with E005."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitroom import Workspace
from sitroom.errors import WorkspaceError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(
    tmp_path_factory,
):
    from tests.conftest import DEMO_CORPUS

    path = tmp_path_factory.mktemp("ro") / "ws"
    with Workspace.init(path) as ws:
        ws.ingest([str(DEMO_CORPUS)])
    assert not (path / "sitroom.db-wal").exists()  # checkpointed on close
    return path


def _writes_refused(ws: Workspace, tmp_path) -> None:
    (tmp_path / "new.txt").write_text(
        "A new report about the border talks in Geneva today.", encoding="utf-8"
    )
    for write in (
        lambda: ws.ingest([str(tmp_path / "new.txt")]),
        lambda: ws.process(),
        lambda: ws.analyse(),
        lambda: ws.grade_source("Antiwar.com", "B"),
    ):
        with pytest.raises(WorkspaceError, match="E005"):
            write()


def _queries_work(ws: Workspace) -> None:
    status = ws.status()
    assert status.documents == 5
    hits = ws.search("Russia")
    assert hits
    assert ws.document(hits[0].document_id).text
    assert ws.raw_bytes(hits[0].document_id)


def test_explicit_read_only_answers_queries_and_refuses_writes(built, tmp_path):
    before = (built / "sitroom.db").stat().st_mtime_ns
    with Workspace.open(built, read_only=True) as ws:
        assert ws.read_only
        _queries_work(ws)
        _writes_refused(ws, tmp_path)
    assert (built / "sitroom.db").stat().st_mtime_ns == before
    with Workspace.open(built) as ws:  # nothing was half-written
        assert ws.status().documents == 5


def _read_only_copy(built: Path, tmp_path: Path) -> Path:
    """The workspace on a read-only mount (a bind mount remounted ro, as root), or chmod'd read-only
    (as another user); skipped where neither is possible."""
    import shutil

    source = tmp_path / "source"
    shutil.copytree(built, source)
    if os.geteuid() != 0:
        for path in (source / "sitroom.db", source):
            path.chmod(0o555 if path.is_dir() else 0o444)
        return source
    mount = tmp_path / "media"
    mount.mkdir()
    try:
        subprocess.run(["mount", "--bind", str(source), str(mount)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("root, and no bind mount here: chmod would not stop root from writing")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        subprocess.run(["umount", str(mount)], check=False)
        pytest.skip("cannot remount read-only here")
    return mount


@pytest.fixture
def media(built, tmp_path):
    path = _read_only_copy(built, tmp_path)
    yield path
    if path.name == "media":
        subprocess.run(["umount", str(path)], check=False)
    else:
        for sub in (path, path / "sitroom.db"):
            sub.chmod(0o755 if sub.is_dir() else 0o644)


def test_a_workspace_on_read_only_media_opens_read_only_by_itself(media, tmp_path):
    with Workspace.open(media) as ws:
        assert ws.read_only
        _queries_work(ws)
        _writes_refused(ws, tmp_path)
    assert sorted(p.name for p in media.iterdir()) == ["raw", "sitroom.db"]


def test_cli_status_and_search_work_on_read_only_media_and_ingest_says_why_not(media, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "sitroom", *args, "-w", str(media)]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    assert cli("status").returncode == 0
    found = cli("search", "Russia")
    assert found.returncode == 0 and "unable to open" not in found.stderr
    (tmp_path / "new.txt").write_text(
        "A new report about the border talks in Geneva today.", encoding="utf-8"
    )
    refused = cli("ingest", str(tmp_path / "new.txt"))
    assert refused.returncode == 3 and "E005" in refused.stderr and "Traceback" not in refused.stderr
