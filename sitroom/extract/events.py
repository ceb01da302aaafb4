"""Events: who did what to whom, where and when, how sure, and who says so.

:func:`extract_events` reads one cleaned text, its spaCy parse and the lower layers (mentions, places,
times, quantities, claims) and returns :class:`~sitroom.model.Event` records typed by the sitroom
ontology (``sitroom/data/events.yaml``, see :mod:`sitroom.extract.events_ontology`). The rules:

1. **Triggers.** A verb whose lemma the ontology lists, when its object condition holds ("send" with a
   forces-like object is a deployment, with weapons or advisers military aid; "destroy" is an air strike
   only with aircraft as its subject), or a noun the ontology lists, when its modifier condition holds
   ("strike" with "air"). A verb listed under several types takes the first whose condition holds,
   instrument conditions first.
2. **Support verbs.** An event noun that is the object of a support verb ("launched air strikes",
   "flew 522 sorties") or under its preposition ("participated in exercises", "preparing for an
   attack") takes that verb's subject as actor; through an aspect noun ("the beginning of withdrawal").
3. **Arguments.** Actor and target roles are tried in the order the type lists (subject, agent,
   possessor, modifier, "of", object, prepositions); a noun phrase names the entity of the mention on
   its head, else those on its modifiers ("Russian warplanes" → Russia's air force, "Moscow" → the
   Russian government, as the entity layer links them); pronouns take the nearest fitting mention.
   Subjects are found through conjuncts, control verbs and gerunds ("no intention of sending" → he).
   A subject that is a forces noun without an entity ("the troops") stays as its span.
4. **Precision.** No event without an actor, a target or a required object; a noun needs its own
   argument, a support verb, a quantity or a place phrase ("the initial deployment" alone is nothing).
   A result verb conjoined with a trigger ("flew sorties and destroyed 800 targets") adds its figures to
   that event; a trigger inside another event's arguments of the same family is folded into it.
5. **Place and time.** The literal place (no metonym or demonym, not the actor) and the dated time in
   the trigger's own phrase, else its clause, else each governing clause; a place under a preposition
   and a finer place win. Inside a claim, times come only from the claim's content (the cue's date is
   when it was said). Else both are inherited from the sentence, the paragraph before it or the
   dateline, at a coarser precision, and ``why`` says so (:mod:`sitroom.extract.events_context`).
   An agreement named only as failing ("the collapse of the truce") is no event; a broker is a
   mediator, not a party; an instrument's outcome ("missiles fired from warships killed 600") takes
   the launcher as its actor.
6. **Quantities.** Counts on the trigger or its object map to the type's roles ("522 sorties" →
   sorties, "destroyed more than 800 targets" → targets, "killed 600 rebels" → fatalities).
7. **Modality and claim.** :func:`~sitroom.extract.modality.assess_modality` on the trigger's phrase,
   with the cue of the claim whose content holds the trigger; an event in an attributed claim is
   *reported* unless the modality says more. A purpose clause ("to launch an offensive") is hypothetical.
8. **Confidence.** From the trigger kind and the arguments found, nudged by the event-type classifier
   (:mod:`sitroom.extract.event_types`) when it is installed. ``why`` says all of this in words.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitroom.extract.events_args import (
    PRECISION_OF_FEATURE,
    DocIndex,
    choose_place,
    choose_time,
    clause_head,
    clause_scopes,
    is_passive,
    modifier_lemmas,
    noun_keys,
    object_of,
    place_candidates,
    prep_objects,
    subject_of,
    time_candidates,
)
from sitroom.extract.events_context import (
    find_instrument,
    inherit_place,
    inherit_time,
    is_failed_agreement,
    mediators,
    parties_between,
    read_launch,
    speaker_side,
)
from sitroom.extract.events_judge import read_modality, score_confidence
from sitroom.extract.events_ontology import EventType, Ontology, Trigger, load_ontology
from sitroom.extract.events_quantities import assign_quantities
from sitroom.model import Claim, Entity, Event, Mention, Place, Quantity, TimeRef

log = logging.getLogger(__name__)

# v3: the same rules as v2, but confidence is nudged by event_types.v3 (a new classifier changes the
# events it makes, so it is a new events version: facts keep naming what made them). v4: the same for
# event_types.v4. v5: the same for event_types.v5, which also reads the sentence's parse (passed along).
# v6: unnamed weapons a government reports on are its own (events_context.speaker_side); what was
# fired at a place from afar ("900 miles from Syria") struck there. v7: read from a parse in which a
# blank line ends a sentence (sitroom.nlp.paragraphs); a conjunct's own subject is kept; a town before
# a noun trigger is its place, not its actor ("the Benghazi attack").
# v8: read from a parse in which a line break ends a sentence in text that does not wrap its lines
# (web pages) and a wire dateline is a sentence of its own (sitroom.nlp.paragraphs); a person owning an
# arrest is the one arrested ("Epstein's arrest"); a place before a noun for people is where they are
# from ("a New York man"), no actor; a participle hung on a medium acts for the verb's subject ("posted
# on Twitter accusing …").
# v9: violence against a person is an attack; armed or arresting people act; an appositive name is what
# its noun names and a kin noun's "of" phrase a relative; no request from "request for comment"; a team's
# city is no government; people who died, counted, are casualties (undergoer triggers); read from a parse
# in which a dateline naming an outlet the agency list lacks ends a sentence.
# v10: only combatants clash ("Chris Paul did not clash with Rajon Rondo" was an armed clash) and only
# crowds rally ("the Nifty was rallying", "Rublev rallied" were protests): `subject:` classes in events.yaml;
# a market's rally is none ("the Fed financed stock market rally").
# v11: what ACLED codes and the layer missed (measured by benchmarks/event_detection.py on CASE-2021):
# types abduction, sexual_violence, riot, crackdown, looting and weapons_seizure; bombs that explode,
# bases set up, forces spotted, measured aid, chemical attacks before plain ones (the most specific
# trigger first); an unnamed crowd, combatants or mob acts (`described_actors`); an event noun that
# harms or breaks out happened; deaths a disaster caused are no casualties (`not_by`); no event inside a
# longer name or disrupted ("defused two bombs"); a relative clause with a subject of its own acts on its
# noun ("something the U.S. could demonstrate in court" was a protest by the United States).
EVENTS_VERSION = "events.v12"
_NOUN_POS = frozenset(("NOUN", "PROPN"))
_FAMILIES = {
    "air_strike": "violence",
    "shelling": "violence",
    "attack": "violence",
    "armed_clash": "violence",
}
# Nouns that name an event: as the complement of an event noun they are argument enough.
_EVENT_NOUNS = frozenset(
    ("operation", "offensive", "attack", "deployment", "withdrawal", "intervention", "strike", "plan",
     "proposal", "ceasefire", "agreement", "deal", "talk", "negotiation", "request", "demand")
)  # fmt: skip


@dataclass(slots=True)
class _Candidate:
    """An event being read: its trigger, arguments and the token regions its figures come from."""

    type: EventType
    trigger: Any
    kind: str  # "verb" or "noun"
    support: Any = None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    arg_tokens: set[int] = field(default_factory=set)
    regions: list[tuple[set[int], str | None]] = field(default_factory=list)  # (tokens, outcome verb lemma)
    why: list[str] = field(default_factory=list)
    object_ok: bool = False
    own_args: bool = False
    with_words: tuple[str, ...] = ()
    merged: list[Any] = field(default_factory=list)
    own_subject: bool = False
    not_place: set[int] = field(default_factory=set)  # launch sites, mediators: never the event's place
    unnamed_launcher: str | None = None  # the instrument's phrase when nothing says whose it is
    toward: Any = None  # the place an instrument was fired at from afar ("900 miles from Syria")

    @property
    def anchors(self) -> set[int]:
        return {self.trigger.i} | ({self.support.i} if self.support is not None else set())


def extract_events(
    text: str,
    spacy_doc: Any,
    *,
    mentions: Sequence[Mention] = (),
    entities: Sequence[Entity] = (),
    places: Sequence[Place] = (),
    times: Sequence[TimeRef] = (),
    quantities: Sequence[Quantity] = (),
    claims: Sequence[Claim] = (),
    anchor: date | None = None,
) -> list[Event]:
    """The events one document states, hedges or denies, in text order (see the module docstring).

    ``anchor`` is the document date; times come resolved from the time layer, so it is only recorded
    in ``why`` when an event has no time of its own.
    """
    if spacy_doc is None or not text:
        return []
    ontology = load_ontology()
    index = DocIndex.build(
        text, spacy_doc, mentions=mentions, entities=entities, places=places, times=times,
        quantities=quantities, claims=claims,
    )  # fmt: skip
    candidates: list[_Candidate] = []
    for token in spacy_doc:
        candidate = _read_trigger(token, ontology, index)
        if candidate is not None and not (
            candidate.type.void_on_failure and is_failed_agreement(candidate.trigger, ontology)
        ):
            candidates.append(candidate)
    candidates = _merge(candidates)
    place_options = place_candidates(index)
    time_options = time_candidates(index)
    events = [_build_event(c, ontology, index, place_options, time_options) for c in candidates]
    return sorted((e for e in events if e is not None), key=lambda e: e.trigger_start)


# --- Triggers -------------------------------------------------------------------------------------


def _read_trigger(token: Any, ontology: Ontology, index: DocIndex) -> _Candidate | None:
    lemma = token.lemma_.lower()
    # A gerund in a noun's place ("the shelling", "fighting") reads as the noun.
    if token.pos_ == "VERB" and not (token.tag_ == "VBG" and token.dep_ in ("pobj", "dobj", "nsubj", "conj")):
        triggers = ontology.verbs.get(lemma, ())
        if triggers:
            return _read_verb(token, triggers, ontology, index)
        return None
    if token.pos_ in _NOUN_POS or token.tag_ == "VBG":
        triggers = ontology.nouns.get(lemma, ()) or ontology.nouns.get(token.lower_, ())
        disrupted = (
            token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_.lower() in ontology.disrupting_verbs
        )
        if triggers and not disrupted and not _inside_a_name(token, index):
            return _read_noun(token, triggers, ontology, index)
    return None


def _inside_a_name(token: Any, index: DocIndex) -> bool:
    """Whether a noun is one word of a longer name of an organisation or person ("Border Patrol
    agents", "the Free Exercise Clause"): part of a name, not an event."""
    mention = index.mention_at(token)
    if (
        mention is not None
        and mention.label not in ("GPE", "LOC", "FAC", "NORP")
        and mention.start <= token.idx
        and token.idx + len(token.text) <= mention.end
        and mention.end - mention.start > len(token.text)
    ):
        return True
    # a capitalised word inside a sentence written in lower case is part of a name the recogniser
    # missed ("the U.S. Border Patrol"); a headline in title case is not such a sentence
    if token.pos_ != "PROPN" or not token.is_title or token.i == token.sent.start:
        return False
    words = [t for t in token.sent if t.is_alpha]
    return sum(t.is_lower for t in words) * 2 > len(words)


def _noun_in(ontology: Ontology, classes: Sequence[str], token: Any, index: DocIndex) -> bool:
    """Whether a noun belongs to one of ``classes`` by its lemma, modifiers or its entity's type."""
    lemma = token.lemma_.lower()
    # a plural the tagger took for a name opening the sentence keeps its "s" ("Rebels attacked …")
    lemmas = (lemma, lemma[:-1]) if token.pos_ == "PROPN" and lemma.endswith("s") else (lemma,)
    mods = tuple(c.lemma_.lower() for c in token.lefts if c.dep_ in ("compound", "amod"))
    measured = _measured(token)
    for name in classes:
        if name == "any":
            return True
        if any(ontology.in_class(name, form, mods) for form in lemmas):
            return True
        if measured is not None and _noun_in(ontology, [name], measured, index):
            return True  # "50 tons of ammunition", "a shipment of rifles": what is measured
        mention = index.mention_at(token)
        if mention is not None:
            if name == "forces" and mention.label in ("MILITARY", "ARMED_GROUP"):
                return True
            if name == "places" and mention.label in ("GPE", "LOC", "FAC"):
                return True
            if name == "persons" and mention.label == "PERSON":
                return True
    return False


# Nouns that measure what their "of" names ("tons of ammunition", "a convoy of tanks").
_MEASURE_NOUNS = frozenset(
    ("ton", "tonne", "shipment", "batch", "load", "consignment", "crate", "truckload", "planeload",
     "convoy", "column", "contingent", "number", "amount", "dozen", "hundred", "thousand", "quantity",
     "lot", "haul", "stash", "cache", "stockpile", "pile", "total", "group", "couple", "swathe", "swath",
     "stretch", "chunk", "part")
)  # fmt: skip


def _measured(token: Any) -> Any | None:
    """The noun a measure noun counts ("ammunition" in "50 tons of ammunition"), else None."""
    if token.lemma_.lower() not in _MEASURE_NOUNS:
        return None
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None


def _read_verb(
    verb: Any, triggers: Sequence[Trigger], ontology: Ontology, index: DocIndex
) -> _Candidate | None:
    subject, subject_how = subject_of(verb)
    if subject is None and any(t.instruments for t in triggers):
        # "cruise missiles fired from warships killed 600": spaCy leaves the outcome verb subjectless
        instrument = find_instrument(verb, ontology, sorted({c for t in triggers for c in t.instruments}))
        if instrument is not None:
            subject, subject_how = instrument, "instrument"
    obj = object_of(verb)
    passive = is_passive(verb)
    if (
        obj is not None
        and obj.i == verb.head.i
        and (
            any(t.subjects and _noun_in(ontology, t.subjects, obj, index) for t in triggers)
            # "An explosive device detonated near a convoy": the only verb read as the noun's modifier
            or (
                obj.dep_ == "ROOT"
                and any(t.instruments and _noun_in(ontology, t.instruments, obj, index) for t in triggers)
            )
        )
    ):
        # "a Russian infantry battalion trained to work …": spaCy reads a reduced relative; the
        # noun fits the verb's subject class, so it is the subject of a main clause.
        subject, subject_how, obj = verb.head, "subject", None
        reduced = True
    else:
        reduced = False
    mods = modifier_lemmas(verb)
    for trigger in triggers:  # the most specific reading first: the ontology orders them so
        if trigger.instruments and (
            subject is None or not _noun_in(ontology, trigger.instruments, subject, index)
        ):
            continue
        if trigger.subjects and (subject is None or not _noun_in(ontology, trigger.subjects, subject, index)):
            continue
        if trigger.with_words and not trigger.with_words.intersection(mods):
            continue
        if trigger.without_words.intersection(mods):
            continue
        if trigger.not_by and _caused_by(verb, subject, trigger.not_by, ontology, index):
            continue
        if not trigger.between_people and _a_person(subject, index) and _a_person(obj, index):
            continue  # "Trump attacked Machado in early-morning tweets": words, not violence
        if obj is None:
            if "none" not in trigger.objects:
                continue
        elif not _noun_in(ontology, [o for o in trigger.objects if o != "none"], obj, index):
            continue
        event_type = ontology.types[trigger.type]
        candidate = _Candidate(type=event_type, trigger=verb, kind="verb", object_ok=obj is not None)
        candidate.with_words = mods
        candidate.own_subject = reduced
        _verb_arguments(candidate, trigger, subject, subject_how, obj, passive, ontology, index)
        if trigger.instruments and subject is not None:
            _launcher(candidate, subject, ontology, index)
        if not _verb_passes(candidate, trigger, obj, index):
            continue
        return candidate
    return None


# Where a verb names its cause: its subject, "by/in/after/from/during" phrases, a clause of time or cause.
_CAUSE_PREPS = frozenset(("by", "in", "after", "from", "during", "following"))


def _caused_by(verb: Any, subject: Any, classes: Sequence[str], ontology: Ontology, index: DocIndex) -> bool:
    """Whether the verb's cause is of one of ``classes`` ("an earthquake killed eight", "were killed when
    a bus plunged off a bridge", "died in the floods")."""
    causes = [subject] if subject is not None else []
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in _CAUSE_PREPS:
            causes += [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ == "advcl":
            causes += [g for g in child.children if g.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "advcl":  # "an earthquake struck Lombok, killing two": the clause it depends on
        causes += [g for g in verb.head.children if g.dep_ == "nsubj"]
    return any(_noun_in(ontology, classes, noun, index) for noun in causes)


def _a_person(token: Any, index: DocIndex) -> bool:
    """Whether ``token`` heads a named person's mention (or is a pronoun standing for one)."""
    if token is None:
        return False
    keys = noun_keys(token, index)
    return bool(keys) and all(k.startswith(("person/", "local:person:")) for k in keys)


def _launcher(candidate: _Candidate, instrument: Any, ontology: Ontology, index: DocIndex) -> None:
    """The actor of an instrument's outcome: who launched it ("fired from Russian warships")."""
    launch = read_launch(instrument, ontology, index)
    candidate.not_place |= launch.tokens
    candidate.arg_tokens |= {instrument.i}
    candidate.toward = launch.toward
    if not candidate.actors and launch.actors:
        candidate.actors.extend(launch.actors)
        candidate.why.append(f"actor {_names(list(launch.actors), index)} who launched it: {launch.how}")
    elif not launch.actors and not launch.site:
        candidate.unnamed_launcher = launch.how


def _verb_arguments(
    candidate: _Candidate, trigger: Trigger, subject: Any, subject_how: str, obj: Any, passive: bool,
    ontology: Ontology, index: DocIndex,
) -> None:  # fmt: skip
    event_type, verb = candidate.type, candidate.trigger
    if verb.lemma_.lower() in ontology.mediation_verbs:
        # "Qatar brokered a truce between A and B": A and B agreed; Qatar mediated.
        if subject is not None:
            brokers = noun_keys(subject, index)
            if brokers:
                candidate.why.append(f"brokered by {_names(brokers, index)} (a mediator, not a party)")
            candidate.not_place |= {t.i for t in subject.subtree}
        parties = parties_between(verb, index) + (parties_between(obj, index) if obj is not None else [])
        if parties:
            candidate.actors.extend(dict.fromkeys(parties))
            candidate.why.append(f"actors {_names(parties, index)} from 'between'")
        subject = None
    obj_role = (
        event_type.passive_subject if passive and obj is not None and obj.dep_ == "nsubjpass" else "object"
    )
    # A conjunct whose borrowed subject is its own object was attached to the wrong clause
    # ("Lavrov stressed that Turkey is …, and had accused Turkey"): take the governing clause's.
    if (
        subject is not None
        and subject_how != "subject"  # borrowed: "… and Turkey later strengthened its positions" is Turkey's
        and obj is not None
        and verb.dep_ == "conj"
        and obj.pos_ != "PRON"
        and set(noun_keys(subject, index)) & set(noun_keys(obj, index))
    ):
        subject, subject_how = subject_of(clause_head(verb.head).head)
    if subject is not None and trigger.undergoer:
        # "three people died": the subject is whom it happened to, counted like an object; a pronoun
        # ("he died in my hands") names no one sure enough to be reported dead
        region = {t.i for t in subject.subtree if t.i < verb.i}
        candidate.regions.append((region, verb.lemma_.lower()))
        candidate.arg_tokens |= region
        keys = noun_keys(subject, index) if subject.pos_ != "PRON" else []
        if keys and "object" in event_type.target_roles:
            candidate.targets.extend(keys)
            candidate.why.append(f"target {_names(keys, index)} from subject '{_phrase(subject)}'")
        subject = None
    if subject is not None:
        keys = noun_keys(subject, index)
        if (
            not keys
            and not trigger.instruments
            and subject_how != "the noun it modifies"  # "rebels fighting the regime" describes them
            and _noun_in(ontology, event_type.described_actors, subject, index)
        ):
            keys = [_span_key(subject)]
        if keys and "subject" in event_type.actor_roles or keys and subject_how == "agent":
            candidate.actors.extend(keys)
            candidate.why.append(f"actor {_names(keys, index)} from {subject_how} '{_phrase(subject)}'")
        candidate.arg_tokens |= {t.i for t in subject.subtree}
    if obj is not None:
        region = {t.i for t in obj.subtree} if obj.dep_ != "acl" else {obj.i}
        if obj.i == verb.head.i:  # participle modifier: the noun it modifies is its object
            region = {obj.i} | {t.i for t in obj.lefts}
        candidate.regions.append((region, verb.lemma_.lower()))
        candidate.arg_tokens |= region
        keys = noun_keys(obj, index)
        if keys:
            sent = not _noun_in(ontology, ["bases"], obj, index)  # a base set up is no force sent
            if obj_role == "actor" or (not candidate.actors and "theme" in event_type.actor_roles and sent):
                if not candidate.actors:
                    candidate.actors.extend(keys)
                    candidate.why.append(f"actor {_names(keys, index)} from the forces sent '{_phrase(obj)}'")
            elif obj_role in ("object", "target") and "object" in event_type.target_roles:
                candidate.targets.extend(keys)
                candidate.why.append(f"target {_names(keys, index)} from object '{_phrase(obj)}'")
    preps = [r for r in event_type.target_roles if r not in ("object", "dative")]
    for prep, pobj in prep_objects(verb, preps):
        keys = noun_keys(pobj, index)
        candidate.arg_tokens |= {t.i for t in pobj.subtree}
        if keys:
            candidate.targets.extend(k for k in keys if k not in candidate.targets)
            candidate.why.append(f"target {_names(keys, index)} from '{prep} {_phrase(pobj)}'")
    obj_text = f" with object '{_phrase(obj)}'" if obj is not None else ""
    candidate.why.insert(0, f"verb '{verb.text}'{obj_text} ({event_type.id} trigger)")


def _verb_passes(candidate: _Candidate, trigger: Trigger, obj: Any, index: DocIndex) -> bool:
    if trigger.needs:
        if "actor" in trigger.needs and not candidate.actors:
            return False
        if "target" in trigger.needs and not candidate.targets:
            return False
        if "quantity" in trigger.needs:
            return _has_count(candidate, index)
    if trigger.instruments:
        return True  # "warplanes destroyed": the instrument is argument enough
    return bool(candidate.actors or candidate.targets or (obj is not None and "any" not in trigger.objects))


def _has_count(candidate: _Candidate, index: DocIndex) -> bool:
    tokens = set().union(*(region for region, _ in candidate.regions)) if candidate.regions else set()
    return any(_quantity_token(q, index) in tokens for q in index.quantities)


def _quantity_token(quantity: Quantity, index: DocIndex) -> int | None:
    at = quantity.counted_start if quantity.counted_start is not None else quantity.start
    span = index.doc.char_span(at, at + 1, alignment_mode="expand")
    return span[0].i if span is not None and len(span) else None


def _read_noun(
    noun: Any, triggers: Sequence[Trigger], ontology: Ontology, index: DocIndex
) -> _Candidate | None:
    mods = modifier_lemmas(noun)
    # a trigger modifying another noun reads that noun as a word on it: "riot police" is no riot
    head = (noun.head.lemma_.lower(),) if noun.dep_ == "compound" and noun.head.pos_ in _NOUN_POS else ()
    # a trigger that asks for words on the noun comes first (the ontology orders them): "a chemical attack"
    for trigger in triggers:
        if trigger.without_words.intersection(head):
            continue
        if (
            trigger.with_words
            and not trigger.with_words.intersection(mods)
            or trigger.without_words.intersection(mods)
        ):
            continue
        candidate = _Candidate(type=ontology.types[trigger.type], trigger=noun, kind="noun", with_words=mods)
        _noun_arguments(candidate, ontology, index)
        if not _noun_passes(candidate, trigger, index):
            continue
        return candidate
    return None


def _governor(noun: Any, ontology: Ontology) -> tuple[Any, str] | None:
    """The support verb lending its subject to an event noun, and how it governs it."""
    current = noun
    for _ in range(3):
        head = current.head
        if current.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in ontology.support_object:
            return head, f"'{head.text} {current.text}'"
        if current.dep_ == "pobj" and head.dep_ == "prep":
            verb = head.head
            allowed = ontology.support_prep.get(head.lower_, frozenset())
            if verb.lemma_.lower() in allowed:
                return verb, f"'{verb.text} {head.text} {current.text}'"
            if head.lower_ == "of" and verb.lemma_.lower() in ontology.aspect_nouns:
                current = verb  # "the beginning of withdrawal": read the aspect noun's place
                continue
        if current.dep_ == "conj" and head.pos_ in _NOUN_POS:
            current = head
            continue
        return None
    return None


def _noun_arguments(candidate: _Candidate, ontology: Ontology, index: DocIndex) -> None:
    noun, event_type = candidate.trigger, candidate.type
    candidate.regions.append(({t.i for t in noun.subtree}, None))
    candidate.why.append(f"noun '{noun.text}' ({event_type.id} trigger)")
    heads = [noun]
    current = noun
    if noun.dep_ == "compound" and noun.head.pos_ in _NOUN_POS:
        heads.append(noun.head)  # "Russia's deployment operations": the head noun's possessor
    while (
        current.dep_ == "pobj"
        and current.head.lower_ == "of"
        and current.head.head.lemma_.lower() in ontology.aspect_nouns
    ):
        current = current.head.head
        heads.append(current)
    candidate.arg_tokens.update(h.i for h in heads)
    brokers, broker_tokens = mediators(noun, ontology, index)
    for head in heads:
        _own_noun_arguments(candidate, head, index)
    if broker_tokens:
        # "the UN-brokered truce between A and B": the broker's modifiers are not the parties
        candidate.actors[:] = [k for k in candidate.actors if k not in brokers]
        candidate.why[:] = [w for w in candidate.why if not (w.startswith("actor") and "modifier" in w)]
        parties = parties_between(noun, index)
        for child in noun.children:
            if child.lemma_.lower() in ontology.mediation_verbs:
                parties += parties_between(child, index)
        if parties and not candidate.actors:
            candidate.actors.extend(dict.fromkeys(parties))
            candidate.why.append(f"actors {_names(parties, index)} from 'between'")
        if brokers:
            candidate.why.append(f"brokered by {_names(brokers, index)} (a mediator, not a party)")
        candidate.not_place |= broker_tokens
    governed = _governor(noun, ontology)
    if governed is not None:
        verb, how = governed
        candidate.support = verb
        if not candidate.actors:
            subject, subject_how = subject_of(verb)
            if subject is not None:
                keys = noun_keys(subject, index)
                if not keys and _noun_in(ontology, ["forces"], subject, index):
                    keys = [_span_key(subject)]
                if keys:
                    candidate.actors.extend(keys)
                    candidate.why.append(f"actor {_names(keys, index)} from the subject of {how}")
                candidate.arg_tokens |= {t.i for t in subject.subtree}
        preps = [r for r in event_type.target_roles if r not in ("object", "dative")]
        for prep, pobj in prep_objects(verb, preps):
            keys = noun_keys(pobj, index)
            candidate.arg_tokens |= {t.i for t in pobj.subtree}
            if keys and not candidate.targets:
                candidate.targets.extend(keys)
                candidate.why.append(f"target {_names(keys, index)} from '{prep} {_phrase(pobj)}'")
        if governed and candidate.why[0].startswith("noun"):
            candidate.why[0] += f", via {how}"


def _own_noun_arguments(candidate: _Candidate, noun: Any, index: DocIndex) -> None:
    event_type = candidate.type
    # "the shooting of Michael Brown": the "of" phrase of a harm done to someone names the one harmed
    patient_of = noun.lemma_.lower() in _PATIENT_OF_NOUNS
    if not candidate.actors:
        for role in event_type.actor_roles:
            if role == "of" and patient_of:
                continue
            keys, how = _noun_role(noun, role, index)
            if (
                keys
                and (
                    (role == "possessor" and event_type.person_possessor == "target")
                    or (patient_of and role in ("possessor", "modifier"))  # "the Michael Brown shooting"
                )
                and all(_is_person_key(k) for k in keys)
            ):
                candidate.targets.extend(keys)  # "Epstein's arrest": the one arrested
                candidate.own_args = True
                candidate.why.append(f"target {_names(keys, index)} from {how}")
                break
            if keys:
                candidate.actors.extend(keys)
                candidate.own_args = True
                candidate.why.append(f"actor {_names(keys, index)} from {how}")
                break
    for role in (*event_type.target_roles, *(("of",) if patient_of else ())):
        if role in ("object", "dative"):
            continue
        for prep, pobj in prep_objects(noun, (role,)):
            keys = [k for k in noun_keys(pobj, index) if k not in candidate.actors]
            candidate.arg_tokens |= {t.i for t in pobj.subtree}
            if pobj.lemma_.lower() in _EVENT_NOUNS:  # "the rejection of the offensive operation"
                candidate.own_args = True
                candidate.why.append(f"about '{prep} {_phrase(pobj)}'")
            if keys:
                candidate.targets.extend(keys)
                candidate.own_args = True
                candidate.why.append(f"target {_names(keys, index)} from '{prep} {_phrase(pobj)}'")
    if any(
        c.dep_ == "prep" and c.lower_ in ("in", "near", "to", "from", "into", "at", "on", "over")
        for c in noun.children
    ):
        candidate.own_args = candidate.own_args or _has_place_phrase(noun, index)
    if any(c.dep_ in ("compound", "nmod") and _names_a_town(c, index) for c in noun.lefts):
        candidate.own_args = True  # "the Benghazi attack": the town it happened in is its argument
    if noun.dep_ == "nsubj" and noun.head.lemma_.lower() in _HAPPENED_VERBS:
        # "an explosion at a market killed 12", "violent protests erupted in Bogota": what it did, or that
        # it happened, is its argument
        candidate.own_args = True


# Nouns of a harm done to someone, whose "of" phrase, or a person before them, is the one harmed ("the
# shooting of Michael Brown", "the Michael Brown shooting", "the killing of a journalist"), not the one
# who did it.
_PATIENT_OF_NOUNS = frozenset(
    ("shooting", "stabbing", "killing", "murder", "beating", "kidnapping", "abduction", "assassination",
     "execution", "lynching", "death")
)  # fmt: skip


# Verbs of harm whose subject an event noun may be ("a blast ripped through a mosque").
_HARM_VERBS = frozenset(
    ("kill", "wound", "injure", "destroy", "damage", "rip", "tear", "hit", "shake", "level", "flatten",
     "devastate", "claim", "leave")
)  # fmt: skip


# Verbs that say an event noun, their subject, happened ("clashes broke out", "protests erupted", "the
# shooting sparked protests").
_OCCURRENCE_VERBS = frozenset(
    ("erupt", "break", "occur", "happen", "rage", "spread", "flare", "escalate", "intensify", "resume",
     "spark", "trigger", "prompt", "provoke")
)  # fmt: skip
_HAPPENED_VERBS = _HARM_VERBS | _OCCURRENCE_VERBS


def _is_person_key(key: str) -> bool:
    """An entity key of a person: a dictionary person ("person/…") or a local one."""
    return key.startswith(("person/", "local:person:"))


def _noun_role(noun: Any, role: str, index: DocIndex) -> tuple[list[str], str]:
    if role == "possessor":
        for child in noun.lefts:
            if child.dep_ == "poss":
                return noun_keys(child, index), f"possessor '{child.text}'"
    elif role == "modifier":
        keys: list[str] = []
        for child in noun.lefts:
            if child.dep_ in ("amod", "compound", "nmod") and not _names_a_town(child, index):
                keys.extend(noun_keys(child, index, follow_of=False))
        if keys:
            return list(dict.fromkeys(keys)), "modifier"
    elif role in ("of", "by", "between", "from"):
        for prep, pobj in prep_objects(noun, (role,)):
            keys = noun_keys(pobj, index)
            if keys:
                return keys, f"'{prep} {_phrase(pobj)}'"
    return [], ""


def _town_before(noun: Any, index: DocIndex) -> tuple[Place, Any] | None:
    """The town a noun trigger's own modifier names ("the Benghazi attack"), as a place option."""
    for child in noun.lefts:
        if child.dep_ in ("compound", "nmod") and _names_a_town(child, index):
            for place in index.places:
                if place.start <= child.idx < place.end:
                    return place, child
    return None


def _names_a_town(token: Any, index: DocIndex) -> bool:
    """A town, city or region before the noun ("the Benghazi attack", "the Aleppo offensive"): where it
    happened, not who did it. A country or a capital that stands for its government ("Russian
    strikes", "the Moscow talks" as metonym) is still an actor."""
    mention = index.mention_at(token)
    if mention is None or not mention.entity_key.startswith("local:"):
        return False
    return any(
        p.start <= token.idx < p.end and p.feature not in ("country", "metonym", "demonym")
        for p in index.places
    )


def _has_place_phrase(noun: Any, index: DocIndex) -> bool:
    for child in noun.children:
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and any(p.start <= pobj.idx < p.end for p in index.places):
                    return True
    return False


def _noun_passes(candidate: _Candidate, trigger: Trigger, index: DocIndex) -> bool:
    if "actor" in trigger.needs and not candidate.actors:
        return False
    if "target" in trigger.needs and not candidate.targets:
        return False
    counted = _counts_on(candidate, index)
    if "quantity" in trigger.needs and not counted:
        return False
    if candidate.own_args or candidate.actors or candidate.targets:
        return True
    if candidate.support is not None:
        # "no request has been made": a support verb that takes the noun as its object is argument
        # enough; one that only governs a preposition ("participate in operations") is not.
        return candidate.trigger.dep_ in ("dobj", "nsubjpass")
    return counted


def _counts_on(candidate: _Candidate, index: DocIndex) -> bool:
    noun = candidate.trigger
    return any(
        q.counted_start is not None and noun.idx <= q.counted_start < noun.idx + len(noun.text) + 1
        for q in index.quantities
    )


# --- Merging ------------------------------------------------------------------------------------


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    """Fold result verbs into the trigger they are conjoined with, and nested same-family triggers."""
    by_anchor: dict[int, _Candidate] = {}
    for c in candidates:
        for i in c.anchors:
            by_anchor.setdefault(i, c)
    kept: list[_Candidate] = []
    dropped: set[int] = set()
    for c in candidates:
        verb = c.trigger
        if c.kind == "verb" and verb.dep_ == "conj" and _is_outcome(c):
            host = by_anchor.get(verb.head.i)
            if host is not None and host is not c and _family(host) == _family(c):
                host.regions.extend(c.regions)
                host.targets.extend(k for k in c.targets if k not in host.targets)
                host.merged.append(verb)
                host.why.append(f"'{verb.text}' adds its figures")
                dropped.add(id(c))
    for c in candidates:
        if id(c) in dropped:
            continue
        outer = next(
            (
                o
                for o in candidates
                if o is not c
                and id(o) not in dropped
                and not c.own_subject
                and c.trigger.i in o.arg_tokens
                and _family(o) == _family(c)
            ),
            None,
        )
        if outer is not None:
            outer.regions.extend(r for r in c.regions if r not in outer.regions)
            if not outer.actors and c.actors:
                outer.actors.extend(c.actors)
            dropped.add(id(c))
            continue
        kept.append(c)
    return kept


def _is_outcome(candidate: _Candidate) -> bool:
    return candidate.trigger.lemma_.lower() in ("destroy", "kill", "hit", "damage")


def _family(candidate: _Candidate) -> str:
    return _FAMILIES.get(candidate.type.id, candidate.type.id)


# --- Building the event ---------------------------------------------------------------------------


def _build_event(
    candidate: _Candidate, ontology: Ontology, index: DocIndex, place_options: list, time_options: list
) -> Event | None:
    trigger = candidate.trigger
    event_type = candidate.type
    sent = trigger.sent
    start, end = trigger.idx, trigger.idx + len(trigger.text)
    claim = index.claim_of(start)
    if not candidate.actors and candidate.unnamed_launcher and claim is not None:
        # "he said, cruise missiles fired from warships had killed 600": a government's weapons are its own
        side = speaker_side(claim.speaker, index)
        if side is not None:
            candidate.actors.append(side)
            candidate.why.append(
                f"actor {_names([side], index)}: nothing says whose {candidate.unnamed_launcher} were, "
                f"and {_speaker(claim, index)}, who reports it, speaks for {_names([side], index)}"
            )
    first = {t.i for t in trigger.subtree} if candidate.kind == "noun" else None
    origin = candidate.support if candidate.support is not None else trigger
    exclude = _actor_tokens(candidate, index) | candidate.not_place
    allowed = {t.i for t in trigger.subtree} | candidate.arg_tokens | candidate.anchors
    chosen_place = choose_place(
        place_options, clause_scopes(origin, first=first, cache=index.clauses), exclude, allowed=allowed,
        sentence=(sent.start, sent.end), origin_ok=event_type.id == "withdraw",
    )  # fmt: skip
    if chosen_place is None and candidate.kind == "noun":
        chosen_place = _town_before(trigger, index)  # "the Benghazi attack"
    within = (
        (claim.content_start, claim.content_end)
        if claim is not None and claim.source_start is not None
        else None
    )
    scopes = clause_scopes(origin, first=first, cache=index.clauses)
    time = choose_time(time_options, scopes, within=within, allowed=allowed, sentence=(sent.start, sent.end))
    said_time = False
    if time is None and within is not None:
        # Nothing dated in the claim: the date it was said bounds the event ("On Monday, March 14th,
        # Putin announced that … would be withdrawing"), and ``why`` says so.
        scopes = clause_scopes(origin, first=first, cache=index.clauses)
        time = choose_time(
            time_options, scopes, within=None, allowed=allowed, sentence=(sent.start, sent.end)
        )
        said_time = time is not None
    quantities = assign_quantities(candidate, event_type, index, ontology)
    modality, polarity, modality_why = read_modality(candidate, claim, index)
    why = list(candidate.why)
    place_precision = time_precision = None
    stated_place, stated_time = chosen_place, time
    if chosen_place is not None:
        place, root = chosen_place
        place_precision = PRECISION_OF_FEATURE.get(place.feature, "region")
        why.append(
            f"place {place.name} from '{root.head.text if root.dep_ == 'pobj' else ''} {index.text[place.start : place.end]}'".replace(
                "' ", "'"
            ).replace("  ", " ")
        )
    # Only what happened on the ground takes its setting from the text around it: a plan, a denial or
    # a speech act ("accused Turkey of failing in Idlib") is not located by what it is about.
    inherits = (
        modality in ("asserted", "reported")
        and polarity == "affirm"
        and event_type.plover in ontology.context_categories
    )
    if chosen_place is None and inherits and candidate.toward is not None:
        # "missiles fired from warships 900 miles from Syria destroyed …": what they struck is there
        toward = next(((p, r) for p, r in place_options if r.i == candidate.toward.i), None)
        if toward is not None:
            chosen_place = toward
            place_precision = PRECISION_OF_FEATURE.get(toward[0].feature, "region")
            why.append(
                f"place {toward[0].name}: fired at it from afar ('{_phrase(toward[1].head)} {toward[1].text}')"
            )
    if chosen_place is None and inherits:
        # Nothing in the event's clauses: the sentence, paragraph or dateline says where, less precisely.
        inherited = inherit_place(place_options, index, trigger, exclude=exclude | candidate.anchors)
        if inherited is not None:
            chosen_place = (inherited.value, None)
            place_precision = inherited.precision
            why.append(
                f"place {inherited.value.name} inherited from the {inherited.source} "
                f"('{index.text[inherited.value.start : inherited.value.end]}'), precision {inherited.precision}"
            )
    if time is not None:
        time_precision = time.granularity
        said = " (when it was said)" if said_time else ""
        why.append(f"time {time.value} from '{index.text[time.start : time.end]}'{said}")
    elif inherits:
        inherited_time = inherit_time(time_options, index, trigger, within=within)
        if inherited_time is not None:
            time = inherited_time.value
            time_precision = inherited_time.precision
            why.append(
                f"time {time.value} inherited from the {inherited_time.source} "
                f"('{index.text[time.start : time.end]}'), precision {time_precision}"
            )
    if quantities:
        why.append("quantities " + ", ".join(quantities))
    if modality_why:
        why.append(modality_why)
    if claim is not None:
        why.append(f"reported by {_speaker(claim, index)} (claim)")
    acled_event, acled_sub = _acled(candidate, index)
    # An inherited place or time is context, not evidence that the event was read right.
    confidence = score_confidence(candidate, stated_place, stated_time, sent.text, parsed=sent)
    place = chosen_place[0] if chosen_place else None

    return Event(
        type=event_type.id,
        trigger_start=start,
        trigger_end=end,
        plover=event_type.plover + (f".{event_type.plover_mode}" if event_type.plover_mode else ""),
        acled_event=acled_event,
        acled_subevent=acled_sub,
        actors=tuple(dict.fromkeys(candidate.actors)),
        targets=tuple(k for k in dict.fromkeys(candidate.targets) if k not in candidate.actors),
        place_start=place.start if place else None,
        place_end=place.end if place else None,
        place_name=place.name if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        place_precision=place_precision if place else None,
        time_start=time.start if time else None,
        time_end=time.end if time else None,
        time_value=time.value if time else None,
        earliest=time.earliest if time else None,
        latest=time.latest if time else None,
        time_precision=time_precision if time else None,
        quantities=tuple(quantities),
        modality=modality,
        polarity=polarity,
        claim_start=claim.content_start if claim else None,
        claim_end=claim.content_end if claim else None,
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        confidence=confidence,
        why="; ".join(why),
        component=EVENTS_VERSION,
    )


def _actor_tokens(candidate: _Candidate, index: DocIndex) -> set[int]:
    """Tokens of the actor mentions in the sentence (a place naming the actor is not the place), and of
    country targets ("negotiations with Turkey" is not in Turkey)."""
    sent = candidate.trigger.sent
    keys = set(candidate.actors) | {k for k in candidate.targets if k.startswith("state/")}
    out: set[int] = set()
    for mention in index.mentions[bisect_left(index.starts, sent.start_char) :]:
        if mention.start >= sent.end_char:
            break
        if mention.entity_key in keys:
            span = index.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
    return out


def _speaker(claim: Claim, index: DocIndex) -> str:
    if claim.speaker and claim.speaker in index.entities:
        return index.entities[claim.speaker].name
    if claim.source_start is not None and claim.source_end is not None:
        return index.text[claim.source_start : claim.source_end]
    return "an unnamed source"


def _acled(candidate: _Candidate, index: DocIndex) -> tuple[str | None, str | None]:
    event_type = candidate.type
    sub = event_type.acled_subevent
    for key in candidate.actors:
        entity = index.entities.get(key)
        if entity is not None and entity.type in event_type.acled_by_actor:
            sub = event_type.acled_by_actor[entity.type]
    # the words on the trigger, and the last word of an unnamed actor ("a mob lynched …": mob violence)
    heads = [_span_text(k, index).split()[-1:] for k in candidate.actors if k.startswith("span:")]
    for word in [*candidate.with_words, *(h[0].lower() for h in heads if h)]:
        if word in event_type.acled_by_with:
            sub = event_type.acled_by_with[word]
    return event_type.acled_event, sub


def _span_key(token: Any) -> str:
    """An unlinked noun phrase as an actor: its words from the left edge to the head."""
    start = token.left_edge.idx
    return f"span:{start}-{token.idx + len(token.text)}"


def _span_text(key: str, index: DocIndex) -> str:
    """The words of an unlinked actor keyed ``span:<start>-<end>``."""
    start, end = key.removeprefix("span:").split("-")
    return index.text[int(start) : int(end)]


def _names(keys: Sequence[str], index: DocIndex) -> str:
    names = []
    for key in keys:
        if key.startswith("span:"):
            names.append(f"'{_span_text(key, index)}'")
        else:
            entity = index.entities.get(key)
            names.append(entity.name if entity else key)
    return " and ".join(names)


def _phrase(token: Any) -> str:
    """The words of a noun phrase up to its head, and a short tail ("ground forces", "strikes by aircraft")."""
    doc = token.doc
    end = min(token.right_edge.i, token.i + 3)
    return doc[token.left_edge.i : end + 1].text
