"""The dataclasses sitroom passes between layers and hands to users.

Readers yield :class:`RawDocument` (or :class:`Problem` for what they could not read); cleaning turns a
raw document into a :class:`Document`; the store keeps documents and hands them back. Annotation types
(entities, places, time, quantities, claims, events) join this module as their layers are built.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Precision = Literal["second", "day", "month", "year", "unknown"]
DateBasis = Literal["stated", "html-meta", "dateline", "inferred", "analyst", "none"]
# "warning": the input was kept, with a caveat the analyst should know (E024 decoding caveats, E025 defused markup).
ProblemKind = Literal["skipped", "failed", "warning"]


def content_id(raw: bytes) -> str:
    """The id of a document: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True, kw_only=True, slots=True)
class RawDocument:
    """One record as a reader found it, before cleaning.

    ``raw`` is the exact bytes of the record (a whole file, one JSON line, one CSV row re-serialised,
    one WARC payload); its hash is the document id, so re-reading the same bytes adds nothing.
    Readers that understand their format fill ``text`` and whatever metadata they can; the cleaner
    works from ``text`` when it is set, else decodes ``raw``.
    """

    raw: bytes
    origin: str
    format: str
    locator: str | None = None
    text: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    published_basis: DateBasis | None = None
    source: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return content_id(self.raw)

    @property
    def where(self) -> str:
        return f"{self.origin} ({self.locator})" if self.locator else self.origin


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """Something a reader or the cleaner could not use: what, where and why. Never silent."""

    origin: str
    reason: str
    code: str
    kind: ProblemKind = "skipped"
    locator: str | None = None

    @property
    def where(self) -> str:
        return f"{self.origin} ({self.locator})" if self.locator else self.origin

    def __str__(self) -> str:
        return f"{self.code}: {self.where}: {self.reason}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Published:
    """When a document was published, and how sure we are.

    ``value`` is ISO 8601 cut to ``precision``. ``earliest``/``latest`` bound the date when it is a
    range (always for ``basis="inferred"``). ``implausible`` carries the reason a stated date is not
    trusted (for example, it falls years after every event the text mentions); the stated value is kept
    so the analyst sees what the outlet claimed.
    """

    value: str | None = None
    precision: Precision = "unknown"
    basis: DateBasis = "none"
    earliest: str | None = None
    latest: str | None = None
    evidence: str | None = None
    implausible: str | None = None

    @property
    def trusted(self) -> bool:
        return self.value is not None and self.implausible is None


@dataclass(frozen=True, kw_only=True, slots=True)
class RemovedLine:
    """A line the cleaner took out of the text, with the reason; nothing is dropped silently."""

    text: str
    reason: str


@dataclass(kw_only=True, slots=True)
class Document:
    """One article: cleaned text (the single source of truth for every span) plus metadata."""

    id: str
    text: str
    origin: str
    format: str
    locator: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    author_role: str | None = None
    source: str | None = None
    source_basis: str | None = None
    dateline: str | None = None
    language: str | None = None
    published: Published = field(default_factory=Published)
    removed: list[RemovedLine] = field(default_factory=list)
    text_hash: str | None = None
    duplicate_of: str | None = None
    duplicate_reason: str | None = None
    ingested_at: str | None = None
    cleaner: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class IngestSummary:
    """What one ingest run did: counts, and every problem with its place and reason."""

    run_id: str
    ingested: int = 0
    duplicates: int = 0
    already_present: int = 0
    problems: tuple[Problem, ...] = ()

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.kind == "skipped")

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.kind == "failed")


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchHit:
    document_id: str
    title: str | None
    source: str | None
    published: str | None
    snippet: str
    score: float


# --- Annotations ---------------------------------------------------------------------------------
# Stand-off: every annotation holds offsets into Document.text and the versioned name of the component
# that made it; none copies text.


@dataclass(frozen=True, kw_only=True, slots=True)
class Mention:
    """A mention of an entity: a name, alias, adjective ("Russian"), metonym ("the Kremlin") or role
    description ("the Kremlin spokesman"), linked to the document-local entity ``entity_key``.

    ``label`` is the entity type (PERSON, ORG, GPE, LOC, NORP, FAC, MEDIA, ARMED_GROUP …); ``kind`` says
    how the mention names its entity; ``actor_id`` is the actor-dictionary id when one matched.
    """

    start: int
    end: int
    label: str
    entity_key: str
    kind: str = "name"
    actor_id: str | None = None
    score: float = 1.0
    component: str = "entities.v6"


@dataclass(frozen=True, kw_only=True, slots=True)
class Entity:
    """A canonical entity within one document (``key``), linked across documents by ``actor_id`` or,
    for entities outside the dictionary, by the workspace's entity table (name, type and country)."""

    key: str
    name: str
    type: str
    actor_id: str | None = None
    country: str | None = None
    roles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    component: str = "entities.v6"


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeRef:
    """A time expression normalised TIMEX3-style, with the interval it denotes.

    ``value`` follows TIMEX3 (``2015-11-23``, ``2015-W47``, ``2016-03``, ``P4D``, ``PAST_REF``);
    ``earliest``/``latest`` are ISO dates bounding it (``None`` where it cannot be bounded);
    ``anchor`` is the date it was resolved against and ``anchor_basis`` where that came from
    (``"document-date"``, ``"text-date"`` when the document date was unknown or implausible, or
    ``None`` for absolute expressions).
    """

    start: int
    end: int
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    granularity: str
    earliest: str | None = None
    latest: str | None = None
    mod: str | None = None
    anchor: str | None = None
    anchor_basis: str | None = None
    component: str = "time.v3"


@dataclass(frozen=True, kw_only=True, slots=True)
class Place:
    """A toponym mention resolved to a gazetteer entry, with a score and a readable reason."""

    start: int
    end: int
    name: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature: str = "populated place"
    population: int | None = None
    geonames_id: int | None = None
    score: float = 0.0
    reason: str = ""
    component: str = "places.v1"


@dataclass(frozen=True, kw_only=True, slots=True)
class Quantity:
    """A stated amount: a value or an interval, its unit, and the thing counted.

    ``value`` is the figure the text states (800 in "more than 800", 403 in "some 403"); it is ``None``
    for ranges ("300-400") and vague amounts ("dozens"). ``low``/``high`` bound what the text commits
    to, ``None`` meaning unbounded on that side ("more than 800" → low 800 exclusive, high ``None``);
    ``approx`` says the bounds are soft ("some", "nearly", "dozens"). ``marker`` is the normalised hedge
    or bound phrase. ``unit`` is ``"count"`` for counted things, else ``"percent"``, ``"ratio"``, an ISO
    4217 code (``"USD"``) or a measure (``"km"``, ``"mi"``, ``"t"``). ``counted`` is the normalised thing
    counted ("fuel trucks") at ``counted_start``/``counted_end``, and ``counted_basis`` says how it was
    found (``"parse"``, ``"next"``, ``"before"``, ``"comparison"``), since a guess from a window is weaker
    than an attachment in the parse.
    """

    start: int
    end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    approx: bool = False
    marker: str | None = None
    unit: str = "count"
    counted: str | None = None
    counted_start: int | None = None
    counted_end: int | None = None
    counted_basis: str | None = None
    category: str | None = None
    component: str = "quantities.v4"


@dataclass(frozen=True, kw_only=True, slots=True)
class Claim:
    """An attributed statement: who said what, via whom, asserted or denied, certain or hedged.

    Spans are stand-off offsets: ``content`` is what was said, ``cue`` the attribution word or phrase
    ("said", "told", "according to", "denied"), ``source`` the speaker as written (``None`` for an
    unattributed or implicit speaker). ``speaker`` is the document-local entity key of the speaker when
    linked (``Mention.entity_key``), else ``None``; ``via`` lists the intermediaries from the speaker
    outward, as entity keys or, for unlinked ones, ``"span:START-END"`` (Fyodorov → Al Jazeera → the
    outlet: ``via=("media/al-jazeera",)``). ``quote`` is direct / indirect / mixed. ``polarity`` is
    affirm / deny; ``modality`` one of asserted, reported, possible, likely, unlikely, planned,
    intended, hypothetical, conditional. ``said`` is the TIMEX3 value of when it was said, if stated.
    """

    content_start: int
    content_end: int
    cue_start: int | None = None
    cue_end: int | None = None
    cue_lemma: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    speaker: str | None = None
    via: tuple[str, ...] = ()
    quote: str = "indirect"
    polarity: str = "affirm"
    modality: str = "asserted"
    modality_cue: str | None = None
    said: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 0.5
    component: str = "claims.v2"


@dataclass(frozen=True, kw_only=True, slots=True)
class LeadNoun:
    """A noun that says what happened, from an argument slot of the document's lead (its title and
    first lines; sitroom.nlp.lead): the story clusterer groups stories of one kind of event on these.
    ``start``/``end`` are offsets into the text, or into the title when ``in_title`` (the title is not
    part of the text); ``lemma`` is lower-cased."""

    start: int
    end: int
    lemma: str
    in_title: bool = False
    component: str = "lead.v4"


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """Who did what to whom, where and when, how sure: one event mention in one document.

    ``type`` is a sitroom ontology id (sitroom/data/events.yaml) with its PLOVER category and ACLED
    event/sub-event types. ``actors``/``targets`` are entity keys (``Mention.entity_key``), or
    ``"span:START-END"`` when unlinked. Place and time point at the Place and TimeRef annotations by
    their spans and repeat the resolved value for convenience of export. ``quantities`` are
    ``"role=low..high"`` strings (``"sorties=522..522"``, ``"targets=800..inf"``). ``claim_start`` /
    ``claim_end`` give the content span of the claim that reports the event, if any (who says it
    happened). ``why`` says in words how the event was read.
    """

    type: str
    trigger_start: int
    trigger_end: int
    plover: str | None = None
    acled_event: str | None = None
    acled_subevent: str | None = None
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    place_start: int | None = None
    place_end: int | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_precision: str | None = None
    time_start: int | None = None
    time_end: int | None = None
    time_value: str | None = None
    earliest: str | None = None
    latest: str | None = None
    time_precision: str | None = None
    quantities: tuple[str, ...] = ()
    modality: str = "asserted"
    polarity: str = "affirm"
    claim_start: int | None = None
    claim_end: int | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 0.5
    why: str = ""
    component: str = "events.v1"


# --- Across documents ----------------------------------------------------------------------------


def claim_ref(document_id: str, claim: Claim) -> str:
    """A stable reference to a claim: survives re-processing when the claim is found again."""
    return f"claim:{document_id}:{claim.content_start}-{claim.content_end}"


def ref_document(ref: str) -> str:
    """The document id inside a reference made by :func:`claim_ref`, :func:`event_ref` or "doc:<id>"
    ("" for anything else)."""
    return ref.split(":", 2)[1] if ref.startswith(("claim:", "event:", "doc:")) else ""


def event_ref(document_id: str, event: Event) -> str:
    """A stable reference to an event: its document, trigger span and type."""
    return f"event:{document_id}:{event.trigger_start}-{event.trigger_end}:{event.type}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    """A cross-document (or cross-source) relation between two claims, events or documents.

    ``kind`` is same-event, corroborates or contradicts (duplicates live on the document itself).
    ``a``/``b`` are references made by :func:`claim_ref`, :func:`event_ref` or ``"doc:<id>"``.
    ``independent`` is false when both sides trace back to one origin (a syndicated copy, or claims
    whose via chains lead to the same source), so corroboration counts them once. ``status`` is set
    by the analyst: open, confirmed or dismissed.
    """

    kind: str
    a: str
    b: str
    score: float
    reason: str
    independent: bool = True
    status: str = "open"
    component: str = "links.v3"
