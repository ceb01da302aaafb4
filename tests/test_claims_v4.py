"""claims.v4 (issue 13, attribution recall and speakers): nested claims, unattributed expectations,
attitude adjectives, light verbs, poll answers, quotes and speakers the earlier rules missed.

Every sentence here is written for the test; none comes from a seed article or a bench text.
"""

from __future__ import annotations

import pytest

from sitroom.extract.claims import extract_claims
from sitroom.model import Claim, Document
from sitroom.pipeline import build_pipeline, spacy_text
from tests.test_claims import analyse, content, source


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline(["spacy", "entities", "time"])


def _by_cue(text: str, claims: list[Claim]) -> dict[str, Claim]:
    return {text[c.cue_start : c.cue_end]: c for c in claims if c.cue_start is not None}


def _keys(analysis) -> dict[str, str]:
    text = analysis.document.text
    return {text[m.start : m.end]: m.entity_key for m in analysis.mentions}


# --- nested claims -------------------------------------------------------------------------------


def test_a_third_party_inside_a_report_reaches_us_via_the_reporter(pipeline):
    text = "Harbour minister Olav Brekke said that the Norwegian Navy plans to close the Ramsund base."
    analysis, claims = analyse(pipeline, text)
    keys = _keys(analysis)
    plan = next(c for c in claims if c.cue_lemma == "plan")
    assert content(text, plan) == "to close the Ramsund base"
    assert source(text, plan) == "the Norwegian Navy"
    assert plan.speaker not in (None, keys["Olav Brekke"])
    assert plan.via[0] == keys["Olav Brekke"]


def test_a_nested_claim_by_nobody_named_is_left_to_the_outer_claim(pipeline):
    text = "“Most people around here think the ferry will never come back,” Ingrid Dahl said."
    _, claims = analyse(pipeline, text)
    assert [source(text, c) for c in claims] == ["Ingrid Dahl"]


# --- constructions -------------------------------------------------------------------------------


def test_an_expectation_with_no_source(pipeline):
    text = "The new bridge is expected to open before the winter storms."
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert text[claim.cue_start : claim.cue_end] == "is expected"
    assert claim.source_start is None and claim.speaker is None
    assert "to open before the winter storms" in content(text, claim)
    assert claim.modality == "likely"


def test_seem_and_appear_attribute_nothing_to_it(pipeline):
    text = "The mayor seemed to be losing patience with the contractors. It seems odd."
    _, claims = analyse(pipeline, text)
    assert [text[c.cue_start : c.cue_end] for c in claims] == ["seemed"]


def test_attitude_adjectives_take_a_clause_or_an_of_phrase_but_not_an_infinitive(pipeline):
    text = (
        "Fishermen in the bay are optimistic that the quota will rise. "
        "The union was critical of the new rota. "
        "The drivers were willing to work on Sundays."
    )
    _, claims = analyse(pipeline, text)
    by_cue = _by_cue(text, claims)
    assert content(text, by_cue["are optimistic"]) == "that the quota will rise"
    assert source(text, by_cue["are optimistic"]) == "Fishermen in the bay"
    assert content(text, by_cue["was critical"]) == "the new rota"
    assert not any("work on Sundays" in content(text, c) for c in claims)


def test_light_verbs_with_a_speech_noun(pipeline):
    text = (
        "Councillor Petra Lind made the case that the library should stay open. "
        "The harbour board expressed concern over the rising tides. "
        "The report made no mention of the old pier."
    )
    _, claims = analyse(pipeline, text)
    by_cue = _by_cue(text, claims)
    assert content(text, by_cue["made the case"]) == "that the library should stay open"
    assert content(text, by_cue["expressed concern"]) == "the rising tides"
    assert content(text, by_cue["made no mention"]) == "the old pier"
    assert by_cue["made no mention"].polarity != "affirm"


def test_poll_answers_and_the_question_asked(pipeline):
    text = "Asked whether the tram should run at night, 61 percent of residents said yes."
    _, claims = analyse(pipeline, text)
    by_cue = _by_cue(text, claims)
    assert content(text, by_cue["said"]) == "yes"
    assert source(text, by_cue["said"]) == "61 percent of residents"
    assert content(text, by_cue["Asked"]) == "whether the tram should run at night"
    assert by_cue["Asked"].source_start is None


def test_a_count_the_parser_hangs_on_the_verb_is_the_source(pipeline):
    text = "About 3 in 10 say they would move to the coast."
    _, claims = analyse(pipeline, text)
    assert source(text, _by_cue(text, claims)["say"]) == "About 3 in 10"


def test_calling_for_someone_to_act(pipeline):
    text = "Mayor Tove Berg is calling for the ferry company to restore the night crossings."
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert content(text, claim) == "the ferry company to restore the night crossings"


def test_says_a_and_says_b_are_two_claims_of_one_speaker(pipeline):
    text = "He says the old plan was a failure and says he wrote a better one."
    _, claims = analyse(pipeline, text)
    assert [content(text, c) for c in claims] == ["the old plan was a failure", "he wrote a better one"]
    assert {source(text, c) for c in claims} == {"He"}


def test_a_response_that_is_a_clause(pipeline):
    text = "Her answer was that the budget could not stretch any further."
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert content(text, claim) == "that the budget could not stretch any further"


def test_topic_verbs_do_not_comment_on_a_clause(pipeline):
    text = "The storm closed the road for two days, Lars Eide spoke at the meeting."
    _, claims = analyse(pipeline, text)
    assert not claims


# --- quotes --------------------------------------------------------------------------------------


def test_a_closing_mark_typed_at_a_line_start_opens_a_quote_signed_with_a_dash(pipeline):
    text = "The timetable changed in May.\n”The new timetable ruins my mornings and my evenings.”\u00a0― Maja Holm\n"
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert source(text, claim) == "Maja Holm"
    assert "ruins my mornings" in content(text, claim)


def test_a_quote_before_he_wrote_split_off_by_the_parser(pipeline):
    text = "“The council has lost its mind about parking!” he wrote."
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert content(text, claim).startswith("“The council has lost its mind")


def test_a_title_case_label_the_tagger_misreads_is_a_speaker(pipeline):
    text = "Holmgren: ‘We Will Not Sell The Harbour.’\n\nThe story follows."
    _, claims = analyse(pipeline, text)
    assert [source(text, c) for c in claims] == ["Holmgren"]


# --- speakers ------------------------------------------------------------------------------------


def test_a_possessive_source_is_its_pronoun(pipeline):
    text = "Astrid Norum opened the hearing. Her response was that the permit had expired."
    analysis, claims = analyse(pipeline, text)
    (claim,) = claims
    assert claim.speaker == _keys(analysis)["Astrid Norum"]


def test_i_in_the_articles_own_voice_is_its_writer():
    pipeline = build_pipeline(["spacy", "entities"])
    text = "I think the council is wrong, and I said so at the meeting. “I disagree,” Kari Moe said."
    doc = pipeline.nlp(text)
    claims = extract_claims(text, doc, publisher="Harbour Gazette")
    said = next(c for c in claims if c.cue_lemma == "say" and source(text, c) == "I")
    assert said.speaker == "local:media:harbour-gazette"
    # inside a quote, "I" is the quoted speaker, never the writer
    assert all(
        c.speaker != "local:media:harbour-gazette" for c in claims if c.content_start > text.index("“")
    )


def test_an_unrecognised_name_is_keyed_as_a_local_entity(pipeline):
    # no mentions at all: as if the recogniser had missed both names
    text = "The Skarvik Rowing Club said the regatta was cancelled. WESTBY said the vote was rigged."
    claims = extract_claims(text, pipeline.nlp(text))
    assert [c.speaker for c in claims] == ["local:org:skarvik-rowing-club", "local:org:westby"]


def test_a_document_speaks_for_its_named_issuer_but_not_its_place(pipeline):
    text = "A Nordvik Institute survey of Bergen voters shows that the tram is popular."
    analysis, claims = analyse(pipeline, text)
    (claim,) = claims
    keys = _keys(analysis)
    assert claim.speaker == keys.get("Nordvik Institute")


# --- parsing -------------------------------------------------------------------------------------


def test_no_break_spaces_are_parsed_as_spaces_with_the_same_offsets():
    text = "Senator Mara Quill says the\u00a0harbour plan that is dividing the council will fail."
    assert len(spacy_text(text)) == len(text) and "\u00a0" not in spacy_text(text)
    pipeline = build_pipeline(["spacy", "entities", "time", "claims"])
    (analysis,) = pipeline.process([Document(id="n", text=text, origin="n", format="text")])
    (claim,) = analysis.claims
    assert content(text, claim) == "the\u00a0harbour plan that is dividing the council will fail"


def test_a_speech_noun_with_a_possessor_and_a_topic(pipeline):
    text = (
        "Councillor Ada Vik's criticism of the parking fees drew a crowd. The criticism of the fees "
        "was muted. Her bid for the mayoralty failed."
    )
    _, claims = analyse(pipeline, text)
    assert [(source(text, c), content(text, c)) for c in claims] == [
        ("Councillor Ada Vik's", "the parking fees")
    ]


def test_a_clause_mislabelled_as_an_open_complement(pipeline):
    text = "He said widening the road could bring hundreds of jobs to the valley."
    _, claims = analyse(pipeline, text)
    (claim,) = claims
    assert content(text, claim) == "widening the road could bring hundreds of jobs to the valley"
