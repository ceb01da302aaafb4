"""Settings with their defaults.

Everything that changes behaviour is a keyword-only field here, so the CLI, the Python API and tests
set the same knobs the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_DB_NAME = "sitroom.db"
# The per-document pipeline, in order (sitroom/pipeline.py checks each component's requirements).
DEFAULT_PIPELINE = ("spacy", "entities", "places", "time", "quantities", "claims", "events")
RAW_DIR_NAME = "raw"


@dataclass(frozen=True, kw_only=True)
class IngestOptions:
    """How readers and the cleaner treat input."""

    # A single file, record or download larger than this is skipped (E015): a 50 MB "article" is
    # almost always a dump or a binary, and reading it would stall the batch.
    max_bytes: int = 50_000_000
    # Per-document limits (E025): a document whose text is longer than this is skipped (a 45 MB
    # one-line "article" took 100 s and 1.9 GB to clean, deduplicate and index; at the 2M-character
    # limit, ~400 pages and far beyond any news text, it is ~8 s and ~550 MB; a refusal costs <1 s), and a web page whose extraction takes longer than this many seconds is
    # abandoned (hostile markup once held the batch for minutes). How the time limit is enforced:
    # sitroom/ingest/budget.py. 0 or None turns either off.
    max_text_chars: int = 2_000_000
    max_seconds_per_document: float | None = 20.0
    # Explicit field mapping for JSON/JSONL/CSV, e.g. {"text": "body_html", "title": "hed"}.
    field_map: dict[str, str] = field(default_factory=dict)
    # Force a format instead of sniffing ("text", "html", "json", "jsonl", "csv", "warc", "feed").
    format: str | None = None
    # Network settings for URLs and feeds.
    url_timeout: float = 20.0
    url_max_redirects: int = 5
    fetch_feed_items: bool = False
    user_agent: str = "sitroom/0.1 (+https://github.com/sitroom)"
    # Near-duplicate detection: Jaccard similarity of word 5-shingles above which a document is a
    # syndicated copy of an earlier one. 0.8 keeps re-edited wire copies together and keeps apart
    # distinct articles on the same event: on the 1,683 FNC-1 bodies it links 35 near pairs (0.86-0.94),
    # and every pair we read was one story re-edited (a dropped dateline, a moved lead paragraph).
    near_duplicate_threshold: float = 0.8
    minhash_permutations: int = 128
    # Only the first characters feed language identification: one news paragraph is plenty for
    # py3langid, and more adds time, not accuracy.
    language_sample_chars: int = 600

# TIMEX granularities fine enough to place a document on the timeline: a bare year still counts,
# "the 90s" does not.
TIMELINE_GRANULARITIES = frozenset(
    {"day", "week", "weekend", "month", "quarter", "season", "year", "time", "second", "minute"}
)
