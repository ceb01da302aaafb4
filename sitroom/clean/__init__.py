"""Cleaning: turn a reader's RawDocument into a Document with clean text and metadata.

Steps, in order: normalise the text (normalize.py); read date lines at the top (dates.py); find
boilerplate lines (boilerplate.py, patterns in data/boilerplate.yaml); read the header for title,
byline and caption (metadata.py); drop every recognised line, recording it in ``Document.removed``;
then read the dateline, the outlet, the publication date and the language from what is left.

Decisions worth knowing:
- The title line is removed from the text and kept in ``Document.title`` (reason "title"); a deck or
  subtitle under it stays, it is written prose the analyst may want to annotate.
- Date lines, bylines and bare caption/tag lines in the header are removed (reasons "date", "byline",
  "caption"); the dateline ("Jerusalem—…") is body and stays.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from sitroom.clean.boilerplate import LineMatch, find_boilerplate, load_rules
from sitroom.clean.dates import (
    check_plausible,
    infer_from_content,
    parse_date_line,
    parse_date_value,
    resolve_dateline_day,
)
from sitroom.clean.language import detect_language
from sitroom.clean.metadata import (
    find_dateline,
    find_outlet_for_url,
    is_body_paragraph,
    is_caption,
    is_headline_like,
    parse_byline,
    split_name_role,
    tidy_author,
)
from sitroom.clean.normalize import normalize_for_hash, normalize_text
from sitroom.config import IngestOptions
from sitroom.errors import InputError
from sitroom.model import Document, Published, RawDocument, RemovedLine

__all__ = ["CLEANER_VERSION", "clean_document", "normalize_for_hash", "normalize_text"]

# v5: a site's comment policy at the foot of the page ("Comments that contain spam … may be removed").
# v4: a reader poll ("% of readers think this story is Fact. Add your two cents.") and an advertised
# headline above the story ("Headline: … Stocks Are Next!") are boilerplate.
# v3: a dateline may name an outlet the agency list does not know; a sentence glued to a full stop gets its
# space; a date printed after a byline is no part of the author; an opinion page's footer is boilerplate.
# v2: a reader's author without a biography after it and title-cased when set in capitals (tidy_author);
# a stated date is doubted only against a date printed with its day and year (dates.check_plausible)
CLEANER_VERSION = "clean.v5"
_DEFAULT_OPTIONS = IngestOptions()


def clean_document(
    raw: RawDocument, *, options: IngestOptions = _DEFAULT_OPTIONS, now: datetime | None = None
) -> Document:
    """Clean one raw document; raise ``InputError`` E030 when no text is left to analyse."""
    now = now or datetime.now(UTC)
    text = raw.text if raw.text is not None else raw.raw.decode("utf-8", errors="replace")
    lines = normalize_text(text).split("\n")

    header = find_header(lines)
    reasons: dict[int, LineMatch] = {}
    stated: tuple[str, str] | None = None
    for i in header:
        if parsed := parse_date_line(lines[i]):
            reasons[i] = LineMatch(i, "date")
            stated = stated or parsed
    reasons.update(find_boilerplate(lines, skip=frozenset(reasons)))
    fields = read_header(lines, header, reasons, title=raw.title, find_title=raw.format == "text")
    read_bylines_anywhere(lines, reasons, fields)

    kept = [line for i, line in enumerate(lines) if i not in reasons]
    body = "\n".join(kept).strip("\n")
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    if not any(c.isalpha() for c in body):
        raise InputError(
            "E030",
            f"{raw.where}: no text left after cleaning ({len(reasons)} line(s) removed as title, "
            "metadata or boilerplate). Skipped; check the input holds an article.",
        )

    author, role = pick_author(fields, raw.author)
    source, source_basis = pick_source(raw, fields)
    first_paragraph = body.split("\n", 1)[0]
    dateline = find_dateline(first_paragraph)
    published = pick_published(raw, body, stated=stated, dateline=dateline, today=now.date())
    return Document(
        id=raw.id,
        text=body,
        origin=raw.origin,
        format=raw.format,
        locator=raw.locator,
        title=raw.title or fields.get("title"),
        url=raw.url,
        author=author,
        author_role=role,
        source=source,
        source_basis=source_basis,
        dateline=dateline[0] if dateline else None,
        language=raw.language or detect_language(body, sample_chars=options.language_sample_chars),
        published=published,
        removed=[RemovedLine(text=lines[i], reason=m.reason) for i, m in sorted(reasons.items())],
        text_hash=hashlib.sha256(normalize_for_hash(body).encode("utf-8")).hexdigest(),
        ingested_at=now.isoformat(timespec="seconds"),
        cleaner=CLEANER_VERSION,
        extra=dict(raw.extra),
    )


def find_header(lines: list[str]) -> list[int]:
    """Indices of the non-blank lines before the first body paragraph (at most ``head_lines``)."""
    out: list[int] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if is_body_paragraph(line) or len(out) >= load_rules().head_lines:
            break
        out.append(i)
    return out


def read_header(
    lines: list[str],
    header: list[int],
    reasons: dict[int, LineMatch],
    *,
    title: str | None,
    find_title: bool,
) -> dict[str, str]:
    """Claim the title, byline and caption lines of the header; return what they say.

    A title is looked for in the text only for plain-text files (``find_title``), whose first line is
    normally the headline; in a CSV/JSON record or extracted HTML the text field is the body, and a
    short first line there is a standfirst, not a title. A line repeating the reader's title goes.
    """
    fields: dict[str, str] = {}
    title_key = normalize_for_hash(title) if title else None
    title_line: int | None = None
    looked = False  # the first candidate line has been judged: a title is never further down
    for i in header:
        line = lines[i]
        if i in reasons:
            continue
        if title_line is None and title_key is not None and normalize_for_hash(line) == title_key:
            reasons[i], title_line = LineMatch(i, "title"), i
        elif byline := parse_byline(line):
            reasons[i] = LineMatch(
                i, "byline", {"author": byline[0], **({"role": byline[1]} if byline[1] else {})}
            )
        elif find_title and not looked and title_key is None and is_headline_like(line):
            # before the name+role test: "Jane Doe Named Chief Editor" on top is a headline
            reasons[i], title_line = LineMatch(i, "title"), i
            fields["title"] = line
        elif byline := split_name_role(line):
            reasons[i] = LineMatch(i, "byline", {"author": byline[0], "role": byline[1]})
        elif title_line is not None and is_caption(line):
            # a bare name or tag between the headline and the story is a caption, never an author
            reasons[i] = LineMatch(i, "caption")
        looked = True
    if title_line is not None and all(j in reasons for j, line in enumerate(lines) if line):
        # a text that is nothing but a headline keeps it as its text
        del reasons[title_line]
        fields.pop("title", None)
    for m in sorted(reasons.values(), key=lambda m: m.index):
        for key in ("author", "role", "outlet"):
            if key in m.groups:
                fields.setdefault(f"{key}:{m.reason}", m.groups[key])
    return fields


def read_bylines_anywhere(lines: list[str], reasons: dict[int, LineMatch], fields: dict[str, str]) -> None:
    """ "Author: Jason Ditz" or "By Jane Doe" on a line of its own, wherever it sits (often the foot)."""
    for i, line in enumerate(lines):
        if line and i not in reasons and (byline := parse_byline(line)):
            reasons[i] = LineMatch(i, "byline")
            fields.setdefault("author:byline", byline[0])
            if byline[1]:
                fields.setdefault("role:byline", byline[1])


def pick_author(fields: dict[str, str], given: str | None) -> tuple[str | None, str | None]:
    """The reader's author, else the byline, else the subject of an author bio; role to match."""
    author = tidy_author(given) or fields.get("author:byline") or fields.get("author:author-bio")
    role = fields.get("role:byline")
    if role is None and author and fields.get("author:author-bio") == author:
        role = fields.get("role:author-bio")
    return author, role


def pick_source(raw: RawDocument, fields: dict[str, str]) -> tuple[str | None, str | None]:
    """Outlet by strength of evidence: reader field, URL domain, masthead logo, signature lines."""
    if raw.source:
        return raw.source, "field"
    if raw.url and (outlet := find_outlet_for_url(raw.url)):
        return outlet, "url-domain"
    if outlet := fields.get("outlet:logo"):
        return outlet, "masthead"
    for reason in ("licensing", "masthead", "author-bio"):
        if outlet := fields.get(f"outlet:{reason}"):
            return outlet, "signature"
    return None, None


def pick_published(
    raw: RawDocument,
    body: str,
    *,
    stated: tuple[str, str] | None,
    dateline: tuple[str, tuple[int, int, int | None] | None] | None,
    today: date,
) -> Published:
    """The publication date with its basis, checked against the events the text mentions."""
    if stated:
        found = Published(
            value=stated[0], precision=stated[1], basis="stated", evidence="date line in the header"
        )
        return check_plausible(found, body, now=today)
    if raw.published and (parsed := parse_date_value(raw.published)):
        basis = raw.published_basis or ("html-meta" if raw.format == "html" else "stated")
        found = Published(
            value=parsed[0], precision=parsed[1], basis=basis, evidence=f"reader: {raw.published}"
        )
        return check_plausible(found, body, now=today)
    if dateline and dateline[1]:
        when = resolve_dateline_day(*dateline[1], body, now=today)
        if when is not None:
            return Published(value=when.isoformat(), precision="day", basis="dateline", evidence="dateline")
    return infer_from_content(body, now=today) or Published()
