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
    assert "revisions" in exported


def test_offsets_point_into_the_text_and_components_are_versioned(exported):
    header = exported["header"]
    assert header["version"] == 1 and any(c.startswith("claims.v") for c in header["components"])
    for doc in exported["documents"]:
        assert doc["text"] and doc["published"] and doc["processing"]
        assert {p["component"] for p in doc["processing"]} >= {"entities.v1", "events.v1"}
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
