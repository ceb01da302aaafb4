"""RSS and Atom feeds: one document per entry, from its content or summary.

Feeds often carry only a teaser; ``IngestOptions.fetch_feed_items`` makes the dispatcher fetch each
entry's link instead (see :func:`sitroom.ingest.dispatch.read_feed_items`). This module only parses.
"""

from __future__ import annotations

import calendar
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from sitroom.ingest.html import convert_fragment, looks_like_html
from sitroom.ingest.tabular import canonical_bytes
from sitroom.model import Problem, RawDocument


@dataclass(frozen=True, kw_only=True, slots=True)
class FeedEntry:
    """What a feed says about one item, before any fetching."""

    locator: str
    link: str | None
    title: str | None
    author: str | None
    published: str | None
    markup: str
    record: dict[str, Any]


def parse_feed(data: bytes, *, origin: str) -> tuple[str | None, list[FeedEntry]] | Problem:
    """The feed's title and its entries, or E012 when the bytes are not a readable feed."""
    # A stream, never bytes or str: feedparser treats a str as a URL or path to open.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = f"cannot read as RSS/Atom ({parsed.get('bozo_exception')})"
        else:
            reason = "feed has no entries"
        code = "E012" if parsed.get("bozo") or not parsed.get("version") else "E014"
        return Problem(origin=origin, code=code, reason=reason)
    feed_title = parsed.feed.get("title") or None
    entries = [_entry(entry, number) for number, entry in enumerate(parsed.entries, 1)]
    return feed_title, entries


def _entry(entry: Any, number: int) -> FeedEntry:
    contents = entry.get("content") or []
    markup = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
    published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
    published = published or entry.get("published") or entry.get("updated")
    record = {
        "id": entry.get("id"),
        "link": entry.get("link"),
        "title": entry.get("title"),
        "author": entry.get("author"),
        "published": published,
        "content": markup,
    }
    return FeedEntry(
        locator=f"entry {number}",
        link=entry.get("link") or None,
        title=entry.get("title") or None,
        author=entry.get("author") or None,
        published=published or None,
        markup=markup,
        record={k: v for k, v in record.items() if v},
    )


def _iso(parsed: time.struct_time | None) -> str | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_entry_document(
    entry: FeedEntry, *, origin: str, fmt: str, source: str | None
) -> RawDocument | Problem:
    """A document from an entry's own content, or E017 when it carries only a title."""
    text = convert_fragment(entry.markup) if looks_like_html(entry.markup) else entry.markup.strip()
    if not text:
        return Problem(
            origin=origin,
            locator=entry.locator,
            code="E017",
            reason="entry has no content or summary; fetch the linked pages with fetch_feed_items",
        )
    return RawDocument(
        raw=canonical_bytes(entry.record),
        origin=origin,
        format=fmt,
        locator=entry.locator,
        text=text,
        title=entry.title,
        url=entry.link,
        author=entry.author,
        published=entry.published,
        published_basis="html-meta" if entry.published else None,
        source=source,
    )


def read_feed(data: bytes, *, origin: str, fmt: str = "feed") -> Iterator[RawDocument | Problem]:
    """Documents from the entries of an RSS/Atom feed, without fetching anything."""
    parsed = parse_feed(data, origin=origin)
    if isinstance(parsed, Problem):
        yield parsed
        return
    feed_title, entries = parsed
    for entry in entries:
        yield build_entry_document(entry, origin=origin, fmt=fmt, source=feed_title)
