"""Second recognition pass of the geoparser: names spaCy called a person or an organisation that are
towns near the places the document is confidently about.

Local news names its small towns bare, as sentence subjects and objects ("Lanexa is seven miles
away", "Pataskala will vote"), and spaCy's small model often labels them PERSON or ORG. Such a name is
kept only where the first pass already placed the document: the gazetteer must know a town (or a
county or region) of that exact name within ``NEAR_KM`` of a place resolved with confidence, and the
name must not be a person's in this document (part of a longer person's name, after a title, or the
one who "said" something). A far namesake is no evidence, which keeps "Jackson" the coach a person in
a story from Georgia unless Jackson, Georgia lies near the story's towns.
"""

from __future__ import annotations

import re

from sitroom.model import Place
from sitroom.nlp.gazetteer import MATCH_PRIMARY, Gazetteer, normalize_name
from sitroom.nlp.geo_recognize import COMMON_WORDS

NEAR_KM = 60.0
_MIN_CONFIDENCE = 0.5  # Place.score of a resolved toponym that may anchor others
_ANCHOR_FEATURES = frozenset({"populated place", "capital", "admin2", "vicinity"})
_CANDIDATE_FEATURES = frozenset({"populated place", "capital", "admin2"})
_TITLES = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Lt|Sgt|Capt|Col|Gen|Rev|St|Judge|Coach|President|Mayor|Officer|"
    r"Sheriff|Chief|Deputy|Detective|Trooper|Pastor|Father|Sister|Brother|Uncle|Aunt)\.?\s+)$"
)
# "the Clinton administration", "Parker, 8,": a person's words after the name.
_PERSON_AFTER = re.compile(
    r"^(?:(?:\s+and\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s+(?:administrations?|family|campaign|era|presidency)\b"
    r"|\s*,\s*\d{1,3}\s*,)"
)
_SPEECH = frozenset({"say", "tell", "add", "explain", "note", "write", "ask", "reply", "insist", "claim"})


def nearby_mislabelled(text: str, spacy_doc, gaz: Gazetteer, places: list[Place]) -> list[tuple[int, int]]:
    """Spans of PERSON/ORG entities that name a town near the document's confident places (see the
    module docstring); none that overlap a found place."""
    anchors = [
        (p.lat, p.lon) for p in places if p.feature in _ANCHOR_FEATURES and p.score >= _MIN_CONFIDENCE
    ]
    # Countries the document confidently names (directly, or as the country of a place it names): a
    # country called a person counts where another country is named, a state or province where its
    # own country is ("Mozambique and Botswana", "the province Gauteng, near Johannesburg").
    named = {p.country_code for p in places if p.feature in ("country", "demonym") and p.score >= _MIN_CONFIDENCE}
    home = {p.country_code for p in places if p.country_code and p.score >= _MIN_CONFIDENCE}
    if not anchors and not home:
        return []
    taken = [(p.start, p.end) for p in places]
    person_words = {
        normalize_name(t.text) for e in spacy_doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e
    }
    found: list[tuple[int, int]] = []
    for ent in spacy_doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or len(ent) > 3:
            continue
        start, end = ent.start_char, ent.end_char
        if text[start:end].lower().startswith("the "):
            start += 4
        end -= len(re.search(r"(?:’s|'s)?$", text[start:end]).group(0))
        surface = text[start:end]
        key = normalize_name(surface)
        if not surface[:1].isupper() or any(s < end and start < e for s, e in taken):
            continue
        if (
            key in person_words
            or key in COMMON_WORDS
            or _TITLES.search(text[max(0, start - 20) : start])
            or _PERSON_AFTER.match(text[end : end + 40])
            or _is_speaker(ent)
        ):
            continue
        if any(_near(c.entry.lat, c.entry.lon, anchors) for c in _candidates(gaz, surface)) or any(
            (c.entry.feature == "country" and named - {c.entry.country_code})
            or (c.entry.feature == "admin1" and c.entry.country_code in home)
            or (  # a county by its own whole name: "Devon", "Monmouthshire"
                c.entry.feature == "admin2" and c.entry.country_code in home and normalize_name(c.entry.name) == key
            )
            for c in gaz.candidates(surface, loose=False)
            if c.match == MATCH_PRIMARY
        ):
            found.append((start, end))
    return found


def _candidates(gaz: Gazetteer, surface: str):
    """Towns and counties of that name: by their primary name, or by another spelling for a town of some
    size ("Avdiivka" for Avdiyivka, "Marinka" for Mar'yinka: transliterations news writes its own way)."""
    return [
        c
        for c in gaz.candidates(surface, loose=False)
        if c.entry.feature in _CANDIDATE_FEATURES
        and (c.match == MATCH_PRIMARY or c.entry.population >= _MIN_ALTERNATE_POPULATION)
    ]


_MIN_ALTERNATE_POPULATION = 1000


def _near(lat: float, lon: float, anchors: list[tuple[float, float]]) -> bool:
    from sitroom.nlp.places import distance_km  # places imports this module lazily

    return any(distance_km(lat, lon, alat, alon) <= NEAR_KM for alat, alon in anchors)


def _is_speaker(ent) -> bool:
    root = ent.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in _SPEECH
