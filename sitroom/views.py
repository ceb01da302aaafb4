"""What the read layer answers: frozen records for every query the CLI, the web UI, reports and exports make.

``sitroom.model`` holds what the pipeline produces (documents and their annotations); this module holds
what a reader of the workspace gets back: pages of items with their totals, stories with their change
history, stored links with their analyst status, timeline entries, source profiles, assessments, runs
and revisions. Consumers read fields, never dictionary keys; every record is built by the store
(``store/queries.py``) or by ``Workspace`` and never written back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sitroom.model import Claim, Event, Published

T = TypeVar("T")

# The most items one page of any listing returns: a bound on what one request can load.
MAX_PAGE = 1000


@dataclass(frozen=True, kw_only=True, slots=True)
class Page(Generic[T]):
    """One page of a listing: ``items`` from ``offset``, out of ``total`` matching items."""

    items: tuple[T, ...]
    total: int
    offset: int = 0
    limit: int | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]

    @property
    def more(self) -> bool:
        """Whether items follow this page."""
        return self.offset + len(self.items) < self.total

    def notice(self, noun: str) -> str:
        """'showing 1–20 of 734 claims' (or '734 claims' when everything is shown)."""
        if not self.items:
            return f"no {noun}" if not self.total else f"showing none of {self.total} {noun}"
        if self.offset == 0 and len(self.items) == self.total:
            return f"{self.total} {noun}"
        return f"showing {self.offset + 1}–{self.offset + len(self.items)} of {self.total} {noun}"


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentBrief:
    """A document without its text: what listings show."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: Published
    language: str | None = None
    author: str | None = None
    duplicate_of: str | None = None
    ingested_at: str | None = None
    format: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Revision:
    """An analyst's correction of one field of one item: what, before, after, who, when, why.

    ``target`` names the item by reference: ``claim:DOC:S-E``, ``event:DOC:S-E:TYPE``,
    ``place:DOC:S-E``, ``doc:DOC``, ``link:ID``, ``source:NAME`` or ``ach:SLUG:REF:HYPOTHESIS``.
    ``before`` is the value the item showed when the analyst corrected it (the machine's, or an
    earlier revision's); ``machine_then`` the machine's own value then. ``state`` is ``active``,
    ``superseded`` (a later revision of the same field replaced it), ``conflict`` (re-processing now
    gives a value other than ``machine_then``: the analyst's value still wins, and ``machine`` shows
    what the machine says now, for review) or ``orphaned`` (the item is no longer found at all).
    """

    id: int
    target: str
    field: str
    before: str | None
    after: str | None
    analyst: str
    at: str
    why: str
    machine_then: str | None = None
    state: str = "active"
    machine: str | None = None
    document_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ClaimRecord:
    """A claim with where it stands: its document, reference, speaker's name and the texts it spans."""

    ref: str
    document: DocumentBrief
    claim: Claim
    speaker_name: str | None  # the linked entity's name, else the source as written
    via_names: tuple[str, ...] = ()  # the intermediaries' names, speaker outward
    source_text: str | None
    cue_text: str | None
    content: str
    sentence: str
    corrected: tuple[str, ...] = ()  # fields an analyst's revision sets


@dataclass(frozen=True, kw_only=True, slots=True)
class EventRecord:
    """An event with its document, reference, the names of its actors and targets, and its sentence."""

    ref: str
    document: DocumentBrief
    event: Event
    actor_names: tuple[str, ...]
    target_names: tuple[str, ...]
    trigger: str
    sentence: str
    corrected: tuple[str, ...] = ()  # fields an analyst's revision sets


@dataclass(frozen=True, kw_only=True, slots=True)
class StoryChange:
    """One recorded change of the stories: created, joined, merged, split, moved, topic-…"""

    kind: str
    story_id: str
    other: str | None
    document_id: str | None
    reason: str | None
    at: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Story:
    """A cluster of documents about one developing situation, with its history."""

    id: str
    title: str | None
    topic: str | None
    first_seen: str | None
    last_seen: str | None
    size: int
    documents: tuple[str, ...] = ()
    changes: tuple[StoryChange, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredLink:
    """A cross-document link as stored: the relation, why, and the analyst's status."""

    id: int
    kind: str
    a: str
    b: str
    a_document: str
    b_document: str
    score: float
    reason: str
    independent: bool
    status: str
    component: str
    created_at: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportedPeriod:
    """The span of a document's main events (analyse.timeline.main_period), and how many of its
    dates fall outside it."""

    earliest: str
    latest: str
    outside: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class TimelineEntry:
    """One dated thing: an event, or a document placed by what it reports."""

    when: str  # ISO date (earliest of the interval); "" when undated
    until: str | None
    kind: str  # "event" or "document"
    document_id: str
    title: str | None
    source: str | None
    label: str  # event type, or the document's title
    text: str  # the sentence (events) or how the document was placed
    ref: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceProfile:
    """An outlet: its grade and what it published, and how its claims fare against independent reports."""

    name: str
    grade: str
    grade_label: str
    documents: int = 0
    duplicates: int = 0
    claims: int = 0
    events: int = 0
    corroborated: int = 0
    contradicted: int = 0
    hedged: int = 0
    unattributed_events: int = 0

    @staticmethod
    def _rate(count: int, of: int) -> float:
        return round(count / of, 3) if of else 0.0

    @property
    def corroboration_rate(self) -> float:
        return self._rate(self.corroborated, self.claims)

    @property
    def contradiction_rate(self) -> float:
        return self._rate(self.contradicted, self.claims)

    @property
    def hedged_share(self) -> float:
        return self._rate(self.hedged, self.claims)

    @property
    def unattributed_event_share(self) -> float:
        return self._rate(self.unattributed_events, self.events)

    def as_dict(self) -> dict:
        """The profile as JSON-able fields (``--json`` and exports)."""
        return {
            "name": self.name, "grade": self.grade, "grade_label": self.grade_label,
            "documents": self.documents, "duplicates": self.duplicates, "claims": self.claims,
            "events": self.events, "corroboration_rate": self.corroboration_rate,
            "contradiction_rate": self.contradiction_rate, "hedged_share": self.hedged_share,
            "unattributed_event_share": self.unattributed_event_share,
        }  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class Assessment:
    """A dated snapshot of a question's ACH result, recorded when it changed."""

    at: str
    date: str
    leading: str | None
    ranking: tuple[str, ...]
    inconsistency: Mapping[str, float] = field(default_factory=dict)
    support: Mapping[str, float] = field(default_factory=dict)
    evidence: int = 0
    documents: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class Run:
    """One ingest, process or analyse run and what it counted."""

    id: str
    kind: str
    started_at: str
    finished_at: str | None
    arguments: Mapping[str, object] = field(default_factory=dict)
    ingested: int = 0
    duplicates: int = 0
    already_present: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class Overview:
    """The workspace at a glance: counts, date coverage, latest runs."""

    documents: int
    originals: int
    duplicates: int
    sources: int
    claims: int
    events: int
    places: int
    stories: int
    links: Mapping[str, int]
    questions: int
    earliest: str | None  # publication dates covered (trusted dates only)
    latest: str | None
    runs: tuple[Run, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Facet:
    """One value of a facet with its count (documents by source, language, story …)."""

    value: str | None
    count: int


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredQuestion:
    """A question as stored: its slug, text and the YAML spec it was added from (exports, import)."""

    slug: str
    text: str
    spec: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ProcessingRecord:
    """Which component version ran on a document, with what outcome (done, skipped, failed)."""

    document_id: str
    component: str
    status: str
    reason: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class EntitySummary:
    """A workspace-wide entity (linked across documents): its names and how many documents mention it."""

    id: int
    name: str
    type: str
    actor_id: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    documents: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class PlaceSummary:
    """A resolved place across documents: ``id`` is its GeoNames id, else (not in GeoNames) its name."""

    id: str
    name: str
    lat: float
    lon: float
    country_code: str | None = None
    mentions: int = 0
    documents: int = 0
