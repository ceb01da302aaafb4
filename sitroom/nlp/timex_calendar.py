"""Calendar arithmetic for time expressions: periods, their TIMEX3 values and their date intervals.

A :class:`Period` is a calendar unit (a day, an ISO week, a quarter, a season ...) named by its
granularity and its first day; everything the recogniser resolves ends up as one, so that shifting
("last quarter"), formatting (``1989-Q3``) and bounding (``[1989-07-01, 1989-09-30]``) live in one place.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# Months each season starts on; winter is named after the year of its December (TIMEX3 has no rule;
# this keeps a season inside one value and its interval contiguous).
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_SEASON_BY_MONTH = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}
_STEP_MONTHS = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12, "decade": 120, "century": 1200}


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar unit: ``granularity`` (day, week, weekend, month, quarter, half, season, year,
    decade, century) and the date it starts on."""

    granularity: str
    start: date


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, clamping the day to the target month's length (Jan 31 + 1 = Feb 28)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def shift_date(d: date, unit: str, count: int) -> date:
    """``d`` moved by ``count`` units (day, week, month, quarter, year, decade, century)."""
    if unit == "day":
        return d + timedelta(days=count)
    if unit in ("week", "weekend"):
        return d + timedelta(weeks=count)
    return add_months(d, count * _STEP_MONTHS[unit])


def make_period(granularity: str, d: date) -> Period:
    """The period of ``granularity`` that contains ``d``."""
    if granularity == "day":
        return Period("day", d)
    if granularity == "week":
        return Period("week", d - timedelta(days=d.isoweekday() - 1))
    if granularity == "weekend":
        monday = d - timedelta(days=d.isoweekday() - 1)
        return Period("weekend", monday + timedelta(days=5))
    if granularity == "month":
        return Period("month", d.replace(day=1))
    if granularity == "quarter":
        return Period("quarter", date(d.year, (d.month - 1) // 3 * 3 + 1, 1))
    if granularity == "half":
        return Period("half", date(d.year, 1 if d.month <= 6 else 7, 1))
    if granularity == "season":
        # Seasons start in Mar/Jun/Sep/Dec; Jan and Feb belong to the winter that began in December.
        month = (d.month // 3) * 3 or 12
        year = d.year - 1 if d.month < 3 else d.year
        return Period("season", date(year, month, 1))
    if granularity == "year":
        return Period("year", date(d.year, 1, 1))
    if granularity == "decade":
        return Period("decade", date(d.year // 10 * 10, 1, 1))
    if granularity == "century":
        return Period("century", date(d.year // 100 * 100, 1, 1))
    raise ValueError(f"unknown granularity {granularity!r}")


def shift_period(period: Period, count: int) -> Period:
    """The period ``count`` units after (before, when negative) ``period``, at the same granularity."""
    unit = "season" if period.granularity == "season" else period.granularity
    return make_period(period.granularity, shift_date(period.start, unit, count))


def season_period(code: str, year: int) -> Period:
    return Period("season", date(year, SEASON_START[code], 1))


def format_period(period: Period) -> str:
    """The TIMEX3 value of a period: ``2015-11-23``, ``2015-W47``, ``2015-W47-WE``, ``2015-Q4`` ..."""
    d, g = period.start, period.granularity
    if g == "day":
        return d.isoformat()
    if g in ("week", "weekend"):
        iso_year, week, _ = d.isocalendar()
        return f"{iso_year:04d}-W{week:02d}" + ("-WE" if g == "weekend" else "")
    if g == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if g == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if g == "half":
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    if g == "season":
        return f"{d.year:04d}-{_SEASON_BY_MONTH[d.month]}"
    if g == "year":
        return f"{d.year:04d}"
    if g == "decade":
        return f"{d.year // 10:03d}"
    if g == "century":
        return f"{d.year // 100:02d}"
    raise ValueError(f"unknown granularity {g!r}")


def bound_period(period: Period, mod: str | None = None) -> tuple[date, date]:
    """First and last day of a period; START/MID/END keep its first, middle or last third."""
    g, first = period.granularity, period.start
    if g == "day":
        last = first
    elif g == "week":
        last = first + timedelta(days=6)
    elif g == "weekend":
        last = first + timedelta(days=1)
    else:
        months = {"season": 3}.get(g, _STEP_MONTHS.get(g, 1))
        last = add_months(first, months) - timedelta(days=1)
    if mod in ("START", "MID", "END") and last > first:
        third = (last - first).days // 3
        if mod == "START":
            last = first + timedelta(days=third)
        elif mod == "MID":
            first, last = first + timedelta(days=third), last - timedelta(days=third)
        else:
            first = last - timedelta(days=third)
    return first, last


def find_easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def find_thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
