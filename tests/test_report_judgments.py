"""Estimative language: the scale, the monotone mapping from an ACH result to a likelihood band, and a
confidence judged apart (no workspace: synthetic boards built by analyse.questions.build_board)."""

from __future__ import annotations

import itertools

import pytest

from sitroom.analyse.questions import Evidence, Hypothesis, Indicator, Match, Question, build_board
from sitroom.present.reports.judgments import (
    Basis,
    Row,
    confidence_sentence,
    estimate,
    judge_confidence,
    judge_likelihood,
    likelihood_sentence,
    load_estimative,
)

SCALE = load_estimative()


def test_the_scale_is_icd_203():
    assert [(b.term, b.low, b.high) for b in SCALE.scale] == [
        ("almost no chance", 1, 5),
        ("very unlikely", 5, 20),
        ("unlikely", 20, 45),
        ("roughly even chance", 45, 55),
        ("likely", 55, 80),
        ("very likely", 80, 95),
        ("almost certain", 95, 99),
    ]
    assert SCALE.band(0.5).term == "roughly even chance"
    assert SCALE.band(0.55).term == "likely"  # half-open bands: a boundary belongs to the band above
    assert SCALE.band(0.999).term == "almost certain"
    assert SCALE.band(0.0).term == "almost no chance"


def _rank(term: str) -> int:
    return SCALE.terms.index(term)


def test_estimate_is_monotone_in_margin_and_volume():
    margins = [i / 10 for i in range(11)]
    volumes = [0, 0.1, 0.5, 1, 2, 3, 5, 10, 30, 100]
    for hypotheses in (2, 3, 5):
        for margin, volume in itertools.product(margins, volumes):
            p = estimate(hypotheses=hypotheses, margin=margin, volume=volume)
            assert 0.01 <= p <= SCALE.ceiling
            for bigger in (margin + 0.1, margin + 0.5):
                assert estimate(hypotheses=hypotheses, margin=min(bigger, 1), volume=volume) >= p - 1e-12
            assert estimate(hypotheses=hypotheses, margin=margin, volume=volume * 2 + 1) >= p - 1e-12
            assert _rank(
                SCALE.band(estimate(hypotheses=hypotheses, margin=margin, volume=volume + 1)).term
            ) >= _rank(SCALE.band(p).term)
    # No evidence, or evidence that does not separate: every hypothesis equally probable.
    assert estimate(hypotheses=2, margin=0, volume=10) == pytest.approx(0.5)
    assert estimate(hypotheses=2, margin=1, volume=0) == pytest.approx(0.5)
    assert SCALE.band(estimate(hypotheses=2, margin=1, volume=1000)).term == "almost certain"


QUESTION = Question(
    slug="q",
    text="Will it happen?",
    hypotheses=(Hypothesis(id="H1", text="It happens."), Hypothesis(id="H2", text="It does not.")),
    indicators=(
        Indicator(id="for", label="for H1", match=Match(layer="event"), supports=("H1",), weakens=("H2",)),
        Indicator(
            id="against", label="for H2", match=Match(layer="event"), supports=("H2",), weakens=("H1",)
        ),
        Indicator(id="both", label="weakens both", match=Match(layer="event"), weakens=("H1", "H2")),
    ),
)


def _evidence(n: int, indicator: str, modality: str = "asserted") -> Evidence:
    return Evidence(
        question="q", indicator=indicator, ref=f"event:d{n}:0-1:x", document_id=f"d{n}", layer="event",
        start=0, end=1, sentence_start=0, sentence_end=1, text="x", modality=modality, polarity="affirm",
        direction=1, when="2020-01-01", source=f"outlet {n % 3}",
    )  # fmt: skip


def _judge(evidence: list[Evidence], credibility: dict[str, int] | None = None):
    board = build_board(QUESTION, evidence, credibility=credibility or {})
    rows = [Row(ratings=row.ratings, weight=row.weight) for row in board.matrix]
    return board, judge_likelihood(ranking=board.ranking, rows=rows)


def test_more_evidence_for_the_leader_never_lowers_its_likelihood():
    evidence: list[Evidence] = []
    last = None
    for n in range(12):
        evidence.append(_evidence(n, "for", "asserted" if n % 2 else "possible"))
        board, likelihood = _judge(evidence)
        assert board.ranking[0] == "H1" == likelihood.hypothesis
        if last is not None:
            assert likelihood.probability >= last.probability
            assert _rank(likelihood.term) >= _rank(last.term)
        last = likelihood
    assert _rank(last.term) > _rank("roughly even chance")


def test_evidence_against_the_leader_never_raises_its_likelihood():
    evidence = [_evidence(n, "for") for n in range(6)]
    _, last = _judge(evidence)
    for n in range(6, 10):
        evidence.append(_evidence(n, "against", "possible"))
        board, likelihood = _judge(evidence)
        if board.ranking[0] != "H1":
            break
        assert likelihood.probability <= last.probability
        assert _rank(likelihood.term) <= _rank(last.term)
        last = likelihood


def test_evidence_that_rates_both_alike_changes_nothing():
    evidence = [_evidence(n, "for") for n in range(3)]
    _, before = _judge(evidence)
    _, after = _judge(evidence + [_evidence(n, "both") for n in range(10, 16)])
    assert after.probability == before.probability


def test_stronger_evidence_weighs_more():
    # The same pieces, confirmed by independent reports (credibility 1) instead of unjudged (6).
    evidence = [_evidence(n, "for") for n in range(3)]
    _, unjudged = _judge(evidence)
    _, confirmed = _judge(evidence, credibility={e.ref: 1 for e in evidence})
    assert confirmed.probability > unjudged.probability


def test_a_tie_is_the_base_rate():
    evidence = [_evidence(1, "for"), _evidence(2, "against")]
    _, likelihood = _judge(evidence)
    assert likelihood.margin == 0
    assert likelihood.term == "roughly even chance"


def test_sentences_state_likelihood_and_confidence_apart():
    _, likelihood = _judge([_evidence(n, "for") for n in range(8)])
    sentence = likelihood_sentence(likelihood, "It happens.")
    assert f"{likelihood.term} ({likelihood.band.low}–{likelihood.band.high}%)" in sentence
    assert sentence.endswith("(H1).")
    confidence = judge_confidence(
        [Basis(outlet=f"o{n}", grade="B", credibility=1, when="2020-01-01") for n in range(12)],
        newest_document="2020-01-10",
    )
    assert confidence.level == "high"
    said = confidence_sentence(confidence)
    assert "high confidence" in said
    assert not any(term in said for term in SCALE.terms)
    assert not any(word in said for word in ("likely", "chance", "certain", "%"))


def test_confidence_falls_with_poor_sources_single_outlet_and_contradictions():
    poor = [
        Basis(outlet="one", grade="F", credibility=6, when="2015-01-01", contradicted=True) for _ in range(3)
    ]
    confidence = judge_confidence(poor, newest_document="2020-01-01")
    assert confidence.level == "low"
    factors = {r.factor: r for r in confidence.reasons}
    assert set(factors) == {"source grades", "independence", "contradictions", "evidence"}
    assert all(r.score == -1 for r in factors.values())
    assert "not been graded" in factors["source grades"].text
    assert judge_confidence([], newest_document=None).level == "low"
    middling = [Basis(outlet=f"o{n}", grade="C", credibility=3, when="2020-01-01") for n in range(5)]
    assert judge_confidence(middling, newest_document="2020-02-01").level == "moderate"


def test_no_separating_evidence_means_no_likelihood_term():
    _, likelihood = _judge([_evidence(n, "both") for n in range(3)])
    sentence = likelihood_sentence(likelihood, "It happens.")
    assert "no likelihood judgment" in sentence and "50%" in sentence
    assert not any(f" {term} (" in sentence for term in SCALE.terms)
