"""Entity mentions from spaCy NER and the actor dictionary, linked to document-local canonical entities.

:class:`EntityLinker` turns one cleaned text and its spaCy parse into :class:`~sitroom.model.Mention`
spans and the :class:`~sitroom.model.Entity` records they point at. The rules, in the order applied:

1. **Candidates.** Every actor-dictionary match (``find_mentions``, anchored on the document date) and
   every NER span labelled PERSON/ORG/GPE/LOC/NORP/FAC. NER spans are trimmed of a leading article,
   bracket debris ("Bashar] al-Assad") and a trailing possessive, and dropped when cheap signs say they
   are not names: no proper-noun or acronym token, a verb inside (headline fragments such as "Russia
   Sends Ground Forces"), a year inside (exercises such as "Caucasus-2020"), an event head noun ("the
   Yom Kippur War"), or nothing but office words ("Foreign Affairs" in "minister for Foreign Affairs").
2. **Overlaps.** A dictionary match wins over an NER span it overlaps; only a longer NER PERSON name
   around a dictionary person ("Vladimir Vladimirovich Putin" around "Putin") takes the longer span.
3. **Context checks on dictionary forms.** A demonym is the state only where it denotes the state
   acting or owning ("Russian warplanes", "Russian airstrikes", "the Russian objective"); before a noun
   that merely describes people ("Russian citizens", "Syrian civilians", "a Russian journalist") or in
   an origin compound ("British-based") it is a nationality and is not linked — the nationality still
   sets the person's ``country`` when it sits in their title. A capital or seat of government
   ("Moscow", "the Kremlin") is the government (``kind="metonym"``) unless it reads as a place: a
   dateline, the object of a locative preposition ("an attack in Paris"), or "close to"/"city of".
4. **Names.** NER names the dictionary knows under a looser spelling link to the actor; others form
   document-local entities, one per normalised name. A shorter person name that ends a longer one
   ("Fyodorov", "al-Assad") is the same person; a single capitalised word that is a prefix or an
   edit-distance-close variant of a person's surname ("Fyodor" beside "Andrei Fyodorov") is a
   near-miss of that person, NER label notwithstanding (spaCy often calls such a word ORG). A single
   word that ends an earlier local name of two or more words is that name whatever spaCy called either
   ("Sorvin" after "Paul Sorvin" taken for a place, "the Chronicle" after "the San Francisco
   Chronicle"), unless a compass or region word opens the longer name ("Southern Florida"). A name of
   two or three capitalised words right after a person's title or role ("Rep. Dale McCorkle", "WikiLeaks
   co-founder Julian Assange") or with a person's role in apposition after it ("Marta Kolar, the new
   coach") makes its entity a person whatever the labels' votes. A bare surname spaCy left untagged
   after the full name it tagged as a person is that person ("… Michael Webb …" then "arrested Webb").
   An outlet's name opening a longer name is not the outlet ("The National Institute on Drug Abuse");
   a dateline's town is a place whatever spaCy called it. An acronym
   made of a local organisation's initials is that organisation.
5. **Roles.** A role description ("Kremlin spokesman", "Syrian FM") links to the person it stands next
   to ("Kremlin spokesman Dmitry Peskov", "Sergey Lavrov, the Russian Foreign Minister"), else to its
   holder on the document date, else to the holder the document names; with several unnamed holders it
   becomes a document-local role entity. Titles before a name ("President Vladimir Putin") and
   appositives ("Andrei Fyodorov, former deputy minister for Foreign Affairs") become ``roles``.
6. **Entities.** Dictionary entities are keyed by actor id; others by ``local:<type>:<slug of the
   fullest name>``. Types follow one vocabulary (PERSON, ORG, GPE, LOC, NORP, FAC, GOVERNMENT,
   MILITARY, ARMED_GROUP, MEDIA, IGO, NGO, THINK_TANK, PARTY, COMPANY); a local entity's type is the
   majority of its NER labels, with a vote for GPE whenever it follows a locative preposition, since
   spaCy labels one town PERSON, ORG and FAC in one article.

Lexicons and scores live in ``sitroom/data/entities/linking.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitroom import yamlfile
from sitroom.clean.metadata import locate_dateline
from sitroom.model import Entity, Mention
from sitroom.nlp.actors import ActorDictionary, ActorMention, packaged_actors
from sitroom.nlp.given_names import compatible_given_names

# v3: read from a parse in which a line break ends a sentence in text that does not wrap its lines (web
# pages: sitroom.nlp.paragraphs); a one-word name is the name of two or more words it ends, whatever spaCy
# called either ("Sorvin" after "Paul Sorvin" as a place); a name after a person's title is a person ("Rep.
# Dale McCorkle" as an organisation); v2: read from a parse in which a blank line ends a sentence
# (sitroom.nlp.paragraphs); a surname spaCy calls a place is the person named; a capitalised title inside a
# name is a role
# v6: a person's name without its initials is the same person ("Venkaiah Naidu" after "M. Venkaiah Naidu");
# a first name alone is the one person named in full before with it ("Kellyanne" after "Kellyanne Conway");
# a known person's surname after another given name is another person ("Melania Trump").
# v5: a lower-case word or a sports role before a person's name is no part of it ("rookie Emil Bemstrom");
# a name saying a quote in the first person singular is a person; a bare surname linked to a person votes for
# a person, and one two people share is the one named more; a surname spaCy calls a nationality is the person; a
# "person" whose name ends in an organisation's word is the organisation ("Dick Clark Productions"); a full name
# opening with a word that is a particle elsewhere keeps its surname ("Ben Cardin … Cardin").
# v4: a bare surname spaCy left untagged after the full name is that person; a name with a person's role in
# apposition is a person; an outlet's name opening a longer name is not the outlet; a dateline's town is a
# place; a capital before a team noun is the team's city; read from a parse in which a dateline naming an
# outlet the agency list lacks ends a sentence.
ENTITIES_VERSION = "entities.v6"

_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_APPOSITION_GAP = re.compile(r"[^\S\n]*,?[^\S\n]*")
_REVERSE_APPOSITION_GAP = re.compile(r"[^\S\n]*,[^\S\n]*(?:the |a |an )?", re.I)
_BRACKETS = frozenset("[](){}")
_ARTICLES = frozenset(("the", "a", "an"))
_PROPER_TAGS = frozenset(("NNP", "NNPS"))
_MAX_APPOSITIVE_TOKENS = 14


@dataclass(frozen=True, slots=True)
class LinkingLexicon:
    """The word lists and scores the linker reads from ``sitroom/data/entities/linking.yaml``."""

    ner_labels: frozenset[str]
    dictionary_types: dict[str, str]
    other_by_kind: dict[str, str]
    scores: dict[str, float]
    nationality_nouns: frozenset[str]
    kin_nouns: frozenset[str]
    place_roles: frozenset[str]
    outlet_brand_words: frozenset[str]
    team_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    organisation_words: frozenset[str]
    origin_suffixes: frozenset[str]
    locative_prepositions: frozenset[str]
    place_nouns: frozenset[str]
    proximity_words: frozenset[str]
    event_nouns: frozenset[str]
    role_nouns: frozenset[str]
    role_modifiers: frozenset[str]
    honorifics: frozenset[str]
    portfolio_words: frozenset[str]
    name_particles: frozenset[str]

    def is_title(self, token: Any, *, honorific: bool = False) -> bool:
        """Whether a token is a title word ("president", "deputy", "Sen."), or with ``honorific`` also a
        courtesy title ("Mr.", "Dr.")."""
        lower = token.lower_.rstrip(".")
        return (
            lower in self.role_nouns
            or lower in self.role_modifiers
            or (honorific and (lower in self.honorifics or token.lower_ in self.honorifics))
        )


@lru_cache(maxsize=1)
def load_lexicon() -> LinkingLexicon:
    """The packaged linking lexicon, read once per process."""
    path = resources.files("sitroom") / "data" / "entities" / "linking.yaml"
    raw: dict[str, Any] = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    sets = {k: frozenset(str(w).lower() for w in v) for k, v in raw.items() if isinstance(v, list)}
    return LinkingLexicon(
        dictionary_types=dict(raw["dictionary_types"]),
        other_by_kind=dict(raw["other_by_kind"]),
        scores={k: float(v) for k, v in raw["scores"].items()},
        ner_labels=frozenset(raw["ner_labels"]),
        **{k: v for k, v in sets.items() if k != "ner_labels"},
    )


@dataclass(slots=True)
class _Candidate:
    """One span that may name an entity, before linking."""

    start: int
    end: int
    label: str  # NER label, or "" for dictionary-only spans
    kind: str = "name"
    score: float = 1.0
    matches: list[ActorMention] = field(default_factory=list)  # dictionary readings of the span
    entity: int = -1  # index into _Linking.entities once linked


@dataclass(slots=True)
class _Acc:
    """An entity being assembled."""

    actor_id: str | None
    type: str
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    country: str | None = None
    votes: Counter[str] = field(default_factory=Counter)
    is_role: bool = False  # a document-local role entity (several holders, none named)
    titled: bool = False  # named after a person's title ("Rep. David McKinley"): a person, whatever the votes


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_name(surface: str) -> str:
    """The clustering key of a name: folded, no article, no apostrophes, hyphens as spaces."""
    words = re.findall(r"[^\W_]+", _fold(surface).replace("'", "").replace("\u2019", ""))
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slugify(name: str) -> str:
    """A stable ASCII slug of a name ("Andrei Fyodorov" → "andrei-fyodorov")."""
    ascii_name = _fold(name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.replace("'", "")).strip("-") or "unnamed"


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _is_variant(word: str, surname: str) -> bool:
    """A truncation ("Fyodor" of "Fyodorov") or a misspelling or other transliteration ("Shoygu" of
    "Shoigu", "Hamada" of "Hamadeh"). Two edits are allowed from six letters on, when the first two
    letters agree: transliterations differ in vowels and endings, rarely in how a name starts."""
    if surname.startswith(word) and len(word) >= 4 and len(word) >= 0.6 * len(surname):
        return True
    limit = 2 if len(surname) >= 6 and word[:2] == surname[:2] else 1
    return len(word) >= 5 and edit_distance(word, surname, limit=limit) <= limit


def _without_initials(key: str) -> str | None:
    """A person's normalised name without its one-letter initials ("m venkaiah naidu" → "venkaiah
    naidu", "george w bush" → "george bush"), when two words or more remain; else ``None``."""
    words = [w for w in key.split() if len(w) > 1]
    return " ".join(words) if len(words) >= 2 else None


def _dateline_towns_are_places(text: str, candidates: list[_Candidate]) -> None:
    """A dateline's town is a place whatever spaCy called it ("HONOLULU, Hawaii (HawaiiNewsNow) -" as an
    organisation)."""
    found = locate_dateline(text)
    if found is None:
        return
    for c in candidates:
        if (c.start, c.end) == found.place and not c.matches and c.label in ("ORG", "PERSON", "FAC", "NORP"):
            c.label = "GPE"


def _proper_word(token: Any) -> bool:
    """A capitalised proper noun: part of a longer name when it stands beside another."""
    return token.pos_ == "PROPN" and token.text[:1].isupper()


def _line_at(text: str, at: int) -> str:
    return text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]


def _title_case(line: str) -> bool:
    """A headline written with every word capitalised: four or more words, most of them capitalised."""
    words = re.findall(r"[^\W\d_]{4,}", line)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _overlapping(taken: list[_Candidate], starts: list[int], start: int, end: int) -> list[_Candidate]:
    """Candidates (sorted by start, with ``starts``) that overlap ``[start, end)``."""
    i = bisect_right(starts, end)
    return [c for c in taken[max(0, i - 8) : i] if c.start < end and start < c.end]


class _Tokens:
    """Character offset → spaCy token, for context checks on dictionary spans."""

    def __init__(self, spacy_doc: Any) -> None:
        self.doc = spacy_doc
        # One C-level pass; building Token objects for every word would cost more than the linking.
        self.starts = spacy_doc.to_array("IDX").tolist() if spacy_doc is not None else []

    def at(self, char: int) -> Any:
        if not self.starts:
            return None
        return self.doc[max(0, bisect_right(self.starts, char) - 1)]

    def before(self, token: Any) -> Any:
        return self.doc[token.i - 1] if token is not None and token.i > 0 else None

    def after(self, token: Any) -> Any:
        return self.doc[token.i + 1] if token is not None and token.i + 1 < len(self.doc) else None


class EntityLinker:
    """Finds entity mentions in a document and links them to document-local canonical entities."""

    name = ENTITIES_VERSION

    def __init__(self, actors: ActorDictionary, *, lexicon: LinkingLexicon | None = None) -> None:
        self.actors = actors
        self.lexicon = lexicon or load_lexicon()
        self._name_keys: dict[str, str] = {}

    def name_key(self, name: str) -> str:
        """A name normalised for surname matching, without particles; cached, as dictionary names
        recur in every document."""
        key = self._name_keys.get(name)
        if key is None:
            words = normalise_name(name).split()
            key = self._name_keys[name] = " ".join(w for w in words if w not in self.lexicon.name_particles)
            if len(self._name_keys) > 100_000:  # bounded over a long backfill
                self._name_keys.clear()
        return key

    @classmethod
    def load(cls, *, actor_files: Sequence[str] = ()) -> EntityLinker:
        """The packaged actor dictionary plus a workspace's own actor files (later files win)."""
        actors = ActorDictionary.load(*map(Path, actor_files)) if actor_files else packaged_actors()
        return cls(actors)

    def link(
        self, text: str, spacy_doc: Any, *, on: date | None = None
    ) -> tuple[list[Mention], list[Entity]]:
        """Mentions (sorted by offset) and the entities they point at (in order of first mention).
        ``on`` is the document date that time-bounded roles are resolved on; ``spacy_doc`` may be
        None, in which case only dictionary matches are used, without context checks."""
        tokens = _Tokens(spacy_doc)
        candidates, blocked = self._dictionary_candidates(text, tokens, on)
        candidates = self._merge_ner(spacy_doc, candidates, blocked)
        candidates = self._missed_surnames(spacy_doc, text, candidates)
        _dateline_towns_are_places(text, candidates)
        return _Linking(self, text, tokens, candidates).run()

    # -- candidates ---------------------------------------------------------------------------------

    def _dictionary_candidates(
        self, text: str, tokens: _Tokens, on: date | None
    ) -> tuple[list[_Candidate], list[_Candidate]]:
        """Dictionary matches that pass their context check, and those that did not: a demonym read
        as a nationality still blocks the NER span on it, so it does not come back as NORP."""
        groups: dict[tuple[int, int], list[ActorMention]] = {}
        for m in self.actors.find_mentions(text, on=on):
            groups.setdefault((m.start, m.end), []).append(m)
        scores = self.lexicon.scores
        out: list[_Candidate] = []
        blocked: list[_Candidate] = []
        for (start, end), matches in groups.items():
            kind = matches[0].kind
            if kind == "adjective" and self._is_nationality(text, tokens, start, end):
                blocked.append(_Candidate(start, end, ""))
                continue
            if kind == "metonym" and self._reads_as_place(text, tokens, start, end):
                out.append(_Candidate(start, end, "GPE", "name", scores["place_reading"]))
                continue
            score = (
                scores["dictionary"] if kind in ("name", "alias", "role") else scores["dictionary_context"]
            )
            out.append(_Candidate(start, end, "", kind, score, matches))
        return out, blocked

    def _is_nationality(self, text: str, tokens: _Tokens, start: int, end: int) -> bool:
        """Whether a demonym only describes where people come from ("Russian citizens",
        "British-based"), rather than denoting the state."""
        lex = self.lexicon
        origin = re.match(r"[-\u2010\u2011]([a-z]+)", text[end : end + 20])
        if origin and origin.group(1) in lex.origin_suffixes:
            return True
        last = tokens.at(end - 1)
        if last is None or last.tag_ in ("NNS", "NNPS"):  # "Russians" is the noun itself
            return False
        following = tokens.after(last)
        if following is not None and following.lemma_.lower() in lex.nationality_nouns:
            return True
        head = last.head
        return (
            last.dep_ in ("amod", "compound", "nmod")
            and head.i > last.i
            and head.lemma_.lower() in lex.nationality_nouns
        )

    def _reads_as_place(self, text: str, tokens: _Tokens, start: int, end: int) -> bool:
        """Whether a capital or seat of government names the place, not the government."""
        lex = self.lexicon
        line_start = start == 0 or text[start - 1] == "\n"
        if line_start and re.match(r"\s*[\u2014\u2013-]|\s*\(", text[end : end + 3]):
            return True  # dateline: "Jerusalem—Russia has sent …", "MOSCOW (Reuters) -"
        if line_start and text[start:end].isupper() and text[end : end + 1] == ",":
            return True  # "MOSCOW, Nov 23 -"
        token = tokens.at(end - 1)
        if token is None:
            return False
        head = token.head
        if token.dep_ == "pobj":
            prep = head.lower_
            if prep in lex.locative_prepositions:
                return True
            if prep in ("to", "from") and head.head.lower_ in lex.proximity_words:
                return True
            return prep == "of" and head.head.lemma_.lower() in lex.place_nouns
        if token.dep_ in ("compound", "amod", "nmod") and head.lemma_.lower() in lex.team_nouns:
            return True  # "the London side", "the Madrid club": a team from the city
        return token.dep_ in ("appos", "compound") and head.lemma_.lower() in lex.place_nouns

    def _merge_ner(
        self, spacy_doc: Any, candidates: list[_Candidate], blocked: list[_Candidate]
    ) -> list[_Candidate]:
        """Add NER spans that no dictionary match overlaps; let a longer NER person name stretch the
        dictionary person it contains."""
        if spacy_doc is None:
            return candidates
        taken = sorted(candidates + blocked, key=lambda c: c.start)
        starts = [c.start for c in taken]
        added: list[_Candidate] = []
        replaced: set[int] = set()
        for ent in spacy_doc.ents:
            label = ent.label_
            if label not in self.lexicon.ner_labels:
                continue
            # Most NER spans sit on a dictionary match: settle those before touching their tokens.
            overlapping = _overlapping(taken, starts, ent.start_char, ent.end_char)
            if len(overlapping) == 1 and label in ("GPE", "LOC") and self._larger_place(overlapping[0], ent):
                # "Inner Mongolia", "New Mexico", "Northern Ireland": another place than the state
                replaced.add(id(overlapping[0]))
                added.append(
                    _Candidate(ent.start_char, ent.end_char, label, "name", self.lexicon.scores["ner"])
                )
                continue
            longer = self._trim(ent) if len(overlapping) == 1 else None
            if longer is not None and label in ("ORG", "FAC") and self._outlet_prefix(overlapping[0], longer):
                # "The National Institute on Drug Abuse", "The Independent Police Complaints
                # Commission": an outlet's name opening a longer name is not the outlet
                replaced.add(id(overlapping[0]))
                start, end = overlapping[0].start, longer[-1].idx + len(longer[-1].text)
                added.append(_Candidate(start, end, label, "name", self.lexicon.scores["ner"]))
                continue
            if overlapping and label != "PERSON":
                continue
            span = self._trim(ent)
            if span is None or self._is_false_positive(span, label):
                continue
            start, end = span[0].idx, span[-1].idx + len(span[-1])
            if label == "PERSON" and len(span) > 1 and span[-1].lower_ in self.lexicon.organisation_words:
                label = "ORG"  # "Dick Clark Productions", "BMJ Case Reports": a firm or a journal
            overlapping = _overlapping(taken, starts, start, end)
            if not overlapping:
                added.append(_Candidate(start, end, label, "name", self.lexicon.scores["ner"]))
            elif len(overlapping) == 1 and self._another_person(overlapping[0], span):
                # "Melania Trump", "Ivana Trump": a relative with the known person's surname
                replaced.add(id(overlapping[0]))
                added.append(_Candidate(start, end, "PERSON", "name", self.lexicon.scores["ner"]))
            elif len(overlapping) == 1 and self._stretches(overlapping[0], span):
                overlapping[0].start, overlapping[0].end, overlapping[0].label = start, end, "PERSON"
        kept = [c for c in candidates if id(c) not in replaced]
        return sorted(kept + added, key=lambda c: (c.start, -c.end))

    def _missed_surnames(self, spacy_doc: Any, text: str, candidates: list[_Candidate]) -> list[_Candidate]:
        """Add the bare surnames spaCy left untagged after the full name it tagged as a person: "The
        suspect, Michael Webb, …" then "Officers arrested Webb". A proper noun standing alone (no
        capitalised proper noun beside it: "the Webb telescope" is not him) after the full name."""
        if spacy_doc is None:
            return candidates
        first_end: dict[str, int] = {}
        holders: dict[str, set[str]] = {}
        for c in candidates:
            if c.label != "PERSON" or c.matches:
                continue
            words = text[c.start : c.end].split()
            last = re.sub(r"['’]s$", "", words[-1]) if words else ""
            if len(words) >= 2 and len(last) >= 3 and last.isalpha() and last[0].isupper():
                first_end.setdefault(last, c.end)
                holders.setdefault(last, set()).add(normalise_name(" ".join(words[:-1])))
        for last, names in holders.items():
            if len(names) > 1:  # "Scott" after Tim Scott and Bobby Scott: either
                del first_end[last]
        if not first_end:
            return candidates
        starts = [c.start for c in candidates]
        added = []
        for token in spacy_doc:
            end = first_end.get(token.text)
            if end is None or token.idx < end or token.tag_ != "NNP" or token.ent_type_ not in ("", "PERSON"):
                continue
            if _overlapping(candidates, starts, token.idx, token.idx + len(token.text)):
                continue
            before = token.nbor(-1) if token.i > 0 else None
            after = token.nbor(1) if token.i + 1 < len(spacy_doc) else None
            if before is not None and (before.pos_ == "DET" or _proper_word(before)):
                continue
            if after is not None and _proper_word(after) or _title_case(_line_at(text, token.idx)):
                continue  # "… Nun Gave Birth …": a headline capitalises every word
            added.append(
                _Candidate(
                    token.idx, token.idx + len(token.text), "PERSON", "name", self.lexicon.scores["ner"]
                )
            )
        return sorted(candidates + added, key=lambda c: (c.start, -c.end)) if added else candidates

    def _outlet_prefix(self, inner: _Candidate, span: Any) -> bool:
        """Whether an NER organisation or facility name (``span``, trimmed) opens with an outlet's
        name the dictionary matched and goes on with capitalised words of its own, not with the words
        of the outlet's own brands ("BBC Radio Leeds", "Daily Mail Online")."""
        end = span[-1].idx + len(span[-1].text)
        if not inner.matches or inner.end >= end:
            return False
        if abs(inner.start - span[0].idx) > 4 or any(
            getattr(self.actors.get(m.actor_id), "type", None) != "media" for m in inner.matches
        ):
            return False
        rest = span.doc.text[inner.end : end].split()
        return bool(rest) and rest[0][:1].isupper() and rest[0].lower() not in self.lexicon.outlet_brand_words

    def _larger_place(self, inner: _Candidate, ent: Any) -> bool:
        """Whether an NER place name ends with a state the dictionary matched and opens with compass or
        area words of its own: "Inner Mongolia" (China), "New Mexico", "Northern Ireland" are not the
        state ("Say Mexico demanded …", spaCy's span, is)."""
        if not inner.matches or inner.end != ent.end_char or inner.start <= ent.start_char:
            return False
        if not all(self.actors.get(m.actor_id).type == "state" for m in inner.matches):
            return False
        lead = [t for t in ent if t.idx < inner.start]
        return bool(lead) and all(t.text[:1].isupper() and t.lower_ in _AREA_WORDS for t in lead)

    def _another_person(self, inner: _Candidate, span: Any) -> bool:
        """Whether an NER person name ends in a known person's surname alone but opens with a given
        name none of the person's names has ("Melania Trump" around the alias "Trump")."""
        if not inner.matches or " " in span.doc.text[inner.start : inner.end].strip():
            return False
        actors = [self.actors.get(m.actor_id) for m in inner.matches]
        if any(a.type != "person" for a in actors):
            return False
        lead = [t for t in span if t.idx < inner.start and t.is_alpha]
        if not lead or len(lead[0].text) < 2 or inner.end < span[-1].idx + len(span[-1].text):
            return False
        given = normalise_name(lead[0].text)
        firsts = {
            normalise_name(name).split()[0]
            for a in actors
            for name in (a.name, *a.aliases)
            if len(normalise_name(name).split()) > 1
        }
        return bool(firsts) and not any(compatible_given_names(given, first) for first in firsts)

    def _stretches(self, inner: _Candidate, span: Any) -> bool:
        """Whether an NER person name is a longer form of the dictionary person inside it."""
        start, end = span[0].idx, span[-1].idx + len(span[-1])
        return (
            bool(inner.matches)
            and start <= inner.start
            and inner.end <= end
            and (start, end) != (inner.start, inner.end)
            and inner.kind in ("name", "alias")
            and all(self.actors.get(m.actor_id).type == "person" for m in inner.matches)
            and all(t.tag_ in _PROPER_TAGS or t.is_punct for t in span)
        )

    def _trim(self, ent: Any) -> Any:
        """The span without a leading article, bracket debris or a trailing possessive/punctuation."""
        tokens = list(ent)
        cut = max((i for i, t in enumerate(tokens) if t.text in _BRACKETS), default=-1)
        tokens = tokens[cut + 1 :]
        while tokens and (tokens[0].lower_ in _ARTICLES or tokens[0].is_punct):
            tokens = tokens[1:]
        while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_punct):
            tokens = tokens[:-1]
        # a capitalised title spaCy took into a person's name ("Treasurer Tom Bjorklund", "Councilwoman
        # Ana Ruiz"): the name is the rest, the title a role (``_title_before`` reads it there)
        while ent.label_ == "PERSON" and len(tokens) > 2 and self._describes_the_name(tokens[0]):
            tokens = tokens[1:]
        if not tokens:
            return None
        return ent.doc[tokens[0].i : tokens[-1].i + 1]

    def _describes_the_name(self, token: Any) -> bool:
        """A word before a person's name that spaCy may take into it: a title ("Treasurer", "Mr."), or
        any lower-case word but a name particle ("rookie Emil Bemstrom"; "de", "van" stay)."""
        if self.lexicon.is_title(token, honorific=True):
            return True
        return token.is_lower and token.is_alpha and token.lower_ not in self.lexicon.name_particles

    def _is_false_positive(self, span: Any, label: str) -> bool:
        """Cheap signs that an NER span is not a name of an actor or place (see the module notes)."""
        lex = self.lexicon
        words = [t for t in span if not t.is_punct]
        if not words:
            return True
        lowers = [t.lower_ for t in words]
        if _YEAR_RE.search(span.text):
            return True
        if label != "NORP" and not any(t.tag_ in _PROPER_TAGS or (t.is_upper and len(t) > 1) for t in words):
            return True
        if label in ("ORG", "FAC", "PERSON") and any(t.tag_.startswith("VB") for t in words):
            return True
        if label != "GPE" and len(words) > 1 and words[-1].lemma_.lower() in lex.event_nouns:
            return True
        office = lex.portfolio_words | lex.role_nouns | lex.honorifics
        return label in ("ORG", "PERSON", "FAC") and all(w in office for w in lowers)


# One-word NER names that may be the surname of a person named in full (see _Linking._link_single).
_SINGLE_LABELS = frozenset(("PERSON", "ORG", "GPE", "FAC"))
# A quoted passage, and a first-person singular word in one.
_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself)\b|\bI[’']\w")

# First words that make a name part of a larger or smaller place ("Southern Florida", "New York").
_AREA_WORDS = frozenset(
    ("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper",
     "lower", "greater", "new", "old", "state", "metro", "inner", "outer", "mid", "northeast", "northwest",
     "southeast", "southwest")
)  # fmt: skip


class _Linking:
    """The state of linking one document: candidates in, entities built, mentions out."""

    def __init__(
        self, linker: EntityLinker, text: str, tokens: _Tokens, candidates: list[_Candidate]
    ) -> None:
        self.linker = linker
        self.actors = linker.actors
        self.lex = linker.lexicon
        self.text = text
        self.tokens = tokens
        self.candidates = candidates
        self.entities: list[_Acc] = []
        self.by_actor: dict[str, int] = {}
        self.by_name: dict[str, int] = {}

    def run(self) -> tuple[list[Mention], list[Entity]]:
        cands = self.candidates
        # Names first (long before short, so a surname finds its full name whichever comes first),
        # then roles and ambiguous forms, which look for the names around them.
        deferred: list[tuple[int, _Candidate]] = []
        singles: list[_Candidate] = []
        for i, c in enumerate(cands):
            if c.matches and (c.kind == "role" or len({m.actor_id for m in c.matches}) > 1):
                deferred.append((i, c))
            elif c.matches:
                self._link_actor(c, c.matches[0])
            elif c.label == "NORP" and " " not in self.text[c.start : c.end].strip():
                self._link_norp_single(c)  # in text order: the full names before it are linked
            elif c.label in _SINGLE_LABELS and " " not in self.text[c.start : c.end].strip():
                singles.append(c)
            else:
                self._link_ner(c)
        for c in singles:
            self._link_single(c)
        for i, c in deferred:
            self._link_ambiguous(c, i)
        for c in cands:
            self._collect_roles(c)
        return self._emit()

    # -- entities -----------------------------------------------------------------------------------

    def _entity_for_actor(self, actor_id: str) -> int:
        if actor_id not in self.by_actor:
            actor = self.actors.get(actor_id)
            assert actor is not None
            self.entities.append(_Acc(actor_id, self._type_of(actor_id, actor.type), country=actor.country))
            self.by_actor[actor_id] = len(self.entities) - 1
        return self.by_actor[actor_id]

    def _type_of(self, actor_id: str, actor_type: str) -> str:
        if actor_type in self.lex.dictionary_types:
            return self.lex.dictionary_types[actor_type]
        return self.lex.other_by_kind.get(actor_id.split("/", 1)[0], "ORG")

    def _new_local(self, label: str) -> int:
        self.entities.append(_Acc(None, label))
        return len(self.entities) - 1

    def _assign(self, c: _Candidate, entity: int, kind: str, score: float) -> None:
        c.entity, c.kind, c.score = entity, kind, score
        acc = self.entities[c.entity]
        if kind != "role":
            acc.names.append(self.text[c.start : c.end])
        if c.label and acc.actor_id is None:
            acc.votes[c.label] += 1
            if c.label in ("PERSON", "ORG", "FAC") and self._after_locative(c):
                acc.votes["GPE"] += 2
            if self._titled_name(c) or self._role_in_apposition(c) or self._speaks_in_first_person(c):
                acc.titled = True

    def _titled_name(self, c: _Candidate) -> bool:
        """A name of two or three capitalised words right after a person's title or role ("Ambassador
        Gordon Sondland", "WikiLeaks founder Julian Assange", "Sen. Ben Sasse"): a person, whatever
        label spaCy gave it."""
        words = self.text[c.start : c.end].split()
        if not 2 <= len(words) <= 3 or not all(
            w[:1].isupper() and not any(ch.isdigit() for ch in w) for w in words
        ):
            return False
        prev = self.tokens.before(self.tokens.at(c.start))
        if prev is None:
            return False
        word = prev.lower_.rstrip(".")
        if word in self.lex.honorifics:
            return True
        # a short title is one when written as one ("Gen.", "Rep."), not inside a word ("first-gen")
        return word in self.lex.role_nouns and (len(word) > 4 or prev.text[:1].isupper())

    def _name_misread(self, c: _Candidate, *, fewest: int) -> bool:
        """Whether ``c`` may be a person's name spaCy took for a place or an organisation: ``fewest``
        to three capitalised words of letters, labelled GPE, LOC, FAC, NORP or ORG."""
        if c.label not in ("GPE", "LOC", "FAC", "NORP", "ORG"):
            return False
        words = self.text[c.start : c.end].split()
        return fewest <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)

    def _role_in_apposition(self, c: _Candidate) -> bool:
        """A name of two or three capitalised words spaCy took for a place or an organisation, with a
        person's role or a noun for a person in apposition after it ("Marta Kolar, the new coach",
        "Jeff Sanborn, president of Sanborn Media"): a person. Not the roles a state or an
        organisation may play too (``place_roles``: "a member", "a mediator", "a founder")."""
        if not self._name_misread(c, fewest=2):
            return False
        head = self._head_of(c)
        if head is None or self.tokens.doc is None:
            return False
        lex = self.lex
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i and child.pos_ == "NOUN":
                if any(t.ent_type_ == "PERSON" for t in child.subtree):
                    return False  # a list: "The Caucus, former governor L. Douglas Wilder, and …"
                noun = child.lemma_.lower()
                if noun in lex.place_roles:
                    return False
                if noun in lex.role_nouns or noun in lex.nationality_nouns:
                    return True
        return False

    def _speaks_in_first_person(self, c: _Candidate) -> bool:
        """A name of up to three capitalised words spaCy took for a place or an organisation, saying a
        quote in the first person singular ("“I think Guido helped me a lot,” Diego Schwartzman said",
        "“I felt strange,” Steenburgen said"): a person (an organisation or a state says "we")."""
        if not self._name_misread(c, fewest=1):
            return False
        head = self._head_of(c)
        if head is None or head.dep_ != "nsubj" or head.head.lemma_.lower() not in self.lex.speech_verbs:
            return False
        return any(_FIRST_PERSON.search(quote) for quote in _QUOTED.findall(head.sent.text))

    def _after_locative(self, c: _Candidate) -> bool:
        first = self.tokens.at(c.start)
        prev = self.tokens.before(first)
        if prev is not None and prev.lower_ in _ARTICLES:
            prev = self.tokens.before(prev)
        return prev is not None and prev.lower_ in self.lex.locative_prepositions

    def _link_actor(self, c: _Candidate, match: ActorMention, *, score: float | None = None) -> None:
        self._assign(
            c, self._entity_for_actor(match.actor_id), match.kind, c.score if score is None else score
        )

    def _link_ner(self, c: _Candidate) -> None:
        """A multi-word or non-person NER name: the dictionary under a looser spelling, else the
        local entity of the same normalised name (or whose initials it spells), else a new one."""
        surface = self.text[c.start : c.end]
        actor_id, kind = self._lookup(surface, c.label)
        if actor_id is not None:
            self._assign(c, self._entity_for_actor(actor_id), kind, self.lex.scores["ner_lookup"])
            return
        key = normalise_name(surface)
        entity = self.by_name.get(key)
        if entity is None and surface.isupper() and c.label == "ORG":
            entity = self.by_name.get("initials:" + key)
        bare = _without_initials(key) if c.label == "PERSON" else None
        if entity is None and bare is not None:
            entity = self.by_name.get("bare:" + bare)  # "Venkaiah Naidu" after "M. Venkaiah Naidu"
        if entity is None:
            entity = self._new_local(c.label)
            self.by_name[key] = entity
            initials = "".join(w[0] for w in surface.split() if w[:1].isupper())
            if c.label == "ORG" and len(initials) >= 3:
                self.by_name.setdefault("initials:" + initials.lower(), entity)
        if bare is not None:
            self.by_name.setdefault("bare:" + bare, entity)
        self._assign(c, entity, "name", self.lex.scores["ner"])

    def _lookup(self, surface: str, label: str) -> tuple[str | None, str]:
        found = [m for m in self.actors.lookup(surface) if m.kind not in ("role", "adjective", "metonym")]
        people = [m for m in found if (self.actors.get(m.actor_id).type == "person") == (label == "PERSON")]
        if len({m.actor_id for m in people}) == 1 and (people[0].method != "normalised" or " " in surface):
            return people[0].actor_id, people[0].kind
        return None, "name"

    def _link_norp_single(self, c: _Candidate) -> None:
        """A one-word NORP guess: the surname of a person named in full before it is that person ("“Came
        down to a few points,” Opelka said" beside "Reilly Opelka"); any other is a nationality or a
        group, linked as NER names are."""
        surface = self.text[c.start : c.end]
        if self._lookup(surface, c.label)[0] is None and self._link_as_surname(c, normalise_name(surface)):
            return
        self._link_ner(c)

    def _link_as_surname(self, c: _Candidate, word: str) -> bool:
        """Link ``c`` to the person named in full whose surname ``word`` is, if there is one. It is that
        person's mention, whatever spaCy called it: a long profile's bare surnames, called organisations
        ("Ford"), outvoted the full name and made the person an organisation."""
        surname = self._person_by_surname(word, c.start, exact=True)
        if surname is None:
            return False
        c.label = "PERSON"
        self._assign(c, surname, "alias", self.lex.scores["surname"])
        return True

    def _link_single(self, c: _Candidate) -> None:
        """A one-word PERSON/ORG name: a known actor, a surname of a person already named, a
        near-miss of one, or a name of its own; a one-word GPE or FAC guess only when it is the
        surname of a person already named and no preposition of place stands before it."""
        surface = self.text[c.start : c.end]
        if c.label in ("GPE", "FAC") and (
            self._lookup(surface, c.label)[0] is not None or self._after_locative(c)
        ):
            self._link_ner(c)  # "in Washington" is the city whoever else the article names
            return
        if self._lookup(surface, c.label)[0] is None and not surface.isupper():
            word = normalise_name(surface)
            if self._link_as_surname(c, word):
                # spaCy calls a surname a place now and then ("… and Bjorklund says …" beside "treasurer
                # Tom Bjorklund"): the person already named
                return
            named = self._local_by_last_word(word, c.start)
            if named is not None:
                # "Sondland" after "Gordon Sondland", "the Chronicle" after "the San Francisco Chronicle",
                # whatever spaCy called either: one entity
                self._assign(c, named, "alias", self.lex.scores["surname"])
                return
            given = self._person_by_given_name(word, c.start)
            if given is not None:
                # "Kellyanne said" after "Kellyanne Conway", whatever spaCy called either: the one person
                # named before with that first name
                c.label = "PERSON"
                self._assign(c, given, "alias", self.lex.scores["surname"])
                return
            if c.label in ("GPE", "FAC"):
                self._link_ner(c)  # a place guess is never a near-miss of a surname
                return
            variant = self._person_by_surname(word, c.start, exact=False)
            if variant is not None:
                c.label = "PERSON"
                self._assign(c, variant, "near-miss", self.lex.scores["near_miss"])
                return
        self._link_ner(c)

    def _person_by_surname(self, word: str, at: int, *, exact: bool) -> int | None:
        """The person entity whose surname ``word`` is (``exact``) or nearly is: a prefix of at least
        4 letters and 60% of the surname, or within edit distance 1 (2 for surnames over 7 letters),
        and not the person's first name. Of two people of that surname, the one named more often so
        far (news names the principal by surname and the other in full: "Keith Lamont Scott … his
        wife, Rakeyia Scott … Scott's family"); the nearest earlier mention breaks ties."""
        if len(word) < 4 and not exact:
            return None
        best: tuple[int, int, int] | None = None
        for entity in range(len(self.entities)):
            if self._final_type(entity) != "PERSON" or self.entities[entity].is_role:
                continue
            full = [n.split() for n in self._full_names_of(entity)]
            surnames = {n[-1] for n in full}
            if exact:
                hit = word in surnames
            else:
                hit = word not in surnames and word not in {n[0] for n in full}
                hit = hit and any(_is_variant(word, s) for s in surnames)
            if not hit:
                continue
            mentions = [c for c in self.candidates if c.entity == entity]
            named = -sum(1 for c in mentions if c.start < at)
            for c in mentions:
                distance = at - c.start if c.start <= at else 10**6 + c.start - at
                if best is None or (named, distance) < best[:2]:
                    best = (named, distance, entity)
        return None if best is None else best[2]

    def _person_by_given_name(self, word: str, at: int) -> int | None:
        """The one person named in full before ``at`` whose first name ``word`` is, when no other
        person's first name or surname it is ("Kellyanne" after "Kellyanne Conway"; nobody for "Kevin"
        beside "Kevin Bacon" and "Kevin Hart")."""
        earlier = self.by_name.get(word)
        if earlier is not None and self._final_type(earlier) != "PERSON":
            return None  # "CHARLOTTE, N.C. — …" before "Charlotte Panthers": the word already names a place
        found: set[int] = set()
        not_names = self.lex.role_nouns | self.lex.team_nouns | self.lex.organisation_words
        for entity in range(len(self.entities)):
            if self._final_type(entity) != "PERSON" or self.entities[entity].is_role:
                continue
            full = [n.split() for n in self._full_names_of(entity)]
            if any(word == n[-1] for n in full):
                return None
            # a misread "person" is no full name: "Charlotte Mayor", "Charlotte Panthers"
            words = {w for n in full for w in n[1:]}
            if words & not_names:
                continue
            if any(word == n[0] for n in full):
                found.add(entity)
        if len(found) != 1:
            return None
        (entity,) = found
        named_before = any(c.entity == entity and c.start < at for c in self.candidates)
        return entity if named_before else None

    def _local_by_last_word(self, word: str, at: int) -> int | None:
        """The entity, not a person (those are ``_person_by_surname``'s) nor a known actor, whose name
        of two or more words ends in ``word``, nearest before ``at``: spaCy calls "Gordon Sondland" a
        place and "Michael Webb" an organisation now and then, and the one-word mentions after them
        are the same names. Not after a compass or region word ("Florida" is no alias of "Southern
        Florida", nor "Virginia" of "West Virginia")."""
        best: tuple[int, int] | None = None
        for c in self.candidates:
            if c.entity < 0 or c.start >= at:
                continue
            acc = self.entities[c.entity]
            if acc.actor_id is not None or acc.is_role or self._final_type(c.entity) == "PERSON":
                continue
            words = self.text[c.start : c.end].split()
            if len(words) < 2 or normalise_name(words[-1]) != word or words[0].lower() in _AREA_WORDS:
                continue
            if best is None or c.start > best[0]:
                best = (c.start, c.entity)
        return None if best is None else best[1]

    def _full_names_of(self, entity: int) -> list[str]:
        """The entity's names of two words or more, normalised and without particles ("bashar assad"; "Ben
        Cardin" is "cardin", "ben" being a particle elsewhere, and still a full name whose surname it is)."""
        acc = self.entities[entity]
        names = list(acc.names)
        if acc.actor_id:
            actor = self.actors.get(acc.actor_id)
            names += [actor.name, *actor.aliases]
        keys = [self.linker.name_key(n) for n in names if len(normalise_name(n).split()) > 1]
        return [k for k in keys if k]

    def _final_type(self, entity: int) -> str:
        acc = self.entities[entity]
        if acc.actor_id is not None or not acc.votes:
            return acc.type
        if acc.titled:
            return "PERSON"
        return max(acc.votes.items(), key=lambda kv: (kv[1], kv[0] == acc.type))[0]

    def _link_ambiguous(self, c: _Candidate, index: int) -> None:
        """A role or a form several actors share: the person it stands next to, the only holder,
        the one the document names elsewhere, or (roles) a document-local role entity."""
        scores = self.lex.scores
        if c.kind == "role":
            person = self._apposed_person(c, index)
            if person is not None:
                self._assign(c, person, "role", scores["role_apposition"])
                return
        holders = list(dict.fromkeys(m.actor_id for m in c.matches))
        if len(holders) == 1:
            self._link_actor(c, c.matches[0], score=scores["role_on_date"] if c.kind == "role" else None)
            return
        named = [a for a in holders if a in self.by_actor]
        if len(named) == 1:
            match = next(m for m in c.matches if m.actor_id == named[0])
            self._link_actor(c, match, score=scores["role_comention"])
            return
        if c.kind != "role":
            self._link_actor(c, c.matches[0], score=scores["role_comention"])
            return
        key = "role:" + normalise_name(self.text[c.start : c.end])
        if key not in self.by_name:
            self.by_name[key] = self._new_local("PERSON")
            self.entities[self.by_name[key]].is_role = True
            self.entities[self.by_name[key]].names.append(self.text[c.start : c.end])
        self._assign(c, self.by_name[key], "role", scores["role_unresolved"])

    def _apposed_person(self, c: _Candidate, index: int) -> int | None:
        """The person named right after ("Kremlin spokesman Dmitry Peskov") or right before, set off
        by a comma ("Sergey Lavrov, the Russian Foreign Minister"), a role description."""
        for other, gap, pattern in (
            (self.candidates[index + 1 :], self.text[c.end :], _APPOSITION_GAP),
            (reversed(self.candidates[:index]), None, _REVERSE_APPOSITION_GAP),
        ):
            for o in other:
                if o is c or o.entity < 0 or (o.start < c.end and c.start < o.end):
                    continue
                between = self.text[c.end : o.start] if gap is not None else self.text[o.end : c.start]
                if pattern.fullmatch(between) and self._final_type(o.entity) == "PERSON":
                    return o.entity
                break
        return None

    # -- roles --------------------------------------------------------------------------------------

    def _collect_roles(self, c: _Candidate) -> None:
        if c.entity < 0:
            return
        entity = c.entity
        acc = self.entities[entity]
        if c.kind == "role":
            self._add_role(acc, self.text[c.start : c.end], c.start, c.end)
            return
        if self._final_type(entity) != "PERSON" or self.tokens.doc is None:
            return
        for role, start, end in (self._title_before(c), *self._appositives(c)):
            if role:
                self._add_role(acc, role, start, end)

    def _add_role(self, acc: _Acc, role: str, start: int, end: int) -> None:
        role = " ".join(role.split())
        if role.casefold() not in {r.casefold() for r in acc.roles}:
            acc.roles.append(role)
        if acc.country is None:
            # The country a title names ("Russian analyst", "Syrian army officer", "Hezbollah leader")
            # is the person's.
            for m in self.actors.find_mentions(self.text[start:end]):
                actor = self.actors.get(m.actor_id)
                if actor is not None and actor.type != "person" and actor.country:
                    acc.country = actor.country
                    break

    def _title_before(self, c: _Candidate) -> tuple[str, int, int]:
        """A title written before a name ("President Vladimir Putin", "former deputy minister Ivan
        Petrov"), with a demonym that leads it ("Russian analyst"); "" when there is none or when a
        dictionary role already covers it."""
        first = self.tokens.at(c.start)
        words: list[Any] = []
        prev = self.tokens.before(first)
        while prev is not None and self.lex.is_title(prev) and len(words) < 6:
            words.insert(0, prev)
            prev = self.tokens.before(prev)
        if not words or not any(w.lower_ in self.lex.role_nouns for w in words):
            return "", 0, 0
        start = words[0].idx
        if any(
            o.start < c.start and o.end > start and o is not c for o in self.candidates if o.kind == "role"
        ):
            return "", 0, 0
        lead = next(
            (o for o in self.candidates if o.end <= start and not self.text[o.end : start].strip()), None
        )
        if lead is not None and lead.entity >= 0 and self._final_type(lead.entity) != "PERSON":
            start = lead.start  # the body the office belongs to: "Hezbollah leader Hassan Nasrallah"
        elif prev is not None and prev.tag_ == "JJ" and prev.text[:1].isupper():
            start = prev.idx  # a demonym leading the title: "Russian analyst Ivan Petrov"
        end = words[-1].idx + len(words[-1])
        return self.text[start:end], start, end

    def _appositives(self, c: _Candidate) -> list[tuple[str, int, int]]:
        """Role appositives: "Andrei Fyodorov, former deputy minister for Foreign Affairs," and "a
        Russian journalist, Ivan Petrov," (the name in apposition to the role)."""
        head = self._head_of(c)
        if head is None:
            return []
        found: list[tuple[str, int, int]] = []
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i:
                found.append(self._role_phrase(child.left_edge.i, child.right_edge.i, child))
        if head.dep_ == "appos" and head.head.i < head.i:
            # "A spokesman for the Pentagon, Captain Jeff Davis": the role runs up to the name.
            role_head = head.head
            found.append(self._role_phrase(role_head.left_edge.i, head.left_edge.i - 1, role_head))
        return [f for f in found if f[0]]

    def _head_of(self, c: _Candidate) -> Any:
        first, last = self.tokens.at(c.start), self.tokens.at(c.end - 1)
        if first is None:
            return None
        span = self.tokens.doc[first.i : last.i + 1]
        return span.root

    def _role_phrase(self, first: int, last: int, head: Any) -> tuple[str, int, int]:
        doc = self.tokens.doc
        if head.lemma_.lower() not in self.lex.role_nouns or last - first >= _MAX_APPOSITIVE_TOKENS:
            return "", 0, 0
        while first <= last and (doc[first].lower_ in _ARTICLES or doc[first].is_punct):
            first += 1
        # The office, not what is said of its holder: stop at a relative clause ("officer who defected").
        clause = next(
            (i for i in range(head.i + 1, last + 1) if doc[i].tag_ in ("WDT", "WP", "WP$", "WRB")), None
        )
        if clause is not None:
            last = clause - 1
        while last >= first and doc[last].is_punct:
            last -= 1
        if first > last:
            return "", 0, 0
        start, end = doc[first].idx, doc[last].idx + len(doc[last])
        return self.text[start:end], start, end

    # -- output -------------------------------------------------------------------------------------

    def _emit(self) -> tuple[list[Mention], list[Entity]]:
        keys: dict[int, str] = {}
        order: list[int] = []
        for c in self.candidates:
            if c.entity < 0:
                continue
            entity = c.entity
            if entity not in keys:
                keys[entity] = self._key(entity)
                order.append(entity)
        mentions = [
            Mention(
                start=c.start,
                end=c.end,
                label=self._final_type(c.entity),
                entity_key=keys[c.entity],
                kind=c.kind,
                actor_id=self.entities[c.entity].actor_id,
                score=c.score,
                component=ENTITIES_VERSION,
            )
            for c in self.candidates
            if c.entity >= 0
        ]
        entities: dict[str, Entity] = {}
        for entity in order:
            key = keys[entity]
            acc = self.entities[entity]
            aliases = tuple(dict.fromkeys(" ".join(n.split()) for n in acc.names))
            if key in entities:  # two local clusters that slug alike: one entity
                old = entities[key]
                entities[key] = Entity(
                    key=key, name=old.name, type=old.type, country=old.country or acc.country,
                    roles=tuple(dict.fromkeys(old.roles + tuple(acc.roles))),
                    aliases=tuple(dict.fromkeys(old.aliases + aliases)), component=ENTITIES_VERSION,
                )  # fmt: skip
                continue
            entities[key] = Entity(
                key=key,
                name=self._name_of(entity),
                type=self._final_type(entity),
                actor_id=acc.actor_id,
                country=acc.country,
                roles=tuple(acc.roles),
                aliases=aliases,
                component=ENTITIES_VERSION,
            )
        return mentions, list(entities.values())

    def _name_of(self, entity: int) -> str:
        acc = self.entities[entity]
        if acc.actor_id is not None:
            return self.actors.get(acc.actor_id).name
        # The fullest name: most words, then longest; a role entity is named by its description.
        return max(acc.names, key=lambda n: (len(n.split()), len(n))) if acc.names else "unnamed"

    def _key(self, entity: int) -> str:
        acc = self.entities[entity]
        if acc.actor_id is not None:
            return acc.actor_id
        kind = "role" if acc.is_role else self._final_type(entity).lower()
        return f"local:{kind}:{slugify(self._name_of(entity))}"


__all__ = ["ENTITIES_VERSION", "EntityLinker", "LinkingLexicon", "load_lexicon", "normalise_name", "slugify"]
