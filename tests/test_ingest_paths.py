"""Targets: files, folders, globs and stdin, in a stable order, with per-input problems."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from sitroom.config import IngestOptions
from sitroom.ingest import iter_inputs
from sitroom.model import Problem, RawDocument

REPO = Path(__file__).resolve().parents[1]
FAKE_NEWS_CSV = REPO.parent / "shared" / "bench" / "corpus" / "news_sample.csv"


def make_tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "b" / "deep").mkdir()
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text("Article A.")
    (root / "b" / "c.md").write_text("# C\n\nArticle C.")
    (root / "b" / "deep" / "d.json").write_text('[{"text": "Article D1"}, {"text": "Article D2"}]')
    (root / "b" / ".secret.txt").write_text("hidden file")
    (root / ".hidden" / "e.txt").write_text("hidden folder")
    (root / "z.bin").write_bytes(b"\x89PNG\r\n\x1a\n....")


def test_folder_is_walked_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    make_tree(tmp_path)
    items = list(iter_inputs([str(tmp_path)]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [d.text for d in docs] == ["Article A.", "# C\n\nArticle C.", "Article D1", "Article D2"]
    assert [d.format for d in docs] == ["text", "markdown", "json", "json"]
    assert docs[0].origin == str(tmp_path / "a.txt")
    (problem,) = [i for i in items if isinstance(i, Problem)]
    assert (problem.code, problem.origin) == ("E013", str(tmp_path / "z.bin"))


def test_globs_and_missing_targets(tmp_path: Path) -> None:
    make_tree(tmp_path)
    items = list(
        iter_inputs([str(tmp_path / "**" / "*.md"), str(tmp_path / "*.nothing"), str(tmp_path / "nope.txt")])
    )
    assert isinstance(items[0], RawDocument) and items[0].title == "C"
    assert [(p.code, p.origin) for p in items[1:]] == [
        ("E010", str(tmp_path / "*.nothing")),
        ("E010", str(tmp_path / "nope.txt")),
    ]


def test_stdin_is_sniffed_like_a_file() -> None:
    items = list(iter_inputs(["-"], stdin=io.BytesIO(b'{"text": "from a pipe"}\n{"text": "second"}\n')))
    assert [(d.text, d.origin, d.format, d.locator) for d in items] == [
        ("from a pipe", "<stdin>", "jsonl", "line 1"),
        ("second", "<stdin>", "jsonl", "line 2"),
    ]
    (problem,) = iter_inputs(["-"], stdin=io.BytesIO(b"x" * 50), options=IngestOptions(max_bytes=10))
    assert problem.code == "E015" and problem.origin == "<stdin>"


def test_file_over_cap_is_skipped_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1000)
    small = tmp_path / "small.txt"
    small.write_text("fine")

    def refuse(self: Path) -> bytes:
        if self == big:
            raise AssertionError("an over-cap file must not be read")
        return original(self)

    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", refuse)
    big_problem, small_doc = iter_inputs([str(big), str(small)], options=IngestOptions(max_bytes=999))
    assert big_problem.code == "E015" and "1,000 bytes" in big_problem.reason
    assert small_doc.text == "fine"


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        (problem,) = iter_inputs([str(locked)])
        assert problem.code == "E010"
    finally:
        locked.chmod(0o644)


def test_empty_and_gzipped_files(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "page.html.gz").write_bytes(
        gzip.compress(
            b"<html><body><article><p>" + b"Gzip page text. " * 30 + b"</p></article></body></html>"
        )
    )
    (tmp_path / "rows.csv.gz").write_bytes(gzip.compress(b"title,text\nT,Row text\n"))
    (tmp_path / "truncated.txt.gz").write_bytes(gzip.compress(b"words " * 500)[:40])
    items = {Path(i.origin).name: i for i in iter_inputs([str(tmp_path)])}
    assert items["empty.txt"].code == "E014"
    assert items["page.html.gz"].format == "html" and "Gzip page text." in items["page.html.gz"].text
    assert (items["rows.csv.gz"].format, items["rows.csv.gz"].title) == ("csv", "T")
    assert items["truncated.txt.gz"].code == "E016"


def test_fake_news_corpus_csv_ingests_every_row_with_no_options(tmp_path: Path) -> None:
    if not FAKE_NEWS_CSV.exists():
        pytest.skip(f"{FAKE_NEWS_CSV} not present")
    items = list(iter_inputs([str(FAKE_NEWS_CSV)]))
    problems = [i for i in items if isinstance(i, Problem)]
    assert problems == []
    assert len(items) == 250
    assert all(d.format == "csv" and d.text and d.source for d in items)
    assert items[0].source == "awm.com" and items[0].locator == "row 1"
    assert items[0].extra["fields"]["type"] == "unreliable"
    assert any("\n" in d.text for d in items)  # multi-line fields survived
    assert len({d.id for d in items}) == 250
    # The same file read again gives the same ids; renamed without its extension, it is still CSV.
    unnamed = tmp_path / "dump"
    unnamed.write_bytes(FAKE_NEWS_CSV.read_bytes())
    assert [d.id for d in iter_inputs([str(unnamed)])] == [d.id for d in items]
