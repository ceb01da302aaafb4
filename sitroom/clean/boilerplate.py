"""Line-level boilerplate removal: share widgets, social prompts, promos, credits, bios, footers.

Patterns live in ``sitroom/data/boilerplate.yaml``; each is matched against one whole line, so a
body sentence that merely resembles a widget survives. Matches carry a reason (recorded in
``Document.removed``) and any named groups (``outlet``, ``author``, ``role``) the metadata step uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from sitroom import yamlfile

Zone = Literal["anywhere", "head", "tail"]


@dataclass(frozen=True, slots=True)
class LinePattern:
    """One compiled boilerplate rule from the YAML file."""

    reason: str
    regex: re.Pattern[str]
    where: Zone = "anywhere"
    max_words: int | None = None
    then_paragraph: bool = False
    then_headline: bool = False
    then_capture: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class LineMatch:
    """A line recognised as boilerplate: why, and what it tells about the document."""

    index: int
    reason: str
    groups: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rules:
    head_lines: int
    tail_lines: int
    patterns: tuple[LinePattern, ...]
    macros: dict[str, str]


def load_yaml(name: str) -> Any:
    """Read one data file shipped in ``sitroom/data``."""
    with resources.files("sitroom.data").joinpath(name).open(encoding="utf-8") as fh:
        return yamlfile.safe_load(fh)


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace ``{NAME}``-style macros; plain ``str.format`` would choke on regex braces."""
    for key, value in macros.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


@cache
def load_rules() -> Rules:
    """Compile ``boilerplate.yaml`` once per process."""
    data = load_yaml("boilerplate.yaml")
    macros = {k: str(v) for k, v in data.get("macros", {}).items()}
    patterns = []
    for entry in data["patterns"]:
        capture = entry.get("then_capture")
        patterns.append(
            LinePattern(
                reason=entry["reason"],
                regex=re.compile(expand_macros(entry["regex"], macros)),
                where=entry.get("where", "anywhere"),
                max_words=entry.get("max_words"),
                then_paragraph=entry.get("then") == "paragraph",
                then_headline=entry.get("then") == "headline",
                then_capture=re.compile(expand_macros(capture, macros)) if capture else None,
            )
        )
    return Rules(
        head_lines=int(data["head_lines"]),
        tail_lines=int(data["tail_lines"]),
        patterns=tuple(patterns),
        macros=macros,
    )


def match_line(line: str, *, zone: set[Zone]) -> tuple[LinePattern, re.Match[str]] | None:
    """Return the first rule matching the whole ``line`` in one of the zones it sits in, if any."""
    words = line.count(" ") + 1
    for rule in load_rules().patterns:
        if rule.where not in zone or (rule.max_words is not None and words > rule.max_words):
            continue
        found = rule.regex.fullmatch(line)
        if found:
            return rule, found
    return None


def find_boilerplate(lines: list[str], *, skip: frozenset[int] = frozenset()) -> dict[int, LineMatch]:
    """Classify ``lines`` (stripped; ``""`` for blank) and return the boilerplate ones by index.

    Lines in ``skip`` were already claimed by another step (a title, a date line) and are left alone.
    """
    rules = load_rules()
    nonblank = [i for i, line in enumerate(lines) if line]
    head = set(nonblank[: rules.head_lines])
    tail = set(nonblank[-rules.tail_lines :])
    found: dict[int, LineMatch] = {}
    for i in nonblank:
        if i in skip or i in found:
            continue
        zone: set[Zone] = {"anywhere"}
        if i in head:
            zone.add("head")
        if i in tail:
            zone.add("tail")
        hit = match_line(lines[i], zone=zone)
        if hit is None:
            continue
        rule, m = hit
        found[i] = LineMatch(i, rule.reason, {k: v for k, v in m.groupdict().items() if v})
        if rule.then_paragraph:
            for j in select_next_paragraph(lines, i):
                if j in skip:
                    break
                cap = rule.then_capture.fullmatch(lines[j]) if rule.then_capture else None
                groups = {k: v for k, v in cap.groupdict().items() if v} if cap else {}
                found[j] = LineMatch(j, rule.reason, groups)
        elif rule.then_headline and (j := next_headline(lines, i)) is not None and j not in skip:
            found[j] = LineMatch(j, rule.reason)
    return found


# A linked headline: short, and not a sentence (no final period; a question mark is allowed).
_HEADLINE_MAX_WORDS = 20
_SENTENCE_END = re.compile(r"[.;:,]['\"”’)]?$")


def next_headline(lines: list[str], i: int) -> int | None:
    """The index of the line right after line ``i`` (at most one blank line between) when it reads
    as a headline, else None."""
    j = i + 1
    if j < len(lines) and not lines[j]:
        j += 1
    if j >= len(lines) or not lines[j]:
        return None
    line = lines[j]
    if line.count(" ") + 1 > _HEADLINE_MAX_WORDS or _SENTENCE_END.search(line) or not line[0].isupper():
        return None
    return j


def select_next_paragraph(lines: list[str], i: int) -> list[int]:
    """Indices of the paragraph after line ``i``: its own continuation lines, else the next block."""
    j = i + 1
    while j < len(lines) and not lines[j]:
        j += 1
    out = []
    while j < len(lines) and lines[j]:
        out.append(j)
        j += 1
    return out
