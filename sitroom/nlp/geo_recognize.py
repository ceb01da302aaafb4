"""Toponym recognition for the geoparser: which spans of a spaCy-parsed document name places.

Sources, in order: spaCy's GPE/LOC entities (FAC only when the gazetteer knows the name), NORP
entities that are demonyms of a country or continent ("Syrian"), names a gazetteer knows well
(countries, first-level regions, cities over 100,000, seas, regions) that spaCy missed, and -- one sense
per discourse -- every further occurrence of a name already recognised in the document, even inside
an organisation's or facility's name ("the Mansfield Police Department"), as news geoparsing gold
sets annotate them. Directional words are trimmed ("northern Syria" -> "Syria") unless the whole phrase
is itself a name ("North Korea").
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from sitroom.nlp.gazetteer import MATCH_PRIMARY, Candidate, Gazetteer, normalize_name

_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
_BLOCKING_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "FAC", "NORP"})
_DIRECTION = re.compile(
    r"^(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central|upstate|downstate|greater)\s+",
    re.IGNORECASE,
)
_WELL_KNOWN = frozenset({"country", "admin1", "capital", "continent", "region", "water", "island"})
_MIN_CITY_POPULATION = 100_000
# Words that are also (tiny) place names somewhere but in news are nearly always just words.
_COMMON_WORDS = frozenset(
    "north south east west northeast northwest southeast southwest central gulf man union republic street "
    "road avenue city county park metro lake river mount valley island state states capital".split()
)
_TRAILING_TYPE = re.compile(r"\s+(?:city|province|town)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def read_metonym_verbs() -> frozenset[str]:
    """Verb lemmas whose country or capital subject is an actor, from the data file."""
    path = resources.files("sitroom") / "data" / "gazetteer" / "metonym_verbs.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def find_toponym_spans(text: str, spacy_doc, gaz: Gazetteer) -> list[tuple[int, int, bool]]:
    """Return toponym spans (start, end, is_metonym), sorted and non-overlapping."""
    chosen: list[tuple[int, int]] = []
    blocked = [False] * (len(text) + 1)
    for ent in spacy_doc.ents:
        if ent.label_ in _ENTITY_LABELS or ent.label_ == "NORP":
            for start, end in _split_entity(text, ent.start_char, ent.end_char, gaz):
                cands = gaz.candidates(text[start:end], loose=False)
                if ent.label_ == "NORP" and not any(_is_demonym_target(c) for c in cands):
                    continue
                if ent.label_ == "FAC" and not cands:
                    continue
                if ent.label_ != "NORP" and cands and not any(_is_plausible(c) for c in cands):
                    continue  # spaCy's GPE guesses on surnames ("Hartmann") match only village alternates
                chosen.append((start, end))
        if ent.label_ in _BLOCKING_LABELS:
            for i in range(ent.start_char, ent.end_char):
                blocked[i] = True
    taken = [False] * (len(text) + 1)
    for start, end in chosen:
        for i in range(start, end):
            taken[i] = True
    known = {normalize_name(text[s:e]) for s, e in chosen} - _COMMON_WORDS
    for _ in range(2):  # a name found by the scan is known for the second pass
        found = _scan_tokens(text, spacy_doc, gaz, taken, blocked, known)
        for start, end in found:
            known.add(normalize_name(text[start:end]))
            for i in range(start, end):
                taken[i] = True
        chosen.extend(found)
    return [(s, e, is_metonym(spacy_doc, s, e)) for s, e in sorted(set(chosen))]


def _is_plausible(cand: Candidate) -> bool:
    entry = cand.entry
    return cand.match == MATCH_PRIMARY or entry.feature != "populated place" or entry.population >= 1000


def _is_demonym_target(cand: Candidate) -> bool:
    return cand.entry.feature in ("country", "continent", "region")


def _split_entity(text: str, start: int, end: int, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Trim "the", possessives and directional words; split "Paris, Texas" into its two toponyms."""
    lead = re.match(r"(?i)the\s+", text[start:end])
    if lead:
        start += lead.end()
    trail = re.search(r"(?:’s|'s|’|')$", text[start:end])
    if trail:
        end -= len(trail.group(0))
    out = []
    pos = start
    for part in text[start:end].split(","):
        s = pos + len(part) - len(part.lstrip())
        e = pos + len(part.rstrip())
        pos += len(part) + 1
        if e <= s:
            continue
        direction = _DIRECTION.match(text[s:e])
        if direction and not gaz.candidates(text[s:e], loose=False):
            s += direction.end()
        kind = _TRAILING_TYPE.search(text[s:e])
        if kind and not gaz.candidates(text[s:e], loose=False):
            e -= len(kind.group(0))
        out.append((s, e))
    return out


def _scan_tokens(
    text: str, spacy_doc, gaz: Gazetteer, taken: list[bool], blocked: list[bool], known: set[str]
) -> list[tuple[int, int]]:
    """Add names spaCy missed: known names anywhere, well-known gazetteer names outside other entities,
    and countries/regions/big cities at the start of an organisation's name."""
    found = []
    tokens = list(spacy_doc)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.text[:1].isupper() or taken[tok.idx] or tok.lower_ == "the":
            i += 1
            continue
        matched = 0
        for n in (4, 3, 2, 1):
            if i + n > len(tokens):
                continue
            last = tokens[i + n - 1]
            start, end = tok.idx, last.idx + len(last.text)
            if any(taken[start:end]) or not last.text[:1].isalpha():
                continue
            key = normalize_name(text[start:end])
            if not key or key in _COMMON_WORDS:
                continue
            inside = blocked[start]
            if key in known or (not inside and _looks_like_place(gaz, text[start:end], tok, n)):
                found.append((start, end))
                matched = n
                break
        i += matched or 1
    return found


def _looks_like_place(gaz: Gazetteer, surface: str, tok, n: int) -> bool:
    if n == 1 and (tok.is_stop or tok.pos_ != "PROPN"):
        return False
    for cand in gaz.candidates(surface, loose=False):
        entry = cand.entry
        if cand.match != MATCH_PRIMARY and not (entry.feature == "country" and len(surface) >= 2):
            continue
        if entry.feature in _WELL_KNOWN or entry.population >= _MIN_CITY_POPULATION:
            return True
    return False


def is_metonym(spacy_doc, start: int, end: int) -> bool:
    """A toponym that is the subject of a speech or agency verb stands for its government."""
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass") or root.head.pos_ not in ("VERB", "AUX"):
        return False
    return root.head.lemma_.lower() in read_metonym_verbs()
