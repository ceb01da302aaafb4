"""Hostile inputs on the ingest side (issue 12): each case once broke a batch or lost content.

Every input here is made up for the test. See docs/security.md, "Hostile documents and file names".
"""

from __future__ import annotations

import gzip
import io
import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitroom import Workspace
from sitroom.clean import normalize_text
from sitroom.config import IngestOptions
from sitroom.errors import StorageError
from sitroom.ingest import html as html_reader
from sitroom.ingest import iter_inputs, read_bytes
from sitroom.ingest.budget import TimeLimitExceeded, time_limit
from sitroom.ingest.markup import MAX_DEPTH, nesting_depth
from sitroom.ingest.text import decode_checked
from sitroom.model import Problem, RawDocument
from sitroom.store import schema

PARAGRAPH = (
    "<p>The harbour authority said on Thursday that ferries to the northern islands would resume "
    "next month after repairs to the quay, and that fares would stay as they are.</p>"
)


def read_all(data: bytes, **options) -> list[RawDocument | Problem]:
    return list(read_bytes(data, origin="input", options=IngestOptions(**options)))


def docs_of(items: list[RawDocument | Problem]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def problems_of(items: list[RawDocument | Problem]) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


# --- sniffing and decoding ---------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"\x01\r\t", b"a,b\rtitle,text\r", b'"\r,\t\r"', b"x\r\ty,z\r\n"])
def test_lone_cr_line_ends_never_crash_the_sniffer(data: bytes) -> None:
    items = read_all(data)  # once: _csv.Error out of sniff_format, and the batch aborted
    assert items and all(isinstance(i, RawDocument | Problem) for i in items)


def test_csv_with_mac_line_ends_reads_rows() -> None:
    data = b"title,text\rFerries resume,The harbour authority said ferries resume.\r"
    (doc,) = docs_of(read_all(data, format="csv"))
    assert doc.title == "Ferries resume"


def test_invalid_utf8_is_decoded_with_replacement_and_a_warning() -> None:
    text = "Die Fähre nach Föhr fährt wieder, sagte die Behörde am Donnerstag. " * 4
    data = text.encode("utf-8")
    data = data[:20] + b"\xff\xfe" + data[20:]  # two corrupt bytes in otherwise good UTF-8
    items = read_all(data)
    (warning,) = problems_of(items)
    assert (warning.code, warning.kind) == ("E024", "warning") and "U+FFFD" in warning.reason
    (doc,) = docs_of(items)
    assert "Fähre" in doc.text and "\ufffd" in doc.text  # not cp1251 mojibake ("Ð¤Ð°...")


def test_legacy_encoding_guess_is_reported() -> None:
    data = ("Президент заявил, что переговоры продолжатся в Женеве на следующей неделе. " * 3).encode(
        "cp1251"
    )
    decoded = decode_checked(data)
    assert "переговоры" in decoded.text and decoded.caveat and "guess" in decoded.caveat


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(codec: str) -> None:
    text = "Ferries resume next month.\nThe harbour authority said so on Thursday."
    items = read_all(text.encode(codec))
    (doc,) = docs_of(items)
    assert doc.text == text and doc.raw == text.encode(codec)  # raw bytes kept as they came


def test_utf16_without_bom_csv() -> None:
    data = "title,text\nFerries,The harbour authority said ferries resume.\n".encode("utf-16-le")
    (doc,) = docs_of(read_all(data))
    assert doc.title == "Ferries"


def test_normalize_text_is_idempotent_on_the_reported_case() -> None:
    once = normalize_text("»º\r\x9d")
    assert normalize_text(once) == once


# --- folders and file names ----------------------------------------------------------------------


def test_symlink_loop_is_a_problem_and_the_run_finishes(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("Ferries resume next month, the harbour authority said.\n")
    os.symlink("b", folder / "a")
    os.symlink("a", folder / "b")
    os.symlink("..", folder / "up")  # a link to a parent folder: never followed, never endless
    os.symlink(folder / "self", folder / "self")
    with Workspace.init(tmp_path / "ws") as ws:
        summary = ws.ingest([str(folder), str(folder / "a")])
        assert summary.ingested == 1
        assert {p.code for p in summary.problems} == {"E010"}
        with ws.store.engine.connect() as conn:
            finished = conn.execute(
                sa.select(schema.runs.c.finished_at).where(schema.runs.c.id == summary.run_id)
            ).scalar_one()
        assert finished is not None


def test_file_name_that_is_not_utf8_is_stored_escaped(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.fsencode(folder) + b"/caf\xe9-\x1b[31m.txt"
    with open(bad, "wb") as fh:
        fh.write(b"Ferries resume next month, the harbour authority said.\n")
    with open(os.fsencode(folder) + b"/empty\xff.txt", "wb"):
        pass
    with Workspace.init(tmp_path / "ws") as ws:
        summary = ws.ingest([str(folder)])
        assert summary.ingested == 1
        (problem,) = summary.problems
        assert problem.code == "E014" and "\\xff" in problem.origin
        assert ws.problems(summary.run_id)[0].origin == problem.origin  # stored, not lost


def test_reader_exception_costs_one_input_not_the_batch(tmp_path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        yield from ()
        raise ValueError("parser bug")

    monkeypatch.setattr("sitroom.ingest.dispatch.read_json", broken)
    (tmp_path / "a.json").write_text('{"text": "x"}')
    (tmp_path / "b.txt").write_text("Ferries resume next month, the harbour authority said.\n")
    items = list(iter_inputs([str(tmp_path)]))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [
        ("Problem", "E031"),
        ("RawDocument", None),
    ]


# --- hostile markup and per-document limits --------------------------------------------------------


def test_tag_with_100k_attributes_is_defused_quickly() -> None:
    attributes = " ".join(f'data-k{i}="v"' for i in range(100_000))
    page = f"<html><body><article {attributes}>{PARAGRAPH * 3}</article></body></html>".encode()
    started = time.monotonic()
    items = read_all(page)
    assert time.monotonic() - started < 20  # once ~5 minutes in htmldate
    (warning,) = problems_of(items)
    assert (warning.code, warning.kind) == ("E025", "warning")
    (doc,) = docs_of(items)
    assert "harbour authority" in doc.text and doc.raw == page


def test_100k_nested_divs_keep_their_paragraphs() -> None:
    depth = 100_000
    page = ("<html><body>" + "<div>" * depth + PARAGRAPH * 4 + "</div>" * depth + "</body></html>").encode()
    assert nesting_depth(page) == depth > MAX_DEPTH
    items = read_all(page)
    (doc,) = docs_of(items)  # once: E018 "no main text found", content dropped with the wrong reason
    assert "ferries to the northern islands" in doc.text
    assert "nested" in problems_of(items)[0].reason


def test_ordinary_page_is_not_rewritten() -> None:
    page = f"<html><body>{'<div class=a>' * 20}{PARAGRAPH * 3}{'</div>' * 20}</body></html>".encode()
    items = read_all(page)
    assert not problems_of(items) and "markup_defused" not in docs_of(items)[0].extra


def test_slow_extraction_hits_the_time_limit(monkeypatch) -> None:
    def slow(data, *, url):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # Python code: the alarm interrupts it
            pass
        raise AssertionError("the time limit did not fire")

    monkeypatch.setattr(html_reader, "_extract", slow)
    started = time.monotonic()
    items = read_all(f"<html><body>{PARAGRAPH}</body></html>".encode(), max_seconds_per_document=0.3)
    assert time.monotonic() - started < 5
    (problem,) = items
    assert problem.code == "E025" and "0.3 s" in problem.reason


def test_time_limit_restores_the_previous_handler() -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    with time_limit(5) as enforced:
        assert enforced
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    with pytest.raises(TimeLimitExceeded), time_limit(0.05):
        while True:
            pass


def test_one_huge_line_is_refused_with_the_limit_named() -> None:
    line = b"ferries resume next month " * 40_000  # ~1 MB on one line
    started = time.monotonic()
    (problem,) = read_all(line, max_text_chars=500_000)
    assert time.monotonic() - started < 5
    assert problem.code == "E025" and "max_text_chars" in problem.reason


# --- partial reads ------------------------------------------------------------------------------


def _warc(*, gz: bool, records: int = 3) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(records):
        body = f"<html><body><article>{PARAGRAPH * 3}<p>Record {i}.</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"http://harbour.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buf.getvalue()


def test_truncated_warc_record_is_reported_not_stored() -> None:
    data = _warc(gz=False)
    items = read_all(data[:-120])
    assert len(docs_of(items)) == 2
    (problem,) = problems_of(items)
    assert problem.code == "E026" and problem.locator == "record 3" and "cut short" in problem.reason


def test_truncated_warc_gz_keeps_its_complete_members() -> None:
    data = _warc(gz=True)
    items = read_all(data[:-40])
    assert len(docs_of(items)) == 2  # once: E016 for the whole file, both good records lost
    (problem,) = problems_of(items)
    assert problem.code == "E026" and problem.locator == "gzip member 3"


def test_truncated_gzip_text_is_never_stored_as_complete() -> None:
    first = gzip.compress(b"Ferries resume next month.\n")
    second = gzip.compress(b"The harbour authority said so on Thursday.\n" * 50)
    (problem,) = read_all(first + second[:-30])
    assert problem.code == "E016"


# --- raw pack durability ------------------------------------------------------------------------

_KILL_SCRIPT = """
import os, signal, sys
from sitroom import Workspace
from sitroom.store import raw
from sitroom.store.database import Store

Store.writer.__kwdefaults__["commit_every"] = 1  # documents 1-3 committed before the kill
original = raw.RawPackWriter.append
seen = []

def append(self, data):
    seen.append(data)
    if len(seen) == 4:  # half of the fourth record reaches the pack, then kill -9
        os.write(self._open(), data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, data)

raw.RawPackWriter.append = append
with Workspace.open(sys.argv[1]) as ws:
    ws.ingest([sys.argv[2]])
"""


def _story_folder(tmp_path, count: int = 6):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(count):
        (folder / f"{i}.txt").write_text(
            f"Ferry line {i} resumes service next month, the harbour authority said on Thursday "
            f"after repairs to quay number {i}.\n"
        )
    return folder


def _raw_is_exact(ws: Workspace, folder) -> int:
    files = {p.read_bytes() for p in folder.iterdir()}
    with ws.store.engine.connect() as conn:
        ids = list(conn.execute(sa.select(schema.documents.c.id)).scalars())
    assert len(ids) == len(set(ids))
    assert {ws.raw_bytes(i) for i in ids} <= files
    return len(ids)


def test_kill_9_mid_pack_write_then_rerun(tmp_path) -> None:
    import subprocess
    import sys

    folder = _story_folder(tmp_path)
    Workspace.init(tmp_path / "ws").close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", _KILL_SCRIPT, str(tmp_path / "ws"), str(folder)], env=env, timeout=120
    )
    assert done.returncode == -9
    with Workspace.open(tmp_path / "ws") as ws:
        assert _raw_is_exact(ws, folder) == 3  # committed before the kill, bytes intact
        summary = ws.ingest([str(folder)])
        assert (summary.ingested, summary.already_present, summary.problems) == (3, 3, ())
        assert _raw_is_exact(ws, folder) == 6


def test_disk_full_while_appending_leaves_no_half_record(tmp_path, monkeypatch) -> None:
    import errno

    folder = _story_folder(tmp_path, count=4)
    (folder / "2.txt").write_text("DISKFULL: the harbour authority said the quay will reopen in May.\n")
    real_write = os.write

    def write(fd, data):
        if b"DISKFULL" in bytes(data):
            real_write(fd, bytes(data)[:10])  # a short write, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    with Workspace.init(tmp_path / "ws") as ws:
        monkeypatch.setattr(os, "write", write)
        # A full disk stops the ingest with its cause (E004): going on would fail on every document.
        with pytest.raises(StorageError) as raised:
            ws.ingest([str(folder)])
        monkeypatch.undo()
        assert raised.value.code == "E004" and "No space left" in raised.value.message
        packs = list((tmp_path / "ws").rglob("*.pack"))
        stored = {d.id for d in ws.documents()}
        # The files appended before the disk filled (whole records, some of them rolled back with their
        # rows and so unreferenced, as after a kill): the half record of the one that failed was cut back.
        before = sum(len(p.read_bytes()) for p in sorted(folder.iterdir()) if p.name < "2.txt")
        assert sum(p.stat().st_size for p in packs) == before
        assert _raw_is_exact(ws, folder) == len(stored) < 4
        assert ws.ingest([str(folder)]).ingested == 4 - len(stored)  # the next run stores the rest
        assert _raw_is_exact(ws, folder) == 4


def test_pack_is_synced_before_each_commit(tmp_path, monkeypatch) -> None:
    from sitroom.store import raw

    calls: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(raw.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    folder = _story_folder(tmp_path, count=3)
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest([str(folder)])
    assert calls  # at least the final commit's sync (and the new pack's folder)


def test_damaged_pack_is_named_when_read(tmp_path) -> None:
    folder = _story_folder(tmp_path, count=2)
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest([str(folder)])
        (pack,) = (tmp_path / "ws").rglob("*.pack")
        with open(pack, "r+b") as fh:
            fh.truncate(pack.stat().st_size - 5)
        with ws.store.engine.connect() as conn:
            ids = list(conn.execute(sa.select(schema.documents.c.id)).scalars())
        errors = []
        for doc_id in ids:
            try:
                ws.raw_bytes(doc_id)
            except OSError as exc:
                errors.append(str(exc))
        assert len(errors) == 1 and pack.name in errors[0] and "truncated" in errors[0]


def test_nul_in_record_fields_is_dropped_from_metadata() -> None:
    data = (
        b'{"title": "Ferries\\u0000 resume", "author": "\\u0000", "text": "The harbour authority said so."}'
    )
    (doc,) = docs_of(read_all(data))
    assert doc.title == "Ferries resume" and doc.author is None


def test_json_nested_100k_deep_is_a_parse_problem_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    (problem,) = read_all(deep)
    assert problem.code == "E012" and "nested too deeply" in problem.reason
    lines = b'{"text": "Ferries resume."}\n' + deep + b'\n{"text": "The quay reopens."}\n'
    items = list(read_bytes(lines, origin="input", name="a.jsonl"))
    assert [getattr(i, "code", "doc") for i in items] == ["doc", "E019", "doc"]


@pytest.fixture(params=["sqlite", "postgres"])
def workspace_location(request, tmp_path) -> tuple[str, dict]:
    if request.param == "sqlite":
        return str(tmp_path / "ws"), {}
    return request.getfixturevalue("postgres_url"), {"raw_dir": tmp_path / "raw"}


def test_hostile_names_and_fields_are_stored_on_every_backend(tmp_path, workspace_location) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9\x1b[2J.txt", "wb") as fh:
        fh.write(b"Ferries resume next month, the harbour authority said.\n")
    (folder / "records.jsonl").write_bytes(
        b'{"title": "Quay\\u0000 reopens", "author": "A\\u0000B", "text": "The quay reopens in May, officials said."}\n'
    )
    (folder / "bad.txt").write_bytes(b"Die F\xc3\xa4hre f\xff\xfeahrt wieder, sagte die Beh\xc3\xb6rde.\n")
    (folder / "cut.warc").write_bytes(_warc(gz=False)[:-120])
    location, kwargs = workspace_location
    with Workspace.init(location, **kwargs) as ws:
        summary = ws.ingest([str(folder)])
        # the text file, the JSONL record, the bad UTF-8 file (kept), two whole WARC records (one a near copy)
        assert summary.ingested + summary.duplicates == 5
        codes = sorted(p.code for p in summary.problems)
        assert codes == ["E024", "E026"]
        stored = ws.problems(summary.run_id)
        assert sorted(p.code for p in stored) == codes
