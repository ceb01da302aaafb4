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
