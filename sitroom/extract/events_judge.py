"""How sure an event is: its modality and polarity, and a confidence score with its reasons.

Modality comes from :func:`sitroom.extract.modality.assess_modality` on the trigger's phrase, with the
cue of the claim that reports it; an event in an attributed claim is *reported* unless the modality says
more; an infinitival purpose clause makes it hypothetical; a presupposed event noun (the subject of a
verb that says something about it, or under "after"/"as"/"during") keeps only its own hedges, since the
verb's hedge or negation is about the outcome. Confidence adds up the evidence found and is nudged by
the optional event-type classifier (:mod:`sitroom.extract.event_types`).
"""

from __future__ import annotations

import logging
from typing import Any

from sitroom.extract.events_ontology import EventType
from sitroom.model import Claim

log = logging.getLogger(__name__)

_CLASSIFIER_MIN = 0.6


def read_modality(candidate: Any, claim: Claim | None, index: Any) -> tuple[str, str, str]:
    """Modality and polarity of the trigger's phrase, and the words that say why."""
    trigger = candidate.trigger
    doc = index.doc
    if candidate.kind == "noun":
        span = doc[trigger.left_edge.i : trigger.right_edge.i + 1]
    else:
        span = doc[trigger.i : trigger.i + 1]
    cue_lemma = claim.cue_lemma if claim is not None else None
    modality, polarity, cue = _assess(span, cue_lemma)
    if candidate.kind == "noun" and candidate.support is None and _subject_of_event_verb(trigger):
        # "the negotiations … did not result in a settlement": the verb's hedge or negation is about
        # the outcome, not about whether the negotiations took place; keep only the noun's own words.
        modality, polarity, cue = _own_noun_modality(trigger, modality, cue)
    how = f"{modality} ('{cue}')" if cue else ""
    if modality in ("asserted", "reported") and _in_purpose_clause(trigger):
        modality, how = "hypothetical", "hypothetical (purpose clause)"
    if claim is not None and claim.source_start is not None and modality == "asserted":
        modality, how = "reported", ""
    if polarity != "affirm":
        how = f"{how}, polarity {polarity}".lstrip(", ")
    return modality, polarity, f"modality {how}" if how else ""


_COPULAS = frozenset(("be", "remain", "seem", "appear", "look", "become", "stay"))
_PRESUPPOSING_PREPS = frozenset(
    ("as", "after", "before", "since", "during", "following", "despite", "amid", "because")
)
_NOUN_HEDGES = {"possible": "possible", "potential": "possible", "likely": "likely", "planned": "planned",
                "proposed": "planned", "alleged": "reported", "reported": "reported"}  # fmt: skip


def _subject_of_event_verb(noun: Any) -> bool:
    """Whether a noun event is presupposed: the subject of a verb that says something about it, or
    under a temporal or causal preposition ("after the talks", "as the negotiations … failed")."""
    if noun.dep_ == "pobj" and noun.head.lower_ in _PRESUPPOSING_PREPS:
        return True
    return noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_.lower() not in _COPULAS


def _own_noun_modality(noun: Any, modality: str, cue: str | None) -> tuple[str, str, str | None]:
    polarity = "negated" if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children) else "affirm"
    for child in noun.children:
        hedge = _NOUN_HEDGES.get(child.lower_)
        if child.dep_ == "amod" and hedge:
            return hedge, polarity, child.text
    if modality == "reported":
        return modality, polarity, cue
    return "asserted", polarity, None


def _assess(span: Any, cue_lemma: str | None) -> tuple[str, str, str | None]:
    try:
        from sitroom.extract.modality import assess_modality
    except ImportError:  # the modality layer is optional; without it every event is asserted
        return "asserted", "affirm", None
    reading = assess_modality(span, claim_cue_lemma=cue_lemma)
    return reading.modality, reading.polarity, reading.cue


def _in_purpose_clause(token: Any) -> bool:
    """Whether the token sits in an infinitival purpose clause ("… to launch an offensive")."""
    current = token
    for _ in range(8):
        if current.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def score_confidence(candidate: Any, place: Any, time: Any, sentence: str, *, parsed: Any = None) -> float:
    """A score from the evidence found; calibrated by hand on the seeds, not a probability. ``parsed``: the
    sentence's spaCy span, which the classifier reads for its role features (saves parsing it again)."""
    score = 0.45 if candidate.kind == "verb" or candidate.support is not None else 0.35
    if candidate.actors:
        score += 0.2 if not all(k.startswith("span:") for k in candidate.actors) else 0.1
    if candidate.targets:
        score += 0.05
    if candidate.object_ok:
        score += 0.05
    if place is not None:
        score += 0.05
    if time is not None:
        score += 0.05
    score += _classifier_nudge(candidate.type, sentence, parsed=parsed)
    return round(max(0.05, min(0.95, score)), 2)


_CLASSIFIER_STATE: dict[str, Any] = {}


def _classifier_nudge(event_type: EventType, sentence: str, *, parsed: Any = None) -> float:
    """+0.05 when the event-type classifier agrees with the type, -0.05 when it is sure of another."""
    if not event_type.classifier_codes or _CLASSIFIER_STATE.get("off"):
        return 0.0
    cache = _CLASSIFIER_STATE.setdefault("cache", {})
    if sentence not in cache:
        try:
            from sitroom.extract.event_types import classify_event_type

            cache[sentence] = classify_event_type(sentence, parsed=parsed)
        except Exception as exc:  # optional signal: a missing model or module turns it off once
            log.info("event-type classifier unavailable (%s); events use rules alone", exc)
            _CLASSIFIER_STATE["off"] = True
            return 0.0
        if len(cache) > 256:
            cache.pop(next(iter(cache)))
    code, probability = cache[sentence]
    if code in event_type.classifier_codes:
        return 0.05
    return -0.05 if probability >= _CLASSIFIER_MIN else 0.0
