"""Web pages: main text and metadata with trafilatura; HTML fragments in fields turned into text.

The extraction settings are the ones that score best on the scrapinghub article-extraction benchmark
(``python -m benchmarks.html_extraction``; figures in docs/ingest.md): precision-leaning, no comments.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import ParserError

from sitroom.ingest.authors import page_authors, pick_page_author
from sitroom.ingest.budget import TimeLimitExceeded, time_limit
from sitroom.ingest.hidden import drop_hidden
from sitroom.ingest.lead import find_lead, restore_lead
from sitroom.ingest.markup import defuse_markup
from sitroom.model import Problem, RawDocument

log = logging.getLogger(__name__)

# favor_precision drops sidebars and "read more" blocks that recall mode keeps; include_comments=False
# keeps reader comments out of the article. On the benchmark: F1 0.953 with trafilatura's defaults,
# 0.960 without comments, 0.964 without comments and precision-leaning (recall mode 0.959; dropping
# tables 0.957; dedup 0.961).
EXTRACTION_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": True,
}

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "table",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "address",
        "aside",
        "main",
        "nav",
        "dl",
    ]
)
_LINE_TAGS = frozenset(["br", "li", "tr", "dt", "dd", "caption"])
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_TAG = re.compile(
    r"</?(p|br|div|span|a|em|strong|b|i|u|ul|ol|li|h[1-6]|img|blockquote|figure|figcaption|table|tr|td|"
    r"iframe|script|style|section|article|pre|hr|sup|sub)(\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\u00a0\u2009\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


def read_html(
    data: bytes,
    *,
    origin: str,
    fmt: str = "html",
    url: str | None = None,
    time_limit_s: float | None = None,
) -> Iterator[RawDocument | Problem]:
    """One document from a web page, or E018 when trafilatura finds no main text in it.

    ``url`` is the page's address when the caller knows it (a fetch, a WARC record); trafilatura uses
    it for metadata, and it wins over the canonical link the page declares. Hostile markup shapes are
    defused first (:mod:`sitroom.ingest.markup`, reported as an E025 warning) and the extraction gets
    ``time_limit_s`` seconds (:mod:`sitroom.ingest.budget`; E025 when it runs out).
    """
    defused = defuse_markup(data)
    if defused.notes:
        yield Problem(
            origin=origin,
            code="E025",
            kind="warning",
            reason=f"hostile markup defused ({'; '.join(defused.notes)}); the page is read without it",
        )
    try:
        with time_limit(time_limit_s):
            result = _extract(defused.data, url=url)
    except TimeLimitExceeded:
        yield Problem(
            origin=origin,
            code="E025",
            reason=f"page extraction took over {time_limit_s:g} s (max_seconds_per_document); skipped",
        )
        return
    except Exception as exc:  # trafilatura raises assorted lxml/ValueError types on hostile markup
        yield Problem(origin=origin, code="E012", reason=f"cannot parse HTML ({type(exc).__name__}: {exc})")
        return
    if isinstance(result, str):
        yield Problem(origin=origin, code="E018", reason=result)
        return
    extra: dict[str, Any] = {}
    if result.description:
        extra["description"] = result.description
    if result.hostname:
        extra["hostname"] = result.hostname
    if defused.notes:
        extra["markup_defused"] = list(defused.notes)
    yield RawDocument(
        raw=data,
        origin=origin,
        format=fmt,
        text=result.text,
        title=result.title or None,
        url=url or result.url or None,
        author=result.author or None,
        published=result.published,
        published_basis="html-meta" if result.published else None,
        source=_declared_sitename(result.sitename, result.hostname, url or result.url),
        language=result.language or None,
        extra=extra,
    )


@dataclass(frozen=True, slots=True)
class _Extracted:
    text: str
    title: str | None
    url: str | None
    author: str | None
    published: str | None
    sitename: str | None
    hostname: str | None
    description: str | None
    language: str | None


def _extract(data: bytes, *, url: str | None) -> _Extracted | str:
    """trafilatura's main text and metadata, or why there is none (the E018 reason)."""
    # Imported here: trafilatura takes ~0.5 s to import, and many runs never see a web page.
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    # Parsed once here so the lead can be looked for before trafilatura prunes the tree.
    tree = load_html(data)
    if tree is None:
        return "the page could not be parsed as HTML (empty or not markup)"
    drop_hidden(tree)
    lead = find_lead(tree)
    declared = page_authors(_json_ld(tree))
    result = bare_extraction(tree, url=url, **EXTRACTION_OPTIONS)
    text = (result.text or "").strip() if result is not None else ""
    if not text:
        return "no main text found in the page (navigation, login wall or script-only page?)"
    text, _ = restore_lead(text, lead)
    return _Extracted(
        text=text,
        title=result.title or None,
        url=result.url or None,
        author=pick_page_author(result.author or None, declared),
        published=result.date or _find_date(data),
        sitename=result.sitename or None,
        hostname=result.hostname or None,
        description=result.description or None,
        language=result.language or None,
    )


def _declared_sitename(sitename: str | None, hostname: str | None, url: str | None) -> str | None:
    """The site name the page declares; None when trafilatura only fell back to the host name, so
    the cleaner can name the outlet from its own domain table or a feed can give its title."""
    if not sitename:
        return None
    hosts = {h.lower().removeprefix("www.") for h in (hostname, urlsplit(url).netloc if url else None) if h}
    return None if sitename.lower().removeprefix("www.") in hosts else sitename


def _json_ld(tree: Any) -> list[str]:
    """The text of the page's JSON-LD blocks (read before trafilatura prunes the tree)."""
    return [
        element.text
        for element in tree.iter("script")
        if (element.get("type") or "").strip().lower() == "application/ld+json" and element.text
    ]


def _find_date(data: bytes) -> str | None:
    """htmldate's widest search, for pages where trafilatura's original-date search found nothing."""
    from htmldate import find_date

    try:
        return find_date(data, extensive_search=True, original_date=False)
    except Exception as exc:  # htmldate is best effort; a bad page must not stop the batch
        log.debug("htmldate failed: %s", exc)
        return None


def looks_like_html(text: str) -> bool:
    """Whether a field value carries markup (``<p>``, ``<br/>`` …) that should become plain text."""
    return _TAG.search(text) is not None


def convert_fragment(markup: str) -> str:
    """Plain text from an HTML fragment: paragraphs become blank lines, scripts and styles go."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ParserError, ValueError):
        return markup.strip()
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "")
        elif tag in _LINE_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
