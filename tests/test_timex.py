"""Time expression recognition and normalisation (sitroom.nlp.timex): fast, offline, exact values."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.nlp.timex import TIMEX_VERSION, find_time_expressions

ANCHOR = date(2015, 11, 23)  # a Monday, ISO week 48


def find_one(text: str, anchor: date | None = ANCHOR, **kwargs):
    found = find_time_expressions(text, anchor=anchor, **kwargs)
    assert len(found) == 1, [(text[t.start : t.end], t.value) for t in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "type_", "value", "earliest", "latest"),
    [
        ("It happened today.", "today", "DATE", "2015-11-23", "2015-11-23", "2015-11-23"),
        ("It happened yesterday.", "yesterday", "DATE", "2015-11-22", "2015-11-22", "2015-11-22"),
        ("The statement was published Friday.", "Friday", "DATE", "2015-11-20", "2015-11-20", "2015-11-20"),
        # ISO 8601 weeks: 16-22 November 2015 is 2015-W47 (23 November starts W48).
        ("Jets struck last week.", "last week", "DATE", "2015-W47", "2015-11-16", "2015-11-22"),
        ("Jets struck last weekend.", "last weekend", "DATE", "2015-W47-WE", "2015-11-21", "2015-11-22"),
        ("Talks continue this week.", "this week", "DATE", "2015-W48", "2015-11-23", "2015-11-29"),
        ("Prices rose last month.", "last month", "DATE", "2015-10", "2015-10-01", "2015-10-31"),
        ("Elections are due next year.", "next year", "DATE", "2016", "2016-01-01", "2016-12-31"),
        (
            "It was signed on November 23, 2015.",
            "November 23, 2015",
            "DATE",
            "2015-11-23",
            "2015-11-23",
            "2015-11-23",
        ),
        (
            "It was signed on 23 November 2015.",
            "23 November 2015",
            "DATE",
            "2015-11-23",
            "2015-11-23",
            "2015-11-23",
        ),
        ("It was signed on 11/23/2015.", "11/23/2015", "DATE", "2015-11-23", "2015-11-23", "2015-11-23"),
        ("It was signed on 2015-11-23.", "2015-11-23", "DATE", "2015-11-23", "2015-11-23", "2015-11-23"),
        ("It was signed Nov. 23 in Paris.", "Nov. 23", "DATE", "2015-11-23", "2015-11-23", "2015-11-23"),
        ("They met on 11 November.", "11 November", "DATE", "2015-11-11", "2015-11-11", "2015-11-11"),
        (
            "Protests began September 16, 2020.",
            "September 16, 2020",
            "DATE",
            "2020-09-16",
            "2020-09-16",
            "2020-09-16",
        ),
        ("Fighting began in March 2015.", "March 2015", "DATE", "2015-03", "2015-03-01", "2015-03-31"),
        ("It began in 2015.", "2015", "DATE", "2015", "2015-01-01", "2015-12-31"),
        (
            "Growth slowed in the third quarter.",
            "the third quarter",
            "DATE",
            "2015-Q3",
            "2015-07-01",
            "2015-09-30",
        ),
        ("Fighting resumed this summer.", "this summer", "DATE", "2015-SU", "2015-06-01", "2015-08-31"),
        ("It was built in the 1990s.", "the 1990s", "DATE", "199", "1990-01-01", "1999-12-31"),
        ("It was built in the 90s.", "the 90s", "DATE", "199", "1990-01-01", "1999-12-31"),
        (
            "The blast came at 10 p.m. Friday.",
            "10 p.m. Friday",
            "TIME",
            "2015-11-20T22:00",
            "2015-11-20",
            "2015-11-20",
        ),
        ("He spoke this morning.", "this morning", "TIME", "2015-11-23TMO", "2015-11-23", "2015-11-23"),
        ("Shelling went on last night.", "last night", "TIME", "2015-11-22TNI", "2015-11-22", "2015-11-22"),
        ("He left about two years ago.", "about two years ago", "DATE", "2013", "2013-01-01", "2013-12-31"),
        ("They will meet on Christmas.", "Christmas", "DATE", "2015-12-25", "2015-12-25", "2015-12-25"),
    ],
)
def test_dates_resolve_on_the_document_date(text, span, type_, value, earliest, latest) -> None:
    ref = find_one(text)
    assert (text[ref.start : ref.end], ref.type, ref.value) == (span, type_, value)
    assert (ref.earliest, ref.latest) == (earliest, latest)
    assert ref.component == TIMEX_VERSION


def test_relative_expressions_record_their_anchor() -> None:
    ref = find_one("It happened yesterday.")
    assert (ref.anchor, ref.anchor_basis) == ("2015-11-23", "document-date")
    absolute = find_one("It happened on 5 May 2014.")
    assert absolute.anchor is None and absolute.anchor_basis is None


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("They fought for four days.", "four days", "P4D"),
        ("A 5-year-old boy was hurt.", "5-year-old", "P5Y"),
        ("The war lasted 20 years.", "20 years", "P20Y"),
        ("Talks ran for 48 hours.", "48 hours", "PT48H"),
        ("It happened over the past few weeks.", "the past few weeks", "PXW"),
        ("the last two decades", "the last two decades", "P20Y"),
    ],
)
def test_durations(text, span, value) -> None:
    ref = find_one(text)
    assert (text[ref.start : ref.end], ref.type, ref.value) == (span, "DURATION", value)


def test_a_past_duration_is_bounded_by_the_anchor() -> None:
    ref = find_one("Prices doubled in the past three months.")
    assert (ref.value, ref.earliest, ref.latest) == ("P3M", "2015-08-23", "2015-11-23")


@pytest.mark.parametrize(
    ("text", "value"),
    [("It is calm now.", "PRESENT_REF"), ("He recently left.", "PAST_REF"), ("in the future", "FUTURE_REF")],
)
def test_reference_words(text, value) -> None:
    assert find_one(text).value == value


def test_sets() -> None:
    assert [(r.type, r.value) for r in find_time_expressions("Flights run daily and every week.")] == [
        ("SET", "P1D"),
        ("SET", "P1W"),
    ]


def test_a_weekday_fixes_the_missing_year() -> None:
    ref = find_one("On Monday, March 14th, Putin ordered a withdrawal.")
    assert (ref.value, ref.anchor_basis) == ("2016-03-14", "document-date")
    assert date(2016, 3, 14).isoweekday() == 1


def test_a_weekday_fixed_year_without_anchor_is_marked() -> None:
    ref = find_one("On Monday, March 14th, Putin ordered a withdrawal.", anchor=None)
    assert date.fromisoformat(ref.value).isoweekday() == 1
    assert ref.value.endswith("-03-14") and int(ref.value[:4]) <= date.today().year
    assert ref.anchor is None and ref.anchor_basis == "weekday-year"


def test_modifiers_and_since() -> None:
    late = find_time_expressions("from late 2019 to March 2020", anchor=ANCHOR)
    assert [(r.value, r.mod) for r in late] == [("2019", "END"), ("2020-03", None)]
    assert late[0].earliest == "2019-09-01" and late[0].latest == "2019-12-31"
    since = find_one("Troops have been there since 2015.")
    assert (since.value, since.mod, since.earliest, since.latest) == (
        "2015",
        "ON_OR_AFTER",
        "2015-01-01",
        "2015-11-23",
    )


def test_a_forward_looking_sentence_reads_weekdays_ahead() -> None:
    assert find_one("The ministers will meet Friday.").value == "2015-11-27"
    assert find_one("The ministers will meet Friday.", prefer_past=True).value == "2015-11-27"
    assert find_one("The ministers met Friday.").value == "2015-11-20"


def test_numbers_are_not_years() -> None:
    assert find_time_expressions("Russia sent 2015 troops.", anchor=ANCHOR) == []
    assert find_time_expressions("More than 1500 people fled.", anchor=ANCHOR) == []


def test_without_anchor_relative_values_stay_underspecified() -> None:
    found = find_time_expressions("Yesterday, last week and on Friday, March 14 saw clashes.", anchor=None)
    values = [(r.value, r.earliest, r.anchor) for r in found]
    assert values[0] == ("XXXX-XX-XX", None, None)
    assert values[1] == ("XXXX-WXX", None, None)
    assert ("XXXX-03-14", None, None) not in values  # the weekday fixes a year even without an anchor
    assert find_one("It reopened on March 14.", anchor=None).value == "XXXX-03-14"


def test_the_text_date_anchors_when_the_document_date_is_missing() -> None:
    found = find_time_expressions(
        "On 5 March 2016 talks began. Two days later, on Friday, they ended.", anchor=None
    )
    friday = found[-1]
    assert (friday.value, friday.anchor, friday.anchor_basis) == ("2016-03-04", "2016-03-05", "text-date")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "32 March",
        "31 April 2015",
        "year 3000",
        "99999999999999999999 years ago",
        "the 999999999999th of March",
        "9" * 5000,
        "2015-13-45",
        "12/40/2015",
        "on 29 February 2015",
    ],
)
def test_pathological_input_gives_no_invalid_dates(text) -> None:
    for ref in find_time_expressions(text, anchor=ANCHOR):
        for bound in (ref.earliest, ref.latest):
            if bound is not None:
                date.fromisoformat(bound)
        assert 0 <= ref.start < ref.end <= len(text)


def test_impossible_dates_are_skipped() -> None:
    assert find_time_expressions("32 March", anchor=ANCHOR) == []
    # The impossible day goes; the month that is certainly meant stays.
    assert [r.value for r in find_time_expressions("on 31 April 2015", anchor=ANCHOR)] == ["2015-04"]


def test_offsets_survive_characters_that_grow_when_lower_cased() -> None:
    text = "İİ İstanbul, 5 May 2014"
    ref = find_one(text)
    assert text[ref.start : ref.end] == "5 May 2014"


def test_spans_are_in_reading_order_and_do_not_overlap() -> None:
    text = "On Monday, March 14th, 2016, and again last week and in the third quarter of 2015, now."
    found = find_time_expressions(text, anchor=ANCHOR)
    assert [text[r.start : r.end] for r in found] == [
        "Monday, March 14th, 2016",
        "last week",
        "the third quarter of 2015",
        "now",
    ]


def test_the_document_year_fixes_a_weekday_date() -> None:
    ref = find_one("On Monday, March 14th, Putin ordered a withdrawal.", anchor=None, year_hint=2016)
    assert ref.value == "2016-03-14" and ref.anchor_basis == "weekday-year"


@pytest.mark.parametrize("text", ["according to Kuwait daily, al-Rai.", "the Israeli daily Haaretz reported"])
def test_a_newspaper_is_not_a_frequency(text: str) -> None:
    assert not [t for t in find_time_expressions(text, anchor=ANCHOR) if t.type == "SET"]


def test_daily_income_is_a_frequency() -> None:
    assert find_one("depriving it of $1.5 million in daily income.").value == "P1D"


def test_at_this_point_and_a_later_date() -> None:
    values = [
        t.value
        for t in find_time_expressions("At this point, talks may resume at a later date.", anchor=ANCHOR)
    ]
    assert values == ["PRESENT_REF", "FUTURE_REF"]
    assert not find_time_expressions("He wanted to make this point clear.", anchor=ANCHOR)


def test_year_hint_dates_a_bare_month_day_and_marks_it() -> None:
    [ref] = [t for t in find_time_expressions("Their March 14 announcement surprised many.", year_hint=2016)]
    assert (ref.value, ref.anchor_basis) == ("2016-03-14", "inferred-year")
    [bare] = find_time_expressions("Their March 14 announcement surprised many.")
    assert bare.value == "XXXX-03-14" and bare.earliest is None


@pytest.mark.parametrize(
    "text",
    [
        "Officers arrested Anna Lund, 32, of 1119 Eighth St., after a traffic stop.",
        "The driver, 29, of 1909 Juniper Drive, was released.",
        "Police searched a garage at 3170 W. County Road 500 on Monday.",
    ],
)
def test_a_house_number_is_no_year(text: str) -> None:
    assert not any(r.type == "DATE" and len(r.value) == 4 for r in find_time_expressions(text, anchor=ANCHOR))


def test_a_year_before_a_street_word_in_a_name_stays_a_year() -> None:
    ref = find_one("In 2015 Supreme Court justices heard the case.")
    assert ref.value == "2015"
