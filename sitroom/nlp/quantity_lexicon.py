"""The word lists behind sitroom.nlp.quantities, read from ``data/quantities.yaml`` into phrase tables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sitroom import yamlfile
from sitroom.nlp.numbers import NumberWords

# Digits (with thousands separators or a decimal point, and any letters glued on: "810th", "$1.5m",
# "1e400"), words (apostrophes inside: "Syria's"), or one other character.
TOKEN = re.compile(r"(\d+(?:[.,]\d+)*)([^\W\d_]+)?|[^\W\d_]+(?:['’][^\W\d_]+)*|\S")


def tokenize_phrase(phrase: str) -> tuple[str, ...]:
    """Split a lexicon phrase the way text is split, lower-cased, so both compare token by token."""
    return tuple(m.group(0).lower() for m in TOKEN.finditer(phrase))


def _singular(word: str) -> str | None:
    # Enough English for a lexicon of plural nouns; irregular forms are listed in the YAML.
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


class PhraseTable:
    """Phrases (token tuples) indexed by their first and last token for matching either way."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self.by_last: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, payload in items:
            toks = tokenize_phrase(phrase)
            if not toks:
                continue
            self.by_first.setdefault(toks[0], []).append((toks, payload))
            self.by_last.setdefault(toks[-1], []).append((toks, payload))
        for table in (self.by_first, self.by_last):
            for entries in table.values():
                entries.sort(key=lambda e: -len(e[0]))  # longest first: "fuel trucks" before "trucks"

    def match_at(self, lows: list[str], i: int) -> tuple[Any, int] | None:
        """The longest phrase starting at token ``i``: its payload and length."""
        for toks, payload in self.by_first.get(lows[i], ()) if i < len(lows) else ():
            if tuple(lows[i : i + len(toks)]) == toks:
                return payload, len(toks)
        return None

    def match_before(self, lows: list[str], end: int) -> tuple[Any, int] | None:
        """The longest phrase ending just before token ``end``: its payload and length."""
        for toks, payload in self.by_last.get(lows[end - 1], ()) if end > 0 else ():
            start = end - len(toks)
            if start >= 0 and tuple(lows[start:end]) == toks:
                return payload, len(toks)
        return None


@dataclass(frozen=True, slots=True)
class VagueAmount:
    marker: str
    low: float
    high: float | None
    needs_counted: bool


@dataclass(slots=True)
class QuantityLexicon:
    words: NumberWords
    scale_abbreviations: dict[str, float]
    currency_only_abbreviations: frozenset[str]
    denominators: dict[str, int]
    bare_fractions: frozenset[str]
    prefix_markers: PhraseTable
    postfix_markers: PhraseTable
    vague: PhraseTable
    change_words: frozenset[str]
    units: PhraseTable
    currency_symbols: PhraseTable
    currency_codes: frozenset[str]
    currency_words: PhraseTable
    time_units: frozenset[str]
    clock_words: PhraseTable
    months: frozenset[str]
    name_prefixes: frozenset[str]
    id_prefixes: PhraseTable
    id_min_digits: int
    max_magnitude: float
    year_low: int
    year_high: int
    counted: PhraseTable
    casualty_cues: frozenset[str]
    total_nouns: frozenset[str]
    window_stopwords: frozenset[str]
    partitive_determiners: frozenset[str]
    year_prepositions: frozenset[str]
    candidates: frozenset[str] = frozenset()
    fraction_blockers: frozenset[str] = field(
        # "the first half of 2015" is a time, "the remaining half" an anaphor.
        default=frozenset({"first", "second", "latter", "former", "other", "remaining", "top", "bottom"})
    )


def _lower_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _build_lexicon(data: Mapping[str, Any]) -> QuantityLexicon:
    nw = data["number_words"]
    words = NumberWords(
        units={k: float(v) for k, v in nw["units"].items()},
        tens={k: float(v) for k, v in nw["tens"].items()},
        scales={k: float(v) for k, v in nw["scales"].items()},
        articles=_lower_set(nw["articles"]),
    )
    vague = []
    for phrase, spec in data["vague"].items():
        high = spec.get("high")
        vague.append(
            (
                phrase,
                VagueAmount(
                    marker=spec.get("marker", phrase),
                    low=float(spec["low"]),
                    high=None if high is None else float(high),
                    needs_counted=bool(spec.get("needs_counted", False)),
                ),
            )
        )
    units = [
        (form, (unit, spec["category"])) for unit, spec in data["units"].items() for form in spec["forms"]
    ]
    counted: list[tuple[str, tuple[str, str]]] = []
    for category, entries in data["counted"].items():
        for entry in entries:
            canonical, others = next(iter(entry.items())) if isinstance(entry, dict) else (entry, [])
            for form in [canonical, *others]:
                counted.append((form, (canonical, category)))
                head, _, last = form.rpartition(" ")
                singular = _singular(last)
                if singular:
                    counted.append(((head + " " + singular).strip(), (canonical, category)))
    cur = data["currencies"]
    fractions = data["fractions"]
    year_low, year_high = data["year_range"]
    lex = QuantityLexicon(
        words=words,
        scale_abbreviations={k.lower(): float(v) for k, v in data["scale_abbreviations"].items()},
        currency_only_abbreviations=_lower_set(data["currency_only_abbreviations"]),
        denominators={k: int(v) for k, v in fractions["denominators"].items()},
        bare_fractions=_lower_set(fractions["bare"]),
        prefix_markers=PhraseTable(data["prefix_markers"].items()),
        postfix_markers=PhraseTable(data["postfix_markers"].items()),
        vague=PhraseTable(vague),
        change_words=_lower_set(data["change_words"]),
        units=PhraseTable(units),
        currency_symbols=PhraseTable(cur["symbols"].items()),
        currency_codes=frozenset(cur["codes"]),
        currency_words=PhraseTable(cur["words"].items()),
        time_units=_lower_set(data["time_units"]),
        clock_words=PhraseTable((w, True) for w in data["clock_words"]),
        months=frozenset(data["months"]),
        name_prefixes=frozenset(str(w) for w in data["name_prefixes"]),
        id_prefixes=PhraseTable((w, True) for w in data["id_prefixes"]),
        id_min_digits=int(data["id_min_digits"]),
        max_magnitude=float(data["max_magnitude"]),
        year_low=int(year_low),
        year_high=int(year_high),
        counted=PhraseTable(counted),
        casualty_cues=_lower_set(data["casualty_cues"]),
        total_nouns=_lower_set(data["total_nouns"]),
        window_stopwords=_lower_set(data["window_stopwords"]),
        partitive_determiners=_lower_set(data["partitive_determiners"]),
        year_prepositions=_lower_set(data["year_prepositions"]),
    )
    # Words that can begin a figure; the scanner passes every other word by without a closer look.
    starters = set(words.units) | set(words.tens) | set(words.articles) | set(lex.vague.by_first)
    lex.candidates = frozenset(starters | set(lex.denominators) | set(lex.bare_fractions))
    return lex


@cache
def load_lexicon() -> QuantityLexicon:
    """Read ``data/quantities.yaml`` once per process."""
    text = resources.files("sitroom").joinpath("data/quantities.yaml").read_text(encoding="utf-8")
    return _build_lexicon(yamlfile.safe_load(text))
