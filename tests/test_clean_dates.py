from datetime import UTC, date, datetime

import pytest

from sitroom.clean import clean_document
from sitroom.clean.dates import check_plausible, infer_from_content, parse_date_line, parse_date_value
from sitroom.model import Published, RawDocument

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 23, 2015", ("2015-11-23", "day")),
        ("Nov. 23, 2015", ("2015-11-23", "day")),
        ("Saturday 23 August 2014", ("2014-08-23", "day")),
        ("Published: November 23, 2015 10:32 AM", ("2015-11-23", "day")),
        ("2015-11-23", ("2015-11-23", "day")),
        ("Updated on 2015-11-23T10:00:00Z", ("2015-11-23", "day")),
    ],
)
def test_stated_date_lines(line: str, expected: tuple[str, str]) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line", ["November 2015 was a bad month.", "On November 23, 2015 Russia struck.", "456765434567"]
)
def test_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_reader_values() -> None:
    assert parse_date_value("2015-11-23T10:00:00Z") == ("2015-11-23T10:00:00+00:00", "second")
    assert parse_date_value("Mon, 23 Nov 2015 10:00:00 +0000") == ("2015-11-23T10:00:00+00:00", "second")
    assert parse_date_value("2016-03") == ("2016-03", "month")
    assert parse_date_value("yesterday") is None


def test_weekday_fixes_the_year_after_the_conflict_began() -> None:
    text = "On Monday, March 14th, Putin announced a withdrawal from the Syrian Civil War."
    found = infer_from_content(text, now=TODAY)
    assert found is not None and found.earliest == "2016-03-14" and found.value == "2016"


def test_weekday_without_any_anchor_is_not_guessed() -> None:
    assert infer_from_content("On Monday, March 14th, the minister resigned.", now=TODAY) is None


def test_conflict_age_bounds_both_sides() -> None:
    text = "Fighting in Syria goes on. Syria's army is tired of the now 5-year-old civil war in Syria."
    found = infer_from_content(text, now=TODAY)
    assert found is not None
    assert (found.basis, found.earliest, found.latest, found.precision) == (
        "inferred",
        "2016-03-15",
        "2017-03-14",
        "year",
    )
    assert "syrian-civil-war" in (found.evidence or "")


def test_latest_past_event_wins_and_plans_do_not_count() -> None:
    text = (
        "Lavrov spoke on September 21, 2020. Exercises were held on October 16. "
        "Elections will be held on November 3, 2021."
    )
    found = infer_from_content(text, now=TODAY)
    assert found is not None and found.earliest == "2020-10-16"


def test_bare_years_need_a_preposition() -> None:
    assert infer_from_content("The Caucasus-2020 drills and a 2019 report.", now=TODAY) is None
    found = infer_from_content("The economy shrank in 2015.", now=TODAY)
    assert found is not None and found.earliest == "2015-01-01"


def test_stated_date_years_after_the_events_is_flagged_but_kept() -> None:
    text = "Lavrov said on September 21, 2020, that there was no need for an attack."
    stated = Published(value="2025-11-06", precision="day", basis="stated")
    checked = check_plausible(stated, text, now=TODAY)
    assert checked.value == "2025-11-06" and checked.implausible
    assert checked.earliest == "2020-09-21" and not checked.trusted


def test_stated_date_near_the_events_is_trusted() -> None:
    stated = Published(value="2020-10-01", precision="day", basis="stated")
    assert check_plausible(stated, "Lavrov spoke on September 21, 2020.", now=TODAY).trusted


@pytest.mark.parametrize(
    "text",
    [
        # a date without its year is read against the latest year printed: "March 21" became 1998
        "He was convicted of criminal mischief in 1998. He was arrested in April for the March 21 call.",
        # months of years long past are history the report recalls
        "The two were kidnapped in August 2016 and appeared in a video in January 2017.",
        "It is the first time that has happened since 1905, the forecaster said on Oct. 26.",
    ],
)
def test_a_report_recalling_the_past_keeps_its_date(text: str) -> None:
    stated = Published(value="2019-11-19", precision="day", basis="html-meta")
    assert check_plausible(stated, text, now=TODAY).trusted


def test_retrospective_with_only_bare_years_is_not_flagged() -> None:
    stated = Published(value="2024-05-01", precision="day", basis="stated")
    assert check_plausible(
        stated, "The war has raged since 2011 and in 2015 Russia joined.", now=TODAY
    ).trusted


def clean(text: str, **kw: str) -> Published:
    raw = RawDocument(raw=text.encode(), origin="t", text=text, **{"format": "text", **kw})
    return clean_document(raw, now=datetime(2026, 1, 1, tzinfo=UTC)).published


def test_reader_html_meta_date() -> None:
    got = clean(
        "Russia said on Monday it would withdraw its forces from Syria soon.",
        format="html",
        published="2016-03-15T08:00:00Z",
    )
    assert (got.basis, got.precision, got.value) == ("html-meta", "second", "2016-03-15T08:00:00+00:00")


def test_dateline_date_takes_its_year_from_the_text() -> None:
    got = clean("BEIRUT, Nov 23 (AP) — Syrian troops advanced on Nov. 20, 2015 near Aleppo, officials said.")
    assert (got.basis, got.value) == ("dateline", "2015-11-23")


def test_no_date_at_all() -> None:
    got = clean("Kremlin spokesman Dmitry Peskov today discussed questions of a possible deployment.")
    assert got == Published()
