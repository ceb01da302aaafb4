"""PLOVER JSONL: one record a line per event with a named actor and a date, following the PLOVER
manual's JSON data fields (required: id, date, actor, event; optional: recipient, mode, context,
event_loc, event_text, quad_code, size, text, text_info, cite_info, coder, comment).

Categories and modes come from the event type (sitroom/data/events.yaml); the rest of the mapping is
in sitroom/data/exports/plover.yaml and docs/exports.md. PLOVER codes events with a named source
actor only, so events without one are left out, as are undated events.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import TextIO

import yaml

from sitroom import __version__
from sitroom.present.exporters.acled import country_of, event_date, fatalities
from sitroom.present.exporters.selection import Selection


@dataclass(frozen=True, kw_only=True)
class PloverRules:
    quad: dict[str, int]
    context_by_modality: dict[str, str]
    context_by_polarity: dict[str, str]
    sector_by_prefix: dict[str, str]
    dead_roles: frozenset[str]


@functools.cache
def load_rules() -> PloverRules:
    data = yaml.safe_load(
        (resources.files("sitroom") / "data" / "exports" / "plover.yaml").read_text("utf-8")
    )
    return PloverRules(
        quad=dict(data["quad"]),
        context_by_modality=dict(data["context_by_modality"]),
        context_by_polarity=dict(data["context_by_polarity"]),
        sector_by_prefix=dict(data["sector_by_prefix"]),
        dead_roles=frozenset(data["dead_roles"]),
    )


def categories() -> tuple[str, ...]:
    """The manual's 16 event categories, AGREE … ASSAULT."""
    return tuple(load_rules().quad)


def actor_object(key: str, name: str, country: str | None, text: str | None, rules: PloverRules) -> dict:
    """PLOVER's actor object: country code, sector, the text as written and the resolved identity."""
    prefix = key.split("/", 1)[0]
    return {
        "code": country,
        "sector": rules.sector_by_prefix.get(prefix),
        "actor_text": text if text is not None else name,
        "identifier_id": None if key.startswith("span:") else key,
        "identifier_text": name,
    }


def location_object(event, place) -> dict | None:
    """PLOVER's location object (GeoNames field names) for the event's resolved place."""
    if event.lat is None or event.lon is None:
        return None
    country = country_of(place.country_code) if place else None
    return {
        "geonameid": place.geonames_id if place else None,
        "name": event.place_name,
        "latitude": event.lat,
        "longitude": event.lon,
        "country code": place.country_code if place else None,
        "cc3": country["iso3"] if country else None,
        "population": place.population if place else None,
        "precision": event.place_precision,
    }


def plover_record(record, place, entities: dict, mentions_text: dict, rules: PloverRules) -> dict | None:
    """The PLOVER record of an event (views.EventRecord), or None when PLOVER would not code it."""
    event, doc = record.event, record.document
    category, _, mode = (event.plover or "").partition(".")
    if category not in rules.quad or not event.actors:
        return None
    dated = event_date(event, doc.published.value)
    if dated is None:
        return None
    day, _precision, basis = dated
    context = [
        c
        for c in (
            rules.context_by_modality.get(event.modality),
            rules.context_by_polarity.get(event.polarity),
        )
        if c
    ]

    def actors(keys, names) -> list[dict]:
        return [
            actor_object(k, n, entities.get(k), mentions_text.get(k), rules)
            for k, n in zip(keys, names, strict=False)
        ]

    out = {
        "id": record.ref,
        "date": day,
        "enddate": event.latest[:10] if event.latest and basis == "event" and event.latest[:10] != day else None,
        "actor": actors(event.actors, record.actor_names),
        "recipient": actors(event.targets, record.target_names),
        "event": category,
        "mode": mode or None,
        "context": context,
        "quad_code": rules.quad[category],
        "event_loc": location_object(event, place),
        "event_text": [record.trigger],
        "size": {"dead": dead} if (dead := fatalities(event, rules.dead_roles)) else None,
        "text": record.sentence,
        "text_info": {"start": event.sentence_start, "end": event.sentence_end,
                      "trigger_start": event.trigger_start, "trigger_end": event.trigger_end},
        "cite_info": {"corpus": "sitroom workspace", "citation": doc.id, "url": doc.url, "title": doc.title,
                      "language": doc.language, "publication": doc.source, "coder": f"sitroom {__version__} {event.component}",
                      "codebook": "PLOVER 2.0 via sitroom/data/events.yaml"},
        "coder": f"sitroom {__version__}",
        "comment": f"{event.why} (date from the {basis}; modality {event.modality}, polarity {event.polarity})",
    }  # fmt: skip
    return {k: v for k, v in out.items() if v is not None}


def iter_records(ws, selection: Selection):
    rules = load_rules()
    for doc_id in selection.ids:
        records = ws.events(document=doc_id, limit=None)
        if not records.items:
            continue
        doc = ws.document(doc_id)
        layers = ws.annotations(doc_id)
        places = {(p.start, p.end): p for p in layers["places"]}
        entities = {e.key: e.country for e in layers["entities"]}
        first_text: dict[str, str] = {}
        for mention in layers["mentions"]:
            first_text.setdefault(mention.entity_key, doc.text[mention.start : mention.end])
        for record in records:
            event = record.event
            found = plover_record(
                record, places.get((event.place_start, event.place_end)), entities, first_text, rules
            )
            if found is not None:
                yield found


def write_plover(ws, selection: Selection, handle: TextIO) -> int:
    count = 0
    for record in iter_records(ws, selection):
        handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        handle.write("\n")
        count += 1
    return count
