"""Which column or key of a tabular record holds the title, the text, the date …

Automatic mapping matches common names case-insensitively and ignoring ``_``/``-``/spaces
(``publish_date`` = ``publishDate`` = ``Publish Date``); an explicit ``--map field=column`` wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sitroom.errors import InputError

# Names seen in the wild, most specific first: the first one present in a record wins. Sources:
# schema.org NewsArticle, NewsAPI, news-please, GDELT/MediaCloud exports, the FakeNewsCorpus CSV.
# "description" and "summary" come last for text because they hold teasers when a body is present.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "hed"),
    "text": (
        "text",
        "content",
        "body",
        "articlebody",
        "article",
        "maintext",
        "fulltext",
        "articletext",
        "bodytext",
        "description",
    ),
    "url": ("url", "link", "uri", "sourceurl"),
    "published": (
        "published",
        "date",
        "publishdate",
        "pubdate",
        "publishedat",
        "datepublished",
        "datepublish",
        "publicationdate",
        "createdat",
    ),
    "source": ("source", "domain", "outlet", "site", "publisher", "sitename", "sourcedomain"),
    "author": ("author", "authors", "byline", "creator"),
}
FIELDS = tuple(FIELD_ALIASES)

_KNOWN = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_name(name: str) -> str:
    """``Publish_Date`` → ``publishdate``: the form aliases are compared in."""
    return _NON_ALNUM.sub("", name.lower())


def is_known_column(name: str) -> bool:
    """Whether a column name is one of the aliases (used to tell a CSV header from prose)."""
    return normalize_name(name) in _KNOWN


def map_fields(columns: Iterable[str], *, field_map: Mapping[str, str]) -> dict[str, str]:
    """For each sitroom field, the column that holds it among ``columns`` (absent fields left out).

    An explicit mapping is taken as given when the column exists (exact name first, then
    case-insensitively); otherwise aliases are tried in order.
    """
    columns = [c for c in columns if isinstance(c, str)]
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalize_name(column), column)
    by_lower = {c.lower(): c for c in columns}
    mapping: dict[str, str] = {}
    for field in FIELDS:
        wanted = field_map.get(field)
        if wanted is not None:
            column = wanted if wanted in columns else by_lower.get(wanted.lower())
            if column is not None:
                mapping[field] = column
            continue
        for alias in FIELD_ALIASES[field]:
            if alias in by_norm:
                mapping[field] = by_norm[alias]
                break
    return mapping


def check_field_map(field_map: Mapping[str, str]) -> str | None:
    """What is wrong with an explicit mapping, or None when every key is a sitroom field."""
    unknown = sorted(set(field_map) - set(FIELDS))
    if unknown:
        return (
            f"unknown field {', '.join(map(repr, unknown))} in the field map; use one of {', '.join(FIELDS)}"
        )
    return None


def parse_field_map(items: Iterable[str]) -> dict[str, str]:
    """Parse ``--map`` options (``text=body``, ``title=hed``) into a field map.

    Raises :class:`InputError` (E023) for an item without ``=``, an unknown field or an empty column.
    """
    field_map: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not column:
            raise InputError("E023", f"--map {item!r}: write FIELD=COLUMN, e.g. --map text=body")
        if field not in FIELDS:
            raise InputError(
                "E023", f"--map {item!r}: unknown field {field!r}; use one of {', '.join(FIELDS)}"
            )
        field_map[field] = column
    return field_map
