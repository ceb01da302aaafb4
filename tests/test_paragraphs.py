"""A paragraph break ends a sentence (sitroom.nlp.paragraphs), so a line without a full stop — a byline,
a photo credit, a dateline stamp — never runs into the next paragraph's first sentence."""

from __future__ import annotations

import pytest

from sitroom.extract.claims import extract_claims
from sitroom.nlp.paragraphs import PARAGRAPH_BREAKS, dateline_end, mark_paragraphs, wraps_lines
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


def test_a_web_page_s_lines_are_paragraphs(nlp) -> None:
    # Text read from a web page keeps one line break between paragraphs and never wraps its lines.
    text = (
        "Newsroom Staff\n"
        "Deputies detained four men on Friday after a search of a warehouse near the river.\n"
        "RELATED COVERAGE\n"
        "The sheriff said the men would appear in court next week."
    )
    assert not wraps_lines(text)
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert sentences == [
        "Newsroom Staff",
        "Deputies detained four men on Friday after a search of a warehouse near the river.",
        "RELATED COVERAGE",
        "The sheriff said the men would appear in court next week.",
    ]
    claims = extract_claims(text, nlp(text))
    said = [c for c in claims if text[c.cue_start : c.cue_end] == "said"]
    assert [text[c.source_start : c.source_end] for c in said] == ["The sheriff"]


def test_wrapped_prose_keeps_its_sentences_across_line_breaks(nlp) -> None:
    text = (
        "The delegation from the northern provinces said on\n"
        "Thursday that the ceasefire would hold, and the\n"
        "United Nations envoy said talks would go on.\n"
        "Officials in the capital were less sure."
    )
    assert wraps_lines(text)
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert len(sentences) == 2
    assert sentences[0].startswith("The delegation") and sentences[0].endswith("go on.")


def test_a_word_in_lower_case_after_a_line_break_goes_on_with_the_sentence(nlp) -> None:
    # A page that wraps one paragraph by hand among unwrapped ones: the wrapped lines stay one sentence.
    text = (
        "The council met on Monday and voted to close the old bridge to heavy lorries from next month.\n"
        "Editor's note: the council's vote was\nunanimous.\n"
        "Engineers had warned in March that the bridge could not carry lorries."
    )
    sentences = [s.text.strip() for s in nlp(text).sents]
    assert "Editor's note: the council's vote was\nunanimous." in sentences


def test_a_wire_dateline_is_no_subject(nlp) -> None:
    # "HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper … accused China": Hanoi accused China.
    text = (
        "OSLO, Norway (AP) — Foreign Minister Kari Lund on Tuesday accused the shipping company of "
        "hiding the spill from inspectors."
    )
    assert text[dateline_end(text) :].startswith("Foreign Minister Kari Lund")
    claims = extract_claims(text, nlp(text))
    accused = [c for c in claims if text[c.cue_start : c.cue_end] == "accused"]
    assert [text[c.source_start : c.source_end] for c in accused] == ["Foreign Minister Kari Lund"]


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("Storm hits coast\nBERGEN -- The storm closed the port.", "The storm closed"),
        ("NEWPORT NEWS, Va. - In a tradition he has kept for years, he spoke.", "In a tradition"),
        ("Bergen (Reuters) — The storm closed the port.", "The storm closed"),
        ("The U.S. - China deal is done.", None),
        ("Ministers met in Oslo — the talks failed.", None),
    ],
)
def test_datelines_are_found_where_wires_write_them(text, report) -> None:
    end = dateline_end(text)
    assert (None if end is None else text[end : end + len(report)]) == report
