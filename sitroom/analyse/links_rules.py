"""The rules behind cross-document links: what makes two reports' type, actors, place, time and figures
compatible, and how committed a statement is to its proposition.

Pure functions over the small views :mod:`sitroom.analyse.links_items` builds; every threshold and word
list comes from ``sitroom/data/links.yaml`` (:func:`load_link_rules`). Each comparison returns a
:class:`Match` — whether the two sides are compatible, how (``"same"``, ``"contained"``, ``"near"``,
``"state"``, ``"window"``, ``"unknown"``) and a short phrase for the link's reason — so a link can say
*why* it holds, not just that it does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom import yamlfile
from sitroom.nlp.actors import acting_state
from sitroom.nlp.places import distance_km

RULES_FILE = "links.yaml"


@dataclass(frozen=True, slots=True)
class LinkRules:
    """Thresholds and lexicons read from ``sitroom/data/links.yaml``."""

    commitment: dict[str, dict[str, float]]
    negative_polarities: frozenset[str]
    factual: float
    counter: float
    type_groups: tuple[frozenset[str], ...]
    type_families: dict[str, str]
    state_prefixes: frozenset[str]
    person_types: frozenset[str]
    near_km: float
    area_precisions: frozenset[str]
    lookback_days: int
    horizon_days: int
    families: dict[str, str]  # counted word or phrase -> family
    outcomes: dict[str, str]  # word -> outcome
    tolerance_exact: float
    tolerance_approx: float
    contrast_markers: tuple[str, ...]
    rebuttal_cues: frozenset[str]
    rebuttal_reach: int
    min_containment: float
    min_shared_terms: int
    claim_stopwords: frozenset[str]
    agree_min: float
    disagree_min: float
    scores: dict[str, float]
    min_score: float
    min_score_contradicts: float


@lru_cache(maxsize=1)
def load_link_rules() -> LinkRules:
    """The link rules shipped with sitroom (read once)."""
    text = (resources.files("sitroom") / "data" / RULES_FILE).read_text(encoding="utf-8")
    return parse_link_rules(yamlfile.safe_load(text))


def parse_link_rules(data: dict[str, Any]) -> LinkRules:
    """Build :class:`LinkRules` from the parsed YAML mapping."""
    measures = data["measures"]
    families = {str(word).lower(): family for family, words in measures["families"].items() for word in words}
    outcomes = {
        str(word).lower(): outcome for outcome, words in measures["outcomes"].items() for word in words
    }
    claims = data["claims"]
    return LinkRules(
        commitment={k: {m: float(v) for m, v in row.items()} for k, row in data["commitment"].items()},
        negative_polarities=frozenset(data["negative_polarities"]),
        factual=float(data["factual"]),
        counter=float(data["counter"]),
        type_groups=tuple(frozenset(group) for group in data["compatible_types"]),
        type_families=dict(data["type_families"]),
        state_prefixes=frozenset(data["state_prefixes"]),
        person_types=frozenset(data["person_types"]),
        near_km=float(data["place"]["near_km"]),
        area_precisions=frozenset(data["place"]["area_precisions"]),
        lookback_days=int(data["time"]["lookback_days"]),
        horizon_days=int(data["time"]["horizon_days"]),
        families=families,
        outcomes=outcomes,
        tolerance_exact=float(measures["tolerance_exact"]),
        tolerance_approx=float(measures["tolerance_approx"]),
        contrast_markers=tuple(str(m).lower() for m in data["contrast_markers"]),
        rebuttal_cues=frozenset(data["rebuttal_cues"]),
        rebuttal_reach=int(data["rebuttal_reach"]),
        min_containment=float(claims["min_containment"]),
        min_shared_terms=int(claims["min_shared_terms"]),
        claim_stopwords=frozenset(str(w).lower() for w in claims["stopwords"]),
        agree_min=float(data["stance"]["agree_min"]),
        disagree_min=float(data["stance"]["disagree_min"]),
        scores={k: float(v) for k, v in data["scores"].items()},
        min_score=float(data["min_score"]),
        min_score_contradicts=float(data["min_score_contradicts"]),
    )


# --- views ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceView:
    """Where an event happened, as far as the text says: a point or an area."""

    name: str
    lat: float | None
    lon: float | None
    precision: str | None = None  # country, admin1, admin2, region, city, point …
    country: str | None = None  # ISO 3166 alpha-2, as the gazetteer gives it
    admin1: str | None = None


@dataclass(frozen=True, slots=True)
class TimeView:
    """When: an ISO date interval (``None`` = unbounded) and how it was known.

    ``basis`` is ``"stated"`` (a time expression of the event), ``"window"`` (read from the
    publication date: an undated report of a past event happened shortly before it) or ``"unknown"``.
    """

    earliest: str | None
    latest: str | None
    basis: str = "unknown"


@dataclass(frozen=True, slots=True)
class EventView:
    """What links need of one event: type, actors and their states, place, time, commitment."""

    ref: str
    type: str
    actors: frozenset[str]
    states: frozenset[str]  # ISO alpha-3 codes the actors act for
    targets: frozenset[str]
    place: PlaceView | None
    time: TimeView
    commitment: float
    trigger: str


@dataclass(frozen=True, slots=True)
class Measure:
    """One figure: ``name`` is "<outcome>:<family>" ("killed:combatants"), with its interval."""

    name: str
    low: float | None
    high: float | None
    approx: bool
    text: str
    start: int = -1  # offset of the figure in its document: one figure seen by two items is one


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of one comparison: compatible or not, how, and in words."""

    ok: bool
    how: str
    phrase: str = ""


# --- commitment ----------------------------------------------------------------------------------


def assess_commitment(polarity: str, modality: str, *, rules: LinkRules | None = None) -> float:
    """How strongly a statement commits to its proposition, in [-1, 1] (FactBank-style)."""
    rules = rules or load_link_rules()
    row = rules.commitment["negative" if polarity in rules.negative_polarities else "affirm"]
    return row.get(modality, 0.0)


def describe_commitment(value: float, rules: LinkRules) -> str:
    if value >= rules.factual:
        return "affirms"
    if value <= rules.counter:
        return "denies"
    return "hedges"


# --- type and actors -----------------------------------------------------------------------------


def compare_types(a: str, b: str, rules: LinkRules) -> Match:
    if a == b:
        return Match(True, "same", a)
    if any(a in group and b in group for group in rules.type_groups):
        return Match(True, "compatible", f"{a} ~ {b}")
    return Match(False, "different", f"{a} vs {b}")


def family_of(event_type: str, rules: LinkRules) -> str:
    return rules.type_families.get(event_type, event_type)


def state_of(actor_id: str, rules: LinkRules) -> str | None:
    """The state an actor id acts for ("mil/RUS/aerospace-forces" → RUS), from its prefix."""
    return acting_state(actor_id, rules.state_prefixes)


def compare_actors(a: EventView, b: EventView, rules: LinkRules) -> Match:
    if not a.actors or not b.actors:
        return Match(True, "unknown", "actor unknown on one side")
    shared = a.actors & b.actors
    if shared:
        return Match(True, "same", f"actor {sorted(shared)[0]}")
    states = a.states & b.states
    if states:
        return Match(True, "state", f"actors act for {sorted(states)[0]}")
    return Match(False, "different", f"actors {sorted(a.actors)[0]} vs {sorted(b.actors)[0]}")


# --- place ---------------------------------------------------------------------------------------


def compare_places(
    a: PlaceView | None,
    b: PlaceView | None,
    rules: LinkRules,
    *,
    countries_a: frozenset[str] = frozenset(),
    countries_b: frozenset[str] = frozenset(),
) -> Match:
    """Same place, one containing the other, or within ``near_km``; unknown is compatible unless the
    countries each statement names are disjoint."""
    if a is None or b is None:
        side_a = countries_a | ({a.country} if a and a.country else set())
        side_b = countries_b | ({b.country} if b and b.country else set())
        if side_a and side_b and not side_a & side_b:
            return Match(False, "different", f"countries {sorted(side_a)[0]} vs {sorted(side_b)[0]}")
        return Match(True, "unknown", "place unknown on one side")
    if a.name == b.name or (
        a.lat is not None and b.lat is not None and distance_km(a.lat, a.lon, b.lat, b.lon) < 1.0
    ):
        return Match(True, "same", f"both in {a.name}")
    for outer, inner in ((a, b), (b, a)):
        if outer.precision in rules.area_precisions and _contains(outer, inner):
            return Match(True, "contained", f"{inner.name} is in {outer.name}")
    if a.lat is not None and b.lat is not None:
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        if km <= rules.near_km and a.precision not in rules.area_precisions:
            return Match(True, "near", f"{a.name} and {b.name} are {km:.0f} km apart")
        return Match(False, "different", f"{a.name} vs {b.name} ({km:.0f} km apart)")
    return Match(False, "different", f"{a.name} vs {b.name}")


def _contains(outer: PlaceView, inner: PlaceView) -> bool:
    if outer.precision == "country":
        return inner.country is not None and inner.country == outer.country
    if outer.admin1 and inner.admin1 and outer.country == inner.country:
        return outer.admin1 == inner.admin1 or outer.name == inner.admin1
    return outer.name == inner.admin1 and outer.country == inner.country


# --- time ----------------------------------------------------------------------------------------


def compare_times(a: TimeView, b: TimeView) -> Match:
    """Intervals overlap (an unbounded side always does)."""
    if a.basis == "unknown" or b.basis == "unknown":
        return Match(True, "unknown", "date unknown on one side")
    lo = max((t for t in (a.earliest, b.earliest) if t), default=None)
    hi = min((t for t in (a.latest, b.latest) if t), default=None)
    how = "stated" if a.basis == b.basis == "stated" else "window"
    if lo is None or hi is None or lo <= hi:
        return Match(True, how, _describe_overlap(a, b, how))
    return Match(False, "different", f"{_span(a)} vs {_span(b)}")


def _span(t: TimeView) -> str:
    if t.earliest == t.latest:
        return t.earliest or "?"
    return f"{t.earliest or '…'}..{t.latest or '…'}"


def _describe_overlap(a: TimeView, b: TimeView, how: str) -> str:
    if how == "stated":
        return f"dates {_span(a)} and {_span(b)} overlap"
    return f"report dates {_span(a)} and {_span(b)} overlap"


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# --- figures -------------------------------------------------------------------------------------


def compare_measures(a: Measure, b: Measure, rules: LinkRules) -> Match:
    """Two figures of one measure conflict when their intervals, widened by the tolerance, are apart."""
    lo_a, hi_a = _widened(a, rules)
    lo_b, hi_b = _widened(b, rules)
    if hi_a < lo_b or hi_b < lo_a:
        return Match(
            False,
            "conflict",
            f"{a.text} vs {b.text} ({a.name}: {_interval(a)} and {_interval(b)} do not overlap)",
        )
    return Match(True, "overlap", f"{a.text} and {b.text} agree on {a.name}")


def _widened(m: Measure, rules: LinkRules) -> tuple[float, float]:
    tol = rules.tolerance_approx if m.approx else rules.tolerance_exact
    low = m.low if m.low is not None else 0.0
    high = m.high if m.high is not None else math.inf
    return low * (1 - tol), high * (1 + tol)


def _interval(m: Measure) -> str:
    low = "0" if m.low is None else f"{m.low:g}"
    high = "∞" if m.high is None else f"{m.high:g}"
    return f"[{low}, {high}]" + ("≈" if m.approx else "")
