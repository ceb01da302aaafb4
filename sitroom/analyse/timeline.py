"""Timelines ordered by what documents report, not by when they say they were published.

A document's reported period is the span of its main events: the dates its events and time
expressions point at (past and present only: "next year" is not something it reports), cut to the
window of :data:`MAIN_WINDOW_DAYS` that holds most of them, so an aside about 1980 in an article
about 2016 does not stretch it back 36 years (the entry says how many dates it left out). Documents
are ordered by the end of that period, so an article with a stated date five years after its events
sits with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sitroom.config import TIMELINE_GRANULARITIES
from sitroom.model import Document, Published
from sitroom.views import ReportedPeriod as Period
from sitroom.views import TimelineEntry

__all__ = [
    "Period", "TimelineEntry", "content_dates", "document_timeline", "main_period", "place_documents",
    "reported_period", "within",
]  # fmt: skip



# Two years: long enough for a story that runs a season or a year (a campaign, a trial), short enough
# that background history ("since the 2001 invasion", "in the 1980s") falls outside.
MAIN_WINDOW_DAYS = 730


def main_period(dates: list[str]) -> Period | None:
    """The window of :data:`MAIN_WINDOW_DAYS` holding the most of ``dates`` (ISO, any precision; the
    later window on a tie), shrunk to the dates inside it."""
    days = sorted(d[:10] for d in dates if d)
    if not days:
        return None
    ordinals = [_ordinal(d) for d in days]
    best = (0, 0, 0)  # (dates in the window, its first, its last); a later window wins a tie
    start = 0
    for end in range(len(days)):
        while ordinals[end] - ordinals[start] > MAIN_WINDOW_DAYS:
            start += 1
        if end - start + 1 >= best[0]:
            best = (end - start + 1, start, end)
    _, first, last = best
    return Period(earliest=days[first], latest=days[last], outside=len(set(days) - set(days[first : last + 1])))


def _ordinal(day: str) -> int:
    year, month, dom = (day.split("-") + ["01", "01"])[:3]
    try:
        return date(int(year), int(month), int(dom)).toordinal()
    except ValueError:
        return date(int(year), 1, 1).toordinal()


def reported_period(doc: Document, layers: dict) -> tuple[str | None, str | None]:
    """The span of the document's main events (:func:`main_period`); without dated content, its
    publication date (or the range it was inferred to lie in)."""
    period = main_period(content_dates(doc, layers))
    if period is None:
        published = doc.published
        if published.trusted and published.value:
            return published.value[:10], published.value[:10]
        return published.earliest, published.latest
    return period.earliest, period.latest


def content_dates(doc: Document, layers: dict) -> list[str]:
    """The dates the document's events and time expressions refer to, up to its stated date."""
    dates: list[str] = []
    for time in layers.get("times", []):
        if time.type == "DATE" and time.earliest and time.granularity in TIMELINE_GRANULARITIES:
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
    """Documents placed by what they report (see :func:`place_documents`), from their annotations."""
    periods = {}
    for doc in docs:
        period = None if doc.duplicate_of else main_period(content_dates(doc, layers_of(doc.id)))
        if period is not None:
            periods[doc.id] = period
    return place_documents(docs, periods)


def place_documents(docs: Iterable, periods: dict[str, Period]) -> list[TimelineEntry]:
    """Timeline entries for original documents (anything with ``id``, ``title``, ``source``,
    ``published`` and ``duplicate_of``: a Document or a DocumentBrief), placed by the period their
    content reports (``periods``: id → Period), else by their publication date, else undated (last);
    each says how it was placed."""
    entries = []
    undated = []
    for doc in docs:
        if doc.duplicate_of:
            continue
        published: Published = doc.published
        period = periods.get(doc.id)
        if period:
            start, end = period.earliest, period.latest
            basis = f"reports {start} – {end}"
            if period.outside:
                basis += f" (its main events; {period.outside} earlier or later date{'s' if period.outside > 1 else ''} left out)"
        else:
            if published.trusted and published.value:
                start = end = published.value[:10]
            else:
                start, end = published.earliest, published.latest
            basis = (
                f"no dated content; placed by its publication date ({start} – {end})" if start else "no dated content"
            )
        if published.value:
            basis += f"; says it was published {published.value} ({published.basis}"
            basis += ", implausible)" if published.implausible else ")"
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
