"""A document's lead (its title and first lines) and the nouns that say what happened in it.

News puts the event in the lead: "A fire destroyed the church …", "… has checked into rehab", "… were
injured in the clash". Two reports of the same kind of event share those nouns even when every name
differs (two churches, two celebrities), and two reports from one field (two football stories) differ
in them (an injury, a playoff berth). The nouns that fill the lead's argument slots (subject, object,
object of a preposition, compound modifier) are what the story clusterer groups topics on
(sitroom.analyse.stories_lead); words from the rest of the article and names are weighed elsewhere.

The nouns are read from the parse the pipeline already made of the whole text (tags, arcs and lemmas;
named entities are not used), plus a parse of the title, which is not part of the text: the lead is
never parsed a second time. They are stored as the ``lead`` layer (one :class:`~sitroom.model.LeadNoun`
per noun, a stand-off span into the text or the title), so the cross-document update reads them
instead of parsing. Documents stored before the layer existed get the same nouns from
:func:`parse_lead_nouns`, which parses exactly what the pipeline parses.
"""

from __future__ import annotations

from typing import Any

from sitroom.model import LeadNoun

# v4: read from a parse in which a dateline naming an outlet the agency list lacks ends a sentence;
# v3: read from a parse in which a line break ends a sentence in text that does not wrap its lines (web
# pages: sitroom.nlp.paragraphs); v2: read from a parse in which a blank line ends a sentence
# (sitroom.nlp.paragraphs)
LEAD_VERSION = "lead.v4"
# The lead: the title, then the first lines of at least LEAD_MIN_WORDS words (datelines, bylines
# and photo credits are shorter), up to LEAD_LINES lines in all.
LEAD_LINES = 4
LEAD_MIN_WORDS = 6
# At most this many characters of lead are read: a lead is a few sentences, and a document of one
# long line (no line breaks) would make its whole text the "lead".
LEAD_MAX_CHARS = 5000
# Dependency labels of the argument slots whose nouns name what happened.
_ARGUMENT_SLOTS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "ROOT", "compound", "conj", "appos"}
)
# Pipes the nouns need (tags, arcs, lemmas); named entities are not used. In spaCy's English
# pipelines these run before ``ner``, so their output is the same with or without it.
LEAD_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def lead_lines(title: str | None, text: str, *, lines: int = LEAD_LINES) -> list[str]:
    """The title (when given and not already the text's first line) and the text's first lines of at
    least LEAD_MIN_WORDS words, ``lines`` in all (whitespace collapsed)."""
    title = " ".join((title or "").split())
    return ([title] if title else []) + [" ".join(text[s:e].split()) for s, e in lead_spans(title, text)]


def lead_spans(title: str | None, text: str, *, lines: int = LEAD_LINES) -> list[tuple[int, int]]:
    """Where the lead's lines other than the title are in ``text``: (start, end) of each."""
    title = " ".join((title or "").split())
    room = lines - (1 if title else 0)
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        start, position = position, position + len(line)
        if len(spans) >= room:
            break
        words = line.split()
        if len(words) >= LEAD_MIN_WORDS and " ".join(words) != title:
            spans.append((start, start + len(line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))))
    return spans


def lead_nouns(parsed: Any, parsed_title: Any, *, title: str | None, text: str) -> list[LeadNoun]:
    """The lead's nouns in argument slots, title first, in order, repeats kept (the clusterer weighs
    them by frequency). ``parsed`` is the spaCy parse of ``text``; ``parsed_title`` of the title
    (None without one)."""
    budget = LEAD_MAX_CHARS
    found: list[LeadNoun] = []
    if parsed_title is not None and " ".join((title or "").split()):
        found += [
            LeadNoun(start=t.idx, end=t.idx + len(t), lemma=t.lemma_.lower(), in_title=True)
            for t in parsed_title
            if _names_what_happened(t) and t.idx < budget
        ]
        budget -= len(parsed_title.text) + 1
    for start, end in lead_spans(title, text):
        if budget <= 0:
            break
        span = parsed.char_span(start, end, alignment_mode="expand")
        limit = start + budget
        found += [
            LeadNoun(start=t.idx, end=t.idx + len(t), lemma=t.lemma_.lower())
            for t in span or ()
            if _names_what_happened(t) and t.idx < limit
        ]
        budget -= end - start + 1
    return found


def parse_lead_nouns(nlp: Any, title: str | None, text: str) -> list[LeadNoun]:
    """:func:`lead_nouns` for a document the pipeline did not store them for: parses the text and the
    title with the pipes the nouns need (the same parse as the pipeline's, without ``ner``)."""
    if not lead_spans(title, text) and not (title or "").strip():
        return []
    from sitroom.pipeline import spacy_text

    enabled = [name for name in LEAD_PIPES if name in nlp.pipe_names]
    with nlp.select_pipes(enable=enabled):
        parsed = nlp(spacy_text(text))  # as the pipeline parses it
        parsed_title = nlp(" ".join(title.split())) if title and title.strip() else None
    return lead_nouns(parsed, parsed_title, title=title, text=text)


def parse_titles(nlp: Any, titles: list[str | None]) -> list[Any]:
    """The parse of each title (None for a document without one), batched, with the pipes the lead
    nouns need."""
    wanted = [" ".join((t or "").split()) for t in titles]
    enabled = [name for name in LEAD_PIPES if name in nlp.pipe_names]
    with nlp.select_pipes(enable=enabled):
        parsed = iter(nlp.pipe(t for t in wanted if t))
        return [next(parsed) if t else None for t in wanted]


def lead_terms_of(nouns: list[LeadNoun]) -> tuple[str, ...]:
    """The lemmas the story clusterer reads, title first then text order (stored rows come back in
    offset order, which interleaves the title's offsets with the text's)."""
    ordered = sorted(nouns, key=lambda n: (not n.in_title, n.start))
    return tuple(n.lemma for n in ordered)


def _names_what_happened(token: Any) -> bool:
    return (
        token.pos_ == "NOUN"
        and token.dep_ in _ARGUMENT_SLOTS
        and token.is_alpha
        and not token.is_stop
        and len(token) >= 3
    )
