"""The cross-document update streams: ``process`` takes documents into stories, links and evidence a
batch at a time as the pipeline goes, and candidates' link items are built once, stored and cached.
Neither changes a single stored row."""

from __future__ import annotations

import shutil

import pytest

import sitroom.analyse.update as update
import sitroom.workspace as workspace
from sitroom import Workspace
from sitroom.cli.documents import demo_question_path
from sitroom.store.database import Store
from tests.test_engines import table_rows


@pytest.mark.slow
def test_batched_cached_update_stores_what_one_uncached_update_stores(tmp_path, demo_corpus, monkeypatch):
    ingested = tmp_path / "ingested"
    with Workspace.init(ingested) as ws:
        ws.ingest([str(demo_corpus)])
        ws.add_question(demo_question_path())
    built: list[int] = []
    catch_ups: list = []
    items_of, catch_up = update._ItemCache.items_of, update.CrossDocumentAnalyser.catch_up
    monkeypatch.setattr(
        update._ItemCache, "items_of", lambda self, ids: built.append(len(ids)) or items_of(self, ids)
    )
    monkeypatch.setattr(
        update.CrossDocumentAnalyser,
        "catch_up",
        lambda self, **kw: catch_ups.append(kw.get("upto")) or catch_up(self, **kw),
    )
    found = {}
    # Whole: every candidate's items built from its annotations (none read back); batched with no
    # cache: every candidate's items read back from the link_items table.
    stored_link_items = Store.stored_link_items
    for name, batch, cached in (("whole", 10_000, 0), ("batched", 2, 0)):
        reads = stored_link_items if name == "batched" else lambda self, ids, **kw: {}
        monkeypatch.setattr(Store, "stored_link_items", reads)
        monkeypatch.setattr(update, "UPDATE_BATCH", batch)
        monkeypatch.setattr(workspace, "UPDATE_BATCH", batch)
        monkeypatch.setattr(update, "MAX_CACHED_ITEMS", cached)
        built.clear()
        catch_ups.clear()
        shutil.copytree(ingested, tmp_path / name)
        with Workspace.open(tmp_path / name) as ws:
            summary = ws.process()
            assert summary.processed == 5 and not summary.failed
            assert summary.times.pipeline > 0 and summary.times.update > 0
            found[name] = table_rows(ws)
        # Batched: the update ran as the pipeline went (two batches of two), then took in the rest.
        assert len(catch_ups) == (1 if name == "whole" else 3) and catch_ups[-1] is None
        assert sum(built)  # candidates were compared
    assert sum(len(v) for v in found["whole"].values()) > 50
    for table, rows in found["whole"].items():
        assert found["batched"][table] == rows, table
