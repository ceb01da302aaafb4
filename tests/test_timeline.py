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
