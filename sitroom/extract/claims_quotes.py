"""Quoted regions of a text: where direct speech starts and ends, however the marks are typed.

News text mixes curly (“ ”) and straight (") double marks, quotes that run over several sentences or
paragraphs, and marks that never close. The rules:

* “ opens and ” closes; a straight " opens where it follows a space, a line start or an opening
  bracket/dash and closes otherwise. A ” with no quote open, after a line start or a space and
  before a word, is an opening mark typed the wrong way round ("”Fear. I am afraid …” ― Name").
* A quote that runs into a new paragraph which itself opens with a mark continues there (the news
  convention for multi-paragraph quotes: no closing mark at the end of the earlier paragraph); the
  earlier part ends at its paragraph break, so each part stays one contiguous span.
* A mark still open at the end of its paragraph closes there, so one stray mark cannot swallow the
  rest of the article. Nothing here raises on unbalanced input.
* Single marks (‘ ’ ') are left alone: in news they are mostly apostrophes.
"""

from __future__ import annotations

from dataclasses import dataclass

_OPEN_CURLY = "“„«"
_CLOSE_CURLY = "”»"
_STRAIGHT = '"'
_BEFORE_OPEN = " \t\n([{—–-/"
# A quote of fewer words than this is a scare quote or a cited term ("consider", “terrorist”), part
# of a mixed quote at most, never a direct quote on its own.
MIN_DIRECT_WORDS = 4


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted region: ``start`` at the opening mark, ``end`` after the closing mark (or at the
    paragraph break where an unclosed quote stops); ``closed`` says whether a mark ended it."""

    start: int
    end: int
    closed: bool
    words: int

    @property
    def is_direct(self) -> bool:
        return self.words >= MIN_DIRECT_WORDS


def find_quotes(text: str) -> list[Quote]:
    """Every double-quoted region of ``text``, in order, never overlapping."""
    quotes: list[Quote] = []
    opened: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and opened is not None:
            quotes.append(_make(text, opened, i, closed=False))
            opened = None
        elif (
            ch in _OPEN_CURLY
            or (ch == _STRAIGHT and opened is None and _opens_here(text, i))
            or (ch in _CLOSE_CURLY and opened is None and _mistyped_open(text, i))
        ):
            if opened is not None:  # a new opening mark inside an open quote: the first one was stray
                quotes.append(_make(text, opened, _trim_end(text, i), closed=False))
            opened = i
        elif (ch in _CLOSE_CURLY or ch == _STRAIGHT) and opened is not None:
            quotes.append(_make(text, opened, i + 1, closed=True))
            opened = None
    if opened is not None:
        quotes.append(_make(text, opened, len(text), closed=False))
    return [q for q in quotes if q.end > q.start + 1]


def _opens_here(text: str, i: int) -> bool:
    return (
        i == 0
        or text[i - 1] in _BEFORE_OPEN
        or (i + 1 < len(text) and text[i + 1].isalnum() and not text[i - 1].isalnum())
    )


def _mistyped_open(text: str, i: int) -> bool:
    """A closing mark typed where a quote opens: after a line start or a space, before a word."""
    return (i == 0 or text[i - 1] in " \t\n") and i + 1 < len(text) and text[i + 1].isalnum()


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _make(text: str, start: int, end: int, *, closed: bool) -> Quote:
    end = _trim_end(text, end)
    return Quote(start=start, end=end, closed=closed, words=len(text[start:end].split()))


def quote_at(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The quote overlapping the character range [start, end), if any."""
    for quote in quotes:
        if quote.start < end and start < quote.end:
            return quote
    return None
