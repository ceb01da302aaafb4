"""Markup a reader never sees stays out of the article's text (sitroom.ingest.hidden)."""

from __future__ import annotations

from lxml.html import fromstring

from sitroom.ingest.hidden import drop_hidden
from tests.test_ingest_readers import PARAGRAPH, article_html, only_doc, read_all

# A name with the card a page pops up over it: a picture, the full name, links to other stories.
CARD = (
    '<span class="hover-person"><a href="/people/ana-ruiz">Ana Ruiz</a>'
    '<span class="person-hovercard"><img src="/ruiz.jpg" alt="">'
    '<a href="/people/ana-ruiz">Ana Maria Ruiz Vega</a>'
    '<a href="/news/1">Mayor vows to reopen the old bridge</a> '
    '<a href="/news/2">Council passes the harbour budget</a> <a href="/people/ana-ruiz">MORE</a>'
    "</span></span>"
)


def test_a_card_over_a_name_is_no_text_and_the_name_stays() -> None:
    body = f"Port Alma Mayor {CARD} (D) said on Monday that the ferry would run again. " + PARAGRAPH * 4
    doc = only_doc(read_all(article_html(body=body), name="page.html"))
    assert "Port Alma Mayor Ana Ruiz (D) said on Monday" in doc.text
    assert "Ana Maria Ruiz Vega" not in doc.text and "harbour budget" not in doc.text


def test_elements_the_markup_hides_are_removed() -> None:
    tree = fromstring(
        "<html><body><p>The ferry runs again.<span style='DISPLAY: None'>Share on Facebook</span></p>"
        "<div hidden><p>Thanks for subscribing!</p></div>"
        "<p style='visibility:hidden'>Loading comments</p><p>Passengers cheered.</p></body></html>"
    )
    assert drop_hidden(tree) == 3
    assert " ".join(tree.text_content().split()) == "The ferry runs again.Passengers cheered."


def test_a_tooltip_without_a_card_keeps_its_word() -> None:
    # a class named like a card around a word with no picture and one link is the word itself
    tree = fromstring(
        '<html><body><p>Police found an <span class="tooltip"><a href="/g/ied">IED</a></span> '
        "near the bridge.</p></body></html>"
    )
    assert drop_hidden(tree) == 0
    assert "found an IED near the bridge" in tree.text_content()
