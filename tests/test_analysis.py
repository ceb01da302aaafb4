"""Across documents on the demo corpus: one story, the timeline by reported dates, contradictions with an
analyst-settable status, source profiles and grades, and the question board with evidence from every
article — all kept up to date incrementally."""

from __future__ import annotations

import pytest

from sitroom import Workspace
from sitroom.errors import InputError, NotFoundError
from tests.conftest import DEMO_CORPUS, REPO

pytestmark = pytest.mark.slow
QUESTION = REPO / "sitroom" / "examples" / "questions" / "russia-ground-forces-syria.yaml"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace.init(tmp_path_factory.mktemp("analysis"))
    files = sorted(DEMO_CORPUS.glob("*.txt"))
    # Documents arrive in two batches and the question before the second: everything must catch up.
    workspace.ingest([str(p) for p in files[:3]])
    workspace.process()
    workspace.add_question(QUESTION)
    workspace.ingest([str(p) for p in files[3:]])
    workspace.process()
    yield workspace
    workspace.close()


def origin_of(ws: Workspace, doc_id: str) -> str:
    return ws.document(doc_id).origin.rsplit("/", 1)[-1][:3]


def test_one_story(ws):
    stories = ws.stories()
    assert len(stories) == 1 and stories[0].size == 5
    assert stories[0].title


def test_timeline_orders_documents_by_what_they_report(ws):
    order = [origin_of(ws, e.document_id) for e in ws.timeline()]
    # 001 reports November 2015, 000 and 003 spring 2016, 004 autumn 2020 (though it says 2025);
    # 002 has no dated content and comes last.
    assert order[0] == "001" and order[-2:] == ["004", "002"]
    assert set(order[1:3]) == {"000", "003"}


def test_contradictions_found_and_status_settable(ws):
    found = ws.links(kind="contradicts")
    assert len(found) >= 4
    numeric = [link for link in found if link.reason.startswith("numeric")]
    assert numeric, "Shoigu's 600 rebels vs the monitor's 381 fighters"
    ws.set_link_status(numeric[0].id, "confirmed")
    assert ws.links(kind="contradicts", status="confirmed")[0].id == numeric[0].id
    with pytest.raises(InputError, match="E052"):
        ws.set_link_status(numeric[0].id, "maybe")
    with pytest.raises(NotFoundError):
        ws.set_link_status(999999, "dismissed")


def test_source_profiles_and_grades(ws):
    profiles = {p.name: p for p in ws.sources()}
    assert profiles["Antiwar.com"].claims >= 4 and profiles["Antiwar.com"].grade == "F"
    ws.grade_source("Antiwar.com", "c")
    assert {p.name: p for p in ws.sources()}["Antiwar.com"].grade == "C"
    with pytest.raises(InputError, match="E052"):
        ws.grade_source("Antiwar.com", "Z")


def test_question_board_has_evidence_from_every_article(ws):
    board = ws.board("russia-ground-forces-syria")
    documents = {row.evidence.document_id for row in board.matrix}
    assert len(documents) == 5
    assert set(board.ranking) == {"H1", "H2", "H3"}
    denial = [row for row in board.matrix if row.evidence.indicator == "ground-deployment-denied"]
    assert denial and denial[0].ratings["H2"] in ("C", "CC")
    for row in board.matrix:  # every piece of evidence points back into its document's text
        doc = ws.document(row.evidence.document_id)
        assert 0 <= row.evidence.start < row.evidence.end <= len(doc.text)
    history = ws.assessment_history("russia-ground-forces-syria")
    assert len(history) >= 2 and history[-1].documents == 5


def test_unknown_question(ws):
    with pytest.raises(NotFoundError, match="E051"):
        ws.board("no-such-question")


def test_a_state_left_unsaved_at_close_is_replayed_exactly(ws, tmp_path, monkeypatch):
    # With a share of 1, a run's close saves the state only when it lacks all its documents (the first
    # run): later runs leave it lacking theirs, and the next run adds them again before its own.
    import sitroom.analyse.update as update

    monkeypatch.setattr(update, "CLOSE_SAVE_SHARE", 1.0)
    files = sorted(DEMO_CORPUS.glob("*.txt"))
    folder = tmp_path / "deferred"
    for batch in (files[:3], files[3:4], files[4:]):
        with Workspace.init(folder) as run:
            run.ingest([str(p) for p in batch])
            run.process()
        with Workspace.open(folder) as closed:
            # the first run's three documents are saved; the later runs' are left out
            assert len(closed.store.load_story_state()["documents"]) == 3
    with Workspace.open(folder) as last:
        last.analyse()  # replays the two documents the saved state lacks
        last.analyser.flush(force=True)
        ws.analyser.flush(force=True)
        assert [(s.id, s.documents, len(s.changes)) for s in last.stories()] == [
            (s.id, s.documents, len(s.changes)) for s in ws.stories()
        ]
        state, reference = last.store.load_story_state(), ws.store.load_story_state()
        assert state["documents"] == reference["documents"] and state["stories"] == reference["stories"]


def test_stories_of_another_clusterer_version_are_rebuilt(ws, caplog):
    # Runs last: it rewrites the workspace's story state as if an older sitroom had saved it.
    before = {tuple(s.documents) for s in ws.stories()}
    ws.analyser.flush(force=True)
    state = ws.store.load_story_state()
    state["version"] = "stories.v0"
    ws.store.save_stories(state, [], [], now="2026-01-01T00:00:00+00:00")
    with Workspace.open(str(ws.location.sqlite_path)) as reopened, caplog.at_level("WARNING"):
        reopened.analyse()
        assert "re-clustering" in caplog.text
        assert {tuple(s.documents) for s in reopened.stories()} == before
        assert reopened.store.load_story_state()["version"] != "stories.v0"


def test_a_lost_story_state_is_rebuilt_without_repeating_history(ws):
    import sqlalchemy as sa

    from sitroom.store.analysis import story_state

    ws.analyser.flush(force=True)
    before = ws.stories()
    with ws.store.engine.begin() as conn:
        conn.execute(sa.delete(story_state))
    with Workspace.open(str(ws.location.sqlite_path)) as reopened:
        reopened.analyse()
        after = reopened.stories()
        assert [(s.id, s.documents) for s in after] == [(s.id, s.documents) for s in before]
        assert sum(len(s.changes) for s in after) == sum(len(s.changes) for s in before)
        assert reopened.store.load_story_state() is not None
