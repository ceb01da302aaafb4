"""The typed read layer on the demo corpus: pages with totals, filters by name, checked arguments, and
aggregates counted by the database that agree with the per-document computation they replace."""

from __future__ import annotations

import pytest

from sitroom import Workspace
from sitroom.analyse.sources import build_profiles
from sitroom.analyse.timeline import document_timeline, event_timeline
from sitroom.errors import InputError
from sitroom.views import ClaimRecord, Page, SourceProfile, StoredLink, Story, TimelineEntry
from tests.conftest import DEMO_CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace.init(tmp_path_factory.mktemp("read"))
    workspace.ingest([str(DEMO_CORPUS)])
    workspace.process()
    yield workspace
    workspace.close()


def test_pages_count_everything_and_cut_one_page(ws):
    everything = ws.claims(limit=None)
    assert isinstance(everything, Page) and everything.total == len(everything) > 10
    first, second = ws.claims(limit=4), ws.claims(offset=4, limit=4)
    assert first.total == everything.total and first.more
    assert [c.ref for c in first] + [c.ref for c in second] == [c.ref for c in everything][:8]
    assert first.notice("claims") == f"showing 1–4 of {everything.total} claims"
    assert all(isinstance(c, ClaimRecord) and c.content and c.sentence for c in everything)


def test_claims_by_speaker_name_not_only_key(ws):
    found = ws.claims(speaker="putin", limit=None)
    assert found.total > 0
    assert all(
        "putin" in (c.speaker_name or "").lower() or "putin" in (c.source_text or "").lower() for c in found
    )
    assert ws.claims(speaker="nobody-of-that-name", limit=None).total == 0


def test_events_by_actor_place_and_date(ws):
    located = ws.events(located=True, limit=None)
    assert located.total and all(e.event.lat is not None for e in located)
    place = located[0].event.place_name
    assert all(
        place.lower() in (e.event.place_name or "").lower() for e in ws.events(place=place, limit=None)
    )
    dated = ws.events(since="2015", until="2016", limit=None)
    assert all((e.event.earliest or e.document.published.value or "")[:4] in ("2015", "2016") for e in dated)


@pytest.mark.parametrize(
    "call",
    [
        lambda ws: ws.claims(modality="sure"),
        lambda ws: ws.claims(polarity="maybe"),
        lambda ws: ws.claims(since="2020-13-45"),
        lambda ws: ws.claims(since="2016", until="2015"),
        lambda ws: ws.claims(limit=-1),
        lambda ws: ws.claims(limit=99999999999999999999),
        lambda ws: ws.claims(offset=-3),
        lambda ws: ws.links(status="pending"),
        lambda ws: ws.timeline(kind="people"),
        lambda ws: ws.stories(min_size=0),
    ],
)
def test_bad_arguments_are_refused_with_a_coded_error(ws, call):
    with pytest.raises(InputError) as raised:
        call(ws)
    assert raised.value.code == "E041"


def test_source_profiles_agree_with_the_per_document_computation(ws):
    fast = {p.name: p for p in ws.sources(min_documents=0)}
    slow = build_profiles(
        ws.documents(), ws.store.annotations_of, lambda ref: [_as_dict(x) for x in ws.store.list_links(ref=ref)],
        ws.store.source_grades(),
    )  # fmt: skip
    assert set(fast) == {p.name for p in slow}
    for profile in slow:
        got = fast[profile.name]
        assert isinstance(got, SourceProfile)
        assert (got.documents, got.duplicates, got.claims, got.events, got.hedged) == (
            profile.documents, profile.duplicates, profile.claims, profile.events, profile.hedged,
        )  # fmt: skip
        assert (got.corroborated, got.contradicted, got.unattributed_events) == (
            profile.corroborated, profile.contradicted, profile.unattributed_events,
        )  # fmt: skip


def test_timeline_from_the_database_agrees_with_the_per_document_one(ws):
    docs = list(ws.documents())
    expected = document_timeline(docs, ws.store.annotations_of)
    page = ws.timeline()
    assert all(isinstance(e, TimelineEntry) for e in page)
    assert [(e.document_id, e.when, e.until, e.text) for e in page] == [
        (e.document_id, e.when, e.until, e.text) for e in expected
    ]
    events = ws.timeline(kind="events", limit=None)
    assert [e.ref for e in events] == [e.ref for e in event_timeline(docs, ws.store.annotations_of)]
    assert ws.timeline(kind="events", limit=3).total == events.total


def test_stories_links_and_overview_are_typed(ws):
    stories = ws.stories()
    assert stories.total == 1 and isinstance(stories[0], Story) and ws.story(stories[0].id) == stories[0]
    links = ws.links(kind="contradicts")
    assert links.total and all(isinstance(link, StoredLink) for link in links)
    overview = ws.overview()
    assert overview.documents == 5 and overview.claims == ws.claims(limit=None).total
    assert overview.earliest and overview.latest and overview.runs
    assert sum(f.count for f in ws.facets("source")) == 5


def _as_dict(link: StoredLink) -> dict:
    from dataclasses import asdict

    return asdict(link)
