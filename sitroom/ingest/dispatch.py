"""From bytes to documents: size cap, gzip, format sniffing, and the reader for that format.

Every reader is reached through :func:`read_bytes`, whether the bytes came from a file, stdin, a URL or
a feed entry, so a format behaves the same wherever it comes from.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import httpx

from sitroom.config import IngestOptions
from sitroom.ingest.feed import build_entry_document, parse_feed, read_feed
from sitroom.ingest.html import read_html
from sitroom.ingest.sniff import FORMATS, GZIP_MAGIC, describe_binary, sniff_format, strip_gz_suffix
from sitroom.ingest.tabular import read_csv, read_json, read_jsonl
from sitroom.ingest.text import DecodeError, decode_checked, decode_warning, read_text, utf16_without_bom
from sitroom.ingest.url import fetch_url, open_client
from sitroom.ingest.warc import read_warc
from sitroom.model import Problem, RawDocument

DEFAULT_OPTIONS = IngestOptions()


def read_bytes(
    data: bytes,
    *,
    origin: str,
    options: IngestOptions | None = None,
    name: str | None = None,
    url: str | None = None,
    encoding: str | None = None,
) -> Iterator[RawDocument | Problem]:
    """Sniff ``data`` (or take ``options.format``) and yield what its reader makes of it.

    ``origin`` names the input in documents and problems; ``name`` (a file name) only breaks sniffing
    ties; ``url`` and ``encoding`` are what a server said about the bytes, when they were fetched.
    Never raises: a reader bug costs the rest of this input (E031), never the batch.
    """
    yield from guard_reader(
        _read_bytes(data, origin=origin, options=options, name=name, url=url, encoding=encoding),
        origin=origin,
    )


def guard_reader(items: Iterator[RawDocument | Problem], *, origin: str) -> Iterator[RawDocument | Problem]:
    """Pass ``items`` through; an exception ends them with an E031 problem instead of escaping.

    Readers are written not to raise, but they parse hostile bytes with third-party code (csv,
    lxml, warcio, feedparser) whose every error type nobody can list; one escaping error used to end
    the whole batch with a traceback and no summary.
    """
    try:
        yield from items
    except Exception as exc:  # see above: the batch must go on
        yield Problem(
            origin=origin,
            code="E031",
            kind="failed",
            reason=f"reading failed: {type(exc).__name__}: {exc}; the rest of this input was skipped",
        )


def _read_bytes(
    data: bytes,
    *,
    origin: str,
    options: IngestOptions | None,
    name: str | None,
    url: str | None,
    encoding: str | None,
) -> Iterator[RawDocument | Problem]:
    options = options or DEFAULT_OPTIONS
    if len(data) > options.max_bytes:
        yield _too_large(origin, len(data), options)
        return
    if data.startswith(GZIP_MAGIC):
        unpacked = _gunzip(data, origin=origin, options=options)
        if isinstance(unpacked, Problem):
            yield unpacked
            return
        (data, cut), name = unpacked, strip_gz_suffix(name)
        if cut is not None:
            # Only WARC members are whole records; the complete members of anything else are a
            # document cut short, which must never be stored as if complete.
            if (options.format or sniff_format(data, name=name)) != "warc":
                yield replace(cut, code="E016", locator=None, reason=f"truncated gzip data ({cut.reason})")
                return
            yield cut
    if options.format is not None and options.format not in FORMATS:
        yield Problem(
            origin=origin,
            code="E013",
            reason=f"unknown format {options.format!r}; use one of {', '.join(FORMATS)}",
        )
        return
    original = data
    if codec16 := utf16_without_bom(data):
        # Windows "Unicode" exports have no BOM; their NULs would read as binary. Read the text as
        # UTF-8 from here on, and keep the bytes as they came for the raw store.
        with contextlib.suppress(UnicodeDecodeError):  # not UTF-16 after all: sniffing decides
            data, encoding = data.decode(codec16).encode("utf-8"), "utf-8"
    fmt = sniff_format(data, name=name)
    if fmt == "empty":
        yield Problem(origin=origin, code="E014", reason="empty input (no bytes, or only whitespace)")
        return
    if fmt == "binary":
        kind = describe_binary(data) or "binary data (NUL bytes)"
        yield Problem(
            origin=origin, code="E013", reason=f"{kind}, not text; convert it to text or HTML first"
        )
        return
    items = _read_format(
        options.format or fmt, data, origin=origin, options=options, name=name, url=url, encoding=encoding
    )
    for item in items:
        if isinstance(item, RawDocument):
            if data is not original and item.raw is data:
                item = replace(item, raw=original)
            if options.max_text_chars and item.text and len(item.text) > options.max_text_chars:
                item = _text_too_long(item, options)
            else:
                item = _without_nul(item)
        yield item


_META_FIELDS = ("title", "url", "author", "published", "source", "language")


def _without_nul(raw: RawDocument) -> RawDocument:
    """The document with NUL characters dropped from its metadata fields.

    A JSON field may carry "\\u0000"; PostgreSQL refuses NUL in text, so one hostile title failed the
    whole insert. The text itself loses control characters in normalisation; ``raw`` stays exact.
    """
    bad = {
        f: v.replace("\x00", "") or None
        for f in _META_FIELDS
        if isinstance(v := getattr(raw, f), str) and "\x00" in v
    }
    return replace(raw, **bad) if bad else raw


def _read_format(
    fmt: str,
    data: bytes,
    *,
    origin: str,
    options: IngestOptions,
    name: str | None,
    url: str | None,
    encoding: str | None,
) -> Iterator[RawDocument | Problem]:
    if fmt in ("text", "markdown"):
        yield from read_text(data, origin=origin, fmt=fmt, encoding=encoding)
    elif fmt == "html":
        yield from read_html(data, origin=origin, url=url, time_limit_s=options.max_seconds_per_document)
    elif fmt == "warc":
        yield from read_warc(data, origin=origin, time_limit_s=options.max_seconds_per_document)
    elif fmt == "feed":
        if options.fetch_feed_items:
            yield from read_feed_items(data, origin=origin, options=options)
        else:
            yield from read_feed(data, origin=origin)
    else:
        try:
            decoded = decode_checked(data, encoding=encoding)
        except DecodeError as exc:
            yield Problem(origin=origin, code="E011", reason=f"cannot decode as text ({exc})")
            return
        if decoded.caveat:
            yield decode_warning(origin, decoded.caveat)
        text = decoded.text
        if fmt == "json":
            yield from read_json(text, origin=origin, field_map=options.field_map)
        elif fmt == "jsonl":
            yield from read_jsonl(text, origin=origin, field_map=options.field_map)
        else:
            tab = (name or "").lower().endswith(".tsv")
            yield from read_csv(
                text, origin=origin, field_map=options.field_map, delimiter="\t" if tab else None
            )


def _gunzip(data: bytes, *, origin: str, options: IngestOptions) -> tuple[bytes, Problem | None] | Problem:
    """Decompress every gzip member (WARC files gzip each record), stopping at the size cap.

    A stream cut short keeps its complete members (a ``.warc.gz`` holds one record per member) with
    an E026 problem for the cut one (the caller keeps them only for WARC); with no complete member at
    all it is E016.
    """
    out: list[bytes] = []
    size = 0
    rest = data
    members = 0
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            member: list[bytes] = []
            # Bounded reads: a 1 MB gzip bomb must not become gigabytes in memory.
            chunk = inflater.decompress(rest, options.max_bytes + 1 - size)
            while True:
                size += len(chunk)
                member.append(chunk)
                if size > options.max_bytes:
                    return _too_large(origin, size, options, note="after decompression")
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, options.max_bytes + 1 - size)
            if not inflater.eof:
                return _cut_gzip(out, members, origin=origin, detail="stream ends early")
            out.extend(member)
            members += 1
            rest = inflater.unused_data.lstrip(b"\x00")  # some writers pad members with NULs
            if rest and not rest.startswith(GZIP_MAGIC):
                return _cut_gzip(out, members, origin=origin, detail="trailing data after the gzip stream")
    except zlib.error as exc:
        return _cut_gzip(out, members, origin=origin, detail=f"corrupt gzip data ({exc})")
    return b"".join(out), None


def _cut_gzip(out: list[bytes], members: int, *, origin: str, detail: str) -> tuple[bytes, Problem] | Problem:
    if not members:
        return Problem(origin=origin, code="E016", reason=f"truncated or corrupt gzip data ({detail})")
    problem = Problem(
        origin=origin,
        locator=f"gzip member {members + 1}",
        code="E026",
        reason=f"{detail}; the {members} complete member(s) before it were read, the rest was not",
    )
    return b"".join(out), problem


def _text_too_long(raw: RawDocument, options: IngestOptions) -> Problem:
    return Problem(
        origin=raw.origin,
        locator=raw.locator,
        code="E025",
        reason=(
            f"text of {len(raw.text or ''):,} characters, over the {options.max_text_chars:,}-character "
            "limit (max_text_chars); split the file or raise the limit"
        ),
    )


def _too_large(origin: str, size: int, options: IngestOptions, *, note: str = "") -> Problem:
    detail = f"{size:,} bytes{' ' + note if note else ''}"
    return Problem(
        origin=origin,
        code="E015",
        reason=f"{detail}, over the {options.max_bytes:,}-byte cap; raise max_bytes to read it",
    )


def read_url(
    url: str, *, options: IngestOptions | None = None, client: httpx.Client | None = None
) -> Iterator[RawDocument | Problem]:
    """Fetch ``url`` and read what comes back (a page, a feed, a data file).

    Documents get ``format`` prefixed with ``url-`` (``url-html``, ``url-feed``) and, when the whole
    body is one document, the address it was finally served from.
    """
    options = options or DEFAULT_OPTIONS
    fetched = fetch_url(url, options=options, client=client)
    if isinstance(fetched, Problem):
        yield fetched
        return
    name = urlsplit(fetched.final_url).path.rsplit("/", 1)[-1] or None
    for item in read_bytes(
        fetched.data, origin=url, options=options, name=name, url=fetched.final_url, encoding=fetched.charset
    ):
        # Pages fetched for feed entries were prefixed by their own fetch already.
        if isinstance(item, RawDocument) and not item.format.startswith("url-"):
            whole = item.locator is None
            item = replace(
                item, format=f"url-{item.format}", url=item.url or (fetched.final_url if whole else None)
            )
        yield item


def read_feed_items(data: bytes, *, origin: str, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    """Fetch the page each feed entry links to; the entry fills in what the page does not say."""
    parsed = parse_feed(data, origin=origin)
    if isinstance(parsed, Problem):
        yield parsed
        return
    feed_title, entries = parsed
    with open_client(options=options) as client:
        for entry in entries:
            if not entry.link:
                yield build_entry_document(entry, origin=origin, fmt="feed", source=feed_title)
                continue
            # A feed that links to feeds would recurse without end; pages only.
            item_options = replace(options, fetch_feed_items=False)
            for item in read_url(entry.link, options=item_options, client=client):
                if isinstance(item, RawDocument):
                    item = replace(
                        item,
                        title=item.title or entry.title,
                        author=item.author or entry.author,
                        published=item.published or entry.published,
                        published_basis=item.published_basis or ("html-meta" if entry.published else None),
                        source=item.source or feed_title,
                        extra={**item.extra, "feed": origin, "feed_entry": entry.locator},
                    )
                yield item
