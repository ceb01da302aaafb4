"""Who wrote a web page, from the structured data (JSON-LD) it declares, beside trafilatura's guess.

trafilatura takes the first author it meets. On a fact check the page's ``ClaimReview`` names the
claim's author too (``itemReviewed.author``): polygraph.info's check of a Russian statement came out as
written by "The Russian and Syrian defense ministries". And a byline block read as text can bring its
author's biography along ("Phil Helsel is a reporter"), where the page's ``NewsArticle`` says "Phil
Helsel". :func:`page_authors` reads the people a page's article objects name as their authors, and
the names it says made the claims it reviews; :func:`pick_page_author` chooses between them and
trafilatura's author.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Objects whose author wrote the page (schema.org types news sites use for an article).
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        "ScholarlyArticle",
        "ClaimReview",
    }
)
_SEPARATOR = "; "  # as trafilatura joins several authors


@dataclass(frozen=True, slots=True)
class PageAuthors:
    """The people a page's article objects name as authors, and those whose claims it reviews."""

    writers: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()


def page_authors(scripts: list[str]) -> PageAuthors:
    """Read the text of a page's ``<script type="application/ld+json">`` elements; a block that is
    not JSON is skipped (pages often carry broken ones)."""
    writers: list[str] = []
    claimants: list[str] = []
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in _objects(data):
            if _types(item) & _ARTICLE_TYPES:
                writers += _people(item.get("author"))
            reviewed = item.get("itemReviewed")
            if isinstance(reviewed, dict):
                claimants += _names(reviewed.get("author"))
    return PageAuthors(tuple(dict.fromkeys(writers)), tuple(dict.fromkeys(claimants)))


def pick_page_author(reader: str | None, declared: PageAuthors) -> str | None:
    """The people the page's article names as its authors; else trafilatura's ``reader`` author,
    unless every name in it is (or opens with) a claimant of the claims the page reviews — the outlet
    then speaks as itself: no author."""
    if declared.writers:
        return _SEPARATOR.join(declared.writers)
    if reader and declared.claimants:
        names = [_key(n) for n in reader.split(";") if n.strip()]
        claimants = {_key(n) for c in declared.claimants for n in c.replace(" and ", ";").split(";")}
        claimants |= {_key(c) for c in declared.claimants}
        if names and all(any(n == c or n.startswith(c + " ") for c in claimants) for n in names):
            return None
    return reader


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    """Top-level objects of a JSON-LD block: the block, a list of them, or an ``@graph``."""
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        graph = item.get("@graph")
        if isinstance(graph, list):
            yield from (g for g in graph if isinstance(g, dict))
        else:
            yield item


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k for k in kinds if isinstance(k, str)}


def _people(author: Any) -> list[str]:
    """Names of the persons in an ``author`` value (organisations are the outlet, not a byline)."""
    entries = author if isinstance(author, list) else [author]
    return [
        name
        for entry in entries
        if isinstance(entry, dict) and "Person" in _types(entry)
        for name in _names(entry)
    ]


def _names(value: Any) -> list[str]:
    entries = value if isinstance(value, list) else [value]
    out = []
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str) and " ".join(name.split()):
            out.append(" ".join(name.split()))
    return out


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


__all__ = ["PageAuthors", "page_authors", "pick_page_author"]
