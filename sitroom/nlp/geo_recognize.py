"""Toponym recognition for the geoparser: which spans of a spaCy-parsed document name places.

Sources, in order: spaCy's GPE/LOC entities (FAC only when the gazetteer knows the name), NORP
entities that are demonyms of a country, continent, region, state or city ("Syrian", "Texans"), entities spaCy mislabels whose whole
text is a curated place ("the Caucasus" or "the Hmeimim Air Base" as ORG) or a sizeable town ("Jisr al
Shughur" as PERSON), names a gazetteer knows well
(countries, first-level regions, cities over 100,000, seas, regions) that spaCy missed, local features
by their head word ("Bucknell Drive", "Douglas County", "Highway 19") whatever spaCy's label, a town
right after "in"/"near"/"from" that spaCy calls a person or organisation, and -- one sense
per discourse -- every further occurrence of a name already recognised in the document, even inside
an organisation's or facility's name ("the Mansfield Police Department"), as news geoparsing gold
sets annotate them. Directional words are trimmed ("northern Syria" -> "Syria") unless the whole phrase
is itself a name ("North Korea"); a direction word or an admin type word next to a toponym joins it
when the longer phrase is itself a gazetteer name ("northeastern Syria", "Idlib province").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from sitroom.clean.metadata import locate_dateline
from sitroom.nlp.gazetteer import (
    MATCH_LOOSE,
    MATCH_PRIMARY,
    TOWN_FEATURES,
    Candidate,
    Gazetteer,
    data_lines,
    is_demonym_of,
    normalize_name,
    strip_admin_affix,
)
from sitroom.nlp.given_names import load_given_names
from sitroom.nlp.timex_patterns import MONTHS

_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels spaCy's small model puts on place names it does not know as places ("in Calcutta" as a
# product, "officials in Dogubayazit" as an organisation): such a name is checked as a place.
_MISLABELS = frozenset({"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT"})
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
    "road avenue city county park metro lake river mount valley island state states capital vice deputy acting "
    "former centre center".split()
)
COMMON_WORDS = _COMMON_WORDS  # for the second recognition pass (geo_nearby)
# Names news never means as places whatever spaCy's label: bodies of the sky ("fell toward Earth", "a
# mission to Mars": not Earth, Texas or Mars, Pennsylvania) and the Games ("Olympic events", which spaCy
# calls a facility: not Olympic, Hong Kong).
_NEVER_PLACES = frozenset(
    "earth|the earth|moon|the moon|mars|venus|mercury|jupiter|saturn|olympic|olympics".split("|")
)
# An oil grade named after a place ("Brent crude", "Urals crude", "West Texas Intermediate", "Brent
# LCOc1"): a price in a market report, not a place.
_OIL_GRADE = re.compile(r"\s*(?:Intermediate\b|crude\b|blend\b|LCOc\d|futures\b)")


def _oil_grade(text: str, spacy_doc, start: int, end: int) -> bool:
    """A place's name before an oil grade's word; not a demonym ("Iraqi crude" says where it is from)."""
    if not _OIL_GRADE.match(text, end):
        return False
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    return span is None or not any(t.ent_type_ == "NORP" or t.pos_ == "ADJ" for t in span)


# "the West", "the East": the Western world or a country's own quarter, no one point on a map (the
# gazetteer's West, Cameroon or Nord, Haiti are never meant).
_THE_COMPASS = re.compile(r"(?:north|south|east|west)(?:east|west)?", re.IGNORECASE)


def _the_compass(text: str, start: int, end: int) -> bool:
    return bool(_THE_COMPASS.fullmatch(text[start:end])) and text[max(0, start - 4) : start].lower() == "the "


_TRAILING_TYPE = re.compile(r"\s+(?:city|province|town)$", re.IGNORECASE)
# Curated (features.csv) kinds: their names are specific enough to trust over spaCy's label.
_CURATED = frozenset(
    {"continent", "region", "water", "landform", "island", "military base", "road", "border crossing",
     "seat of government", "airport", "landmark"}
)  # fmt: skip
# A mislabelled multi-word entity counts as a town only above this size: person and company names
# collide with hamlets, rarely with towns of this size.
_MIN_MISLABELLED_TOWN = 10_000
_ADMIN_TYPE_AFTER = re.compile(
    r"^\s+(province|governorate|oblast|prefecture|district|county)\b", re.IGNORECASE
)
# Words a toponym may lose to spaCy's span: directions ("northeastern Syria") and the Arabic article
# written apart ("the al Ghab Plain").
_WORD_BEFORE = re.compile(
    r"\b((?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central|al|el|ad|ar|as|ash|at|az|an)\s+$",
    re.IGNORECASE,
)


# Local features that no gazetteer of towns holds but that news (and news geoparsing gold sets) name as
# places: streets, roads, parks, lakes, rivers, bridges, counties. Found by their head word whatever
# label spaCy gave them ("Bucknell Drive" as PERSON, "Douglas County" as ORG); the resolver places
# those it cannot find in the gazetteer in their vicinity.
_NAME_WORD = r"(?:[A-Z][a-z]?\.|[A-Z][\w’'-]*|\d+(?:st|nd|rd|th))"  # "St.", "Cedar", "40th"; never "Texas."
_LOCAL_FEATURE = re.compile(
    r"\b(?:U\.S\. |US |State |County )?(?:Highway|Interstate|Route|Road)\s+\d+[A-Z]?\b|"
    rf"\b(?:{_NAME_WORD}\s+){{1,3}}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Drive|Lane|Boulevard|Blvd\.|"
    r"Parkway|Highway|Circle|Park|Lake|River|Creek|Bay|Bridge|Airport|Square|Plaza|County|Parish|"
    r"Township|Twp\.|Mountains?|Valley|Canyon|Beach|Harbou?r|Wilderness|Forest)(?![\w’'-])"
    r"|\b(?:Lake|Mount|Fort)\s+[A-Z][\w’'-]+"
)
_OWNER = re.compile(r"([A-Z][\w.-]*(?:\s[A-Z][\w.-]*){0,2})['’]s\s+")  # a possessor opening a name
_LEADING_WORDS = re.compile(r"^(?:(?:The|A|An|In|On|At|Near|From|To|Of|And|Or|But|By|For)\s+)+")
# Prepositions before a name that make it a place even where spaCy calls it a person or an
# organisation ("died in Gainesville", "moved from Huntsville").
_LOCATIVE_BEFORE = frozenset({"in", "near", "outside", "around", "throughout", "across", "from", "to"})


@lru_cache(maxsize=1)
def read_metonym_verbs() -> frozenset[str]:
    """Verb lemmas whose country or capital subject is an actor, from the data file."""
    return frozenset(data_lines("metonym_verbs.txt"))


def find_toponym_spans(text: str, spacy_doc, gaz: Gazetteer) -> list[tuple[int, int, bool]]:
    """Return toponym spans (start, end, is_metonym), sorted and non-overlapping."""
    chosen: list[tuple[int, int]] = []
    blocked = [False] * (len(text) + 1)
    persons = frozenset(e.text for e in spacy_doc.ents if e.label_ == "PERSON") | frozenset(
        e[-1].text for e in spacy_doc.ents if e.label_ == "PERSON" and len(e) > 1
    )
    # Names spaCy calls a person where no "in", "from", "to" … stands before them: "intelligence to
    # Clinton" is the same Clinton as "Clinton herself was set to visit", not a town.
    surnames = _full_name_surnames(spacy_doc)
    named_persons = frozenset(
        normalize_name(e.text)
        for e in spacy_doc.ents
        if e.label_ == "PERSON" and (e.start == 0 or spacy_doc[e.start - 1].lower_ not in _LOCATIVE_BEFORE)
    )
    for ent in spacy_doc.ents:
        if ent.text.islower():
            # "smaller metro newspapers" as a facility: a place's name is capitalised
            if ent.label_ in _BLOCKING_LABELS:
                blocked[ent.start_char : ent.end_char] = [True] * (ent.end_char - ent.start_char)
            continue
        if pair := _conjoined_places(text, ent.start_char, ent.end_char, gaz):
            chosen.extend(pair)  # "Pune and Nashik" as one ORG, "Ahmedabad and Hyderabad" as a title
            continue
        trimmed = _trim(text, ent.start_char, ent.end_char)
        if ent.label_ not in _ENTITY_LABELS and _is_typed_region(text, *trimmed, gaz):
            chosen.append(trimmed)  # "the Zaporizhzhia region" labelled a person
            continue
        if ent.label_ in _ENTITY_LABELS and len(ent) == 1 and _misread_abbreviation(ent[0]):
            continue  # "100 B.C.", "Del. Mark Keam"
        if len(ent) == 1 and _acronym_of_a_village(gaz, ent[0]):
            continue  # "commitments to NATO": the alliance, not Nato in the Philippines
        if ent.label_ in _ENTITY_LABELS or ent.label_ == "NORP":
            for start, end in _split_entity(text, ent.start_char, ent.end_char, gaz):
                start, end = _across_particle(text, start, end, gaz)
                cands = gaz.candidates(text[start:end], loose=False)
                if ent.label_ == "NORP" and not cands and text[end - 1 : end] == "s":
                    cands = gaz.candidates(text[start : end - 1], loose=False)  # "the Russians"
                if ent.label_ == "NORP" and not any(_is_demonym_target(c, text[start:end]) for c in cands):
                    if (
                        _is_mislabelled_place(gaz, text[start:end], towns=False)
                        or _is_typed_region(text, start, end, gaz)
                        or _is_town_after_locative(gaz, spacy_doc, ent, text[start:end])  # "in Kidal"
                    ):
                        chosen.append((start, end))
                    continue
                if ent.label_ == "FAC" and not cands and not _is_mislabelled_place(gaz, text[start:end]):
                    continue
                if (
                    not cands
                    and ent.label_ != "FAC"
                    and not _is_mislabelled_place(gaz, text[start:end])
                    and not _before_its_region(gaz, text, start, end, persons)
                    and not (ent.label_ in ("GPE", "LOC") and _is_spelling_variant(gaz, text[start:end]))
                ):
                    continue  # an unknown GPE/LOC guess is as often a surname; local features come below
                if ent.label_ != "NORP" and cands and not any(_is_plausible(c) for c in cands):
                    continue  # spaCy's GPE guesses on surnames ("Hartmann") match only village alternates
                chosen.append((start, end))
        elif ent.label_ in _MISLABELS:
            start, end = _trim(text, ent.start_char, ent.end_char)
            # "the Lattakia governorate" tagged ORG: the type word after it proves the place
            if end > start and (
                _is_mislabelled_place(gaz, text[start:end], towns=ent.label_ == "PERSON")
                or _extend(text, start, end, gaz)[1] > end
                or (
                    _is_town_after_locative(gaz, spacy_doc, ent, text[start:end])
                    and not (ent.label_ == "PERSON" and normalize_name(text[start:end]) in named_persons)
                )
            ):
                chosen.append((start, end))
        if ent.label_ in _BLOCKING_LABELS:
            for i in range(ent.start_char, ent.end_char):
                blocked[i] = True
    chosen = _with_dateline_town(text, gaz, chosen)
    chosen = _add_local_features(text, _outermost({_extend(text, s, e, gaz) for s, e in chosen}))
    chosen = _add_cued_places(text, spacy_doc, gaz, chosen)
    chosen = _add_kind_phrases(text, spacy_doc, gaz, chosen)
    taken = [False] * (len(text) + 1)
    for start, end in chosen:
        for i in range(start, end):
            taken[i] = True
    known = {normalize_name(text[s:e]) for s, e in chosen} - _COMMON_WORDS
    for _ in range(2):  # a name found by the scan is known for the second pass
        known |= _curated_aliases(gaz, known)
        found = [
            _extend(text, s, e, gaz) for s, e in _scan_tokens(text, spacy_doc, gaz, taken, blocked, known)
        ]
        found = [(s, e) for s, e in found if not any(taken[s:e])]
        for start, end in found:
            known.add(normalize_name(text[start:end]))
            for i in range(start, end):
                taken[i] = True
        chosen.extend(found)
    chosen = _complete_lists(text, gaz, chosen)
    chosen = _complete_pairs(text, spacy_doc, gaz, chosen)
    diseases = _disease_names(text, gaz)
    chosen = [
        (s, e)
        for s, e in chosen
        if not _a_persons_surname(text, spacy_doc, (s, e), surnames)
        and normalize_name(text[s:e]) not in _NEVER_PLACES
        and text[s:e].lower() not in _HONORIFICS  # "Ms. Lopez" is no Mississippi
        and "$" not in text[s : e + 1]  # "US$ 5 million", "HK$": a currency
        and not _the_compass(text, s, e)
        and not _a_saints_possession(text, s, e, gaz)
        and not _oil_grade(text, spacy_doc, s, e)
        and not (normalize_name(text[s:e]) in diseases and not _after_place_word(spacy_doc, s))
    ]
    return [(s, e, is_metonym(spacy_doc, s, e, text=text)) for s, e in sorted(set(chosen))]


# A place's name before one of these words names a disease or its agent: "Reston ebolavirus", "Marburg
# virus", "Rift Valley fever", "West Nile virus", "Lyme disease".
_DISEASE_AFTER = re.compile(
    r"((?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*)\s+(?:ebola)?(?:virus|viruses|fever|disease)\b"
)


def _with_dateline_town(text: str, gaz: Gazetteer, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The town of a dateline opening one of the first paragraphs, whole ("ST. JOSEPH, Mich. (AP) —"
    is St. Joseph, where spaCy reads "ST" and "JOSEPH" apart and "ST" would be Sète), in place of the
    pieces found inside it."""
    found = locate_dateline(text)
    if found is None:
        return chosen
    start, end = found.place
    if not gaz.candidates(text[start:end].title(), loose=False):
        return chosen
    return [(s, e) for s, e in chosen if e <= start or s >= end] + [(start, end)]


def _disease_names(text: str, gaz: Gazetteer) -> frozenset[str]:
    """The names a document uses for a disease or virus (see _DISEASE_AFTER): such a name is the
    disease wherever the document repeats it, unless a preposition of place stands before it. A
    country before such a word is where ("the United States disease burden")."""
    names = {m.group(1) for m in _DISEASE_AFTER.finditer(text)}
    return frozenset(normalize_name(n) for n in names if not _is_country(gaz, n))


def _after_place_word(spacy_doc, start: int) -> bool:
    """Whether a preposition of place ("in", "near", "from" …, an article allowed) stands before the
    span starting at ``start``."""
    span = spacy_doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    before = spacy_doc[span.start - 1]
    if before.lower_ in ("the", "a") and before.i > 0:
        before = spacy_doc[before.i - 1]
    return before.lower_ in _LOCATIVE_BEFORE


def _full_name_surnames(spacy_doc) -> frozenset[str]:
    """The surnames of the people a document names in full ("Luis Palau", "Col. Steve Warren"): two or
    three capitalised words spaCy calls a person, the surname of which spaCy calls a person again — the
    same full name twice, another of the family ("Kevin Palau"), or the surname alone, or once after a
    common given name. One headline-like phrase spaCy once calls a person ("Rethinking Egypt", "Historic
    Dublin") is no one's name."""
    # a possessive ending is no part of the name ("Hillary Clinton's" left every bare "Clinton" a town)
    persons = [
        e[:-1] if len(e) > 1 and e[-1].tag_ == "POS" else e for e in spacy_doc.ents if e.label_ == "PERSON"
    ]
    full = [e for e in persons if 2 <= len(e) <= 3 and all(t.is_alpha and t.is_title for t in e)]
    counts = Counter(normalize_name(e[-1].text) for e in persons)
    # a title before the bare surname says the same ("coach Darren Ripley" … "states coach Ripley",
    # which spaCy calls a place)
    counts.update(
        normalize_name(t.text) for t in spacy_doc[1:] if spacy_doc[t.i - 1].lower_ in _TITLE_WORDS and t.is_title
    )
    # a common given name first makes one full name enough ("Kyle Kuzma … Kuzma returned"): "Historic"
    # and "Rethinking" are no one's first name
    given = load_given_names()
    return frozenset(
        normalize_name(e[-1].text)
        for e in full
        if counts[normalize_name(e[-1].text)] >= 2 or e[0].lower_ in given
    )


# Words news puts before a surname: "coach Ripley", "Sen. Cardin", "Mayor Berg"; the courtesy titles
# among them are never places themselves.
_HONORIFICS = frozenset("mr. mrs. ms. dr. messrs.".split())
_TITLE_WORDS = _HONORIFICS | frozenset(
    "coach sen. rep. gov. mayor president senator governor minister judge sheriff sgt. lt. capt. col. gen. "
    "prof. rev. pastor commissioner councilman councilwoman superintendent".split()
)


def _a_persons_surname(text: str, spacy_doc, span: tuple[int, int], surnames: frozenset[str]) -> bool:
    """Whether a one-word span is the surname of a person the document names in full, used alone or in
    a name built on it ("Palau said", "the Palau Association" beside "Luis Palau"; "Warren" beside
    "Col. Steve Warren"): the person, not the country or the town. A preposition of place before it
    ("in Warren") keeps the place."""
    start, end = span
    if " " in text[start:end].strip() or normalize_name(text[start:end]) not in surnames:
        return False
    return not _after_place_word(spacy_doc, start)


def _add_local_features(text: str, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add street, road, park, lake, county ... names; a longer name swallows the toponyms inside it
    ("Boston Harbor" over "Boston"), a partly overlapping one is left out."""
    spans = list(chosen)
    for match in _LOCAL_FEATURE.finditer(text):
        start, end = match.start(), match.end()
        lead = _LEADING_WORDS.match(text[start:end])
        if lead:
            start += lead.end()
        owner = _OWNER.match(text[start:end])
        if owner and (start, start + owner.end(1)) in spans:  # "Seoul's Gwanghwamun Square": two places
            start += owner.end()
        if end - start < 4 or " " not in text[start:end].strip():
            continue
        inside = [(s, e) for s, e in spans if s < end and start < e]
        if any(s < start or e > end for s, e in inside):
            continue
        spans = [span for span in spans if span not in inside] + [(start, end)]
    return sorted(spans)


# Local news names its towns in set phrases whatever label spaCy gives them (often none, ORG or
# PERSON): the dateline ("ROSWELL - A man ...", "CARTHAGE, N.C. (AP) -"), the town's institutions and
# people ("Winona police", "Hounslow residents"), where a person is from ("Paul Block, 49, of
# Waterloo"), a politician's party and state ("D-S.C.", "R-Marshall"), and the state or province after
# a town ("Melville, Sask."). A cue only proposes the name; the gazetteer must know it as a town of
# some size or an admin region (see _is_cued_place).
_NAME = r"[A-Z][a-z][\w’'-]*"
# Lower-case particles inside a place's name: "Maarat al-Numan", "Deir ez-Zor", "Dar es Salaam",
# "Rio de Janeiro", "Newcastle upon Tyne".
_NAME_PARTICLE = r"(?:al|el|ad|ar|as|ash|at|az|ez|es|an|en|de|del|da|do|dos|das|du|des|la|le|upon)[-\s]"
_CUED_NAME = rf"{_NAME}(?:\s(?:{_NAME_PARTICLE})?{_NAME}){{0,2}}"
_DATELINE = re.compile(
    r"(?:^|\n|\.\s)\s*([A-Z][A-Z’'.-]{2,}(?:\s[A-Z][A-Z’'.-]+){0,2})"
    r"(?=(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\((?:AP|Reuters|AFP|UPI|CNN)\)|(?:[-—–]{1,2}|:)\s))"
)
_INSTITUTION_AFTER = re.compile(
    rf"\b({_CUED_NAME})(?:’s|'s)?\s+(?:police|(?i:mayor)|city council|town council|village board|city hall|"
    r"fire department|firefighters|fire chief|residents?|natives?|township|school district|schools|"
    r"aldermen|selectmen|board of education|ward councillor|(?i:sheriff))\b"
)
# A town's people and homes ("a Crafton man", "the Buford home", "a Lovejoy senior") and the firms
# based there ("Northbrook-based"): checked as whole proper names (see _is_whole_name), since "One
# man", "Young men" and "Concordia College students" open the same way.
_PEOPLE_AFTER = re.compile(
    rf"\b({_CUED_NAME})\s+(?:man|woman|men|women|teens?|teenagers?|boy|girl|couple|homeowners?|home|"
    r"students?|seniors?|sheriff|superintendent|selectman|first selectman)\b"
    rf"|\b({_CUED_NAME})-based\b"
)
_FROM_TOWN = re.compile(rf"(?:,\s*\d{{1,3}}\s*,|,)\s+of\s+({_CUED_NAME})")
# Who is in a place, said without a label spaCy gives ("Police in Winchester said", "residents in
# Bantam"): the name after them, if the gazetteer knows it as a town of some size or a region.
_PEOPLE_IN = re.compile(
    rf"\b(?:[Pp]olice|[Oo]fficials|[Aa]uthorities|[Rr]esidents|[Vv]oters|[Ff]irefighters|[Dd]eputies)\s+"
    rf"(?:in|from|of)\s+({_CUED_NAME})"
)
# A state's or country's government and its heads ("the NSW government", "Queensland Premier"): the
# name before them, when the gazetteer knows it as a state or country (a person's name never is).
_GOVERNMENT_AFTER = re.compile(
    rf"\b({_CUED_NAME}|[A-Z]{{2,4}})(?:’s|'s)?\s+(?:state\s+)?(?:government|parliament|legislature|"
    r"(?i:premier)|(?i:governor)|(?i:prime minister)|cabinet)\b"
)
# A country, region or capital before what is done from or with it, in one word ("the U.S.-led
# coalition", "a Moscow-brokered truce"): spaCy labels the word an organisation, or nothing.
_PLACE_COMPOUND = re.compile(
    r"(?<![\w.’'-])((?:[A-Z]\.){2,}|[A-Z][\w’']+)-(?:led|backed|based|funded|brokered|sponsored|allied|"
    r"aligned|controlled|held|occupied|made|born)\b"
)
_PARTY_STATE = re.compile(r"\b(?:[DRI]|DFL)-([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?=[,;)]|\s[-—–]|\s+and\s|(?<=\.)\s)")
# Two place names joined by a hyphen, not inside a longer name ("Montreal-Pierre Elliott Trudeau").
_HYPHENED = re.compile(rf"(?<![\w’'.-])({_NAME})-({_NAME})(?![\w’'-])(?!\s[A-Z])")
_NAME_BEFORE = re.compile(r"[A-Z][\w’'.-]*\s$")
_QUALIFIER_AFTER = re.compile(r"^,\s*([A-Z][a-z]{0,4}\.(?:\s?[A-Z][a-z]{0,3}\.)?|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")
_MIN_CUED_TOWN = 1000
# A town's own institutions, named after it ("Middletown High School", "Bantam Superior Court"): the
# words after the town in an organisation's or facility's name.
TOWN_INSTITUTION = re.compile(
    r"^\s+(?:Area\s+|City\s+|Town\s+|Township\s+|Community\s+|Regional\s+|Public\s+|Senior\s+)?"
    r"(?:High School|Middle School|Elementary School|Elementary|Schools|School District|Police Department|"
    r"Police|Fire Department|Fire Company|Superior Court|District Court|Municipal Court|City Council|"
    r"Town Council|Council|Library|Hospital|Medical Center|Chamber of Commerce|Emergency Services|"
    r"Board of Education|Housing Authority|Citizens Center|Historical Society|Planning Commission|"
    r"Seniors? Center|Community Center|Recreation Center|Town Hall|Board of Finance|"
    r"(?:Democratic |Republican )?Town Committee|First Selectman|Selectmen|Superintendent|Circuit Court|"
    r"Magistrates[’']? Court|Crown Court|General Hospital|Correctional Facility|State School|"
    r"Education Foundation|Independent School District|Parks and Recreation|Parks|Regional Park|"
    r"Sheriff[’']s (?:Office|Department)|Sheriff)\b"
)


# Words that open an institution's name without naming its town ("University Hospital Limerick",
# "General Hospital", "Memorial Medical Center"), though a town somewhere bears them (University, Florida).
_INSTITUTION_WORDS = frozenset(
    "university college general memorial royal national central regional community childrens children's "
    "veterans mercy state federal metropolitan baptist methodist catholic sacred heart christian".split()
)


def _add_cued_places(text: str, spacy_doc, gaz: Gazetteer, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add towns named in the set phrases of local news (see _DATELINE and the patterns after it)."""
    found: list[tuple[int, int]] = []
    persons = [e.text for e in spacy_doc.ents if e.label_ == "PERSON"]
    for match in _HYPHENED.finditer(text):  # "Fargo-Moorhead", "University of Nebraska-Lincoln"
        (s1, e1), (s2, e2) = match.span(1), match.span(2)
        if (
            any(match.group(0) in person for person in persons)  # there or anywhere else
            or _WORD_BEFORE.search(text[s1:e1] + " ")
            or _NAME_BEFORE.search(text[max(0, s1 - 30) : s1])
        ):
            continue  # "Joaquin Navarro-Valls", "Al-Ahram"
        if (
            not gaz.candidates(match.group(0), loose=False)  # "Al-Minya", "Batesburg-Leesville": one place
            and _is_sizeable_place(gaz, text[s1:e1])
            and _is_sizeable_place(gaz, text[s2:e2])
        ):
            found += [(s1, e1), (s2, e2)]
    for match in _PEOPLE_AFTER.finditer(text):
        start, end = match.span(1) if match.group(1) else match.span(2)
        lead = _LEADING_WORDS.match(text[start:end])
        start += lead.end() if lead else 0
        if end > start and _is_whole_name(spacy_doc, start, end) and _is_cued_place(gaz, text[start:end]):
            found.append((start, end))
    for pattern in (_DATELINE, _INSTITUTION_AFTER, _FROM_TOWN, _PARTY_STATE):
        for match in pattern.finditer(text):
            start, end = match.span(1)
            name = text[start:end]
            if pattern is _INSTITUTION_AFTER or pattern is _FROM_TOWN:
                start, end = _longest_town_suffix(gaz, text, start, end)
                if pattern is _INSTITUTION_AFTER and text[match.end(1) :].lstrip("’'s ")[:1].isupper():
                    # "Tillsonburg Mayor Jane Roe" but not "Vice Mayor", "East Bank Mayor"
                    end = start if not _is_whole_name(spacy_doc, start, end) else end
            elif pattern is _DATELINE:
                name = name.title()
            elif name.endswith(".") and len(name) > 6 and "." not in name[:-1]:
                end -= 1  # "D-McDowell." ends a sentence; "D-Calif." is an abbreviation
            name = name if pattern is _DATELINE else text[start:end]
            # a legislator's district is often a county, named without "County" ("D-Braxton")
            if end > start and _is_cued_place(gaz, name, short_admin=pattern is _PARTY_STATE):
                found.append((start, end))
    for match in _PEOPLE_IN.finditer(text):
        start, end = match.span(1)
        name = text[start:end]
        if (
            name.split()[0].lower() not in MONTHS
            and _is_whole_name(spacy_doc, start, end)
            and _is_cued_place(gaz, name)
        ):
            found.append((start, end))
    for match in _GOVERNMENT_AFTER.finditer(text):
        start, end = match.span(1)
        lead = _LEADING_WORDS.match(text[start:end])
        start += lead.end() if lead else 0
        if end > start and _names_region(gaz, text[start:end]):
            found.append((start, end))
    for match in _PLACE_COMPOUND.finditer(text):
        if _names_region(gaz, match.group(1), ("country", "admin1", "capital")):
            found.append(match.span(1))
    for ent in spacy_doc.ents:
        if ent.label_ in ("ORG", "FAC", "PERSON"):  # "Middletown High School", "Athens Parks"
            start, _ = _trim(text, ent.start_char, ent.end_char)
            words = list(re.finditer(r"\S+", text[start : ent.end_char]))
            for n in range(min(3, len(words) - 1), 0, -1):
                end = start + words[n - 1].end()
                # a county's courts and hospitals carry its bare name ("Kanawha Circuit Court")
                if (
                    TOWN_INSTITUTION.match(text[end : ent.end_char + 1])
                    and normalize_name(text[start:end]) not in _INSTITUTION_WORDS
                    and _is_cued_place(gaz, text[start:end], short_admin=True)
                ):
                    found.append((start, end))
                    break
        if ent.label_ == "PERSON":  # "Nadia Moayyad of Southlake"
            after = re.match(rf"\s+of\s+({_CUED_NAME})", text[ent.end_char : ent.end_char + 60])
            if after:
                start, end = _longest_town_suffix(
                    gaz, text, ent.end_char + after.start(1), ent.end_char + after.end(1)
                )
                if end > start and _is_cued_place(gaz, text[start:end]):
                    found.append((start, end))
    spans = sorted(set(chosen))
    for start, end in sorted(set(found)):
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
    for _start, end in sorted(spans):  # "Melville, Sask.": the state or province after a town
        qualifier = _QUALIFIER_AFTER.match(text[end : end + 30])
        if qualifier:
            qs, qe = end + qualifier.start(1), end + qualifier.end(1)
            if not any(s < qe and qs < e for s, e in spans) and _names_region(gaz, text[qs:qe]):
                spans.append((qs, qe))
    spans += _towns_before_their_region(text, spacy_doc, gaz, spans)
    return sorted(spans)


_NAME_AND_COMMA = re.compile(rf"(?<![\w’'.-])({_CUED_NAME}),\s")


def _before_its_region(gaz: Gazetteer, text: str, start: int, end: int, persons: frozenset[str]) -> bool:
    """Whether a country or first-level region is named right after the name and closes the phrase
    ("Pingilikani, Kenya,", "Greenlane, Auckland,"): a place spaCy saw that the gazetteer lacks is one
    there. Not a name spaCy calls a person elsewhere in the text ("Dr Bruschke, Italy's chief vet")."""
    if text[start:end] in persons or " - " in text[start:end]:
        return False
    if _after_a_listed_country(gaz, text, start):
        return False  # "aligned with Iraq, Qatar, Syria, Hezbollah, Yemen": a list of peers, not "town, country"
    qualifier = _QUALIFIER_AFTER.match(text[end : end + 30])
    if qualifier is None or not _CLOSES.match(text[end + qualifier.end() : end + qualifier.end() + 2]):
        return False
    return _names_region(gaz, qualifier.group(1))


_CLOSES = re.compile(r"(?:[,;:.)—–]|\s[-—–]|$)")
# The name right before a list's comma ("Syria, " before "Hezbollah, Yemen").
_LISTED_BEFORE = re.compile(r"([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,2}),\s*$")


def _after_a_listed_country(gaz: Gazetteer, text: str, start: int) -> bool:
    """Whether the name at ``start`` follows a country and a comma: an item of a list of countries, which
    the next item does not qualify as a town's country. (A list of counties keeps the reading: "Oslo,
    Hedmark, Oppland" names a county the gazetteer lacks.)"""
    before = _LISTED_BEFORE.search(text[max(0, start - 40) : start])
    return before is not None and _names_region(gaz, before.group(1), ("country",))


def _names_region(gaz: Gazetteer, surface: str, features: tuple[str, ...] = ("country", "admin1")) -> bool:
    """Whether the gazetteer knows ``surface`` (by any of its names) as a country or first-level region
    (or another of ``features``)."""
    return any(c.entry.feature in features for c in gaz.candidates(surface, loose=False))


def _towns_before_their_region(text: str, spacy_doc, gaz: Gazetteer, spans: list[tuple[int, int]]):
    """A name the gazetteer knows as a town inside the state or country named right after it is that
    town, whatever label spaCy gave it ("Greer, South Carolina", "Churchill, Man."), unless it is
    inside a person's name ("John Smith, Texas' attorney general")."""
    persons = [(e.start_char, e.end_char) for e in spacy_doc.ents if e.label_ == "PERSON"]
    found = []
    for match in _NAME_AND_COMMA.finditer(text):
        start, end = match.span(1)
        if any(s < end and start < e for s, e in spans + found + persons):
            continue
        qualifier = _QUALIFIER_AFTER.match(text[end : end + 30])
        if not qualifier:
            continue
        regions = {
            (c.entry.country_code, c.entry.admin1 if c.entry.feature == "admin1" else None)
            for c in gaz.candidates(qualifier.group(1), loose=False)
            if c.entry.feature in ("admin1", "country")
        }
        if regions and any(
            c.match == MATCH_PRIMARY
            and c.entry.feature in ("populated place", "capital")
            and ((c.entry.country_code, c.entry.admin1) in regions or (c.entry.country_code, None) in regions)
            for c in gaz.candidates(text[start:end], loose=False)
        ):
            found.append((start, end))
    return found


# A kind word names the places after it whatever spaCy's label: "the village of Kfraya", "the towns
# of Haris and Varzaqan", "the northern town of Torun"; and before it, a list of counties or townships
# ("Barrow, Jackson and Madison counties"). After a settlement's kind word a name the gazetteer lacks
# is kept too (the resolver places it in the document's vicinity); after the other kinds, and before
# a plural kind, the gazetteer must know it.
_SETTLEMENT_KINDS = r"villages?|towns?|city|cities|hamlets?|townships?|communit(?:y|ies)|municipalit(?:y|ies)|suburbs?"
_KIND_NOUN_OF = re.compile(
    rf"\b(?:({_SETTLEMENT_KINDS})|districts?|count(?:y|ies)|provinces?|governorates?|prefectures?|"
    r"regions?|states?|islands?|neighbou?rhoods?)\s+of\s+"
    rf"({_CUED_NAME}(?:(?:,\s+|,?\s+(?:and|or)\s+){_CUED_NAME})*)"
)
_KIND_AFTER_NAME = re.compile(
    rf"({_CUED_NAME}(?:\s+and\s+{_CUED_NAME})?)\s+(?:(districts?|provinces?|governorates?|prefectures?|"
    r"municipality|township|villages?|camps?|slums?)|region|state|area|city|county)\b(?![’'-])"
)
def _bare_name(text: str, spacy_doc, start: int, end: int) -> tuple[int, int] | None:
    """The span without a leading article or preposition, if what is left is a whole proper name (see
    _is_whole_name) and no common word; else None. Used where the text says a name is a place whether
    or not the gazetteer knows it."""
    lead = _LEADING_WORDS.match(text[start:end])
    start += lead.end() if lead else 0
    name = text[start:end]
    if end > start and normalize_name(name) not in _COMMON_WORDS and _is_whole_name(spacy_doc, start, end):
        return start, end
    return None


_NAMES_LISTED = rf"({_CUED_NAME}(?:,\s+{_CUED_NAME})*,?\s+(?:and|or|&)\s+{_CUED_NAME})\s+"
_PLURAL_KIND_AFTER = re.compile(
    rf"{_NAMES_LISTED}(counties|parishes|boroughs|townships|districts|provinces)\b"
)
_ITEM = re.compile(rf"{_CUED_NAME}")
_POSSESSIVE_IN_NAMES = re.compile(r"^(.+?)['’]s\s+(?=[A-Z])")
# Settlements of a list named by a plural kind after it, "the Musaga and Cibitoke neighbourhoods": kept
# whether or not the gazetteer knows them, as after a singular settlement kind.
_PLURAL_SETTLEMENTS_AFTER = re.compile(
    rf"{_NAMES_LISTED}(?:neighbou?rhoods|villages|towns|townships|suburbs|camps|slums|settlements)\b"
)
# An appositive that says what a name is and where: "Kibera, Nairobi's largest informal settlement",
# "Dandenong, a suburb of Melbourne", "Qazigund, a town in south Kashmir". A name the gazetteer lacks
# is kept (the resolver places it where the appositive says).
_APPOSITIVE_KIND = re.compile(
    rf"({_CUED_NAME}),\s+(?:an?|the|{_NAME}['’]s)\s+(?:(?!(?:for|of|the|to|with|and)\s)[a-z][a-z-]*\s+){{0,3}}?"
    rf"(?:{_SETTLEMENT_KINDS}|settlements?|slums?|neighbou?rhoods?|quarters?|camps?|(districts?))"
    r"(?=\s*(?:[,.;:)]|$)|\s+(?:of|in|near|on|outside|located|just|some|about|close|along|across|between)\b)"
)


def _add_kind_phrases(
    text: str, spacy_doc, gaz: Gazetteer, chosen: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Add the names a kind word governs (see _KIND_NOUN_OF, _KIND_AFTER_NAME, _PLURAL_KIND_AFTER)."""
    found: list[tuple[int, int]] = []
    for match in _KIND_AFTER_NAME.finditer(text):  # "the Gondra district", "Dadaab camps"
        names_at, names = match.start(1), match.group(1)
        # a kind word names an unknown place after its possessor place too ("Shopian's Zainapora area")
        owner = _POSSESSIVE_IN_NAMES.search(names)
        if owner is not None:
            names_at, names = names_at + owner.end(), names[owner.end() :]
        owned = owner is not None and (
            _is_cued_place(gaz, owner.group(1)) or _names_region(gaz, owner.group(1))
        )
        unknown_ok = match.group(2) is not None or owned
        for item in _ITEM.finditer(names):
            start, end = names_at + item.start(), names_at + item.end()
            lead = _LEADING_WORDS.match(text[start:end])
            start += lead.end() if lead else 0
            name = text[start:end]
            if end <= start or name == "and" or normalize_name(name) in _COMMON_WORDS:
                continue
            if _is_whole_name(spacy_doc, start, end, owned=owned) and (
                unknown_ok or _is_cued_place(gaz, name)
            ):
                found.append((start, end))
    for match in _APPOSITIVE_KIND.finditer(text):
        span = _bare_name(text, spacy_doc, *match.span(1))
        # "May, the city of San Jose will vote"; a district of an organisation is a school's or a
        # utility's ("Butler Tech, a joint vocational district")
        not_places = {"DATE", "ORG"} if match.group(2) else {"DATE"}
        if span is not None and not any(
            e.label_ in not_places and e.start_char < span[1] and span[0] < e.end_char for e in spacy_doc.ents
        ):
            found.append(span)
    for match in _KIND_NOUN_OF.finditer(text):
        settlement = match.group(1) is not None
        for item in _ITEM.finditer(match.group(2)):
            start, end = _trim(text, match.start(2) + item.start(), match.start(2) + item.end())
            name = text[start:end]
            if name in ("and", "or") or normalize_name(name) in _COMMON_WORDS:
                continue
            if gaz.candidates(name, loose=False) or settlement:
                found.append((start, end))
    for match in _PLURAL_SETTLEMENTS_AFTER.finditer(text):
        for item in _ITEM.finditer(match.group(1)):
            trimmed = _trim(text, match.start(1) + item.start(), match.start(1) + item.end())
            span = _bare_name(text, spacy_doc, *trimmed)
            if span is not None:
                found.append(span)
    for match in _PLURAL_KIND_AFTER.finditer(text):
        singular = {"counties": "County", "parishes": "Parish", "boroughs": "Borough"}.get(match.group(2), "")
        for item in _ITEM.finditer(match.group(1)):
            start, end = _trim(text, match.start(1) + item.start(), match.start(1) + item.end())
            lead = _LEADING_WORDS.match(text[start:end])
            start += lead.end() if lead else 0
            name = text[start:end]
            if end <= start or normalize_name(name) in _COMMON_WORDS:
                continue
            if (singular and gaz.candidates(f"{name} {singular}", loose=False)) or any(
                c.entry.feature in ("admin1", "admin2") for c in gaz.candidates(name, loose=False)
            ):
                found.append((start, end))
    spans = sorted(set(chosen))
    for start, end in sorted(set(found)):
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
    return sorted(spans)


_LIST = re.compile(rf"{_CUED_NAME}(?:,\s+(?:and\s+|or\s+)?{_CUED_NAME}){{2,}}(?:,?\s+(?:and|or)\s+{_CUED_NAME})?")


def _complete_lists(text: str, gaz: Gazetteer, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In an enumeration of three or more names of which two and a third are already toponyms ("Butler,
    Clark, Hamilton, Madison and Preble counties"), the others are toponyms too where the gazetteer
    knows them in a first-level region (or country) that a toponym of the list may lie in."""
    spans = sorted(set(spans))
    for match in _LIST.finditer(text):
        items = [
            (match.start() + m.start(), match.start() + m.end())
            for m in re.finditer(rf"{_CUED_NAME}", match.group(0))
        ]
        items = [(s, e) for s, e in items if text[s:e] not in ("and", "or")]
        placed = [any(s < ie and is_ < e for s, e in spans) for is_, ie in items]
        if len(items) < 3 or sum(placed) < 2 or sum(placed) * 3 < len(items):
            continue
        regions = {
            (c.entry.country_code, c.entry.admin1 if c.entry.feature != "country" else None)
            for (start, end), done in zip(items, placed, strict=True)
            if done
            for c in gaz.candidates(text[start:end], loose=False)
        }
        for (start, end), done in zip(items, placed, strict=True):
            if not done and _is_cued_place(gaz, text[start:end]) and any(
                (c.entry.country_code, c.entry.admin1 if c.entry.feature != "country" else None) in regions
                for c in gaz.candidates(text[start:end], loose=False)
            ):
                spans.append((start, end))
    return sorted(spans)


_PAIR = re.compile(rf"({_CUED_NAME})\s+(?:and|or)\s+({_CUED_NAME})\b")


def _complete_pairs(
    text: str, spacy_doc, gaz: Gazetteer, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """In a pair of names of which one is a toponym ("from Decatur and Champaign"), the other is one too
    where spaCy saw no entity there and the gazetteer knows it as a town of some size by its own name
    in a first-level region the toponym may lie in."""
    spans = sorted(set(spans))
    entities = [(e.start_char, e.end_char) for e in spacy_doc.ents]
    for match in _PAIR.finditer(text):
        items = [match.span(1), match.span(2)]
        placed = [any(s < ie and is_ < e for s, e in spans) for is_, ie in items]
        if sum(placed) != 1:
            continue
        (start, end), (pstart, pend) = (items[1], items[0]) if placed[0] else (items[0], items[1])
        if (
            any(s < end and start < e for s, e in entities)
            or normalize_name(text[start:end]) in _COMMON_WORDS
        ):
            continue
        regions = {(c.entry.country_code, c.entry.admin1) for c in gaz.candidates(text[pstart:pend], loose=False)}
        if any(
            c.match == MATCH_PRIMARY
            and c.entry.population >= _MIN_MISLABELLED_TOWN
            and (c.entry.country_code, c.entry.admin1) in regions
            for c in gaz.candidates(text[start:end], loose=False)
        ):
            spans.append((start, end))
    return sorted(spans)


_CONJOINED = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")


def _conjoined_places(text: str, start: int, end: int, gaz: Gazetteer) -> list[tuple[int, int]]:
    """The places of an entity spaCy made of names joined by "and", "or" or commas ("Pune and Nashik"
    labelled an organisation): each part, when every part is a country, an admin region or a town of
    10,000 or more by its own name; else none."""
    start, end = _trim(text, start, end)
    if not _CONJOINED.search(text[start:end]):
        return []
    parts, pos = [], start
    for gap in _CONJOINED.finditer(text, start, end):
        parts.append((pos, gap.start()))
        pos = gap.end()
    parts.append((pos, end))
    if all(e > s and _is_sizeable_place(gaz, text[s:e]) for s, e in parts):
        return parts
    return []


def _longest_town_suffix(gaz: Gazetteer, text: str, start: int, end: int) -> tuple[int, int]:
    """The longest run of the name's last words that the gazetteer knows ("Grand Ledge" in "chief of
    Grand Ledge", "Winona" in "a Winona"); (start, start) when none."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for i in range(len(words)):
        s = start + words[i].start()
        if normalize_name(text[s:end]) in _INSTITUTION_WORDS:
            break  # "Sarah Jordan of Johns Hopkins University": an institution, not University, Florida
        if _is_cued_place(gaz, text[s:end]):
            return s, end
    return start, start


def _is_sizeable_place(gaz: Gazetteer, surface: str) -> bool:
    """An admin region, a country or a town of 10,000 or more by its own name (a hyphened pair of names
    is a pair of places only when both are: "Fargo-Moorhead", not "Kerry-Ann" or "Navarro-Valls")."""
    return normalize_name(surface) not in _COMMON_WORDS and any(
        c.match == MATCH_PRIMARY
        and (c.entry.feature in ("admin1", "admin2", "country", "capital") or c.entry.population >= 10_000)
        for c in gaz.candidates(surface, loose=False)
    )


def _is_whole_name(spacy_doc, start: int, end: int, *, owned: bool = False) -> bool:
    """Whether the span is a proper name of its own: its words are proper nouns (not "One", "Young",
    "an Arab woman"), it does not continue a longer name ("Concordia College students", "Mundy's
    Mill", unless ``owned``: the possessor is a place, "Shopian's Zainapora area") and no organisation
    or facility name holds it past its first word ("Auckland Zoo")."""
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    if span is None or any(t.pos_ != "PROPN" for t in span):
        return False
    if span.start > 0:
        before = spacy_doc[span.start - 1]
        possessive = owned and before.tag_ == "POS"
        if before.pos_ in ("PROPN", "PART") and before.text[:1] not in "-—–" and not possessive:
            return False
    return not any(
        e.label_ in ("ORG", "FAC") and e.start < span.start < e.end for e in spacy_doc.ents
    )


def _is_cued_place(gaz: Gazetteer, surface: str, *, short_admin: bool = False) -> bool:
    """Whether the gazetteer knows ``surface`` as a town of some size or an admin region by its own
    name (or an abbreviation ending in "."; with ``short_admin``, an admin region without its type
    word: "Braxton" for Braxton County)."""
    if normalize_name(surface) in _COMMON_WORDS:
        return False
    return any(
        c.entry.feature in ("admin1", "admin2", "country", "capital")
        or (c.match == MATCH_PRIMARY and c.entry.population >= _MIN_CUED_TOWN)
        for c in gaz.candidates(surface, loose=False)
        if c.match == MATCH_PRIMARY
        or surface.endswith(".")
        or (short_admin and c.entry.feature in ("admin1", "admin2"))
    )


def _is_town_after_locative(gaz: Gazetteer, spacy_doc, ent, surface: str) -> bool:
    """A person or organisation name right after "in", "near", "from" ... that names a town of some
    size ("shot in Gainesville", "moved from Huntsville"); "in Washington's view" stays the actor."""
    if ent.start == 0 or len(ent) > 3 or not surface[:1].isupper():
        return False
    before = spacy_doc[ent.start - 1]
    if before.lower_ not in _LOCATIVE_BEFORE or before.pos_ != "ADP":
        return False
    # A city's other names ("in Calcutta") count, but not for organisations: an acronym or a movement
    # is often some city's other name too ("talking to Hamas", "a mission of FAO").
    other_names = ent.label_ != "ORG"
    key = normalize_name(surface)
    return any(
        (
            c.match == MATCH_PRIMARY
            or (other_names and c.entry.feature in TOWN_FEATURES and c.entry.population >= _KNOWN_BY_OTHER_NAME)
            # "arrested five activists in Daraa" (an organisation to spaCy): the name of a first- or
            # second-level region without its type word ("Daraa Governorate")
            or (c.entry.feature in ("admin1", "admin2") and strip_admin_affix(normalize_name(c.entry.name)) == key)
        )
        and (c.entry.feature in ("admin1", "admin2", "country", "capital") or c.entry.population >= 5000)
        for c in gaz.candidates(surface, loose=False)
    )


_KNOWN_BY_OTHER_NAME = 100_000  # a city this size is known by its other names too ("Calcutta", "Bombay")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    lead = re.match(r"(?i)the\s+", text[start:end])
    if lead:
        start += lead.end()
    trail = re.search(r"(?:’s|'s|’|')$", text[start:end])
    if trail:
        end -= len(trail.group(0))
    return start, end


def _is_mislabelled_place(gaz: Gazetteer, surface: str, *, towns: bool = True) -> bool:
    """Whether an entity spaCy did not call a place is one all the same: the whole name of a curated
    feature ("Caucasus", "Hmeimim Air Base"), or (``towns``: for FAC and PERSON guesses, not for ORG,
    where "Al Jazeera" would pass) a multi-word name of a sizeable town, spelt as the gazetteer spells
    it or as a transliteration variant ("Jisr al Shughur" for "Jisr ash Shughur")."""
    for cand in gaz.candidates(surface, loose=False):
        if cand.entry.feature in _CURATED and (cand.match == MATCH_PRIMARY or " " in surface.strip()):
            return True
    if not towns or " " not in surface.strip() or not surface[:1].isupper():
        return False
    # a spelling variant opens as the name does ("Jisr al Shughur" for "Jisr ash Shughur", "Dogu Beyazit"
    # for "Doğubayazıt"): "Al Gore", its "Al" read as an article, is no Goré
    first = normalize_name(surface.split()[0])
    return any(
        c.entry.feature == "populated place"
        and c.entry.population >= _MIN_MISLABELLED_TOWN
        and (c.match != MATCH_LOOSE or normalize_name(c.entry.name).replace(" ", "").startswith(first))
        for c in gaz.candidates(surface)
    )


def _is_spelling_variant(gaz: Gazetteer, surface: str) -> bool:
    """Whether a name of two words or more that spaCy calls a place is another spelling of a town or
    region the gazetteer knows, opening as its name does ("Maarat al-Numan" for "Ma‘arrat an Nu‘mān",
    whose entry gives no population)."""
    if " " not in surface.strip() or not surface[:1].isupper():
        return False
    first = normalize_name(surface.split()[0])[:3]
    return any(
        c.entry.feature in (*TOWN_FEATURES, "admin1", "admin2")
        and normalize_name(c.entry.name).replace(" ", "").startswith(first)
        for c in gaz.candidates(surface)
    )


# "Russia's Belgorod region", "the Zaporizhzhia region", "Rakhine state": spaCy often calls a region's
# name before its type word a nationality, a person or a product; the type word says it is the region.
_REGION_TYPE_AFTER = re.compile(
    r"^\s+(?:region|province|oblast|governorate|prefecture|state(?!\s+of\b))\b(?![-‐‑]|\s+(?:department|"
    r"university|college|media|television|tv|news|agency|run|owned)\b)",
    re.IGNORECASE,
)


def _is_typed_region(text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether the name is followed by a region's type word and names a first- or second-level region,
    with the type word or without it ("Rakhine state" is "Rakhine" to the gazetteer)."""
    kind = _REGION_TYPE_AFTER.match(text[end : end + 60])
    return kind is not None and any(
        c.entry.feature in ("admin1", "admin2") and c.match != MATCH_LOOSE
        for name in (text[start:end], text[start : end + kind.end()])
        for c in gaz.candidates(name)
    )


def _extend(text: str, start: int, end: int, gaz: Gazetteer) -> tuple[int, int]:
    """Join an admin type word after ("Idlib province", "Lattakia governorate") or a direction word or
    Arabic article before ("northeastern Syria", "al Ghab Plain") when the longer phrase is a gazetteer
    name of its own."""
    kind = _ADMIN_TYPE_AFTER.match(text[end : end + 20])
    if kind:
        longer = text[start : end + kind.end()]
        if any(c.entry.feature in ("admin1", "admin2") for c in gaz.candidates(longer)):
            end += kind.end()
    direction = _WORD_BEFORE.search(text[max(0, start - 20) : start])
    if direction:
        first = start - (len(text[max(0, start - 20) : start]) - direction.start(1))
        if gaz.candidates(text[first:end], loose=False):
            start = first
    return _across_particle(text, start, end, gaz)


def _across_particle(text: str, start: int, end: int, gaz: Gazetteer) -> tuple[int, int]:
    """The span run on over a name particle and the rest of the name ("San Cristobal de" and "Casas",
    as spaCy cut them) when the whole is a gazetteer name; else the span as it is."""
    cut = _PARTICLE_END.search(text[start:end])
    stem = end - len(cut.group(0)) if cut else end
    particle = _PARTICLE_TAIL.match(text[stem : stem + 40])
    if particle and gaz.candidates(text[start : stem + particle.end()], loose=False):
        return start, stem + particle.end()
    return start, end


# The rest of a name after its particle, where spaCy cut it: "San Cristobal de las Casas", "Castellon de
# la Plana", "Newcastle upon Tyne", "Frankfurt am Main".
_PARTICLE_END = re.compile(
    r"\s+(?:de|del|de la|de las|de los|da|do|dos|das|di|du|des|la|las|los|upon|am|sur)$"
)
_PARTICLE_TAIL = re.compile(
    r"^\s+(?:de|del|de la|de las|de los|da|do|dos|das|di|du|des|la|las|los|upon|on|am|an der|sur|en)\s+"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"
)


def _outermost(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans no other span holds ("Casas" inside "San Cristobal de las Casas", once extended)."""
    return sorted(
        (s, e) for s, e in spans if not any(os <= s and e <= oe and (os, oe) != (s, e) for os, oe in spans)
    )


def _curated_aliases(gaz: Gazetteer, known: set[str]) -> set[str]:
    """The other names of curated features already named in the document: after "Hmeimim Air Base",
    a bare "Hmeimim" is the same base (one sense per discourse), even where spaCy calls it a NORP."""
    out: set[str] = set()
    for key in known:
        for cand in gaz.candidates(key, loose=False):
            if cand.entry.feature in _CURATED and cand.match == MATCH_PRIMARY and " " in key:
                first = key.split()[0]
                if first not in _COMMON_WORDS and any(
                    c.entry is cand.entry for c in gaz.candidates(first, loose=False)
                ):
                    out.add(first)
    return out


def _is_plausible(cand: Candidate) -> bool:
    entry = cand.entry
    return cand.match == MATCH_PRIMARY or entry.feature != "populated place" or entry.population >= 1000


def _is_demonym_target(cand: Candidate, surface: str) -> bool:
    entry = cand.entry
    if entry.feature in ("country", "continent", "region"):
        return True
    return is_demonym_of(surface, name=entry.name, country_code=entry.country_code, feature=entry.feature)


_SAINT = re.compile(r"(?i)(?:st\.?|ste\.?|saint|san|santa|sao|são)\s")
# A saint's name before a possessive and a name is a holiday's or an institution's ("St. Patrick's Day",
# "St. Michael's Hospital"), not the Caribbean parish of that saint.
_POSSESSIVE_NAME_AFTER = re.compile(r"['’]s\s+[A-Z]")


def _a_saints_possession(text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether the span is a saint's name before a possessive and a name ("St. Joseph's Hospital"),
    unless a city of _SAINT_CITY people bears it ("St. Petersburg's Pulkovo airport", "San Diego's")."""
    return bool(
        _SAINT.match(text[start:end])
        and _POSSESSIVE_NAME_AFTER.match(text[end : end + 4])
        and not any(
            c.entry.feature in TOWN_FEATURES and c.entry.population >= _SAINT_CITY
            for c in gaz.candidates(text[start:end], loose=False)
        )
    )


_SAINT_CITY = 100_000


def _split_entity(text: str, start: int, end: int, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Trim "the", possessives and directional words; split "Paris, Texas" into its two toponyms."""
    lead = re.match(r"(?i)the\s+", text[start:end])
    if lead:
        start += lead.end()
    trail = re.search(r"(?:’s|'s|’|')$", text[start:end])
    if trail:
        end -= len(trail.group(0))
    out = []
    owner = re.match(r"(.+?)['’]s\s+(?=[A-Z])", text[start:end])
    if (
        owner
        and not _SAINT.match(owner.group(1))
        and not gaz.candidates(text[start:end], loose=False)
        and _names_region(gaz, owner.group(1), ("country", "admin1", "admin2"))
    ):  # "Lower Shabelle's Bariire area": the possessor region (never "Martha's Vineyard", a name of its
        # own, nor a saint's: "St. Patrick's Day", "St. Michael's Hospital", though parishes bear them)
        out.append((start, start + owner.end(1)))
        start += owner.end()
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
    """Add names spaCy missed: known names anywhere, and well-known gazetteer names (countries,
    first-level regions, cities over 100,000, seas, regions) outside other entities or where an
    organisation's, facility's, event's or law's name is built on them ("Gainesville Police Department",
    "University of Georgia", "U.S. Army", "the Iraq War"), which news geoparsing gold sets annotate as
    embedded toponyms."""
    org_heads = _organisation_heads(spacy_doc)
    org_tails = {
        e[-1].idx for e in spacy_doc.ents if e.label_ in ("ORG", "FAC") and len(e) > 1 and e[-1].text[:1].isupper()
    }
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
            outside_or_head = not inside or start in org_heads
            if inside and n == 1 and start in org_tails and _is_country(gaz, text[start:end]):
                outside_or_head = True  # "Environment Canada", "Costco Canada"
            if n == 1 and key not in known and _after_a_given_name(tok):
                continue  # "Noah Jackson 1 goal": a person's surname, not Jackson, Mississippi
            if key in known or (outside_or_head and _looks_like_place(gaz, text[start:end], tok, n)):
                found.append((start, end))
                matched = n
                break
        i += matched or 1
    return found


def _after_a_given_name(tok) -> bool:
    """Whether a capitalised word follows a common given name ("Noah Jackson", "Mike Lincoln"): then it
    is that person's surname."""
    if tok.i == 0:
        return False
    before = tok.doc[tok.i - 1]
    if not (before.is_title and before.is_alpha) or before.whitespace_ != " ":
        return False
    return before.lower_ in load_given_names()


_ORG_PREFIX = re.compile(
    r"^(?:(?:North|South|East|West)(?:-?(?:east|west))?(?:ern)?|Central|Upper|Lower|Greater|Metro)$"
)


def _organisation_heads(spacy_doc) -> set[int]:
    """Character offsets where a place name may open an ORG, FAC, EVENT or LAW entity ("the Iraq War",
    "the Kyoto Protocol"): its first token (after "the") and the token after "of" inside it. Never
    inside a person's name ("Andrew Jackson")."""
    heads: set[int] = set()
    for ent in spacy_doc.ents:
        if ent.label_ not in ("ORG", "FAC", "EVENT", "LAW"):
            continue
        tokens = [t for t in ent if t.lower_ != "the"] or list(ent)
        heads.add(tokens[0].idx)
        # "Northern Illinois University"; "Metro Vancouver" and "Greater Manchester" name the area
        area = len(tokens) == 2 and tokens[0].text in ("Metro", "Greater")
        if _ORG_PREFIX.match(tokens[0].text) and (len(tokens) > 2 or area):
            heads.add(tokens[1].idx)
        for prev, tok in zip(ent, ent[1:], strict=False):
            if prev.lower_ == "of":
                heads.add(tok.idx)
    return heads


def _looks_like_place(gaz: Gazetteer, surface: str, tok, n: int) -> bool:
    if n == 1 and (tok.is_stop or tok.pos_ != "PROPN") and not _is_country_code(gaz, surface):
        return False
    if n == 1 and _acronym(surface, tok) and not _is_country_code(gaz, surface):
        return False  # "the GAO reported": the Government Accountability Office, not Gao in Mali
    for cand in gaz.candidates(surface, loose=False):
        entry = cand.entry
        if entry.feature in _CURATED and n > 1:
            return True  # "Ghab Plain": a curated multi-word name or alias is specific enough
        if entry.feature == "admin1" and n == 1 and _is_state_abbreviation(tok, entry.name):
            return True  # "the S.C. Trial Lawyers Association", "N.J. officials"
        if cand.match != MATCH_PRIMARY and not (entry.feature == "country" and len(surface) >= 2):
            continue
        if entry.feature == "admin1" and _COMPASS_REGION.fullmatch(surface):
            continue  # "Western Area Power Administration", "Eastern Province Cement": no one region
        if entry.feature in _WELL_KNOWN or entry.population >= _MIN_CITY_POPULATION:
            return True
    return False


# A first-level region named by a compass word alone ("Western Area", "Eastern Province", "Central
# Region"): a dozen countries have one, so the name says nothing unless spaCy calls it a place.
_COMPASS_REGION = re.compile(
    r"(?:(?:North|South)(?:[- ]?(?:East|West))?|East|West|Central)(?:ern)?(?:\s+(?:Area|Province|Region|State|"
    r"Division|District|Department))?",
    re.IGNORECASE,
)


def _acronym_of_a_village(gaz: Gazetteer, tok) -> bool:
    """An acronym in running text ("NATO", "OPEC") whose only namesakes in the gazetteer are small places
    ("Nato", a village of the Philippines): an organisation's name. "NYC" or "LA", aliases of great
    cities, and country codes stay places."""
    surface = tok.text
    if not _acronym(surface, tok) or _is_country_code(gaz, surface):
        return False
    candidates = gaz.candidates(surface, loose=False)
    return bool(candidates) and all(
        c.entry.population < _MIN_CITY_POPULATION and c.entry.feature not in _WELL_KNOWN for c in candidates
    )


def _acronym(surface: str, tok) -> bool:
    """An all-capital short word inside running text ("GAO", "NASA"), not a dateline or a headline in
    capitals ("RICHLAND —", at the start of a line) nor a dotted abbreviation ("U.S.")."""
    if not (surface.isalpha() and surface.isupper() and 2 <= len(surface) <= 5):
        return False
    doc = tok.doc
    previous = doc[tok.i - 1] if tok.i > 0 else None
    if previous is None or "\n" in previous.text or "\n" in previous.whitespace_:
        return False
    following = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return not (following is not None and following.is_upper and following.is_alpha)  # "NEW YORK TIMES"


# A state's abbreviation as news writes it: "S.C.", "N.J.", "Calif.", "Ill.".
_STATE_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,3}|[A-Z][a-z]{1,4}\.")


def _misread_abbreviation(tok) -> bool:
    """A dotted abbreviation spaCy took for a place that is an era ("100 B.C.") or a title before a
    person's name ("Del. Mark Keam", a delegate)."""
    if not tok.text.endswith("."):
        return False
    doc = tok.doc
    if tok.text in _ERAS and tok.i > 0 and doc[tok.i - 1].like_num:
        return True
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return after is not None and after.ent_type_ == "PERSON" and after.ent_iob_ == "B"


_ERAS = frozenset({"B.C.", "A.D.", "B.C.E.", "C.E."})


def _is_state_abbreviation(tok, state: str) -> bool:
    """Whether the token abbreviates the state as news does: its initials when its name has several
    words ("S.C.", "N.J."; never "D.E." for Delaware, a postal code), or a shortening ("Calif."); not a
    person's initials or title ("W.V. Awdry", "Del. John Smith") or an era ("100 B.C.")."""
    if not _STATE_ABBREVIATION.fullmatch(tok.text):
        return False
    words = [w for w in state.split() if w[:1].isupper()]  # "Newfoundland and Labrador": "N.L."
    if tok.text[1] == "." and (len(words) < 2 or tok.text.replace(".", "") != "".join(w[0] for w in words)):
        return False
    doc = tok.doc
    before = doc[tok.i - 1] if tok.i > 0 else None
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if before is not None and before.like_num:
        return False
    if after is not None and (after.ent_type_ == "PERSON" or (after.pos_ == "PROPN" and tok.ent_type_ != "ORG")):
        return False
    return tok.ent_type_ != "PERSON"


def _is_country(gaz: Gazetteer, surface: str) -> bool:
    return any(
        c.entry.feature == "country" and c.match == MATCH_PRIMARY for c in gaz.candidates(surface, loose=False)
    )


def _is_country_code(gaz: Gazetteer, surface: str) -> bool:
    """"US", "UK": capitals a stop-word list holds ("us") that name a country."""
    return bool(re.fullmatch(r"[A-Z]{2,3}", surface)) and any(
        c.entry.feature == "country" for c in gaz.candidates(surface, loose=False)
    )


@lru_cache(maxsize=1)
def read_metonym_nouns() -> frozenset[str]:
    """Noun lemmas whose country or capital modifier stands for its government ("the Damascus regime")."""
    return frozenset(data_lines("metonym_nouns.txt"))


# "is seen in Moscow as a threat": the place's government or public holds the view.
_VIEW_VERBS = frozenset({"see", "view", "regard", "perceive", "consider"})


def is_metonym(spacy_doc, start: int, end: int, *, text: str | None = None) -> bool:
    """A toponym stands for its government when it is the subject of a speech or agency verb ("Moscow
    said"), names the government it modifies ("the Damascus regime", "Moscow's position"), or is where
    a view is held ("seen in Moscow as a threat"). Pass the document's ``text``: spaCy's ``Doc.text``
    joins every token again on each access, which made this half the places component's time."""
    if text is None:
        text = spacy_doc.text
    if (start == 0 or text[start - 1] == "\n") and re.match(r"\s*(?:[—–]|--|-\s)", text[end : end + 3]):
        return False  # a dateline ("Jerusalem—Russia has sent ..."), which the parser reads as a subject
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    head = root.head
    if root.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        return head.lemma_.lower() in read_metonym_verbs()
    if root.dep_ in ("compound", "nmod", "poss", "amod") and head.pos_ in ("NOUN", "PROPN"):
        return head.lemma_.lower() in read_metonym_nouns()
    if root.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_.lower() in _VIEW_VERBS:
        return any(child.lower_ == "as" for child in head.head.children)
    return False
