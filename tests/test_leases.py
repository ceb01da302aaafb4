"""Leases on documents (PostgreSQL): concurrent ``process`` runs split the backlog, and a document
another run holds is waited for, then analysed only if that run did not finish it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sitroom.model import Document
from sitroom.store.leases import DocumentLeases


def _doc(doc_id: str) -> Document:
    return Document(id=doc_id, text=f"Text of {doc_id}.", origin=f"{doc_id}.txt", format="text")


@pytest.fixture
def engine(postgres_url: str):
    engine = sa.create_engine(postgres_url)
    yield engine
    engine.dispose()


def test_a_held_document_is_left_to_its_holder_or_taken_once_let_go(engine) -> None:
    first, second = DocumentLeases(engine), DocumentLeases(engine)
    done: set[str] = set()
    try:
        assert [d.id for d in first.claim([_doc("d1"), _doc("d4")], needed=lambda i: i not in done)] == [
            "d1",
            "d4",
        ]
        # d1 and d4 are held: the second run passes over them, and leaves them to the first run.
        assert [
            d.id for d in second.claim([_doc("d1"), _doc("d2"), _doc("d4")], lambda i: i not in done)
        ] == ["d2"]
        done.add("d1")  # the first run saves d1 and lets go of it; it holds d4 still
        first.release("d1")
        claimed = second.claim([_doc("d1"), _doc("d4"), _doc("d5")], lambda i: i not in done)
        assert [d.id for d in claimed] == ["d5"]  # d1 is done, d4 still held
        first.release("d4")  # let go unsaved (a failed save): d4 is free again and still needed
        assert [d.id for d in second.claim([_doc("d4")], lambda i: i not in done)] == ["d4"]
    finally:
        first.close()
        second.close()


def test_a_run_that_dies_leaves_its_documents_to_the_others(engine) -> None:
    crashed, survivor = DocumentLeases(engine), DocumentLeases(engine)
    assert [d.id for d in crashed.claim([_doc("d3")], needed=lambda i: True)] == ["d3"]
    crashed.close()  # never saved d3
    try:
        assert [d.id for d in survivor.claim([_doc("d3")], needed=lambda i: True)] == ["d3"]
    finally:
        survivor.close()


def test_documents_already_processed_are_left_out(engine) -> None:
    leases = DocumentLeases(engine)
    try:
        assert [d.id for d in leases.claim([_doc("a"), _doc("b")], needed=lambda i: i == "b")] == ["b"]
    finally:
        leases.close()


@pytest.mark.slow
def test_two_runs_sharing_a_backlog_analyse_each_document_once(tmp_path, postgres_url: str) -> None:
    """Two ``process(share_backlog=True)`` runs at once: every document saved exactly once, by one
    run or the other, and the two runs' counts add up to the backlog."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from benchmarks.faults import write_news_corpus
    from sitroom import Workspace

    corpus = tmp_path / "news.jsonl"
    write_news_corpus(corpus, 16)
    with Workspace.init(postgres_url, raw_dir=tmp_path / "raw") as ws:
        ws.ingest([str(corpus)])
    # Each run counts the analyses its engine returns: a document analysed twice would count twice.
    code = (
        "import json, sys; import sitroom.engines as engines; from sitroom import Workspace\n"
        "analysed = []; plain = engines.analyse_in_waves\n"
        "def counted(*args, **kwargs):\n"
        "    for analysis in plain(*args, **kwargs):\n"
        "        analysed.append(analysis.document.id); yield analysis\n"
        "engines.analyse_in_waves = counted\n"
        "with Workspace.open(sys.argv[1], raw_dir=sys.argv[2]) as ws:\n"
        "    saved = ws.process(share_backlog=True, analyse=False).processed\n"
        "print(json.dumps([saved, analysed]))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, postgres_url, str(tmp_path / "raw")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    counts = []
    for proc in runs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-2000:]
        counts.append(json.loads(stdout))
    assert sum(saved for saved, _ in counts) == 16
    analysed = [doc_id for _, ids in counts for doc_id in ids]
    assert len(analysed) == len(set(analysed)) == 16  # no document analysed by both runs
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            processed = conn.execute(sa.text("SELECT count(DISTINCT document_id) FROM processing")).scalar()
    finally:
        engine.dispose()
    assert processed == 16
