"""Plain text and Markdown files: decode, strip the BOM, keep the text as it is.

Cleaning (boilerplate, datelines, titles) is the cleaner's job; this reader only turns bytes into the
right characters, so every later offset refers to what the author wrote.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

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
_MD_TITLE = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def decode_text(data: bytes, *, encoding: str | None = None) -> str:
    """Decode ``data``: BOM, then the declared ``encoding``, then UTF-8, then charset_normalizer.

    The BOM is removed. Raises :class:`DecodeError` when nothing yields plausible text.
    """
    for bom, codec in _BOM_CODECS:
        if data.startswith(bom):
            try:
                return _check_plausible(data.decode(codec).lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {codec} byte-order mark but is not {codec}: {exc}") from exc
    candidates = [encoding] if encoding else []
    for codec in (*candidates, "utf-8"):
        try:
            return _check_plausible(data.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("not UTF-8 and no other encoding fits")
    return _check_plausible(str(best))


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
    """One document from a text or Markdown file (``fmt``), or E011 when it cannot be decoded."""
    try:
        text = decode_text(data, encoding=encoding)
    except DecodeError as exc:
        yield Problem(origin=origin, code="E011", reason=f"cannot decode as text ({exc})")
        return
    if not text.strip():
        yield Problem(origin=origin, code="E014", reason="no text after decoding")
        return
    title = _markdown_title(text) if fmt == "markdown" else None
    yield RawDocument(raw=data, origin=origin, format=fmt, text=text, title=title)


def _markdown_title(text: str) -> str | None:
    match = _MD_TITLE.search(text[:2000])
    return match.group(1) if match else None
