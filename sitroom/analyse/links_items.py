"""Items: one claim or event of one document, with what cross-document links compare.

:func:`make_items` turns a document and its annotation layers (as ``Workspace.annotations`` returns
them) into :class:`Item` records: one per claim (carrying the events it reports), and one per event
that no claim reports (the outlet's own narrative). Each item knows its **origin** — who ultimately
stands behind it — so corroboration can count independent sources once:

- a claim's origin is its speaker, followed by its via chain ("person/vladimir-putin via
  media/ria-novosti"); two outlets citing RIA Novosti quoting Putin share it. A described speaker
  ("officials", "a source": ``group:…``) is an origin of its document only
  ("doc:<id>:group:official"): unnamed officials in two articles are never taken for one voice;
- an unattributed statement's origin is its outlet ("outlet:daily-caller-news-foundation"), or, for a
  syndicated copy, the outlet of the document it copies (``root_source``), else that document
  ("doc:<id>").

Times fall back on the publication date when the text gives none (see :class:`TimeView`), places on
the countries the statement names, actors on the states they act for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from sitroom.analyse.links_rules import (
    EventView,
    LinkRules,
    Measure,
    PlaceView,
    TimeView,
    assess_commitment,
    load_link_rules,
    shift,
    state_of,
)
from sitroom.analyse.stance import stem, tokenize
from sitroom.extract.claims_groups import is_group_key
from sitroom.extract.claims_voice import VOICE_CUE
from sitroom.model import (
    Claim,
    Document,
    Entity,
    Event,
    Mention,
    Place,
    Published,
    Quantity,
    claim_ref,
    event_ref,
)
from sitroom.nlp.entities import slugify

_MISSING_YEAR = re.compile(r"^XXXX(-\d\d(?:-\d\d)?)$")
_DAYS_IN_MONTH = {"02": "28", "04": "30", "06": "30", "09": "30", "11": "30"}


@dataclass(frozen=True, slots=True)
class Item:
    """One claim or event of one document, with what is needed to compare it with others.

    ``ref`` is :func:`~sitroom.model.claim_ref` or :func:`~sitroom.model.event_ref`; ``events`` are
    the events the item states (a claim's reported events, or the event itself); ``commitment`` is
    the claim's (or event's) FactBank-style commitment in [-1, 1]; ``terms`` its content-word stems;
    ``measures`` the figures it states; ``rebuts`` the refs of statements of the same document that
    this one contrasts with or counters, each with the words that say so.
    """

    ref: str
    kind: Literal["claim", "event"]
    document_id: str
    source: str | None
    published: str | None
    duplicate_of: str | None
    origin: str
    claim: Claim | None
    event: Event | None
    text: str
    speaker_name: str | None
    entity_ids: frozenset[str]
    countries: frozenset[str]
    span: tuple[int, int] = (0, 0)
    sentence: tuple[int, int] = (0, 0)
    speaker: str | None = None
    commitment: float = 1.0
    events: tuple[EventView, ...] = ()
    measures: tuple[Measure, ...] = ()
    terms: frozenset[str] = frozenset()
    window: TimeView = field(default_factory=lambda: TimeView(None, None))
    rebuts: tuple[tuple[str, str], ...] = ()

    @property
    def group(self) -> str:
        """The syndication group: copies of one article share it."""
        return self.duplicate_of or self.document_id

    @property
    def root(self) -> str:
        """Who ultimately stands behind the item, without the intermediaries."""
        return self.origin.split(" via ", 1)[0]


def make_items(
    doc: Document,
    layers: dict[str, list],
    *,
    root_source: str | None = None,
    rules: LinkRules | None = None,
) -> list[Item]:
    """The items of one document: a claim each, and each event no claim reports, in text order.

    ``layers`` is what ``Workspace.annotations(doc.id)`` returns. ``root_source`` is the outlet of the
    document ``doc`` copies (when ``doc.duplicate_of`` is set), so a syndicated copy shares its origin.
    """
    rules = rules or load_link_rules()
    ctx = _Context(doc, layers, rules, root_source)
    claims: list[Claim] = sorted(layers.get("claims", []), key=lambda c: c.content_start)
    events: list[Event] = list(layers.get("events", []))
    by_claim: dict[tuple[int, int], list[Event]] = {}
    for event in events:
        if event.claim_start is not None:
            by_claim.setdefault((event.claim_start, event.claim_end), []).append(event)
    claim_spans = {(c.content_start, c.content_end) for c in claims}
    items: list[Item] = []
    for claim in claims:
        items.append(ctx.claim_item(claim, by_claim.get((claim.content_start, claim.content_end), [])))
    for event in events:
        if event.claim_start is None or (event.claim_start, event.claim_end) not in claim_spans:
            items.append(ctx.event_item(event))
    items = _with_rebuttals(items, claims, doc.text, ctx)
    return sorted(items, key=lambda i: i.span)


def origin_of(item: Item) -> str:
    """Who an item traces back to (see the module docstring); syndicated copies share it."""
    return item.origin


# --- building ------------------------------------------------------------------------------------


class _Context:
    """One document's layers, indexed for building its items."""

    def __init__(self, doc: Document, layers: dict[str, list], rules: LinkRules, root_source: str | None):
        self.doc = doc
        self.rules = rules
        self.entities: dict[str, Entity] = {e.key: e for e in layers.get("entities", [])}
        self.mentions: list[Mention] = list(layers.get("mentions", []))
        self.places: list[Place] = sorted(layers.get("places", []), key=lambda p: p.start)
        self.quantities: list[Quantity] = list(layers.get("quantities", []))
        self.window = _document_window(doc.published)
        if doc.duplicate_of:
            self.outlet = f"outlet:{slugify(root_source)}" if root_source else f"doc:{doc.duplicate_of}"
        else:
            self.outlet = f"outlet:{slugify(doc.source)}" if doc.source else f"doc:{doc.id}"

    # ---- items

    def claim_item(self, claim: Claim, events: list[Event]) -> Item:
        doc, rules = self.doc, self.rules
        span = (claim.content_start, claim.content_end)
        text = doc.text[span[0] : span[1]]
        speaker = self.canonical(claim.speaker) if claim.speaker else None
        speaker_name = self._speaker_name(claim)
        if claim.cue_lemma == VOICE_CUE:
            origin = self.outlet  # the document's own voice: one origin with its unattributed events
        elif speaker and is_group_key(speaker):
            # "officials said": a group the document describes, not one known voice — scoped to the
            # article (and its syndicated copies), so that "officials" of two articles stay two origins
            origin = f"doc:{self.doc.duplicate_of or self.doc.id}:{speaker}"
        elif speaker:
            origin = speaker
        elif speaker_name:
            origin = f"{self.outlet}:{slugify(speaker_name)}"
        else:
            origin = self.outlet
        via = [self._via_id(v) for v in claim.via]
        if via and speaker:
            origin = f"{origin} via {' via '.join(via)}"
        commitment = assess_commitment(claim.polarity, claim.modality, rules=rules)
        views = tuple(self.event_view(e) for e in events)
        return Item(
            ref=claim_ref(doc.id, claim),
            kind="claim",
            document_id=doc.id,
            source=doc.source,
            published=doc.published.value,
            duplicate_of=doc.duplicate_of,
            origin=origin,
            claim=claim,
            event=events[0] if events else None,
            text=text,
            speaker_name=speaker_name,
            entity_ids=self.entities_in(*span),
            countries=self.countries_in(*span),
            span=span,
            sentence=(claim.sentence_start, claim.sentence_end),
            speaker=speaker,
            commitment=commitment,
            events=views,
            measures=self.measures_in(*span, text=text),
            terms=self.terms_of(text),
            window=self.window,
        )

    def event_item(self, event: Event) -> Item:
        doc = self.doc
        sentence = (event.sentence_start, event.sentence_end)
        text = doc.text[sentence[0] : sentence[1]]
        view = self.event_view(event)
        return Item(
            ref=event_ref(doc.id, event),
            kind="event",
            document_id=doc.id,
            source=doc.source,
            published=doc.published.value,
            duplicate_of=doc.duplicate_of,
            origin=self.outlet,
            claim=None,
            event=event,
            text=text,
            speaker_name=None,
            entity_ids=self.entities_in(*sentence),
            countries=self.countries_in(*sentence),
            span=sentence,
            sentence=sentence,
            speaker=None,
            commitment=view.commitment,
            events=(view,),
            measures=self.measures_in(*sentence, text=text),
            terms=self.terms_of(text),
            window=self.window,
        )

    def event_view(self, event: Event) -> EventView:
        rules = self.rules
        actors = frozenset(self.canonical(a) for a in event.actors if not a.startswith("span:"))
        commitment = assess_commitment(event.polarity, event.modality, rules=rules)
        return EventView(
            ref=event_ref(self.doc.id, event),
            type=event.type,
            actors=actors,
            states=frozenset(s for s in (self.state(a) for a in event.actors) if s),
            targets=frozenset(self.canonical(t) for t in event.targets if not t.startswith("span:")),
            place=self._place_view(event),
            time=self._time_view(event, commitment),
            commitment=commitment,
            trigger=self.doc.text[event.trigger_start : event.trigger_end],
        )

    # ---- pieces

    def canonical(self, key: str) -> str:
        """A document-local entity key as a corpus-wide id: the actor id, else the key itself."""
        entity = self.entities.get(key)
        return entity.actor_id if entity and entity.actor_id else key

    def state(self, key: str) -> str | None:
        entity = self.entities.get(key)
        actor = self.canonical(key)
        found = state_of(actor, self.rules)
        if found:
            return found
        if entity and entity.type in self.rules.person_types:
            return entity.country
        return None

    def entities_in(self, start: int, end: int) -> frozenset[str]:
        return frozenset(
            self.canonical(m.entity_key) for m in self.mentions if start <= m.start and m.end <= end
        )

    def countries_in(self, start: int, end: int) -> frozenset[str]:
        return frozenset(
            p.country_code for p in self.places if p.country_code and start <= p.start and p.end <= end
        )

    def terms_of(self, text: str) -> frozenset[str]:
        stop = self.rules.claim_stopwords
        return frozenset(stem(t) for t in tokenize(text) if len(t) > 2 and t not in stop and not t.isdigit())

    def measures_in(self, start: int, end: int, *, text: str) -> tuple[Measure, ...]:
        """Figures of the measure families the rules know; the outcome is the outcome word nearest
        the figure ("destroyed numerous targets and killed 600 rebels": 600 is killed)."""
        rules = self.rules
        outcomes = [
            (m.start() + start, rules.outcomes[m.group(0).lower()])
            for m in re.finditer(r"[A-Za-z]+", text)
            if m.group(0).lower() in rules.outcomes
        ]
        found = []
        for q in self.quantities:
            if not (start <= q.start and q.end <= end) or q.unit != "count" or not q.counted:
                continue
            if q.low is None and q.high is None and q.value is None:
                continue
            counted = q.counted.lower()
            family = rules.families.get(counted) or rules.families.get(counted.split()[-1])
            if family is None:
                continue
            outcome = min(outcomes, key=lambda o: abs(o[0] - q.start), default=(0, "count"))[1]
            low = q.low if q.low is not None else q.value
            high = q.high if (q.high is not None or q.low is not None) else q.value
            phrase = self.doc.text[
                min(q.start, q.counted_start or q.start) : max(q.end, q.counted_end or q.end)
            ]
            found.append(Measure(f"{outcome}:{family}", low, high, q.approx, phrase, q.start))
        return tuple(found)

    def _speaker_name(self, claim: Claim) -> str | None:
        if claim.speaker and claim.speaker in self.entities:
            return self.entities[claim.speaker].name
        if claim.source_start is not None and claim.source_end is not None:
            return self.doc.text[claim.source_start : claim.source_end].strip() or None
        return None

    def _via_id(self, via: str) -> str:
        if via.startswith("span:"):
            start, _, end = via[5:].partition("-")
            return slugify(self.doc.text[int(start) : int(end)])
        return self.canonical(via)

    def _place_view(self, event: Event) -> PlaceView | None:
        if event.place_name is None:
            return None
        place = next(
            (p for p in self.places if p.start == event.place_start and p.end == event.place_end), None
        )
        return PlaceView(
            name=event.place_name,
            lat=event.lat,
            lon=event.lon,
            precision=event.place_precision,
            country=place.country_code if place else None,
            admin1=place.admin1 if place else None,
        )

    def _time_view(self, event: Event, commitment: float) -> TimeView:
        earliest, latest = event.earliest, event.latest
        if earliest is None and latest is None and event.time_value:
            earliest, latest = _fill_year(event.time_value, self.doc.published)
        if earliest or latest:
            return TimeView(earliest, latest, "stated")
        lo, hi = self.window.earliest, self.window.latest
        if lo is None and hi is None:
            return TimeView(None, None, "unknown")
        rules = self.rules
        # An undated past event happened shortly before the report; a hedged or planned one may
        # happen any time after it (and was spoken of before it).
        lo = shift(lo, -rules.lookback_days) if lo else None
        if abs(commitment) < rules.factual or commitment < 0:
            hi = shift(hi, rules.horizon_days) if hi else None
        return TimeView(lo, hi, "window")


def _document_window(pub: Published) -> TimeView:
    """The publication date as an interval: exact for a trusted day, else the range it allows."""
    if pub.value and pub.implausible is None:
        if pub.precision in ("day", "second"):
            day = pub.value[:10]
            return TimeView(day, day, "window")
        if pub.earliest or pub.latest:
            return TimeView(pub.earliest, pub.latest, "window")
        if pub.precision == "year":
            return TimeView(f"{pub.value[:4]}-01-01", f"{pub.value[:4]}-12-31", "window")
        if pub.precision == "month":
            month = pub.value[5:7]
            return TimeView(
                f"{pub.value[:7]}-01", f"{pub.value[:7]}-{_DAYS_IN_MONTH.get(month, '31')}", "window"
            )
    if pub.earliest or pub.latest:  # implausible or inferred: the range the content suggests
        return TimeView(pub.earliest, pub.latest, "window")
    return TimeView(None, None, "unknown")


def _fill_year(value: str, pub: Published) -> tuple[str | None, str | None]:
    """ "XXXX-03-14" in an article of 2016 is 2016-03-14 (the time layer leaves the year open when the
    document's date is only known to the year)."""
    match = _MISSING_YEAR.match(value)
    if not match or not pub.value or pub.implausible:
        return None, None
    rest = match.group(1)
    year = pub.value[:4]
    if len(rest) == 6:  # -MM-DD
        return year + rest, year + rest
    month = rest[1:3]
    return f"{year}{rest}-01", f"{year}{rest}-{_DAYS_IN_MONTH.get(month, '31')}"


def _with_rebuttals(items: list[Item], claims: Sequence[Claim], text: str, ctx: _Context) -> list[Item]:
    """Mark claims that contrast with ("…, but Russia maintains …") or counter ("…, counters that …")
    the statement of another speaker just before them in the same document."""
    rules = ctx.rules
    by_span = {i.span: i for i in items if i.kind == "claim"}
    ordered = [
        by_span[(c.content_start, c.content_end)]
        for c in claims
        if (c.content_start, c.content_end) in by_span
    ]
    updated: dict[str, tuple[tuple[str, str], ...]] = {}
    for index, item in enumerate(ordered):
        claim = item.claim
        assert claim is not None
        opening = min(x for x in (claim.source_start, claim.cue_start, claim.content_start) if x is not None)
        for previous in reversed(ordered[:index]):
            if previous.root == item.root or previous.span[1] > opening:
                continue
            between = text[previous.span[1] : opening].lower()
            same_sentence = previous.sentence == item.sentence
            marker = next(
                (m for m in rules.contrast_markers if re.search(rf"\b{re.escape(m)}\b", between)), None
            )
            if same_sentence and marker and previous.terms & item.terms:
                shared = ", ".join(sorted(previous.terms & item.terms)[:3])
                updated[item.ref] = (
                    (previous.ref, f"contrasted with “{marker}” in one sentence (shared: {shared})"),
                )
                break
            if claim.cue_lemma in rules.rebuttal_cues and opening - previous.span[1] <= rules.rebuttal_reach:
                updated[item.ref] = ((previous.ref, f"“{claim.cue_lemma}” answers the statement before it"),)
                break
            break  # only the nearest statement of another speaker is answered
    if not updated:
        return items
    return [_replace_rebuts(i, updated[i.ref]) if i.ref in updated else i for i in items]


def _replace_rebuts(item: Item, rebuts: tuple[tuple[str, str], ...]) -> Item:
    return replace(item, rebuts=rebuts)
