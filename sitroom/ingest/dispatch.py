"""From bytes to documents: size cap, gzip, format sniffing, and the reader for that format.

Every reader is reached through :func:`read_bytes`, whether the bytes came from a file, stdin, a URL or
a feed entry, so a format behaves the same wherever it comes from.
"""

from __future__ import annotations

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
from sitroom.ingest.text import DecodeError, decode_text, read_text
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
    """
    options = options or DEFAULT_OPTIONS
    if len(data) > options.max_bytes:
        yield _too_large(origin, len(data), options)
        return
    if data.startswith(GZIP_MAGIC):
        unpacked = _gunzip(data, origin=origin, options=options)
        if isinstance(unpacked, Problem):
            yield unpacked
            return
        data, name = unpacked, strip_gz_suffix(name)
    if options.format is not None and options.format not in FORMATS:
        yield Problem(
            origin=origin,
            code="E013",
            reason=f"unknown format {options.format!r}; use one of {', '.join(FORMATS)}",
        )
        return
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
    yield from _read_format(
        options.format or fmt, data, origin=origin, options=options, name=name, url=url, encoding=encoding
    )


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
        yield from read_html(data, origin=origin, url=url)
    elif fmt == "warc":
        yield from read_warc(data, origin=origin)
    elif fmt == "feed":
        if options.fetch_feed_items:
            yield from read_feed_items(data, origin=origin, options=options)
        else:
            yield from read_feed(data, origin=origin)
    else:
        try:
            text = decode_text(data, encoding=encoding)
        except DecodeError as exc:
            yield Problem(origin=origin, code="E011", reason=f"cannot decode as text ({exc})")
            return
        if fmt == "json":
            yield from read_json(text, origin=origin, field_map=options.field_map)
        elif fmt == "jsonl":
            yield from read_jsonl(text, origin=origin, field_map=options.field_map)
        else:
            tab = (name or "").lower().endswith(".tsv")
            yield from read_csv(
                text, origin=origin, field_map=options.field_map, delimiter="\t" if tab else None
            )


def _gunzip(data: bytes, *, origin: str, options: IngestOptions) -> bytes | Problem:
    """Decompress every gzip member (WARC files gzip each record), stopping at the size cap."""
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            # Bounded reads: a 1 MB gzip bomb must not become gigabytes in memory.
            chunk = inflater.decompress(rest, options.max_bytes + 1 - size)
            while True:
                size += len(chunk)
                out.append(chunk)
                if size > options.max_bytes:
                    return _too_large(origin, size, options, note="after decompression")
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, options.max_bytes + 1 - size)
            if not inflater.eof:
                return Problem(origin=origin, code="E016", reason="truncated gzip data (stream ends early)")
            rest = inflater.unused_data.lstrip(b"\x00")  # some writers pad members with NULs
            if rest and not rest.startswith(GZIP_MAGIC):
                return Problem(origin=origin, code="E016", reason="trailing data after the gzip stream")
    except zlib.error as exc:
        return Problem(origin=origin, code="E016", reason=f"corrupt gzip data ({exc})")
    return b"".join(out)


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
