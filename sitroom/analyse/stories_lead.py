"""A document's lead (its title and first lines) and the nouns that say what happened in it.

News puts the event in the lead: "A fire destroyed the church …", "… has checked into rehab", "… were
injured in the clash". Two reports of the same kind of event share those nouns even when every name
differs (two churches, two celebrities), and two reports from one field (two football stories) differ
in them (an injury, a playoff berth). The nouns that fill the lead's argument slots (subject, object,
object of a preposition, compound modifier) are what the story clusterer groups topics on; words
from the rest of the article and names are weighed elsewhere.

Needs a spaCy pipeline with a tagger, a parser and a lemmatizer; only the lead is parsed.
"""

from __future__ import annotations

from typing import Any

# The lead: the title, then the first lines of at least LEAD_MIN_WORDS words (datelines, bylines
# and photo credits are shorter), up to LEAD_LINES lines in all.
LEAD_LINES = 4
LEAD_MIN_WORDS = 6
# At most this many characters of the lead go to spaCy: a lead is a few sentences, and a document of
# one 1.2 MB line (no line breaks) made its whole text the "lead", over spaCy's max_length (E088).
LEAD_MAX_CHARS = 5000
# Dependency labels of the argument slots whose nouns name what happened.
_ARGUMENT_SLOTS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "ROOT", "compound", "conj", "appos"}
)
# Pipes the lead needs; named entities are not used.
_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def lead_lines(title: str | None, text: str, *, lines: int = LEAD_LINES) -> list[str]:
    """The title (when given and not already the text's first line) and the text's first lines of at
    least LEAD_MIN_WORDS words, ``lines`` in all."""
    found: list[str] = []
    title = " ".join((title or "").split())
    if title:
        found.append(title)
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(found) >= lines:
            break
        if len(line.split()) >= LEAD_MIN_WORDS and line != title:
            found.append(line)
    return found[:lines]


def lead_terms(nlp: Any, title: str | None, text: str) -> tuple[str, ...]:
    """Lower-cased lemmas of the common nouns in the lead's argument slots, in order, repeats kept
    (the clusterer weighs them by frequency)."""
    lines = lead_lines(title, text)
    if not lines:
        return ()
    enabled = [name for name in _PIPES if name in nlp.pipe_names]
    with nlp.select_pipes(enable=enabled):
        parsed = nlp(_cap("\n".join(lines), LEAD_MAX_CHARS))
    return tuple(
        token.lemma_.lower()
        for token in parsed
        if token.pos_ == "NOUN"
        and token.dep_ in _ARGUMENT_SLOTS
        and token.is_alpha
        and not token.is_stop
        and len(token) >= 3
    )


def _cap(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at the last whitespace before it (a word is not split)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]
