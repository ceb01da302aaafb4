"""Resolvers for durations, "N units ago", clock times, reference words ("now") and sets ("daily")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sitroom.nlp import timex_calendar as cal
from sitroom.nlp import timex_patterns as pat
from sitroom.nlp.timex_resolve import (
    DAY_OFFSETS,
    Context,
    Found,
    Match,
    choose_year,
    duration_value,
    looks_forward,
    period_found,
    weekday_date,
    word_before,
)

SHIFT_UNIT = {
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "decade": "decade",
    "century": "century",
}
_AGO_MODS = {
    "MORE_THAN": "BEFORE",
    "LESS_THAN": "AFTER",
    "EQUAL_OR_MORE": "ON_OR_BEFORE",
    "EQUAL_OR_LESS": "ON_OR_AFTER",
}


def resolve_ago(m: Match, ctx: Context) -> Found | None:
    count = pat.parse_number(m["num"])
    unit = pat.normalize_unit(m["unit"])
    if count is None or unit not in pat.UNITS:
        return None
    direction = m["dir"].lower()
    backwards = direction in ("ago", "earlier", "before", "back")
    mod = pat.lookup_modifier(m["approx"])
    mod = _AGO_MODS.get(mod or "", mod)
    if count == "X" or unit not in SHIFT_UNIT:
        return Found("DATE", "PAST_REF" if backwards else "FUTURE_REF", "reference", mod=mod)
    if ctx.anchor is None:
        return Found("DATE", "XXXX" if unit in ("year", "decade", "century") else "XXXX-XX-XX", unit, mod=mod)
    sign = -1 if backwards else 1
    last = ctx.last_period
    if (
        unit == "year"
        and direction in ("earlier", "ago")
        and last is not None
        and last.granularity in ("quarter", "month", "half")
        and abs(last.start.year - ctx.anchor.year) <= 1
    ):
        # Financial news: "up from $10 million a year ago" compares with the same quarter a year before.
        steps = {"quarter": 4, "month": 12, "half": 2}[last.granularity]
        found = period_found(cal.shift_period(last, sign * steps * count), ctx, mod)
        found.period = None  # a derived date must not become the reference for the next "a year ago"
        return found
    granularity = {"decade": "year", "century": "year"}.get(unit, unit)
    shifted = cal.shift_date(ctx.anchor, SHIFT_UNIT[unit], sign * count)
    found = period_found(cal.make_period(granularity, shifted), ctx, mod)
    found.period = None
    return found


def resolve_year_ago(m: Match, ctx: Context) -> Found | None:
    if ctx.anchor is None:
        return Found("DATE", "XXXX", "year")
    last = ctx.last_period
    if last is not None and last.granularity in ("quarter", "month", "half"):
        steps = {"quarter": 4, "month": 12, "half": 2}[last.granularity]
        found = period_found(cal.shift_period(last, -steps), ctx)
    else:
        found = period_found(cal.make_period("year", cal.add_months(ctx.anchor, -12)), ctx)
    found.period = None
    return found


_DURATION_BACK = {"past", "last", "previous", "preceding"}
_DURATION_AHEAD = {"next", "coming", "following", "remaining", "additional"}


def resolve_duration(m: Match, ctx: Context) -> Found | None:
    count = pat.parse_number(m["num"])
    unit = pat.normalize_unit(m["unit"])
    if count is None or unit not in pat.UNITS or count == 0:
        return None
    number_word = m["num"].lower()
    after = ctx.text[m.end() : m.end() + 4]
    if unit == "second" and number_word in ("a", "an"):
        return None  # "a second time"
    if unit == "quarter" and (after.startswith(" of") or number_word in ("a", "an", "one")) and not m["rel"]:
        return None  # "a quarter of the vote"
    if (
        m["unit"][-1:].lower() != "s"
        and isinstance(count, int)
        and count > 1
        and not m["adj"]
        and not m["hyphen"]
    ):
        return None  # "three day" only as a modifier ("three-day", "three day talks" is rare)
    if m["adj"] == "old" and not _precedes_noun(ctx.text, m.end()):
        return None  # "the 6-year-old said": a person, not a duration; "a 6-year-old boy" is an age
    mod = pat.lookup_modifier(m["approx"])
    value = duration_value(count, unit)
    relation = (m["rel"] or "").lower()
    interval = None
    if ctx.anchor is not None and isinstance(count, int) and unit in SHIFT_UNIT and count < 10000:
        try:
            if relation in _DURATION_BACK:
                interval = (cal.shift_date(ctx.anchor, SHIFT_UNIT[unit], -count), ctx.anchor)
            elif relation in _DURATION_AHEAD:
                interval = (ctx.anchor, cal.shift_date(ctx.anchor, SHIFT_UNIT[unit], count))
        except (ValueError, OverflowError):
            interval = None
    return Found("DURATION", value, unit, mod=mod, interval=interval, anchored=interval is not None)


_NOT_NOUNS = frozenset(
    {
        "was",
        "is",
        "who",
        "and",
        "had",
        "has",
        "said",
        "will",
        "would",
        "s",
        "in",
        "to",
        "of",
        "from",
        "with",
        "at",
        "on",
        "for",
        "as",
        "that",
        "remains",
        "told",
        "says",
    }
)


def _precedes_noun(text: str, end: int) -> bool:
    """Whether a lower-case word that can be a noun follows (a crude adjective test without a tagger)."""
    match = re.match(r"\s+([a-z]+)\b", text[end : end + 25])
    return bool(match) and match.group(1) not in _NOT_NOUNS


_PLURAL_SIGNALS = {"for", "in", "within", "over", "after", "of", "took", "lasted", "spent"}


def resolve_vague_duration(m: Match, ctx: Context) -> Found | None:
    unit = pat.normalize_unit(m["unit"])
    lead = (m["lead"] or "").lower().split()
    if lead and lead[-1] == "recent":
        start = m.start() + (m["lead"] or "").lower().index("recent")  # "in recent years" -> "recent years"
    elif lead and lead[0] in _PLURAL_SIGNALS:
        start = m.start("unit")
    elif lead:
        start = m.start()
    else:
        return None
    return Found("DURATION", duration_value("X", unit), unit, start=start)


def resolve_clock(m: Match, ctx: Context) -> Found | None:
    if m["noon"]:
        hour, minute = (12, 0) if m["noon"].lower() in ("noon", "midday") else (24, 0)
    else:
        hour, minute = int(m["h"]), int(m["mi"] or 0)
    if m["ampm"]:
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
    elif hour > 23 or minute > 59:
        return None
    clock = f"{hour:02d}:{minute:02d}"
    mod = pat.lookup_modifier(m["approx"])
    day: date | None = None
    anchored = False
    if m["dmon"]:
        if ctx.anchor is None:
            return Found(
                "TIME",
                f"XXXX-{pat.lookup_month(m['dmon']):02d}-{int(m['dday']):02d}T{clock}",
                "minute",
                mod=mod,
            )
        month, dnum = pat.lookup_month(m["dmon"]), int(m["dday"])
        date(2000, month, dnum)
        day, anchored = date(choose_year(ctx, month, dnum, looks_forward(ctx, m)), month, dnum), True
    elif ctx.anchor is not None:
        word = (m["dword"] or "").lower()
        if word in pat.WEEKDAYS:
            day = weekday_date(ctx.anchor, pat.WEEKDAYS[word], None, looks_forward(ctx, m))
        else:
            day = ctx.anchor + timedelta(days=DAY_OFFSETS.get(word, 0))
        anchored = True
    if day is None:
        return Found("TIME", f"XXXX-XX-XXT{clock}", "minute", mod=mod)
    return Found(
        "TIME", f"{day.isoformat()}T{clock}", "minute", mod=mod, interval=(day, day), anchored=anchored
    )


def resolve_reference(m: Match, ctx: Context) -> Found | None:
    phrase = " ".join(m[0].lower().split())
    before = word_before(ctx.text, m.start())
    if phrase == "soon" and before in ("as", "too", "how"):
        return None
    if phrase == "now" and ctx.text[m.end() : m.end() + 5].lower().startswith(" that"):
        pass  # "now that ..." is still the present
    if phrase == "this point" and before not in ("at", "from", "until", "till", "to"):
        return None  # "to make this point" is an argument, not a time
    value = pat.REFERENCES[phrase]
    interval = None
    if ctx.anchor is not None:
        interval = {
            "PRESENT_REF": (ctx.anchor, ctx.anchor),
            "PAST_REF": (None, ctx.anchor),
            "FUTURE_REF": (ctx.anchor, None),
        }[value]
    return Found("DATE", value, "reference", interval=interval, anchored=interval is not None)


_SET_UNITS = {
    "day": "P1D",
    "night": "P1D",
    "morning": "P1D",
    "evening": "P1D",
    "week": "P1W",
    "weekend": "P1W",
    "month": "P1M",
    "quarter": "P1Q",
    "year": "P1Y",
    "hour": "PT1H",
    "minute": "PT1M",
}


# Frequency words that are also nouns for a periodical ("the Kuwaiti daily al-Rai", "French weekly").
_PERIODICALS = frozenset({"daily", "weekly", "monthly"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their"})


def _names_a_periodical(text: str, start: int, end: int) -> bool:
    """Whether a frequency word is the noun for a newspaper: after a name or demonym ("Kuwait daily",
    "Israeli daily") or between a determiner and a name ("the daily Haaretz")."""
    before = re.search(r"([A-Za-z][\w'’-]*)[ \t]+$", text[max(0, start - 30) : start])
    after = re.match(r"[ \t]+([A-Za-z][\w'’-]*)", text[end : end + 30])
    if before is None:
        return False
    word = before.group(1)
    if word[:1].isupper() and word.lower() not in _DETERMINERS:
        return True
    return word.lower() in _DETERMINERS and after is not None and after.group(1)[:1].isupper()


def resolve_set(m: Match, ctx: Context) -> Found | None:
    if m["word"]:
        word = m["word"].lower()
        if word in _PERIODICALS and _names_a_periodical(ctx.text, m.start(), m.end()):
            return None
        return Found("SET", pat.SETS[word], "set")
    quantifier, unit = m["q"].lower(), m["unit"].lower()
    if quantifier == "a":
        before = ctx.text[max(0, m.start() - 25) : m.start()]
        if not re.search(
            r"(\d|\b(?:million|billion|times|once|twice|dollars|cents|percent))\W*\s*\S*\s*$", before
        ):
            return None  # "a year" is a SET only after a rate ("$5 million a year", "twice a week")
    if unit in pat.WEEKDAYS:
        return Found("SET", f"XXXX-WXX-{pat.WEEKDAYS[unit]}", "day")
    value = _SET_UNITS.get(unit)
    if value is None:
        return None
    if m["other"]:
        value = value.replace("1", "2")
    return Found("SET", value, "set")
