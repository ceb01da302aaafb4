"""Link items as JSON text, so a document's items are built once, when it is linked, and stored.

A candidate for a new document's links is then one indexed read of its stored items instead of its
annotations read from six tables and its items rebuilt (what made the cross-document update's cost
grow with the workspace: on a large one, the candidates are rarely the recent documents a cache
holds). The text is one line per item, its ref, a tab and the item as plain JSON (never pickle: a
workspace may come from someone else), each dataclass written as the list of its field values in field
order, so the decoded items are equal to the built ones field for field. A line is parsed only when its
item is wanted (:class:`StoredItems`): a candidate shares keys through a few of its items. Text written
as one JSON list of all the items (before) is read as well.

:func:`items_version` names what built the stored items: :func:`make_items` (its own version and the
links version, which every change to link items bumps) and the link rules it reads
(``sitroom/data/links.yaml``, by its digest). Items stored under another version are rebuilt
from the annotations when read, and stored again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container
from dataclasses import fields
from functools import cache
from importlib import resources
from typing import Any

from sitroom.analyse.links import LINKS_VERSION
from sitroom.analyse.links_items import Item
from sitroom.analyse.links_rules import RULES_FILE, EventView, Measure, PlaceView, TimeView
from sitroom.model import Claim, Event

# v1: the items of sitroom.analyse.links_items as of links.v3 (described speakers' origins). A change to
# make_items that changes its output is a new version (stored items of the old one are rebuilt when
# read); the links version is part of the stored version too, so a links bump alone also rebuilds.
ITEMS_BUILDER = "items.v1"

_CLAIM = tuple(f.name for f in fields(Claim))
_EVENT = tuple(f.name for f in fields(Event))
_CLAIM_TUPLES = frozenset({"via"})
_EVENT_TUPLES = frozenset({"actors", "targets", "quantities"})


@cache
def items_version() -> str:
    """The version stored items are checked against: the builder, the links version, the rules' digest."""
    rules = (resources.files("sitroom") / "data" / RULES_FILE).read_bytes()
    return f"{ITEMS_BUILDER}+{LINKS_VERSION}+{hashlib.sha256(rules).hexdigest()[:12]}"


def encode_items(items: list[Item]) -> str:
    """One document's items as text, a line each (:func:`decode_items` gives them back equal)."""
    # JSON escapes line breaks inside strings, and a ref holds no tab or line break: one line, one item.
    return "\n".join(
        f"{i.ref}\t{json.dumps(_item(i), ensure_ascii=False, separators=(',', ':'))}" for i in items
    )


def decode_items(text: str) -> list[Item]:
    """The items :func:`encode_items` wrote."""
    return StoredItems.decode(text).wanted(None)


class StoredItems:
    """One document's items, each parsed and built from its stored line the first time it is wanted.

    A candidate document shares blocking keys with the new one through a few of its items only, and
    parsing and building every item of every candidate (frozen dataclasses, sets, nested views) was
    most of the cost of reading them."""

    __slots__ = ("_items", "_refs", "_rows")

    def __init__(self, refs: list[str], rows: list[str | list[Any]]) -> None:
        self._refs = refs
        self._rows = rows  # each item's JSON text, or its parsed row
        self._items: list[Item | None] = [None] * len(rows)

    @classmethod
    def decode(cls, text: str) -> StoredItems:
        """The items :func:`encode_items` wrote, none parsed yet."""
        if text.startswith("["):  # one JSON list of rows, as written before
            rows = json.loads(text)
            return cls([row[0] for row in rows], rows)
        lines = [line.partition("\t") for line in text.split("\n")] if text else []
        return cls([ref for ref, _, _ in lines], [row for _, _, row in lines])

    @classmethod
    def built(cls, items: list[Item]) -> StoredItems:
        """Items already built (a document just linked)."""
        stored = cls([i.ref for i in items], [None] * len(items))
        stored._items = list(items)
        return stored

    def wanted(self, refs: Container[str] | None) -> list[Item]:
        """The items whose ref is in ``refs`` (all of them with None), in the document's order."""
        found = []
        for index, ref in enumerate(self._refs):
            if refs is not None and ref not in refs:
                continue
            item = self._items[index]
            if item is None:
                row = self._rows[index]
                item = self._items[index] = _read_item(json.loads(row) if isinstance(row, str) else row)
            found.append(item)
        return found


# --- writing -------------------------------------------------------------------------------------


def _item(i: Item) -> list[Any]:
    return [
        i.ref, i.kind, i.document_id, i.source, i.published, i.duplicate_of, i.origin,
        _claim(i.claim), _event(i.event), i.text, i.speaker_name, sorted(i.entity_ids), sorted(i.countries),
        list(i.span), list(i.sentence), i.speaker, i.commitment, [_view(v) for v in i.events],
        [_measure(m) for m in i.measures], sorted(i.terms), _time(i.window),
        [list(pair) for pair in i.rebuts],
    ]  # fmt: skip


def _claim(claim: Claim | None) -> list[Any] | None:
    return None if claim is None else _values(claim, _CLAIM, _CLAIM_TUPLES)


def _event(event: Event | None) -> list[Any] | None:
    return None if event is None else _values(event, _EVENT, _EVENT_TUPLES)


def _values(obj: object, names: tuple[str, ...], tuples: frozenset[str]) -> list[Any]:
    return [list(getattr(obj, n)) if n in tuples else getattr(obj, n) for n in names]


def _view(v: EventView) -> list[Any]:
    place = None if v.place is None else [v.place.name, v.place.lat, v.place.lon, v.place.precision,
                                         v.place.country, v.place.admin1]  # fmt: skip
    return [v.ref, v.type, sorted(v.actors), sorted(v.states), sorted(v.targets), place, _time(v.time),
            v.commitment, v.trigger]  # fmt: skip


def _time(t: TimeView) -> list[Any]:
    return [t.earliest, t.latest, t.basis]


def _measure(m: Measure) -> list[Any]:
    return [m.name, m.low, m.high, m.approx, m.text, m.start]


# --- reading -------------------------------------------------------------------------------------


def _read_item(row: list[Any]) -> Item:
    (ref, kind, document_id, source, published, duplicate_of, origin, claim, event, text, speaker_name,
     entity_ids, countries, span, sentence, speaker, commitment, views, measures, terms, window,
     rebuts) = row  # fmt: skip
    return Item(
        ref=ref,
        kind=kind,
        document_id=document_id,
        source=source,
        published=published,
        duplicate_of=duplicate_of,
        origin=origin,
        claim=None if claim is None else Claim(**_fields(_CLAIM, claim, _CLAIM_TUPLES)),
        event=None if event is None else Event(**_fields(_EVENT, event, _EVENT_TUPLES)),
        text=text,
        speaker_name=speaker_name,
        entity_ids=frozenset(entity_ids),
        countries=frozenset(countries),
        span=tuple(span),
        sentence=tuple(sentence),
        speaker=speaker,
        commitment=commitment,
        events=tuple(_read_view(v) for v in views),
        measures=tuple(Measure(*m) for m in measures),
        terms=frozenset(terms),
        window=TimeView(*window),
        rebuts=tuple(tuple(pair) for pair in rebuts),
    )


def _fields(names: tuple[str, ...], values: list[Any], tuples: frozenset[str]) -> dict[str, Any]:
    return {n: tuple(v) if n in tuples else v for n, v in zip(names, values, strict=True)}


def _read_view(row: list[Any]) -> EventView:
    ref, kind, actors, states, targets, place, time, commitment, trigger = row
    return EventView(
        ref=ref,
        type=kind,
        actors=frozenset(actors),
        states=frozenset(states),
        targets=frozenset(targets),
        place=None if place is None else PlaceView(*place),
        time=TimeView(*time),
        commitment=commitment,
        trigger=trigger,
    )
