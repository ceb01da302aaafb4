"""The linguistic pipeline through the workspace: process, re-process, skip, fail per document."""

from __future__ import annotations

import pytest

from sitroom import Workspace
from sitroom.model import Document
from sitroom.pipeline import Analysis, Pipeline, build_pipeline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def processed(tmp_path_factory, demo_corpus_module):
    folder = tmp_path_factory.mktemp("ws")
    ws = Workspace.init(folder)
    ws.ingest([str(demo_corpus_module)])
    summary = ws.process()
    yield ws, summary
    ws.close()


@pytest.fixture(scope="module")
def demo_corpus_module():
    from tests.conftest import DEMO_CORPUS

    return DEMO_CORPUS


def _spans(item) -> list[tuple[int, int]]:
    pairs = [
        ("start", "end"),
        ("content_start", "content_end"),
        ("cue_start", "cue_end"),
        ("source_start", "source_end"),
        ("trigger_start", "trigger_end"),
    ]
    return [
        (getattr(item, a), getattr(item, b))
        for a, b in pairs
        if hasattr(item, a) and getattr(item, a) is not None
    ]


def by_origin(ws: Workspace, suffix: str) -> Document:
    return next(d for d in ws.documents() if d.origin.endswith(suffix))


def test_every_document_processed_by_every_component(processed):
    ws, summary = processed
    assert summary.processed == 5 and not summary.failed and not summary.skipped
    counts = {(component, status): n for component, status, n in ws.status().processing}
    for component in summary.components:
        assert counts[(component, "done")] == 5


def test_annotations_are_stand_off_and_versioned(processed):
    ws, _ = processed
    doc = by_origin(ws, "001_b520653b2f3932d8.txt")
    layers = ws.annotations(doc.id)
    assert all(layers[k] for k in ("places", "times", "quantities", "mentions", "claims", "events"))
    families = {"entities", "places", "time", "quantities", "claims", "events", "lead"}
    for layer in layers.values():
        for item in layer:
            assert item.component.split(".v")[0] in families
            within = doc.title if getattr(item, "in_title", False) else doc.text
            for start, end in _spans(item):
                assert 0 <= start < end <= len(within), (item, start, end)
    # The lead's nouns are words of the text (or the title) whose lemma the clusterer reads.
    assert layers["lead"] and all(
        (doc.title if n.in_title else doc.text)[n.start : n.end].isalpha() for n in layers["lead"]
    )
    # Claims and events point back into the text: al-Rai's report of ground forces, Shoigu's sorties.
    reported = [c for c in layers["claims"] if "ground forces" in doc.text[c.content_start : c.content_end]]
    assert reported and reported[0].modality == "reported"
    strikes = [e for e in layers["events"] if any(q.startswith("sorties=522") for q in e.quantities)]
    assert strikes and strikes[0].type == "air_strike"
    last_week = [t for t in layers["times"] if doc.text[t.start : t.end] == "last week"]
    assert last_week and last_week[0].earliest == "2015-11-16"
    sorties = [q for q in layers["quantities"] if q.counted == "sorties"]
    assert sorties and sorties[0].value == 522


def test_second_process_does_nothing_and_force_redoes(processed):
    ws, _ = processed
    assert ws.process().processed == 0
    doc = by_origin(ws, "004_8eb99e2c7a72c085.txt")
    before = ws.annotations(doc.id)
    again = ws.process(components=["time"], force=True)
    assert again.processed == 5
    after = ws.annotations(doc.id)
    # Re-running one component replaces its rows only; the others stay as they were.
    assert [(t.start, t.value) for t in after["times"]] == [(t.start, t.value) for t in before["times"]]
    assert len(after["places"]) == len(before["places"])
    # …and the record of the other components' runs stays: nothing is left to do.
    assert ws.process().processed == 0


def test_implausible_date_anchors_on_the_text(processed):
    ws, _ = processed
    doc = by_origin(ws, "004_8eb99e2c7a72c085.txt")
    assert doc.published.implausible
    times = ws.annotations(doc.id)["times"]
    relative = [t for t in times if t.anchor_basis == "text-date"]
    assert relative, "relative expressions must anchor on dates in the text, not the flagged 2025 date"
    assert all(not (t.earliest or "").startswith("2025") for t in times)


def test_non_english_document_is_skipped_with_a_reason():
    pipeline = Pipeline(nlp=None, components=build_pipeline(["time"]).components)
    doc = Document(
        id="f" * 16, text="Le président russe a annoncé le retrait.", origin="x", format="text", language="fr"
    )
    [analysis] = list(pipeline.process([doc]))
    assert analysis.components == [] and "fr" in analysis.skipped[0][1]


def test_a_component_that_breaks_costs_only_that_document():
    class Fragile:
        name, requires, assigns, english_only = "fragile.v1", (), (), True

        def __call__(self, analysis: Analysis) -> None:
            if "boom" in analysis.document.text:
                raise RuntimeError("boom")

    pipeline = Pipeline(nlp=None, components=[Fragile()])
    docs = [
        Document(id=f"{i:016x}", text=text, origin="x", format="text")
        for i, text in enumerate(["fine text here", "boom goes this one", "also fine"])
    ]
    results = list(pipeline.process(docs))
    assert [bool(a.failed) for a in results] == [False, True, False]
    assert "RuntimeError: boom" in results[1].failed[0][1]


def test_workspace_actor_dictionary_extends_the_packaged_one(tmp_path):
    folder = tmp_path / "ws"
    (folder / "actors").mkdir(parents=True)
    (folder / "actors" / "local.yaml").write_text(
        "actors:\n"
        "  - id: group/falcons-of-the-valley\n"
        "    name: Falcons of the Valley\n"
        "    type: armed_group\n"
        "    country: SYR\n"
        "    aliases: [Valley Falcons]\n"
    )
    (folder / "a.txt").write_text(
        "Clashes near Hama\n\nThe Valley Falcons said on Monday that their fighters had repelled an attack "
        "near Hama. A spokesman for the Falcons of the Valley denied any losses.\n"
    )
    with Workspace.init(folder) as ws:
        ws.ingest([str(folder / "a.txt")])
        ws.process(components=["spacy", "entities"])
        doc = next(iter(ws.documents()))
        mentions = ws.annotations(doc.id)["mentions"]
    assert {m.actor_id for m in mentions} >= {"group/falcons-of-the-valley"}
    assert sum(m.actor_id == "group/falcons-of-the-valley" for m in mentions) == 2
