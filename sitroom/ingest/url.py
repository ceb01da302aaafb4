"""Fetching one URL with httpx: bounded in time, size, redirects and content type.

Only this module talks to the network. Every failure becomes a :class:`Problem` (E020 unreachable or
HTTP error, E021 content type, E022 timeout, E015 too large) so one dead link never stops a batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from sitroom.config import IngestOptions
from sitroom.model import Problem

# Media types that can hold an article or a list of them. Anything else (PDF, images, archives,
# application/octet-stream) is refused before its body is downloaded.
ACCEPTED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "text/csv",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/json",
        "application/ld+json",
        "application/feed+json",
        "application/x-ndjson",
        "application/jsonl",
    }
)
_CHUNK = 65536


@dataclass(frozen=True, kw_only=True, slots=True)
class Fetched:
    """A downloaded body with what the server said about it."""

    url: str
    final_url: str
    data: bytes
    media_type: str | None
    charset: str | None


def is_url(target: str) -> bool:
    """Whether a target names an http(s) URL rather than a path."""
    return target.lower().startswith(("http://", "https://"))


def fetch_url(url: str, *, options: IngestOptions, client: httpx.Client | None = None) -> Fetched | Problem:
    """Download ``url`` within the limits of ``options``; a Problem says why not."""
    own_client = client is None
    client = client or open_client(options=options)
    try:
        return _fetch(client, url, options=options)
    finally:
        if own_client:
            client.close()


def open_client(*, options: IngestOptions) -> httpx.Client:
    """A client with sitroom's timeouts, redirect limit and user agent, reusable across fetches."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=options.url_max_redirects,
        timeout=httpx.Timeout(options.url_timeout),
        headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )


def _fetch(client: httpx.Client, url: str, *, options: IngestOptions) -> Fetched | Problem:
    # httpx's timeout bounds each network operation; a server trickling bytes could still hold us
    # forever, so the whole download gets the same budget as a deadline.
    deadline = time.monotonic() + options.url_timeout
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                return Problem(
                    origin=url,
                    code="E020",
                    reason=f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                )
            media_type, charset = _parse_content_type(response.headers.get("content-type"))
            if media_type is not None and media_type not in ACCEPTED_TYPES:
                return Problem(
                    origin=url,
                    code="E021",
                    reason=f"content type {media_type!r} is not a page, feed or data file",
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                return _too_large(url, f"{int(declared):,} bytes announced", options)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > options.max_bytes:
                    return _too_large(url, f"more than {options.max_bytes:,} bytes sent", options)
                if time.monotonic() > deadline:
                    return Problem(
                        origin=url, code="E022", reason=f"download took longer than {options.url_timeout:g} s"
                    )
                chunks.append(chunk)
            return Fetched(
                url=url,
                final_url=str(response.url),
                data=b"".join(chunks),
                media_type=media_type,
                charset=charset,
            )
    except httpx.TooManyRedirects:
        return Problem(
            origin=url,
            code="E020",
            reason=f"more than {options.url_max_redirects} redirects (a redirect loop?)",
        )
    except httpx.TimeoutException as exc:
        return Problem(
            origin=url,
            code="E022",
            reason=f"no answer within {options.url_timeout:g} s ({type(exc).__name__})",
        )
    except httpx.InvalidURL as exc:
        return Problem(origin=url, code="E020", reason=f"invalid URL ({exc})")
    except (httpx.HTTPError, httpx.StreamError) as exc:
        return Problem(origin=url, code="E020", reason=f"cannot fetch ({type(exc).__name__}: {exc})")


def _too_large(url: str, detail: str, options: IngestOptions) -> Problem:
    return Problem(
        origin=url, code="E015", reason=f"{detail}, over the {options.max_bytes:,}-byte cap (max_bytes)"
    )


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media_type, *params = (part.strip() for part in value.split(";"))
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip('"') or None
    return media_type.lower() or None, charset
