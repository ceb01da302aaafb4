"""Sniffing: the content decides the format, the file name only breaks ties."""

from __future__ import annotations

import gzip

import pytest

from sitroom.ingest import sniff_format

HTML = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title></channel></rss>'
ATOM = b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>'


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"Plain words, nothing more.\nSecond line.", None, "text"),
        (b"Plain words.", "notes.md", "markdown"),
        (b"# Heading\n\nSome *text*.", None, "markdown"),
        (b"Intro\n\n- item one\n- item two\n\nSee [the site](https://example.org).", "x.txt", "markdown"),
        (HTML, None, "html"),
        (HTML, "article.txt", "html"),  # wrong extension: content wins
        (b"\xef\xbb\xbf  <html><body><p>x</p></body></html>", None, "html"),
        (b"<div><p>Fragment of a page</p></div>", "page", "html"),
        (RSS, None, "feed"),
        (RSS, "feed.html", "feed"),
        (ATOM, None, "feed"),
        (b'[{"title": "a", "text": "b"}]', None, "json"),
        (b'{\n  "title": "a",\n  "text": "b"\n}\n', None, "json"),
        (b'{"text": "a"}\n{"text": "b"}\n', None, "jsonl"),
        (b'{"text": "a"}\n{"text": "b"}\n', "data.json", "json"),  # the extension settles the tie
        (b'{"text": "a"}\n', "data.jsonl", "jsonl"),
        (b"title,text,url\nA,B,C\n", None, "csv"),
        (b",id,domain,content\n0,1,a.com,hello\n", "dump", "csv"),
        (b"headline\tbody\nA\tB\n", None, "csv"),
        (b"Hello, world, this is prose with commas.\n", None, "text"),
        (b"anything at all", "table.csv", "csv"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", None, "warc"),
        (b"", None, "empty"),
        (b"  \n\t\n", "a.txt", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "report.txt", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "binary"),
        (b"PK\x03\x04\x14\x00", "a.csv", "binary"),
        (b"\x7fELF\x02\x01\x01", None, "binary"),
        (b"text with a \x00 NUL byte", None, "binary"),
    ],
)
def test_sniff_format(data: bytes, name: str | None, expected: str) -> None:
    assert sniff_format(data, name=name) == expected


def test_sniff_looks_inside_gzip_whatever_the_name() -> None:
    assert sniff_format(gzip.compress(HTML), name="page.html.gz") == "html"
    assert sniff_format(gzip.compress(b'{"text": "a"}\n{"text": "b"}\n'), name="blob") == "jsonl"
    assert sniff_format(gzip.compress(b"x"), name="notes.md.gz") == "markdown"


def test_sniff_calls_unreadable_gzip_binary() -> None:
    assert sniff_format(b"\x1f\x8b\x08\x00garbage") == "binary"


@pytest.mark.parametrize(
    "data",
    [
        b"[Update] Troops crossed the border on Monday.",
        b"{sic} is how the statement read.",
        b"<<Breaking>> news.",
    ],
)
def test_prose_starting_with_brackets_is_text(data: bytes) -> None:
    assert sniff_format(data) == "text"
