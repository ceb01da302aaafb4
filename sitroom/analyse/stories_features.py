"""What the story clusterer reads from a document: its settings, words, dates and readable title.

Kept apart from :mod:`sitroom.analyse.stories` so the clusterer holds only the clustering. Nothing here
keeps state between documents; the corpus statistics (document frequencies) live in the clusterer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile
from sitroom.model import Document, Entity, Place


@dataclass(frozen=True, kw_only=True)
class StoryConfig:
    """Thresholds and weights of the clusterer; defaults from ``sitroom/data/stories.yaml``."""

    topic_threshold: float
    topic_merge_threshold: float
    topic_weights: dict[str, float]
    join_threshold: float
    bridge_threshold: float
    merge_threshold: float
    contrast_power: float
    contrast_prior: float
    split_threshold: float
    split_min_size: int
    split_growth: float
    regroup_threshold: float
    regroup_growth: float
    regroup_min_docs: int
    regroup_max_docs: int
    regroup_min_story: int
    regroup_attach_threshold: float
    topic_regroup_weights: dict[str, float]
    topic_regroup_threshold: float
    topic_regroup_growth: float
    topic_regroup_min_docs: int
    topic_regroup_max_stories: int
    weights: dict[str, float]
    time_weight: float
    time_half_life_days: float
    query_terms: int
    query_max_df: float
    max_candidates: int
    min_token_chars: int
    title_max_chars: int
    title_min_words: int
    stopwords: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, **overrides: Any) -> StoryConfig:
        """The packaged settings, with any field replaced by a keyword argument."""
        values = dict(_packaged_settings())
        unknown = set(overrides) - set(values)
        if unknown:
            raise TypeError(f"unknown story setting(s): {', '.join(sorted(unknown))}")
        values.update(overrides)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (stopwords sorted), for the clusterer's state."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["weights"] = dict(self.weights)
        out["topic_weights"] = dict(self.topic_weights)
        out["topic_regroup_weights"] = dict(self.topic_regroup_weights)
        out["stopwords"] = sorted(self.stopwords)
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> StoryConfig:
        values = dict(values)
        values["stopwords"] = frozenset(values.get("stopwords", ()))
        return cls(**values)


@lru_cache(maxsize=1)
def _packaged_settings() -> dict[str, Any]:
    path = resources.files("sitroom") / "data" / "stories.yaml"
    raw: dict[str, Any] = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    raw["stopwords"] = frozenset(str(raw.get("stopwords", "")).lower().split())
    for key in ("weights", "topic_weights", "topic_regroup_weights"):
        raw[key] = {str(k): float(v) for k, v in raw[key].items()}
    return raw


# Words of letters (with inner apostrophes or hyphens) or numbers of two or more digits.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d{2,}")
_URLISH = re.compile(r"\bhttps?\s*:|\bwww\s*\.|\.\s*com\b|\.\s*html?\b|/\s*\w+\s*/")


def tokenize(text: str, *, config: StoryConfig) -> list[str]:
    """Lower-cased content words of ``text``: stopwords and short words out, plurals folded."""
    words = []
    stop = config.stopwords
    for match in _TOKEN.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word.isdigit():
            words.append(word)
            continue
        if len(word) < config.min_token_chars or word in stop:
            continue
        words.append(fold_plural(word))
    return words


def fold_plural(word: str) -> str:
    """A cheap plural fold ("quakes" → "quake", "injuries" → "injury"), enough for overlap counting.

    A full stemmer buys little here: stories are told with the same nouns, and over-stemming joins
    words that keep stories apart ("police" and "policy").
    """
    if len(word) <= 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def unit_vector(counts: Counter[str], *, sublinear: bool = True) -> dict[str, float]:
    """Weights (1 + ln tf, or 1 for sets) scaled to unit length; idf is applied at comparison time."""
    if not counts:
        return {}
    weights = {t: (1.0 + math.log(c)) if sublinear else 1.0 for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()}


def readable_title(title: str | None, text: str, *, config: StoryConfig) -> str:
    """The document's title, else its first sentence that reads like one, cut at a word boundary."""
    candidate = (title or "").strip()
    if not candidate or _URLISH.search(candidate):
        candidate = ""
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            sentence = " ".join(sentence.split())
            if _reads_like_prose(sentence, min_words=config.title_min_words):
                candidate = sentence
                break
        else:  # nothing reads like a headline: the first non-empty line will have to do
            candidate = next((line for line in text.splitlines() if line.strip()), "")
    candidate = " ".join(candidate.split())
    if not candidate:
        return "(untitled)"
    if len(candidate) <= config.title_max_chars:
        return candidate
    cut = candidate[: config.title_max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-") + " …"


def _reads_like_prose(sentence: str, *, min_words: int) -> bool:
    """Not a URL, a dateline or a timestamp: enough words, and most of them words of letters."""
    words = sentence.split()
    if len(words) < min_words or _URLISH.search(sentence):
        return False
    return sum(w[:1].isalpha() for w in words) >= 0.7 * len(words) and not _DATELINE.match(sentence)


_DATELINE = re.compile(
    r"^\W*(?:\d{1,2}\s+)?(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\W+[\w\s,:.]*\d{4}\b[\w\s,:.]*$",
    re.I,
)


def date_span(value: str | None) -> tuple[int, int] | None:
    """An ISO date cut to any precision ("2015-11-23", "2015-11", "2015") as an ordinal-day interval."""
    if not value:
        return None
    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        if day is None:
            last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
            return date(year, month, 1).toordinal(), last
        day_ordinal = date(year, month, day).toordinal()
    except ValueError:
        return None
    return day_ordinal, day_ordinal


def entity_keys(entities: list[Entity]) -> tuple[str, ...]:
    """Cross-document keys for a document's entities: the actor id, else type and lower-cased name."""
    keys = {e.actor_id or f"{e.type.lower()}:{' '.join(e.name.lower().split())}" for e in entities}
    return tuple(sorted(keys))


def place_keys(places: list[Place]) -> tuple[str, ...]:
    """Cross-document keys for resolved places: the GeoNames id, else country/admin1/name."""
    keys = set()
    for place in places:
        if place.geonames_id is not None:
            keys.add(f"geonames:{place.geonames_id}")
        else:
            parts = (place.country_code or "", place.admin1 or "", place.name.lower())
            keys.add("/".join(parts))
    return tuple(sorted(keys))


def published_value(doc: Document) -> str | None:
    """The document's publication date if it is trusted and at least year-precise, else ``None``."""
    published = doc.published
    if not published.trusted or published.precision == "unknown":
        return None
    return published.value
