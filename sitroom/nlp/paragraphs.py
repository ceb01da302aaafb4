"""A paragraph break ends a sentence: a spaCy component that says so before the parser runs.

Cleaned text keeps paragraphs apart with a blank line (``sitroom.clean``). Lines that end without a full
stop — a photo credit, a tweet's byline and date, a subheading, an item of a list — otherwise run into
the next paragraph's first sentence: "… (@anaortiz) May 2, 2020⏎⏎Kowalski told donors …" was one
sentence, a date ran into the name after it ("May 2, 2020⏎⏎Kowalski" can be one DATE entity) and the
claim went to nobody. spaCy's parser keeps sentence starts set before it, and its recogniser then never lets an
entity run across them, so marking the first token after a blank line is enough.

:func:`mark_paragraphs` adds the component to a loaded pipeline (``sitroom.pipeline.load_spacy`` does,
unless asked for spaCy as it ships).
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language

PARAGRAPH_BREAKS = "sitroom_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Any) -> Any:
    """Start a sentence at the first token after each blank line (a space token with two newlines)."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


def mark_paragraphs(nlp: Any) -> bool:
    """Add the component before ``nlp``'s parser; ``False`` when it has none (or has it already)."""
    if "parser" not in nlp.pipe_names or PARAGRAPH_BREAKS in nlp.pipe_names:
        return False
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return True


__all__ = ["PARAGRAPH_BREAKS", "mark_paragraphs", "paragraph_breaks"]
