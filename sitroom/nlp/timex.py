"""Find time expressions in text and normalise them TIMEX3-style (HeidelTime-like rules, no model).

Each rule is a regular expression (built from the lexicons in ``data/timex.yaml``) and a resolver
(:mod:`sitroom.nlp.timex_resolve`, :mod:`sitroom.nlp.timex_relative`) that turns a match into a TIMEX3
type, value, granularity, mod and date interval. All rules run over the text, overlapping matches are
settled longest-first, and the survivors are resolved in reading order so that a text without a
document date can borrow the last explicit full date before each expression.

Conventions follow TimeBank (TimeML 1.2): determiners and modifiers are inside the extent ("the third
quarter", "about two years ago"), signals such as "since" or "in" are not; a weekday is read relative
to the anchor, backwards unless the clause looks forward; weeks are ISO weeks.
"""

from __future__ import annotations

import re
from datetime import date

from sitroom.model import TimeRef
from sitroom.nlp import timex_patterns as pat
from sitroom.nlp import timex_relative as rel
from sitroom.nlp import timex_resolve as res
from sitroom.nlp.timex_resolve import Context, Found, Match, Resolver

# v3: read from a parse in which a dateline naming an outlet the agency list lacks ends a sentence; v2: a
# number before a street's name is a house number, not a year ("of 1119 Eighth St.")
TIMEX_VERSION = "time.v3"

# --- the rule table ------------------------------------------------------------------------------

_YEAR = r"(?P<year>\d{4})(?![\d])"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|:\d)"

_RULES: list[tuple[str, str, Resolver]] = [
    (
        "date_mdy",
        rf"\b(?:(?P<wd>{pat.WEEKDAY}),?\s+)?(?:the\s+)?(?P<mon>{pat.MONTH})\s+{_DAY}\b(?:,?\s+{_YEAR})?",
        res.resolve_full_date,
    ),
    (
        "date_dmy",
        rf"\b(?:(?P<wd>{pat.WEEKDAY}),?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+(?P<mon>{pat.MONTH})\b(?:,?\s+{_YEAR})?",
        res.resolve_full_date,
    ),
    (
        "date_numeric",
        r"\b(?:(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))\b(?![/-]\d)",
        res.resolve_numeric_date,
    ),
    ("month_year", rf"\b{pat.EDGE}(?P<mon>{pat.MONTH})(?:\s+of)?,?\s+{_YEAR}", res.resolve_month_year),
    (
        "month",
        rf"\b{pat.EDGE}(?:(?P<rel>this|last|next|past|coming|previous)\s+)?(?P<mon>{pat.MONTH})(?![\w.]*\s*\d)(?:\s+(?P<yrel>this|next|last)\s+year\b)?",
        res.resolve_month,
    ),
    (
        "year",
        rf"\b{pat.EDGE}(?:(?P<fiscal>fiscal|calendar|the\s+year|model\s+year)\s+)?{_YEAR}\b(?!['’]?s\b)",
        res.resolve_year,
    ),
    (
        "decade",
        rf"(?:\b(?P<the>the)\s+)?{pat.EDGE}(?P<dec>\b(?:1\d|20)\d0s|['’]\d0s|\b\d0s|\b(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ies)\b",
        res.resolve_decade,
    ),
    (
        "weekday",
        rf"\b{pat.EDGE}(?:(?P<rel>last|next|this|coming|past|previous)\s+)?(?P<wd>{pat.WEEKDAY})(?P<pl>s)?\b(?:\s+(?P<pod>{pat.PART_OF_DAY})\b)?",
        res.resolve_weekday,
    ),
    (
        "relative_day",
        rf"\b{pat.EDGE}(?:(?P<rd>today|tonight|tomorrow|yesterday)\b(?:\s+(?P<pod>{pat.PART_OF_DAY})\b)?)",
        res.resolve_relative_day,
    ),
    (
        "part_of_day",
        rf"\b(?:(?P<edge>early|late|later|earlier)\s+)?(?P<rd>this|last|tomorrow|yesterday)\s+(?P<pod>{pat.PART_OF_DAY})\b",
        res.resolve_relative_day,
    ),
    (
        "relative_period",
        rf"\b(?:(?P<edge>earlier|later|early|late|mid|the\s+(?:end|beginning|start|middle|close)\s+of)[\s-]+)?"
        rf"(?:(?P<rel>this|last|next|past|coming|current|previous|following)\s+|the\s+(?P<rel2>past|last|next|coming|current|previous|following)\s+|the\s+(?=weekend))"
        rf"(?P<unit>week|weekend|month|year|quarter|decade|century|{pat.SEASON})\b(?![-\w])",
        res.resolve_relative_period,
    ),
    (
        "ago",
        rf"\b{pat.APPROX}(?P<num>{pat.NUMBER})[\s-]+(?P<unit>{pat.UNIT})\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)\b(?!\s+(?:than|the|in|on|that|his|her|its|their)\b)",
        rel.resolve_ago,
    ),
    (
        "year_ago",
        r"\b(?:the\s+)?year[-\s](?:ago|earlier)(?:\s+(?:quarter|period|months?|levels?))?\b",
        rel.resolve_year_ago,
    ),
    (
        "duration",
        rf"\b(?:the\s+)?(?:(?P<rel>past|last|next|first|coming|previous|latest|final|following|initial|remaining|additional|same|preceding|recent)\s+)?"
        rf"{pat.APPROX}(?P<num>{pat.NUMBER})(?:\s+(?:more|additional|full|straight|consecutive|trading|business|calendar|long))?"
        rf"(?:(?P<hyphen>-)|\s+)(?P<unit>{pat.UNIT})\b(?:-(?P<adj>old|long))?",
        rel.resolve_duration,
    ),
    (
        "vague_duration",
        r"\b(?P<lead>for|within|over|after|in\s+recent|recent|the\s+past|the\s+coming|the\s+next|the\s+last|past|coming)\s+(?:few\s+)?(?P<unit>(?:second|minute|hour|day|week|month|year|decade)s|centuries)\b",
        rel.resolve_vague_duration,
    ),
    (
        "quarter",
        rf"\b(?:the\s+)?(?:(?P<rel>this\s+year's|last\s+year's|next\s+year's|the\s+year's)\s+)?(?:fiscal\s+)?(?P<ord>{pat.ORDINAL})[\s-]+(?:fiscal\s+|calendar\s+)?(?P<unit>quarter|half)\b"
        rf"(?:\s+of\s+(?:{_YEAR}|(?P<yrel>this|last|next)\s+year))?",
        res.resolve_quarter,
    ),
    (
        "latest_quarter",
        r"\bthe\s+(?:(?:latest|recent|most\s+recent|just[-\s]ended)\s+)?quarter\b(?!\s+of\b|-)",
        res.resolve_latest_quarter,
    ),
    (
        "season_year",
        rf"\b{pat.EDGE}(?:the\s+)?(?P<season>{pat.SEASON})(?:\s+of|,)?\s+{_YEAR}",
        res.resolve_season,
    ),
    (
        "season",
        rf"(?:(?<=\bin\s)|(?<=\bduring\s)|(?<=\bby\s)|(?<=\bover\s)|(?<=\buntil\s))(?:{pat.EDGE}the\s+)?(?P<season>{pat.SEASON})\b(?P<year>)",
        res.resolve_season,
    ),
    (
        "clock",
        rf"\b{pat.APPROX}(?:(?P<h>\d{{1,2}})(?::(?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)|(?P<noon>noon|midnight|midday))"
        rf"(?:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?(?:,?\s+(?:(?P<dword>{pat.WEEKDAY}|today|tonight|yesterday|tomorrow)|(?P<dmon>{pat.MONTH})\s+(?P<dday>[0-3]?\d)\b))?",
        rel.resolve_clock,
    ),
    ("reference", rf"\b(?:{pat.REFERENCE})\b", rel.resolve_reference),
    (
        "set",
        rf"\b(?:(?P<word>{pat.SET_WORD})|(?P<q>every|each|per|a)\s+(?:(?P<other>other)\s+)?(?P<unit>day|night|morning|evening|week|weekend|month|quarter|year|hour|{pat.WEEKDAY}))\b",
        rel.resolve_set,
    ),
    (
        "holiday",
        rf"\b(?P<name>{pat.HOLIDAY}|easter(?:\s+sunday)?|thanksgiving(?:\s+day)?)\b(?:,?\s+{_YEAR})?",
        res.resolve_holiday,
    ),
]


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile a rule for lower-cased text (see :class:`Match`); group names keep their case."""
    return re.compile(pattern.lower().replace("(?p<", "(?P<"))


# A rule runs only when its trigger occurs somewhere in the text: a cheap scan that spares the costly
# patterns (optional modifiers, look-behinds) on most texts.
_TRIGGERS = {
    "month": _compile(rf"\b(?:{pat.MONTH})"),
    "digits": _compile(r"\d{2}"),
    "decade": _compile(r"\d0s\b|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ies\b"),
    "season": _compile(rf"\b(?:{pat.SEASON})\b"),
    "clock": _compile(r"\d\s*[ap]\.?\s?m\b|\b(?:noon|midnight|midday)\b"),
    "quarter": _compile(r"\b(?:quarter|half)\b"),
    "holiday": _compile(rf"\b(?:{pat.HOLIDAY}|easter|thanksgiving)\b"),
}
_RULE_TRIGGERS = {
    "date_mdy": "month",
    "date_dmy": "month",
    "month_year": "month",
    "month": "month",
    "date_numeric": "digits",
    "year": "digits",
    "decade": "decade",
    "season_year": "season",
    "season": "season",
    "clock": "clock",
    "quarter": "quarter",
    "latest_quarter": "quarter",
    "holiday": "holiday",
}
_COMPILED = [
    (name, _compile(pattern), resolve, _RULE_TRIGGERS.get(name)) for name, pattern, resolve in _RULES
]
# Spans a pattern can start on: digits, or a letter beginning a lexicon word. Texts with none skip all.
_ANY = re.compile(r"\d|[A-Za-z]")


def _lower(text: str) -> str:
    """``text`` lower-cased with its offsets kept (a few characters grow when lower-cased: "İ")."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _call(resolve: Resolver, m: Match, ctx: Context) -> Found | None:
    """Run a resolver; impossible dates ("31 April", "year 99999 ago") are dropped, not raised."""
    try:
        return resolve(m, ctx)
    except (ValueError, OverflowError, KeyError):
        return None


def find_time_expressions(
    text: str,
    *,
    anchor: date | None = None,
    anchor_basis: str = "document-date",
    prefer_past: bool = True,
    year_hint: int | None = None,
) -> list[TimeRef]:
    """Find and normalise the time expressions of ``text``, in reading order.

    Relative expressions resolve against ``anchor`` (the document date); without one, against the
    last explicit full date earlier in the text (``anchor_basis="text-date"``); with neither they
    keep an underspecified value (``XXXX-03-14``, ``XXXX-WXX-5``) and no interval. ``prefer_past``
    reads "Friday" or "March" as the latest one before the anchor unless the sentence looks ahead.
    ``year_hint`` is the document's year when only that is known (an inferred date): with no anchor, a
    weekday-fixed date ("Monday, March 14th") takes the fitting year nearest it instead of the latest
    one before today.
    """
    if not text or not _ANY.search(text):
        return []
    probe = Context(text, anchor, anchor_basis if anchor else None, prefer_past, year_hint=year_hint)
    low = _lower(text)
    triggered: dict[str, bool] = {}
    candidates: list[tuple[int, int, int, Match]] = []
    for index, (_name, regex, resolve, trigger) in enumerate(_COMPILED):
        if trigger is not None:
            if trigger not in triggered:
                triggered[trigger] = _TRIGGERS[trigger].search(low) is not None
            if not triggered[trigger]:
                continue
        for found in regex.finditer(low):
            m = Match(found, text)
            if m.end() > m.start() and _call(resolve, m, probe) is not None:
                candidates.append((m.start(), m.end(), index, m))
    # Longest match wins; among equals the earlier rule in the table.
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken: list[tuple[int, int, int, Match]] = []
    for cand in candidates:
        if all(cand[1] <= t[0] or cand[0] >= t[1] for t in taken):
            taken.append(cand)
    taken.sort(key=lambda c: c[0])

    ctx = Context(text, anchor, anchor_basis if anchor else None, prefer_past, year_hint=year_hint)
    out: list[TimeRef] = []
    for start, end, index, m in taken:
        found = _call(_COMPILED[index][2], m, ctx)
        if found is None:
            continue
        out.append(_to_timeref(found, start, end, ctx))
        if found.period is not None and found.type == "DATE" and found.granularity != "reference":
            ctx.last_period = found.period
        if anchor is None and found.explicit_day is not None:
            ctx.anchor, ctx.basis = found.explicit_day, "text-date"
    return out


def _to_timeref(found: Found, start: int, end: int, ctx: Context) -> TimeRef:
    earliest = latest = None
    if found.interval is not None:
        first, last = found.interval
        earliest = first.isoformat() if first else None
        latest = last.isoformat() if last else None
    return TimeRef(
        start=found.start if found.start is not None else start,
        end=end,
        type=found.type,  # type: ignore[arg-type]
        value=found.value,
        granularity=found.granularity,
        earliest=earliest,
        latest=latest,
        mod=found.mod,
        anchor=ctx.anchor.isoformat() if found.anchored and ctx.anchor else None,
        anchor_basis=found.basis or (ctx.basis if found.anchored and ctx.anchor else None),
        component=TIMEX_VERSION,
    )
