"""Admiralty-style credibility (1–6) of a claim or event from its corroboration and contradiction links.

1 confirmed (two or more independent corroborations, no contradiction), 2 probably true (one), 3 possibly
true (more independent support than contradiction), 4 doubtful (contradicted about as much as
supported, or once and never supported), 5 improbable (contradicted by two or more, never supported),
6 cannot be judged (no other report speaks to it). Links an analyst dismissed do not count; syndicated
copies and reports from one origin count once (``independent`` is false on those links).
"""

from __future__ import annotations

from collections.abc import Iterable

SUPPORTING = frozenset({"corroborates", "same-event"})
OPPOSING = frozenset({"contradicts"})
LABELS = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}


def count_support(links: Iterable[dict]) -> tuple[int, int]:
    """(independent supporting links, independent opposing links), dismissed ones left out."""
    support = oppose = 0
    for link in links:
        if link.get("status") == "dismissed" or not link.get("independent", True):
            continue
        if link["kind"] in SUPPORTING:
            support += 1
        elif link["kind"] in OPPOSING:
            oppose += 1
    return support, oppose


def credibility_of(links: Iterable[dict]) -> int:
    support, oppose = count_support(links)
    if oppose == 0:
        return 1 if support >= 2 else 2 if support == 1 else 6
    if support > oppose:
        return 3
    if support == 0 and oppose >= 2:
        return 5
    return 4
