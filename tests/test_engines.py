"""Engines: the plain-column codec, the coded error without Ray, and identical results on local and Ray."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys

import pytest
from sqlalchemy import select

from sitroom import Workspace
from sitroom.engines import check_engine
from sitroom.engines.plain import (
    analysis_from_plain,
    analysis_to_plain,
    document_from_plain,
    document_to_plain,
)
from sitroom.errors import EngineError
from sitroom.model import Claim, Document, Entity, Event, Published, RemovedLine
from sitroom.pipeline import Analysis
from sitroom.store.schema import metadata

HAS_RAY = importlib.util.find_spec("ray") is not None

# Columns that name the run or the moment of writing differ between any two runs (raw_file is the pack
# named after the ingest run); everything else must not.
_VOLATILE = ("run", "_at", "created", "updated", "time_ms", "elapsed")


def test_codec_round_trips_every_field():
    doc = Document(
        id="d1",
        text="Assad said Moscow sent 3,000 troops.",
        origin="x.txt",
        format="text",
        published=Published(value="2015-10-01", precision="day", basis="stated"),
        removed=[RemovedLine(text="Share this", reason="promo")],
        extra={"k": [1, 2], "n": None},
    )
    analysis = Analysis(
        document=doc,
        spacy_doc=object(),  # never travels
        entities=[
            Entity(key="person/assad", name="Assad", type="PERSON", roles=("head",), aliases=("al-Assad",))
        ],
        claims=[Claim(content_start=11, content_end=35, via=("media/x",), confidence=0.75)],
        events=[Event(type="deploy", trigger_start=18, trigger_end=22, actors=("gpe/russia",))],
        components=["spacy", "entities"],
        skipped=[("places", "no gazetteer")],
    )
    row = analysis_to_plain(analysis)
    assert all(isinstance(v, str) for v in row.values()) and "spacy_doc" not in row
    back = analysis_from_plain(row)
    assert back.spacy_doc is None
    for f in dataclasses.fields(Analysis):
        if f.name != "spacy_doc":
            assert getattr(back, f.name) == getattr(analysis, f.name), f.name
    assert isinstance(back.entities[0].roles, tuple) and isinstance(back.skipped[0], tuple)
    assert document_from_plain(document_to_plain(doc)) == doc


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        check_engine("spark")


def test_ray_engine_without_ray_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(EngineError) as caught:
        check_engine("ray")
    assert caught.value.code == "E090" and "pip install 'sitroom[ray]'" in str(caught.value)
    ws = Workspace.init(tmp_path / "ws")
    try:
        with pytest.raises(EngineError):
            ws.process(engine="ray")
        assert not ws.runs(limit=5) or all(r.kind != "process" for r in ws.runs(limit=5))
    finally:
        ws.close()


def table_rows(ws: Workspace) -> dict[str, list[tuple]]:
    """Every table's rows, without run ids and timestamps, sorted: what two engines must agree on."""
    rows: dict[str, list[tuple]] = {}
    with ws.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("runs", "settings"):
                continue
            keep = [
                c
                for c in table.columns
                if c.name not in ("at", "raw_file") and not any(v in c.name for v in _VOLATILE)
            ]
            found = conn.execute(select(*keep)).all()
            rows[table.name] = sorted(tuple(map(repr, r)) for r in found)
    return rows


@pytest.fixture(scope="module")
def ray_local():
    """One small local Ray instance for the module (two CPUs, no dashboard): starting Ray takes seconds."""
    if not HAS_RAY:
        pytest.skip("ray is not installed (pip install 'sitroom[ray]')")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    yield
    ray.shutdown()


@pytest.mark.ray
@pytest.mark.slow
def test_local_and_ray_engines_store_identical_results(tmp_path, demo_corpus, ray_local):
    found = {}
    for engine, workers in (("local", 1), ("ray", 2)):
        ws = Workspace.init(tmp_path / engine)
        try:
            ws.ingest([str(demo_corpus)])
            summary = ws.process(engine=engine, workers=workers)
            assert summary.processed == 5 and not summary.failed
            found[engine] = table_rows(ws)
        finally:
            ws.close()
    assert found["local"].keys() == found["ray"].keys()
    assert sum(len(v) for v in found["local"].values()) > 50  # the comparison compared something
    for name, local_rows in found["local"].items():
        assert found["ray"][name] == local_rows, name
