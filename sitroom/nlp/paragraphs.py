"""A paragraph break ends a sentence: a spaCy component that says so before the parser runs.

Lines that end without a full stop — a photo credit, a tweet's byline and date, a subheading, an item
of a list, a staff byline — otherwise run into the next paragraph's first sentence: "… (@anaortiz) May
2, 2020⏎⏎Kowalski told donors …" was one sentence, a date ran into the name after it ("May 2, 2020⏎⏎
Kowalski" can be one DATE entity) and the claim went to nobody. spaCy's parser keeps sentence starts set
before it, and its recogniser then never lets an entity run across them, so marking the first token of
each paragraph is enough.

Where paragraphs end depends on where the text came from. Typed and plain-text sources keep them apart
with a blank line and may wrap their lines, so a single line break there is no paragraph ("The minister
said⏎that the talks …"). Text read from web pages (``sitroom.ingest.html``: trafilatura puts one line
break between paragraphs) and many datasets' text fields never wrap lines: there each line is a
paragraph ("Staff Reports⏎Police arrested six people …" had made "Staff Reports⏎Police" an actor). The
two are told apart by the text itself (:func:`wraps_lines`): wrapped prose mostly runs on across a line
break in lower case, paragraphs almost never do.

A wire dateline ends a sentence too: "HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper on
Wednesday accused China …" was parsed with HANOI the subject of "accused" and Esper its apposition, so
Hanoi accused China. The first token after a dateline's dash, at the start of one of the first lines,
starts a sentence (:func:`dateline_end`).

:func:`mark_paragraphs` adds the component to a loaded pipeline (``sitroom.pipeline.load_spacy`` does,
unless asked for spaCy as it ships).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language

from sitroom.clean.metadata import dateline_end as line_dateline_end

PARAGRAPH_BREAKS = "sitroom_paragraph_breaks"

# A run of white space with a line break in it, the character before it and the one after it.
_BREAK = re.compile(r"(\S?)\s*\n\s*(\S?)")
_DATELINE_LINES = 3  # a dateline opens one of the first lines (a title or a byline may come first)
# Wrapped text runs on across this share of its single line breaks (or more).
_WRAPPED_SHARE = 0.3


def wraps_lines(text: str) -> bool:
    """Whether ``text`` wraps its lines, so that a single line break may fall inside a sentence: at
    least two of its single line breaks, and ``_WRAPPED_SHARE`` of them, run on — a word in lower case
    after the break ("said⏎that the talks") or before it ("said on⏎Thursday"). A web page's paragraphs
    start in capitals, with a quote or a figure, and end with a full stop, a quote or a name."""
    breaks = [m for m in _BREAK.finditer(text) if m.group(0).count("\n") == 1 and m.group(2)]
    runs_on = sum(1 for m in breaks if m.group(2).islower() or m.group(1).islower() or m.group(1) == ",")
    return runs_on >= 2 and runs_on >= _WRAPPED_SHARE * len(breaks)


def dateline_end(text: str) -> int | None:
    """The offset where the report starts after a dateline opening one of the first lines of ``text``
    ("HANOI, Vietnam (AP) — " → the offset of what follows the dash), else ``None``: the datelines
    cleaning reads (``sitroom.clean.metadata.dateline_end``)."""
    offset, seen = 0, 0
    for line in text.split("\n"):
        if line.strip():
            end = line_dateline_end(line)
            if end is not None:
                return offset + end
            seen += 1
            if seen == _DATELINE_LINES:
                break
        offset += len(line) + 1
    return None


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Any) -> Any:
    """Start a sentence at the first token after each blank line (a space token with two newlines) and,
    in text that does not wrap its lines (:func:`wraps_lines`), after each line break before a word that
    is not in lower case."""
    text = doc.text  # spaCy joins it anew on every access
    lines_are_paragraphs: bool | None = None  # decided at the first single line break
    for token in doc[:-1]:
        if not token.is_space or "\n" not in token.text:
            continue
        following = doc[token.i + 1]
        if token.text.count("\n") >= 2:
            following.is_sent_start = True
            continue
        if following.is_space or following.text[:1].islower():
            continue
        if lines_are_paragraphs is None:
            lines_are_paragraphs = not wraps_lines(text)
        if lines_are_paragraphs:
            following.is_sent_start = True
    report = dateline_end(text[:2000])
    if report is not None:
        span = doc.char_span(report, report + 1, alignment_mode="expand")
        if span is not None and span[0].i > 0:
            span[0].is_sent_start = True
    return doc


def mark_paragraphs(nlp: Any) -> bool:
    """Add the component before ``nlp``'s parser; ``False`` when it has none (or has it already)."""
    if "parser" not in nlp.pipe_names or PARAGRAPH_BREAKS in nlp.pipe_names:
        return False
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return True


__all__ = ["PARAGRAPH_BREAKS", "dateline_end", "mark_paragraphs", "paragraph_breaks", "wraps_lines"]
