"""Codes in words, for people: TIMEX3 values, durations, modalities and polarities, date bases.

Every output meant to be read (the terminal, the web UI, reports) shows ``XXXX-WXX-5`` as "a Friday",
``PXD`` as "some days" and ``PAST_REF`` as "the past"; exports keep the codes themselves.
"""

from __future__ import annotations

import calendar
import re

_WEEKDAYS = {str(i + 1): name for i, name in enumerate(calendar.day_name)}
_MONTHS = {f"{i:02d}": name for i, name in enumerate(calendar.month_name) if name}
_REFS = {"PAST_REF": "the past", "PRESENT_REF": "now", "FUTURE_REF": "the future"}
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_UNITS = {
    "Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "DE": "decade", "CE": "century",
    "Q": "quarter", "WE": "weekend",
}  # fmt: skip
_TIME_UNITS = {"H": "hour", "M": "minute", "S": "second"}


def timex_in_words(value: str | None) -> str:
    """A TIMEX3 value as words; an ordinary ISO date stays as it is."""
    if not value:
        return "—"
    if value in _REFS:
        return _REFS[value]
    if value.startswith("P") and len(value) > 1:
        return _duration(value)
    time_part = ""
    if "T" in value:
        value, _, clock = value.partition("T")
        time_part = " " + (_PARTS_OF_DAY.get(clock, f"at {clock}") if clock else "")
    if not value.startswith("XXXX"):
        return value + time_part
    rest = value[5:]
    weekday = re.fullmatch(r"WXX-(\d)", rest)
    if weekday:
        return f"a {_WEEKDAYS.get(weekday.group(1), 'weekday')}" + time_part
    if rest == "WXX-WE":
        return "a weekend"
    if rest == "WXX":
        return "a week (year unknown)"
    month_day = re.fullmatch(r"(\d{2})-(\d{2})", rest)
    if month_day and month_day.group(1) in _MONTHS:
        return f"{_MONTHS[month_day.group(1)]} {int(month_day.group(2))}, year unknown" + time_part
    if rest in _MONTHS:
        return f"{_MONTHS[rest]}, year unknown"
    if rest in _SEASONS:
        return f"a {_SEASONS[rest]}, year unknown"
    if re.fullmatch(r"[QH]\d", rest):
        return f"{'quarter' if rest[0] == 'Q' else 'half'} {rest[1]}, year unknown"
    if rest in ("", "XX", "XX-XX", "QX"):
        return (
            {"": "a year", "XX": "a month", "XX-XX": "a day", "QX": "a quarter"}[rest]
            + " (unknown)"
            + time_part
        )
    return "a date (unresolved)"


def _duration(value: str) -> str:
    body = value[1:]
    in_time = body.startswith("T")
    body = body.lstrip("T")
    match = re.fullmatch(r"([\dX.]+)([A-Z]+)", body)
    if not match:
        return f"a duration ({value})"
    amount, unit = match.groups()
    name = (_TIME_UNITS if in_time else _UNITS).get(unit, unit.lower())
    if amount == "X":
        return f"some {name}s"
    number = float(amount)
    shown = f"{number:g}"
    return f"{shown} {name}" + ("" if number == 1 else "s")


_MODALITY = {
    "asserted": "said as fact",
    "reported": "reported",
    "possible": "possible",
    "likely": "likely",
    "unlikely": "unlikely",
    "planned": "planned",
    "intended": "intended",
    "hypothetical": "hypothetical",
    "conditional": "conditional",
}
_POLARITY = {"affirm": "", "deny": "denied", "negated": "negated"}


def stance_in_words(modality: str, polarity: str) -> str:
    """'likely', 'said as fact, denied', 'possible, negated'."""
    words = _MODALITY.get(modality, modality)
    extra = _POLARITY.get(polarity, polarity)
    return f"{words}, {extra}" if extra else words


_BASIS = {
    "stated": "stated in the document",
    "html-meta": "from the page's metadata",
    "dateline": "from the dateline",
    "inferred": "inferred from the content",
    "analyst": "set by an analyst",
    "none": "unknown",
}


def basis_in_words(basis: str | None) -> str:
    return _BASIS.get(basis or "none", basis or "unknown")


def precision_in_words(precision: str | None) -> str:
    return {
        "second": "to the second",
        "day": "to the day",
        "month": "to the month",
        "year": "to the year",
    }.get(precision or "", "precision unknown")
