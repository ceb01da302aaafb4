"""What a situation report holds: frozen records that every renderer (Markdown, HTML, PDF) reads.

``assemble.py`` builds a :class:`Report` from the workspace's read layer; the renderers only lay it
out. Article-derived text is kept as plain text here and escaped by each renderer for its format.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sitroom.present.reports.judgments import Confidence, Likelihood
from sitroom.views import Overview, SourceProfile


@dataclass(frozen=True, kw_only=True, slots=True)
class Provenance:
    """Where a piece of evidence comes from: speaker → via → outlet → sentence, and its offsets."""

    speaker: str | None
    via: tuple[str, ...]
    outlet: str | None
    sentence: str
    document_id: str
    title: str | None
    url: str | None  # only http(s) URLs are kept; renderers may link them
    published: str | None
    start: int
    end: int
    sentence_start: int
    sentence_end: int

    @property
    def chain(self) -> str:
        """'Vladimir Putin → via TASS → Antiwar.com' (the parts that are known)."""
        parts = [self.speaker or "unattributed"]
        parts += [f"via {name}" for name in self.via]
        parts.append(self.outlet or "unknown outlet")
        return " → ".join(parts)

    @property
    def offsets(self) -> str:
        return f"{self.document_id}:{self.start}-{self.end}"


@dataclass(frozen=True, kw_only=True, slots=True)
class EvidenceItem:
    """One row of the ACH matrix with the evidence's grade, credibility and provenance."""

    ref: str
    indicator: str
    indicator_label: str
    layer: str  # claim or event
    text: str
    modality: str
    polarity: str
    when: str | None
    grade: str  # the outlet's Admiralty reliability A–F
    grade_label: str
    credibility: int  # 1–6
    credibility_label: str
    weight: float
    diagnosticity: float
    ratings: tuple[tuple[str, str], ...]  # (hypothesis, C/CC/N/I/II) in the question's order
    why: tuple[tuple[str, str], ...] = ()  # (hypothesis, why the rating), where the board says
    provenance: Provenance
    new: bool = False  # not in the previous report of the same subject
    corrected: tuple[str, ...] = ()  # hypotheses whose rating an analyst set

    def rating(self, hypothesis: str) -> str:
        return dict(self.ratings).get(hypothesis, "N")


@dataclass(frozen=True, kw_only=True, slots=True)
class Correction:
    """An analyst's revision in force that the report rests on (an ACH rating, a claim's speaker …)."""

    target: str
    field: str
    before: str | None
    after: str | None
    analyst: str
    at: str
    why: str
    state: str


@dataclass(frozen=True, kw_only=True, slots=True)
class HypothesisScore:
    id: str
    text: str
    inconsistency: float
    support: float
    rank: int  # 1 = least inconsistent


@dataclass(frozen=True, kw_only=True, slots=True)
class IndicatorRow:
    id: str
    label: str
    supports: tuple[str, ...]
    weakens: tuple[str, ...]
    hits: int
    periods: tuple[tuple[str, int], ...]  # (YYYY-MM or "undated", hits), oldest first
    latest: str | None  # the newest evidence's text
    latest_when: str | None


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyJudgment:
    """A judgment: the likelihood sentence, the confidence sentence, each apart, and their basis."""

    hypothesis: str
    hypothesis_text: str
    likelihood: Likelihood
    likelihood_sentence: str
    basis_sentence: str
    confidence: Confidence
    confidence_sentence: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Changes:
    """What changed since the previous report of the same subject (or since the first assessment)."""

    previous_at: str | None  # when the previous report was written; None for a first report
    sentences: tuple[str, ...]
    new_evidence: int = 0
    history: tuple[tuple[str, str, str], ...] = ()  # (recorded at, leading, ranking) assessments


@dataclass(frozen=True, kw_only=True, slots=True)
class ClaimRow:
    ref: str
    speaker: str | None
    via: tuple[str, ...]
    content: str
    modality: str
    polarity: str
    outlet: str | None
    document_id: str
    published: str | None
    corrected: tuple[str, ...] = ()  # fields an analyst set (speaker, modality, polarity)


@dataclass(frozen=True, kw_only=True, slots=True)
class EventRow:
    ref: str
    type: str
    actors: tuple[str, ...]
    place: str | None
    when: str | None
    modality: str
    polarity: str
    sentence: str
    outlet: str | None
    document_id: str
    corrected: tuple[str, ...] = ()  # fields an analyst set (type, actors, place)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContradictionRow:
    id: int
    score: float
    status: str
    independent: bool
    a_text: str
    a_outlet: str | None
    b_text: str
    b_outlet: str | None
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Coverage:
    documents: int
    outlets: tuple[str, ...]
    earliest: str | None
    latest: str | None
    since: str | None
    undated_left_out: int = 0  # evidence without a date, left out by --since


@dataclass(frozen=True, kw_only=True, slots=True)
class Figure:
    """A rendered image (PNG) with its caption; renderers inline it."""

    name: str  # file-name stem: "timeline", "map"
    title: str
    caption: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True, kw_only=True, slots=True)
class Table:
    """A capped listing: the rows shown and how many there are in all."""

    rows: tuple
    total: int

    @property
    def notice(self) -> str:
        if len(self.rows) == self.total:
            return f"{self.total}"
        return f"showing {len(self.rows)} of {self.total}"


@dataclass(frozen=True, kw_only=True, slots=True)
class QuestionSection:
    slug: str
    text: str
    judgment: KeyJudgment | None  # None when the question has no hypotheses
    hypotheses: tuple[HypothesisScore, ...]
    indicators: tuple[IndicatorRow, ...]
    evidence: Table  # of EvidenceItem, most diagnostic first: the ACH matrix
    changes: Changes
    claims: Table  # of ClaimRow
    events: Table  # of EventRow
    contradictions: Table  # of ContradictionRow
    sources: tuple[SourceProfile, ...]
    coverage: Coverage
    figures: tuple[Figure, ...]
    window: tuple[str | None, str | None] = (None, None)
    evidence_refs: tuple[str, ...] = ()  # every piece counted, shown or not (for the reports log)
    corrections: tuple[Correction, ...] = ()  # analysts' ACH ratings in force for this question


@dataclass(frozen=True, kw_only=True, slots=True)
class StorySection:
    id: str
    title: str | None
    topic: str | None
    first_seen: str | None
    last_seen: str | None
    documents: tuple[tuple[str, str | None, str | None, str | None], ...]  # (id, title, outlet, date)
    changes: Changes
    claims: Table
    events: Table
    contradictions: Table
    sources: tuple[SourceProfile, ...]
    coverage: Coverage
    figures: tuple[Figure, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Report:
    """A situation report: a question, a story, or everything (``subject``)."""

    title: str
    subject: str  # "question:SLUG", "story:ID" or "all"
    generated_at: str  # ISO timestamp, UTC
    since: str | None
    workspace: str
    sitroom_version: str
    components: tuple[str, ...]  # versioned names of the pipeline and analysis components
    questions: tuple[QuestionSection, ...] = ()
    stories: tuple[StorySection, ...] = ()
    overview: Overview | None = None
    story_list: tuple[tuple[str, str | None, int, str | None, str | None], ...] = ()  # --all
