"""An outlet's home region: learned from its earlier documents, a weak anchor for the places resolver."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom import Workspace
from sitroom.cli import app
from sitroom.errors import InputError, NotFoundError
from sitroom.model import Document
from sitroom.nlp.gazetteer import load_gazetteer
from sitroom.nlp.places import resolve_toponyms
from sitroom.nlp.places_home import (
    HOME_KEY,
    HomeShown,
    OutletHome,
    OutletHomes,
    RunHomes,
    outlet_home,
    parse_home,
    web_home,
)

KY = ("US", "Kentucky")
VA = ("US", "Virginia")


def test_home_is_the_region_most_earlier_documents_are_local_to():
    home = outlet_home([{KY}, {KY, VA}, {KY}, {VA}])
    assert home == OutletHome("US", "Kentucky", documents=4, share=0.75)
    assert "Kentucky, US (3 of its 4 earlier documents)" in home.describe()


@pytest.mark.parametrize(
    "regions",
    [
        [{KY}, {KY}],  # too few documents to tell
        [{KY}, {VA}, {("US", "Ohio")}, {("GB", "England")}],  # a wire service: no region holds half
        [set(), set(), set(), {KY}],  # documents without a local place do not count
    ],
)
def test_no_home_without_enough_agreeing_documents(regions):
    assert outlet_home(regions) is None


def test_a_document_processed_again_is_not_its_own_evidence():
    regions = {"a": frozenset({KY}), "b": frozenset({KY}), "c": frozenset({KY}), "d": frozenset({VA})}
    asked = []

    def regions_of(source):
        asked.append(source)
        return regions

    homes = OutletHomes(regions_of)
    assert homes.home_of("Register", "new") == OutletHome("US", "Kentucky", 4, 0.75)
    assert homes.home_of("Register", "a") == OutletHome("US", "Kentucky", 3, 0.667)
    assert homes.home_of(None, "new") is None
    assert asked == ["Register"]  # read once per outlet


@pytest.mark.parametrize(
    ("address", "country"),
    [
        ("bbc.co.uk", "GB"),
        ("https://www.thestar.com.my/news/nation/2024/03/01/floods", "MY"),
        ("HTTP://User@News.AM:8080/eng/", "AM"),
        ("lfpress.ca", "CA"),
        ("example.com", None),  # generic
        ("https://www.theguardian.com/world", None),
        ("twitch.tv", None),  # a country code registered worldwide for its letters
        ("startup.io", None),
        ("politico.eu", None),  # no country
        ("The Courier", None),  # a name, not an address
        ("localhost", None),
        ("", None),
        (None, None),
    ],
)
def test_the_web_address_names_the_outlets_country(address, country):
    home = web_home(address)
    assert (home.country_code if home else None) == country
    if home:
        assert home.admin1 is None and home.region == country and "its web address" in home.describe()
        assert OutletHome.from_plain(home.to_plain()) == home


def test_a_web_address_is_the_home_only_of_an_outlet_with_none_learned_or_set():
    learned = {d: frozenset({KY}) for d in "abc"}
    homes = OutletHomes(lambda source: learned if source == "Register" else {}, {"Wire": None})

    def home(source, url):
        doc = Document(id="x", text="t", origin="o", format="text", source=source, url=url)
        return OutletHome.from_plain(homes.attach(doc).extra.get(HOME_KEY))

    assert home("Register", "https://register.co.uk/a").admin1 == "Kentucky"  # learned wins
    assert home("Courier", "https://courier.co.uk/a") == OutletHome("GB", None, 0, 1.0, web="courier.co.uk")
    assert home("gazette.com.au", None).country_code == "AU"  # the outlet named by its domain
    assert home("Courier", "https://courier.com/a") is None
    assert home("Wire", "https://wire.co.uk/a") is None  # the analyst said: local nowhere
    assert homes.homeless == ["Courier", "gazette.com.au"]  # still learning their regions
    shown = HomeShown.of(web_home("courier.co.uk"))
    assert (shown.region, shown.basis) == ("GB", "its web address courier.co.uk")


def test_an_outlets_web_country_tips_namesakes_and_says_so():
    text = "Two schools in Richmond and Windsor will close early on Friday because of the storm."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Richmond", "Windsor")]
    gaz = load_gazetteer()
    alone = resolve_toponyms(text, spans, gazetteer=gaz)
    assert [p.country_code for p in alone] != ["GB", "GB"]
    british = resolve_toponyms(text, spans, gazetteer=gaz, home=web_home("https://www.courier.co.uk/news"))
    assert [p.country_code for p in british] == ["GB", "GB"]
    assert "in the outlet's country GB (its web address courier.co.uk)" in british[0].reason
    # A weak anchor: what the document says still wins.
    qualified = "Police in Richmond, Virginia, arrested two men."
    start = qualified.index("Richmond")
    there = resolve_toponyms(qualified, [(start, start + 8)], gazetteer=gaz, home=web_home("courier.co.uk"))
    assert there[0].admin1 == "Virginia"


def test_attach_sets_or_clears_the_home_for_the_run():
    homes = OutletHomes(lambda source: {d: frozenset({KY}) for d in "abc"} if source == "Register" else {})
    doc = Document(id="x", text="t", origin="o", format="text", source="Register", extra={"feed": "f"})
    homes.attach(doc)
    assert OutletHome.from_plain(doc.extra[HOME_KEY]) == OutletHome("US", "Kentucky", 3, 1.0)
    assert doc.extra["feed"] == "f"
    stale = Document(id="y", text="t", origin="o", format="text", source="Gazette", extra={HOME_KEY: {}})
    assert HOME_KEY not in homes.attach(stale).extra
    json.dumps(doc.extra)  # plain values: every engine passes documents as JSON


@pytest.mark.parametrize("value", [None, "Kentucky", {"country_code": "US"}, {"country_code": "US",
                         "admin1": "Kentucky", "documents": "many", "share": 1}])  # fmt: skip
def test_a_malformed_home_is_no_home(value):
    assert OutletHome.from_plain(value) is None


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _resolve(gaz, text, name, home=None):
    start = text.index(name)
    return resolve_toponyms(text, [(start, start + len(name))], gazetteer=gaz, home=home)[0]


def test_home_settles_a_bare_namesake_and_says_so(gaz):
    text = "Police in Richmond arrested two men on Tuesday after a chase along the bypass."
    home = OutletHome("US", "Kentucky", 9, 0.78)
    assert _resolve(gaz, text, "Richmond").admin1 != "Kentucky"
    place = _resolve(gaz, text, "Richmond", home)
    assert (place.country_code, place.admin1) == KY
    assert "outlet's home region Kentucky, US (7 of its 9 earlier documents)" in place.reason


def test_what_the_text_says_outweighs_the_home(gaz):
    home = OutletHome("US", "Kentucky", 9, 0.78)
    place = _resolve(gaz, "The mayor of Richmond, Virginia, spoke on Tuesday.", "Richmond", home)
    assert (place.country_code, place.admin1) == VA
    text = "Tourists crowded the Louvre in Paris as France marked its national holiday."
    assert _resolve(gaz, text, "Paris", OutletHome("US", "Tennessee", 9, 0.9)).country_code == "FR"


def test_closing_comma_of_a_qualifier_is_no_list(gaz):
    place = _resolve(gaz, "Officials in Richmond, Virginia, said the bridge would reopen.", "Richmond")
    assert (place.country_code, place.admin1) == VA


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


LOCAL = [
    "The Lexington council met on Monday in Lexington, Kentucky, to discuss road repairs.",
    "Flooding closed two roads near Frankfort, Kentucky, the county judge said on Friday.",
    "A new clinic opened in Bowling Green, Kentucky, this week, hospital officials said.",
]
BARE = "Police in Richmond arrested two men on Tuesday after a chase along the bypass."
# Two more of the outlet's reports: with LOCAL, as many as a first wave (places_home.FIRST_WAVE).
MORE_LOCAL = [
    "Snow closed schools in Paducah, Kentucky, and two nearby counties on Thursday.",
    "The Owensboro, Kentucky, library will open a new branch in the spring, its board said.",
]


def _local_reports(tmp_path, source: str) -> str:
    """A JSONL file of three reports from one outlet about Kentucky towns."""
    rows = [{"id": f"e{i}", "title": f"Local report {i}", "text": t, "source": source,
             "published": f"2024-03-0{i + 1}"} for i, t in enumerate(LOCAL)]  # fmt: skip
    return _jsonl(tmp_path / "earlier.jsonl", rows)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_workspace(request, tmp_path):
    """A new workspace: the embedded SQLite one, or one on the test PostgreSQL server."""
    if request.param == "sqlite":
        return lambda: Workspace.init(tmp_path / "ws")
    url = request.getfixturevalue("postgres_url")
    return lambda: Workspace.init(url, raw_dir=tmp_path / "raw")


@pytest.mark.slow
def test_process_learns_an_outlets_home_from_earlier_runs(tmp_path, new_workspace):
    with new_workspace() as ws:
        ws.ingest([_local_reports(tmp_path, "The Bluegrass Courier")])
        ws.process(analyse=False)
        ws.ingest([_jsonl(tmp_path / "later.jsonl", [{"id": "l1", "title": "Arrests", "text": BARE,
                  "source": "The Bluegrass Courier", "published": "2024-03-09"}])])  # fmt: skip
        ws.process(analyse=False)
        doc = next(d for d in ws.documents() if d.text.startswith("Police"))
        places = ws.store.annotations_of(doc.id)["places"]
        stored = ws.store.get_document(doc.id)
        # processed again, the earlier documents' places (their own run) still make the home
        ws.process(force=True, analyse=False)
        again = ws.store.annotations_of(doc.id)["places"]
    richmond = next(p for p in places if p.name == "Richmond")
    assert (richmond.country_code, richmond.admin1) == KY
    assert "outlet's home region Kentucky" in richmond.reason
    assert HOME_KEY not in stored.extra  # the home travels with the run, never with the document
    assert next(p for p in again if p.name == "Richmond").admin1 == "Kentucky"


def test_an_analysts_home_is_a_region_of_its_country():
    home = parse_home(" kentucky , us ", revision=4)
    assert home == OutletHome("US", "Kentucky", 0, 1.0, revision=4) and home.region == "Kentucky, US"
    assert "set by the analyst, revision 4" in home.describe()
    assert parse_home("None") is None
    national = parse_home(" ng ", revision=5)  # a national outlet: its country alone
    assert national == OutletHome("NG", None, 0, 1.0, revision=5) and national.region == "NG"
    assert "in the outlet's country NG (set by the analyst, revision 5)" in national.describe()
    assert HomeShown.of(national) == HomeShown("NG", "set by the analyst, revision 5")
    for bad in ("Kentucky", "Narnia, US", "Kentucky, GB", ", US", "XX", "EU"):
        with pytest.raises(InputError, match="E053"):
            parse_home(bad)


def test_the_analysts_home_wins_over_the_learned_one():
    homes = OutletHomes(lambda source: {d: frozenset({KY}) for d in "abc"}, {"Register": None, "Gazette": None})
    assert homes.home_of("Register", "x") is None  # "local nowhere", whatever its documents say
    analyst = OutletHome("US", "Virginia", 0, 1.0, revision=2)
    assert OutletHomes(lambda source: {}, {"Courier": analyst}).home_of("Courier", "x") == analyst




@pytest.mark.slow
def test_an_analyst_sets_and_clears_an_outlets_home_from_the_sources_command(tmp_path):
    folder = tmp_path / "ws"
    with Workspace.init(folder) as ws:
        ws.ingest([_local_reports(tmp_path, "The Courier")])
        ws.process(analyse=False)
    runner = CliRunner()

    def sources(*args):
        result = runner.invoke(app, ["sources", "-w", str(folder), "--json", *args], catch_exceptions=False)
        return result.exit_code, result.output

    code, output = sources()
    assert code == 0 and json.loads(output)[0]["home"] == "Kentucky, US"
    assert json.loads(output)[0]["home_basis"] == "3 of 3 documents with a local place"
    code, output = sources("--home", "The Courier=Virginia, US")
    assert code == 0 and json.loads(output)[0]["home_basis"].startswith("set by the analyst, revision")
    assert sources("--home", "The Courier=Narnia, US")[0] == 2
    assert sources("--home", "Nobody=Virginia, US")[0] != 0
    with Workspace.open(folder) as ws:
        ws.ingest([_jsonl(tmp_path / "later.jsonl", [{"id": "l1", "title": "Arrests", "text": BARE,
                  "source": "The Courier", "published": "2024-03-09"}])])  # fmt: skip
        ws.process(analyse=False)
        doc = next(d for d in ws.documents() if d.text.startswith("Police"))
        richmond = next(p for p in ws.store.annotations_of(doc.id)["places"] if p.name == "Richmond")
        assert richmond.admin1 == "Virginia" and "set by the analyst" in richmond.reason
        code, output = sources("--home", "The Courier=none")
        assert json.loads(output)[0]["home"] == "none"
        ws.process(force=True, analyse=False)
        richmond = next(p for p in ws.store.annotations_of(doc.id)["places"] if p.name == "Richmond")
        assert "home region" not in richmond.reason


@pytest.mark.slow
def test_the_workbench_shows_and_sets_an_outlets_home(tmp_path):
    import re

    from fastapi.testclient import TestClient

    from sitroom.present.web import WebSettings, create_app

    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest([_local_reports(tmp_path, "The <b>Courier</b>")])
        ws.process(analyse=False)
        c = TestClient(create_app(ws, WebSettings(allowed_hosts=("testserver",))), follow_redirects=False)
        page = c.get("/sources").text
        assert "Kentucky, US" in page and "3 of 3 documents with a local place" in page
        assert "The <b>Courier</b>" not in page  # the outlet's name stays text
        assert json_home(c) == {"region": "Kentucky, US", "basis": "3 of 3 documents with a local place"}
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        change = {"target": "source:The <b>Courier</b>", "field": "home", "value": "Ohio, US", "next": "/sources",
                  "csrf": token}  # fmt: skip
        assert c.post("/correct", data=change).status_code == 303
        assert json_home(c)["region"] == "Ohio, US"
        refused = c.post("/correct", data={**change, "value": "Atlantis, US"})
        assert refused.status_code in (303, 400) and json_home(c)["region"] == "Ohio, US"


def json_home(c) -> dict:
    return c.get("/api/sources").json()["homes"]["The <b>Courier</b>"]


def test_the_database_counts_what_the_regions_give(tmp_path, new_workspace):
    """Store.outlet_region_counts (one grouped query, for listings) and Store.outlet_regions (per outlet,
    for a run) read the same evidence: originals' local places only."""
    from sitroom.model import Place
    from sitroom.nlp.places_home import home_from_counts
    from sitroom.pipeline import Analysis

    texts = [f"Report {i} on the county roads and the school board." for i in range(6)]
    rows = [{"id": f"r{i}", "title": f"r{i}", "text": t, "source": "Gazette" if i < 4 else "Wire",
             "published": "2024-03-01"} for i, t in enumerate(texts)]  # fmt: skip
    rows.append({**rows[0], "id": "r6", "title": "r6"})  # a syndicated copy: a duplicate of r0
    with new_workspace() as ws:
        ws.ingest([_jsonl(tmp_path / "rows.jsonl", rows)])
        docs = sorted(ws.store.iter_documents(), key=lambda d: d.title)
        assert docs[-1].duplicate_of == docs[0].id
        where = ["Ohio", "Ohio", "Iowa", "Ohio", "Texas", "Iowa", "Texas"]
        for doc, admin1 in zip(docs, where, strict=True):
            places = [
                Place(start=0, end=6, name="Town", lat=40.0, lon=-83.0, country_code="US", admin1=admin1),
                Place(start=7, end=9, name="US", lat=39.8, lon=-98.6, country_code="US", feature="country"),
                Place(start=10, end=14, name="Lima", lat=40.7, lon=-84.1, country_code="US", admin1="Texas",
                      feature="metonym"),  # fmt: skip
            ]
            ws.store.save_analysis(Analysis(document=doc, places=places, components=["places.v8"]), run_id="r1")
        counted = ws.store.outlet_region_counts(["Gazette", "Wire", "Nobody"])
        assert counted == {"Gazette": (4, {("US", "Ohio"): 3, ("US", "Iowa"): 1}),
                           "Wire": (2, {("US", "Texas"): 1, ("US", "Iowa"): 1})}  # fmt: skip
        for source in ("Gazette", "Wire"):
            assert home_from_counts(*counted[source]) == outlet_home(ws.store.outlet_regions(source, before_run="x").values())
        assert ws.store.outlet_regions("Gazette", before_run="r1") == {}  # this run's own places never count


@pytest.mark.slow
def test_an_outlet_first_seen_at_a_country_address_is_read_with_that_country(tmp_path):
    text = "Two schools in Richmond and Windsor will close early on Friday because of the storm."
    rows = [{"id": "c1", "title": "Storm", "text": text, "source": "The Courier", "published": "2024-03-01",
             "url": "https://www.courier.co.uk/news/storm"},
            {"id": "d1", "title": "Storm", "text": text + " Again.", "source": "The Dispatch", "published": "2024-03-01",
             "url": "https://dispatch.example.com/storm"}]  # fmt: skip
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest([_jsonl(tmp_path / "rows.jsonl", rows)])
        shown = ws.outlet_homes(["The Courier", "The Dispatch"])
        assert shown == {"The Courier": HomeShown("GB", "its web address courier.co.uk"),
                         "The Dispatch": HomeShown(None, None)}  # fmt: skip
        ws.process(analyse=False)
        by_source = {d.source: ws.annotations(d.id)["places"] for d in ws.documents()}
        assert [p.country_code for p in by_source["The Courier"]] == ["GB", "GB"]
        assert "its web address courier.co.uk" in by_source["The Courier"][0].reason
        assert [p.country_code for p in by_source["The Dispatch"]] != ["GB", "GB"]
        listed = CliRunner().invoke(app, ["sources", "-w", str(tmp_path / "ws"), "--json"])
        home = next(row for row in json.loads(listed.output) if row["name"] == "The Courier")
        assert (home["home"], home["home_basis"]) == ("GB", "its web address courier.co.uk")
        # A national outlet at a generic address: the analyst names its country.
        revision = ws.set_outlet_home("The Dispatch", "GB")
        ws.process(force=True, outlets=["The Dispatch"], analyse=False)
        dispatch = ws.annotations(next(d.id for d in ws.documents() if d.source == "The Dispatch"))["places"]
        assert [p.country_code for p in dispatch] == ["GB", "GB"]
        assert f"in the outlet's country GB (set by the analyst, revision {revision.id})" in dispatch[0].reason


def test_the_database_ranks_each_outlets_first_documents(tmp_path, new_workspace):
    """Store.first_documents_by_outlet: the first originals in ingest order of each outlet with more to
    process than asked for, in one query; processed documents and duplicates never count."""
    from sitroom.pipeline import Analysis

    rows = [{"id": f"g{i}", "title": f"g{i}", "text": f"Gazette report {i} on the school board.", "source": "Gazette",
             "published": f"2024-03-0{i + 1}"} for i in range(5)]  # fmt: skip
    rows += [{"id": "w0", "title": "w0", "text": "Wire copy on the markets.", "source": "Wire", "published": "2024-03-01"}]
    rows.append({**rows[1], "id": "g9", "title": "g9", "published": "2024-03-09"})  # a copy of g1: a duplicate
    with new_workspace() as ws:
        ws.ingest([_jsonl(tmp_path / "rows.jsonl", rows)])
        titles = {d.id: d.title for d in ws.store.iter_documents()}
        order = [titles[d.id] for d in ws.store.iter_documents()]
        gazette = [t for t in order if t.startswith("g") and t != "g9"]
        firsts = ws.store.first_documents_by_outlet(None, per_outlet=3)
        assert {k: [titles[i] for i in v] for k, v in firsts.items()} == {"Gazette": gazette[:3]}
        assert ws.store.first_documents_by_outlet(None, per_outlet=5) == {}  # 5 originals: not more than 5
        only = ws.store.first_documents_by_outlet(None, per_outlet=1, outlets=["Gazette"])
        assert {k: [titles[i] for i in v] for k, v in only.items()} == {"Gazette": gazette[:1]}
        done = next(d for d in ws.store.iter_documents() if d.title == gazette[0])
        ws.store.save_analysis(Analysis(document=done, components=["places.v8"]), run_id="r1")
        pending = ws.store.first_documents_by_outlet(["places.v8"], per_outlet=3)
        assert {k: [titles[i] for i in v] for k, v in pending.items()} == {"Gazette": gazette[1:4]}
        assert [d.title for d in ws.store.documents_in_order(reversed(pending["Gazette"]))] == gazette[1:4]
        every = [d.id for d in ws.store.iter_documents()]
        assert [d.id for d in ws.store.documents_in_order(every[::-1], batch=2)] == every  # in batches


@pytest.mark.slow
def test_a_first_batch_learns_its_home_from_its_first_documents_and_can_read_those_again(tmp_path):
    other = {"id": "o1", "title": "Elsewhere", "text": "Rain fell on Lyon, France, on Sunday.", "source": "Le Flux",
             "published": "2024-03-02"}  # fmt: skip
    more = [{"id": f"m{i}", "title": f"More {i}", "text": text, "source": "The Courier",
             "published": f"2024-03-0{i + 5}"} for i, text in enumerate(MORE_LOCAL)]  # fmt: skip
    bare = {"id": "l1", "title": "Arrests", "text": BARE, "source": "The Courier", "published": "2024-03-09"}
    folder = tmp_path / "ws"
    with Workspace.init(folder) as ws:
        ws.ingest([_local_reports(tmp_path, "The Courier"), _jsonl(tmp_path / "more.jsonl", [other, *more, bare])])
        first = ws.process(analyse=False)
        # The outlet's first five documents were read first, without a home; the sixth with the home
        # they teach, in the same run.
        assert first.processed == 7 and first.homes_found == ("The Courier",)
        doc = next(d for d in ws.documents() if d.text.startswith("Police"))
        richmond = next(p for p in ws.annotations(doc.id)["places"] if p.name == "Richmond")
        assert richmond.admin1 == "Kentucky" and "(5 of its 5 earlier documents)" in richmond.reason
        early = next(d for d in ws.documents() if d.text.startswith("The Lexington"))
        assert all("home region" not in p.reason for p in ws.annotations(early.id)["places"])
        assert ws.pending(force=True, outlets=["The Courier"]) == 6
        runs = len(ws.store.runs(limit=100))
        with pytest.raises(NotFoundError, match="E052"):
            ws.process(force=True, outlets=["Nobody"])
        assert len(ws.store.runs(limit=100)) == runs  # refused before a run is recorded
        again = ws.process(force=True, outlets=["The Courier"], analyse=False)
        assert again.processed == 6 and again.homes_found == ()
        assert next(p for p in ws.annotations(doc.id)["places"] if p.name == "Richmond").admin1 == "Kentucky"
    result = CliRunner().invoke(app, ["process", "-w", str(folder), "--source", "Nobody"])
    assert result.exit_code == 4 and "no source named 'Nobody'" in result.output


def test_only_outlets_still_learning_a_home_are_read_in_two_waves():
    regions = {"Register": {d: frozenset({KY}) for d in "abc"}, "Courier": {}, "Wire": {}}
    asked = []

    def regions_of(source, this_run):
        asked.append((source, this_run))
        return regions[source]

    firsts = {"Register": ["r1", "r2", "r3"], "Courier": ["c1", "c2", "c3"], "Wire": ["w1", "w2", "w3"]}
    homes = RunHomes(regions_of, {"Wire": None}, firsts)  # the analyst: the wire is local nowhere
    assert homes.first_wave == {"c1", "c2", "c3"}  # the Register has a home; the Wire's is set
    doc = Document(id="c4", text="t", origin="o", format="text", source="Courier")
    assert HOME_KEY not in homes.attach(doc).extra
    regions["Courier"] = {d: frozenset({VA}) for d in ("c1", "c2", "c3")}  # the first wave, saved
    homes.settle()
    assert OutletHome.from_plain(homes.attach(doc).extra[HOME_KEY]) == OutletHome("US", "Virginia", 3, 1.0)
    assert ("Courier", True) in asked and homes.homeless == ["Courier"]


def test_a_run_without_places_reads_in_one_wave(tmp_path, monkeypatch):
    from sitroom.store.database import Store

    asked = []
    ranked = Store.first_documents_by_outlet
    monkeypatch.setattr(Store, "first_documents_by_outlet", lambda self, *a, **k: asked.append(1) or ranked(self, *a, **k))
    rows = [{"id": f"k{i}", "title": f"Report {i}", "text": text, "source": "The Courier",
             "published": f"2024-03-{i + 10}"} for i, text in enumerate([*LOCAL, BARE])]  # fmt: skip
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest([_jsonl(tmp_path / "rows.jsonl", rows)])
        assert ws.process(components=("spacy", "time"), analyse=False).processed == 4 and not asked
        assert ws.process(analyse=False).processed == 4 and asked == [1]


@pytest.mark.slow
def test_the_waves_give_the_same_rows_on_every_engine_and_update_batch(tmp_path, monkeypatch):
    """The first wave is read ahead of ingest order; the update still takes documents in ingest order,
    and one worker, two worker processes and Ray (where installed) store the same rows."""
    import importlib.util
    import shutil

    import sitroom.analyse.update as update
    import sitroom.workspace as workspace
    from tests.test_engines import table_rows

    abroad = ["Rain fell on Lyon, France, on Sunday.", "Police in Lyon arrested two men after a chase."]
    rows = [{"id": f"f{i}", "title": f"Dispatch {i}", "text": text, "source": "Le Flux",
             "published": f"2024-03-0{i + 1}"} for i, text in enumerate(abroad)]  # fmt: skip
    rows += [{"id": f"k{i}", "title": f"Report {i}", "text": text, "source": "The Courier",
              "published": f"2024-03-{i + 10}"}
             for i, text in enumerate([BARE, *LOCAL, *MORE_LOCAL, BARE + " Again."])]  # fmt: skip
    ingested = tmp_path / "ingested"
    with Workspace.init(ingested) as ws:
        ws.ingest([_jsonl(tmp_path / "rows.jsonl", rows)])
    runs = [("whole", "local", 1, 10_000), ("batched", "local", 1, 2), ("pool", "local", 2, 2)]
    if importlib.util.find_spec("ray") is not None:
        runs.append(("ray", "ray", 2, 2))
    found = {}
    for name, engine, workers, batch in runs:
        monkeypatch.setattr(update, "UPDATE_BATCH", batch)
        monkeypatch.setattr(workspace, "UPDATE_BATCH", batch)
        shutil.copytree(ingested, tmp_path / name)
        with Workspace.open(tmp_path / name) as ws:
            assert ws.process(engine=engine, workers=workers).processed == 9
            found[name] = table_rows(ws)
            richmonds = [p for d in ws.documents() for p in ws.annotations(d.id)["places"] if p.name == "Richmond"]
            # The first report (in the first wave) is read without the home; the last with it.
            assert sorted(p.admin1 == "Kentucky" for p in richmonds) == [False, True], name
    for name in found:
        for table, table_rows_ in found["whole"].items():
            assert found[name][table] == table_rows_, (name, table)


def test_the_closing_hint_names_a_few_outlets_and_says_where_the_rest_are(capsys):
    from sitroom.cli import documents
    from sitroom.workspace import ProcessSummary

    found = tuple(f"Outlet {i}" for i in range(7))
    documents._print_process_summary(ProcessSummary(run_id="r", processed=70, homes_found=found), as_json=False)
    said = " ".join(capsys.readouterr().out.split())
    assert "7 outlet(s) have a home region now" in said
    assert "--source 'Outlet 4'" in said and "Outlet 5" not in said
    assert "lists all 7 under homes_found" in said
    documents._print_process_summary(ProcessSummary(run_id="r", processed=7, homes_found=found[:2]), as_json=False)
    said = " ".join(capsys.readouterr().out.split())
    assert "--source 'Outlet 0' --source 'Outlet 1' reads them again" in said and "lists all" not in said
