"""A blank line ends a sentence (sitroom.nlp.paragraphs), so a line without a full stop — a byline,
a photo credit, a dateline stamp — never runs into the next paragraph's first sentence."""

from __future__ import annotations

import pytest

from sitroom.extract.claims import extract_claims
from sitroom.nlp.paragraphs import PARAGRAPH_BREAKS, mark_paragraphs
from sitroom.pipeline import load_spacy


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def test_the_product_pipeline_marks_paragraphs_and_stock_spacy_does_not(nlp) -> None:
    assert PARAGRAPH_BREAKS in nlp.pipe_names
    assert nlp.pipe_names.index(PARAGRAPH_BREAKS) < nlp.pipe_names.index("parser")
    assert PARAGRAPH_BREAKS not in load_spacy(stock=True).pipe_names
    assert not mark_paragraphs(nlp)  # once is enough


def test_a_line_without_a_full_stop_ends_at_the_blank_line(nlp) -> None:
    text = "Updated 14:05 GMT, 12 June 2019\n\nPolice Chief Marta Ruiz said the suspect had fled north."
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert sentences == [
        "Updated 14:05 GMT, 12 June 2019",
        "Police Chief Marta Ruiz said the suspect had fled north.",
    ]
    # A single line break (a wrapped line) is no paragraph.
    wrapped = nlp("The minister said\nthat the talks would resume next week.")
    assert len(list(wrapped.sents)) == 1


def test_a_claim_after_a_byline_is_its_speakers(nlp) -> None:
    text = (
        "Many readers wrote in.— Ana Ortiz (@anaortiz) May 2, 2020\n\n"
        "Kowalski told donors on a call that he would not resign."
    )
    doc = nlp(text)
    assert not any("\n\n" in e.text.strip() for e in doc.ents)
    claims = extract_claims(text, doc)
    told = [c for c in claims if text[c.cue_start : c.cue_end] == "told"]
    assert len(told) == 1
    assert text[told[0].source_start : told[0].source_end] == "Kowalski"
    assert text[told[0].content_start : told[0].content_end] == "donors on a call that he would not resign"
    # Nothing said by the readers runs into the next paragraph.
    assert all(c.content_end <= text.index("\n\n") or c.content_start > text.index("\n\n") for c in claims)
