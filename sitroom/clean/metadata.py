"""Document metadata from the text itself: title, byline, outlet, dateline.

Everything here reads whole lines near the top of the text (the header: the lines before the first
body paragraph) or lines the boilerplate step already recognised; nothing rewrites body sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from sitroom.clean.boilerplate import expand_macros, load_rules, load_yaml
from sitroom.clean.dates import MONTHS

# A headline is at most this long (words); a longer line is body even without a full stop.
TITLE_MAX_WORDS = 25
# A bare name or tag under the title ("Vladimir Putin" — a photo caption, not an author).
CAPTION_MAX_WORDS = 4

_SENTENCE_END = re.compile(r"[.!][\"”’')\]]*$")
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*")
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "gv", "or", "ne"}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    role_nouns: frozenset[str]
    role_modifiers: tuple[tuple[str, ...], ...]
    byline: re.Pattern[str]
    name: re.Pattern[str]
    domains: dict[str, str]
    dateline: re.Pattern[str]


@cache
def load_vocabulary() -> Vocabulary:
    """Compile bylines.yaml and outlets.yaml once per process."""
    by = load_yaml("bylines.yaml")
    outlets = load_yaml("outlets.yaml")
    prefixes = "|".join(re.escape(p) for p in sorted(by["byline_prefixes"], key=len, reverse=True))
    agencies = "|".join(re.escape(a) for a in sorted(outlets["agencies"], key=len, reverse=True))
    months = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    dateline = re.compile(
        r"(?P<place>[A-ZÀ-ÖØ-Þ][\w.'’]*(?:[ -][A-ZÀ-ÖØ-Þ][\w.'’]*){0,3})"
        rf"(?:,\s*(?!{months}\s)(?P<region>[A-Z][\w.'’]*(?: [A-Z][\w.'’]*){{0,2}}))?"
        rf"(?:,?\s+(?P<mon>{months})\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>(?:19|20)\d{{2}}))?)?"
        rf"\s*(?:\((?P<agency>{agencies})\)|\((?P<outlet>[A-Z][\w.&'’ -]{{1,40}})\))?"
        r"\s*(?P<dash>—|–|--|-|:)\s*(?=[A-Z“\"‘'])"
    )
    return Vocabulary(
        role_nouns=frozenset(n.lower() for n in by["role_nouns"]),
        role_modifiers=tuple(tuple(m.lower().split()) for m in by["role_modifiers"]),
        byline=re.compile(rf"(?i:{prefixes})\s*[:|–—-]?\s+(?P<rest>\S.*)"),
        name=re.compile(expand_macros("{NAME}", load_rules().macros)),
        domains={k.lower(): v for k, v in outlets["domains"].items()},
        dateline=dateline,
    )


def count_words(line: str) -> int:
    return len(line.split())


def is_body_paragraph(line: str) -> bool:
    """True once a line reads like running text: a sentence with a full stop, or longer than a headline.

    Word count alone cannot tell: "Institute for War Studies: Russia may deploy its ground forces in
    Syria" is a 12-word headline; headlines just do not end with a full stop.
    """
    words = count_words(line)
    return words > TITLE_MAX_WORDS or (words >= 5 and bool(_SENTENCE_END.search(line)))


def is_headline_like(line: str) -> bool:
    """A short line that opens like a sentence and does not end like one (or ends with "?"/"!")."""
    words = count_words(line)
    if not 2 <= words <= TITLE_MAX_WORDS or len(line) > 250:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'"):
        return False
    # a trailing dash is a dateline on a line of its own ("KANSAS CITY, MO (KCTV) -")
    return not re.search(r"[.,;:—–-]$", line) and any(c.isalpha() for c in line)


def is_caption(line: str) -> bool:
    """A bare name or tag: a few capitalised words, no digits, no sentence punctuation."""
    tokens = line.split()
    return (
        1 <= len(tokens) <= CAPTION_MAX_WORDS
        and all(_CAPITALISED.fullmatch(t) for t in tokens)
        and not any(c.isdigit() for c in line)
    )


def clean_name(name: str) -> str | None:
    """A person's name as printed, title-cased when set in capitals; ``None`` if it is not a name."""
    name = name.strip(" ,.;:|")
    if name.isupper():
        name = name.title()
    return name if load_vocabulary().name.fullmatch(name) else None


# "Phil Helsel is a reporter for NBC News": a byline block read with its author's biography.
_BIOGRAPHY = re.compile(r"\s+(?:is|was)\s+(?:a|an|the)\s.*$", re.IGNORECASE)
# The date a page prints after its byline, read into the author ("Ana Ruiz Nov. 20, 2019", and with
# the day lost, "JERUSALEM POST STAFF NOVEMBER"): a month with its day, or a month alone after three
# words or more ("Dan June", "Theresa May" are names).
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATED = re.compile(rf"\s+{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\s*$", re.IGNORECASE)
_MONTH_LAST = re.compile(rf"\s+{_MONTH}\s*$", re.IGNORECASE)


def _without_date(name: str) -> str:
    undated = _DATED.sub("", name)
    if undated == name and len(name.split()) >= 4:
        undated = _MONTH_LAST.sub("", name)
    return undated or name


def tidy_author(author: str | None) -> str | None:
    """A reader's author string as a byline: each name ("; " between several) without a biography
    after it ("Phil Helsel is a reporter" → "Phil Helsel") or a printed date ("… Staff November"),
    title-cased when set in capitals ("LISA MASCARO" → "Lisa Mascaro", but not a short word that may
    be an acronym: "BBC NEWS"); a part that is no name on its own is kept as it is."""
    if not author:
        return author
    parts = []
    for part in author.split(";"):
        part = " ".join(part.split())
        if not part:
            continue
        name = _without_date(_BIOGRAPHY.sub("", part))
        acronym = name.isupper() and any(len(w.strip(".")) in (2, 3) for w in name.split())
        parts.append(name if acronym else clean_name(name) or name)
    return "; ".join(parts) or None


def is_role(words: list[str]) -> bool:
    """True if ``words`` form a newsroom job title: modifiers, then a role noun last."""
    vocab = load_vocabulary()
    return bool(words) and words[-1].lower().strip(",.") in vocab.role_nouns


def split_name_role(line: str) -> tuple[str, str] | None:
    """ "Saagar Enjeti White House Correspondent" → ("Saagar Enjeti", "White House Correspondent")."""
    if "," in line:
        name, _, role = line.partition(",")
        author = clean_name(name)
        role_words = role.split()
        return (author, role.strip()) if author and is_role(role_words) else None
    tokens = line.split()
    if not 3 <= len(tokens) <= 9 or not is_role(tokens):
        return None
    vocab = load_vocabulary()
    lowered = [t.lower() for t in tokens]
    for k in range(2, min(5, len(tokens))):
        rest = lowered[k:]
        opens_role = rest[0] in vocab.role_nouns or any(
            tuple(rest[: len(m)]) == m for m in vocab.role_modifiers
        )
        if opens_role and (author := clean_name(" ".join(tokens[:k]))):
            return author, " ".join(tokens[k:])
    return None


def parse_byline(line: str) -> tuple[str, str | None] | None:
    """ "By Jane Doe", "Author: Jason Ditz", "By JANE DOE, Senior Editor" → (author, role)."""
    if count_words(line) > 14:
        return None
    m = load_vocabulary().byline.fullmatch(line)
    if not m:
        return None
    rest = re.split(r"\s+[|•]\s+|\s+[-–—]\s+", m.group("rest"))[0]
    names_part, _, role = rest.partition(",")
    names = [clean_name(n) for n in re.split(r"\s+(?:and|&)\s+", names_part)]
    if not names or any(n is None for n in names):
        return None
    role_words = role.split()
    return " and ".join(n for n in names if n), (role.strip() if is_role(role_words) else None)


def find_dateline(paragraph: str) -> tuple[str, tuple[int, int, int | None] | None] | None:
    """The place (and date, if printed) opening a first body paragraph: "MOSCOW (Reuters) -".

    Mixed-case places need an em/en dash straight after them ("Jerusalem—Russia has …") or an
    agency; a hyphen or colon only counts after an all-capitals place, where it cannot be prose. An
    outlet the agency list does not know ("HONOLULU, Hawaii (HawaiiNewsNow) -") counts on the same
    terms as no agency at all.
    """
    m = _dateline_match(paragraph)
    if m is None:
        return None
    place = m.group("place")
    all_caps = _all_caps(place)
    when = None
    if m.group("mon"):
        year = int(m.group("year")) if m.group("year") else None
        when = (MONTHS[m.group("mon")[:3].lower()], int(m.group("day")), year)
    return (place.title() if all_caps else place), when


def dateline_end(paragraph: str) -> int | None:
    """The offset where the report starts after the dateline opening ``paragraph`` ("HANOI, Vietnam
    (AP) — U.S. Defense …" → the offset of "U.S."), by :func:`find_dateline`'s rules; else ``None``."""
    m = _dateline_match(paragraph)
    return None if m is None else m.end()


@dataclass(frozen=True, slots=True)
class WrittenDateline:
    """A dateline as a text prints it: where it starts, where its place is written, where it ends."""

    start: int
    place: tuple[int, int]  # "ST. JOSEPH" in "ST. JOSEPH, Mich. (AP) —"
    end: int  # where the report starts


def locate_dateline(text: str, *, lines: int = 8) -> WrittenDateline | None:
    """The dateline opening one of the first ``lines`` lines of ``text`` (a title or a lead may come
    first), by :func:`find_dateline`'s rules; else ``None``."""
    offset = 0
    for line in text.split("\n", lines)[:lines]:
        m = _dateline_match(line)
        if m is not None:
            place = (offset + m.start("place"), offset + m.end("place"))
            return WrittenDateline(offset, place, offset + m.end())
        offset += len(line) + 1
    return None


def written_dateline(text: str, place: str | None) -> str | None:
    """The dateline as the text prints it, region and agency included ("SANTA FE, N.M. (AP) —"), when
    it names the dateline ``place`` the cleaner read ("Santa Fe"); else ``place``. The region tells
    which Santa Fe."""
    found = locate_dateline(text) if place else None
    if found is None:
        return place
    named = find_dateline(text[found.start : found.end + 1])
    return text[found.start : found.end].strip() if named is not None and named[0] == place else place


def _dateline_match(paragraph: str) -> re.Match[str] | None:
    m = load_vocabulary().dateline.match(paragraph)
    if not m:
        return None
    if not (m.group("agency") or _all_caps(m.group("place")) or m.group("dash") in "—–"):
        return None
    return m


def _all_caps(place: str) -> bool:
    letters = [c for c in place if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def find_outlet_for_url(url: str) -> str | None:
    """The outlet a URL belongs to: a known name from outlets.yaml, else its registered domain."""
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    host = re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host)
    if not host or "." not in host:
        return None
    labels = host.split(".")
    domains = load_vocabulary().domains
    for i in range(len(labels) - 1):
        if (name := domains.get(".".join(labels[i:]))) is not None:
            return name
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])
