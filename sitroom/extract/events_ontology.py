"""The sitroom event ontology (``sitroom/data/events.yaml``): loading, validation and trigger indexes.

:func:`load_ontology` reads the file once per process and checks it: every type names a PLOVER category
(and a mode the file lists for it), an ACLED event/sub-event pair from the file's ACLED list or null,
known argument roles, and trigger conditions that refer to declared noun classes. A bad entry raises
``ValueError`` naming the file and the entry, so an edit that breaks the ontology fails at load time,
not silently at extraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile

ONTOLOGY_FILE = "sitroom/data/events.yaml"
ACTOR_ROLES = frozenset(
    ("subject", "agent", "possessor", "modifier", "of", "by", "theme", "between", "from", "object")
)
TARGET_ROLES = frozenset(("object", "against", "at", "on", "with", "from", "of", "to", "dative"))
NEEDS = frozenset(("actor", "target", "quantity"))
# Object conditions that are not noun classes: any object at all, or none.
OBJECT_WILDCARDS = frozenset(("any", "none"))


@dataclass(frozen=True, slots=True)
class Trigger:
    """One way a type is said: a verb or noun lemma and the conditions it needs."""

    type: str
    lemma: str
    pos: str  # "verb" or "noun"
    objects: tuple[str, ...] = ()
    with_words: frozenset[str] = frozenset()
    without_words: frozenset[str] = frozenset()
    instruments: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()
    outcome: bool = False
    undergoer: bool = False  # the subject is what it happens to ("three people died"): a target
    not_by: tuple[str, ...] = ()  # noun classes whose cause voids it ("an earthquake killed eight")
    # False: one named person doing it to another is words, not violence ("Trump attacked Clinton")
    between_people: bool = True


@dataclass(frozen=True, slots=True)
class QuantityRole:
    role: str
    counted: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    object: bool = False
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class EventType:
    id: str
    label: str
    description: str
    plover: str
    plover_mode: str | None
    acled_event: str | None
    acled_subevent: str | None
    cameo: str | None
    actor_roles: tuple[str, ...]
    target_roles: tuple[str, ...]
    passive_subject: str
    quantity_roles: tuple[QuantityRole, ...]
    acled_by_actor: Mapping[str, str] = field(default_factory=dict)
    acled_by_with: Mapping[str, str] = field(default_factory=dict)
    classifier_codes: frozenset[str] = frozenset()
    void_on_failure: bool = False
    person_possessor: str = (
        "actor"  # a person owning a noun trigger: its actor, or the target ("Epstein's arrest")
    )
    # noun classes whose unnamed subject acts as the actor ("gunmen stormed", "hundreds protested")
    described_actors: tuple[str, ...] = ("forces", "armed_persons")


@dataclass(frozen=True, slots=True)
class Ontology:
    """Types by id, noun classes, and trigger indexes by lemma."""

    version: str
    types: Mapping[str, EventType]
    classes: Mapping[str, frozenset[str]]
    verbs: Mapping[str, tuple[Trigger, ...]]
    nouns: Mapping[str, tuple[Trigger, ...]]
    support_object: frozenset[str]
    support_prep: Mapping[str, frozenset[str]]
    aspect_nouns: frozenset[str]
    acled: Mapping[str, tuple[str, ...]]
    plover: Mapping[str, tuple[str, ...]]
    failure_nouns: frozenset[str] = frozenset()
    failure_verbs: frozenset[str] = frozenset()
    mediation_verbs: frozenset[str] = frozenset()
    disrupting_verbs: frozenset[str] = frozenset()  # "defused two bombs": the bombing never happened
    launch_verbs: frozenset[str] = frozenset()
    context_categories: frozenset[str] = frozenset()

    def in_class(self, name: str, lemma: str, modifiers: tuple[str, ...] = ()) -> bool:
        """Whether a noun (its lemma, and its modifiers' lemmas) belongs to class ``name``."""
        words = self.classes.get(name, frozenset())
        if lemma in words:
            return True
        return any(f"{mod} {lemma}" in words for mod in modifiers)


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Read and validate ``sitroom/data/events.yaml`` once per process."""
    text = resources.files("sitroom").joinpath("data/events.yaml").read_text(encoding="utf-8")
    return build_ontology(yamlfile.safe_load(text))


def build_ontology(data: Mapping[str, Any]) -> Ontology:
    """Validate the parsed YAML and build the indexes; ``ValueError`` names the bad entry."""
    acled = {str(k): tuple(v) for k, v in (data.get("acled") or {}).items()}
    plover = {str(k): tuple(v or ()) for k, v in (data.get("plover") or {}).items()}
    if not acled or not plover:
        _fail("top level", "needs the `acled` and `plover` lists to validate types against")
    classes = {
        name: frozenset(str(w).lower() for w in words) for name, words in (data.get("classes") or {}).items()
    }
    types: dict[str, EventType] = {}
    verbs: dict[str, list[Trigger]] = defaultdict(list)
    nouns: dict[str, list[Trigger]] = defaultdict(list)
    for entry in data.get("types") or ():
        event_type = _build_type(entry, acled, plover)
        for name in event_type.described_actors:
            if name not in classes:
                _fail(event_type.id, f"described_actors names the unknown class {name!r}")
        if event_type.id in types:
            _fail(event_type.id, "duplicate type id")
        types[event_type.id] = event_type
        for pos, index in (("verb", verbs), ("noun", nouns)):
            for raw in entry.get(pos + "s") or ():
                trigger = _build_trigger(event_type.id, pos, raw, classes)
                index[trigger.lemma].append(trigger)
    if not types:
        _fail("types", "no event types defined")
    support = data.get("support_verbs") or {}
    return Ontology(
        version=str(data.get("version", "events.v10")),
        types=types,
        classes=classes,
        # the most specific reading of a word first: an instrument, words on it, then a class of subject
        verbs={
            k: tuple(sorted(v, key=lambda t: (not t.instruments, not t.with_words, not t.subjects)))
            for k, v in verbs.items()
        },
        nouns={k: tuple(sorted(v, key=lambda t: not t.with_words)) for k, v in nouns.items()},
        support_object=frozenset(support.get("object") or ()),
        support_prep={prep: frozenset(words) for prep, words in (support.get("prepositions") or {}).items()},
        aspect_nouns=frozenset(data.get("aspect_nouns") or ()),
        acled=acled,
        plover=plover,
        failure_nouns=_words(data, "failure", "nouns"),
        failure_verbs=_words(data, "failure", "verbs"),
        mediation_verbs=frozenset(str(w) for w in data.get("mediation_verbs") or ()),
        disrupting_verbs=frozenset(str(w).lower() for w in data.get("disrupting_verbs") or ()),
        launch_verbs=frozenset(str(w) for w in data.get("launch_verbs") or ()),
        context_categories=frozenset(str(w) for w in data.get("context_categories") or ()),
    )


def _words(data: Mapping[str, Any], key: str, part: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in (data.get(key) or {}).get(part) or ())


def _build_type(entry: Mapping[str, Any], acled: Mapping[str, tuple[str, ...]], plover: Mapping) -> EventType:
    type_id = entry.get("id")
    if not type_id or not isinstance(type_id, str):
        _fail(str(entry)[:60], "every type needs a string `id`")
    for key in ("label", "description", "plover", "acled"):
        if key not in entry:
            _fail(type_id, f"missing `{key}`")
    category, mode = entry["plover"].get("category"), entry["plover"].get("mode")
    if category not in plover:
        _fail(type_id, f"PLOVER category {category!r} is not one of {', '.join(plover)}")
    if mode is not None and mode not in plover[category]:
        _fail(type_id, f"PLOVER mode {mode!r} is not a mode of {category} ({', '.join(plover[category])})")
    event, subevent = entry["acled"].get("event"), entry["acled"].get("subevent")
    if (event is None) != (subevent is None):
        _fail(type_id, "ACLED event and sub-event types are both set or both null")
    if event is not None and (event not in acled or subevent not in acled[event]):
        _fail(type_id, f"ACLED pair {event!r} / {subevent!r} is not in the ACLED list")
    overrides = {**(entry.get("acled_by_actor") or {}), **(entry.get("acled_by_with") or {})}
    for sub in overrides.values():
        if sub not in acled.get(event or "", ()):
            _fail(type_id, f"ACLED override {sub!r} is not a sub-event type of {event!r}")
    actor_roles = tuple(entry.get("actor") or ())
    target_roles = tuple(entry.get("target") or ())
    for role in actor_roles:
        if role not in ACTOR_ROLES:
            _fail(type_id, f"unknown actor role {role!r}; known: {', '.join(sorted(ACTOR_ROLES))}")
    for role in target_roles:
        if role not in TARGET_ROLES:
            _fail(type_id, f"unknown target role {role!r}; known: {', '.join(sorted(TARGET_ROLES))}")
    passive = entry.get("passive_subject", "target")
    if passive not in ("actor", "target", "theme"):
        _fail(type_id, f"passive_subject must be actor, target or theme, not {passive!r}")
    person_possessor = entry.get("person_possessor", "actor")
    if person_possessor not in ("actor", "target"):
        _fail(type_id, f"person_possessor must be actor or target, not {person_possessor!r}")
    roles = tuple(
        QuantityRole(
            role=name,
            counted=tuple(spec.get("counted") or ()),
            categories=tuple(spec.get("category") or ()),
            object=bool(spec.get("object", False)),
            outcome=spec.get("outcome"),
        )
        for name, spec in (entry.get("quantities") or {}).items()
    )
    return EventType(
        id=type_id,
        label=str(entry["label"]),
        description=str(entry["description"]),
        plover=category,
        plover_mode=mode,
        acled_event=event,
        acled_subevent=subevent,
        cameo=str(entry["cameo"]) if entry.get("cameo") is not None else None,
        actor_roles=actor_roles,
        target_roles=target_roles,
        passive_subject=passive,
        quantity_roles=roles,
        acled_by_actor=dict(entry.get("acled_by_actor") or {}),
        acled_by_with=dict(entry.get("acled_by_with") or {}),
        classifier_codes=frozenset(entry.get("classifier") or ()),
        void_on_failure=bool(entry.get("void_on_failure", False)),
        person_possessor=person_possessor,
        described_actors=tuple(entry.get("described_actors") or ("forces", "armed_persons")),
    )


def _build_trigger(type_id: str, pos: str, raw: Mapping[str, Any], classes: Mapping) -> Trigger:
    lemma = str(raw.get("lemma", "")).lower()
    if not lemma:
        _fail(type_id, f"a {pos} trigger without a lemma: {raw}")
    objects = tuple(raw.get("object") or ())
    if pos == "verb" and not objects:
        _fail(type_id, f"verb {lemma!r} needs `object` (a noun class, any or none)")
    for name in (
        *objects,
        *(raw.get("instrument") or ()),
        *(raw.get("subject") or ()),
        *(raw.get("not_by") or ()),
    ):
        if name not in OBJECT_WILDCARDS and name not in classes:
            _fail(type_id, f"{pos} {lemma!r} refers to unknown noun class {name!r}")
    needs = frozenset(raw.get("needs") or ())
    if needs - NEEDS:
        _fail(type_id, f"{pos} {lemma!r}: `needs` takes {', '.join(sorted(NEEDS))}")
    return Trigger(
        type=type_id,
        lemma=lemma,
        pos=pos,
        objects=objects,
        with_words=frozenset(str(w).lower() for w in raw.get("with") or ()),
        without_words=frozenset(str(w).lower() for w in raw.get("without") or ()),
        instruments=tuple(raw.get("instrument") or ()),
        subjects=tuple(raw.get("subject") or ()),
        needs=needs,
        outcome=bool(raw.get("outcome", False)),
        undergoer=bool(raw.get("undergoer", False)),
        not_by=tuple(raw.get("not_by") or ()),
        between_people=bool(raw.get("between_people", True)),
    )


def _fail(entry: str, reason: str) -> None:
    raise ValueError(f"{ONTOLOGY_FILE}: {entry}: {reason}")
