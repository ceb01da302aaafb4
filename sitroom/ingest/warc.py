"""WARC archives: each response (or resource) record with an HTML or text payload is a document.

Requests, metadata and warcinfo records are bookkeeping and pass without comment. Responses that are
not pages (images, scripts, redirects) are counted and reported once per archive. A malformed record
is a problem at its position, and reading resumes at the next record header.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from sitroom.ingest.html import read_html
from sitroom.ingest.text import read_text
from sitroom.model import Problem, RawDocument

_PAGE_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
}
_RECORD_START = b"WARC/1."


def read_warc(
    data: bytes, *, origin: str, time_limit_s: float | None = None
) -> Iterator[RawDocument | Problem]:
    """Documents from the page records of an (already decompressed) WARC file."""
    skipped: Counter[str] = Counter()
    number = 0
    start = 0
    while start < len(data):
        records = ArchiveIterator(io.BytesIO(data[start:]), check_digests=False)
        resume_at = None
        while True:
            try:
                record = next(records)
                malformed = _check_header(record)
            except StopIteration:
                break
            except Exception as exc:  # warcio raises ArchiveLoadFailed, ValueError … on broken headers
                record, malformed = None, f"{type(exc).__name__}: {exc}"
            number += 1
            if malformed:
                yield Problem(
                    origin=origin,
                    locator=f"record {number}",
                    code="E019",
                    reason=f"malformed WARC record ({malformed}); resuming at the next record",
                )
                # warcio cannot find its footing after a bad header: look for the next record start.
                resume_at = data.find(_RECORD_START, start + max(getattr(records, "offset", 0), 0) + 1)
                break
            try:
                yield from _read_record(
                    record,
                    origin=origin,
                    locator=f"record {number}",
                    skipped=skipped,
                    time_limit_s=time_limit_s,
                )
            except Exception as exc:  # a broken payload (bad chunking, bad gzip) spoils only its record
                yield Problem(
                    origin=origin,
                    locator=f"record {number}",
                    code="E019",
                    reason=f"cannot read WARC payload ({type(exc).__name__}: {exc})",
                )
        if resume_at is None or resume_at < 0:
            break
        start = resume_at
    if skipped:
        kinds = ", ".join(f"{kind} ×{count}" for kind, count in skipped.most_common(5))
        yield Problem(
            origin=origin,
            code="E013",
            reason=f"{sum(skipped.values())} WARC records are not pages and were skipped ({kinds})",
        )


def _check_header(record: ArcWarcRecord) -> str | None:
    """What makes a record's header unusable, or None. warcio yields such records without complaint."""
    if not record.rec_type:
        return "no WARC-Type"
    length = record.rec_headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():
        return f"invalid Content-Length {length!r}"
    return None


def _read_record(
    record: ArcWarcRecord, *, origin: str, locator: str, skipped: Counter[str], time_limit_s: float | None
) -> Iterator[RawDocument | Problem]:
    if record.rec_type not in ("response", "resource"):
        return
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            skipped[f"HTTP {status}"] += 1
            return
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    kind = _PAGE_TYPES.get(mime)
    if kind is None:
        skipped[mime or "no content type"] += 1
        return
    payload = record.content_stream().read()
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    # warcio hands over whatever bytes there are: a record cut short by a truncated download or a full
    # disk would become a shorter "complete" page. Its reader still expects what Content-Length said.
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        yield Problem(
            origin=origin,
            locator=locator,
            code="E026",
            reason=f"WARC record for {url} cut short ({missing:,} bytes of its Content-Length missing: a "
            "truncated file?); not stored",
        )
        return
    warc_date = record.rec_headers.get_header("WARC-Date") or None
    if not payload.strip():
        yield Problem(origin=origin, locator=locator, code="E014", reason=f"empty payload for {url}")
        return
    if kind == "html":
        results = read_html(payload, origin=origin, fmt="warc-html", url=url, time_limit_s=time_limit_s)
    else:
        results = read_text(payload, origin=origin, fmt=f"warc-{kind}", encoding=_charset(content_type))
    for item in results:
        if isinstance(item, Problem):
            yield replace(item, locator=locator)
            continue
        # The crawl date bounds the publication date from above: a fallback, never a statement.
        fallback = {"published": warc_date, "published_basis": "inferred"} if not item.published else {}
        yield replace(
            item,
            locator=locator,
            url=item.url or url,
            extra={**item.extra, "warc_date": warc_date},
            **fallback,
        )


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None
