"""Lead containers kept, promo and share lines removed (issue 13, cleaning). Pages are made up."""

from __future__ import annotations

import pytest

from sitroom.clean import clean_document
from sitroom.ingest import read_bytes
from sitroom.model import RawDocument

BODY = (
    "<p>The union said 82 percent of its members backed the offer in a ballot on Tuesday. The deal "
    "raises wages by six percent over two years and adds a night-shift bonus.</p>"
    "<p>Port officials said the backlog of container ships would take at least ten days to clear, and "
    "that perishable cargo had been diverted to neighbouring ports during the dispute.</p>"
    "<p>Regional transport minister Ana Ruiz welcomed the vote but warned that the cost of the "
    "settlement would be passed on to shipping companies through higher port fees next year.</p>"
)
LEAD = (
    "Dock workers in the port city of Valdmora have voted to return to work after the regional "
    "government agreed to a new pay deal, ending a three-week strike."
)


def page(lead_markup: str, extra_body: str = "") -> bytes:
    return (
        "<html><head><title>Harbour strike ends</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<div class='article'><h1 class='article__heading'>Harbour strike ends</h1>"
        f"{lead_markup}<div class='article__text text'>{BODY}{extra_body}</div></div>"
        "<footer>All rights reserved.</footer></body></html>"
    ).encode()


def text_of(data: bytes) -> str:
    (doc,) = [i for i in read_bytes(data, origin="page.html") if isinstance(i, RawDocument)]
    return doc.text


@pytest.mark.parametrize(
    "markup",
    [
        f"<div class='article__summary summary '>{LEAD}</div>",  # RT
        f"<p class='standfirst'>{LEAD}</p>",
        f"<div class='c-entry-summary p-dek'>{LEAD}</div>",
        f"<div class='articleDek'>{LEAD}</div>",
        f"<div itemprop='description'><p>{LEAD}</p></div>",
    ],
)
def test_lead_container_is_kept_in_front(markup: str) -> None:
    text = text_of(page(markup))
    assert text.startswith(LEAD) and text.count("Dock workers") == 1


@pytest.mark.parametrize(
    "markup",
    [
        # a teaser list and a sidebar also call their blurbs "summary"
        f"<aside><div class='summary'>{LEAD}</div></aside>",
        f"<ul class='related'><li><p class='summary'>{LEAD}</p></li></ul>",
        f"<div class='PromoSmall-description'>{LEAD}</div>",
        # a teaser cut short, and a lead that is only links
        "<div class='summary'>Dock workers in the port city of Valdmora have voted to return to...</div>",
        f"<div class='summary'><a href='/x'>{LEAD}</a></div>",
        # "leaderboard" is an ad slot, not a lead
        f"<div class='leaderboard'>{LEAD}</div>",
    ],
)
def test_things_that_only_look_like_a_lead_are_not_added(markup: str) -> None:
    assert "Dock workers" not in text_of(page(markup))


def test_lead_already_in_the_text_is_not_repeated() -> None:
    markup = f"<div class='article__text'><p class='lead'>{LEAD}</p>{BODY}</div>"
    data = f"<html><body><div class='article'>{markup}</div></body></html>".encode()
    assert text_of(data).count("Dock workers") == 1


def clean_text(text: str) -> tuple[str, list[tuple[str, str]]]:
    doc = clean_document(RawDocument(raw=text.encode(), origin="x", format="html", text=text))
    return doc.text, [(r.text, r.reason) for r in doc.removed]


def test_promo_labels_and_their_linked_headline_are_removed() -> None:
    text, removed = clean_text(
        "Dock workers voted to return to work after the government agreed to a new pay deal.\n"
        "Also on rt.com\n"
        "Dock strike spreads to second port as talks stall\n"
        "Port officials said the backlog would take at least ten days to clear.\n"
        "More:\n"
        "Valdmora port to expand container terminal\n"
        "Also on example.co.uk: Ferry fares to rise in spring\n"
        "The strike was the longest at the port since 1998.\n"
        "Like this story? Share it with a friend!"
    )
    assert [r for r, _ in removed] == [
        "Also on rt.com",
        "Dock strike spreads to second port as talks stall",
        "More:",
        "Valdmora port to expand container terminal",
        "Also on example.co.uk: Ferry fares to rise in spring",
        "Like this story? Share it with a friend!",
    ]
    assert text.endswith("since 1998.") and "Port officials said" in text


def test_prose_that_resembles_a_promo_stays() -> None:
    prose = (
        "Dock workers voted to return to work after the government agreed to a new pay deal.\n"
        "Also on Tuesday, the minister met union leaders to discuss the settlement.\n"
        "More:\n"
        "The strike was the longest at the port since 1998, when a dispute over pensions lasted weeks.\n"
        "Share prices of shipping firms rose with the news."
    )
    text, removed = clean_text(prose)
    assert removed == [("More:", "promo")]  # the paragraph after the label is a sentence: kept
    assert "Also on Tuesday" in text and "since 1998" in text and "Share prices" in text
