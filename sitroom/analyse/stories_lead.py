"""The nouns of a document's lead, as the story clusterer reads them.

The lead and its nouns are defined in :mod:`sitroom.nlp.lead`: the pipeline reads them from the parse
it already made and stores them (the ``lead`` layer); this module is the clusterer's side, for
callers that have only a text (benchmarks, documents stored before the layer existed).
"""

from __future__ import annotations

from typing import Any

from sitroom.nlp.lead import (
    LEAD_LINES,
    LEAD_MAX_CHARS,
    LEAD_MIN_WORDS,
    lead_lines,
    lead_terms_of,
    parse_lead_nouns,
)

__all__ = ["LEAD_LINES", "LEAD_MAX_CHARS", "LEAD_MIN_WORDS", "lead_lines", "lead_terms"]


def lead_terms(nlp: Any, title: str | None, text: str) -> tuple[str, ...]:
    """Lower-cased lemmas of the common nouns in the lead's argument slots, title first, in order,
    repeats kept (the clusterer weighs them by frequency). Parses ``text``; the pipeline's stored
    ``lead`` layer gives the same nouns without parsing (:func:`sitroom.nlp.lead.lead_terms_of`)."""
    return lead_terms_of(parse_lead_nouns(nlp, title, text))
