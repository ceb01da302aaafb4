"""Admiralty-style credibility (1–6) of a claim or event from its corroboration and contradiction links.

1 confirmed (two or more independent corroborations, no contradiction), 2 probably true (one), 3 possibly
true (more independent support than contradiction), 4 doubtful (contradicted about as much as
supported, or once and never supported), 5 improbable (contradicted by two or more, never supported),
6 cannot be judged (no other report speaks to it). Links an analyst dismissed do not count; a link
between two reports of one origin counts nothing (``independent`` is false on it), and the reports on
the other side of a claim's links count once per origin: one article, a syndicated copy of it, or
reports a non-independent link joins (``same_origin``) are one voice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sitroom.analyse.union_find import UnionFind

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


def count_support(
    links: Iterable[dict],
    *,
    ref: str | None = None,
    same_origin: Iterable[tuple[str, str]] = (),
    document_of: Callable[[str], str] | None = None,
) -> tuple[int, int]:
    """(independent supporting voices, independent opposing voices) behind the links of ``ref``,
    dismissed links left out. The reports on the other side of the links count once per origin: pairs
    in ``same_origin`` are one origin, and so are reports in one document (``document_of`` maps a ref
    to its document, or to the original a syndicated copy reproduces). Without ``ref``, each link
    counts."""
    groups = UnionFind()
    counted = [link for link in links if link.get("status") != "dismissed" and link.get("independent", True)]
    for x, y in same_origin:
        groups.union(x, y)
    if ref is not None and document_of is not None:
        for link in counted:
            other = link["b"] if link["a"] == ref else link["a"]
            groups.union(other, "doc:" + document_of(other))
    support: set[str] = set()
    oppose: set[str] = set()
    for link in counted:
        if ref is None:
            voice = f"link:{link.get('id', id(link))}"
        else:
            voice = groups.find(link["b"] if link["a"] == ref else link["a"])
        if link["kind"] in SUPPORTING:
            support.add(voice)
        elif link["kind"] in OPPOSING:
            oppose.add(voice)
    return len(support), len(oppose)


def credibility_of(
    links: Iterable[dict],
    *,
    ref: str | None = None,
    same_origin: Iterable[tuple[str, str]] = (),
    document_of: Callable[[str], str] | None = None,
) -> int:
    """The 1–6 credibility of ``ref`` from its links (see the module docstring and :func:`count_support`)."""
    support, oppose = count_support(links, ref=ref, same_origin=same_origin, document_of=document_of)
    if oppose == 0:
        return 1 if support >= 2 else 2 if support == 1 else 6
    if support > oppose:
        return 3
    if support == 0 and oppose >= 2:
        return 5
    return 4
