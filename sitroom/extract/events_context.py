"""What an event's own clause does not say: read from the constructions and the text around it.

* **Failed agreements.** "the collapse of the UN-brokered truce", "the ceasefire broke down", "violated the
  deal": an agreement named only as failing is no agreement event (types with ``void_on_failure``).
* **Mediators.** "the AU-brokered truce between A and B": A and B are the parties; the broker is named
  in ``why`` as mediator, never as a party.
* **Launchers.** "cruise missiles fired from Russian warships killed 40": the outcome verb has the
  instrument as its (often misparsed) subject; the actor is who launched it — the participle's agent
  ("launched by the navy") or the forces it was fired from ("from Russian warships"), else the
  instrument's own modifier ("Russian missiles"). Where none names them ("cruise missiles fired from
  warships", "aircraft destroyed …") and a government speaks — a state, its ministry or forces, or an
  office holder of them ("the defence minister said …") — the weapons are its own: the actor is the
  speaker's state, and ``why`` says so.
* **Inherited place and time.** When the event's clauses state no place or time, the nearest literal
  place (or dated time) of the sentence, then of the paragraph before it, then of the dateline is taken,
  at a coarser precision, and ``why`` says where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sitroom.extract.events_args import PRECISION_OF_FEATURE, PRECISION_RANK, DocIndex, clause_head, noun_keys
from sitroom.extract.events_ontology import Ontology
from sitroom.model import Place, TimeRef
from sitroom.nlp.actors import acting_state, packaged_actors

_NOUN_POS = frozenset(("NOUN", "PROPN"))
# Dependencies a failure noun reaches its agreement through: "the collapse on Friday of the truce"
# (spaCy hangs "of" on "Friday"), "the breakdown of talks on the ceasefire".
_UP_THROUGH = frozenset(("pobj", "prep", "compound", "amod", "conj", "appos", "nmod"))
# A dateline: "ALEPPO, Syria (Reuters) —", "KYIV, March 3 -", "Beirut: ". Upper-case or title-case
# words at the very start of the text, optionally a region/date and an agency, then a dash or colon.
_DATELINE = re.compile(
    r"\A\s*[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3}(?:, [\w .']{2,30}?)?(?: \([^)]{1,40}\))?\s*[-–—:]\s"
)
# How much an inherited place or time is coarsened: the event happened somewhere in or near the place,
# on or around the date, not necessarily at the stated point.
_INHERITED_PLACE = "region"
_COARSER_TIME = {
    "second": "day",
    "minute": "day",
    "hour": "day",
    "time": "day",
    "day": "week",
    "week": "month",
}


def is_failed_agreement(trigger: Any, ontology: Ontology) -> str | None:
    """Why an agreement trigger is only named as failing ("collapse of …"), or None."""
    nouns = [trigger]
    if trigger.pos_ == "VERB":  # "the UN-brokered truce": the verb modifies the agreement noun
        nouns = [trigger.head] if trigger.dep_ in ("amod", "acl", "relcl", "compound") else []
        nouns += [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    for noun in nouns:
        reason = _failure_above(noun, ontology)
        if reason:
            return reason
    return None


def _failure_above(noun: Any, ontology: Ontology) -> str | None:
    current = noun
    for _ in range(6):
        head = current.head
        if head.i == current.i:
            return None
        lemma = head.lemma_.lower()
        if head.pos_ in ("VERB", "AUX"):
            if lemma in ontology.failure_verbs and current.dep_ in ("nsubj", "nsubjpass", "dobj"):
                return f"'{head.text}' says the agreement failed"
            return None
        if head.pos_ in _NOUN_POS and lemma in ontology.failure_nouns:
            return f"'{head.text} of' names a failed agreement"
        if current.dep_ not in _UP_THROUGH:
            return None
        current = head
    return None


def mediators(noun: Any, ontology: Ontology, index: DocIndex) -> tuple[list[str], set[int]]:
    """Entity keys of the brokers of an agreement noun ("the UN-brokered truce", "a truce brokered by
    Qatar"), and the tokens that name them (not to be read as its parties)."""
    keys: list[str] = []
    tokens: set[int] = set()
    for child in noun.children:
        if child.lemma_.lower() not in ontology.mediation_verbs:
            continue
        for sub in child.subtree:
            tokens.add(sub.i)
        for grand in child.children:
            if grand.dep_ in ("nsubj", "npadvmod", "compound"):
                keys.extend(noun_keys(grand, index))
            if grand.dep_ == "agent":
                for obj in grand.children:
                    if obj.dep_ == "pobj":
                        keys.extend(noun_keys(obj, index))
        # "the UN brokered truce": spaCy often hangs the broker on the noun as a compound
        for left in noun.lefts:
            if left.dep_ in ("compound", "nmod", "amod") and left.i < child.i:
                keys.extend(noun_keys(left, index, follow_of=False))
                tokens.update(t.i for t in left.subtree)
    return list(dict.fromkeys(keys)), tokens


def parties_between(token: Any, index: DocIndex) -> list[str]:
    """Entity keys of the "between A and B" phrase on a token."""
    keys: list[str] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "between":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    keys.extend(noun_keys(obj, index))
    return keys


@dataclass(frozen=True, slots=True)
class Launch:
    """The instrument of an outcome verb, who launched it, and the tokens naming the launch."""

    instrument: Any
    actors: tuple[str, ...]
    how: str
    tokens: frozenset[int]
    site: bool = False  # fired from a place ("from Gaza"), not from forces: whose it was is open
    toward: Any = None  # "fired from warships 900 miles from Syria": the place it was fired at


def find_instrument(verb: Any, ontology: Ontology, classes: Sequence[str]) -> Any | None:
    """An instrument noun left of a subjectless outcome verb in its sentence ("cruise missiles fired from
    warships killed 600"): the nearest noun of ``classes`` that heads a launch participle or is the
    (misparsed) subject of a launch verb."""
    sent = verb.sent
    for token in reversed(list(sent[: verb.i - sent.start])):
        if token.pos_ not in _NOUN_POS:
            continue
        mods = tuple(c.lemma_.lower() for c in token.lefts if c.dep_ in ("compound", "amod"))
        if not any(ontology.in_class(name, token.lemma_.lower(), mods) for name in classes):
            continue
        if _launch_verb(token, ontology) is not None:
            return token
    return None


def _launch_verb(instrument: Any, ontology: Ontology) -> Any | None:
    for child in instrument.children:
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in ontology.launch_verbs:
            return child
    head = instrument.head
    if instrument.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in ontology.launch_verbs:
        return head
    return None


# Prepositions after a launch verb that name what the weapon was fired at, not where from.
_TARGET_PREPS = frozenset(("at", "on", "against", "into", "toward", "towards", "upon"))


def read_launch(instrument: Any, ontology: Ontology, index: DocIndex) -> Launch:
    """Who launched an instrument: the launch verb's agent, the forces it was fired from, the
    instrument's own modifier; the launch phrase's tokens (its places are the launch site, not the
    event's place)."""
    verb = _launch_verb(instrument, ontology)
    tokens: set[int] = set()
    if verb is not None:
        # The launch phrase follows the launch verb ("fired from warships in the Black Sea"); a
        # sentence-initial "In Idlib," that spaCy also hangs on it is the event's own setting.
        # What it was fired at is no part of the launch phrase ("jets fired missiles at a village near
        # Saada": the village is where it happened), the rest is ("fired from warships in the Caspian Sea").
        for child in verb.rights:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ not in _TARGET_PREPS):
                tokens.update(t.i for t in child.subtree)
        for child in verb.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    keys = noun_keys(obj, index) if obj.dep_ == "pobj" else []
                    if keys:
                        return Launch(
                            instrument, tuple(keys), f"'{verb.text} by {obj.text}'", frozenset(tokens)
                        )
        site, toward = False, None
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "by"):
                # "900 miles from Syria" says how far it flew, not where from: it flew to Syria
                distance = any(c.dep_ == "npadvmod" for c in child.children)
                if distance:
                    toward = next((c for c in child.children if c.dep_ == "pobj"), None)
                    continue
                for obj in child.children:
                    mods = tuple(c.lemma_.lower() for c in obj.lefts if c.dep_ in ("compound", "amod"))
                    if obj.dep_ != "pobj" or not ontology.in_class("forces", obj.lemma_.lower(), mods):
                        site = site or obj.dep_ == "pobj"
                        continue  # "fired from Gaza" names a launch site, not who fired
                    keys = noun_keys(obj, index)
                    if keys:
                        phrase = f"'{verb.text} {child.text} {_phrase(obj)}'"
                        return Launch(instrument, tuple(keys), phrase, frozenset(tokens), toward=toward)
        keys = noun_keys(instrument, index, follow_of=True)
        return Launch(
            instrument, tuple(keys), f"'{_phrase(instrument)}'", frozenset(tokens), site=site, toward=toward
        )
    keys = noun_keys(instrument, index, follow_of=True)
    return Launch(instrument, tuple(keys), f"'{_phrase(instrument)}'", frozenset(tokens))


def _phrase(token: Any) -> str:
    return token.doc[token.left_edge.i : token.i + 1].text


def speaker_side(speaker: str | None, index: DocIndex) -> str | None:
    """The state whose own forces a claim's speaker reports on: ``state/XXX`` for a state, a government
    or military body of it, or a person holding an office in one (by the packaged actor data); None
    for anyone else (analysts, monitors, foreign observers) or when the offices name several states."""
    if not speaker:
        return None
    entity = index.entities.get(speaker)
    actor_id = entity.actor_id if entity is not None and entity.actor_id else speaker
    if actor_id.startswith("person/"):
        actor = packaged_actors().get(actor_id)
        states = {acting_state(role.org) for role in (actor.roles if actor is not None else ()) if role.org}
    else:
        states = {acting_state(actor_id)}
    states.discard(None)
    return f"state/{states.pop()}" if len(states) == 1 else None


# --- Inherited place and time ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inherited:
    """A place or time taken from around the event: from where, and at which coarser precision."""

    value: Any  # Place or TimeRef
    source: str  # "sentence", "paragraph" or "dateline"
    precision: str


def paragraph_start(text: str, offset: int) -> int:
    """Offset of the paragraph holding ``offset`` (cleaned text separates paragraphs by newlines)."""
    return text.rfind("\n", 0, offset) + 1


def dateline_end(text: str) -> int:
    """End offset of a dateline at the start of the text ("ALEPPO, Syria (Reuters) — "), or 0."""
    match = _DATELINE.match(text[:120])
    return match.end() if match else 0


def related(root: Any, trigger: Any) -> bool:
    """Whether a phrase's clause governs the trigger, or the trigger governs it: "In Idlib, missiles
    … killed" yes; "fighters who fear their return to the Caucasus" is not where the attack was."""
    head, own = clause_head(root), clause_head(trigger)
    if head.i in (own.i, trigger.i) or head.is_ancestor(trigger):
        return True  # the event's own clause, or one that governs it
    # A purpose or adverbial clause under the event ("deployed to defend the base in 2015"); never a
    # relative clause hanging on one of its nouns ("the province, where Russia stepped up").
    return trigger.is_ancestor(head) and head.dep_ in ("xcomp", "advcl")


def inherit_place(
    candidates: Sequence[tuple[Place, Any]], index: DocIndex, trigger: Any, *, exclude: set[int]
) -> Inherited | None:
    """The nearest literal place of the sentence in a clause related to the trigger (outside
    ``exclude``: actors, launch sites, mediators), else the last one of the paragraph before it, else
    the dateline's."""
    sentence = trigger.sent
    # Only locative phrases ("in Idlib", "near the border"): a country that is a subject or object
    # elsewhere in the text ("Turkey and Russia are seeking") is a party, not a setting.
    candidates = [(p, r) for p, r in candidates if _locative(r)]
    in_sentence = [
        (p, r)
        for p, r in candidates
        if sentence.start <= r.i < sentence.end and r.i not in exclude and related(r, trigger)
    ]
    if in_sentence:
        place = min(in_sentence, key=lambda item: _place_rank(item[0], item[1]))[0]
        return Inherited(place, "sentence", _coarser_place(place))
    para = paragraph_start(index.text, sentence.start_char)
    before = [p for p, r in candidates if para <= p.start < sentence.start_char and r.i not in exclude]
    if before:
        place = before[-1]
        return Inherited(place, "paragraph", _coarser_place(place))
    end = dateline_end(index.text)
    if end and sentence.start_char >= end:
        on_line = [p for p, _ in candidates if p.end <= end]
        if on_line:
            return Inherited(on_line[0], "dateline", _coarser_place(on_line[0]))
    return None


def _locative(root: Any) -> bool:
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    return root.dep_ == "pobj" and root.head.lower_ not in ("of", "from", "by", "with", "against")


def _place_rank(place: Place, root: Any) -> tuple[int, int]:
    under_prep = root.dep_ == "pobj"
    return (0 if under_prep else 1, PRECISION_RANK.get(PRECISION_OF_FEATURE.get(place.feature, "region"), 4))


def _coarser_place(place: Place) -> str:
    own = PRECISION_OF_FEATURE.get(place.feature, "region")
    return own if PRECISION_RANK.get(own, 4) >= PRECISION_RANK[_INHERITED_PLACE] else _INHERITED_PLACE


def inherit_time(
    candidates: Sequence[tuple[TimeRef, Any]],
    index: DocIndex,
    trigger: Any,
    *,
    within: tuple[int, int] | None,
) -> Inherited | None:
    """The first dated time of the sentence in a clause related to the trigger (inside a claim's content
    if given), else the last one of the paragraph before it, else the dateline's; one step coarser."""
    sentence = trigger.sent
    usable = [
        (t, r) for t, r in candidates if within is None or (within[0] <= t.start and t.end <= within[1])
    ]
    in_sentence = [
        t for t, r in usable if sentence.start_char <= t.start < sentence.end_char and related(r, trigger)
    ]
    if in_sentence:
        return Inherited(in_sentence[0], "sentence", _coarser_time(in_sentence[0]))
    if within is not None:
        return None  # a claim's event takes no time from outside what the claim says
    para = paragraph_start(index.text, sentence.start_char)
    before = [t for t, _ in candidates if para <= t.start < sentence.start_char]
    if before:
        return Inherited(before[-1], "paragraph", _coarser_time(before[-1]))
    end = dateline_end(index.text)
    if end and sentence.start_char >= end:
        on_line = [t for t, _ in candidates if t.end <= end]
        if on_line:
            return Inherited(on_line[0], "dateline", _coarser_time(on_line[0]))
    return None


def _coarser_time(time: TimeRef) -> str:
    return _COARSER_TIME.get(time.granularity, time.granularity)
