"""Analyst corrections: what may be corrected, how a correction changes an item, and how it survives
re-processing.

A correction is a :class:`~sitroom.views.Revision` of one field of one item, named by a target
reference (see :func:`parse_target`). The store keeps every revision; this module holds the policy:

- which fields of which items an analyst may set, and which values are valid (:func:`check_value`);
- the machine's value of a field (:func:`machine_value`), kept with the revision so that a later
  run that changes it is noticed;
- applying active revisions to a fresh analysis (:func:`revise_analysis`) *before* it is saved, so
  the analyst's value wins over every new component version and everything computed after it (links,
  question evidence) sees the corrected item. Where the machine now says something other than what
  it said when the analyst corrected it, the revision is marked ``conflict`` for review; where the item
  is not found any more, ``orphaned``;
- ACH rating overrides applied to a board (:func:`override_ratings`).

Pure functions over model dataclasses: the store and the workspace do the reading and writing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitroom.checks import check_date
from sitroom.errors import InputError
from sitroom.model import Claim, Document, Entity, Event, Place, Published

# The fields an analyst may correct, by kind of target.
FIELDS: Mapping[str, tuple[str, ...]] = {
    "claim": ("speaker", "modality", "polarity"),
    "event": ("type", "actors", "place"),
    "place": ("resolution",),
    "doc": ("published",),
    "link": ("status",),
    "source": ("grade", "home"),
    "ach": ("rating",),
}
RATINGS = ("CC", "C", "N", "I", "II")
# A speaker or actor the analyst names who is no entity of the document: kept by name.
ANALYST_KEY = "analyst:"
_SPAN = re.compile(r"(\d+)-(\d+)")


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    """A parsed target reference."""

    kind: str
    ref: str
    document_id: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None  # event type, link id, source name, or the ACH slug
    evidence: str | None = None  # ach: the evidence ref
    hypothesis: str | None = None  # ach: the hypothesis id


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """What re-applying one revision to a fresh analysis found."""

    revision_id: int
    state: str  # active, conflict or orphaned
    machine: str | None  # the machine's value now


def parse_target(ref: str) -> Target:
    """``claim:DOC:S-E``, ``event:DOC:S-E[:TYPE]``, ``place:DOC:S-E``, ``doc:DOC``, ``link:ID``,
    ``source:NAME`` or ``ach:SLUG:EVIDENCE-REF:HYPOTHESIS``."""
    kind, _, rest = ref.partition(":")
    bad = InputError("E053", f"cannot correct {ref!r}: name an item as {', '.join(_FORMS)}")
    if kind in ("claim", "event", "place"):
        parts = rest.split(":")
        span = _SPAN.fullmatch(parts[1]) if len(parts) >= 2 else None
        if not span or not re.fullmatch(r"[0-9a-f]{16}", parts[0]):
            raise bad
        name = parts[2] if kind == "event" and len(parts) > 2 else None
        start, end = int(span.group(1)), int(span.group(2))
        canonical = f"{kind}:{parts[0]}:{start}-{end}"
        return Target(kind=kind, ref=canonical, document_id=parts[0], start=start, end=end, name=name)
    if kind == "doc" and re.fullmatch(r"[0-9a-f]{16}", rest):
        return Target(kind="doc", ref=ref, document_id=rest)
    if kind == "link" and rest.isdigit():
        return Target(kind="link", ref=ref, name=rest)
    if kind == "source" and rest.strip():
        return Target(kind="source", ref=ref, name=rest)
    if kind == "ach":
        slug, _, tail = rest.partition(":")
        evidence, _, hypothesis = tail.rpartition(":")
        if slug and evidence and hypothesis:
            return Target(kind="ach", ref=ref, name=slug, evidence=evidence, hypothesis=hypothesis)
    raise bad


_FORMS = (
    "claim:DOC:START-END", "event:DOC:START-END", "place:DOC:START-END", "doc:DOC", "link:ID",
    "source:NAME", "ach:QUESTION:EVIDENCE-REF:HYPOTHESIS",
)  # fmt: skip


def check_field(target: Target, field: str) -> None:
    allowed = FIELDS[target.kind]
    if field not in allowed:
        raise InputError(
            "E053", f"a {target.kind} has no correctable field {field!r}: correct {', '.join(allowed)}"
        )


def check_value(target: Target, field: str, value: str) -> str:
    """The value, normalised; an invalid one is refused (E053) with what is allowed."""
    from sitroom.analyse.sources import GRADES
    from sitroom.extract.modality import MODALITIES, POLARITIES
    from sitroom.store.analysis import LINK_STATUSES

    value = value.strip()
    if not value:
        raise InputError("E053", "a correction needs a value")
    choices = {
        ("claim", "modality"): MODALITIES,
        ("claim", "polarity"): POLARITIES,
        ("link", "status"): LINK_STATUSES,
        ("source", "grade"): GRADES,
        ("ach", "rating"): RATINGS,
    }.get((target.kind, field))
    if choices is not None:
        value = value.upper() if target.kind in ("source", "ach") else value.lower()
        if value not in choices:
            raise InputError("E053", f"{field} must be one of {', '.join(choices)}, not {value!r}")
    elif (target.kind, field) == ("event", "type"):
        from sitroom.extract.events_ontology import load_ontology

        types = load_ontology().types
        if value not in types:
            raise InputError("E053", f"no event type {value!r}; types: {', '.join(sorted(types))}")
    elif (target.kind, field) == ("doc", "published"):
        try:
            check_date("published", value)
        except InputError as exc:
            raise InputError("E053", exc.message) from None
    elif field in ("resolution", "place"):
        parse_place(value)
    elif (target.kind, field) == ("source", "home"):
        from sitroom.nlp.places_home import NO_HOME, parse_home

        home = parse_home(value)
        value = home.region if home is not None else NO_HOME
    return value


def parse_place(value: str) -> tuple[str, float | None, float | None]:
    """``NAME``, ``NAME|LAT,LON`` or ``LAT,LON`` → (name, lat, lon)."""
    name, _, where = value.partition("|")
    if not where and re.fullmatch(r"\s*-?[\d.]+\s*,\s*-?[\d.]+\s*", name):
        name, where = "", name
    if not where:
        return name.strip(), None, None
    try:
        lat, lon = (float(x) for x in where.split(","))
    except ValueError:
        raise InputError("E053", f"a place is NAME, NAME|LAT,LON or LAT,LON, not {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError("E053", f"latitude must lie in [-90, 90] and longitude in [-180, 180]: {value!r}")
    return name.strip() or f"{lat:.4f}, {lon:.4f}", lat, lon


# --- items -----------------------------------------------------------------------------------------


def find_item(target: Target, layers: Mapping[str, Sequence]):
    """The claim, event or place a target names among a document's annotations (events by trigger
    span, whatever their type, since correcting the type must not lose the event)."""
    if target.kind == "claim":
        return next(
            (
                c
                for c in layers.get("claims", ())
                if (c.content_start, c.content_end) == (target.start, target.end)
            ),
            None,
        )
    if target.kind == "event":
        return next(
            (
                e
                for e in layers.get("events", ())
                if (e.trigger_start, e.trigger_end) == (target.start, target.end)
            ),
            None,
        )
    if target.kind == "place":
        return next(
            (p for p in layers.get("places", ()) if (p.start, p.end) == (target.start, target.end)), None
        )
    return None


def machine_value(item, field: str) -> str | None:
    """The value of ``field`` an item carries, as a revision records it."""
    if item is None:
        return None
    if isinstance(item, Claim):
        return getattr(item, field)
    if isinstance(item, Event):
        if field == "actors":
            return "; ".join(item.actors)
        if field == "place":
            return _place_text(item.place_name, item.lat, item.lon)
        return item.type
    if isinstance(item, Place):
        return _place_text(item.name, item.lat, item.lon)
    if isinstance(item, Published):
        return item.value
    return None


def _place_text(name: str | None, lat: float | None, lon: float | None) -> str | None:
    if name is None and lat is None:
        return None
    return f"{name or ''}|{lat:.4f},{lon:.4f}" if lat is not None and lon is not None else name


def entity_key(name: str, entities: Iterable[Entity]) -> str:
    """The key of the document's entity with this name or alias, else the name kept as the analyst's."""
    wanted = name.casefold()
    for entity in entities:
        if (
            entity.key == name
            or entity.name.casefold() == wanted
            or wanted in (a.casefold() for a in entity.aliases)
        ):
            return entity.key
    return ANALYST_KEY + name


def revise(item, field: str, value: str, *, entities: Sequence[Entity] = ()):
    """The item with the analyst's value of ``field``."""
    if isinstance(item, Claim):
        if field == "speaker":
            return dataclasses.replace(item, speaker=entity_key(value, entities))
        return dataclasses.replace(item, **{field: value})
    if isinstance(item, Event):
        if field == "type":
            from sitroom.extract.events_ontology import load_ontology

            kind = load_ontology().types[value]
            return dataclasses.replace(
                item,
                type=value,
                plover=kind.plover,
                acled_event=kind.acled_event,
                acled_subevent=kind.acled_subevent,
            )
        if field == "actors":
            names = [n.strip() for n in value.split(";") if n.strip()]
            return dataclasses.replace(item, actors=tuple(entity_key(n, entities) for n in names))
        name, lat, lon = parse_place(value)
        return dataclasses.replace(item, place_name=name, lat=lat, lon=lon, place_precision="analyst")
    if isinstance(item, Place):
        name, lat, lon = parse_place(value)
        if lat is None:
            return dataclasses.replace(item, name=name, reason=f"set by an analyst; was {item.reason}")
        return dataclasses.replace(
            item, name=name, lat=lat, lon=lon, geonames_id=None, score=1.0, reason="set by an analyst"
        )
    raise TypeError(f"cannot revise {type(item).__name__}")


def corrected_published(value: str, why: str) -> Published:
    """A publication date an analyst set: trusted, with the precision its form gives."""
    precision = {4: "year", 7: "month", 10: "day"}.get(len(value), "day")
    return Published(
        value=value, precision=precision, basis="analyst", evidence=f"set by an analyst: {why}".strip()
    )


def revise_document(doc: Document, revisions: Sequence) -> Document:
    """The document with an analyst's publication date, if one is active (so relative dates anchor on
    it when the document is processed again)."""
    for revision in revisions:
        if revision.target == f"doc:{doc.id}" and revision.field == "published":
            doc.published = corrected_published(revision.after, revision.why)
    return doc


def revise_analysis(analysis, revisions: Sequence) -> list[Outcome]:
    """Apply the document's active revisions (oldest first) to a fresh ``analysis`` in place and say,
    for each, whether the machine still gives the value it gave when the analyst corrected it."""
    outcomes: list[Outcome] = []
    for revision in revisions:
        target = parse_target(revision.target)
        if target.kind not in ("claim", "event", "place"):
            continue
        layer = {"claim": "claims", "event": "events", "place": "places"}[target.kind]
        items = getattr(analysis, layer)
        item = find_item(target, {layer: items})
        if item is None:
            outcomes.append(Outcome(revision_id=revision.id, state="orphaned", machine=None))
            continue
        now = machine_value(item, revision.field)
        state = "active" if now == revision.machine_then else "conflict"
        outcomes.append(Outcome(revision_id=revision.id, state=state, machine=now))
        revised = revise(item, revision.field, revision.after, entities=analysis.entities)
        items[items.index(item)] = revised
        if isinstance(item, Place):
            # Events placed at this toponym move with it.
            analysis.events = [
                dataclasses.replace(e, place_name=revised.name, lat=revised.lat, lon=revised.lon)
                if (e.place_start, e.place_end) == (item.start, item.end)
                else e
                for e in analysis.events
            ]
    return outcomes


def override_ratings(board, overrides: Mapping[tuple[str, str], str]):
    """The board with the analyst's ratings ((evidence ref, hypothesis) → rating) and its totals and
    ranking recomputed the way :func:`sitroom.analyse.questions.build_board` computes them."""
    from sitroom.analyse.questions import RATINGS as VALUES

    if not overrides:
        return board
    inconsistency = dict.fromkeys(board.inconsistency, 0.0)
    support = dict.fromkeys(board.support, 0.0)
    matrix = []
    for row in board.matrix:
        ratings, why = dict(row.ratings), dict(row.why)
        for hypothesis in list(ratings):
            rating = overrides.get((row.evidence.ref, hypothesis))
            if rating is not None and rating != ratings[hypothesis]:
                machine = ratings[hypothesis]
                ratings[hypothesis] = rating
                why[hypothesis] = f"set by an analyst (the machine rated it {machine}: {why.get(hypothesis, '')})"
        for hypothesis, rating in ratings.items():
            value = VALUES[rating]
            if value < 0:
                inconsistency[hypothesis] += -value * row.weight
            elif value > 0:
                support[hypothesis] += value * row.weight
        matrix.append(dataclasses.replace(row, ratings=ratings, why=why))
    inconsistency = {h: round(v, 3) for h, v in inconsistency.items()}
    support = {h: round(v, 3) for h, v in support.items()}
    ranking = sorted(inconsistency, key=lambda h: (inconsistency[h], -support[h]))
    return dataclasses.replace(board, matrix=matrix, inconsistency=inconsistency, support=support, ranking=ranking)
