"""Analyst corrections on the demo corpus: stored as revisions, shown by every read, surviving
`process --force`, and turned into conflicts when the machine's own value changes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom import Workspace
from sitroom.cli import app
from sitroom.errors import InputError, NotFoundError
from sitroom.store.revisions import revisions as revisions_table
from tests.conftest import DEMO_CORPUS, REPO

pytestmark = pytest.mark.slow
QUESTION = REPO / "sitroom" / "examples" / "questions" / "russia-ground-forces-syria.yaml"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace.init(tmp_path_factory.mktemp("revisions"))
    workspace.ingest([str(DEMO_CORPUS)])
    workspace.process()
    workspace.add_question(QUESTION)
    yield workspace
    workspace.close()


def test_a_claim_correction_is_read_back_and_survives_reprocessing(ws):
    claim = next(c for c in ws.claims(limit=None) if c.claim.modality != "possible")
    revision = ws.correct(claim.ref, "modality", "possible", analyst="ana", why="the cue is hedged")
    assert (revision.before, revision.after, revision.analyst, revision.state) == (
        claim.claim.modality, "possible", "ana", "active",
    )  # fmt: skip
    again = next(c for c in ws.claims(document=claim.document.id, limit=None) if c.ref == claim.ref)
    assert again.claim.modality == "possible" and again.corrected == ("modality",)
    assert claim.ref in {c.ref for c in ws.claims(modality="possible", limit=None)}

    summary = ws.process(force=True)
    assert summary.conflicts == 0
    after = next(c for c in ws.claims(document=claim.document.id, limit=None) if c.ref == claim.ref)
    assert after.claim.modality == "possible"
    [history] = ws.revisions(target=claim.ref).items
    assert history.state == "active" and history.why == "the cue is hedged"


def test_a_changed_machine_value_becomes_a_conflict_and_the_analyst_still_wins(ws):
    claim = next(c for c in ws.claims(limit=None) if c.claim.polarity == "affirm")
    revision = ws.correct(claim.ref, "polarity", "deny", analyst="ana")
    # As if an older component version had said something else when the analyst corrected it.
    with ws.store.engine.begin() as conn:
        conn.execute(
            revisions_table.update().where(revisions_table.c.id == revision.id).values(machine_then="negated")
        )
    summary = ws.process(force=True)
    assert summary.conflicts >= 1
    [conflict] = [r for r in ws.revisions(state="conflict", limit=None) if r.id == revision.id]
    assert conflict.machine == "affirm"
    kept = next(c for c in ws.claims(document=claim.document.id, limit=None) if c.ref == claim.ref)
    assert kept.claim.polarity == "deny"


def test_a_second_correction_supersedes_the_first(ws):
    claim = ws.claims(limit=1)[0]
    first = ws.correct(claim.ref, "speaker", "Somebody Else", analyst="ana")
    second = ws.correct(claim.ref, "speaker", "Another Person", analyst="bo", why="misread")
    history = ws.revisions(target=claim.ref, limit=None)
    states = {r.id: r.state for r in history}
    assert states[first.id] == "superseded" and states[second.id] == "active"
    read = next(c for c in ws.claims(document=claim.document.id, limit=None) if c.ref == claim.ref)
    assert read.speaker_name == "Another Person"
    assert claim.ref in {c.ref for c in ws.claims(speaker="another person", limit=None)}


def test_events_places_and_dates_are_corrected(ws):
    event = ws.events(located=True, limit=1)[0]
    ws.correct(event.ref, "type", "protest", analyst="ana")
    ws.correct(event.ref, "place", "Somewhere|10.5,20.25", analyst="ana")
    ws.process(force=True)
    found = next(
        e for e in ws.events(document=event.document.id, limit=None)
        if (e.event.trigger_start, e.event.trigger_end) == (event.event.trigger_start, event.event.trigger_end)
    )  # fmt: skip
    assert found.event.type == "protest" and found.event.place_name == "Somewhere"
    assert (found.event.lat, found.event.lon) == (10.5, 20.25) and set(found.corrected) == {"type", "place"}

    doc = ws.document(event.document.id)
    ws.correct(f"doc:{doc.id}", "published", "2016-03-14", analyst="ana", why="the dateline says so")
    ws.process(force=True)
    published = ws.document(doc.id).published
    assert (published.value, published.basis, published.implausible) == ("2016-03-14", "analyst", None)


def test_link_status_source_grade_and_ach_rating_are_revisions(ws):
    link = ws.links(kind="contradicts")[0]
    ws.set_link_status(link.id, "confirmed", analyst="ana")
    assert ws.links(kind="contradicts", status="confirmed").total >= 1
    source = next(p.name for p in ws.sources() if p.name in ws.store.source_grades())
    ws.grade_source(source, "b", analyst="ana")
    assert next(p for p in ws.sources() if p.name == source).grade == "B"
    kinds = {r.target.split(":")[0] for r in ws.revisions(analyst="ana", limit=None)}
    assert {"link", "source"} <= kinds

    board = ws.board("russia-ground-forces-syria")
    row = board.matrix[0]
    hypothesis = next(iter(row.ratings))
    new = "II" if row.ratings[hypothesis] != "II" else "CC"
    ws.correct(f"ach:russia-ground-forces-syria:{row.evidence.ref}:{hypothesis}", "rating", new, analyst="ana")
    again = ws.board("russia-ground-forces-syria")
    assert next(r for r in again.matrix if r.evidence.ref == row.evidence.ref).ratings[hypothesis] == new


@pytest.mark.parametrize(
    ("target", "field", "value", "error"),
    [
        ("claim:nothex:1-2", "modality", "possible", InputError),
        ("doc:0123456789abcdef", "speaker", "x", InputError),
        ("source:Nobody Such", "grade", "Z", InputError),
        ("source:Nobody Such", "grade", "B", NotFoundError),
        ("link:999999", "status", "confirmed", NotFoundError),
        ("doc:0123456789abcdef", "published", "2020-13-45", InputError),
    ],
)
def test_bad_corrections_are_refused(ws, target, field, value, error):
    with pytest.raises(error):
        ws.correct(target, field, value, analyst="ana")


def test_the_cli_corrects_and_lists(ws):
    runner = CliRunner()
    claim = ws.claims(limit=1)[0]
    folder = str(ws.location.sqlite_path.parent)
    result = runner.invoke(
        app, ["correct", claim.ref, "modality", "likely", "--why", "cli", "--analyst", "cl", "-w", folder]
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["revisions", "--analyst", "cl", "--json", "-w", folder])
    assert [r["after"] for r in json.loads(listed.output)] == ["likely"]
    assert runner.invoke(app, ["correct", claim.ref, "modality", "sure", "-w", folder]).exit_code == 2
