"""Regular-expression building blocks for the time recogniser, built from ``data/timex.yaml``.

Kept apart from the rules so the lexicons stay data: adding a month abbreviation or a modifier to the
YAML file widens every pattern that uses it, without touching code.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from sitroom import yamlfile


@cache
def load_lexicon() -> dict[str, Any]:
    """The parsed ``sitroom/data/timex.yaml`` (read once per process)."""
    text = resources.files("sitroom.data").joinpath("timex.yaml").read_text(encoding="utf-8")
    return yamlfile.safe_load(text)


def _alternation(words: list[str]) -> str:
    """A regex alternation of phrases, longest first so "a couple of" wins over "a"."""
    escaped = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped.append(r"\s+".join(re.escape(part) for part in word.split()))
    return "|".join(escaped)


LEX = load_lexicon()
MONTHS: dict[str, int] = LEX["months"]
WEEKDAYS: dict[str, int] = LEX["weekdays"]
NUMBERS: dict[str, int | str] = {str(k): v for k, v in LEX["numbers"].items()}
ORDINALS: dict[str, int] = {str(k): v for k, v in LEX["ordinals"].items()}
UNITS: dict[str, str] = LEX["units"]
SEASONS: dict[str, dict[str, Any]] = LEX["seasons"]
PARTS_OF_DAY: dict[str, str] = LEX["parts_of_day"]
REFERENCES: dict[str, str] = LEX["references"]
SETS: dict[str, str] = LEX["sets"]
MODIFIERS: dict[str, str] = LEX["modifiers"]
HOLIDAYS: dict[str, list[int]] = LEX["holidays"]
AMBIGUOUS_MONTHS = frozenset(LEX["ambiguous_months"])
YEAR_BEFORE = frozenset(str(w) for w in LEX["year_before"])
# "1119 Eighth St.": up to three capitalised words (a compass abbreviation first), a street word, then
# punctuation or a word that goes on with an address ("in 2015 Supreme Court justices" stays a year)
STREET_AFTER = re.compile(
    r"\s+(?:[A-Z][a-z]*\.?\s+){1,3}(?i:"
    + "|".join(sorted(map(str, LEX["street_words"]), key=len, reverse=True))
    + r")\b\.?(?=[,.;)]|\s+(?:in|on|near|at|and|off|between|[NSEW]\b|\d)|\s*$)"
)
YEAR_AFTER = frozenset(str(w) for w in LEX["year_after"])
YEAR_DETERMINERS = frozenset(str(w) for w in LEX["year_determiners"])
EDGE_MODS = {k: v for k, v in MODIFIERS.items() if v in ("START", "MID", "END")}
APPROX_MODS = {k: v for k, v in MODIFIERS.items() if v not in ("START", "MID", "END")}

# Abbreviated month names take an optional full stop ("Sept."); full names must not.
MONTH = "|".join(
    re.escape(name) + (r"\.?" if len(name) <= 4 and name != "may" else "")
    for name in sorted(MONTHS, key=len, reverse=True)
)
WEEKDAY = "|".join(WEEKDAYS)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_TENS})[- ](?:{_ONES})|{_alternation(list(NUMBERS))})"
ORDINAL = _alternation(list(ORDINALS))
UNIT = r"(?:" + "|".join(u for u in UNITS if u != "century") + r")s?|centur(?:y|ies)"
SEASON = "|".join(SEASONS)
PART_OF_DAY = "|".join(PARTS_OF_DAY)
REFERENCE = _alternation(list(REFERENCES))
SET_WORD = _alternation(list(SETS))
HOLIDAY = _alternation(list(HOLIDAYS))
EDGE = rf"(?:(?P<edge>{_alternation(list(EDGE_MODS))})[\s-]+)?"
APPROX = rf"(?:(?P<approx>{_alternation(list(APPROX_MODS))})\s+)?"
FUTURE_CUES = re.compile(r"\b(?:" + _alternation([str(w) for w in LEX["future_cues"]]) + r")\b", re.I)


def parse_number(text: str) -> int | str | None:
    """The value of a number phrase ("twenty-four", "1,500", "a couple of"); "X" when unspecified."""
    word = " ".join(text.lower().replace("-", " ").split())
    if word in NUMBERS:
        return NUMBERS[word]
    digits = word.replace(",", "")
    if digits.isdigit():
        return int(digits)
    parts = word.split()
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        tens, ones = NUMBERS[parts[0]], NUMBERS[parts[1]]
        if isinstance(tens, int) and isinstance(ones, int):
            return tens + ones
    try:
        return int(float(digits)) if float(digits) == int(float(digits)) else None
    except (ValueError, OverflowError):
        return None


def normalize_unit(word: str) -> str:
    """The lexicon key of a unit word: "Years" -> "year", "centuries" -> "century"."""
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") and word[:-1] in UNITS else word


def lookup_modifier(phrase: str | None) -> str | None:
    """The TIMEX3 mod of a modifier phrase ("the end of" -> END), or None."""
    if not phrase:
        return None
    return MODIFIERS.get(" ".join(phrase.lower().split()))


def lookup_month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]
