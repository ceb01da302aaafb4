"""Resolvers for calendar expressions (dates, months, years, weekdays, quarters, seasons, holidays).

A resolver turns one regex match of a rule in :mod:`sitroom.nlp.timex` into a :class:`Found`: TIMEX3
type, value, granularity, mod and interval, read against the anchor in a :class:`Context`. The shared
types and helpers live here too; :mod:`sitroom.nlp.timex_relative` holds the other resolvers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sitroom.nlp import timex_calendar as cal
from sitroom.nlp import timex_patterns as pat
from sitroom.nlp.timex_calendar import Period

# A document anchor more than this far from a candidate date makes "nearest year" guesses for dates
# without a year meaningless; also bounds the weekday-consistent year search.
YEAR_SEARCH = 11


@dataclass(slots=True)
class Context:
    text: str
    anchor: date | None
    basis: str | None
    prefer_past: bool
    last_period: Period | None = None
    year_hint: int | None = None  # the document's year when only that is known (inferred, no day)


@dataclass(slots=True)
class Found:
    type: str
    value: str
    granularity: str
    mod: str | None = None
    interval: tuple[date, date | None] | tuple[date | None, date] | None = None
    anchored: bool = False
    start: int | None = None  # a resolver may trim a leading signal word out of the extent
    explicit_day: date | None = None  # a full date with its year, usable as a text anchor
    period: Period | None = None
    basis: str | None = None  # overrides the context's anchor basis (a weekday-fixed year guess)


class Match:
    """A regex match found on the lower-cased text, reading its groups from the original text.

    Matching lower-case text with lower-case patterns is several times faster than ``re.I``; the
    resolvers still see the original spelling, which they need for capitalisation tests ("May").
    """

    __slots__ = ("_m", "_text")

    def __init__(self, m: re.Match[str], text: str) -> None:
        self._m, self._text = m, text

    def __getitem__(self, key: str | int) -> str | None:
        start, end = self._m.span(key)
        return None if start < 0 else self._text[start:end]

    def start(self, key: str | int = 0) -> int:
        return self._m.start(key)

    def end(self, key: str | int = 0) -> int:
        return self._m.end(key)


Resolver = Callable[[Match, Context], Found | None]


# --- context helpers ---------------------------------------------------------------------------


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding [start, end), at most 160 characters either side."""
    left = max(text.rfind(". ", max(0, start - 160), start), text.rfind("\n", max(0, start - 160), start))
    right_candidates = [
        i for i in (text.find(". ", end, end + 160), text.find("\n", end, end + 160)) if i >= 0
    ]
    right = min(right_candidates) if right_candidates else min(len(text), end + 160)
    return text[max(0, left) : right]


def looks_forward(ctx: Context, m: Match) -> bool:
    """Whether the clause around the expression speaks of the future ("will meet on Friday").

    Only a few words either side count: a news sentence often mixes "said Friday" with a "will" in
    reported speech, and the verb next to the expression is what decides (HeidelTime uses its tense).
    A past form right before the expression ("said Friday", "announced Wednesday") wins.
    """
    if not ctx.prefer_past:
        return True
    left = re.findall(r"[A-Za-z']+", ctx.text[max(0, m.start() - 60) : m.start()])[-6:]
    right = re.findall(r"[A-Za-z']+", ctx.text[m.end() : m.end() + 40])[:4]
    if left and (left[-1].lower() in _PAST_VERBS or left[-1].lower().endswith("ed")):
        return False
    if (
        len(left) >= 2
        and left[-2].lower() in _PAST_VERBS
        and left[-1].lower() in ("on", "by", "late", "early")
    ):
        return False
    return bool(pat.FUTURE_CUES.search(" ".join(left + right)))


_PAST_VERBS = frozenset(
    {
        "said",
        "told",
        "was",
        "were",
        "had",
        "met",
        "made",
        "began",
        "took",
        "came",
        "went",
        "got",
        "gave",
        "left",
        "held",
        "sent",
        "saw",
        "won",
        "lost",
        "hit",
        "set",
        "put",
        "shot",
        "fell",
        "rose",
        "spoke",
        "wrote",
        "did",
        "ago",
        "since",
    }
)


def word_before(text: str, start: int) -> str:
    match = re.search(r"([A-Za-z']+)\W*$", text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


# --- resolution helpers ------------------------------------------------------------------------


def period_found(period: Period, ctx: Context | None, mod: str | None = None, anchored: bool = True) -> Found:
    first, last = cal.bound_period(period, mod)
    return Found(
        "DATE",
        cal.format_period(period),
        period.granularity,
        mod=mod,
        interval=(first, last),
        anchored=anchored and ctx is not None and ctx.anchor is not None,
        period=period,
    )


def choose_year(ctx: Context, month: int, day: int, forward: bool) -> int:
    """The year putting month/day nearest the anchor; backwards dates win ties when reading back."""
    assert ctx.anchor is not None
    best, best_cost = ctx.anchor.year, None
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        try:
            candidate = date(year, month, min(day, 28) if day > 28 and month == 2 else day)
        except ValueError:
            continue
        delta = (candidate - ctx.anchor).days
        # Reading backwards, a date ahead of the anchor counts double, and vice versa.
        cost = abs(delta) * (2 if (delta > 0) != forward and delta != 0 else 1)
        if best_cost is None or cost < best_cost:
            best, best_cost = year, cost
    return best


def weekday_date(anchor: date, weekday: int, relation: str | None, forward: bool) -> date:
    """The date of a weekday named relative to the anchor ("Friday", "last Friday", "next Friday")."""
    gap_back = (anchor.isoweekday() - weekday) % 7
    gap_ahead = (weekday - anchor.isoweekday()) % 7
    if relation in ("last", "past", "previous"):
        return anchor - timedelta(days=gap_back or 7)
    if relation in ("next", "coming"):
        return anchor + timedelta(days=gap_ahead or 7)
    if relation == "this" or forward:
        return anchor + timedelta(days=gap_ahead)
    return anchor - timedelta(days=gap_back)


def year_for_weekday(ctx: Context, month: int, day: int, weekday: int) -> tuple[int, bool] | None:
    """The year nearest the anchor (or today) in which month/day falls on ``weekday``.

    Returns the year and whether a real anchor decided it; None when no year in range fits (the
    calendar repeats every 28 years, so some year within 11 always fits a valid month/day).
    """
    today = date.today()
    reference = ctx.anchor or (date(ctx.year_hint, 7, 1) if ctx.year_hint else today)
    years = sorted(
        range(reference.year - YEAR_SEARCH, reference.year + YEAR_SEARCH + 1),
        key=lambda y: (abs(y - reference.year), y > reference.year),
    )
    for year in years:
        try:
            if date(year, month, day).isoweekday() == weekday:
                if ctx.anchor is None and year > (reference.year if ctx.year_hint is None else today.year):
                    continue  # with no anchor, a text is never written after today (or its known year)
                return year, ctx.anchor is not None
        except ValueError:
            return None
    return None


def day_found(d: date, ctx: Context, *, anchored: bool, mod: str | None = None) -> Found:
    return period_found(Period("day", d), ctx, mod=mod, anchored=anchored)


def signal_mod(ctx: Context, m: Match, found: Found) -> Found:
    """'since 2015': open the interval to the anchor and mark the value ON_OR_AFTER."""
    if word_before(ctx.text, m.start()) == "since" and found.interval and found.mod is None:
        found.mod = "ON_OR_AFTER"
        latest = ctx.anchor if ctx.anchor and ctx.anchor >= found.interval[0] else None  # type: ignore[operator]
        found.interval = (found.interval[0], latest)  # type: ignore[assignment]
        found.anchored = latest is not None
    return found


def duration_value(count: int | str, unit: str) -> str:
    letter = pat.UNITS[unit]
    if isinstance(count, int) and unit in ("decade", "century"):
        return f"P{count * (10 if unit == 'decade' else 100)}Y"
    if letter.startswith("T"):
        return f"PT{count}{letter[1:]}"
    return f"P{count}{letter}"


# --- resolvers ---------------------------------------------------------------------------------


def resolve_full_date(m: Match, ctx: Context) -> Found | None:
    month_word, day_text = m["mon"], m["day"]
    if not is_capitalised(month_word):
        return None
    month, day = pat.lookup_month(month_word), int(day_text)
    if m["year"]:
        d = date(int(m["year"]), month, day)
        found = day_found(d, ctx, anchored=False)
        found.explicit_day = d
        return signal_mod(ctx, m, found)
    date(2000, month, day)  # raises for "32 March" / "31 April"; 2000 admits 29 February
    if m["wd"]:
        weekday = pat.WEEKDAYS[m["wd"].lower()]
        fit = year_for_weekday(ctx, month, day, weekday)
        if fit is None:
            return None
        year, anchored = fit
        found = day_found(date(year, month, day), ctx, anchored=anchored)
        if not anchored:
            # No anchor: the latest year up to today with that weekday; marked so it reads as a guess.
            found.basis = "weekday-year"
        return found
    if ctx.anchor is None:
        if ctx.year_hint is not None:
            # Only the document's year is known (inferred from its content): "March 14" is most likely
            # that year's; marked so it reads as a reasoned guess, not a stated date.
            found = day_found(date(ctx.year_hint, month, day), ctx, anchored=False)
            found.basis = "inferred-year"
            return found
        return Found("DATE", f"XXXX-{month:02d}-{day:02d}", "day")
    year = choose_year(ctx, month, day, looks_forward(ctx, m))
    return signal_mod(ctx, m, day_found(date(year, month, day), ctx, anchored=True))


def resolve_numeric_date(m: Match, ctx: Context) -> Found | None:
    if m["iy"]:
        year, month, day = int(m["iy"]), int(m["im"]), int(m["id"])
    else:
        first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
        # US order unless the first number cannot be a month ("23/11/2015").
        month, day = (first, second) if first <= 12 else (second, first)
        if len(m["y"]) == 2:
            century = (ctx.anchor or date.today()).year // 100 * 100
            year = (
                century + year
                if century + year <= (ctx.anchor or date.today()).year + 1
                else century - 100 + year
            )
    d = date(year, month, day)
    found = day_found(d, ctx, anchored=False)
    found.explicit_day = d
    return signal_mod(ctx, m, found)


def resolve_month_year(m: Match, ctx: Context) -> Found | None:
    if not is_capitalised(m["mon"]):
        return None
    period = Period("month", date(int(m["year"]), pat.lookup_month(m["mon"]), 1))
    return signal_mod(ctx, m, period_found(period, ctx, pat.lookup_modifier(m["edge"]), anchored=False))


_MONTH_CUES = frozenset(
    {
        "in",
        "since",
        "until",
        "till",
        "by",
        "of",
        "from",
        "to",
        "during",
        "before",
        "after",
        "through",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "and",
        "or",
        "between",
        "end",
    }
)


def resolve_month(m: Match, ctx: Context) -> Found | None:
    word = m["mon"]
    if not is_capitalised(word):
        return None
    key = word.lower()
    if len(key) <= 3 and key != "may":
        return None  # "Jan", "Mar", "Dec" without a full stop are names or words
    before = word_before(ctx.text, m.start())
    cued = bool(m["rel"] or m["edge"]) or before in _MONTH_CUES
    if key.rstrip(".") in pat.AMBIGUOUS_MONTHS and not cued:
        return None
    follower = ctx.text[m.end() : m.end() + 2]
    if re.match(r"\s[A-Z]", follower) and not cued:
        return None  # "April Glaspie"
    month = pat.lookup_month(word)
    mod = pat.lookup_modifier(m["edge"])
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{month:02d}", "month", mod=mod)
    relation = (m["rel"] or "").lower()
    if m["yrel"]:
        year = ctx.anchor.year + {"this": 0, "next": 1, "last": -1}[m["yrel"].lower()]
        return period_found(Period("month", date(year, month, 1)), ctx, mod)
    this_year = date(ctx.anchor.year, month, 1)
    current = ctx.anchor.replace(day=1)
    if relation in ("last", "past", "previous"):
        start = this_year if this_year < current else cal.add_months(this_year, -12)
    elif relation in ("next", "coming"):
        start = this_year if this_year > current else cal.add_months(this_year, 12)
    elif relation == "this":
        start = this_year
    else:
        start = date(choose_year(ctx, month, 15, looks_forward(ctx, m)), month, 1)
    return signal_mod(ctx, m, period_found(Period("month", start), ctx, mod))


def resolve_year(m: Match, ctx: Context) -> Found | None:
    year = int(m["year"])
    text = ctx.text
    prefix = m["fiscal"]
    edge = m["edge"]
    if not prefix and not (1000 <= year <= 2999):
        return None
    if m.start() > 0 and text[m.start() - 1] in "$#£€.,/:-+":
        return None
    tail = text[m.end() : m.end() + 3]
    if re.match(r"[%/]|,\d|\.\d|-\d|:\d", tail):
        return None
    if not prefix and pat.STREET_AFTER.match(text, m.end()):
        return None  # a house number: "of 1119 Eighth St."
    if not (prefix or edge):
        before = word_before(text, m.start())
        after = re.match(r"\s*([A-Za-z']+|[^\sA-Za-z]|$)", text[m.end() : m.end() + 20])
        after_word = after.group(1).lower() if after else ""
        ends_phrase = after_word == "" or not after_word[0].isalnum()
        modifier = before in pat.YEAR_DETERMINERS and 1900 <= year <= 2100 and after_word.isalpha()
        if (
            before not in pat.YEAR_BEFORE
            and after_word not in pat.YEAR_AFTER
            and not ends_phrase
            and not modifier
        ):
            return None
        if before in ("than", "or", "and", "to") and not (1900 <= year <= 2100):
            return None  # "more than 1500 people", "1200 to 1500 people"
        if ends_phrase and before not in pat.YEAR_BEFORE and not (1800 <= year <= 2100):
            return None  # "the 1200." is a count more often than a year
    period = Period("year", date(year, 1, 1))
    return signal_mod(ctx, m, period_found(period, ctx, pat.lookup_modifier(edge), anchored=False))


_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def resolve_decade(m: Match, ctx: Context) -> Found | None:
    token = m["dec"].lower().lstrip("'’")
    if token in _DECADE_WORDS:
        if not m["the"]:
            return None
        decade = _DECADE_WORDS[token]
        short = True
    elif len(token) == 5:
        return period_found(
            Period("decade", date(int(token[:4]), 1, 1)), ctx, pat.lookup_modifier(m["edge"]), anchored=False
        )
    else:
        decade, short = int(token[0]), True
    if short:
        # A two-digit decade ("the 90s") is the latest such decade that began before the reference year.
        reference = (ctx.anchor or date.today()).year
        start = reference // 100 * 100 + decade * 10
        if start > reference:
            start -= 100
        return period_found(
            Period("decade", date(start, 1, 1)), ctx, pat.lookup_modifier(m["edge"]), anchored=False
        )
    return None


def resolve_weekday(m: Match, ctx: Context) -> Found | None:
    if not is_capitalised(m["wd"]):
        return None
    weekday = pat.WEEKDAYS[m["wd"].lower()]
    pod = pat.PARTS_OF_DAY.get((m["pod"] or "").lower())
    if m["pl"]:
        return Found("SET", f"XXXX-WXX-{weekday}" + (f"T{pod}" if pod else ""), "day")
    mod = pat.lookup_modifier(m["edge"])
    if ctx.anchor is None:
        return Found(
            "TIME" if pod else "DATE", f"XXXX-WXX-{weekday}" + (f"T{pod}" if pod else ""), "day", mod=mod
        )
    relation = (m["rel"] or "").lower() or None
    d = weekday_date(ctx.anchor, weekday, relation, looks_forward(ctx, m))
    if pod:
        return Found("TIME", f"{d.isoformat()}T{pod}", "part-of-day", mod=mod, interval=(d, d), anchored=True)
    return day_found(d, ctx, anchored=True, mod=mod)


DAY_OFFSETS = {"today": 0, "tonight": 0, "this": 0, "tomorrow": 1, "yesterday": -1, "last": -1}


def resolve_relative_day(m: Match, ctx: Context) -> Found | None:
    word = m["rd"].lower()
    if word == "today" and ctx.text[m.end() : m.end() + 2] in ("'s", "’s"):
        return None  # "today's youth" means nowadays, and TimeBank leaves it untagged
    pod = pat.PARTS_OF_DAY.get((m["pod"] or "").lower())
    if word == "tonight":
        pod = "NI"
    if word == "last" and pod != "NI":
        return None  # "last morning" is not an expression; "last night" is
    mod = pat.lookup_modifier(m["edge"])
    if ctx.anchor is None:
        return Found("TIME" if pod else "DATE", "XXXX-XX-XX" + (f"T{pod}" if pod else ""), "day", mod=mod)
    d = ctx.anchor + timedelta(days=DAY_OFFSETS[word])
    if pod:
        return Found("TIME", f"{d.isoformat()}T{pod}", "part-of-day", mod=mod, interval=(d, d), anchored=True)
    return day_found(d, ctx, anchored=True, mod=mod)


_BACK = {"last", "past", "previous", "preceding"}
_AHEAD = {"next", "coming", "following"}


def resolve_relative_period(m: Match, ctx: Context) -> Found | None:
    relation = (m["rel"] or m["rel2"] or "").lower()
    unit = m["unit"].lower()
    edge = (m["edge"] or "").lower()
    mod = pat.lookup_modifier(edge) if edge not in ("earlier", "later") else None
    season = pat.SEASONS.get(unit)
    granularity = "season" if season else unit
    if ctx.anchor is None:
        placeholder = {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "quarter": "XXXX-QX"}
        code = f"XXXX-{season['code']}" if season else placeholder.get(unit, "XXXX")
        return Found("DATE", code, granularity, mod=mod)
    if season:
        current = cal.make_period("season", ctx.anchor)
        period = cal.season_period(season["code"], ctx.anchor.year)
        if relation in _BACK:
            while period.start >= current.start:
                period = cal.shift_period(period, -4)
        elif relation in _AHEAD:
            while period.start <= current.start:
                period = cal.shift_period(period, 4)
        return period_found(period, ctx, mod)
    if not relation and unit == "weekend":
        # "the weekend": the one just past, unless the anchor falls on it or the sentence looks ahead.
        period = cal.make_period("weekend", ctx.anchor)
        if ctx.anchor.isoweekday() < 6 and not looks_forward(ctx, m):
            period = cal.shift_period(period, -1)
        return period_found(period, ctx, mod)
    if unit in ("decade", "century") and relation in _BACK | _AHEAD:
        return Found("DURATION", duration_value(1, unit), unit, mod=mod)  # "the past decade" = P10Y
    period = cal.make_period(granularity, ctx.anchor)
    step = -1 if relation in _BACK else 1 if relation in _AHEAD else 0
    return period_found(cal.shift_period(period, step), ctx, mod)


def resolve_quarter(m: Match, ctx: Context) -> Found | None:
    unit = m["unit"].lower()
    ordinal = pat.ORDINALS[m["ord"].lower()]
    if unit == "half" and ordinal > 2:
        return None
    granularity = "quarter" if unit == "quarter" else "half"
    months = 3 if unit == "quarter" else 6
    mod = None
    explicit = m["year"]
    relation = ((m["rel"] or "") + " " + (m["yrel"] or "")).lower()
    if explicit:
        year = int(explicit)
    elif ctx.anchor is None:
        return Found("DATE", f"XXXX-{'Q' if unit == 'quarter' else 'H'}{ordinal}", granularity)
    else:
        year = ctx.anchor.year
        if "last" in relation:
            year -= 1
        elif "next" in relation:
            year += 1
        elif "this" not in relation:
            current = (ctx.anchor.month - 1) // months + 1
            if ordinal > current and not looks_forward(ctx, m):
                year -= 1
    period = Period(granularity, date(year, (ordinal - 1) * months + 1, 1))
    return period_found(period, ctx, mod, anchored=not explicit)


def resolve_latest_quarter(m: Match, ctx: Context) -> Found | None:
    if ctx.anchor is None:
        return Found("DATE", "XXXX-QX", "quarter")
    # Business news reports on the quarter last closed: "the quarter" in October is the third.
    return period_found(cal.shift_period(cal.make_period("quarter", ctx.anchor), -1), ctx)


def resolve_season(m: Match, ctx: Context) -> Found | None:
    code = pat.SEASONS[m["season"].lower()]["code"]
    mod = pat.lookup_modifier(m["edge"])
    if m["year"]:
        return period_found(cal.season_period(code, int(m["year"])), ctx, mod, anchored=False)
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{code}", "season", mod=mod)
    period = cal.season_period(code, ctx.anchor.year)
    if period.start > ctx.anchor and not looks_forward(ctx, m):
        period = cal.shift_period(period, -4)
    return period_found(period, ctx, mod)


def resolve_holiday(m: Match, ctx: Context) -> Found | None:
    name = " ".join(m["name"].lower().split())
    if not is_capitalised(m["name"]):
        return None
    year_text = m["year"]
    if name.startswith("easter"):
        compute: Callable[[int], date] = cal.find_easter
    elif name.startswith("thanksgiving"):
        compute = cal.find_thanksgiving
    else:
        month, day = pat.HOLIDAYS[name]

        def compute(year: int, month: int = month, day: int = day) -> date:
            return date(year, month, day)

    if year_text:
        return day_found(compute(int(year_text)), ctx, anchored=False)
    if ctx.anchor is None:
        return None
    candidates = [compute(ctx.anchor.year + k) for k in (-1, 0, 1)]
    forward = looks_forward(ctx, m)
    best = min(
        candidates, key=lambda d: abs((d - ctx.anchor).days) * (2 if (d > ctx.anchor) != forward else 1)
    )  # type: ignore[operator]
    return day_found(best, ctx, anchored=True)
