"""GeoJSON (RFC 7946) of the selection's places and located events: one FeatureCollection of Points.

RFC 7946 fixes the coordinate reference system to WGS 84 and the order to [longitude, latitude]; a
``crs`` member is not allowed, so none is written. Places are the resolved toponym mentions (one
feature a mention, with its offsets); events are those whose place was resolved to coordinates.
Everything else an analyst needs to trace a point back (document, offsets, sentence, reference) is in
the feature's ``properties``; text is plain JSON strings, never markup.
"""

from __future__ import annotations

import json
from typing import TextIO

from sitroom.present.exporters.selection import Selection


def _point(lon: float, lat: float) -> dict | None:
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}


def sentence_of(place, sentences: list[tuple[int, int]]) -> tuple[int | None, int | None]:
    """The sentence around a place mention, from the sentence spans the claims and events of its
    document record (the places layer keeps none of its own); (None, None) when none covers it."""
    for start, end in sentences:
        if start <= place.start and place.end <= end:
            return start, end
    return None, None


def place_feature(doc, place, sentences: list[tuple[int, int]] = ()) -> dict | None:
    geometry = _point(place.lon, place.lat)
    if geometry is None:
        return None
    sentence_start, sentence_end = sentence_of(place, sentences)
    return {
        "type": "Feature",
        "id": f"place:{doc.id}:{place.start}-{place.end}",
        "geometry": geometry,
        "properties": {
            "kind": "place",
            "ref": f"place:{doc.id}:{place.start}-{place.end}",
            "document": doc.id,
            "title": doc.title,
            "source": doc.source,
            "start": place.start,
            "end": place.end,
            "sentence_start": sentence_start,
            "sentence_end": sentence_end,
            "text": doc.text[place.start : place.end],
            "name": place.name,
            "type": place.feature,
            "country_code": place.country_code,
            "admin1": place.admin1,
            "admin2": place.admin2,
            "geonames_id": place.geonames_id,
            "score": place.score,
            "published": doc.published.value,
            "component": place.component,
        },
    }


def event_feature(record) -> dict | None:
    event = record.event
    geometry = _point(event.lon, event.lat)
    if geometry is None:
        return None
    return {
        "type": "Feature",
        "id": record.ref,
        "geometry": geometry,
        "properties": {
            "kind": "event",
            "ref": record.ref,
            "document": record.document.id,
            "title": record.document.title,
            "source": record.document.source,
            "sentence_start": event.sentence_start,
            "sentence_end": event.sentence_end,
            "sentence": record.sentence,
            "trigger_start": event.trigger_start,
            "trigger_end": event.trigger_end,
            "name": event.place_name,
            "type": event.type,
            "plover": event.plover,
            "acled_event": event.acled_event,
            "acled_subevent": event.acled_subevent,
            "actors": list(record.actor_names),
            "targets": list(record.target_names),
            "place_precision": event.place_precision,
            "time_value": event.time_value,
            "earliest": event.earliest,
            "latest": event.latest,
            "published": record.document.published.value,
            "modality": event.modality,
            "polarity": event.polarity,
            "confidence": event.confidence,
            "corrected": list(record.corrected),
            "component": event.component,
        },
    }


def iter_features(ws, selection: Selection):
    for doc in selection.documents(ws):
        layers = ws.annotations(doc.id)
        sentences = sorted(
            {(c.sentence_start, c.sentence_end) for c in layers["claims"]}
            | {(e.sentence_start, e.sentence_end) for e in layers["events"]}
        )
        for place in layers["places"]:
            feature = place_feature(doc, place, sentences)
            if feature is not None:
                yield feature
        for record in ws.events(document=doc.id, located=True, limit=None):
            feature = event_feature(record)
            if feature is not None:
                yield feature


def write_geojson(ws, selection: Selection, handle: TextIO) -> int:
    """Write the FeatureCollection feature by feature; returns the number of features."""
    handle.write('{"type":"FeatureCollection","features":[')
    count = 0
    for feature in iter_features(ws, selection):
        handle.write(",\n" if count else "\n")
        handle.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
        count += 1
    handle.write("\n]}\n")
    return count
