"""sitroom import: a JSON or JSONL export read back into a fresh workspace gives the same export again
(modulo its timestamp); a bad file is refused whole with coded, located problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom import Workspace
from sitroom.cli import app
from sitroom.errors import InputError
from sitroom.present.exporters import export, import_export
from tests.test_export_support import DEMO_QUESTION, demo_copy

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("import") / "ws")


def _without_timestamp(text: str) -> list:
    data = (
        [json.loads(line) for line in text.splitlines()]
        if text.startswith('{"record"')
        else [json.loads(text)]
    )
    for item in data:
        header = item["data"] if "record" in item and item["record"] == "header" else item.get("header")
        if header:
            header.pop("exported_at")
    return data


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_round_trip_gives_the_same_export(source, tmp_path, fmt):
    first = tmp_path / f"first.{fmt}"
    with Workspace.open(source) as ws:
        export(ws, fmt, first)
    with Workspace.init(tmp_path / "copy") as ws:
        counts = import_export(ws, first)
        second = tmp_path / f"second.{fmt}"
        export(ws, fmt, second)
        assert counts["document"] == 5
        # The analyst's settings and the history came through.
        assert any(link.status == "confirmed" for link in ws.links())
        assert any(p.grade == "B" for p in ws.sources())
        assert ws.assessment_history(DEMO_QUESTION)
        assert ws.board(DEMO_QUESTION).matrix
        # Documents keep ids, texts and metadata; reads of the typed layer agree.
        with Workspace.open(source) as original:
            doc_id = original.documents_page(limit=1).items[0].id
            assert ws.document(doc_id).text == original.document(doc_id).text
            assert ws.annotations(doc_id) == original.annotations(doc_id)
            assert ws.claims(limit=None).total == original.claims(limit=None).total
            assert ws.revisions(limit=None).items == original.revisions(limit=None).items
            assert ws.timeline(kind="documents").items == original.timeline(kind="documents").items
            corrected = [c for c in ws.claims(limit=None) if c.corrected]
            assert corrected and corrected[0].claim.modality == "reported"
    assert _without_timestamp(first.read_text(encoding="utf-8")) == _without_timestamp(
        second.read_text(encoding="utf-8")
    )


def test_imported_workspace_takes_new_documents_and_links_them(source, tmp_path):
    """The blocking keys are rebuilt on import, so a re-processed document finds links again."""
    exported = tmp_path / "all.json"
    with Workspace.open(source) as ws:
        export(ws, "json", exported)
        links_before = sum(ws.overview().links.values())
    with Workspace.init(tmp_path / "copy") as ws:
        import_export(ws, exported)
        assert ws.process().processed == 0  # every document counts as processed by these versions
        assert sum(ws.overview().links.values()) == links_before


def _broken(tmp_path: Path, source: Path, change) -> Path:
    path = tmp_path / "all.json"
    with Workspace.open(source) as ws:
        export(ws, "json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    return broken


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["documents"][0].pop("text"), "documents[0]"),
        (
            lambda d: d["documents"][1]["annotations"]["claims"][0].update(content_end=10**9),
            "outside the text",
        ),
        (lambda d: d["links"][0].update(a_document="0000000000000000"), "does not hold"),
        (lambda d: d["header"].update(version=99), "header"),
        (lambda d: d["documents"].append(d["documents"][0]), "appears twice"),
        (lambda d: d["stories"][0].update(size="five"), "stories[0]"),
    ],
)
def test_a_bad_file_is_refused_whole_with_where(source, tmp_path, change, expected):
    broken = _broken(tmp_path, source, change)
    with Workspace.init(tmp_path / "target") as ws:
        with pytest.raises(InputError) as caught:
            import_export(ws, broken)
        assert caught.value.code == "E072" and expected in caught.value.message
        assert ws.overview().documents == 0


def test_not_json_and_not_empty_targets(source, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("<html>not an export</html>", encoding="utf-8")
    with Workspace.init(tmp_path / "target") as ws, pytest.raises(InputError) as caught:
        import_export(ws, junk)
    assert caught.value.code == "E072"
    exported = tmp_path / "all.jsonl"
    with Workspace.open(source) as ws:
        export(ws, "jsonl", exported)
        with pytest.raises(InputError) as caught:
            import_export(ws, exported)
        assert caught.value.code == "E073"


def test_cli_export_and_import(source, tmp_path):
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["export", "--format", "json", "--out", str(out), "-w", str(source)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["documents"]
    result = runner.invoke(app, ["import", str(out), "-w", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert "5 documents" in result.output
    result = runner.invoke(app, ["export", "--format", "yaml", "-w", str(source)])
    assert result.exit_code == 2 and "E070" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad), "-w", str(tmp_path / "never")])
    assert result.exit_code == 2 and "E072" in result.output
    assert not (tmp_path / "never").exists()


def test_cli_import_that_fails_midway_leaves_no_workspace(source, tmp_path, monkeypatch):
    out = tmp_path / "all.jsonl"
    with Workspace.open(source) as ws:
        export(ws, "jsonl", out)

    def broken(self, records):
        for _ in records:
            raise RuntimeError("disk full")

    monkeypatch.setattr(Workspace, "restore", broken)
    target = tmp_path / "copy"
    result = runner.invoke(app, ["import", str(out), "-w", str(target)])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl"]


def test_round_trip_through_postgresql(source, tmp_path, postgres_url):
    """Links and revisions keep their ids in PostgreSQL too, and new ones get fresh ids after them."""
    first = tmp_path / "first.jsonl"
    with Workspace.open(source) as ws:
        export(ws, "jsonl", first)
    with Workspace.open(postgres_url, create=True, raw_dir=tmp_path / "raw") as ws:
        import_export(ws, first)
        second = tmp_path / "second.jsonl"
        export(ws, "jsonl", second)
        before = ws.revisions(limit=None).total
        claim = ws.claims(limit=None).items[-1]
        revision = ws.correct(claim.ref, "polarity", "deny", analyst="tester")
        assert revision.id == max(r.id for r in ws.revisions(limit=None).items)
        assert ws.revisions(limit=None).total == before + 1
    assert _without_timestamp(first.read_text(encoding="utf-8")) == _without_timestamp(
        second.read_text(encoding="utf-8")
    )
