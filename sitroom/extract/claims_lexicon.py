"""The attribution lexicon (``sitroom/data/attribution.yaml``): cue words, their classes and scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile

# When a lemma sits in several classes, the most specific reading wins: a denial or an admission
# says more about the speaker's commitment than plain speech, and speech more than a stance.
_CLASS_PRIORITY = (
    "denial",
    "acknowledgement",
    "assertion",
    "speech",
    "report",
    "belief",
    "prediction",
    "evidence",
    "question",
    "plan",
    "intent",
    "stance",
)


_ENDINGS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)


def lemma_forms(token: Any) -> tuple[str, ...]:
    """The lemma and cheap fallbacks for it, lower-cased.

    The small English model mis-lemmatises some inflected verbs ("hopes" → "hop", "stressed" →
    "stress" is right but "counters" → "counter" and "maintains" come out unevenly); stripping a
    regular ending from the surface form recovers the dictionary lemma often enough to matter.
    """
    lemma = token.lemma_.lower()
    word = token.lower_
    forms = [lemma, word]
    if token.pos_ in ("VERB", "AUX", "NOUN"):
        for suffix, repl in _ENDINGS:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 3:
                forms.append(stem + repl)
                if suffix in ("ed", "ing") and stem[-1] == stem[-2]:
                    forms.append(stem[:-1])  # doubled consonant: "planned", "planning"
    return tuple(dict.fromkeys(forms))


def lookup(table: dict[str, Any], token: Any) -> Any:
    """The first entry of ``table`` under one of the token's lemma forms, else ``None``."""
    for form in lemma_forms(token):
        if form in table:
            return table[form]
    return None


@dataclass(frozen=True, slots=True)
class CueClass:
    """What a cue class contributes to a claim: modality, polarity and the content it takes."""

    name: str
    modality: str
    polarity: str
    content: str


@dataclass(frozen=True, slots=True)
class AttributionLexicon:
    """Cue verbs, nouns and phrases by class, with the source words and scores claims.py reads."""

    classes: dict[str, CueClass]
    verb_classes: dict[str, tuple[str, ...]]
    particle_verbs: dict[tuple[str, str], str]
    noun_classes: dict[str, str]
    phrases: dict[str, tuple[str, str]]
    anonymous_heads: frozenset[str]
    media_heads: frozenset[str]
    pronouns: frozenset[str]
    addressee_verbs: frozenset[str]
    object_verbs: frozenset[str]
    confidence: dict[str, float]
    label_not_speaker: frozenset[str] = frozenset()
    label_heads: frozenset[str] = frozenset()
    self_voice_pronouns: frozenset[str] = frozenset()
    representative_heads: frozenset[str] = frozenset()
    person_roles: frozenset[str] = frozenset()
    title_modifiers: frozenset[str] = frozenset()
    group_roles: frozenset[str] = frozenset()
    document_nouns: frozenset[str] = frozenset()
    inanimate_nouns: frozenset[str] = frozenset()
    event_noun_suffixes: tuple[str, ...] = ()
    agentive_nominals: frozenset[str] = frozenset()
    # every noun that names someone who can speak: roles, representatives, anonymous, media, agents
    agent_lexicon: frozenset[str] = frozenset()
    self_voice_classes: frozenset[str] = frozenset()
    # claims.v4 constructions (claims_predicates): cue class by lemma or word
    sourceless_verbs: dict[str, str] = field(default_factory=dict)
    raising_verbs: frozenset[str] = frozenset()
    adjectives: dict[str, str] = field(default_factory=dict)
    answer_words: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    topic_verbs: frozenset[str] = frozenset()
    perception_verbs: frozenset[str] = frozenset()
    causative_verbs: frozenset[str] = frozenset()
    relay_verbs: frozenset[str] = frozenset()
    example_imperatives: frozenset[str] = frozenset()
    professions: frozenset[str] = frozenset()
    speech_objects: frozenset[str] = frozenset()

    def is_label(self, text: str) -> bool:
        """Whether ``text`` ("UPDATE", "Editor’s note", "BIN NOTE") is one of the outlet's own labels,
        not a speaker: compared without case, runs of spaces or the difference between typographic and
        plain apostrophes (outlets print "Editor’s note" as often as "Editor's note")."""
        plain = " ".join(text.lower().replace("\u2019", "'").replace("\u2018", "'").split())
        return plain in self.label_not_speaker or plain.rsplit(" ", 1)[-1] in self.label_heads

    def token_class(self, token: Any) -> str | None:
        """The primary class of a cue verb token, trying the lemma's fallbacks too."""
        found = lookup(self.verb_classes, token)
        return found[0] if found else None

    def verb_class(self, lemma: str) -> str | None:
        """The primary class of a cue verb lemma, or ``None`` when it is no cue."""
        found = self.verb_classes.get(lemma.lower())
        return found[0] if found else None

    def cue_class(self, lemma: str | None) -> CueClass | None:
        """The class of a cue given by lemma: a verb, a particle verb ("rule out"), a noun or a phrase."""
        if not lemma:
            return None
        key = lemma.lower()
        name = self.verb_class(key) or self.noun_classes.get(key)
        if name is None and key in self.phrases:
            name = self.phrases[key][0]
        if name is None and " " in key:
            head, _, rest = key.partition(" ")
            name = self.particle_verbs.get((head, rest)) or self.verb_class(head)
        return self.classes.get(name) if name else None


@lru_cache(maxsize=1)
def load_attribution_lexicon() -> AttributionLexicon:
    """The packaged attribution lexicon, read once per process."""
    path = resources.files("sitroom") / "data" / "attribution.yaml"
    raw: dict[str, Any] = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    classes = {
        name: CueClass(
            name=name,
            modality=str(spec.get("modality", "reported")),
            polarity=str(spec.get("polarity", "affirm")),
            content=str(spec.get("content", "clause")),
        )
        for name, spec in raw["classes"].items()
    }
    verb_classes: dict[str, list[str]] = {}
    for name in _CLASS_PRIORITY:
        for lemma in raw["verbs"].get(name, ()):
            verb_classes.setdefault(str(lemma).lower(), []).append(name)
    particle_verbs = {
        tuple(str(k).lower().split(" ", 1)): str(v)  # type: ignore[misc]
        for k, v in raw.get("particle_verbs", {}).items()
    }
    noun_classes: dict[str, str] = {}
    for name in _CLASS_PRIORITY:
        for lemma in raw["nouns"].get(name, ()):
            noun_classes.setdefault(str(lemma).lower(), name)
    phrases = {
        str(k).lower(): (str(v["class"]), str(v.get("source", "after"))) for k, v in raw["phrases"].items()
    }
    return AttributionLexicon(
        classes=classes,
        verb_classes={k: tuple(v) for k, v in verb_classes.items()},
        particle_verbs=particle_verbs,
        noun_classes=noun_classes,
        phrases=phrases,
        anonymous_heads=frozenset(str(w).lower() for w in raw["anonymous_heads"]),
        media_heads=frozenset(str(w).lower() for w in raw["media_heads"]),
        pronouns=frozenset(str(w).lower() for w in raw["pronouns"]),
        representative_heads=frozenset(str(w).lower() for w in raw.get("representative_heads", ())),
        person_roles=frozenset(str(w).lower() for w in raw.get("person_roles", ())),
        title_modifiers=_words(raw.get("title_modifiers")),
        group_roles=frozenset(str(w).lower() for w in raw.get("group_roles", ())),
        document_nouns=_words(raw.get("document_nouns")),
        inanimate_nouns=_words(raw.get("inanimate_nouns")),
        event_noun_suffixes=tuple(str(w).lower() for w in raw.get("event_noun_suffixes", ())),
        agentive_nominals=_words(raw.get("agentive_nominals")),
        agent_lexicon=_words(
            *(
                raw.get(key)
                for key in (
                    "agent_nouns",
                    "person_roles",
                    "group_roles",
                    "representative_heads",
                    "anonymous_heads",
                    "media_heads",
                )
            )
        ),
        addressee_verbs=frozenset(str(w).lower() for w in raw["addressee_verbs"]),
        self_voice_pronouns=frozenset(str(w).lower() for w in raw.get("self_voice", {}).get("pronouns", ())),
        self_voice_classes=frozenset(str(w) for w in raw.get("self_voice", {}).get("classes", ())),
        label_not_speaker=frozenset(str(w).lower() for w in raw.get("label_not_speaker", ())),
        label_heads=_words(raw.get("label_heads")),
        object_verbs=frozenset(str(w).lower() for w in raw["object_verbs"]),
        confidence={k: float(v) for k, v in raw["confidence"].items()},
        sourceless_verbs=_by_class(raw.get("sourceless_verbs")),
        raising_verbs=_words(raw.get("raising_verbs")),
        adjectives=_by_class(raw.get("adjectives")),
        answer_words=_words(raw.get("answer_words")),
        light_verbs=_words(raw.get("light_verbs")),
        topic_verbs=_words(raw.get("topic_verbs")),
        perception_verbs=_words(raw.get("perception_verbs")),
        causative_verbs=_words(raw.get("causative_verbs")),
        relay_verbs=_words(raw.get("relay_verbs")),
        example_imperatives=_words(raw.get("example_imperatives")),
        professions=_words(raw.get("professions")),
        speech_objects=_words(raw.get("speech_objects")),
    )


def _by_class(table: dict[str, Any] | None) -> dict[str, str]:
    """``{class: [words]}`` from the YAML as ``{word: class}``."""
    return {str(w).lower(): str(name) for name, words in (table or {}).items() for w in words or ()}


def _words(*lists: Any) -> frozenset[str]:
    return frozenset(str(w).lower() for words in lists if words for w in words)
