"""'N years after/since X' places the text at X + N, not at X (issue 13, dates). Sentences are made up."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.clean import clean_document
from sitroom.clean.dates import check_plausible, gather_events, infer_from_content
from sitroom.model import Published, RawDocument

TODAY = date(2026, 12, 1)
STATED = Published(value="2019-11-20", precision="day", basis="stated")


@pytest.mark.parametrize(
    "text",
    [
        "Coalition troops entered Kandahar on November 13, 2001. Eighteen years after the 2001 "
        "invasion, the garrison is being handed to local forces, officials said.",
        "Eighteen years after the invasion of October 2001, the garrison is being handed over.",
        "The mine opened on May 2, 2001, 18 years ago, and still employs 400 people.",
        "Protesters marked 18 years since the war in Afghanistan began on a cold morning in March 2002.",
        "The base was built in June 2001. Eighteen years on, its runway is being rebuilt.",
    ],
)
def test_stated_date_is_not_implausible_after_an_elapsed_phrase(text: str) -> None:
    assert check_plausible(STATED, text, now=TODAY).implausible is None


def test_the_x_named_first_is_the_base() -> None:
    text = "Protesters marked 18 years since the war in Afghanistan began on a cold morning in March 2002."
    elapsed = [d for d in gather_events(text, now=TODAY)[0] if d.text.startswith("18 years")]
    assert [d.lo for d in elapsed] == [date(2019, 10, 7)]  # the war's start (conflicts.yaml), not 2002


def test_without_the_phrase_the_old_date_still_makes_it_implausible() -> None:
    text = "Coalition troops entered Kandahar on November 13, 2001, officials said."
    assert check_plausible(STATED, text, now=TODAY).implausible


def test_plans_do_not_move_the_text() -> None:
    text = "The ceasefire was signed on 4 June 2010. It will be ten years since that day next summer."
    assert check_plausible(STATED, text, now=TODAY).implausible
    assert (
        "years from now"
        and check_plausible(
            STATED, "The ceasefire was signed on 4 June 2010; ten years from now it may hold.", now=TODAY
        ).implausible
    )


def test_elapsed_phrase_bounds_an_undated_text() -> None:
    found = infer_from_content(
        "The dam was completed in March 1998. Twenty years later, cracks appeared.", now=TODAY
    )
    assert found is not None and found.earliest == "2018-03-01"


def test_yearless_dates_are_anchored_after_the_elapsed_phrase() -> None:
    text = (
        "Eighteen years after the 2001 invasion, the last convoy left the base on Tuesday, "
        "November 19, officials said."
    )
    dated, _, _ = gather_events(text, now=TODAY)
    assert date(2019, 11, 19) in {d.lo for d in dated}  # a Tuesday in 2019, not 2002


def test_clean_document_keeps_a_correct_stated_date() -> None:
    text = (
        "November 20, 2019\n\n"
        "KANDAHAR — Coalition troops first entered the city on November 13, 2001. Eighteen years after "
        "the 2001 invasion, the garrison is being handed to local forces, the governor said on Monday.\n\n"
        "The handover follows months of talks between the provincial council and the defence ministry."
    )
    doc = clean_document(RawDocument(raw=text.encode(), origin="x", format="text", text=text))
    assert doc.published.value == "2019-11-20" and doc.published.implausible is None
