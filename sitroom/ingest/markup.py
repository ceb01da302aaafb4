"""Defusing hostile markup before trafilatura sees it: absurd attribute lists and absurd nesting.

Both shapes come from generated or malicious pages, never from an editor, and both cost the reader
dearly: a tag with 100,000 attributes kept htmldate busy for minutes, and 100,000 nested ``<div>``
hid real paragraphs from libxml2 (it stops building the tree 256 levels down), so the page was
refused as "no main text". Rewriting the bytes keeps the text and removes the shape; what was
changed is reported with the document. The scans are single regular-expression passes (linear).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

# A real tag has a few dozen attributes at most (the longest we have seen are SVG paths and data
# URIs: long values, few "="). Only tags longer than _LONG_TAG are counted, so the scan stays cheap.
MAX_ATTRIBUTES = 256
_LONG_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)([^<>]{2048,})>")
# Containers that editors always close, so their open/close balance is a fair depth estimate (p, li
# and td are often left open and would drift). Real news pages stay under 60 levels of these.
MAX_DEPTH = 180
_WRAPPER = re.compile(
    rb"<(/?)(div|span|section|article|main|aside|header|footer|nav|font|center|blockquote|figure|b|i|em|strong|a)"
    rb"(?=[\s>/])[^<>]*>",
    re.IGNORECASE,
)


_WRAPPER_SLASH = re.compile(
    rb"<(/?)(?:div|span|section|article|main|aside|header|footer|nav|font|center|blockquote|figure|b|i|em|strong|a)"
    rb"(?=[\s>/])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Defused:
    """Markup after defusing, and one note per rewrite (empty when the page was left alone)."""

    data: bytes
    notes: tuple[str, ...] = ()


def defuse_markup(data: bytes) -> Defused:
    """Strip the attributes of tags with more than :data:`MAX_ATTRIBUTES`; unwrap container tags
    nested deeper than :data:`MAX_DEPTH` (their text stays where it was)."""
    notes: list[str] = []
    stripped = 0

    def strip_attributes(match: re.Match[bytes]) -> bytes:
        nonlocal stripped
        if match.group(2).count(b"=") <= MAX_ATTRIBUTES:
            return match.group(0)
        stripped += 1
        return b"<" + match.group(1) + b">"

    # No tag can hold more attributes than the page has "=" signs: small pages skip the scan.
    if data.count(b"=") > MAX_ATTRIBUTES:
        data = _LONG_TAG.sub(strip_attributes, data)
    if stripped:
        notes.append(f"attributes dropped from {stripped} tag(s) with over {MAX_ATTRIBUTES} attributes")
    depth = nesting_depth(data)
    if depth > MAX_DEPTH:
        data = _WRAPPER.sub(b" ", data)
        notes.append(f"container tags nested {depth:,} deep removed (the HTML parser stops at 256)")
    return Defused(data, tuple(notes))


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of container tags (``div``, ``span``, ``section`` …), counted by balance.

    A running sum of +1 per opening and -1 per closing tag (accumulate runs in C: a page has
    thousands of these tags). Stray closing tags only make the estimate lower, never higher.
    """
    steps = [-1 if slash else 1 for slash in _WRAPPER_SLASH.findall(data)]
    return max(0, *accumulate(steps)) if steps else 0
