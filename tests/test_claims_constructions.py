"""Attribution constructions added for recall on unseen news (issue 13); sentences written for the test."""

from __future__ import annotations

import pytest

from tests.test_claims import analyse, content, source


@pytest.fixture(scope="module")
def pipeline():
    from sitroom.pipeline import build_pipeline

    return build_pipeline(["spacy", "entities", "time"])


def _pairs(pipeline, text: str) -> list[tuple[str | None, str, str]]:
    _, claims = analyse(pipeline, text)
    return [
        (source(text, c), text[c.cue_start : c.cue_end] if c.cue_start is not None else "", content(text, c))
        for c in claims
    ]


def test_call_for_takes_its_object(pipeline):
    text = "The mayor of Springfield has called for a full inquiry into the fire."
    assert any(cue.startswith("called") and "full inquiry" in what for _, cue, what in _pairs(pipeline, text))


def test_a_relative_that_stands_for_the_document_it_follows(pipeline):
    text = "She published a letter from her doctor that says she is in excellent health."
    found = _pairs(pipeline, text)
    assert any(cue == "says" and "excellent health" in what for _, cue, what in found)


def test_a_quote_signed_with_a_dash(pipeline):
    text = "“The river has never been this low in my lifetime.” ― Maria Okafor\n\nThe drought continued."
    found = _pairs(pipeline, text)
    assert ("Maria Okafor", "―", "“The river has never been this low in my lifetime.”") in found


def test_accuse_and_cite_take_object_and_phrase(pipeline):
    text = "The senator accused the agency of hiding the report. The governor cited the floods as proof of neglect."
    found = _pairs(pipeline, text)
    assert any(what.startswith("the agency of hiding") for _, _, what in found)
    assert any(what.startswith("the floods as proof") for _, _, what in found)


def test_a_request_to_an_addressee(pipeline):
    text = "Local farmers urged the council to lift the water restrictions."
    found = _pairs(pipeline, text)
    assert any(cue == "urged" and what.startswith("to lift") for _, cue, what in found)


def test_a_passive_stance_with_its_agent(pipeline):
    text = "The new dam is opposed by most residents of the valley."
    found = _pairs(pipeline, text)
    assert any(what == "The new dam" and (src or "").startswith("most residents") for src, _, what in found)


def test_a_paragraph_broken_inside_an_attribution_keeps_its_speaker(pipeline):
    text = (
        "Media statements are another vague sign of potential plans, and the ministry in Freedonia had "
        "confirmed on 11 May.\n\n"
        "June, June 20, and July 13, that the rebel group was planning a false attack in the city, then "
        "this claim was spread through official media."
    )
    found = _pairs(pipeline, text)
    assert (
        "the ministry in Freedonia",
        "confirmed",
        "that the rebel group was planning a false attack in the city",
    ) in found


def test_a_fronted_passive_participle_says_nothing_of_the_main_subject(pipeline):
    # "Added together, it has become a recipe for dirty air" was given to the commission named before
    text = (
        "The commission found that the smoke reached the city. Added together, it has become a recipe "
        "for dirty air. Told of the ruling, the mayor said the city would appeal."
    )
    pairs = _pairs(pipeline, text)
    assert [cue for _, cue, _ in pairs] == ["found", "said"]


def test_a_quote_before_a_source_with_an_apposition_is_the_source_s(pipeline):
    # "“The mission I did accomplished the whole thing with one launch,” Stafford, a member of the Apollo
    # 10 crew, responded." made no claim: the parser hung the closing quotation mark on the name
    text = (
        "Ana Ruiz asked them about the delays. “The crew I led did the whole thing with one launch,” "
        "Stafford, a member of the first crew, responded. He then referred to the earlier testimony."
    )
    pairs = _pairs(pipeline, text)
    assert ("Stafford, a member of the first crew", "responded", "“The crew I led did the whole thing with one launch,”") in pairs
    assert [who for who, cue, _ in pairs if cue == "referred"] == ["He"]
    _, claims = analyse(pipeline, text)
    speakers = {text[c.cue_start : c.cue_end]: c.speaker for c in claims}
    assert speakers["referred"] == speakers["responded"] != speakers["asked"]


def test_the_reader_addressed_is_no_source(pipeline):
    # "If you're planning to retire early" made claims whose source was the reader
    text = "If you are planning to retire early, you need a plan. Planners say savings matter most."
    assert [who for who, _, _ in _pairs(pipeline, text)] == ["Planners"]
    # a "you" who said something, in a transcript, is someone
    text = "The same way, as you very aptly pointed out, Laura, people jump to conclusions."
    assert [cue for _, cue, _ in _pairs(pipeline, text)] == ["pointed out"]
