"""Find stated amounts in text: values or intervals, units, bounds and hedges, and the thing counted.

Works on plain text with a tokenizer, phrase tables and number-word parsing (all words live in
``data/quantities.yaml``). Given a spaCy ``Doc`` of the same text, the parse decides which noun a number
counts ("15 Islamic State oil facilities", "dozens of civilians", "doubled to 69" → the number *of
aircraft*); without one, a lexical window around the number does.

Years, dates, times, ordinals, phone numbers, ids and model names ("Su-24", "M4") are not amounts and
are skipped with a debug-logged reason; nothing here raises on odd input.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from sitroom.model import Quantity
from sitroom.nlp.numbers import parse_digits, parse_number_words
from sitroom.nlp.quantity_lexicon import TOKEN, QuantityLexicon, VagueAmount, load_lexicon

# v4: read from a parse in which a dateline naming an outlet the agency list lacks ends a sentence;
# v3: read from a parse in which a line break ends a sentence in text that does not wrap its lines (web
# pages: sitroom.nlp.paragraphs); v2: read from a parse in which a blank line ends a sentence
# (sitroom.nlp.paragraphs)
QUANTITIES_VERSION = "quantities.v4"

_log = logging.getLogger(__name__)

# A sentence ends at ., ! or ? (with closing quotes) before whitespace, or at a line break; abbreviations
# ("U.S.") cut sentences short, which only narrows the context searched.
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)|\n")
# Spans that look numeric but are phone numbers, dates, clock times, exponents or URLs. The leading
# look-ahead lets the engine pass most characters with one test instead of trying every branch (7x).
_NOT_AMOUNTS = re.compile(
    r"(?=[\d+(hfw])(?:"
    r"\+?\(?\d{2,4}\)?[-. ]\d{3}[-. ]\d{3,4}\b|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,}"  # phone numbers
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"  # ISO and slashed dates
    r"|\b\d{1,2}:\d{2}\b"  # clock times
    r"|\d+(?:\.\d+)?\s*(?:\^|\*\*|[x×]\s*10\^)\s*-?\d+"  # 10^400, 2**64
    r"|(?:https?|ftp)://\S+|www\.\S+"  # URLs
    r")"
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_CASUALTY_SENSITIVE = frozenset({"people", "forces"})
_DASHES = frozenset({"-", "–", "—"})
_RANGE_DASHES = frozenset({"-", "–"})


@dataclass(slots=True)
class _Figure:
    """A number as read from the tokens, before bounds, units and counted things are added."""

    first: int  # token index where it starts
    last: int  # token index after its end
    value: float | None
    low: float | None = None
    high: float | None = None
    kind: str = "digits"  # digits | words | vague | fraction
    suffix: str | None = None  # letters glued to the digits: "m" in "$1.5m"
    scaled: bool = False
    vague: VagueAmount | None = None
    decimal: bool = False
    plain_digits: str = ""
    scale: float = 1.0  # the multiplier a scale word applied ("million")


class _Skip(Exception):
    """Raised inside the scanner to drop a candidate; the reason goes to the debug log."""


class _Scanner:
    def __init__(self, text: str, lex: QuantityLexicon, spacy_doc: Any = None) -> None:
        self.text = text
        self.lex = lex
        self.doc = spacy_doc
        # Column lists rather than token objects: building them is most of the cost of a call.
        matches = list(TOKEN.finditer(text))
        self.starts: list[int] = [m.start() for m in matches]
        self.ends: list[int] = [m.end() for m in matches]
        whole = [m.group(0) for m in matches]
        digits = [m.group(1) for m in matches]
        self.suffixes: list[str | None] = [m.group(2) for m in matches]
        self.lows: list[str] = [d if d is not None else w.lower() for w, d in zip(whole, digits, strict=True)]
        # "n" digits, "w" word, "p" anything else
        self.kinds: list[str] = [
            "n" if d is not None else ("w" if w[0].isalpha() else "p")
            for w, d in zip(whole, digits, strict=True)
        ]
        self.n = len(self.lows)
        self.sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self.blocked = [(m.start(), m.end()) for m in _NOT_AMOUNTS.finditer(text)]

    # --- small helpers -------------------------------------------------------------------------

    def orig(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def glued(self, i: int, j: int) -> bool:
        """Tokens i and j touch, with no space between."""
        return 0 <= i < self.n and 0 <= j < self.n and self.ends[i] == self.starts[j]

    def is_blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.blocked)

    def sentence_tokens(self, i: int) -> tuple[int, int]:
        """Token range [first, last) of the sentence holding token i."""
        k = bisect_right(self.sentence_ends, self.starts[i])
        s_start = self.sentence_ends[k - 1] if k > 0 else 0
        s_end = self.sentence_ends[k] if k < len(self.sentence_ends) else len(self.text)
        return bisect_left(self.starts, s_start), bisect_left(self.starts, s_end)

    def is_month(self, i: int) -> bool:
        return 0 <= i < self.n and self.kinds[i] == "w" and self.orig(i) in self.lex.months

    # --- reading figures -------------------------------------------------------------------------

    def read_figure(self, i: int) -> _Figure | None:
        kind = self.kinds[i]
        if kind == "n":
            return self.read_digits(i)
        if kind != "w":
            return None
        vague = self.lex.vague.match_at(self.lows, i)
        if vague:
            return self.read_vague(i, vague[0], vague[1])
        fraction = self.read_fraction(i)
        if fraction:
            return fraction
        return self.read_words(i)

    def read_digits(self, i: int) -> _Figure:
        raw = self.lows[i]
        suffix = self.suffixes[i]
        if suffix and suffix.lower() in _ORDINAL_SUFFIXES:
            raise _Skip("ordinal")
        plain = raw.replace(",", "").replace(".", "")
        if "," not in raw and "." not in raw and len(raw) >= self.lex.id_min_digits:
            raise _Skip("id-like digit run")
        if len(raw) > 1 and raw[0] == "0" and "." not in raw:
            raise _Skip("leading zero: an id or code")
        value = parse_digits(raw)
        if value is None:
            raise _Skip("malformed or overflowing digits")
        fig = _Figure(i, i + 1, value, suffix=suffix, decimal="." in raw, plain_digits=plain)
        self.read_scale(fig)
        return fig

    def read_scale(self, fig: _Figure) -> None:
        """Multiply by a following scale word: "1.5 million", "20 thousand", "$2 bn"."""
        j = fig.last
        if j < self.n and self.kinds[j] == "w" and fig.value is not None:
            word = self.lows[j]
            scale = self.lex.words.scales.get(word)
            if scale is None and word in self.lex.scale_abbreviations:
                if word in self.lex.currency_only_abbreviations:
                    return  # "$5 m" is five million only after a currency; read_quantity decides
                scale = self.lex.scale_abbreviations[word]
            if scale is not None:
                fig.value *= scale
                fig.last = j + 1
                fig.scaled = True
                fig.scale = scale

    def read_vague(self, i: int, spec: VagueAmount, length: int) -> _Figure:
        low, high = spec.low, spec.high
        last = i + length
        scaled = False
        if last < self.n and self.lows[last] in self.lex.words.scales and spec.needs_counted:
            # "several hundred", "a few thousand": the vague word multiplies the scale.
            scale = self.lex.words.scales[self.lows[last]]
            low, high = low * scale, (None if high is None else high * scale)
            last += 1
            scaled = True
        return _Figure(i, last, None, low=low, high=high, kind="vague", vague=spec, scaled=scaled)

    def read_fraction(self, i: int) -> _Figure | None:
        lex = self.lex
        numerator = 1.0
        j = i
        word = self.lows[i]
        if word in lex.words.articles or word in lex.words.units:
            numerator = 1.0 if word in lex.words.articles else lex.words.units[word]
            j = i + 1
            if j < self.n and self.lows[j] == "-":
                j += 1
            if j >= self.n or self.lows[j] not in lex.denominators:
                return None
        elif word not in lex.bare_fractions:
            return None
        if i > 0 and self.lows[i - 1] in lex.fraction_blockers:
            return None
        value = numerator / lex.denominators[self.lows[j]]
        after = j + 1
        if after + 1 < self.n and self.lows[after] in lex.words.articles:
            scale = lex.words.scales.get(self.lows[after + 1])
            if scale is not None and scale >= 1000:  # "half a million"
                return _Figure(i, after + 2, value * scale, kind="words", scaled=True)
        if (
            after < self.n
            and self.lows[after] == "of"
            and not (after + 1 < self.n and self.kinds[after + 1] == "n")
        ):
            return _Figure(i, after, value, kind="fraction")
        return None

    def read_words(self, i: int) -> _Figure | None:
        words: list[str] = []
        index: list[int] = []
        j = i
        while j < self.n and len(words) < 12:
            low = self.lows[j]
            if self.kinds[j] == "w" and (
                self.lex.words.is_number_word(low)
                or low == "and"
                or (low in self.lex.words.articles and not words)
            ):
                words.append(low)
                index.append(j)
            elif low == "-" and words and self.glued(j - 1, j) and self.glued(j, j + 1):
                pass  # "twenty-five"
            else:
                break
            j += 1
        parsed = parse_number_words(words, self.lex.words) if words else None
        if parsed is None:
            return None
        value, used = parsed
        return _Figure(i, index[used - 1] + 1, value, kind="words")

    # --- one candidate ---------------------------------------------------------------------------

    def read_quantity(self, i: int) -> tuple[Quantity | None, int]:
        """Read the quantity whose figure starts at token i; returns it (or None) and the next index."""
        fig = self.read_figure(i)
        if fig is None:
            return None, i + 1
        lex, lows = self.lex, self.lows
        if self.is_blocked(self.starts[fig.first], self.ends[fig.last - 1]):
            raise _Skip("phone number, date, time, exponent or URL")
        if fig.kind == "digits":
            self.check_digits_context(fig.first)

        # Left of the figure: a currency, then "between"/"from", then a bound or hedge.
        currency = None
        left = fig.first
        cur = lex.currency_symbols.match_before(lows, left)
        if cur and (cur[1] == 1 or self.glued(left - cur[1], left - 1)):
            currency, left = cur[0], left - cur[1]
        elif left > 0 and self.kinds[left - 1] == "w" and self.orig(left - 1) in lex.currency_codes:
            currency, left = self.orig(left - 1), left - 1
        range_word = lows[left - 1] if left > 0 and lows[left - 1] in ("between", "from") else None
        second = self.read_range_end(fig, range_word, left - 2)
        if second is not None:
            if range_word:
                left -= 1
            if second.scaled and not fig.scaled and fig.value is not None:
                fig.value *= second.scale  # "1.5-2 million": the scale word covers both ends
                fig.scaled, fig.scale = True, second.scale
        last = (second or fig).last
        marker_kind = marker = None
        pm = lex.prefix_markers.match_before(lows, left)
        if pm:
            marker_kind, marker = pm[0], _join(lows[left - pm[1] : left])
            left -= pm[1]

        # Right of the figure: letters glued to the digits, then unit or currency words.
        unit, category = "count", None
        tail = (second or fig).first
        suffix = (
            self.suffixes[tail].lower() if (second or fig).kind == "digits" and self.suffixes[tail] else None
        )
        if suffix:
            unit_hit = lex.units.match_at([suffix], 0)
            if suffix in lex.scale_abbreviations and (
                currency or suffix not in lex.currency_only_abbreviations
            ):
                self.multiply(fig, second, lex.scale_abbreviations[suffix])
            elif unit_hit is not None and unit_hit[1] == 1:
                unit, category = unit_hit[0]
            elif suffix in lex.time_units or lex.clock_words.match_at([suffix], 0):
                raise _Skip("duration or clock time (the time component owns these)")
            else:
                raise _Skip(f"digits glued to letters ({self.orig(tail)!r}): an id or a name")
        elif currency and last < self.n and lows[last] in lex.currency_only_abbreviations:
            self.multiply(fig, second, lex.scale_abbreviations[lows[last]])
            last += 1
        j = last
        if j < self.n and lows[j] == "-" and self.glued(j - 1, j) and self.glued(j, j + 1):
            j += 1  # "10-km", "5-year-old"
        if j < self.n and (lows[j] in lex.time_units or lex.clock_words.match_at(lows, j)):
            raise _Skip("duration, age or clock time (the time component owns these)")
        if self.is_month(j):
            raise _Skip("day of a date")
        if unit == "count" and currency is None:
            cw = lex.currency_words.match_at(lows, j)
            unit_hit = lex.units.match_at(lows, j)
            if cw:
                currency, last = cw[0], j + cw[1]
            elif j < self.n and self.kinds[j] == "w" and self.orig(j) in lex.currency_codes:
                currency, last = self.orig(j), j + 1
            elif unit_hit:
                (unit, category), last = unit_hit[0], j + unit_hit[1]
        if currency:
            unit, category = currency, "money"
        if fig.kind == "fraction":
            unit, category = "ratio", "ratio"

        # "800 or more", "800-plus", "40-odd", "800+".
        k = last + 1 if last < self.n and lows[last] == "-" and self.glued(last - 1, last) else last
        post = lex.postfix_markers.match_at(lows, k)
        if post and marker_kind is None and (lows[k] != "+" or self.glued(k - 1, k)):
            marker_kind, marker = post[0], _join(lows[k : k + post[1]])
            last = k + post[1]
        return self.make(fig, second, marker_kind, marker, left, last, unit, category), last

    def multiply(self, fig: _Figure, second: _Figure | None, scale: float) -> None:
        for f in (fig, second):
            if f is not None and f.value is not None and not f.scaled:
                f.value *= scale
                f.scaled, f.scale = True, scale

    def check_digits_context(self, i: int) -> None:
        """Raise _Skip when the digits at token i are a name, a date part, an id or a clock time."""
        lex, lows = self.lex, self.lows
        start = self.starts[i]
        if start > 0 and (self.text[start - 1].isalpha() or self.text[start - 1].isdigit()):
            raise _Skip("digits glued to a word (model name or code)")
        prev, nxt = i - 1, i + 1
        glued_dash = prev > 0 and lows[prev] == "-" and self.glued(prev - 1, prev) and self.glued(prev, i)
        if glued_dash and self.kinds[prev - 1] == "w":
            raise _Skip("hyphenated designator (Su-24, Caucasus-2020)")
        if prev >= 0 and lows[prev] in ("/", ":", "^", ".") and self.glued(prev, i):
            raise _Skip("part of a date, time, ratio or version")
        if (
            nxt + 1 < self.n
            and lows[nxt] in ("/", ":", "^")
            and self.glued(i, nxt)
            and self.kinds[nxt + 1] == "n"
        ):
            raise _Skip("part of a date, time, ratio or exponent")
        if self.is_month(prev):
            raise _Skip("day of a date")
        if prev >= 0 and self.kinds[prev] == "w" and self.orig(prev) in lex.name_prefixes:
            raise _Skip(f"name or designator after {self.orig(prev)!r}")
        if lex.id_prefixes.match_before(lows, i):
            raise _Skip("id or number label")

    def read_range_end(self, fig: _Figure, range_word: str | None, before: int) -> _Figure | None:
        """A second figure after "-", "to", "or" or "and" (with "between") makes a range.

        ``before`` is the token ahead of "between"/"from", to tell "rose from 34 to 69" (a change
        between two figures) from "from 5 to 10" (a range).
        """
        if fig.kind not in ("digits", "words") or fig.value is None or fig.last + 1 >= self.n:
            return None
        j = fig.last
        link = self.lows[j]
        if link in _RANGE_DASHES:
            if link == "-" and not (self.glued(j - 1, j) and self.glued(j, j + 1)):
                return None
        elif link == "to":
            if range_word == "from" and before >= 0 and self.lows[before] in self.lex.change_words:
                return None
        elif link == "or":
            # "two or three soldiers" is a loose range; "€2bn or 3.5 million dollars" two amounts.
            if self.lex.postfix_markers.match_at(self.lows, j) or fig.scaled or self.suffixes[fig.first]:
                return None
        elif link != "and" or range_word != "between":
            return None
        second: _Figure | None = None
        if self.kinds[j + 1] == "n":
            try:
                second = self.read_digits(j + 1)
                self.check_digits_context(j + 1)
            except _Skip:
                return None
        elif self.kinds[j + 1] == "w" and fig.kind == "words":
            second = self.read_words(j + 1)
        if second is None or second.value is None or self.is_month(second.last):
            return None
        if link == "or" and (second.scaled or second.suffix or second.value > 10 * fig.value):
            return None
        low = fig.value * (second.scale if second.scaled and not fig.scaled else 1.0)
        if second.value <= low:
            if link in _RANGE_DASHES:
                raise _Skip("hyphenated pair that is not a range (a score or an id)")
            return None
        return second

    # --- assembling the Quantity ---------------------------------------------------------------

    def make(
        self,
        fig: _Figure,
        second: _Figure | None,
        marker_kind: str | None,
        marker: str | None,
        left: int,
        last: int,
        unit: str,
        category: str | None,
    ) -> Quantity | None:
        lex = self.lex
        value: float | None = fig.value
        low, high = fig.low, fig.high
        low_inc = high_inc = True
        approx = fig.kind == "vague"
        if fig.vague is not None:
            marker = marker or fig.vague.marker
        if second is not None:
            low, high, value = fig.value, second.value, None
            if self.lows[second.first - 1] == "or":
                approx = True
        elif fig.kind != "vague":
            low, high, low_inc, high_inc, approx = _apply_marker(marker_kind, value)
        if marker_kind in ("approx", "approx_below", "approx_above"):
            approx = True

        for v in (value, low, high):
            if v is not None and abs(v) > lex.max_magnitude:
                raise _Skip(f"magnitude {v:.3g} beyond {lex.max_magnitude:.0e}")

        counted = None
        if unit == "count":
            counted = self.find_counted(fig, second, left, last)
            if (
                counted is not None
                and second is None
                and self.is_year(fig)
                and not self.counts_right_after(fig, counted, last)
            ):
                raise _Skip("year")
            if counted is None:
                self.check_bare(fig, second, marker_kind, left)
            else:
                category = counted[4]
                if category in _CASUALTY_SENSITIVE and self.has_casualty_cue(fig.first):
                    category = "casualties"
            if fig.vague is not None and fig.vague.needs_counted and (counted is None or counted[4] is None):
                # "a few things", "several indicators": everyday words unless they count a known thing
                raise _Skip("vague word without a known counted thing")
        return Quantity(
            start=self.starts[left],
            end=self.ends[last - 1],
            value=value,
            low=low,
            high=high,
            low_inclusive=low_inc,
            high_inclusive=high_inc,
            approx=approx,
            marker=marker,
            unit=unit,
            counted=counted[0] if counted else None,
            counted_start=counted[1] if counted else None,
            counted_end=counted[2] if counted else None,
            counted_basis=counted[3] if counted else None,
            category=category,
            component=QUANTITIES_VERSION,
        )

    def check_bare(self, fig: _Figure, second: _Figure | None, marker_kind: str | None, left: int) -> None:
        """A figure with no unit and nothing counted must look like an amount on its own."""
        if fig.kind == "words":
            raise _Skip("number word with nothing counted (pronoun or anaphor: 'no one', 'the two')")
        if fig.kind != "digits":
            return
        ends = [fig] + ([second] if second is not None else [])
        if all(self.is_year(f) for f in ends):
            raise _Skip("year")
        if marker_kind is None and second is None:
            if fig.decimal and not fig.scaled:
                raise _Skip("bare decimal (version, score or rating)")
            prev = fig.first - 1
            sent_first, _ = self.sentence_tokens(fig.first)
            if prev > sent_first and self.kinds[prev] == "w" and self.orig(prev)[:1].isupper():
                raise _Skip(f"number after a capitalised word ({self.orig(prev)!r}): a name")
            if self.doc is not None and self.entity_type(fig) in ("DATE", "TIME", "ORDINAL"):
                raise _Skip("spaCy reads it as a date or time")

    def is_year(self, fig: _Figure) -> bool:
        return (
            fig.kind == "digits"
            and not fig.scaled
            and not fig.decimal
            and len(fig.plain_digits) == 4
            and "," not in self.lows[fig.first]
            and fig.value is not None
            and self.lex.year_low <= fig.value <= self.lex.year_high
        )

    def counts_right_after(self, fig: _Figure, counted: tuple, last: int) -> bool:
        """A year-like figure counts only what directly follows it, and not after "in", "since" …."""
        prev = fig.first - 1
        if prev >= 0 and self.lows[prev] in self.lex.year_prepositions:
            return False
        return last < self.n and counted[1] == self.starts[last]

    def has_casualty_cue(self, i: int) -> bool:
        first, last = self.sentence_tokens(i)
        return any(low in self.lex.casualty_cues for low in self.lows[first:last])

    # --- the thing counted -----------------------------------------------------------------------

    def find_counted(
        self, fig: _Figure, second: _Figure | None, left: int, last: int
    ) -> tuple[str, int, int, str, str | None] | None:
        """(normalised thing, start, end, basis, category) for what the figure counts, or None."""
        if self.doc is not None:
            found = self.counted_by_parse(fig, second, last)
            if found is not None:
                return found
        found = self.counted_after(last)
        if found is not None:
            return found
        if fig.kind == "digits":
            return self.counted_before(left, last)
        return None

    def lexicon_at(self, j: int, basis: str) -> tuple[str, int, int, str, str | None] | None:
        hit = self.lex.counted.match_at(self.lows, j)
        if hit is None:
            return None
        (canonical, category), length = hit
        return canonical, self.starts[j], self.ends[j + length - 1], basis, category

    def counted_after(self, j: int) -> tuple[str, int, int, str, str | None] | None:
        lows, lex = self.lows, self.lex
        if j < self.n and lows[j] == "of":
            j += 1
            if j < self.n and lows[j] in lex.partitive_determiners:
                j += 1
        if j + 1 < self.n and lows[j] == "to" and self.kinds[j + 1] == "n":
            j += 2  # "rose from 34 to 69 aircraft": both figures count aircraft
        modifiers = 0
        while j < self.n and modifiers <= 4:
            found = self.lexicon_at(j, "next")
            if found is not None:
                return found
            kind, low = self.kinds[j], lows[j]
            if kind == "w" and low not in lex.window_stopwords:
                modifiers += 1
            elif not (low in _DASHES and self.glued(j - 1, j) and self.glued(j, j + 1)):
                return None  # "Turkish-backed fighters" goes on; other punctuation ends the phrase
            j += 1
        return None

    def counted_before(self, left: int, last: int) -> tuple[str, int, int, str, str | None] | None:
        """For a figure standing alone ("some 403", "—381", "doubled to 69"), look back in the sentence."""
        first, end = self.sentence_tokens(left)
        lows = self.lows
        than = next((k for k in range(left - 1, first - 1, -1) if lows[k] == "than"), None)
        if than is not None:
            # "more civilians ... than fighters ... — 381": the figure after "than" counts its noun.
            for k in range(than + 1, left):
                found = self.lexicon_at(k, "comparison")
                if found is not None:
                    return found
        elif any(lows[k] == "than" for k in range(last, end)):
            # "more Syrian civilians have been killed, some 403, than ...": the compared noun.
            comparative = next(
                (k for k in range(left - 1, first - 1, -1) if lows[k] in ("more", "fewer", "less")), None
            )
            if comparative is not None:
                for k in range(comparative + 1, min(comparative + 5, left)):
                    found = self.lexicon_at(k, "comparison")
                    if found is not None:
                        return found
        for k in range(left - 1, max(first, left - 12) - 1, -1):
            found = self.lexicon_at(k, "before")
            if found is not None and self.ends[k] <= self.starts[left]:
                return found
        return None

    # --- spaCy -----------------------------------------------------------------------------------

    def figure_token(self, fig: _Figure, second: _Figure | None) -> Any:
        """The root spaCy token of the figure, or None when spaCy's tokens do not line up with it."""
        start, end = self.starts[fig.first], self.ends[(second or fig).last - 1]
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0 or span.start_char != start or span.end_char != end:
            return None  # the figure sits inside a larger token ("groups—381"): use the window
        return span.root

    def entity_type(self, fig: _Figure) -> str:
        try:
            tok = self.figure_token(fig, None)
        except (ValueError, IndexError, AttributeError):
            return ""
        return tok.ent_type_ if tok is not None else ""

    def counted_by_parse(
        self, fig: _Figure, second: _Figure | None, last: int
    ) -> tuple[str, int, int, str, str | None] | None:
        try:
            tok = self.figure_token(fig, second)
        except (ValueError, IndexError, AttributeError):
            return None  # a Doc of some other text: fall back to the lexical window
        if tok is None:
            return None
        while tok.dep_ == "quantmod" and tok.head.i != tok.i:
            tok = tok.head
        noun = None
        # "several warehouses" parses "several" as an adjective, "some" as a determiner.
        modifier_deps = ("nummod", "amod", "det") if fig.kind == "vague" else ("nummod",)
        if tok.dep_ in modifier_deps and tok.head.pos_ in ("NOUN", "PROPN"):
            noun = tok.head
        if noun is None:
            noun = _of_object(tok)
        if noun is not None and noun.idx < self.ends[last - 1]:
            noun = None  # attached backwards ("the soldiers, 20"): leave it to the window
        if noun is None and tok.dep_ in ("npadvmod", "appos", "pobj", "attr", "dobj"):
            # "killed in these strikes, some 403", "had been doubled to 69": the verb's subject,
            # but only when it is a thing we know is counted.
            noun = self.subject_counted(tok)
            if noun is None:
                return None
            hit = self.lexicon_span(noun.idx, noun.idx + len(noun.text))
            return (hit[0], noun.idx, noun.idx + len(noun.text), "parse", hit[1]) if hit else None
        if noun is None or noun.pos_ != "NOUN" or noun.lower_ in self.lex.time_units:
            return None
        end = noun.idx + len(noun.text)
        prev = noun.doc[noun.i - 1] if noun.i > 0 else None
        if prev is not None and prev.dep_ == "compound" and prev.head.i == noun.i and prev.pos_ == "NOUN":
            hit = self.lexicon_span(prev.idx, end)  # "fuel trucks", "oil facilities"
            if hit:
                return hit[0], prev.idx, end, "parse", hit[1]
        hit = self.lexicon_span(noun.idx, end)
        if hit:
            return hit[0], noun.idx, end, "parse", hit[1]
        start = (
            prev.idx if prev is not None and prev.dep_ == "compound" and prev.head.i == noun.i else noun.idx
        )
        return self.text[start:end].lower(), start, end, "parse", None

    def lexicon_span(self, start: int, end: int) -> tuple[str, str] | None:
        """(canonical, category) when the text from start to end is exactly a lexicon entry."""
        i = bisect_left(self.starts, start)
        k = bisect_left(self.starts, end)
        if i >= self.n or self.starts[i] != start:
            return None
        hit = self.lex.counted.match_at(self.lows, i)
        if hit is None or hit[1] != k - i:
            return None
        return hit[0]

    def subject_counted(self, tok: Any) -> Any:
        """For "had been doubled to 69" or "killed ..., some 403": the subject the verb is about."""
        head = tok.head
        if head.pos_ == "ADP":
            head = head.head
        if tok.dep_ == "appos" and head.pos_ == "NOUN":
            return head if self.in_lexicon(head) else None
        if head.pos_ not in ("VERB", "AUX"):
            return None
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.lower_ in self.lex.total_nouns:
                    return _of_object(child)
                return child if self.in_lexicon(child) else None
        return None

    def in_lexicon(self, tok: Any) -> bool:
        return self.lexicon_span(tok.idx, tok.idx + len(tok.text)) is not None


def _of_object(tok: Any) -> Any:
    """The noun in "<tok> of (the) <noun>": "dozens of civilians", "three of the soldiers"."""
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.pos_ in ("NOUN", "PROPN"):
                    return grand
    return None


def _join(tokens: list[str]) -> str:
    # Tokens are joined with spaces; put the dot of "approx." back where it belongs.
    return " ".join(tokens).replace(" .", ".")


def _apply_marker(
    kind: str | None, value: float | None
) -> tuple[float | None, float | None, bool, bool, bool]:
    """(low, high, low_inclusive, high_inclusive, approx) for a stated figure and its marker."""
    if kind == "lower_exclusive":
        return value, None, False, True, False
    if kind == "lower_inclusive":
        return value, None, True, True, False
    if kind == "upper_exclusive":
        return None, value, True, False, False
    if kind == "upper_inclusive":
        return None, value, True, True, False
    if kind == "approx_below":
        return None, value, True, False, True
    if kind == "approx_above":
        return value, None, False, True, True
    return value, value, True, True, kind == "approx"


def find_quantities(text: str, *, spacy_doc: Any = None) -> list[Quantity]:
    """Every stated amount in ``text``, in reading order, as stand-off :class:`Quantity` spans.

    ``spacy_doc`` (a spaCy ``Doc`` of the same text) lets the parse decide which noun a number counts;
    without it a lexical window does. Never raises on odd text: what cannot be read is skipped and
    the reason logged at debug level.
    """
    if not text:
        return []
    lex = load_lexicon()
    scan = _Scanner(text, lex, spacy_doc)
    found: list[Quantity] = []
    i = 0
    while i < scan.n:
        if scan.kinds[i] == "p" or (scan.kinds[i] == "w" and scan.lows[i] not in lex.candidates):
            i += 1
            continue
        try:
            q, nxt = scan.read_quantity(i)
        except _Skip as skip:
            _log.debug("quantities: skipped %r at %d: %s", scan.orig(i), scan.starts[i], skip)
            nxt = i + 1
            q = None
        except (ValueError, ArithmeticError, IndexError) as exc:  # defensive: one odd spot, not the doc
            _log.debug("quantities: could not read %r at %d: %s", scan.orig(i), scan.starts[i], exc)
            nxt, q = i + 1, None
        if q is not None:
            found.append(q)
        i = max(nxt, i + 1)
    return found
