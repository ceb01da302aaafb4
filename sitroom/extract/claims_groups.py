"""Described speakers: sources that say who speaks without naming them.

"Officials said", "a source close to the talks said", "residents of the town reported", "59 percent
of Democrats say": no entity of the document is the speaker, yet the claim has one — a person or a
group the document describes. Each gets a *described speaker* key::

    group:<head lemma>[@<entity key>]

the head noun of the description (for a counted group, the noun counted: "59 percent of Democrats" →
``group:democrat``) and, where the description names whom they belong to or speak for, that entity
("the company's engineers" → ``group:engineer@<the company's key>``, "her family" → the family of
the person "her" stands for, "Russian officials" → ``group:official@state/RUS``).

A described key is scoped to its document: "officials" in two articles are not one origin, and
:mod:`sitroom.analyse.links_items` never lets a described speaker join items of different documents
into one origin. Within a document one description is one speaker ("a source said … the source
added"). A representative with a named entity ("a Homeland Security official", "a spokeswoman for
Acme") keeps speaking for that entity (:mod:`.claims_speakers`); described keys are for the rest.

Rules (lexicon in ``sitroom/data/speakers.yaml``):

* the head is a common noun that :func:`~sitroom.extract.claims_agents.source_kind` takes for an
  agent or a document — never an inanimate one ("gunshot wounds") — and not one of ``not_described``;
* a counting head ("59 percent of", "most of", "one of") describes the noun of its "of" phrase; a
  counting noun alone ("Twelve percent said") is the group itself; a bare quantifier ("some",
  "others") is nobody in particular and gets no speaker;
* a definite description ("the source", "the pensioner") is first the earlier source described with
  the same noun ("a source close to …", "Ann Berg, a pensioner, said");
* the label is GROUP for a plural or counted description, ORG for an organisation, outlet or
  document, else PERSON (one person: "a witness"), so that "he" after "a source said" is the source,
  and "they" after "residents said" the residents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile
from sitroom.extract.claims_agents import source_kind
from sitroom.nlp.entities import slugify

GROUP_PREFIX = "group:"
_AFFILIATION_PREPS = frozenset(("of", "for", "at", "from", "in", "within", "inside"))
_DEFINITE = frozenset(("the", "this", "that"))
_PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
_ORGANISATION_LABELS = frozenset(
    ("ORG", "MEDIA", "GOVERNMENT", "MILITARY", "ARMED_GROUP", "IGO", "NGO", "THINK_TANK", "PARTY", "COMPANY")
)


@dataclass(frozen=True, slots=True)
class SpeakerLexicon:
    """The word lists of ``sitroom/data/speakers.yaml``."""

    counted_heads: frozenset[str]
    relative_pronouns: frozenset[str]
    not_described: frozenset[str]
    organisation_heads: frozenset[str]
    person_nouns: frozenset[str]
    female_words: frozenset[str]
    male_words: frozenset[str]
    person_suffixes: tuple[str, ...]
    not_person_suffixes: tuple[str, ...]
    posting_heads: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def load_speaker_lexicon() -> SpeakerLexicon:
    """The packaged described-speaker lexicon, read once per process."""
    path = resources.files("sitroom") / "data" / "speakers.yaml"
    raw: dict[str, Any] = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    return SpeakerLexicon(
        counted_heads=_words(raw["counted_heads"]),
        relative_pronouns=_words(raw["relative_pronouns"]),
        not_described=_words(raw["not_described"]),
        organisation_heads=_words(raw["organisation_heads"]),
        person_nouns=_words(raw["person_nouns"]),
        female_words=_words(raw["female_words"]),
        male_words=_words(raw["male_words"]),
        person_suffixes=tuple(str(w).lower() for w in raw["person_suffixes"]),
        not_person_suffixes=tuple(str(w).lower() for w in raw["not_person_suffixes"]),
        posting_heads=_words(raw.get("posting_heads", [])),
    )


def _words(words: list[Any]) -> frozenset[str]:
    return frozenset(str(w).lower() for w in words)


def is_group_key(key: str | None) -> bool:
    """Whether a speaker key is a document's described speaker ("officials", "a source")."""
    return bool(key) and key.startswith(GROUP_PREFIX)  # type: ignore[union-attr]


def counted_noun(head: Any) -> Any | None:
    """The noun a counting head counts ("59 percent of Democrats" → "Democrats"), if it has one."""
    words = load_speaker_lexicon()
    counting = head.lemma_.lower() in words.counted_heads or head.lower_ in words.counted_heads
    if not counting and head.pos_ != "NUM":
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((o for o in prep.children if o.dep_ == "pobj"), None)
    return None


def relative_antecedent(head: Any) -> Any | None:
    """The noun a relative pronoun subject stands for ("doctors who refused" → "doctors")."""
    if head.lower_ not in load_speaker_lexicon().relative_pronouns or head.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = head.head
    if clause.dep_ != "relcl" or clause.head is clause:
        return None
    antecedent = clause.head
    return antecedent if antecedent.pos_ in ("NOUN", "PROPN") else None


def described_speaker(head: Any, index: Any) -> tuple[str, str] | None:
    """The described speaker (key, label) of the source headed by ``head``, or ``None`` when the
    source describes nobody (a bare quantifier, an inanimate noun, a parse slip)."""
    words = load_speaker_lexicon()
    lex = index.lex
    noun, counted = head, False
    inner = counted_noun(head)
    if inner is not None:
        noun, counted = inner, True
    elif _proportion(head):
        # "Six in 10 say", "Nine in 10 registered voters say": a poll's respondents, or the
        # people the proportion is of
        people = next((t for t in head.subtree if t.pos_ == "NOUN" and t.i > head.i + 2), None)
        if people is None or not _describes_speaker(people, counted=True, lex=lex):
            return GROUP_PREFIX + "respondent", "GROUP"
        noun, counted = people, True
    elif head.pos_ != "NOUN":
        return None  # "some", "others", "one": a bare quantifier describes nobody in particular
    if noun.pos_ not in ("NOUN", "PROPN") or (noun.pos_ == "PROPN" and not counted):
        return None  # "many of them", or a name: pronouns and names are resolved elsewhere
    lemma = noun.lemma_.lower()
    if lemma in words.not_described or noun.lower_ in words.not_described:
        return None
    if noun.pos_ == "NOUN" and not _describes_speaker(noun, counted=counted and noun is not head, lex=lex):
        return None
    plural = counted and head.lower_ != "one" or noun.tag_ in ("NNS", "NNPS")
    definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.children)
    if plural:
        label = "GROUP"
    elif (
        lemma in lex.group_roles
        or lemma in lex.media_heads
        or lemma in lex.document_nouns
        or lemma in words.organisation_heads
    ):
        label = "ORG"
    else:
        label = "PERSON"
    if definite and not plural:
        # "the source" after "a source close to the talks": the same speaker (a person for a
        # person's word, an organisation for an organisation's; a document speaks for either)
        person = None if lemma in lex.document_nouns else label == "PERSON"
        earlier = index.earlier_source({lemma, noun.lower_}, noun.idx, person=person)
        if earlier is not None:
            return earlier
    if label == "PERSON" and definite and not plural and not counted:
        # "the real estate tycoon" after "real estate tycoon Ann Berg": the person so described
        named = index.described_mention({lemma, noun.lower_}, frozenset(("PERSON",)), noun.idx)
        if named is not None:
            return named.entity_key, named.label
    if noun.pos_ == "PROPN":
        lemma = lemma.removesuffix("s")  # "Democrats" → democrat
    elif noun.lower_ in lex.media_heads:
        lemma = noun.lower_  # "media", not its lemma "medium"
    if label == "ORG" and not counted:
        # "the Metropolitan Police force", "the Acme company": the organisation named before its noun
        named = _named_before(noun, index)
        if named is not None:
            return named
    slug = slugify(lemma)
    affiliation = _affiliation(noun, index)
    return GROUP_PREFIX + slug + (f"@{affiliation}" if affiliation else ""), label


def _proportion(head: Any) -> bool:
    """Whether ``head`` opens a proportion: "Six in 10", "nearly 8 in 10 in Alabama"."""
    if not head.like_num:
        return False
    following = head.doc[head.i + 1 : head.i + 3]
    # the parser hangs "in 10" on the number or on the verb: read the words
    return len(following) == 2 and following[0].lower_ == "in" and following[1].like_num


def _describes_speaker(noun: Any, *, counted: bool, lex: Any) -> bool:
    """Whether a common noun can describe who speaks: a known word for people, organisations,
    outlets or documents, a word shaped like one for people, or a counting noun on its own."""
    words = load_speaker_lexicon()
    lemma, word = noun.lemma_.lower(), noun.lower_
    kind = source_kind(noun, named=False, lex=lex)
    if kind != "agent":
        return kind == "document"  # "the results of the poll" speak; "gunshot wounds" do not
    known = (
        lex.agent_lexicon,
        lex.document_nouns,
        words.organisation_heads,
        words.person_nouns,
        words.counted_heads if not counted else frozenset(),
    )
    if any(lemma in group or word in group for group in known):
        return True
    return word.endswith(words.person_suffixes) and not word.endswith(words.not_person_suffixes)


def _named_before(noun: Any, index: Any) -> tuple[str, str] | None:
    """An organisation named by the compound words before an organisation noun, if any."""
    compounds = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
    if not compounds:
        return None
    lo, hi = compounds[0].left_edge.idx, noun.idx
    around = index.overlapping(lo, hi)
    found = [
        m
        for m in around
        if lo <= m.start and m.end <= hi and m.kind != "adjective" and m.label in _ORGANISATION_LABELS
    ]
    if noun.lemma_.lower() in load_speaker_lexicon().posting_heads:
        # "a Twitter account", "a Telegram channel": the platform it is on, not who speaks
        found = [m for m in found if m.label != "COMPANY"]
    if found:
        best = max(found, key=lambda m: m.end - m.start)
        return best.entity_key, best.label
    names = [t for t in noun.doc[compounds[0].left_edge.i : noun.i] if t.pos_ == "PROPN"]
    if names and not around:
        # a name the recogniser missed ("the Lofoten Police force"), keyed as the linker keys a
        # local organisation
        return f"local:org:{slugify(' '.join(t.text for t in names))}", "ORG"
    return None


def _affiliation(noun: Any, index: Any) -> str | None:
    """The entity a description names as whom the people belong to or speak for: a name or demonym
    before the noun ("Russian officials", "Acme engineers"), a possessor ("the company's engineers",
    "her family"), or the object of an "of/for/at/from/in/with" phrase ("residents of Aleppo",
    "sources close to the ministry")."""
    regions = [(noun.left_edge.idx, noun.idx)]
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            key, _ = index.pronoun_of(child)
            if key is not None and not is_group_key(key):
                return key
        elif (child.dep_ == "prep" and child.lower_ in _AFFILIATION_PREPS) or (
            child.dep_ == "amod" and child.lower_ == "close"  # "sources close to the talks"
        ):
            regions.append((child.idx, child.right_edge.idx + len(child.right_edge.text)))
    found = [
        m
        for lo, hi in regions
        for m in index.overlapping(lo, hi)
        if lo <= m.start < hi and not (m.start <= noun.idx < m.end)
    ]
    if not found:
        return None
    best = max(found, key=lambda m: (m.kind != "adjective", m.label not in _PLACE_LABELS, m.end - m.start))
    return best.entity_key
