"""The timeline of documents: placed by what they report, else by their publication date, and said so."""

from __future__ import annotations

from sitroom.analyse.timeline import document_timeline, within
from sitroom.model import Document, Published, TimeRef


def doc(doc_id: str, published: str | None) -> Document:
    pub = Published(value=published, precision="day", basis="stated") if published else Published()
    return Document(id=doc_id, text="Text.", origin="t.txt", format="text", title=doc_id, published=pub)


def date(value: str) -> TimeRef:
    return TimeRef(start=0, end=4, type="DATE", value=value, granularity="day",
                   earliest=value, latest=value)  # fmt: skip


def test_documents_by_what_they_report_and_the_fallback_is_named() -> None:
    docs = [doc("a", "2016-03-20"), doc("b", "2016-01-05"), doc("c", None)]
    layers = {"a": {"times": [date("2015-11-23")]}, "b": {}, "c": {}}
    entries = document_timeline(docs, lambda doc_id: layers[doc_id])
    assert [e.document_id for e in entries] == ["a", "b", "c"]  # a reports 2015, before b's date
    assert entries[0].text.startswith("reports 2015-11-23 – 2015-11-23")
    assert entries[1].text.startswith("no dated content; placed by its publication date (2016-01-05")
    assert entries[2].text == "no dated content"
    assert [e.document_id for e in entries if within(e, "2016", None)] == ["b"]
    assert [e.document_id for e in entries if within(e, None, "2015-12")] == ["a"]


def test_a_document_is_placed_by_its_main_events_not_by_an_aside():
    docs = [doc("a", "2016-03-20"), doc("b", "2016-01-05")]
    asides = [date("1980-06-01"), date("2016-03-14"), date("2016-03-01"), date("2016-02-10")]
    layers = {"a": {"times": asides}, "b": {}}
    entries = document_timeline(docs, lambda doc_id: layers[doc_id])
    assert [e.document_id for e in entries] == ["b", "a"]
    assert (entries[1].when, entries[1].until) == ("2016-02-10", "2016-03-14")
    assert "1 earlier or later date left out" in entries[1].text


def test_main_period_keeps_the_densest_two_years():
    from sitroom.analyse.timeline import main_period

    period = main_period(["2015-01-01", "2015-06-01", "2020-09-01", "2020-10-16", "2020-11-11"])
    assert (period.earliest, period.latest, period.outside) == ("2020-09-01", "2020-11-11", 2)
    assert main_period([]) is None
    assert main_period(["2015", "2015-11"]).outside == 0
