"""When was this published? Stated date lines, reader metadata, datelines, and inference from content.

A stated date is taken as printed but checked against the events the text mentions: one that falls
years after every dated event is kept and flagged ``implausible``. Without any date, the latest
dated event the text mentions bounds the publication date from below (a report is written after
what it reports); conflict ages ("the now 5-year-old civil war") bound it on both sides.

Regexes only: dateparser handles more phrasings but costs milliseconds per call, and this runs on
every ingested document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache

from sitroom.clean.boilerplate import load_yaml
from sitroom.model import Precision, Published

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip

# A stated date more than this far after the latest dated event the text mentions is not trusted:
# news reports their events within days; two years leaves room for anniversaries and look-backs.
IMPLAUSIBLE_AFTER = timedelta(days=730)
# Without an upper bound from the content, a report is assumed written within a year of the latest
# event it mentions (value is then given at year precision).
RECENCY_WINDOW = timedelta(days=365)

_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WD = r"(?:(?P<wd>Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MDY = rf"{_WD}{_MON}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"
_DMY = rf"{_WD}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MON}(?:,?\s+{_YEAR}\b)?"
_ISO = r"(?P<iy>(?:19|20)\d{2})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"

# Python's re forbids a group name twice in one pattern, so each order gets its own regex.
FULL_DATES = (re.compile(rf"\b{_MDY}"), re.compile(rf"\b{_DMY}"))
MONTH_HINT = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b")
ISO_DATE = re.compile(rf"\b{_ISO}\b")
MONTH_YEAR = re.compile(rf"\b(?:(?:early|mid|late)[- ])?{_MON},?\s+{_YEAR}\b")
# A bare year counts as a dated event only after a preposition that places something in it; "2020"
# in "Caucasus-2020" or "a 2015 report" says nothing about when the text was written.
BARE_YEAR = re.compile(
    r"\b(?:in|since|during|until|from|of|early|late|mid-?|summer|spring|autumn|fall|winter)\s+(?:of\s+)?(?P<year>(?:19|20)\d{2})\b(?![-/])"
)
FUTURE = re.compile(
    r"\b(?:will|won't|shall|plans? to|planned for|scheduled|expected to|due to|aims? to|next (?:week|month|year)|upcoming|forecasts?|projected|by (?:the end of )?(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + ")"
_ORD = r"(?P<ord>\d{1,2}(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + ")"
_NOUN = r"(?P<noun>(?:[\w'’-]+\s){0,3}?(?:civil war|war|conflict|insurgency|uprising))"
_AGE_HINT = re.compile(r"years?[- ]old|year of|years (?:into|of)", re.IGNORECASE)
# "the now 5-year-old civil war", "the fifth year of the war", "five years into the conflict"
CONFLICT_AGES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_COUNT}[- ]years?[- ]old\s+{_NOUN}\b",
        rf"\b{_ORD}\s+year\s+of\s+(?:the\s+|its\s+)?{_NOUN}\b",
        rf"\b{_COUNT}\s+years\s+(?:into|of)\s+(?:the\s+)?{_NOUN}\b",
    )
)
# "18 years after the 2001 invasion", "five years since March 2011", "In 1990 …; two years later",
# "the 2001 invasion, 18 years ago": the phrase states a distance from a dated event X, so it places
# the narrated moment (or the time of writing, for "ago"/"since") at X + N years. Counting X alone
# would make the text's latest event 18 years too early: a correct date line was once flagged
# implausible, and relative dates anchored on 2001, for "18 years after the invasion".
ELAPSED = re.compile(
    rf"\b{_COUNT}\s+(?:full\s+|long\s+)?years?\s+(?P<rel>after|since|on\s+from|from|later|ago|on)\b",
    re.IGNORECASE,
)
_ELAPSED_HINT = re.compile(r"years?\s+(?:after|since|on|from|later|ago)\b", re.IGNORECASE)
# The X of an elapsed phrase may be a year that is not a dated mention by itself ("the 2001
# invasion"): any year within this many characters after "after/since" counts.
_ELAPSED_REACH = 80
_LATER_REACH = 300
_ANY_YEAR = re.compile(r"\b(?:19|20)\d{2}\b(?![-/])")
_STATED_PREFIX = r"(?i:(?:(?:first\s+)?published|posted|updated|last\s+updated|dated?)\s*(?:on|:)?\s*)?"
_STATED_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?\.?"
_ISO_TIME = r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
STATED_LINES = (
    re.compile(_STATED_PREFIX + _MDY + _STATED_TIME),
    re.compile(_STATED_PREFIX + _DMY + _STATED_TIME),
    re.compile(_STATED_PREFIX + _ISO + _ISO_TIME + _STATED_TIME),
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A dated event the text mentions, as the interval [lo, hi] it denotes."""

    text: str
    lo: date
    hi: date
    precision: Precision


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    names: tuple[str, ...]
    kind: str
    terms: re.Pattern[str] | None
    start: date
    end: date | None


@cache
def load_conflicts() -> tuple[Conflict, ...]:
    """Read ``conflicts.yaml`` once per process."""
    out = []
    for c in load_yaml("conflicts.yaml")["conflicts"]:
        terms = c.get("country_terms") or []
        out.append(
            Conflict(
                id=c["id"],
                names=tuple(c["names"]),
                kind=c["kind"],
                terms=re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\b") if terms else None,
                start=to_date(c["start"]),
                end=to_date(c["end"]) if c.get("end") else None,
            )
        )
    return tuple(out)


def to_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def build_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_years(d: date, years: int) -> date:
    """``d`` moved by whole years; 29 February lands on 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def read_match_date(m: re.Match[str]) -> tuple[int | None, int, int, int | None] | None:
    """(year or None, month, day, weekday or None) from a FULL_DATES/ISO_DATE/STATED_LINES match."""
    groups = m.groupdict()
    if groups.get("iy"):
        return int(groups["iy"]), int(groups["im"]), int(groups["id"]), None
    if not groups.get("mon") or not groups.get("day"):
        return None
    year = int(groups["year"]) if groups.get("year") else None
    weekday = WEEKDAYS[groups["wd"][:3].lower()] if groups.get("wd") else None
    return year, MONTHS[groups["mon"][:3].lower()], int(groups["day"]), weekday


def parse_date_line(line: str) -> tuple[str, Precision] | None:
    """The date if ``line`` is nothing but a publication date ("November 23, 2015", "Published: …")."""
    m = next((found for p in STATED_LINES if (found := p.fullmatch(line))), None)
    if not m:
        return None
    parts = read_match_date(m)
    if parts is None or parts[0] is None:
        return None
    d = build_date(parts[0], parts[1], parts[2])
    return (d.isoformat(), "day") if d else None


def parse_date_value(value: str) -> tuple[str, Precision] | None:
    """Read a reader-supplied date (ISO 8601, RFC 2822, or a plain written date) with its precision."""
    value = value.strip()
    if re.fullmatch(r"(?:19|20)\d{2}", value):
        return value, "year"
    if re.fullmatch(r"(?:19|20)\d{2}-(?:0[1-9]|1[0-2])", value):
        return value, "month"
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat(), "day"
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat(), "second"
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat(), "second"
    except (TypeError, ValueError, IndexError):
        pass
    return parse_date_line(value)


def find_sentence(text: str, start: int, end: int) -> str:
    """The sentence around [start, end): enough context to tell a past event from a plan."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    return text[left : min(stops) if stops else len(text)]


def find_date_mentions(text: str) -> tuple[list[DateMention], list[tuple[str, int, int, int | None]]]:
    """Dated past events with a year, and year-less dates (text, month, day, weekday) to resolve later."""
    taken: list[tuple[int, int]] = []
    dated: list[DateMention] = []
    spans: list[tuple[int, int, DateMention]] = []
    yearless: list[tuple[str, int, int, int | None]] = []

    def claim(m: re.Match[str]) -> bool:
        # earlier (more specific) patterns win over later ones on overlapping text
        if any(m.start() < e and s < m.end() for s, e in taken):
            return False
        taken.append((m.start(), m.end()))
        return not FUTURE.search(find_sentence(text, m.start(), m.end()))

    # Dates are searched only near a month name: scanning the whole text with the optional weekday
    # prefix costs ten times more, and a date without a month name is an ISO date.
    windows = [(max(0, h.start() - 30), h.end() + 12) for h in MONTH_HINT.finditer(text)]
    near_months = [m for s, e in windows for p in FULL_DATES for m in p.finditer(text, s, e)]
    for m in [*ISO_DATE.finditer(text), *near_months]:
        parts = read_match_date(m)
        if parts is None or not claim(m):
            continue
        year, month, day, weekday = parts
        if year is None:
            yearless.append((m.group(0), month, day, weekday))
        elif d := build_date(year, month, day):
            dated.append(DateMention(m.group(0), d, d, "day"))
            spans.append((m.start(), m.end(), dated[-1]))
    for m in (m for s, e in windows for m in MONTH_YEAR.finditer(text, s, e)):
        if claim(m):
            year, month = int(m.group("year")), MONTHS[m.group("mon")[:3].lower()]
            last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
            dated.append(DateMention(m.group(0), date(year, month, 1), last, "month"))
            spans.append((m.start(), m.end(), dated[-1]))
    for m in BARE_YEAR.finditer(text):
        if claim(m):
            year = int(m.group("year"))
            dated.append(DateMention(m.group(0), date(year, 1, 1), date(year, 12, 31), "year"))
            spans.append((m.start(), m.end(), dated[-1]))
    dated.extend(find_elapsed_mentions(text, spans))
    return dated, yearless


def find_elapsed_mentions(text: str, spans: list[tuple[int, int, DateMention]]) -> list[DateMention]:
    """Events placed N years from a dated X ("18 years after the 2001 invasion" → 2019).

    X is the dated mention (or bare year, or a conflict named in conflicts.yaml) nearest the phrase
    in its sentence: after it for "after/since/from" ("N years after X"), before it for "later/ago"
    ("X …, N years later", "N years on", reaching into the sentence before). The result spans X + N years to X + N + 1 years: "18 years after October
    2001" is some time in October 2019 – October 2020. Plans ("will be ten years since") are skipped.
    """
    out: list[DateMention] = []
    # The full pattern tries a number at every word; searched only around the cheap "years after" hint.
    matches = {
        m.start(): m
        for h in _ELAPSED_HINT.finditer(text)
        for m in ELAPSED.finditer(text, max(0, h.start() - 30), h.end())
    }
    for m in (matches[k] for k in sorted(matches)):
        sentence_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        sentence = find_sentence(text, m.start(), m.end())
        rel = m.group("rel").lower()
        if FUTURE.search(sentence) or (rel == "from" and text[m.end() :].lstrip().lower().startswith("now")):
            continue
        sentence_end = sentence_start + len(sentence)
        forward = rel not in ("later", "ago", "on")
        base = _elapsed_base(text, m, spans, sentence_start, sentence_end, forward=forward)
        if base is None:
            continue
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw.lower()]
        lo = add_years(base.lo, n)
        hi = add_years(base.hi, n + 1) - timedelta(days=1)
        out.append(DateMention(f"{m.group(0)} {base.text}", lo, hi, "year"))
    return out


def _elapsed_base(
    text: str,
    m: re.Match[str],
    spans: list[tuple[int, int, DateMention]],
    start: int,
    end: int,
    *,
    forward: bool,
) -> DateMention | None:
    """The X of an elapsed phrase: the nearest dated thing on the side the phrase points to."""
    if not forward:
        # "… in March 1998. Twenty years later, …": a look-back may reach into the sentence before.
        reach = max(0, min(start, m.start() - _LATER_REACH))
        before = [(s, d) for s, e, d in spans if reach <= s and e <= m.start()]
        return max(before, key=lambda c: c[0])[1] if before else None
    candidates = [(s, d) for s, e, d in spans if m.end() <= s < end]
    window_end = min(end, m.end() + _ELAPSED_REACH)
    window = text[m.end() : window_end]
    if year := _ANY_YEAR.search(window):
        y = int(year.group(0))
        candidates.append(
            (m.end() + year.start(), DateMention(year.group(0), date(y, 1, 1), date(y, 12, 31), "year"))
        )
    low = window.lower()
    for conflict in load_conflicts():
        for name in conflict.names:
            if (at := low.find(name)) != -1:
                candidates.append((m.end() + at, DateMention(name, conflict.start, conflict.start, "day")))
    # "18 years since the war in Afghanistan began … in March 2002": the conflict named first is X.
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def pick_conflict(noun: str, text: str) -> Conflict | None:
    """The conflict a phrase means: by name, else the one whose country the text mentions most."""
    low = noun.lower()
    for c in load_conflicts():
        if any(name in low for name in c.names):
            return c
    kind = "civil war" if "civil war" in low else None
    best, best_count = None, 0
    for c in load_conflicts():
        if (kind and c.kind != kind) or c.terms is None:
            continue
        count = len(c.terms.findall(text))
        if count > best_count:
            best, best_count = c, count
    return best


def find_conflict_evidence(text: str) -> tuple[list[DateMention], date | None, list[str]]:
    """Age phrases as dated intervals, the latest start of a conflict named outright, and notes."""
    ages: list[DateMention] = []
    notes: list[str] = []
    # the full patterns are slow on long texts; search them only around a cheap hint
    windows = [text[max(0, h.start() - 40) : h.end() + 80] for h in _AGE_HINT.finditer(text)]
    for m in (m for window in windows for pattern in CONFLICT_AGES for m in pattern.finditer(window)):
        conflict = pick_conflict(m.group("noun"), text)
        if conflict is None:
            continue
        groups = m.groupdict()
        raw = groups.get("n") or groups["ord"]
        n = (
            int(re.sub(r"\D", "", raw))
            if raw[0].isdigit()
            else NUMBER_WORDS.get(raw.lower()) or ORDINAL_WORDS[raw.lower()]
        )
        # "the fifth year of the war" is 4 full years in; "5-year-old" and "five years into" are 5
        age = n - 1 if groups.get("ord") else n
        lo = add_years(conflict.start, age)
        hi = add_years(conflict.start, age + 1) - timedelta(days=1)
        ages.append(DateMention(m.group(0), lo, hi, "year"))
        notes.append(f"{m.group(0)!r} → {conflict.id} (began {conflict.start}) → {lo}…{hi}")
    # A conflict the text names (or "the civil war" of the country it is about) had begun by the time
    # of writing: a floor for resolving weekday dates.
    low = text.lower()
    starts = [c.start for c in load_conflicts() if any(name in low for name in c.names)]
    if "civil war" in low and (generic := pick_conflict("civil war", text)):
        starts.append(generic.start)
    return ages, max(starts, default=None), notes


def resolve_yearless(
    month: int, day: int, weekday: int | None, *, anchor: date, floor: date | None, now: date
) -> date | None:
    """Give a year to "March 14" (nearest the anchor) or "Monday, March 14th" (the weekday decides).

    Without a weekday the date is assumed within a year of the other dated evidence; with one, the
    candidates are the years whose calendar agrees, not before ``floor`` (the start of a conflict the
    text names), and the one nearest the anchor wins.
    """
    if weekday is None:
        years = range(anchor.year - 1, anchor.year + 2)
    else:
        years = range(anchor.year - 12, now.year + 1)
    candidates = [
        d
        for y in years
        if (d := build_date(y, month, day))
        and d <= now
        and (weekday is None or d.weekday() == weekday)
        and (weekday is None or floor is None or d >= floor)
    ]
    return min(candidates, key=lambda d: abs((d - anchor).days), default=None)


def resolve_dateline_day(month: int, day: int, year: int | None, text: str, *, now: date) -> date | None:
    """The date of a dateline ("BEIRUT, Nov 23 (AP)"); a missing year comes from the dated events."""
    if year is not None:
        return build_date(year, month, day)
    dated, ages, _ = gather_events(text, now=now)
    anchor = max((d.lo for d in dated + ages), default=None)
    return resolve_yearless(month, day, None, anchor=anchor, floor=None, now=now) if anchor else None


def gather_events(text: str, *, now: date) -> tuple[list[DateMention], list[DateMention], list[str]]:
    """Every dated past event in ``text`` (year-less ones resolved), conflict-age intervals, and notes."""
    dated, yearless = find_date_mentions(text)
    ages, floor, notes = find_conflict_evidence(text)
    dated = [d for d in dated if d.lo <= now]
    anchor = max((d.lo for d in dated + ages), default=floor)
    if anchor is not None:
        for phrase, month, day, weekday in yearless:
            resolved = resolve_yearless(month, day, weekday, anchor=anchor, floor=floor, now=now)
            if resolved:
                dated.append(DateMention(phrase, resolved, resolved, "day"))
    return dated, ages, notes


def summarize_events(
    dated: list[DateMention], ages: list[DateMention], notes: list[str], *, now: date
) -> Published | None:
    """The publication range the events imply: after the latest of them, within the conflict age."""
    events = dated + ages
    if not events:
        return None
    best = max(events, key=lambda d: d.lo)
    earliest = best.lo
    latest = min([a.hi for a in ages if a.hi >= earliest] + [earliest + RECENCY_WINDOW, now])
    if earliest.year == latest.year and earliest.month == latest.month:
        value, precision = earliest.isoformat()[:7], "month"
    else:
        # the range usually straddles a new year; the report most likely sits near its start
        value, precision = str(earliest.year), "year"
    evidence = f"latest dated event {best.text!r} ({best.lo})"
    if notes:
        evidence += "; " + "; ".join(notes)
    return Published(
        value=value, precision=precision, basis="inferred", earliest=earliest.isoformat(),
        latest=latest.isoformat(), evidence=evidence,
    )  # fmt: skip


def infer_from_content(text: str, *, now: date) -> Published | None:
    """A publication range from the dated events the text mentions, or ``None`` without evidence."""
    return summarize_events(*gather_events(text, now=now), now=now)


def check_plausible(published: Published, text: str, *, now: date) -> Published:
    """Flag a stated/meta date that falls years after every specific dated event in the text.

    Only a date printed with its day and year makes the check: a feature written in 2024 may well
    mention nothing more recent than "since 2011" or "in August 2016", and that is not a reason to doubt
    its date. A date without a year ("July 25", "Oct. 26") says nothing either way: its year would come
    from the other dates of the text, and a report of 2019 that recalls a conviction "in 1998" had its
    "March 21" call put in 1998 and its own date flagged.
    """
    if published.value is None:
        return published
    dated, _ = find_date_mentions(text)
    dated = [d for d in dated if d.lo <= now]
    ages, _, notes = find_conflict_evidence(text)
    if not any(d.precision == "day" for d in dated):
        return published
    content = summarize_events(dated, ages, notes, now=now)
    if content is None or content.earliest is None:
        return published
    try:
        stated = date.fromisoformat(pad_iso(published.value))
    except ValueError:
        return published
    gap = stated - date.fromisoformat(content.earliest)
    if gap <= IMPLAUSIBLE_AFTER:
        return published
    reason = (
        f"stated date {published.value} is {gap.days / 365.25:.1f} years after the latest dated event "
        f"the text mentions ({content.evidence}); the content suggests {content.earliest}…{content.latest}"
    )
    return Published(
        value=published.value, precision=published.precision, basis=published.basis,
        earliest=content.earliest, latest=content.latest, evidence=published.evidence,
        implausible=reason,
    )  # fmt: skip


def pad_iso(value: str) -> str:
    """A comparable day for a value cut to any precision: "2016" → "2016-01-01"."""
    day = value[:10]
    return day + "-01-01"[len(day) - 4 :] if len(day) < 10 else day
