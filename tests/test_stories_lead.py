"""The lead's nouns are read once, from the pipeline's parse, and stored (the ``lead`` layer); the
cross-document update reads them, and parses only documents stored without them, getting the same
nouns and the same stories."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from sitroom import Workspace
from sitroom.model import Document
from sitroom.nlp.lead import LEAD_VERSION, lead_nouns, lead_spans, lead_terms_of, parse_lead_nouns
from sitroom.pipeline import build_pipeline
from tests.conftest import DEMO_CORPUS

TEXTS = [
    ("Church burns in Wasilla", "By Jane Doe\nA fire destroyed the Wasilla Bible Church on Friday night, and "
     "investigators said it was arson.\nDamage was estimated at one million dollars by fire department officials.\n"
     "A second paragraph says more about the damage and the investigation into the fire."),
    (None, "Protesters clashed with police in the capital on Sunday, leaving dozens injured.\n\nThe clashes "
     "began after a rally against rising fuel prices turned violent.\nShort line.\nOfficials blamed the "
     "opposition for the unrest and promised an inquiry into the violence."),
    ("Rockets hit the port", "Rockets hit the port"),  # the title is the text's only line
]  # fmt: skip


@pytest.fixture(scope="module")
def spacy_only():
    return build_pipeline(["spacy"])


def test_stored_nouns_are_the_nouns_the_update_would_parse(spacy_only):
    docs = [
        Document(id=f"d{i}", text=body, title=title, origin=f"d{i}.txt", format="text")
        for i, (title, body) in enumerate(TEXTS)
    ]
    analyses = list(spacy_only.process(docs))
    for analysis, (title, body) in zip(analyses, TEXTS, strict=True):
        assert LEAD_VERSION == "lead.v4" and LEAD_VERSION in analysis.components
        assert analysis.lead == parse_lead_nouns(spacy_only.nlp, title, body)
    assert {"fire", "arson", "damage"} <= set(lead_terms_of(analyses[0].lead))
    assert "wasilla" not in lead_terms_of(analyses[0].lead)  # names are not what happened
    # The short line and the blank line are not lead lines; the offsets are the text's.
    assert [TEXTS[1][1][s:e] for s, e in lead_spans(None, TEXTS[1][1])][-1].startswith("Officials blamed")
    # Stored rows come back in offset order; the clusterer reads the title's nouns first all the same.
    shuffled = sorted(analyses[0].lead, key=lambda n: n.start)
    assert lead_terms_of(shuffled) == lead_terms_of(analyses[0].lead)


def test_lead_nouns_stay_within_the_lead(spacy_only):
    body = "The explosion damaged the embassy building and injured guards. " * 400
    parsed = spacy_only.nlp(body)
    nouns = lead_nouns(parsed, None, title=None, text=body)
    assert nouns and max(n.end for n in nouns) <= 5000 + 20


def _stories(ws) -> list[tuple]:
    return [(s.id, s.title, tuple(s.documents), s.topic) for s in ws.stories().items]


def test_stories_are_the_same_with_stored_and_with_parsed_leads(tmp_path, monkeypatch):
    first = tmp_path / "stored"
    with Workspace.init(first) as ws:
        ws.ingest([str(DEMO_CORPUS)])
        ws.process(components=("spacy", "entities"), analyse=False)
    second = tmp_path / "parsed"
    shutil.copytree(first, second)

    with Workspace.open(first) as ws:
        ws.analyser.catch_up()
        stored = _stories(ws)
    # The second stands for a workspace processed before the lead layer existed.
    with Workspace.open(second) as ws:
        with ws.store.write_engine.begin() as conn:
            conn.execute(text("DELETE FROM lead_nouns"))
            conn.execute(text("DELETE FROM processing WHERE component = :c"), {"c": LEAD_VERSION})
        import sitroom.nlp.lead as lead

        parsed = []
        real = lead.parse_lead_nouns
        monkeypatch.setattr(lead, "parse_lead_nouns", lambda *a: parsed.append(a) or real(*a))
        ws.analyser.catch_up()
        assert len(parsed) == len([d for d in ws.documents() if not d.duplicate_of])
        assert _stories(ws) == stored
    assert stored
