"""Modality and polarity of clauses (sitroom.extract.modality): the seed examples and the rules."""

from __future__ import annotations

import pytest

from sitroom.extract.modality import MODALITIES, POLARITIES, ModalityReading, assess_modality
from sitroom.pipeline import load_spacy


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def read(nlp, sentence: str, *, part: str | None = None, cue: str | None = None) -> ModalityReading:
    """Assess the whole sentence, or the clause ``part`` of it (as a claim's content would be)."""
    doc = nlp(sentence)
    span = doc[:]
    if part is not None:
        start = sentence.index(part)
        span = doc.char_span(start, start + len(part), alignment_mode="expand")
    return assess_modality(span, claim_cue_lemma=cue)


@pytest.mark.parametrize(
    ("sentence", "modality", "polarity", "cue"),
    [
        # the seed examples
        (
            "Russian President Vladimir Putin may send Russian special forces to Syria.",
            "possible",
            "affirm",
            "may",
        ),
        (
            "Russia has sent ground forces into battle for the first time in Syria, according to Kuwait daily, al-Rai.",
            "reported",
            "affirm",
            "according",
        ),
        ("Moscow would at least consider the matter if requested.", "conditional", "affirm", "if"),
        (
            "If the need arises Syria would request Russian troops to help them fight ISIS.",
            "conditional",
            "affirm",
            "If",
        ),
        ("A conventional Russian military deployment remains unlikely.", "unlikely", "affirm", "unlikely"),
        (
            "The matter is purely hypothetical at this point because no request has been made.",
            "hypothetical",
            "affirm",
            "hypothetical",
        ),
        (
            "Russia will likely seek a Turkish withdrawal from parts of southern Idlib.",
            "likely",
            "affirm",
            "likely",
        ),
        (
            "Hay’at Tahrir al Sham was planning a false chemical attack in Idlib.",
            "planned",
            "affirm",
            "planning",
        ),
        # others
        ("Russia did not send troops to Syria.", "asserted", "negated", None),
        ("Russia has never deployed ground troops in Syria.", "asserted", "negated", None),
        ("No request has been made.", "asserted", "negated", None),
        ("The government denied that troops had been sent.", "reported", "deny", "denied"),
        ("The ministry ruled out a ground operation.", "asserted", "deny", None),
        ("Such a deployment would represent a turning point.", "hypothetical", "affirm", "would"),
        ("Ground intervention could complicate the negotiation process.", "possible", "affirm", "could"),
        ("Russia may need to intervene on the ground.", "possible", "affirm", "may"),
        (
            "The attacks have reportedly been directed at Chechen fighters.",
            "reported",
            "affirm",
            "reportedly",
        ),
        ("Moscow is preparing to deploy conventional forces.", "planned", "affirm", "preparing"),
        ("Russia is set to withdraw its forces.", "planned", "affirm", "set to"),
        ("Turkey hopes to achieve concessions.", "intended", "affirm", "hopes"),
        (
            "As long as Assad remains in power, he stays out of the Hague.",
            "conditional",
            "affirm",
            "As long as",
        ),
        ("A return of large scale Russian participation seems unlikely.", "unlikely", "affirm", "unlikely"),
        ("Moscow probably will send more jets.", "likely", "affirm", "probably"),
        ("It is possible that Russia will not want a confrontation.", "possible", "negated", "possible"),
        (
            "The troops drove rebel forces from strategic positions, said the newspaper.",
            "reported",
            "affirm",
            "said",
        ),
        ("Our objectives are being fulfilled and fulfilled well.", "asserted", "affirm", None),
    ],
)
def test_sentence_modality(nlp, sentence: str, modality: str, polarity: str, cue: str | None) -> None:
    reading = read(nlp, sentence)
    assert (reading.modality, reading.polarity, reading.cue) == (modality, polarity, cue)
    if cue is not None:
        assert sentence[reading.cue_start : reading.cue_end] == cue


def test_denied_intent_in_claim_content(nlp) -> None:
    sentence = "Putin has in the past said that he has no intention of sending Russian troops into Syria."
    reading = read(nlp, sentence, part="he has no intention of sending Russian troops into Syria", cue="say")
    assert (reading.modality, reading.polarity, reading.cue) == ("intended", "deny", "intention")


def test_governing_words_hedge_a_sub_clause(nlp) -> None:
    # "sending troops" hangs from "no intention": the denial reaches it through the chain
    sentence = "He has no intention of sending troops."
    reading = read(nlp, sentence, part="sending troops")
    assert (reading.modality, reading.polarity) == ("intended", "deny")


def test_reported_future_would_is_not_hypothetical(nlp) -> None:
    sentence = "Putin announced that significant portions of the expedition would be withdrawing."
    reading = read(nlp, sentence, part="significant portions of the expedition would be withdrawing")
    assert reading.modality == "reported"


def test_claim_cue_sets_reported_and_deny(nlp) -> None:
    sentence = "Officials denied that the convoy was attacked."
    assert read(nlp, sentence, part="the convoy was attacked", cue="deny").polarity == "deny"
    reading = read(nlp, "The convoy was attacked, officials said.", part="The convoy was attacked", cue="say")
    assert reading.modality == "reported"


def test_intent_cue_class(nlp) -> None:
    reading = read(nlp, "Turkey hopes to achieve concessions.", part="to achieve concessions", cue="hope")
    assert reading.modality == "intended"


def test_hedge_on_noun(nlp) -> None:
    reading = read(nlp, "They discussed a possible deployment.", part="a possible deployment")
    assert reading.modality == "possible"


def test_empty_span_is_asserted(nlp) -> None:
    doc = nlp("Nothing here.")
    assert assess_modality(doc[0:0]) == ModalityReading("asserted", "affirm", None, None, None)


def test_values_are_in_the_vocabulary(nlp) -> None:
    for sentence in (
        "Russia may send troops.",
        "Russia did not send troops.",
        "If asked, Russia would help.",
    ):
        reading = read(nlp, sentence)
        assert reading.modality in MODALITIES and reading.polarity in POLARITIES
