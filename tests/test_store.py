"""The store on SQLite and PostgreSQL: migrations, one-transaction writes, search, idempotence."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from sitroom.analyse.entity_resolution import resolve_entity
from sitroom.errors import NotFoundError, WorkspaceError
from sitroom.model import Document, Problem, Published, RemovedLine
from sitroom.pipeline import Analysis
from sitroom.store import Store, migrations


def make_doc(doc_id: str, text: str, **fields) -> Document:
    return Document(
        id=doc_id,
        text=text,
        origin="test.txt",
        format="text",
        text_hash=doc_id * 4,
        removed=[RemovedLine(text="Share it...", reason="share widget")],
        **fields,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sitroom.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    store = Store.open(url, resolve_entity=resolve_entity)
    yield store
    store.close()


def test_document_round_trip(store):
    pub = Published(value="2015-11-23", precision="day", basis="stated")
    doc = make_doc(
        "a1b2c3d4e5f60718",
        "Russia has sent ground forces into Syria.",
        title="Report",
        source="Example News",
        published=pub,
        dateline="Jerusalem",
        language="en",
        url="https://www.example.com/a",
    )
    assert store.add_document(doc, raw=42, bands=["00abc", "01def"], run_id="r1")
    back = store.get_document("a1b2c3")
    assert back.title == "Report" and back.source == "Example News" and back.published == pub
    assert back.removed == [RemovedLine(text="Share it...", reason="share widget")]
    assert back.dateline == "Jerusalem"


def test_same_id_twice_adds_nothing(store):
    doc = make_doc("00000000000000aa", "Text one.")
    assert store.add_document(doc, raw=1, bands=["00x"], run_id="r1") is True
    assert store.add_document(doc, raw=1, bands=["00x"], run_id="r2") is False
    assert store.count_documents()["documents"] == 1


def test_sources_are_shared(store):
    store.add_document(make_doc("00000000000000b1", "One.", source="Outlet"), raw=1, bands=[], run_id="r")
    store.add_document(make_doc("00000000000000b2", "Two.", source="Outlet"), raw=1, bands=[], run_id="r")
    assert store.count_documents()["sources"] == 1
    assert store.count_by("source") == [("Outlet", 2)]


def test_full_text_search(store):
    store.add_document(
        make_doc("00000000000000c1", "Russia has sent ground forces into Syria.", title="Ground"),
        raw=1,
        bands=[],
        run_id="r",
    )
    store.add_document(
        make_doc("00000000000000c2", "A meteorite fell near Managua.", title="Sky"),
        raw=1,
        bands=[],
        run_id="r",
    )
    hits = store.search("ground forces")
    assert [h.document_id for h in hits] == ["00000000000000c1"]
    assert "ground" in hits[0].snippet.lower()
    # Stray query syntax is searched as words instead of failing.
    assert [h.document_id for h in store.search('"meteorite')] == ["00000000000000c2"]


def test_band_candidates(store):
    store.add_document(make_doc("00000000000000d1", "alpha"), raw=1, bands=["00a", "01b"], run_id="r")
    store.add_document(make_doc("00000000000000d2", "beta"), raw=1, bands=["00z"], run_id="r")
    found = store.find_band_candidates(["00a", "01b", "02c"])
    assert [c[0] for c in found] == ["00000000000000d1"]


def test_problems_and_runs(store):
    store.start_run("run-1", kind="ingest", arguments={"targets": ["x"]})
    store.add_problem("run-1", Problem(origin="bad.bin", reason="binary", code="E013"))
    store.finish_run("run-1", counts={"ingested": 0, "skipped": 1})
    assert [p.code for p in store.problems_of("run-1")] == ["E013"]
    assert store.runs()[0].skipped == 1


def test_unknown_document(store):
    with pytest.raises(NotFoundError):
        store.get_document("ffff")
    with pytest.raises(NotFoundError):
        store.get_document("not-an-id")


def test_iter_documents_in_batches(store):
    for i in range(7):
        store.add_document(make_doc(f"{i:016x}", f"text {i}"), raw=1, bands=[], run_id="r")
    assert len(list(store.iter_documents(batch=3))) == 7


def test_sqlite_is_wal_and_has_view(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    store.add_document(make_doc("00000000000000e1", "x", source="S"), raw=1, bands=[], run_id="r")
    store.close()
    conn = sqlite3.connect(tmp_path / "w.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT source FROM document_overview").fetchone()[0] == "S"


def test_newer_schema_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    Store.open(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE settings SET value = '999' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(WorkspaceError, match="E002"):
        Store.open(url)


def test_a_workspace_of_schema_5_gains_the_story_topic_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    Store.open(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # back to schema 5: stories without a topic column
        conn.execute(sa.text("ALTER TABLE stories DROP COLUMN topic"))
        conn.execute(sa.text("UPDATE settings SET value = '5' WHERE key = 'schema_version'"))
    assert migrations.migrate(engine) == 5
    assert "topic" in {c["name"] for c in sa.inspect(engine).get_columns("stories")}
    engine.dispose()


def test_a_workspace_of_schema_10_gains_stored_link_items_dropped_with_the_annotations(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = sa.create_engine(url)
    migrations.migrate(engine, upto=10)
    assert "link_items" not in sa.inspect(engine).get_table_names()
    with engine.begin() as conn:  # back to schema 10: link keys without their recency
        conn.execute(sa.text("DROP INDEX ix_link_keys_recent"))
        conn.execute(sa.text("ALTER TABLE link_keys DROP COLUMN at"))
        conn.execute(sa.text("INSERT INTO documents (id, text, origin, format, ingested_at, text_hash, raw_size) "
                             "VALUES ('00000000000000b0', 'x', 'x', 'text', '2026-01-02T03:04:05', 'h', 1)"))  # fmt: skip
        conn.execute(sa.text("INSERT INTO link_keys VALUES ('evt:deploy', 'r0', '00000000000000b0')"))
    assert migrations.migrate(engine) == 10
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT at FROM link_keys")).scalar() == "2026-01-02T03:04:05"
    assert "ix_link_keys_recent" in {i["name"] for i in sa.inspect(engine).get_indexes("link_keys")}
    engine.dispose()
    store = Store.open(url)
    doc = Document(id="00000000000000b1", text="Russia sent troops.", origin="x", format="text")
    store.add_document(doc, raw=10, bands=[], run_id="r")
    store.save_link_keys(doc.id, [("evt:deploy", f"{doc.id}:e0-6")], items=("v1", "[]"))
    assert store.stored_link_items([doc.id], version="v1") == {doc.id: "[]"}
    assert store.stored_link_items([doc.id], version="v2") == {}
    # New annotations: the items built from the old ones go.
    store.save_analysis(Analysis(document=doc, components=["entities.v1"]), run_id="r")
    assert store.stored_link_items([doc.id], version="v1") == {}
    store.close()


def test_a_workspace_of_schema_11_gains_the_ingest_order_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    Store.open(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # back to schema 11: documents without the index, copies with keys
        conn.execute(sa.text("DROP INDEX ix_documents_ingested"))
        conn.execute(sa.text("UPDATE settings SET value = '11' WHERE key = 'schema_version'"))
        for doc_id, copy_of in (("00000000000000d0", None), ("00000000000000d1", "00000000000000d0")):
            conn.execute(
                sa.text("INSERT INTO documents (id, text, origin, format, ingested_at, text_hash, raw_size, "
                        "duplicate_of) VALUES (:id, 'x', 'x', 'text', '2026-01-02', 'h', 1, :copy_of)"),
                {"id": doc_id, "copy_of": copy_of},
            )  # fmt: skip
            conn.execute(sa.text("INSERT INTO link_keys VALUES ('evt:deploy', :id || '-e0', :id, '2026-01-02')"),
                         {"id": doc_id})  # fmt: skip
    assert migrations.migrate(engine) == 11
    assert "ix_documents_ingested" in {i["name"] for i in sa.inspect(engine).get_indexes("documents")}
    with engine.connect() as conn:  # a copy is never a candidate: its keys are gone, the original's kept
        assert conn.execute(sa.text("SELECT document_id FROM link_keys")).scalars().all() == [
            "00000000000000d0"
        ]
    with engine.connect() as conn:  # the batched reads walk it rather than sorting the documents
        plan = conn.execute(
            sa.text("EXPLAIN QUERY PLAN SELECT id FROM documents ORDER BY ingested_at, id")
        ).all()
    assert "ix_documents_ingested" in " ".join(str(row) for row in plan)
    engine.dispose()


def test_iter_documents_reads_no_page_after_a_short_one(store):
    statements = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for i in range(5):
        store.add_document(make_doc(f"00000000000000c{i}", f"Text number {i}."), raw=1, bands=[], run_id="r")
    statements.clear()
    assert len(list(store.iter_documents(batch=2))) == 5  # pages of 2, 2 and 1
    assert sum("FROM documents" in s for s in statements) == 3
    statements.clear()
    assert len(list(store.iter_documents(batch=5))) == 5  # a full page: one more read finds none
    assert sum("FROM documents" in s for s in statements) == 2


def test_migrations_are_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    Store.open(url).close()
    engine = sa.create_engine(url)
    assert migrations.migrate(engine) == migrations.LATEST
    engine.dispose()


def test_save_analysis_replaces_by_component_and_links_entities(store):
    from sitroom.model import Entity, Mention, Place, TimeRef
    from sitroom.pipeline import Analysis

    doc = make_doc("00000000000000f1", "Putin said Russia will act. Moscow agreed last week.")
    store.add_document(doc, raw=1, bands=[], run_id="r")
    putin = Entity(
        key="person/vladimir-putin", name="Vladimir Putin", type="PERSON", actor_id="person/vladimir-putin"
    )
    local = Entity(key="local:org:acme", name="Acme Corp", type="ORG", aliases=("Acme",))
    analysis = Analysis(
        document=doc,
        mentions=[Mention(start=0, end=5, label="PERSON", entity_key=putin.key, actor_id=putin.actor_id)],
        entities=[putin, local],
        places=[
            Place(start=11, end=17, name="Russia", lat=60.0, lon=100.0, country_code="RU", feature="country")
        ],
        times=[TimeRef(start=42, end=51, type="DATE", value="XXXX-WXX", granularity="week")],
        components=["entities.v1", "places.v1", "time.v1"],
    )
    store.save_analysis(analysis, run_id="p1")
    layers = store.annotations_of(doc.id)
    assert [p.name for p in layers["places"]] == ["Russia"]
    assert layers["mentions"][0].actor_id == "person/vladimir-putin"
    assert {e.key for e in layers["entities"]} == {putin.key, local.key}
    assert layers["entities"][1].aliases in (("Acme",), ())

    # A new version of one component replaces its rows only.
    newer = Analysis(document=doc, times=[], components=["time.v2"])
    store.save_analysis(newer, run_id="p2")
    layers = store.annotations_of(doc.id)
    assert layers["times"] == [] and len(layers["places"]) == 1

    # The same local entity in another document links to the same workspace entity by alias.
    other = make_doc("00000000000000f2", "Acme Corp denied it.")
    store.add_document(other, raw=1, bands=[], run_id="r")
    store.save_analysis(
        Analysis(
            document=other,
            entities=[Entity(key="local:org:acme", name="Acme", type="ORG")],
            components=["entities.v1"],
        ),
        run_id="p3",
    )
    from sitroom.store import annotations as ann

    with store.engine.connect() as conn:
        links = conn.execute(
            sa.select(ann.entity_links.c.document_id, ann.entity_links.c.entity_id).where(
                ann.entity_links.c.entity_key == "local:org:acme"
            )
        ).all()
    assert len(links) == 2 and links[0].entity_id == links[1].entity_id


def test_people_outside_the_dictionary_link_across_documents_by_similar_name(store):
    from sitroom.model import Entity
    from sitroom.pipeline import Analysis
    from sitroom.store import annotations as ann

    names = ["Andrei Fyodorov", "Andrey Fyodorov", "A. Fyodorov", "Boris Fyodorov", "Fyodorov"]
    for i, name in enumerate(names):
        doc = make_doc(f"{i + 1:016x}", f"{name} said so.")
        store.add_document(doc, raw=1, bands=[], run_id="r")
        entity = Entity(key=f"local:person:{i}", name=name, type="PERSON")
        store.save_analysis(Analysis(document=doc, entities=[entity], components=["entities.v1"]), run_id="p")
    with store.engine.connect() as conn:
        links = dict(
            conn.execute(sa.select(ann.entity_links.c.entity_key, ann.entity_links.c.entity_id)).all()
        )
    andrei = links["local:person:0"]
    assert links["local:person:1"] == andrei and links["local:person:2"] == andrei
    assert links["local:person:3"] != andrei  # another given name: another person
    assert links["local:person:4"] != andrei  # a bare surname is too weak to link


def test_two_people_of_one_surname_never_link_on_the_bare_surname(store):
    # "Valerie Smith" (with a bare "Smith" in her article) and "Caitlyn Smith" became one person
    from sitroom.model import Entity
    from sitroom.pipeline import Analysis
    from sitroom.store import annotations as ann

    for i, name in enumerate(["Valerie Smith", "Caitlyn Smith", "Valerie Smith"]):
        doc = make_doc(f"{i + 21:016x}", f"{name} said so. Smith added more.")
        store.add_document(doc, raw=1, bands=[], run_id="r")
        entity = Entity(key=f"local:person:{i}", name=name, type="PERSON", aliases=("Smith",))
        store.save_analysis(Analysis(document=doc, entities=[entity], components=["entities.v1"]), run_id="p")
    with store.engine.connect() as conn:
        links = dict(
            conn.execute(sa.select(ann.entity_links.c.entity_key, ann.entity_links.c.entity_id)).all()
        )
    assert links["local:person:1"] != links["local:person:0"] == links["local:person:2"]


def test_links_questions_and_stories_tables(store):
    from sitroom.analyse.stories import StoryChange
    from sitroom.model import Link

    for doc_id in ("00000000000000a1", "00000000000000a2"):
        store.add_document(make_doc(doc_id, "text"), raw=1, bands=[], run_id="r")
    a, b = "claim:00000000000000a1:0-4", "claim:00000000000000a2:0-4"
    link = Link(kind="contradicts", a=b, b=a, score=0.7, reason="numeric conflict")
    assert store.save_links([link], now="2026-01-01") == 1
    assert store.save_links([link], now="2026-01-02") == 0  # same link again: refreshed, not added
    [saved] = store.list_links(kind="contradicts")
    assert (saved.a, saved.b, saved.a_document) == (a, b, "00000000000000a1")
    assert store.set_link_status(saved.id, "confirmed")
    store.delete_links_of("00000000000000a1")  # an analyst's verdict survives re-linking
    assert store.links_of_refs([a])[a][0]["status"] == "confirmed"

    # Many at once: those stored are refreshed (the analyst's status stays), one found twice in a call
    # is stored once with the later score, the new ones are numbered in the order found.
    c = "claim:00000000000000a2:5-9"
    corroborates = Link(kind="corroborates", a=a, b=c, score=0.4, reason="first")
    again = Link(kind="contradicts", a=a, b=b, score=0.9, reason="again")
    later = Link(kind="corroborates", a=c, b=a, score=0.6, reason="second")
    numeric = Link(kind="contradicts", a=a, b=c, score=0.5, reason="numbers")
    assert store.save_links([corroborates, again, later, numeric], now="2026-01-03") == 2
    found = {(x.kind, x.a, x.b): x for x in store.list_links()}
    assert found[("contradicts", a, b)].status == "confirmed" and found[("contradicts", a, b)].score == 0.9
    assert (found[("corroborates", a, c)].score, found[("corroborates", a, c)].reason) == (0.6, "second")
    assert found[("corroborates", a, c)].id < found[("contradicts", a, c)].id
    assert store.save_links([], now="2026-01-04") == 0
    store.save_link_keys("00000000000000a1", [("evt:deploy", a)])
    store.save_link_keys("00000000000000a2", [("evt:deploy", b)])
    assert store.refs_sharing_keys(["evt:deploy"], exclude_document="00000000000000a1") == {
        "00000000000000a2": {b}
    }
    assert set(store.refs_sharing_keys(["evt:deploy"], limit=10)) == {"00000000000000a1", "00000000000000a2"}
    # Ranked over each key's most recent rows only: a1 (older) shares two keys, a2 (newer) one.
    store.save_link_keys("00000000000000a1", [("evt:deploy", a), ("evt:deploy:RUS", a)], at="2026-01-01")
    store.save_link_keys("00000000000000a2", [("evt:deploy", b)], at="2026-01-02")
    both = ["evt:deploy", "evt:deploy:RUS"]
    assert list(store.refs_sharing_keys(both, limit=1)) == ["00000000000000a1"]
    assert store.refs_sharing_keys(both, limit=1, per_key=2) == {"00000000000000a1": {a}}
    # One row per key: evt:deploy's most recent original row is a2's, so each has one row counted;
    # with only evt:deploy, the one recent row is a2's although a1 has it too.
    assert set(store.refs_sharing_keys(both, limit=2, per_key=1)) == {
        "00000000000000a1",
        "00000000000000a2",
    }
    assert list(store.refs_sharing_keys(["evt:deploy"], limit=1, per_key=1)) == ["00000000000000a2"]

    assert store.save_question("q-one", "Q?", "slug: q-one", now="2026-01-01") is True
    assert store.save_question("q-one", "Q?", "slug: q-one", now="2026-01-02") is False
    assert store.add_assessment("q-one", {"date": "2026-01-01", "leading": "H1"}, now="2026-01-01")
    assert not store.add_assessment("q-one", {"date": "2026-01-02", "leading": "H1"}, now="2026-01-02")
    assert [h.leading for h in store.assessment_records("q-one")] == ["H1"]

    class Story:
        id, title, first_seen, last_seen = "story-1", "T", None, None
        documents = ["00000000000000a1", "00000000000000a2"]

    store.save_stories({"v": 1}, [Story()], [StoryChange("created", "story-1", None, "00000000000000a1", "new")],
                       now="2026-01-01")  # fmt: skip
    [story] = store.list_stories()
    assert story.size == 2 and story.changes[0].kind == "created"
    assert store.load_story_state() == {"v": 1}
    # A state saved in parts (the documents a row per part) comes back whole; saving again replaces
    # every part, and a state in one row after it leaves none behind.
    from sitroom.analyse.stories import StoryClusterer, StoryInput

    clusterer = StoryClusterer()
    for i, text in enumerate(["Quake hits Chile coast", "Quake in Chile kills two", "Budget vote delayed"]):
        clusterer.add(StoryInput(f"d{i}", text))
    for per_part in (2, 1, 5):
        store.save_stories(clusterer.state_parts(per_part=per_part), [], [], now="2026-01-02")
        assert store.load_story_state() == clusterer.to_state()
    # Saved before terms, stories and topics came in parts too: a row with all but the documents,
    # "document_parts" and a row of documents per part.
    import json

    from sitroom.store.analysis import story_state

    old = clusterer.to_state()
    documents = old.pop("documents")
    with store.write_engine.begin() as conn:
        conn.execute(sa.delete(story_state))
        conn.execute(story_state.insert(), [
            {"name": "default", "state": json.dumps({**old, "document_parts": 2}), "updated_at": "x"},
            {"name": "default#documents-000000", "state": json.dumps(documents[:2]), "updated_at": "x"},
            {"name": "default#documents-000001", "state": json.dumps(documents[2:]), "updated_at": "x"},
        ])  # fmt: skip
    assert store.load_story_state() == clusterer.to_state()
    store.save_stories({"v": 2}, [], [], now="2026-01-03")
    assert store.load_story_state() == {"v": 2}
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM story_state")).scalar() == 1


def test_the_clusterers_vectors_are_kept_apart_from_its_state(store):
    from sitroom.analyse.stories import StoryClusterer, StoryInput

    clusterer = StoryClusterer()
    clusterer.use_vector_store(store.story_vectors)
    texts = ["Quake hits Chile coast", "Quake in Chile kills two", "Budget vote delayed"]
    for i, text in enumerate(texts[:2]):
        clusterer.add(StoryInput(f"d{i}", text))
    store.save_stories(clusterer.state_parts(per_part=1), [], [], now="2026-01-02")
    clusterer.vectors_saved()
    # The vectors went to their own rows, once; the state's documents carry none.
    stored = store.story_vectors(["d0", "d1", "d9"])
    assert sorted(stored) == ["d0", "d1"] and len(stored["d0"]) == 5
    assert all("vectors" not in doc for doc in store.load_story_state()["documents"])
    clusterer.add(StoryInput("d2", texts[2]))
    store.save_stories(clusterer.state_parts(per_part=1), [], [], now="2026-01-03")
    clusterer.vectors_saved()
    assert sorted(store.story_vectors(["d0", "d1", "d2"])) == ["d0", "d1", "d2"]
    # Read back a part at a time with the store, the clusterer is the one saved.
    parts = store.story_state_parts()
    restored = StoryClusterer.from_parts(next(parts), parts, vectors=store.story_vectors)
    assert restored.stories() == clusterer.stories()
    # Re-clustered from scratch (a new vocabulary): the old vectors go.
    store.save_stories(StoryClusterer().state_parts(), [], [], now="2026-01-04", replace_all=True)
    assert store.story_vectors(["d0", "d1", "d2"]) == {}


def test_the_clusterers_state_is_saved_as_binary_and_read_back_the_same(store):
    """Parts with their numbers as bytes (``state_parts(raw=True)``, what the workspace saves) are
    stored as MessagePack and restore the clusterer that saved them."""
    from sitroom.analyse.stories import StoryClusterer, StoryInput
    from sitroom.store.analysis import story_state

    clusterer = StoryClusterer()
    texts = ["Quake hits Chile coast", "Quake in Chile kills two", "Budget vote delayed", "Budget passes"]
    for i, text in enumerate(texts):
        clusterer.add(StoryInput(f"d{i}", text))
    store.save_stories(clusterer.state_parts(per_part=2, raw=True), [], [], now="2026-01-02")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(story_state.c.state, story_state.c.data)).all()
    assert rows and all(row.state == "" and row.data for row in rows)
    parts = store.story_state_parts()
    restored = StoryClusterer.from_parts(next(parts), parts)
    assert restored.to_state() == clusterer.to_state()
    follow = StoryInput("d9", "Chile quake toll rises")
    assert restored.add(follow) == clusterer.add(follow)


def test_a_documents_links_are_replaced_in_one_go(store):
    from sitroom.model import Link

    for doc_id in ("00000000000000b1", "00000000000000b2"):
        store.add_document(make_doc(doc_id, "text"), raw=1, bands=[], run_id="r")
    a, b, c = "claim:00000000000000b1:0-4", "claim:00000000000000b2:0-4", "claim:00000000000000b2:5-9"
    kept = Link(kind="corroborates", a=a, b=b, score=0.5, reason="alike")
    dropped = Link(kind="contradicts", a=a, b=c, score=0.5, reason="numbers")
    confirmed = Link(kind="contradicts", a=b, b=a, score=0.5, reason="rebuttal")
    assert store.save_links([kept, dropped, confirmed], now="2026-01-01") == 3
    ids = {(x.kind, x.a, x.b): x.id for x in store.list_links()}
    assert store.set_link_status(ids[("contradicts", a, b)], "confirmed")
    again = Link(kind="corroborates", a=b, b=a, score=0.7, reason="alike again")
    new = Link(kind="corroborates", a=a, b=c, score=0.6, reason="new")
    assert store.replace_links_of("00000000000000b1", [again, new], now="2026-01-02") == 1
    found = {(x.kind, x.a, x.b): x for x in store.list_links()}
    assert set(found) == {("corroborates", a, b), ("corroborates", a, c), ("contradicts", a, b)}
    assert found[("corroborates", a, b)].id == ids[("corroborates", a, b)]  # the same row, refreshed
    assert found[("corroborates", a, b)].score == 0.7 and found[("contradicts", a, b)].status == "confirmed"


def test_documents_needing_only_those_missing_a_component(store):
    from sitroom.pipeline import Analysis

    for n in range(1, 5):
        store.add_document(make_doc(f"00000000000000d{n}", f"Text {n}."), raw=1, bands=[], run_id="r")
    docs = {d.id: d for d in store.iter_documents()}
    # d1: both components done; d2: one failed and one skipped (both recorded, so not needed again);
    # d3: only one component; d4: nothing.
    store.save_analysis(Analysis(document=docs["00000000000000d1"], components=["a.v1", "b.v1"]), run_id="r")
    store.save_analysis(
        Analysis(
            document=docs["00000000000000d2"], failed=[("a.v1", "boom")], skipped=[("b.v1", "not English")]
        ),
        run_id="r",
    )
    store.save_analysis(Analysis(document=docs["00000000000000d3"], components=["a.v1"]), run_id="r")
    needing = [d.id for d in store.documents_needing(["a.v1", "b.v1"], batch=1)]
    assert needing == ["00000000000000d3", "00000000000000d4"]
    # A new version of a component makes every document need it again.
    assert len(list(store.documents_needing(["a.v2", "b.v1"]))) == 4
