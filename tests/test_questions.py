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
    # One statement counts once: the denial matched both indicators; the reading that asks for
    # denials (and reads it straight) is kept, and the row names both indicators.
    assert ("deploy", 44) not in ratings
    assert ratings[("denial", 44)] == {"H1": "II", "H2": "CC"}  # an asserted denial, read straight
    (row,) = [r for r in board.matrix if r.evidence.start == 44]
    assert row.indicators == ("deploy", "denial") and set(row.why) == {"H1", "H2"}
    assert board.indicator_hits["deploy"] == {"2015-11": 2}  # the indicator board still counts both


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
        sentence_start=ord(ref[0]), sentence_end=ord(ref[0]) + 1, text="t", modality=modality, polarity="affirm", direction=direction,
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


# --- ratings follow what the evidence says about each hypothesis's own text ----------------------

TEXT_SPEC = """
slug: navy-question
text: Will Freedonia send its navy to the strait?
hypotheses:
  - {id: H1, text: "Freedonia sends warships and marines to blockade the strait."}
  - {id: H2, text: "Freedonia keeps to patrol aircraft, coast guard cutters and drones."}
  - {id: H3, text: "Freedonia withdraws from the strait."}
indicators:
  - id: naval-deployment
    match: {layer: event, type: [deploy], keywords: [navy, warships, marines, vessels]}
    supports: [H1]
    weakens: [H2, H3]
  - id: naval-denial
    match: {layer: claim, polarity: [deny], keywords: [warships, navy]}
    supports: [H2]
    weakens: [H1]
  - id: naval-option
    match: {layer: claim, keywords: [warships, navy], modality: [possible, planned]}
    supports: [H1]
    weakens: [H3]
"""


def _said(
    indicator: str,
    text: str,
    *,
    modality: str = "asserted",
    polarity: str = "affirm",
    direction: int = 1,
    sentence: int = 0,
    ref: str | None = None,
) -> Evidence:
    return Evidence(
        question="navy-question", indicator=indicator, ref=ref or f"{indicator}:{sentence}", document_id="d" * 16,
        layer="event", start=sentence, end=sentence + len(text), sentence_start=sentence,
        sentence_end=sentence + len(text), text=text, modality=modality, polarity=polarity, direction=direction,
        when="2024-03-01", source="Wire",
    )  # fmt: skip


def _rated(text: str, indicator: str = "naval-deployment", **kw) -> tuple[dict, dict]:
    question = parse_question(TEXT_SPEC)
    row = build_board(question, [_said(indicator, text, **kw)]).matrix[0]
    return row.ratings, row.why


def test_a_limitation_supports_what_it_names_and_weighs_against_the_rest():
    ratings, why = _rated(
        "Freedonia's deployment has so far been limited to patrol aircraft, a few coast guard cutters and "
        "drones, with one exception, as a frigate escorted a convoy in May."
    )
    assert ratings == {"H1": "I", "H2": "CC", "H3": "I"}
    assert "limited to" in why["H2"] and "coast" in why["H2"]
    assert "not to H1" in why["H1"]


def test_evidence_naming_a_rival_is_neutral_for_the_indicator_hypothesis():
    # matched the naval-deployment indicator, but what it may send is H2's, not H1's
    ratings, why = _rated("The president may send coast guard cutters to the strait.", modality="possible")
    assert ratings["H1"] == "N" and ratings["H2"] == "C"
    assert "not H1" in why["H1"] or "not H1's" in why["H1"]
    # a possibility excludes nothing: H3 is not weakened by it
    assert ratings["H3"] == "N"


def test_a_report_of_the_hypothesis_itself_rates_it_double_and_excludes_rivals():
    ratings, why = _rated(
        "Freedonia sent warships and marines to the strait, officials said.", modality="reported"
    )
    assert ratings == {"H1": "CC", "H2": "II", "H3": "II"}
    assert "warships" in why["H1"]


def test_a_denial_of_a_hypothesis_is_evidence_against_it():
    ratings, _ = _rated(
        "The ministry denied that warships would blockade the strait.", "naval-denial", polarity="deny"
    )
    assert ratings["H1"] in ("I", "II") and ratings["H2"] in ("C", "CC")


def test_a_statement_contested_in_its_own_sentence_rates_single():
    ratings, why = _rated(
        "Rebels claim Freedonia sent marines to the islands, but the ministry maintains they are engineers.",
        modality="reported",
    )
    assert ratings["H1"] == "C" and "contested" in why["H1"]


def test_one_statement_counts_once_across_indicators():
    question = parse_question(TEXT_SPEC)
    text = "The admiral said Freedonia has no intention of sending warships."
    evidence = [
        _said("naval-deployment", text, polarity="deny", direction=-1, ref="event"),
        _said("naval-denial", text, polarity="deny", ref="claim"),
        _said("naval-option", text, modality="intended", polarity="deny", direction=-1, ref="claim2"),
    ]
    board = build_board(question, evidence)
    assert len(board.matrix) == 1
    row = board.matrix[0]
    assert row.evidence.indicator == "naval-denial"  # the indicator that reads it straight
    assert row.indicators == ("naval-deployment", "naval-denial", "naval-option")
    assert row.ratings["H1"] in ("I", "II")
    assert sum(1 for r in board.matrix for v in r.ratings.values() if v != "N") <= 3


def test_text_without_hypothesis_terms_falls_back_to_the_indicator():
    ratings, why = _rated("Three vessels left port on Tuesday.")
    assert ratings == {"H1": "CC", "H2": "II", "H3": "II"}
    assert why["H1"].startswith("names no hypothesis's key terms; indicator naval-deployment supports H1")


def test_hypothesis_terms_are_the_words_no_rival_uses():
    from sitroom.analyse.hypotheses import key_terms, read_statement, stem

    terms = key_terms([("A", "Ground forces fight", ()), ("B", "Special forces and air power", ("drones",))])
    assert "forc" not in terms.words["A"] and "forc" not in terms.words["B"]  # shared: no help
    assert {"ground", "fight"} <= set(terms.words["A"]) and stem("drone") in terms.words["B"]
    reading = read_statement("They sent special forces to hunt rebels fighting nearby.", terms)
    assert reading.best() == {"B"}  # the phrase "special forces" outweighs "fighting"
    assert read_statement("Fighters regrouped.", terms).best() == set()  # agent nouns keep their -er
    assert read_statement("Airstrikes continued.", terms).best() == {"B"}  # a short term prefixes compounds
