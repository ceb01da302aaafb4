"""The report's figures, drawn offline with matplotlib: a timeline and a map over a bundled basemap.

Nothing is fetched: the map's land is Natural Earth 1:110m countries (``sitroom/data/basemap/``, built
by ``scripts/build_basemap.py``), drawn in plain longitude/latitude with the aspect corrected for the
map's middle latitude (an equirectangular view: honest enough for a regional overview, and no
projection library needed). matplotlib is used through its object API (``Figure`` with the Agg
canvas), never ``pyplot``, so reports leave no global plotting state behind and need no display.
"""

from __future__ import annotations

import io
import json
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from sitroom.present.reports.contents import Figure

BASEMAP = "countries-110m.geojson"
WIDTH_IN, DPI = 7.2, 150
# Tones of evidence relative to the leading hypothesis, and of other timeline items.
COLOURS = {
    "for": "#2e7d32",
    "against": "#c62828",
    "neutral": "#757575",
    "event": "#1565c0",
    "document": "#6d4c41",
}
MAX_LABELS = 10  # place names written on the map; more would be unreadable at 1:110m


@dataclass(frozen=True, kw_only=True, slots=True)
class TimelinePoint:
    when: str  # ISO date at any precision: 2016, 2016-03, 2016-03-14
    until: str | None  # the end of an interval, when the date is one
    lane: str  # the row it is drawn on (an indicator, an event type)
    tone: str  # a key of COLOURS
    size: float = 1.0  # relative marker size (an ACH weight)


@dataclass(frozen=True, kw_only=True, slots=True)
class MapPoint:
    lat: float
    lon: float
    name: str
    kind: str  # "event" or "place"
    count: int = 1


def _period(value: str) -> tuple[date, date] | None:
    """First and last day of an ISO date at year, month or day precision (None when unreadable)."""
    try:
        parts = value[:10].split("-")
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date(year, month, 1), nxt - timedelta(days=1)
        day = date(year, month, int(parts[2]))
        return day, day
    except (ValueError, IndexError):
        return None


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    # Fixed metadata: the same report twice gives the same bytes (no creation time, no version).
    fig.savefig(
        buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.05
    )
    return buffer.getvalue()


def timeline_figure(points: Sequence[TimelinePoint], *, title: str, caption: str) -> Figure:
    """Dated items on lanes: a dot for a day, a bar across a longer period (a month, a year)."""
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure as MplFigure

    placed = [(p, _period(p.when), _period(p.until) if p.until else None) for p in points]
    placed = [(p, span, end) for p, span, end in placed if span is not None]
    lanes = list(dict.fromkeys(p.lane for p, _, _ in placed))
    height = 1.1 + 0.42 * max(len(lanes), 1)
    fig = MplFigure(figsize=(WIDTH_IN, min(height, 7.5)), layout="constrained")
    ax = fig.add_subplot()
    if not placed:
        ax.text(0.5, 0.5, "no dated items", ha="center", va="center", transform=ax.transAxes, color="#757575")
        ax.set_axis_off()
        return Figure(name="timeline", title=title, caption=caption, png=_png(fig))
    for p, (first, last), end in placed:
        if end is not None and end[1] > last:
            last = end[1]
        y = lanes.index(p.lane)
        colour = COLOURS.get(p.tone, COLOURS["neutral"])
        middle = first + (last - first) / 2
        if last > first:
            ax.plot([first, last], [y, y], color=colour, alpha=0.35, linewidth=3, solid_capstyle="butt")
        ax.scatter([middle], [y], s=18 + 50 * max(p.size, 0.1), color=colour, alpha=0.8, edgecolors="white",
                   linewidths=0.5, zorder=3)  # fmt: skip
    ax.set_yticks(range(len(lanes)), labels=[_wrap(lane) for lane in lanes], fontsize=7)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.invert_yaxis()
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    tones = list(dict.fromkeys(p.tone for p, _, _ in placed))
    legend = {"for": "consistent with the leader", "against": "inconsistent with the leader",
              "neutral": "neutral", "event": "event", "document": "document"}  # fmt: skip
    handles = [
        ax.scatter([], [], s=30, color=COLOURS[t], label=legend.get(t, t)) for t in tones if t in COLOURS
    ]
    if handles:
        ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return Figure(name="timeline", title=title, caption=caption, png=_png(fig))


def _wrap(label: str, width: int = 30, lines: int = 2) -> str:
    """A lane's label on at most two lines: indicator labels are sentences."""
    parts = textwrap.wrap(label, width) or [""]
    if len(parts) > lines:
        parts = parts[: lines - 1] + [_short(" ".join(parts[lines - 1 :]), width)]
    return "\n".join(parts)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cache
def basemap() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every outer and inner ring of the bundled countries, as (lon, lat) tuples."""
    text = (resources.files("sitroom") / "data" / "basemap" / BASEMAP).read_text(encoding="utf-8")
    rings = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        for polygon in polygons:
            rings.extend(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
    return tuple(rings)


def _extent(points: Sequence[MapPoint]) -> tuple[float, float, float, float]:
    """(west, east, south, north) around the points, padded, at least 24° wide, clipped to the world."""
    if not points:
        return -180.0, 180.0, -60.0, 85.0
    lons = [p.lon for p in points]
    lats = [p.lat for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad = max(4.0, 0.15 * max(east - west, north - south))
    west, east, south, north = west - pad, east + pad, south - pad, north + pad
    # A landscape frame (display width 1.6–2 × height once the aspect is corrected) keeps the page
    # layout stable: widen a tall selection, heighten a flat one.
    middle = (south + north) / 2
    shrink = math.cos(math.radians(max(min(middle, 70), -70)))
    width = max(east - west, 24.0, 1.6 * (north - south) / shrink)
    centre = (west + east) / 2
    west, east = centre - width / 2, centre + width / 2
    wanted = width * shrink / 2.0
    if north - south < wanted:
        south, north = middle - wanted / 2, middle + wanted / 2
    return max(west, -180.0), min(east, 180.0), max(south, -85.0), min(north, 85.0)


def map_figure(points: Sequence[MapPoint], *, title: str, caption: str) -> Figure:
    """Events and places as points over the bundled basemap; the largest places are named."""
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure as MplFigure

    # Frame the events when there are any: they are the theatre; places mentioned in passing (a capital,
    # a visiting delegation's home) would otherwise zoom the map out to the whole world.
    events_only = [p for p in points if p.kind == "event"]
    west, east, south, north = _extent(events_only or points)
    outside = sum(1 for p in points if not (west <= p.lon <= east and south <= p.lat <= north))
    if outside:
        caption += f" {outside} place{'s' if outside != 1 else ''} mentioned outside the frame {'are' if outside != 1 else 'is'} not drawn."
    middle = (south + north) / 2
    aspect = 1 / max(math.cos(math.radians(middle)), 0.2)
    height = WIDTH_IN * (north - south) * aspect / (east - west) + 0.4
    fig = MplFigure(figsize=(WIDTH_IN, max(min(height, 6.5), 2.4)), layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor("#dbe9f4")
    rings = [ring for ring in basemap() if _touches(ring, west, east, south, north)]
    ax.add_collection(PolyCollection(rings, facecolors="#f4f1ea", edgecolors="#9e9e9e", linewidths=0.4))
    places = [p for p in points if p.kind == "place"]
    events = [p for p in points if p.kind == "event"]
    if places:
        ax.scatter([p.lon for p in places], [p.lat for p in places], s=[8 + 6 * min(p.count, 10) for p in places],
                   color="#616161", alpha=0.55, edgecolors="none", label="places mentioned", zorder=3)  # fmt: skip
    if events:
        ax.scatter([p.lon for p in events], [p.lat for p in events], s=[20 + 10 * min(p.count, 10) for p in events],
                   color="#c62828", alpha=0.8, marker="D", edgecolors="white", linewidths=0.5,
                   label="events located", zorder=4)  # fmt: skip
    # Name the most mentioned points first, skipping any too close to one already named: at this
    # scale neighbouring names (Latakia, Tartus, Syria) would print over each other.
    near = 0.05 * (east - west)
    named: dict[str, MapPoint] = {}
    for p in sorted(points, key=lambda p: (-p.count, p.kind != "event", p.name)):
        if len(named) >= MAX_LABELS or p.name in named:
            continue
        if not (west <= p.lon <= east and south <= p.lat <= north):
            continue
        if any(abs(p.lon - q.lon) < near and abs(p.lat - q.lat) < near / 2 for q in named.values()):
            continue
        named[p.name] = p
    for p in named.values():
        ax.annotate(_short(p.name, 24), (p.lon, p.lat), xytext=(4, 3), textcoords="offset points", fontsize=7,
                    color="#212121", zorder=5)  # fmt: skip
    if not points:
        ax.text(0.5, 0.5, "no located places or events", ha="center", va="center", transform=ax.transAxes,
                color="#424242", fontsize=9)  # fmt: skip
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(aspect)
    ax.tick_params(labelsize=6, colors="#757575")
    if places or events:
        ax.legend(fontsize=7, loc="lower left", framealpha=0.85)
    ax.text(0.995, 0.005, "Basemap: Natural Earth 1:110m", ha="right", va="bottom", transform=ax.transAxes,
            fontsize=5.5, color="#616161")  # fmt: skip
    return Figure(name="map", title=title, caption=caption, png=_png(fig))


def _touches(ring, west: float, east: float, south: float, north: float) -> bool:
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    return max(xs) >= west and min(xs) <= east and max(ys) >= south and min(ys) <= north
