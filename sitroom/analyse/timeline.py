"""Timelines ordered by what documents report, not by when they say they were published.

A document's reported period runs from the earliest to the latest date its events and time expressions
point at (past and present only: "next year" is not something it reports). Documents are ordered by
the end of that period, so an article with a stated date five years after its events sits with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitroom.model import Document

# TIMEX granularities too coarse to place a document: a bare year still counts, "the 90s" does not.
_USABLE = frozenset(
    {"day", "week", "weekend", "month", "quarter", "season", "year", "time", "second", "minute"}
)


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing: an event, or a document placed by what it reports."""

    when: str  # ISO date (earliest of the interval)
    until: str | None
    kind: str  # "event" or "document"
    document_id: str
    title: str | None
    source: str | None
    label: str  # event type, or the document's title
    text: str  # the sentence (events) or the reported period's evidence
    ref: str | None = None


def reported_period(doc: Document, layers: dict) -> tuple[str | None, str | None]:
    """Earliest and latest dates the document's events and time expressions refer to; without any,
    its publication date (or the range it was inferred to lie in)."""
    dates = content_dates(doc, layers)
    if not dates:
        published = doc.published
        if published.trusted and published.value:
            return published.value[:10], published.value[:10]
        return published.earliest, published.latest
    return min(dates)[:10], max(dates)[:10]


def content_dates(doc: Document, layers: dict) -> list[str]:
    """The dates the document's events and time expressions refer to, up to its stated date."""
    dates: list[str] = []
    for time in layers.get("times", []):
        if time.type == "DATE" and time.earliest and time.granularity in _USABLE:
            dates.append(time.earliest)
            if time.latest:
                dates.append(time.latest)
    for event in layers.get("events", []):
        if event.earliest:
            dates.append(event.earliest)
    published = doc.published
    # A date the document states (not one inferred from these same contents) bounds what it can report:
    # the future a text speculates about ("next year") is not something it reports.
    stated = published.trusted and published.basis != "inferred" and published.precision in ("day", "second")
    if stated and published.value:
        dates = [d for d in dates if d[:10] <= published.value[:10]]
    return dates


def document_timeline(docs: list[Document], layers_of) -> list[TimelineEntry]:
    entries = []
    undated = []
    for doc in docs:
        if doc.duplicate_of:
            continue
        layers = layers_of(doc.id)
        start, end = reported_period(doc, layers)
        if not start:
            basis = "no dated content"
        elif content_dates(doc, layers):
            basis = f"reports {start} – {end}"
        else:
            basis = f"no dated content; placed by its publication date ({start} – {end})"
        if doc.published.value:
            basis += f"; says it was published {doc.published.value} ({doc.published.basis}"
            basis += ", implausible)" if doc.published.implausible else ")"
        entry = TimelineEntry(
            when=start or "", until=end, kind="document", document_id=doc.id, title=doc.title,
            source=doc.source, label=doc.title or doc.id, text=basis,
        )  # fmt: skip
        (entries if start else undated).append(entry)
    entries.sort(key=lambda e: (e.until or e.when, e.when, e.document_id))
    return entries + sorted(undated, key=lambda e: e.document_id)


def event_timeline(docs: list[Document], layers_of, *, event_type: str | None = None) -> list[TimelineEntry]:
    from sitroom.model import event_ref

    entries = []
    for doc in docs:
        if doc.duplicate_of:
            continue
        for event in layers_of(doc.id).get("events", []):
            if not event.earliest or (event_type and event.type != event_type):
                continue
            sentence = doc.text[event.sentence_start : event.sentence_end].strip()
            entries.append(TimelineEntry(
                when=event.earliest, until=event.latest, kind="event", document_id=doc.id, title=doc.title,
                source=doc.source, label=f"{event.type} ({event.modality})", text=sentence,
                ref=event_ref(doc.id, event),
            ))  # fmt: skip
    return sorted(entries, key=lambda e: (e.when, e.document_id, e.ref or ""))


def within(entry: TimelineEntry, since: str | None, until: str | None) -> bool:
    """Whether the entry's period overlaps [since, until]; dates of any precision ("2015", "2015-11",
    "2015-11-23") compare by their first and last day. Undated entries only pass without bounds."""
    if not since and not until:
        return True
    if not entry.when:
        return False
    first, last = entry.when, entry.until or entry.when
    if since and _last_day(last) < _first_day(since):
        return False
    return not (until and _first_day(first) > _last_day(until))


# ISO dates compare as strings; a year or month is padded to its first or last day ("2015-11" runs
# to "2015-11-31", a bound in string order, not a real date).
def _first_day(value: str) -> str:
    day = value[:10]
    return day + "-01-01"[len(day) - 4 :]


def _last_day(value: str) -> str:
    day = value[:10]
    return day + "-12-31"[len(day) - 4 :]
