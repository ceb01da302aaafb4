import pytest

from sitroom.clean.metadata import (
    find_dateline,
    find_outlet_for_url,
    is_caption,
    is_headline_like,
    parse_byline,
    split_name_role,
    tidy_author,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Sylvia Westall", ("Sylvia Westall", None)),
        ("By: Rory McConville", ("Rory McConville", None)),
        ("Author: Jason Ditz", ("Jason Ditz", None)),
        ("BY SEAN LENGELL | 01/12/15 12:15 PM", ("Sean Lengell", None)),
        ("By Jane Doe and John Roe", ("Jane Doe and John Roe", None)),
        ("By Jane Doe, Senior Editor", ("Jane Doe", "Senior Editor")),
    ],
)
def test_bylines(line: str, expected: tuple[str, str | None]) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "By Land and Sea",
        "By the end of the week, Russian jets had flown 522 sorties over Syria.",
        "Author unknown",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_name_and_role_line() -> None:
    assert split_name_role("Saagar Enjeti White House Correspondent") == (
        "Saagar Enjeti",
        "White House Correspondent",
    )
    assert split_name_role("Jane Doe, Middle East Correspondent") == ("Jane Doe", "Middle East Correspondent")
    assert split_name_role("Institute for War Studies: Russia may deploy its ground forces in Syria") is None
    assert split_name_role("Vladimir Putin") is None


@pytest.mark.parametrize(
    ("paragraph", "place", "when"),
    [
        ("Jerusalem—Russia has sent ground forces into battle.", "Jerusalem", None),
        ("MOSCOW (Reuters) - Russia said on Monday it would withdraw.", "Moscow", None),
        ("BEIRUT, Nov 23 (AP) — Syrian troops advanced.", "Beirut", (11, 23, None)),
        ("WASHINGTON — The Pentagon said.", "Washington", None),
        # an outlet the agency list does not know, after an all-capitals place
        ("KANSAS CITY, MO (KCTV) - Police said.", "Kansas City", None),
        ("PORTLAND, Maine (WGME 13) - A ferry ran aground.", "Portland", None),
    ],
)
def test_datelines(paragraph: str, place: str, when: tuple | None) -> None:
    assert find_dateline(paragraph) == (place, when)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Russia has sent ground forces into battle for the first time.",
        "Russian-backed forces - the army said - advanced on Aleppo.",
        "Putin—who rarely comments—said nothing.",
        "Kremlin spokesman Dmitry Peskov today discussed questions.",
        # an unknown outlet only counts after an all-capitals place or before an em dash
        "Portland (Maine) - a ferry ran aground.",
        "Portland (WGME) - A ferry ran aground.",
    ],
)
def test_not_datelines(paragraph: str) -> None:
    assert find_dateline(paragraph) is None


def test_headline_and_caption_shapes() -> None:
    assert is_headline_like("The Russian Reversal: Why Would Putin Withdraw From Syria?")
    assert is_headline_like("Institute for War Studies: Russia may deploy its ground forces in Syria")
    assert not is_headline_like("Russia has sent ground forces into battle for the first time in Syria.")
    assert not is_headline_like("KANSAS CITY, MO (KCTV) -")
    assert is_caption("Vladimir Putin")
    assert not is_caption("Syrian FM: No Such Request Made Yet")
    assert not is_caption("November 23, 2015")


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://dailycaller.com/2016/05/01/putin/", "The Daily Caller"),
        ("https://www.antiwar.com/blog/x", "Antiwar.com"),
        ("http://news.bbc.co.uk/2/hi/middle_east/x.stm", "BBC"),
        ("https://www.example.org/a", "example.org"),
        ("https://www.local-paper.co.uk/news/1", "local-paper.co.uk"),
        ("not a url", None),
    ],
)
def test_outlet_from_url(url: str, outlet: str | None) -> None:
    assert find_outlet_for_url(url) == outlet


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Phil Helsel is a reporter for NBC News", "Phil Helsel"),
        ("Ana Ortiz was an editor; LARS EIDE", "Ana Ortiz; Lars Eide"),
        ("MARY CLARE JALONICK; BBC NEWS", "Mary Clare Jalonick; BBC NEWS"),  # an acronym stays in capitals
        ("Staff Reports", "Staff Reports"),
        ("  ", None),
        # clean.v3: the date a page prints after its byline is no part of the name
        ("HARBOUR GAZETTE STAFF NOVEMBER", "Harbour Gazette Staff"),
        ("Lena Moss Nov. 20, 2019", "Lena Moss"),
        ("Theresa May", "Theresa May"),
        ("Dan June", "Dan June"),
    ],
)
def test_a_reader_s_author_reads_as_a_byline(given, expected) -> None:
    assert tidy_author(given) == expected
