"""The workbench's fast paths give what the slower ways they replace gave: the documents timeline
ordered and paged by the database (against placing every document in Python), the speaker filter on
the stored source-as-written (against cutting it out of every text), an entity's events through
entity_links (against every event of a document that names it), on the demo corpus and on a
workspace migrated from before the stored columns existed."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import delete, update

from sitroom import Workspace
from sitroom.analyse.timeline import place_documents, within
from sitroom.store import schema
from sitroom.store.revisions import document_periods
from tests.conftest import DEMO_CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlpaths") / "ws"
    workspace = Workspace.init(folder)
    workspace.ingest([str(DEMO_CORPUS)])
    workspace.process()
    workspace.close()
    return folder


@pytest.fixture
def ws(built, tmp_path):
    """A copy of the processed demo workspace, free to change."""
    copy = tmp_path / "ws"
    shutil.copytree(built, copy)
    workspace = Workspace.open(copy)
    yield workspace
    workspace.close()


def _placed_in_python(ws, *, source=None, since=None, until=None, offset=0, limit=None):
    """The documents timeline as it was computed before: every brief placed in Python."""
    briefs = ws.store.documents_page(source=source, duplicates=False, limit=None).items
    entries = [e for e in place_documents(briefs, ws.store.reported_periods()) if within(e, since, until)]
    return entries[offset : offset + limit if limit else None], len(entries)


BOUNDS = [
    {}, {"since": "2016"}, {"until": "2015-06"}, {"since": "2015-11-02", "until": "2016-03"},
    {"since": "1990", "until": "2000"}, {"offset": 2, "limit": 2}, {"source": "a"}, {"since": "2015-11"},
]  # fmt: skip


def _check_timeline(ws):
    for bounds in BOUNDS:
        expected, total = _placed_in_python(ws, **bounds)
        page = ws.timeline(kind="documents", **bounds)
        assert (list(page.items), page.total) == (expected, total), bounds


def test_documents_timeline_paged_by_the_database_places_documents_as_before(ws):
    _check_timeline(ws)
    assert ws.timeline(kind="documents").total == 5


def test_documents_timeline_without_recorded_periods_falls_back_as_before(ws):
    # Three documents processed by a sitroom that did not record periods (placed by their dates'
    # span), one with an implausible publication date, one with no date at all (undated, last).
    ids = [doc.id for doc in ws.documents()]
    with ws.store.write_engine.begin() as conn:
        conn.execute(delete(document_periods).where(document_periods.c.document_id.in_(ids[:3])))
        docs = schema.documents
        conn.execute(update(docs).where(docs.c.id == ids[3]).values(published_implausible="too late"))
        conn.execute(
            update(docs).where(docs.c.id == ids[4]).values(published=None, published_earliest=None,
                                                           published_latest=None)
        )  # fmt: skip
    ws.store.save_periods({ids[4]: None})  # recorded: no dated content
    assert len(ws.store.documents_without_period()) == 3
    _check_timeline(ws)
    last = ws.timeline(kind="documents").items[-1]
    assert (last.document_id, last.when) == (ids[4], "")


def _speaker_matches_in_python(ws, name: str) -> list[str]:
    """The claims a search by speaker name found before the source as written was stored: the
    speaker's entity in its document (name or aliases) or across the workspace, an analyst's name or
    the key, or the source cut out of the document's text, all ignoring case."""
    needle = name.lower()
    found = []
    for record in ws.claims(limit=None):
        doc_id, claim = record.document.id, record.claim
        local = {e.key: e for e in ws.store.annotations_of(doc_id)["entities"]}
        linked = ws.store.document_entity_ids(doc_id)
        text = ws.document(doc_id).text
        names = []
        if claim.speaker in local:
            names += [local[claim.speaker].name, "; ".join(local[claim.speaker].aliases)]
        if claim.speaker in linked:
            names.append(ws.entity(linked[claim.speaker]).name)
        names.append(claim.speaker or "")
        if claim.source_start is not None:
            names.append(text[claim.source_start : claim.source_end])
        if any(needle in n.lower() for n in names):
            found.append(record.ref)
    return found


def _names_to_try(ws) -> list[str]:
    names = {"minister", "said", "nobody-of-that-name", "%", "_", "a"}
    for record in ws.claims(limit=None):
        for value in (record.speaker_name, record.source_text):
            if value:
                names.update({value, value.split()[-1], value[1:4].upper()})
    return sorted(names)


def test_claims_by_speaker_name_find_what_cutting_every_text_found(ws):
    names = _names_to_try(ws)
    assert len(names) > 10
    for name in names:
        assert [c.ref for c in ws.claims(speaker=name, limit=None)] == _speaker_matches_in_python(ws, name), (
            name
        )


def test_many_matches_are_found_by_subquery_with_the_same_result(ws, monkeypatch):
    from sitroom.store.database import Store

    names = ["a", "minister", "_"]
    found = {name: [c.ref for c in ws.claims(speaker=name, limit=None)] for name in names}
    events = [e.ref for e in ws.events(actor="a", limit=None)]
    among = Store._among
    monkeypatch.setattr(
        Store, "_among", lambda self, column, ids, most=0: among(self, column, ids, most=most)
    )
    assert {name: [c.ref for c in ws.claims(speaker=name, limit=None)] for name in names} == found
    assert [e.ref for e in ws.events(actor="a", limit=None)] == events and found["a"]


def test_an_old_workspace_gets_the_source_as_written_backfilled(ws, tmp_path):
    import sqlalchemy as sa

    from sitroom.store import annotations as ann

    names = _names_to_try(ws)
    before = {name: [c.ref for c in ws.claims(speaker=name, limit=None)] for name in names}
    claims = ann.claims
    with ws.store.engine.connect() as conn:
        written = dict(conn.execute(sa.select(claims.c.id, claims.c.speaker_as_written)).all())
    assert any(written.values())
    # As a workspace of schema version 8 had it: no column, no indexes.
    with ws.store.write_engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_claims_speaker_as_written"))
        conn.execute(sa.text("DROP INDEX ix_claims_speaker"))
        conn.execute(sa.text("ALTER TABLE claims DROP COLUMN speaker_as_written"))
        conn.execute(sa.text("UPDATE settings SET value = '8' WHERE key = 'schema_version'"))
    ws.close()
    reopened = Workspace.open(tmp_path / "ws")  # the fixture's copy
    try:
        with reopened.store.engine.connect() as conn:
            assert dict(conn.execute(sa.select(claims.c.id, claims.c.speaker_as_written)).all()) == written
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("claims")}
        assert {"ix_claims_speaker", "ix_claims_speaker_as_written"} <= indexes
        assert {name: [c.ref for c in reopened.claims(speaker=name, limit=None)] for name in names} == before
    finally:
        reopened.close()


def test_an_entitys_events_are_those_it_is_an_actor_or_target_of(ws):
    every = ws.events(limit=None)
    entities = set()
    for record in every:
        entities.update(ws.store.document_entity_ids(record.document.id).values())
    checked = 0
    for entity_id in sorted(entities):
        expected = [
            r.ref
            for r in every
            if {k for k, e in ws.store.document_entity_ids(r.document.id).items() if e == entity_id}
            & set(r.event.actors + r.event.targets)
        ]
        page = ws.events(entity=entity_id, limit=None)
        assert ([r.ref for r in page], page.total) == (expected, len(expected)), entity_id
        checked += bool(expected)
    assert checked >= 3


def test_places_page_and_count_in_one_pass_count_every_place(ws):
    every = ws.places(limit=None)
    assert every.total == len(every) > 2
    page = ws.places(offset=1, limit=2)
    assert (page.total, list(page.items)) == (every.total, list(every.items[1:3]))
    past = ws.places(offset=every.total + 5, limit=5)
    assert (past.total, past.items) == (every.total, ())
    for place in every:
        assert ws.place(place.id) == place
        assert ws.subject_documents(place=place.id, limit=None).total == place.documents


def test_events_by_actor_name_find_what_the_per_event_search_found(ws):
    every = ws.events(limit=None)
    names = {"syria", "government", "a", "%", "_", "nobody-of-that-name"}
    names.update(n.split()[-1] for r in every for n in r.actor_names + r.target_names if n.strip())
    for name in sorted(names):
        needle = name.lower()
        expected = []
        for r in every:
            actors, targets = "; ".join(r.event.actors), "; ".join(r.event.targets)
            local = ws.store.annotations_of(r.document.id)["entities"]
            named = [
                e.key for e in local if needle in e.name.lower() or needle in "; ".join(e.aliases).lower()
            ]
            if (
                any(key in actors or key in targets for key in named)
                or needle in f"{actors}\n{targets}".lower()
            ):
                expected.append(r.ref)
        assert [r.ref for r in ws.events(actor=name, limit=None)] == expected, name


def test_the_same_paths_on_postgresql(tmp_path, postgres_url):
    with Workspace.open(postgres_url, create=True, raw_dir=tmp_path / "raw") as pg:
        pg.ingest([str(DEMO_CORPUS)])
        pg.process()
        _check_timeline(pg)
        for name in _names_to_try(pg):
            assert [c.ref for c in pg.claims(speaker=name, limit=None)] == _speaker_matches_in_python(
                pg, name
            ), name
        test_an_entitys_events_are_those_it_is_an_actor_or_target_of(pg)
        test_places_page_and_count_in_one_pass_count_every_place(pg)
