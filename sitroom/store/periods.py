"""Documents by the period they report: the documents timeline, ordered, filtered and paged by the
database over the stored ``document_periods`` rows.

A document is placed by its reported period (the span of its main events, recorded when it was
processed), else by its trusted publication date, else by the range its date was inferred to lie in;
the rest are undated and come last, by id. :func:`sitroom.analyse.timeline.place_documents` says the
same in Python for a list of documents; here the same rule is SQL, so a page of the timeline reads
one page of documents instead of placing every document in Python (10k briefs: 0.8 s a page).
"""

from __future__ import annotations

from sqlalchemy import String, and_, case, func, literal, or_, select

from sitroom.config import TIMELINE_GRANULARITIES
from sitroom.store import annotations as ann
from sitroom.store import schema
from sitroom.store.queries import check_page
from sitroom.store.revisions import document_periods
from sitroom.views import DocumentBrief, Page, ReportedPeriod

_DOC = schema.documents
_SRC = schema.sources
_PERIODS = document_periods
# Ids per query when reading briefs: well under SQLite's limit of 32,766 parameters a statement.
_BRIEFS_AT_ONCE = 5000


def _present(column):
    return and_(column.is_not(None), column != "")


def _first_day(column):
    """SQL for analyse.timeline._first_day: an ISO date of any precision padded to its first day
    ("2015" → "2015-01-01", "2015-11" → "2015-11-01"), compared as a string."""
    day = func.substr(column, 1, 10, type_=String)
    return day.concat(func.substr(literal("-01-01"), func.length(day) - 3))


def _last_day(column):
    """SQL for analyse.timeline._last_day ("2015-11" → "2015-11-31": a bound in string order)."""
    day = func.substr(column, 1, 10, type_=String)
    return day.concat(func.substr(literal("-12-31"), func.length(day) - 3))


class PeriodStore:
    """Mixin for :class:`~sitroom.store.database.Store`: reported periods and the documents timeline."""

    engine: object

    def reported_periods(self) -> dict[str, ReportedPeriod]:
        """For each original document with dated content, the span of its main events, as recorded
        when it was processed; for documents processed before periods were recorded, the earliest and
        latest dates its time expressions (DATE, fine enough to place it) and events point at, up to
        its own stated date (what a text speculates about after it was written is not something it
        reports)."""
        with self.engine.connect() as conn:
            stored = conn.execute(select(_PERIODS)).all()
            missing = {
                row.document_id: ReportedPeriod(earliest=row.earliest, latest=row.latest)
                for row in conn.execute(
                    self._aggregate_periods(_DOC.c.id.not_in(select(_PERIODS.c.document_id)))
                )
            }
        found = {
            row.document_id: ReportedPeriod(earliest=row.earliest, latest=row.latest, outside=row.outside)
            for row in stored
            if row.earliest
        }
        return {**missing, **found}

    def documents_without_period(self) -> list[str]:
        """Original documents with annotations but no recorded period (processed by an older sitroom)."""
        query = select(_DOC.c.id).where(
            _DOC.c.duplicate_of.is_(None),
            _DOC.c.id.not_in(select(_PERIODS.c.document_id)),
            _DOC.c.id.in_(select(ann.processing.c.document_id)),
        )
        with self.engine.connect() as conn:
            return [row.id for row in conn.execute(query)]

    def _aggregate_periods(self, documents):
        """A query of (document_id, earliest, latest, outside=0) for the original documents that
        ``documents`` (a condition on ``documents``) keeps: the earliest and latest of their content's
        dates, for documents processed before periods were recorded."""
        times, events = ann.time_expressions, ann.events
        stated = and_(
            _DOC.c.published.is_not(None),
            _DOC.c.published_implausible.is_(None),
            _DOC.c.published_basis != "inferred",
            _DOC.c.published_precision.in_(("day", "second")),
        )

        def bounded(column):
            return or_(~stated, func.substr(column, 1, 10) <= func.substr(_DOC.c.published, 1, 10))

        time_dates = []
        for column in (times.c.earliest, times.c.latest):
            time_dates.append(
                select(times.c.document_id.label("document_id"), column.label("day"))
                .select_from(times.join(_DOC, _DOC.c.id == times.c.document_id))
                .where(
                    times.c.type == "DATE",
                    times.c.earliest.is_not(None),
                    column.is_not(None),
                    times.c.granularity.in_(tuple(sorted(TIMELINE_GRANULARITIES))),
                    _DOC.c.duplicate_of.is_(None),
                    documents,
                    bounded(column),
                )
            )
        event_dates = (
            select(events.c.document_id.label("document_id"), events.c.earliest.label("day"))
            .select_from(events.join(_DOC, _DOC.c.id == events.c.document_id))
            .where(
                events.c.earliest.is_not(None),
                _DOC.c.duplicate_of.is_(None),
                documents,
                bounded(events.c.earliest),
            )
        )
        union = time_dates[0].union_all(time_dates[1], event_dates).subquery()
        return select(
            union.c.document_id.label("document_id"),
            func.min(func.substr(union.c.day, 1, 10)).label("earliest"),
            func.max(func.substr(union.c.day, 1, 10)).label("latest"),
            literal(0).label("outside"),
        ).group_by(union.c.document_id)

    def documents_by_period(
        self,
        *,
        source: str | None = None,
        story: str | None = None,
        since: str | None = None,
        until: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[Page[DocumentBrief], dict[str, ReportedPeriod]]:
        """Original documents in timeline order (by the end of what they report, then its start, then
        id; undated last, by id), ``since``/``until`` keeping those whose period overlaps, paged by the
        database; with the reported period of each document on the page that has one."""
        offset, limit = check_page(offset, limit)
        periods = select(_PERIODS.c.document_id, _PERIODS.c.earliest, _PERIODS.c.latest, _PERIODS.c.outside)
        periods = periods.where(_present(_PERIODS.c.earliest))
        missing = self.documents_without_period()
        if missing:
            # Processed by an older sitroom and not yet given a row (`Workspace.analyse` records
            # them): their dates, aggregated for just these documents.
            unrecorded = _DOC.c.id.not_in(select(_PERIODS.c.document_id))  # a subquery: any number
            periods = periods.union_all(self._aggregate_periods(unrecorded))
        periods = periods.subquery()
        has_period = periods.c.document_id.is_not(None)
        published = func.substr(_DOC.c.published, 1, 10)
        trusted = and_(_present(_DOC.c.published), _DOC.c.published_implausible.is_(None))
        start = case((has_period, periods.c.earliest), (trusted, published), else_=_DOC.c.published_earliest)
        end = case((has_period, periods.c.latest), (trusted, published), else_=_DOC.c.published_latest)
        dated = _present(start)
        last = case((_present(end), end), else_=start)  # what place_documents sorts by first
        conditions = self._document_conditions(source=source, story=story, duplicates=False)
        if since or until:
            conditions.append(dated)
        if since:
            conditions.append(_last_day(last) >= _first_day_of(since))
        if until:
            conditions.append(_first_day(start) <= _last_day_of(until))
        joined = _DOC.outerjoin(_SRC, _DOC.c.source_id == _SRC.c.id).outerjoin(
            periods, periods.c.document_id == _DOC.c.id
        )
        count = select(func.count()).select_from(joined).where(*conditions)
        # Ids first, then the page's briefs: a brief's last columns lie after the document's text in
        # its row, and reading them for every document to sort 10k rows walked every text's overflow
        # pages (ingested_at alone: 40 ms); the ordering reads only columns before the text.
        query = (
            select(_DOC.c.id, has_period.label("has_period"), periods.c.earliest, periods.c.latest,
                   periods.c.outside)
            .select_from(joined)
            .where(*conditions)
            .order_by(case((dated, 0), else_=1), case((dated, last)), case((dated, start)), _DOC.c.id)
            .offset(offset)
        )  # fmt: skip
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            total = conn.execute(count).scalar_one()
            rows = conn.execute(query).all()
        briefs = {}
        ids = [row.id for row in rows]
        for start in range(0, len(ids), _BRIEFS_AT_ONCE):  # a whole timeline (no limit): in chunks
            briefs.update(self.document_briefs(ids[start : start + _BRIEFS_AT_ONCE]))
        found = {
            row.id: ReportedPeriod(earliest=row.earliest, latest=row.latest, outside=row.outside or 0)
            for row in rows
            if row.has_period
        }
        page = Page(items=tuple(briefs[row.id] for row in rows), total=total, offset=offset, limit=limit)
        return page, found


def _first_day_of(value: str) -> str:
    day = value[:10]
    return day + "-01-01"[len(day) - 4 :]


def _last_day_of(value: str) -> str:
    day = value[:10]
    return day + "-12-31"[len(day) - 4 :]
