"""Who a claim's source is: entity linking of source spans, pronouns, "the newspaper", via chains, dates.

Rules (simple on purpose, so an analyst can predict them):

* **Linked speaker.** The mention that contains the source's head word ("Sergei Shoigu" in "Russian
  Defense Minister Sergei Shoigu", the role "Russian Foreign Minister" in "The Russian Foreign
  Minister, Sergey Lavrov"); where the head is a publisher noun ("Kuwait daily, al-Rai"), the media
  mention inside the source. A demonym ("Russian" in "some Russian analysts") never makes a speaker:
  the group is described, not named, and the claim keeps its source span with ``speaker=None``.
* **Pronouns.** "he"/"she" is the nearest preceding claim whose speaker is a person, else the nearest
  preceding person mention; "it"/"they" the nearest preceding claim whose speaker is not a person.
* **Definite publisher nouns.** "the newspaper", "the agency", "the daily" are the nearest preceding
  media mention (coreference the entity linker does not do).
* **Via.** A media outlet the speaker told or acknowledged *to*, gave an interview *with*, or that
  the statement is *according to* ("he said, according to RIA Novosti") is an intermediary.
* **When said.** A time expression inside the attribution clause (on the cue, or on the verb a
  participle cue hangs from: "Peskov today discussed …, saying") and outside the content.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from sitroom.extract.claims_lexicon import AttributionLexicon
from sitroom.model import Mention, TimeRef

_PERSON_PRONOUNS = frozenset(("he", "she", "him", "her", "i"))
_VIA_PREPOSITIONS = frozenset(("to", "with"))
_TELL_VERBS = frozenset(("tell", "inform", "brief", "assure", "warn"))
_VIA_NOUNS = frozenset(("interview", "statement", "conversation", "remarks", "comments", "briefing"))


class SpeakerIndex:
    """Mentions by position, and the speakers found so far, for linking sources in text order."""

    def __init__(self, mentions: Sequence[Mention], lex: AttributionLexicon) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]
        self.lex = lex
        self.speakers: list[tuple[int, str, str]] = []  # (offset, entity key, label)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        lo = bisect_left(self.starts, start - 200)
        return [m for m in self.mentions[lo:] if m.start < end and start < m.end and m.start < end + 1]

    def remember(self, offset: int, key: str | None, label: str | None) -> None:
        if key:
            self.speakers.append((offset, key, label or ""))

    def resolve(self, head: Any, start: int, end: int) -> tuple[str | None, str | None]:
        """The entity key and label of the source spanning [start, end) with head token ``head``."""
        word = head.lower_
        if head.pos_ == "PRON" or word in self.lex.pronouns:
            return self._pronoun(word, start)
        inside = [m for m in self.overlapping(start, end) if m.kind != "adjective"]
        at_head = [m for m in inside if m.start <= head.idx < m.end]
        if at_head:
            best = max(at_head, key=lambda m: (m.label == "PERSON", m.end - m.start))
            return best.entity_key, best.label
        if word in self.lex.media_heads:
            media = [m for m in inside if m.label == "MEDIA"]
            if media:
                return media[0].entity_key, media[0].label
            if any(c.lower_ in ("the", "this", "that") for c in head.children):
                earlier = self._previous(start, lambda m: m.label == "MEDIA")
                if earlier is not None:
                    return earlier.entity_key, earlier.label
            return None, None
        if head.pos_ == "PROPN" and inside:
            best = inside[0]
            return best.entity_key, best.label
        return None, None

    def _pronoun(self, word: str, start: int) -> tuple[str | None, str | None]:
        person = word in _PERSON_PRONOUNS
        for offset, key, label in reversed(self.speakers):
            if offset < start and (label == "PERSON") == person:
                return key, label
        if person:
            earlier = self._previous(start, lambda m: m.label == "PERSON")
            if earlier is not None:
                return earlier.entity_key, earlier.label
        return None, None

    def _previous(self, start: int, accept: Any) -> Mention | None:
        for m in reversed(self.mentions[: bisect_left(self.starts, start)]):
            if m.end <= start and accept(m):
                return m
        return None

    def media_key(self, token: Any) -> str | None:
        """The entity key of a media outlet named by the phrase headed by ``token``, if it is one."""
        start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
        media = [m for m in self.overlapping(start, end) if m.label == "MEDIA"]
        if media:
            return media[0].entity_key
        if token.lower_ in self.lex.media_heads and token.pos_ in ("NOUN", "PROPN"):
            earlier = self._previous(start, lambda m: m.label == "MEDIA")
            if earlier is not None and any(c.lower_ == "the" for c in token.children):
                return earlier.entity_key
            if token.pos_ == "PROPN":
                return f"span:{start}-{end}"
        return None


def find_via(cue: Any, index: SpeakerIndex) -> list[str]:
    """Media intermediaries attached to a cue verb: told X, acknowledged to X, interview with X,
    according to X. Ordered from the speaker outward (the outlet spoken to first)."""
    via: list[str] = []
    for child in cue.children:
        if child.dep_ in ("dobj", "dative") and _lemma(cue) in _TELL_VERBS:
            _add(via, index.media_key(child))
        elif child.dep_ in ("prep", "dative") and child.lower_ in _VIA_PREPOSITIONS:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    _add(via, index.media_key(obj))
        elif child.dep_ == "prep" and child.lower_ == "in":
            for noun in child.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in _VIA_NOUNS:
                    for prep in noun.children:
                        if prep.lower_ in ("with", "to"):
                            for obj in prep.children:
                                _add(via, index.media_key(obj))
    for child in cue.children:
        if child.dep_ == "prep" and child.lemma_.lower() == "accord":
            for to in child.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        _add(via, index.media_key(obj))
    return via


def find_said(cue: Any, content: tuple[int, int], times: Sequence[TimeRef], doc: Any) -> str | None:
    """The value of a time expression in the attribution clause around ``cue``, outside the content."""
    anchors = {cue.i}
    if cue.dep_ in ("advcl", "xcomp", "conj") and cue.tag_ in ("VBG", "VBN"):
        anchors.add(cue.head.i)  # "Peskov today discussed …, saying": the time sits on the head verb
    sentence = cue.sent
    for time in times:
        if time.end <= sentence.start_char or time.start >= sentence.end_char:
            continue
        if content[0] <= time.start < content[1]:
            continue
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None:
            continue
        token = span.root
        for _ in range(5):
            if token.i in anchors:
                return time.value
            if token.head is token:
                break
            token = token.head
    return None


def _lemma(token: Any) -> str:
    return token.lemma_.lower()


def _add(via: list[str], key: str | None) -> None:
    if key and key not in via:
        via.append(key)
