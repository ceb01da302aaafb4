"""The Workspace API end to end: ingest, idempotence, duplicates, problems, search."""

from __future__ import annotations

import json

import pytest

from sitroom import Workspace
from sitroom.errors import WorkspaceError

ARTICLE = (
    "Russia has sent ground forces into battle for the first time in Syria, according to a Kuwaiti daily.\n\n"
    "The troops drove rebel forces from strategic positions, said the newspaper, which is close to the "
    "Damascus government. It did not say when the troops went into action and there was no mention of "
    "casualties. The Russians are not known to have sizable forces in Syria but a small number of tanks "
    "have been seen near the coast, and officials declined to comment on the report on Monday.\n"
)


@pytest.fixture
def ws(tmp_path):
    with Workspace.init(tmp_path / "ws") as workspace:
        yield workspace


def test_open_missing_workspace_says_how_to_create(tmp_path):
    with pytest.raises(WorkspaceError, match="E001.*sitroom init"):
        Workspace.open(tmp_path / "nothing-here")


def test_demo_corpus_ingests_once(ws, demo_corpus):
    first = ws.ingest([str(demo_corpus)])
    assert (first.ingested, first.duplicates, first.problems) == (5, 0, ())
    again = ws.ingest([str(demo_corpus)])
    assert (again.ingested, again.already_present) == (0, 5)
    assert ws.status().documents == 5


def test_raw_bytes_are_kept_for_replay(ws, demo_corpus):
    ws.ingest([str(demo_corpus)])
    for path in sorted(demo_corpus.glob("*.txt")):
        doc = next(d for d in ws.documents() if d.origin == str(path))
        assert ws.raw_bytes(doc.id) == path.read_bytes()


def test_exact_duplicate_with_other_bytes(ws, tmp_path):
    (tmp_path / "a.txt").write_text("Wire copy\n\n" + ARTICLE)
    (tmp_path / "b.txt").write_text(("Wire copy\n\n" + ARTICLE).replace("\n", "\r\n") + "\n\n")
    summary = ws.ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert (summary.ingested, summary.duplicates) == (1, 1)
    docs = {d.origin: d for d in ws.documents()}
    copy = docs[str(tmp_path / "b.txt")]
    assert copy.duplicate_of == docs[str(tmp_path / "a.txt")].id
    assert copy.duplicate_reason.startswith("exact")


def test_near_duplicate_syndicated_copy(ws, tmp_path):
    (tmp_path / "a.txt").write_text("Report: Russia sends ground forces\n\n" + ARTICLE)
    syndicated = ARTICLE.replace("on Monday", "on Monday, the agency said") + "\nMore on this story soon.\n"
    (tmp_path / "b.txt").write_text("Russia sends troops into Syria, paper says\n\n" + syndicated)
    (tmp_path / "c.txt").write_text(
        "A meteorite fell\n\n" + "A small meteorite crashed near Managua overnight. " * 5
    )
    summary = ws.ingest([str(tmp_path)])
    assert (summary.ingested, summary.duplicates) == (2, 1)
    docs = {d.origin.rsplit("/", 1)[-1]: d for d in ws.documents()}
    assert docs["b.txt"].duplicate_of == docs["a.txt"].id
    assert docs["b.txt"].duplicate_reason.startswith("near")
    assert docs["c.txt"].duplicate_of is None
    # Duplicates stay searchable.
    assert {h.document_id for h in ws.search("ground forces")} >= {docs["a.txt"].id, docs["b.txt"].id}


def test_a_syndicated_copy_stores_no_link_keys_and_is_never_a_candidate(ws, tmp_path):
    import sqlalchemy as sa

    (tmp_path / "a.txt").write_text("Report: Russia sends ground forces\n\n" + ARTICLE)
    syndicated = ARTICLE.replace("on Monday", "on Monday, the agency said") + "\nMore on this story soon.\n"
    (tmp_path / "b.txt").write_text("Russia sends troops into Syria, paper says\n\n" + syndicated)
    ws.ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    ws.process(workers=1)
    docs = {d.origin.rsplit("/", 1)[-1]: d for d in ws.documents()}
    copy, original = docs["b.txt"], docs["a.txt"]
    assert copy.duplicate_of == original.id
    with ws.store.engine.connect() as conn:
        rows = conn.execute(sa.text('SELECT document_id, "key" FROM link_keys')).all()
    assert {doc_id for doc_id, _ in rows} == {original.id}
    # The copy's own keys found its candidates; another document's search finds only the original.
    found = ws.store.refs_sharing_keys([key for _, key in rows], limit=10, per_key=100)
    assert list(found) == [original.id]


def test_bad_inputs_are_reported_and_the_batch_goes_on(ws, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Good article\n\n" + ARTICLE)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    lines = [
        json.dumps({"title": "One", "text": ARTICLE}),
        "{not json",
        json.dumps({"title": "Two", "text": ARTICLE + " Two."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    summary = ws.ingest([str(tmp_path)])
    assert summary.ingested + summary.duplicates == 3
    where = {(p.origin.rsplit("/", 1)[-1], p.locator) for p in summary.problems}
    assert ("feed.jsonl", "line 2") in where
    assert any(name == "empty.txt" for name, _ in where)
    assert any(name == "binary.bin" for name, _ in where)
    assert all(p.code.startswith("E0") and p.reason for p in summary.problems)
    assert {p.code for p in ws.problems(summary.run_id)} == {p.code for p in summary.problems}


def test_search_and_show(ws, demo_corpus):
    ws.ingest([str(demo_corpus)])
    hits = ws.search("Hmeimim")
    assert len(hits) == 1
    doc = ws.document(hits[0].document_id[:6])
    assert "Hmeimim Air Base" in doc.text


def test_ingesting_the_workspace_folder_skips_its_own_files(tmp_path):
    (tmp_path / "a.txt").write_text("A title\n\n" + ARTICLE)
    with Workspace.init(tmp_path) as ws:
        first = ws.ingest([str(tmp_path)])
        again = ws.ingest([str(tmp_path)])
    assert (first.ingested, first.problems) == (1, ())
    assert (again.ingested, again.already_present, again.problems) == (0, 1, ())
