"""Questions: parsing and validation, indicator matching, ACH ratings and the board."""

from __future__ import annotations

import pytest

from sitroom.analyse.questions import (
    Evidence,
    build_board,
    load_question,
    match_document,
    parse_question,
    rate,
    summarise,
)
from sitroom.errors import InputError
from sitroom.model import Claim, Document, Entity, Event, Published

SPEC = """
slug: test-question
text: Will X deploy troops?
window: {start: 2015-01-01, end: 2016-12-31}
hypotheses:
  - {id: H1, text: X deploys}
  - {id: H2, text: X does not}
indicators:
  - id: deploy
    match: {layer: event, type: [deploy], actor: [state/XXA]}
    supports: [H1]
    weakens: [H2]
  - id: denial
    match: {layer: claim, speaker: [gov/XXA], polarity: [deny], keywords: [troops]}
    supports: [H2]
    weakens: [H1]
"""


def test_parse_and_validate():
    question = parse_question(SPEC)
    assert question.slug == "test-question" and question.hypothesis_ids() == ["H1", "H2"]
    assert question.indicators[0].match.type == ("deploy",)
    with pytest.raises(InputError, match="E050.*unknown hypotheses"):
        parse_question(SPEC.replace("weakens: [H2]", "weakens: [H9]"))
    with pytest.raises(InputError, match="E050.*match.layer"):
        parse_question(SPEC.replace("layer: event", "layer: tweets"))
    with pytest.raises(InputError, match="E050.*missing 'hypotheses'"):
        parse_question("slug: a-b\ntext: t\nindicators: [1]\n")
    with pytest.raises(InputError, match="E050.*not valid YAML"):
        parse_question("slug: [unclosed")


def test_the_packaged_demo_question_loads():
    from tests.conftest import REPO

    question = load_question(REPO / "sitroom/examples/questions/russia-ground-forces-syria.yaml")
    assert len(question.hypotheses) == 3 and len(question.indicators) >= 5


def _doc(text: str) -> Document:
    return Document(
        id="a" * 16,
        text=text,
        origin="x",
        format="text",
        source="Wire",
        published=Published(value="2015-11-23", precision="day", basis="stated"),
    )


def test_matching_reads_denials_against_what_they_deny():
    text = "X has sent troops to Y. The ministry denied sending any troops."
    doc = _doc(text)
    layers = {
        "entities": [Entity(key="state/XXA", name="X", type="GPE", actor_id="state/XXA"),
                     Entity(key="gov/XXA", name="the ministry", type="GOVERNMENT", actor_id="gov/XXA")],
        "events": [
            Event(type="deploy", trigger_start=6, trigger_end=10, actors=("state/XXA",), sentence_start=0,
                  sentence_end=23, earliest="2015-11-20"),
            Event(type="deploy", trigger_start=44, trigger_end=51, actors=("state/XXA",), polarity="deny",
                  sentence_start=24, sentence_end=len(text)),
        ],
        "claims": [Claim(content_start=44, content_end=len(text) - 1, speaker="gov/XXA", polarity="deny",
                         sentence_start=24, sentence_end=len(text))],
    }  # fmt: skip
    question = parse_question(SPEC)
    evidence = match_document(question, doc, layers)
    by = {(e.indicator, e.start): e for e in evidence}
    assert by[("deploy", 6)].direction == 1 and by[("deploy", 6)].when == "2015-11-20"
    # The denied deployment still matches "deploy", but reads against it.
    assert by[("deploy", 44)].direction == -1
    # The denial indicator asks for denials: it reads them straight.
    assert by[("denial", 44)].direction == 1
    board = build_board(question, evidence)
    ratings = {(r.evidence.indicator, r.evidence.start): r.ratings for r in board.matrix}
    assert ratings[("deploy", 6)] == {"H1": "CC", "H2": "II"}
    assert ratings[("deploy", 44)] == {"H1": "I", "H2": "C"}
    assert ratings[("denial", 44)] == {"H1": "II", "H2": "CC"}  # an asserted denial, read straight


def _evidence(
    indicator: str,
    *,
    modality: str = "asserted",
    direction: int = 1,
    source: str = "S",
    ref: str = "r",
    when: str = "2015-11-01",
) -> Evidence:
    return Evidence(
        question="test-question", indicator=indicator, ref=ref, document_id="d" * 16, layer="event", start=0, end=1,
        sentence_start=0, sentence_end=1, text="t", modality=modality, polarity="affirm", direction=direction,
        when=when, source=source,
    )  # fmt: skip


def test_hedged_evidence_rates_softer_and_weighs_less():
    question = parse_question(SPEC)
    indicator = question.indicators[0]
    assert rate(indicator, _evidence("deploy"), "H1") == "CC"
    assert rate(indicator, _evidence("deploy", modality="possible"), "H1") == "C"
    board = build_board(
        question, [_evidence("deploy", ref="a"), _evidence("deploy", modality="possible", ref="b")]
    )
    weights = {row.evidence.ref: row.weight for row in board.matrix}
    assert weights["a"] > weights["b"]


def test_grades_and_credibility_weight_the_matrix_and_rank_hypotheses():
    question = parse_question(SPEC)
    evidence = [_evidence("deploy", source="Good", ref="a"), _evidence("denial", source="Bad", ref="b")]
    board = build_board(
        question, evidence, reliability={"Good": "A", "Bad": "E"}, credibility={"a": 1, "b": 5}
    )
    assert board.ranking == ["H1", "H2"]
    assert board.inconsistency["H2"] > board.inconsistency["H1"]
    assert board.matrix[0].evidence.ref == "a"  # the most diagnostic first
    assert board.indicator_hits["deploy"] == {"2015-11": 1}
    snapshot = summarise(board)
    assert snapshot["leading"] == "H1" and snapshot["evidence"] == 2


def test_window_keeps_undated_and_drops_out_of_window_evidence():
    question = parse_question(SPEC)
    doc = _doc("X has sent troops to Y.")
    doc.published = Published(value="2019-01-01", precision="day", basis="stated")
    layers = {"events": [Event(type="deploy", trigger_start=6, trigger_end=10, actors=("state/XXA",),
                               sentence_start=0, sentence_end=23)]}  # fmt: skip
    assert match_document(question, doc, layers) == []
    doc.published = Published()
    assert len(match_document(question, doc, layers)) == 1
