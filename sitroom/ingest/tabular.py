"""Records in JSON, JSONL and CSV: one document per object or row, fields mapped by name.

A record's raw bytes are its canonical JSON (sorted keys, UTF-8), so the same row re-read from any
file, in any column order, gets the same document id. One bad line or row is a problem for that line
or row only.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sitroom.ingest.fields import check_field_map, map_fields
from sitroom.ingest.html import convert_fragment, looks_like_html
from sitroom.ingest.sniff import first_line
from sitroom.model import Problem, RawDocument

# Containers that wrap a list of articles in an envelope: NewsAPI ("articles"), most REST APIs
# ("items", "data", "results"), and our own exports ("documents", "records").
_LIST_KEYS = ("articles", "items", "data", "results", "documents", "records", "entries", "posts")
# Unmapped scalar fields are kept in ``extra["fields"]`` (labels such as FakeNewsCorpus's "type" are
# useful later); long values are left out so a record's extras never dwarf its text.
_MAX_EXTRA_CHARS = 1000
_CSV_DELIMITERS = ",\t;|"
_TOO_DEEP = "JSON nested too deeply to read (over Python's recursion limit)"


def _raise_csv_field_limit() -> None:
    # Scraped article bodies exceed csv's 128 KiB default; the size cap bounds a file anyway.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32 bits on some platforms
            limit //= 2


_raise_csv_field_limit()


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """The bytes a record is identified by: its JSON with sorted keys, UTF-8."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def read_json(text: str, *, origin: str, field_map: Mapping[str, str]) -> Iterator[RawDocument | Problem]:
    """Documents from a JSON array of records, one record, or an envelope holding a list of them."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(origin=origin, code="E012", reason=f"not valid JSON (line {exc.lineno}: {exc.msg})")
        return
    except RecursionError:  # "[[[[…" thousands deep: hostile or broken, never a record
        yield Problem(origin=origin, code="E012", reason=_TOO_DEEP)
        return
    if isinstance(value, dict):
        records = next((value[k] for k in _LIST_KEYS if isinstance(value.get(k), list)), None)
        if records is None:
            yield from _read_records([(None, value)], origin=origin, fmt="json", field_map=field_map)
            return
        value = records
    if not isinstance(value, list):
        yield Problem(origin=origin, code="E017", reason=f"JSON {type(value).__name__} holds no records")
        return
    numbered = ((f"record {n}", record) for n, record in enumerate(value, 1))
    yield from _read_records(numbered, origin=origin, fmt="json", field_map=field_map)


def read_jsonl(text: str, *, origin: str, field_map: Mapping[str, str]) -> Iterator[RawDocument | Problem]:
    """Documents from JSON Lines; a malformed line is a problem at its line number, the rest go on."""
    yield from _read_records(
        _parse_lines(text, origin=origin), origin=origin, fmt="jsonl", field_map=field_map
    )


def _parse_lines(text: str, *, origin: str) -> Iterator[tuple[str, Any] | Problem]:
    # split("\n"), not splitlines(): JSON strings may hold a raw U+2028 or U+0085, which
    # splitlines() would take for line ends.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except RecursionError:
            yield Problem(origin=origin, locator=f"line {number}", code="E019", reason=_TOO_DEEP)
        except json.JSONDecodeError as exc:
            yield Problem(
                origin=origin,
                locator=f"line {number}",
                code="E019",
                reason=f"malformed JSON line (column {exc.colno}: {exc.msg}); other lines ingested",
            )


def read_csv(
    text: str, *, origin: str, field_map: Mapping[str, str], delimiter: str | None = None
) -> Iterator[RawDocument | Problem]:
    """Documents from CSV/TSV with a header row; no text column at all is one problem for the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _sniff_delimiter(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield Problem(origin=origin, code="E012", reason=f"cannot read a CSV header ({exc or 'no rows'})")
        return
    header = [name.lstrip("\ufeff") for name in header]
    mapping = map_fields(header, field_map=field_map)
    if "text" not in mapping:
        wanted = f"the mapped column {field_map['text']!r}" if "text" in field_map else "a text column"
        yield Problem(
            origin=origin,
            code="E017",
            reason=f"no {wanted} among {', '.join(map(repr, header))}; name one with --map text=COLUMN",
        )
        return
    yield from _read_records(
        _parse_rows(reader, header, origin=origin), origin=origin, fmt="csv", field_map=field_map
    )


def _sniff_delimiter(text: str) -> str:
    first = first_line(text)
    return max(_CSV_DELIMITERS, key=first.count)


def _parse_rows(reader: Any, header: list[str], *, origin: str) -> Iterator[tuple[str, Any] | Problem]:
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(
                origin=origin, locator=f"row {number}", code="E019", reason=f"malformed CSV row ({exc})"
            )
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield Problem(
                origin=origin,
                locator=f"row {number}",
                code="E019",
                reason=f"{len(row)} fields but the header has {len(header)} (unquoted delimiter?)",
            )
            continue
        yield f"row {number}", dict(zip(header, row, strict=False))


def _read_records(
    records: Iterable[tuple[str | None, Any] | Problem],
    *,
    origin: str,
    fmt: str,
    field_map: Mapping[str, str],
) -> Iterator[RawDocument | Problem]:
    invalid = check_field_map(field_map)
    if invalid:
        yield Problem(origin=origin, code="E023", reason=invalid)
        return
    for item in records:
        if isinstance(item, Problem):
            yield item
            continue
        locator, record = item
        if not isinstance(record, dict):
            yield Problem(
                origin=origin,
                locator=locator,
                code="E019",
                reason=f"expected a JSON object, found {type(record).__name__}",
            )
            continue
        yield build_record(record, origin=origin, locator=locator, fmt=fmt, field_map=field_map)


def build_record(
    record: Mapping[str, Any], *, origin: str, locator: str | None, fmt: str, field_map: Mapping[str, str]
) -> RawDocument | Problem:
    """A document from one record, or E017 when it has no text field or the text is empty."""
    mapping = map_fields(record.keys(), field_map=field_map)
    values = {field: _as_text(record[column]) for field, column in mapping.items()}
    text = values.get("text")
    if not text:
        reason = (
            f"text field {mapping['text']!r} is empty"
            if "text" in mapping
            else f"no text field among {', '.join(map(repr, list(record)[:20]))}; name one with --map text=FIELD"
        )
        return Problem(origin=origin, locator=locator, code="E017", reason=reason)
    if looks_like_html(text):
        text = convert_fragment(text)
    title = values.get("title")
    if title and looks_like_html(title):
        title = convert_fragment(title)
    published = values.get("published")
    used = set(mapping.values())
    extra_fields = {
        k: v
        for k, v in record.items()
        if k not in used
        and isinstance(v, str | int | float | bool)
        and len(str(v)) <= _MAX_EXTRA_CHARS
        and v != ""
    }
    return RawDocument(
        raw=canonical_bytes(record),
        origin=origin,
        format=fmt,
        locator=locator,
        text=text,
        title=title or None,
        url=values.get("url") or None,
        author=values.get("author") or None,
        published=published or None,
        published_basis="stated" if published else None,
        source=values.get("source") or None,
        extra={"fields": extra_fields} if extra_fields else {},
    )


def _as_text(value: Any) -> str | None:
    """A field value as a string: lists joined ("authors"), objects by their name ("source": {...})."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        parts = [_as_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        for key in ("name", "title", "value", "text", "url", "@value"):
            if isinstance(value.get(key), str):
                return value[key].strip()
        return None
    return str(value)
