"""claims.v5 (issue 13, attribution recall): the learned cue proposer (``sitroom.extract.claims_cues``).

Every sentence here is written for the test; none comes from a seed article or a bench text.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from sitroom.extract.claims import CLAIMS_VERSION, extract_claims
from sitroom.extract.claims_cues import (
    PROPOSED,
    CueModel,
    coverage,
    cue_candidates,
    cue_features,
    load_cue_model,
    propose_drafts,
    proposed_draft,
)
from sitroom.extract.claims_lexicon import load_attribution_lexicon
from sitroom.extract.claims_quotes import find_quotes
from sitroom.extract.claims_spans import TEXT_KEY
from sitroom.pipeline import build_pipeline, spacy_text
from tests.test_claims import analyse, content, source


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline(["spacy", "entities", "time"])


def _parse(pipeline, text: str):
    doc = pipeline.nlp(spacy_text(text))
    doc.user_data[TEXT_KEY] = text
    return doc


def _cue(text: str, claim) -> str:
    return text[claim.cue_start : claim.cue_end]


def test_the_version_is_v10():
    assert CLAIMS_VERSION == "claims.v12"


def test_the_packaged_model_loads_and_says_how_it_was_trained():
    model = load_cue_model()
    assert model is not None and model.weights and 0.0 < model.threshold < 1.0
    metrics = json.loads((resources.files("sitroom") / "data" / "cues" / "metrics.json").read_text("utf-8"))
    assert metrics["command"].startswith("python scripts/train_cues.py")
    assert "train" in metrics["data"] and metrics["held_out_texts"] > 0
    assert metrics["threshold"] == model.threshold


# --- what the packaged model proposes ------------------------------------------------------------


def test_an_action_taken_on_someone_s_behalf_is_an_attribution(pipeline):
    text = "Harald Vik pleaded guilty to two counts of tax fraud on Monday."
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert _cue(text, claim) == "pleaded"
    assert source(text, claim) == "Harald Vik"
    # the day it happened is circumstance, not what he pleaded
    assert content(text, claim) == "guilty to two counts of tax fraud"
    assert claim.confidence < 0.5  # no rule vouches for a proposed cue


def test_a_naming_and_a_hire_are_attributions_with_their_agent(pipeline):
    text = (
        "Senator Anna Berg named her chief of staff as the new campaign manager. "
        "The mayor of Tromsø has hired a veteran pollster to run her reelection campaign."
    )
    _, claims = analyse(pipeline, text)
    by_cue = {_cue(text, c): c for c in claims}
    assert content(text, by_cue["named"]) == "her chief of staff as the new campaign manager"
    assert source(text, by_cue["named"]) == "Senator Anna Berg"
    assert source(text, by_cue["hired"]) == "The mayor of Tromsø"


def test_no_cue_is_proposed_inside_a_quote_or_another_claim(pipeline):
    text = "“We will hire forty nurses and build three new schools next year,” the mayor said."
    _, claims = analyse(pipeline, text)
    assert [_cue(text, c) for c in claims] == ["said"]


def test_a_sourceless_happening_is_no_claim(pipeline):
    text = "The harbour report was published on Tuesday and was designed to calm the fishermen."
    _, claims = analyse(pipeline, text)
    assert claims == []


def test_propose_false_runs_the_rules_alone(pipeline):
    text = "Harald Vik pleaded guilty to two counts of tax fraud on Monday."
    doc = _parse(pipeline, text)
    assert extract_claims(text, doc, propose=False) == []
    assert len(extract_claims(text, doc)) == 1


# --- the mechanics, with a model of our own --------------------------------------------------------


def test_a_token_over_the_threshold_becomes_a_cue_with_its_subject_and_what_follows(pipeline):
    text = "The fishermen's union repainted the old lighthouse at Kvalsund."
    doc = _parse(pipeline, text)
    lex = load_attribution_lexicon()
    model = CueModel(weights={"l=repaint": 10.0}, bias=-5.0, threshold=0.5)
    (draft,) = propose_drafts(doc, [], [], lex, model=model)
    assert draft.construction == PROPOSED
    assert text[draft.cue_start : draft.cue_end] == "repainted"
    assert text[draft.source_start : draft.source_end] == "The fishermen's union"
    assert text[draft.content_start : draft.content_end] == "the old lighthouse at Kvalsund"
    assert propose_drafts(doc, [], [], lex, model=CueModel({}, -5.0, 0.5)) == []


def test_a_word_the_model_never_met_is_not_proposed_whatever_its_shape(pipeline):
    # claims.v8: the shape of a sentence alone ("the militia has invaded the valley towns") made the
    # packaged model propose verbs it had no weight for; only a word training met can be a cue.
    text = "The fishermen's union repainted the old lighthouse at Kvalsund."
    doc = _parse(pipeline, text)
    lex = load_attribution_lexicon()
    shape_only = CueModel(weights={"d=ROOT": 10.0}, bias=-5.0, threshold=0.5)
    assert propose_drafts(doc, [], [], lex, model=shape_only) == []
    known = CueModel(weights={"d=ROOT": 10.0, "l=repaint": 0.0}, bias=-5.0, threshold=0.5)
    assert [text[d.cue_start : d.cue_end] for d in propose_drafts(doc, [], [], lex, model=known)] == ["repainted"]


def test_a_date_or_an_amount_is_no_source_but_a_daily_is(pipeline):
    text = "The summer of 2019 saw the council lose half of its members."
    _, claims = analyse(pipeline, text)
    assert all(source(text, c) is None and c.speaker is None for c in claims)
    text = "Fuel prices doubled in the capital last month, the Lagos daily reported."
    _, claims = analyse(pipeline, text)
    assert [source(text, c) for c in claims] == ["the Lagos daily"]


def test_a_cue_with_nothing_after_it_has_no_content(pipeline):
    text = "The fishermen's union finally relented."
    doc = _parse(pipeline, text)
    relented = next(t for t in doc if t.lower_ == "relented")
    assert proposed_draft(relented, load_attribution_lexicon()) is None


def test_candidates_skip_quotes(pipeline):
    text = "Lars said “repaint the old lighthouse by Friday” before lunch."
    doc = _parse(pipeline, text)
    quotes = find_quotes(text)
    words = {t.lower_ for t in cue_candidates(doc, coverage(doc, [], quotes), load_attribution_lexicon())}
    assert "lighthouse" not in words and "lunch" in words


def test_features_are_lemmas_and_labels_not_text(pipeline):
    doc = _parse(pipeline, "The union repainted the lighthouse.")
    token = next(t for t in doc if t.lower_ == "repainted")
    feats = cue_features(token, load_attribution_lexicon())
    assert "l=repaint" in feats and "d=ROOT" in feats
    assert all("=" in f for f in feats)


def test_the_writer_reasoning_and_the_reader_make_no_source(pipeline):
    # "This suggests that …" is the article's own inference (the rules skip it too), and "you" outside
    # a quote is the reader; a proposal would also hide the article's own estimate in that sentence
    lex = load_attribution_lexicon()
    model = CueModel(weights={"l=suggest": 10.0, "l=volunteer": 10.0}, bias=-5.0, threshold=0.5)
    for text in (
        "Snow closed the pass for a week; this suggests that the road budget will be cut.",
        "If you volunteer for the harbour clean-up, bring gloves.",
    ):
        doc = _parse(pipeline, text)
        assert propose_drafts(doc, [], [], lex, model=model) == []


def test_a_time_alone_is_no_content(pipeline):
    text = "The fishermen's union reported on Friday."
    doc = _parse(pipeline, text)
    reported = next(t for t in doc if t.lower_ == "reported")
    assert proposed_draft(reported, load_attribution_lexicon()) is None


def test_a_vehicle_or_a_weapon_is_no_source(pipeline):
    text = "Two C-130 planes prepared to take off for Tripoli, but a three-hour delay followed."
    _, claims = analyse(pipeline, text)
    assert all(source(text, c) is None for c in claims)


# --- claims.v9: what someone saw or heard ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Nurses did not see the health minister at the hospital on Friday.",
        "Residents saw armed men near the bridge on Sunday.",
    ],
)
def test_a_thing_seen_or_heard_is_no_claim(pipeline, text):
    _, claims = analyse(pipeline, text)
    assert claims == []


def test_what_someone_sees_as_something_stays_a_claim(pipeline):
    text = "Opposition leaders see the new levy as a betrayal of the farmers."
    _, claims = analyse(pipeline, text)
    assert [(_cue(text, c), source(text, c)) for c in claims] == [("see", "Opposition leaders")]


def test_where_something_was_said_is_no_statement(pipeline):
    # claims.v9: the proposer made "posted" a claim whose content was "on Twitter"
    text = "Then, last week, Mira Holt posted on Twitter accusing North Records of trying to stop her show."
    _, claims = analyse(pipeline, text)
    assert [_cue(text, c) for c in claims] == ["accusing"]
