"""Content sniffing: what kind of input a run of bytes is, whatever its file name says.

The content decides; the extension only breaks ties the content cannot (Markdown or plain text, one
JSON object or a one-line JSONL file, a CSV whose header names no known column). Gzip is unwrapped
transparently, whatever is inside it.
"""

from __future__ import annotations

import csv
import json
import re
import zlib
from pathlib import PurePosixPath

from sitroom.ingest.fields import is_known_column

# Everything sniff_format can answer; the first eight are also valid values of IngestOptions.format.
FORMATS = ("text", "markdown", "html", "json", "jsonl", "csv", "warc", "feed")
SNIFF_RESULTS = (*FORMATS, "binary", "empty")

GZIP_MAGIC = b"\x1f\x8b"

# Magic numbers of formats people drop into an input folder by mistake. Named, so the problem can say
# what the file is instead of "cannot decode".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "ZIP archive (also DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (DOC/XLS/MSG)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00asm", "WebAssembly module"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "Mach-O binary"),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Enough to see a doctype, a feed root element or a CSV header, small enough to sniff cheaply.
_HEAD = 8192

_EXT_FORMAT = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
}

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|article|div|p|section|main|h[1-6])[\s>/]", re.IGNORECASE
)
_MD_SIGNALS = (
    re.compile(r"^#{1,6} \S", re.MULTILINE),
    re.compile(r"^\s*[-*+] \S", re.MULTILINE),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    re.compile(r"^> \S", re.MULTILINE),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"^```", re.MULTILINE),
)
# JSON opens with an object key or an array value; "[Update] Troops …" and "{sic}" are prose.
_JSON_START = re.compile(rb'(\{\s*("|\})|\[\s*([\[{"\]\d-]|true|false|null))')
# Old Mac files end lines with a lone CR; csv refuses a CR inside what it was told is one line.
_LINE_END = re.compile(r"\r\n?|\n")
# Header names that make a delimited first line a CSV header rather than prose with commas in it.
_CSV_HEADER_WORD = re.compile(r"^[\w .\-]{1,64}$")


def strip_gz_suffix(name: str | None) -> str | None:
    """The name without a trailing ``.gz``, so ``a.csv.gz`` still hints CSV."""
    if name and name.lower().endswith(".gz"):
        return name[:-3]
    return name


def extension_format(name: str | None) -> str | None:
    """The format a file name suggests, or None."""
    if not name:
        return None
    suffix = PurePosixPath(strip_gz_suffix(name).replace("\\", "/")).suffix.lower()
    return _EXT_FORMAT.get(suffix)


def describe_binary(data: bytes) -> str | None:
    """A human name for a known binary format, or None when the magic bytes are not one we know."""
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    return None


def has_nul_bytes(head: bytes) -> bool:
    """NUL bytes mean binary data, except in UTF-16/32 text, which announces itself with a BOM."""
    return b"\x00" in head and not head.startswith(_BOMS[1:])


def peek_gzip(data: bytes, limit: int = _HEAD) -> bytes:
    """The first ``limit`` decompressed bytes of a gzip stream, or b"" when it cannot be read."""
    try:
        return zlib.decompressobj(wbits=31).decompress(data, limit)
    except zlib.error:
        return b""


def sniff_format(data: bytes, *, name: str | None = None) -> str:
    """Guess the format of ``data``: one of :data:`SNIFF_RESULTS`.

    Gzip is looked through (whatever it holds). ``name`` only settles what the content leaves open.
    """
    if data.startswith(GZIP_MAGIC):
        inner = peek_gzip(data)
        if not inner:
            return "binary"
        return sniff_format(inner, name=strip_gz_suffix(name))
    head = data[:_HEAD]
    if not head.strip():
        return "empty"
    if describe_binary(head) or has_nul_bytes(head):
        return "binary"
    hinted = extension_format(name)
    body = head.lstrip(b"".join(_BOMS) + b" \t\r\n")
    if body.startswith(b"WARC/"):
        return "warc"
    if body.startswith(b"<") and (markup := _sniff_markup(body, hinted)):
        return markup
    if _JSON_START.match(body):
        return _sniff_json(data, body, hinted)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if hinted == "csv" or _looks_like_csv_header(text):
        return "csv"
    if hinted == "markdown" or _looks_like_markdown(text):
        return "markdown"
    return "text"


def _sniff_markup(body: bytes, hinted: str | None) -> str | None:
    if _FEED_ROOT.search(body[:4096]):
        return "feed"
    if _HTML_TAG.search(body):
        return "html"
    # Unknown XML: a feed file with an odd root fails loudly in the feed reader, which says more
    # than treating it as a web page would. Anything else starting with "<" may well be prose.
    if hinted == "feed" or body.startswith(b"<?xml"):
        return "feed"
    return "html" if hinted == "html" else None


def _sniff_json(data: bytes, body: bytes, hinted: str | None) -> str:
    if hinted in ("json", "jsonl"):
        return hinted
    if body.startswith(b"["):
        return "json"
    # JSONL puts one object per line at column 0; a pretty-printed object has only one line
    # starting with "{", its first.
    lines = data[: 4 * _HEAD].splitlines()
    if sum(1 for line in lines if line.startswith(b"{")) >= 2:
        return "jsonl"
    first = body.split(b"\n", 1)[0].strip()
    if len(lines) > 1 and first.endswith(b"}"):
        try:
            json.loads(first)
            return "jsonl"
        except ValueError:
            pass
    return "json"


def first_line(text: str) -> str:
    """The text up to its first line end of any style (``\\n``, ``\\r\\n`` or a lone ``\\r``)."""
    return _LINE_END.split(text, 1)[0]


def _looks_like_csv_header(text: str) -> bool:
    first = first_line(text)
    delimiter = max(",\t;|", key=first.count)
    if first.count(delimiter) < 1:
        return False
    try:
        names = next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:  # a stray quote or control character: not a header we could read anyway
        return False
    if not all(_CSV_HEADER_WORD.match(n.strip()) or not n.strip() for n in names):
        return False
    return any(is_known_column(n) for n in names)


def _looks_like_markdown(text: str) -> bool:
    if re.match(r"\s*#{1,6} \S", text):
        return True
    return sum(1 for signal in _MD_SIGNALS if signal.search(text)) >= 2
