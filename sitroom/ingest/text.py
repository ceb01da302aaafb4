"""Plain text and Markdown files: decode, strip the BOM, keep the text as it is.

Cleaning (boilerplate, datelines, titles) is the cleaner's job; this reader only turns bytes into the
right characters, so every later offset refers to what the author wrote.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

from sitroom.model import Problem, RawDocument

_BOM_CODECS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Real text has almost no control characters besides tab and newlines; a decoding that yields many is
# charset_normalizer making the best of binary junk.
_MAX_CONTROL_RATIO = 0.01
# Category Cc minus tab, line ends (including NEL, U+0085) and form feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# A well-formed UTF-8 multi-byte sequence (2, 3 or 4 bytes). Legacy 8-bit text (Latin-1, cp1251 …)
# almost never contains one by chance; UTF-8 with a few corrupted bytes contains many.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_UTF16_SAMPLE = 4096
_MD_TITLE = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, and what the reader should warn about (None when the bytes were clean)."""

    text: str
    encoding: str
    caveat: str | None = None


def decode_text(data: bytes, *, encoding: str | None = None) -> str:
    """Decode ``data``: BOM, then the declared ``encoding``, then UTF-8, then a guess (see
    :func:`decode_checked`). The BOM is removed. Raises :class:`DecodeError` when nothing yields
    plausible text."""
    return decode_checked(data, encoding=encoding).text


def decode_checked(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Decode ``data`` and say how sure we are.

    Order: a BOM; the declared ``encoding``; strict UTF-8; UTF-16 without a BOM (NUL in every other
    byte); then, for bytes that are not valid UTF-8, either UTF-8 with U+FFFD for the bad bytes (when
    the rest *is* UTF-8: valid multi-byte sequences surround the bad ones) or charset_normalizer's
    guess of a legacy encoding (when no multi-byte UTF-8 sequence occurs at all). Both last cases carry
    a ``caveat`` the reader reports as a warning: a silent guess once turned broken UTF-8 into cp1251.
    """
    for bom, codec in _BOM_CODECS:
        if data.startswith(bom):
            try:
                return Decoded(_check_plausible(data.decode(codec).lstrip("\ufeff")), codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {codec} byte-order mark but is not {codec}: {exc}") from exc
    candidates = [encoding] if encoding else []
    for codec in (*candidates, "utf-8"):
        try:
            return Decoded(_check_plausible(data.decode(codec)), codec)
        except (UnicodeDecodeError, LookupError):
            continue
    if codec16 := utf16_without_bom(data):
        try:
            return Decoded(_check_plausible(data.decode(codec16)), codec16)
        except UnicodeDecodeError:
            pass
    valid_multibyte = len(_UTF8_MULTIBYTE.findall(data))
    if valid_multibyte:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
        return Decoded(
            _check_plausible(text),
            "utf-8",
            f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD",
        )
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("not UTF-8 and no other encoding fits")
    return Decoded(
        _check_plausible(str(best)),
        best.encoding,
        f"not UTF-8; decoded as {best.encoding} (a guess: check the characters)",
    )


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``data`` looks like BOM-less UTF-16, else None.

    Mostly-Latin UTF-16 has a NUL in nearly every other byte, on the odd positions for little-endian
    (Windows "Unicode" exports) and the even ones for big-endian; binary data has NULs on both.
    """
    head = data[:_UTF16_SAMPLE]
    if len(head) < 16 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    # Text in Latin script is mostly ASCII: 70% is far below real files and far above binary.
    if odd >= 0.7 * half and even == 0:
        return "utf-16-le"
    if even >= 0.7 * half and odd == 0:
        return "utf-16-be"
    return None


def _check_plausible(text: str) -> str:
    if text:
        controls = len(_CONTROL.findall(text))
        # A stray control character or two is an editor's accident, not binary data.
        if controls > 4 and controls / len(text) > _MAX_CONTROL_RATIO:
            raise DecodeError(f"{controls} control characters in {len(text)}: binary data, not text")
    return text


def read_text(
    data: bytes, *, origin: str, fmt: str = "text", encoding: str | None = None
) -> Iterator[RawDocument | Problem]:
    """One document from a text or Markdown file (``fmt``), or E011 when it cannot be decoded.

    A document decoded with a caveat (bad bytes replaced, encoding guessed) comes after an E024
    warning that says so."""
    try:
        decoded = decode_checked(data, encoding=encoding)
    except DecodeError as exc:
        yield Problem(origin=origin, code="E011", reason=f"cannot decode as text ({exc})")
        return
    text = decoded.text
    if not text.strip():
        yield Problem(origin=origin, code="E014", reason="no text after decoding")
        return
    if decoded.caveat:
        yield decode_warning(origin, decoded.caveat)
    title = _markdown_title(text) if fmt == "markdown" else None
    yield RawDocument(raw=data, origin=origin, format=fmt, text=text, title=title)


def decode_warning(origin: str, caveat: str, *, locator: str | None = None) -> Problem:
    """The E024 warning for a document kept despite a decoding caveat."""
    return Problem(origin=origin, locator=locator, code="E024", kind="warning", reason=f"{caveat}; kept")


def _markdown_title(text: str) -> str | None:
    match = _MD_TITLE.search(text[:2000])
    return match.group(1) if match else None
