"""Read numbers written in digits ("20,000", "1.5") or in words ("twenty-five", "a hundred")."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# "20,000" and "1,234.5" use commas only between groups of three; anything else ("1,23") is a list
# or a European decimal we cannot tell apart, so it is not read.
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class NumberWords:
    """The word tables a number may be written with (from ``data/quantities.yaml``)."""

    units: Mapping[str, float]
    tens: Mapping[str, float]
    scales: Mapping[str, float]
    articles: frozenset[str]

    def is_number_word(self, word: str) -> bool:
        return word in self.units or word in self.tens or word in self.scales


def parse_digits(text: str) -> float | None:
    """The value of a digit string such as "20,000" or "1.5"; ``None`` if malformed or not finite."""
    if not _DIGITS.fullmatch(text):
        return None
    value = float(text.replace(",", ""))
    # float() turns a 400-digit string into inf rather than raising; an infinite amount is noise.
    return value if math.isfinite(value) else None


def parse_number_words(words: Sequence[str], tables: NumberWords) -> tuple[float, int] | None:
    """Read the longest number at the start of ``words`` (lower-case, hyphens already split off).

    Returns the value and how many words it used, or ``None``. "and" is taken only inside a number
    ("one hundred and twenty"), and an article only in front of a scale word ("a hundred").
    """
    total = 0.0
    current = 0.0
    used = 0
    seen_digit_word = False
    last_kind = ""
    i = 0
    while i < len(words):
        word = words[i]
        if word in tables.articles and i == 0:
            if i + 1 < len(words) and words[i + 1] in tables.scales:
                current = 1.0
                i += 1
                last_kind = "article"
                continue
            return None
        if word == "and" and seen_digit_word and last_kind == "scale":
            # Only "hundred and twenty": a trailing "and" belongs to the sentence, so do not consume
            # it unless a number word follows.
            if i + 1 < len(words) and (words[i + 1] in tables.units or words[i + 1] in tables.tens):
                i += 1
                last_kind = "and"
                continue
            break
        if word in tables.units:
            if last_kind in ("unit", "tens_unit") or (last_kind == "tens" and tables.units[word] >= 10):
                break  # "two three" is two numbers, "twenty twelve" a year read aloud
            current += tables.units[word]
            last_kind = "tens_unit" if last_kind == "tens" else "unit"
        elif word in tables.tens:
            if last_kind in ("unit", "tens", "tens_unit"):
                break
            current += tables.tens[word]
            last_kind = "tens"
        elif word in tables.scales:
            scale = tables.scales[word]
            if last_kind == "" or last_kind == "and":
                break
            if scale < 1000:
                # "hundred" and "dozen" multiply what came just before ("two hundred", "two dozen").
                current = (current or 1.0) * scale
            else:
                total += (current or 1.0) * scale
                current = 0.0
            last_kind = "scale"
        else:
            break
        seen_digit_word = True
        i += 1
        used = i
    if not seen_digit_word or used == 0:
        return None
    return total + current, used
