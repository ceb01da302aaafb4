"""Build a :class:`~sitroom.present.reports.contents.Report` from the workspace's read layer.

Everything is read through ``Workspace`` methods that answer typed records (READLAYER: boards, claims,
events, links, sources, stories, timelines); nothing here touches the store. What a report lists is
bounded (``MAX_ROWS``, ``TABLE_ROWS``, with "showing N of M" notices), but judgments are computed from all of the
question's evidence, never from the shown part.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse

from sitroom import __version__
from sitroom.analyse.credibility import LABELS as CREDIBILITY_LABELS
from sitroom.analyse.questions import QUESTIONS_VERSION, RATINGS
from sitroom.analyse.sources import GRADE_LABELS
from sitroom.errors import NotFoundError
from sitroom.pipeline import DEFAULT_PIPELINE, component_versions
from sitroom.present.reports import figures, history
from sitroom.present.reports.contents import (
    Changes,
    ClaimRow,
    ContradictionRow,
    Correction,
    Coverage,
    EventRow,
    EvidenceItem,
    HypothesisScore,
    IndicatorRow,
    KeyJudgment,
    Provenance,
    QuestionSection,
    Report,
    StorySection,
    Table,
)
from sitroom.present.reports.judgments import (
    Basis,
    Row,
    basis_sentence,
    confidence_sentence,
    judge_confidence,
    judge_likelihood,
    likelihood_sentence,
)
from sitroom.views import ClaimRecord, EventRecord, StoredLink

REPORTS_VERSION = "reports.v1"
MAX_ROWS = 60  # rows of the ACH matrix and evidence list; the rest is counted, not listed
# Claims and events of the documents are context for the evidence, which already quotes its own; a
# report that lists every one of them is unreadable on paper (the demo's 5 articles gave 18 pages).
TABLE_ROWS = 30
MAX_CONTRADICTIONS = 30
MAX_DOCUMENTS = 200  # documents whose claims, events and places a section reads
PAGE = 1000  # views.MAX_PAGE: one document's claims or events fit in one page


def _period_end(when: str) -> str:
    """The last day an ISO date of any precision can mean: '2016' → '2016-12-31'."""
    return when[:10] + ("-12-31" if len(when) == 4 else "-31" if len(when) == 7 else "")


def on_or_after(when: str | None, since: str | None) -> bool:
    """Whether a (possibly partial) date can fall on or after ``since``; undated items never do."""
    if since is None:
        return True
    return bool(when) and _period_end(when) >= since


def _http(url: str | None) -> str | None:
    """Only http(s) URLs may become links in a report: a ``javascript:`` URL from an article must not."""
    if not url:
        return None
    return url if urlparse(url).scheme in ("http", "https") else None


def _date(pub) -> str | None:
    """A document's date as a report states it: the stated date when trusted, else the start of the
    period its content suggests (an implausible stated date is not a date to plot or count)."""
    return pub.value if pub.trusted else pub.earliest


def _published(brief) -> str | None:
    return _date(brief.published)


@dataclass
class _Documents:
    """Per-document reads, each done once: the document brief, its claims, events, entities, places."""

    ws: object
    since: str | None = None
    claims: dict[str, list[ClaimRecord]] = field(default_factory=dict)
    events: dict[str, list[EventRecord]] = field(default_factory=dict)
    layers: dict[str, dict] = field(default_factory=dict)
    links: dict[str, list[StoredLink]] = field(default_factory=dict)
    docs: dict[str, object] = field(default_factory=dict)

    def document(self, doc_id: str):
        if doc_id not in self.docs:
            self.docs[doc_id] = self.ws.document(doc_id)
        return self.docs[doc_id]

    def claims_of(self, doc_id: str) -> list[ClaimRecord]:
        if doc_id not in self.claims:
            self.claims[doc_id] = list(self.ws.claims(document=doc_id, limit=PAGE))
        return self.claims[doc_id]

    def events_of(self, doc_id: str) -> list[EventRecord]:
        if doc_id not in self.events:
            self.events[doc_id] = list(self.ws.events(document=doc_id, limit=PAGE))
        return self.events[doc_id]

    def layers_of(self, doc_id: str) -> dict:
        if doc_id not in self.layers:
            self.layers[doc_id] = self.ws.annotations(doc_id)
        return self.layers[doc_id]

    def contradictions_of(self, doc_id: str) -> list[StoredLink]:
        if doc_id not in self.links:
            page = self.ws.links(kind="contradicts", document=doc_id, limit=PAGE)
            self.links[doc_id] = [link for link in page if link.status != "dismissed"]
        return self.links[doc_id]

    def names(self, doc_id: str) -> dict[str, str]:
        return {e.key: e.name for e in self.layers_of(doc_id).get("entities", [])}

    def quote(self, ref: str) -> str:
        kind, doc_id, span, *_ = ref.split(":") + ["", ""]
        start, _, end = span.partition("-")
        try:
            text = self.document(doc_id).text
        except NotFoundError:
            return ref
        return " ".join(text[int(start) : int(end)].split()) if start.isdigit() and end.isdigit() else ref


# --- provenance ------------------------------------------------------------------------------------


def _provenance(reads: _Documents, evidence) -> Provenance:
    doc = reads.document(evidence.document_id)
    speaker: str | None = None
    via: tuple[str, ...] = ()
    names = reads.names(doc.id)
    claim = None
    if evidence.layer == "claim":
        claim = next((c for c in reads.claims_of(doc.id) if c.ref == evidence.ref), None)
    else:
        event = next((e for e in reads.events_of(doc.id) if e.ref == evidence.ref), None)
        inside = event.event.claim_start if event is not None else None
        if inside is not None:  # an event reported inside a claim is that claim's speaker's account
            claim = next(
                (c for c in reads.claims_of(doc.id) if c.claim.content_start <= inside < c.claim.content_end),
                None,
            )
    if claim is not None:
        speaker = claim.speaker_name or claim.source_text
        via = tuple(names.get(key, key.rsplit("/", 1)[-1]) for key in claim.claim.via)
    return Provenance(
        speaker=speaker, via=via, outlet=doc.source, sentence=" ".join(
            doc.text[evidence.sentence_start : evidence.sentence_end].split()) or evidence.text,
        document_id=doc.id, title=doc.title, url=_http(doc.url),
        published=_date(doc.published), start=evidence.start, end=evidence.end,
        sentence_start=evidence.sentence_start, sentence_end=evidence.sentence_end,
    )  # fmt: skip


# --- tables shared by questions and stories ---------------------------------------------------------


def _claims_table(reads: _Documents, doc_ids: Sequence[str]) -> Table:
    rows, total = [], 0
    for doc_id in doc_ids:
        page = reads.ws.claims(document=doc_id, since=reads.since, limit=PAGE)
        total += page.total
        names = reads.names(doc_id) if len(rows) < TABLE_ROWS else {}
        for record in page:
            if len(rows) >= TABLE_ROWS:
                break
            rows.append(ClaimRow(
                ref=record.ref, speaker=record.speaker_name or record.source_text,
                via=tuple(names.get(k, k.rsplit("/", 1)[-1]) for k in record.claim.via),
                content=" ".join(record.content.split()), modality=record.claim.modality,
                polarity=record.claim.polarity, outlet=record.document.source, document_id=doc_id,
                published=_published(record.document),
                    corrected=tuple(record.corrected),
            ))  # fmt: skip
    return Table(rows=tuple(rows), total=total)


def _events_table(reads: _Documents, doc_ids: Sequence[str]) -> Table:
    rows, total = [], 0
    for doc_id in doc_ids:
        page = reads.ws.events(document=doc_id, since=reads.since, limit=PAGE)
        total += page.total
        for record in page:
            if len(rows) >= TABLE_ROWS:
                break
            event = record.event
            rows.append(EventRow(
                ref=record.ref, type=event.type, actors=record.actor_names, place=event.place_name,
                when=event.earliest or _published(record.document), modality=event.modality,
                polarity=event.polarity, sentence=" ".join(record.sentence.split()),
                outlet=record.document.source, document_id=doc_id, corrected=tuple(record.corrected),
            ))  # fmt: skip
    return Table(rows=tuple(rows), total=total)


def _contradictions_table(reads: _Documents, doc_ids: Sequence[str]) -> Table:
    seen: dict[int, StoredLink] = {}
    for doc_id in doc_ids:
        for link in reads.contradictions_of(doc_id):
            seen.setdefault(link.id, link)
    ordered = sorted(seen.values(), key=lambda link: (-link.score, link.id))
    rows = tuple(
        ContradictionRow(
            id=link.id,
            score=link.score,
            status=link.status,
            independent=link.independent,
            a_text=reads.quote(link.a),
            a_outlet=_outlet(reads, link.a_document),
            b_text=reads.quote(link.b),
            b_outlet=_outlet(reads, link.b_document),
            reason=link.reason,
        )  # fmt: skip
        for link in ordered[:MAX_CONTRADICTIONS]
    )
    return Table(rows=rows, total=len(ordered))


def _outlet(reads: _Documents, doc_id: str) -> str | None:
    try:
        return reads.document(doc_id).source
    except NotFoundError:
        return None


def _map_points(reads: _Documents, doc_ids: Sequence[str]) -> list[figures.MapPoint]:
    events: Counter = Counter()
    places: Counter = Counter()
    where: dict[tuple[str, str], tuple[float, float]] = {}
    for doc_id in doc_ids:
        for record in reads.events_of(doc_id):
            event = record.event
            if event.lat is None or event.lon is None:
                continue
            if reads.since and not on_or_after(event.earliest or _published(record.document), reads.since):
                continue
            name = event.place_name or f"{event.lat:.1f}, {event.lon:.1f}"
            events[name] += 1
            where[("event", name)] = (event.lat, event.lon)
        for place in reads.layers_of(doc_id).get("places", []):
            places[place.name] += 1
            where[("place", place.name)] = (place.lat, place.lon)
    points = [
        figures.MapPoint(
            lat=where[("event", n)][0], lon=where[("event", n)][1], name=n, kind="event", count=c
        )
        for n, c in events.items()
    ]
    points += [
        figures.MapPoint(
            lat=where[("place", n)][0], lon=where[("place", n)][1], name=n, kind="place", count=c
        )
        for n, c in places.items()
        if n not in events
    ]
    return points


def _sources(ws, outlets: Iterable[str | None]):
    wanted = {o or "(unknown outlet)" for o in outlets}
    return tuple(p for p in ws.sources(min_documents=0) if p.name in wanted)


def _coverage(reads: _Documents, doc_ids: Sequence[str], *, undated: int = 0) -> Coverage:
    dates = sorted(d for d in (_published_of(reads, i) for i in doc_ids) if d)
    outlets = sorted({reads.document(i).source or "(unknown outlet)" for i in doc_ids})
    return Coverage(
        documents=len(doc_ids), outlets=tuple(outlets), earliest=dates[0] if dates else None,
        latest=dates[-1] if dates else None, since=reads.since, undated_left_out=undated,
    )  # fmt: skip


def _published_of(reads: _Documents, doc_id: str) -> str | None:
    return _date(reads.document(doc_id).published)


# --- a question ------------------------------------------------------------------------------------


def _restricted(board, since: str | None):
    """The board's rows and scores, counting only evidence on or after ``since``.

    Scores are summed again from the kept rows exactly as ``build_board`` sums them (rating × weight),
    so an analyst's corrected ratings, already in the rows, stay in force.
    """
    rows = [row for row in board.matrix if on_or_after(row.evidence.when, since)]
    if since is None:
        return rows, dict(board.inconsistency), dict(board.support), list(board.ranking), 0
    undated = sum(1 for row in board.matrix if not row.evidence.when)
    ids = board.question.hypothesis_ids()
    inconsistency, support = dict.fromkeys(ids, 0.0), dict.fromkeys(ids, 0.0)
    for row in rows:
        for h, rating in row.ratings.items():
            value = RATINGS.get(rating, 0.0)
            if value < 0:
                inconsistency[h] += -value * row.weight
            elif value > 0:
                support[h] += value * row.weight
    ranking = sorted(ids, key=lambda h: (inconsistency[h], -support[h]))
    inconsistency = {h: round(v, 3) for h, v in inconsistency.items()}
    support = {h: round(v, 3) for h, v in support.items()}
    return rows, inconsistency, support, ranking, undated


def question_section(
    ws, slug: str, *, since: str | None, previous: history.LogEntry | None
) -> QuestionSection:
    """Key judgment, evidence with provenance, indicators, ACH matrix, tables and figures of a question."""
    question = ws.question(slug)
    board = ws.board(slug)
    rows, inconsistency, support, ranking, undated = _restricted(board, since)
    reads = _Documents(ws, since=since)
    texts = {h.id: h.text for h in question.hypotheses}
    labels = {i.id: i.label for i in question.indicators}
    likelihood = judge_likelihood(
        ranking=ranking, rows=[Row(ratings=row.ratings, weight=row.weight) for row in rows]
    )
    judgment = None
    if likelihood is not None:
        leader, runner = likelihood.hypothesis, likelihood.runner_up
        behind = [
            row for row in rows
            if runner is None or RATINGS.get(row.ratings.get(leader), 0) != RATINGS.get(row.ratings.get(runner), 0)
        ]  # fmt: skip
        basis = [
            Basis(
                outlet=row.evidence.source,
                grade=row.reliability,
                credibility=row.credibility,
                when=row.evidence.when,
                contradicted=bool(reads.contradictions_of(row.evidence.document_id)),
            )  # fmt: skip
            for row in behind
        ]
        confidence = judge_confidence(basis, newest_document=_newest_document(ws))
        judgment = KeyJudgment(
            hypothesis=leader, hypothesis_text=texts[leader], likelihood=likelihood,
            likelihood_sentence=likelihood_sentence(likelihood, texts[leader]),
            basis_sentence=basis_sentence(likelihood), confidence=confidence,
            confidence_sentence=confidence_sentence(confidence),
        )  # fmt: skip
    corrections = _ach_corrections(ws, slug)
    corrected: dict[str, set[str]] = {}
    for c in corrections:
        ref, _, hypothesis = c.target[len(f"ach:{slug}:") :].rpartition(":")
        corrected.setdefault(ref, set()).add(hypothesis)
    earlier = set(previous.refs) if previous else None
    evidence = tuple(
        EvidenceItem(
            ref=row.evidence.ref,
            indicator=row.evidence.indicator,
            indicator_label=labels.get(row.evidence.indicator, row.evidence.indicator),
            layer=row.evidence.layer,
            text=" ".join(row.evidence.text.split()),
            modality=row.evidence.modality,
            polarity=row.evidence.polarity,
            when=row.evidence.when,
            grade=row.reliability,
            grade_label=GRADE_LABELS.get(row.reliability, ""),
            credibility=row.credibility,
            credibility_label=CREDIBILITY_LABELS.get(row.credibility, ""),
            weight=row.weight,
            diagnosticity=row.diagnosticity,
            ratings=tuple((h.id, row.ratings.get(h.id, "N")) for h in question.hypotheses),
            why=_why(row),
            provenance=_provenance(reads, row.evidence),
            new=earlier is not None and row.evidence.ref not in earlier,
            corrected=tuple(sorted(corrected.get(row.evidence.ref, ()))),
        )  # fmt: skip
        for row in rows[:MAX_ROWS]
    )
    doc_ids = list(dict.fromkeys(row.evidence.document_id for row in rows))[:MAX_DOCUMENTS]
    indicators = _indicators(question, rows)
    hypotheses = tuple(
        HypothesisScore(
            id=h.id,
            text=h.text,
            inconsistency=inconsistency[h.id],
            support=support[h.id],
            rank=ranking.index(h.id) + 1,
        )  # fmt: skip
        for h in question.hypotheses
    )
    leader = ranking[0] if ranking else None
    points = [
        figures.TimelinePoint(
            when=row.evidence.when,
            until=None,
            lane=labels.get(row.evidence.indicator, row.evidence.indicator),
            tone=_tone(row.ratings.get(leader, "N")),
            size=row.weight,
        )  # fmt: skip
        for row in rows
        if row.evidence.when
    ]
    undated_rows = sum(1 for row in rows if not row.evidence.when)
    timeline = figures.timeline_figure(
        points, title="Evidence over time",
        caption=f"Each piece of evidence on the date it reports, by indicator, coloured by how it rates the "
        f"leading hypothesis ({leader or 'none'}); bars span imprecise dates, size follows the ACH weight."
        + (f" {undated_rows} undated pieces are not drawn." if undated_rows else ""),
    )  # fmt: skip
    located = _map_points(reads, doc_ids)
    where = figures.map_figure(
        located, title="Places and events",
        caption=f"Events located in the {len(doc_ids)} documents holding evidence (diamonds) and the places "
        "they mention (dots), over Natural Earth 1:110m country borders.",
    )  # fmt: skip
    return QuestionSection(
        slug=question.slug, text=question.text, judgment=judgment, hypotheses=hypotheses,
        indicators=indicators, evidence=Table(rows=evidence, total=len(rows)),
        changes=_question_changes(ws, slug, judgment, previous, evidence, len(rows), earlier),
        claims=_claims_table(reads, doc_ids), events=_events_table(reads, doc_ids),
        contradictions=_contradictions_table(reads, doc_ids),
        sources=_sources(ws, (reads.document(i).source for i in doc_ids)),
        coverage=_coverage(reads, doc_ids, undated=undated), figures=(timeline, where),
        window=(question.window_start, question.window_end),
        evidence_refs=tuple(row.evidence.ref for row in rows),
        corrections=corrections,
    )  # fmt: skip


def _why(row) -> tuple[tuple[str, str], ...]:
    """The board's reason for each rating, where it gives one (a mapping per hypothesis, or one text:
    the board is being extended and its shape may still change)."""
    why = getattr(row, "why", None)
    if isinstance(why, dict):
        return tuple((str(h), str(text)) for h, text in why.items() if text)
    return (("all", str(why)),) if why else ()


def _ach_corrections(ws, slug: str) -> tuple[Correction, ...]:
    """The analysts' ACH ratings in force (or in conflict) for the question, newest first."""
    revisions = getattr(ws, "revisions", None)
    if not callable(revisions):  # a workspace from before analyst corrections
        return ()
    found = []
    for state in ("active", "conflict"):
        for r in revisions(state=state, limit=PAGE):
            if r.target.startswith(f"ach:{slug}:"):
                found.append(Correction(
                    target=r.target, field=r.field, before=r.before, after=r.after, analyst=r.analyst,
                    at=r.at, why=r.why, state=r.state,
                ))  # fmt: skip
    return tuple(sorted(found, key=lambda c: c.at, reverse=True))


def _tone(rating: str) -> str:
    value = RATINGS.get(rating, 0.0)
    return "for" if value > 0 else "against" if value < 0 else "neutral"


def _newest_document(ws) -> str | None:
    return ws.overview().latest


def _indicators(question, rows) -> tuple[IndicatorRow, ...]:
    out = []
    for indicator in question.indicators:
        mine = [row.evidence for row in rows if row.evidence.indicator == indicator.id]
        periods = Counter((e.when[:7] if e.when else "undated") for e in mine)
        newest = max(mine, key=lambda e: (e.when or "", e.ref), default=None)
        out.append(IndicatorRow(
            id=indicator.id, label=indicator.label, supports=indicator.supports, weakens=indicator.weakens,
            hits=len(mine), periods=tuple(sorted(periods.items())),
            latest=" ".join(newest.text.split()) if newest else None, latest_when=newest.when if newest else None,
        ))  # fmt: skip
    return tuple(out)


def _question_changes(ws, slug, judgment, previous, evidence, total, earlier) -> Changes:
    assessments = ws.assessment_history(slug)
    recorded = tuple((a.at, a.leading or "—", " > ".join(a.ranking)) for a in assessments[-10:])
    sentences = []
    if previous is None:
        sentences.append("This is the first report on this question written from this workspace.")
        changes = history.leader_changes(assessments)
        if assessments:
            first = assessments[0]
            sentences.append(
                f"The workspace has recorded {len(assessments)} assessment{'s' if len(assessments) != 1 else ''} "
                f"since {first.at[:10]}, when {first.leading or 'no hypothesis'} led."
            )
        if len(changes) > 1:
            sentences.append(
                "The leading hypothesis changed: " + ", then ".join(f"{h} from {d}" for d, h in changes) + "."
            )
        return Changes(previous_at=None, sentences=tuple(sentences), history=recorded)
    when = previous.at[:16].replace("T", " ")
    if judgment is not None and previous.leading and previous.leading != judgment.hypothesis:
        sentences.append(f"The leading hypothesis changed from {previous.leading} to {judgment.hypothesis}.")
    if judgment is not None and previous.term and previous.term != judgment.likelihood.term:
        sentences.append(f"The likelihood term moved from “{previous.term}” to “{judgment.likelihood.term}”.")
    if judgment is not None and previous.confidence and previous.confidence != judgment.confidence.level:
        sentences.append(f"Confidence moved from {previous.confidence} to {judgment.confidence.level}.")
    new = sum(1 for item in evidence if item.new)
    gone = len(earlier - {item.ref for item in evidence}) if total <= len(evidence) else None
    text = f"{new} of the {len(evidence)} pieces of evidence shown are new since then"
    text += f"; {gone} counted then are no longer counted." if gone else "."
    sentences.append(text)
    if len(sentences) == 1:
        sentences.insert(0, "The judgment is unchanged.")
    later = [a for a in assessments if a.at > previous.at]
    if later:
        sentences.append(
            f"The assessment was recorded {len(later)} time{'s' if len(later) != 1 else ''} in between."
        )
    return Changes(previous_at=when, sentences=tuple(sentences), new_evidence=new, history=recorded)


# --- a story ---------------------------------------------------------------------------------------


def story_section(ws, story_id: str, *, since: str | None, previous: history.LogEntry | None) -> StorySection:
    """Documents, claims, events, contradictions, timeline and map of one story (no ACH)."""
    story = ws.story(story_id)
    reads = _Documents(ws, since=since)
    doc_ids = [i for i in story.documents if on_or_after(_published_of(reads, i), since)][:MAX_DOCUMENTS]
    documents = tuple(
        (i, reads.document(i).title, reads.document(i).source, _published_of(reads, i)) for i in doc_ids
    )
    entries = ws.timeline(kind="events", story=story_id, since=since, limit=PAGE)
    points = [
        figures.TimelinePoint(
            when=e.when, until=e.until, lane=e.label.split(" (")[0].replace("_", " "), tone="event"
        )
        for e in entries
        if e.when
    ]
    points += [
        figures.TimelinePoint(when=d, until=None, lane="documents published", tone="document")
        for _, _, _, d in documents
        if d
    ]
    timeline = figures.timeline_figure(
        points, title="Timeline",
        caption=f"Dated events of the story by type ({entries.notice('dated events')}), and when its "
        "documents were published; bars span imprecise dates.",
    )  # fmt: skip
    where = figures.map_figure(
        _map_points(reads, doc_ids), title="Places and events",
        caption="Events located in the story's documents (diamonds) and the places they mention (dots), "
        "over Natural Earth 1:110m country borders.",
    )  # fmt: skip
    sentences: list[str] = []
    if previous is None:
        sentences.append("This is the first report on this story written from this workspace.")
    else:
        new = [i for i in doc_ids if i not in set(previous.documents)]
        sentences.append(f"{len(new)} of its {len(doc_ids)} documents are new since the previous report.")
    changes = Changes(
        previous_at=previous.at[:16].replace("T", " ") if previous else None, sentences=tuple(sentences),
        history=tuple((c.at, c.kind, c.reason or "") for c in story.changes[-10:]),
    )  # fmt: skip
    return StorySection(
        id=story.id, title=story.title, topic=story.topic, first_seen=story.first_seen,
        last_seen=story.last_seen, documents=documents, changes=changes,
        claims=_claims_table(reads, doc_ids), events=_events_table(reads, doc_ids),
        contradictions=_contradictions_table(reads, doc_ids),
        sources=_sources(ws, (reads.document(i).source for i in doc_ids)),
        coverage=_coverage(reads, doc_ids), figures=(timeline, where),
    )  # fmt: skip


# --- reports ---------------------------------------------------------------------------------------


def _components() -> tuple[str, ...]:
    return (*component_versions(DEFAULT_PIPELINE), QUESTIONS_VERSION, REPORTS_VERSION)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def build_report(
    ws,
    *,
    question: str | None = None,
    story: str | None = None,
    everything: bool = False,
    since: str | None = None,
    log: Sequence[history.LogEntry] = (),
    now: str | None = None,
) -> Report:
    """The report on one question, one story, or every question with the workspace overview."""
    common = dict(
        generated_at=now or _now(), since=since, workspace=ws.location.display, sitroom_version=__version__,
        components=_components(),
    )  # fmt: skip
    if question is not None:
        section = question_section(
            ws, question, since=since, previous=history.previous(log, f"question:{question}", since=since)
        )
        return Report(title=section.text, subject=f"question:{question}", questions=(section,), **common)
    if story is not None:
        section = story_section(
            ws, story, since=since, previous=history.previous(log, f"story:{story}", since=since)
        )
        return Report(
            title=section.title or section.id, subject=f"story:{story}", stories=(section,), **common
        )
    sections = tuple(
        question_section(
            ws, q.slug, since=since, previous=history.previous(log, f"question:{q.slug}", since=since)
        )
        for q in ws.questions()
    )
    stories = ws.stories(limit=20)
    story_list = tuple((s.id, s.title, s.size, s.first_seen, s.last_seen) for s in stories)
    return Report(
        title="Situation report", subject="all", questions=sections, overview=ws.overview(),
        story_list=story_list, **common,
    )  # fmt: skip


def log_entries(report: Report, *, path: str, fmt: str) -> list[history.LogEntry]:
    """What the reports log keeps of a written report: one entry per question and story."""
    entries = []
    for section in report.questions:
        judgment = section.judgment
        entries.append(history.LogEntry(
            at=report.generated_at, subject=f"question:{section.slug}", path=path, format=fmt,
            since=report.since, leading=judgment.hypothesis if judgment else None,
            term=judgment.likelihood.term if judgment else None,
            probability=judgment.likelihood.probability if judgment else None,
            confidence=judgment.confidence.level if judgment else None,
            refs=section.evidence_refs,
        ))  # fmt: skip
    for section in report.stories:
        entries.append(history.LogEntry(
            at=report.generated_at, subject=f"story:{section.id}", path=path, format=fmt, since=report.since,
            documents=tuple(d[0] for d in section.documents),
        ))  # fmt: skip
    return entries
