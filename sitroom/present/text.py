"""Article text made safe for a terminal: rich markup escaped and control characters shown, not obeyed.

Titles, file names, URLs and texts come from strangers. Rich escapes its own markup (``[red]``) but
passes terminal escape sequences through, so a file named ``evil\\x1b]0;pwned\\x07.txt`` could retitle
the analyst's terminal, clear the screen or hide text. Every string the CLI prints from a document or
an input goes through :func:`escape` (imported in place of rich's).
"""

from __future__ import annotations

import re

from rich.markup import escape as _escape_markup

# C0 controls but newline and tab, DEL, C1 controls (CSI \x9b among them), and the bidirectional
# overrides and isolates that reorder what is displayed ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str) -> str:
    """Control characters written out (``\\x1b``) instead of acted upon."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def escape(text: str) -> str:
    """Safe to print with rich: markup escaped, control characters neutralised."""
    return _escape_markup(neutralise(text))
