"""A document's text cut into segments at annotation boundaries, for highlighting.

The text is never turned into HTML here: each segment keeps its plain text and the layers covering
it, and the template escapes the text as it writes each ``<span>``. Overlapping layers (a place inside
a claim) simply give a segment several classes; CSS shows a layer when its toggle is checked.
"""

from __future__ import annotations

from dataclasses import dataclass

LAYERS = ("entities", "places", "times", "quantities", "claims", "events")


@dataclass(frozen=True, kw_only=True, slots=True)
class Segment:
    text: str
    start: int
    layers: tuple[str, ...] = ()
    title: str = ""
    focus: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Mark:
    start: int
    end: int
    layer: str
    title: str


def marks_of(layers: dict[str, list]) -> list[Mark]:
    """The highlightable spans of a document's annotation layers (``Workspace.annotations``)."""
    names = {e.key: e.name for e in layers.get("entities", [])}
    marks = [
        Mark(
            start=m.start,
            end=m.end,
            layer="entities",
            title=f"{m.label}: {names.get(m.entity_key, m.entity_key)}",
        )
        for m in layers.get("mentions", [])
    ]
    marks += [
        Mark(
            start=p.start,
            end=p.end,
            layer="places",
            title=f"place: {p.name} ({p.lat:.3f}, {p.lon:.3f}) {p.country_code or ''}",
        )  # fmt: skip
        for p in layers.get("places", [])
    ]
    marks += [
        Mark(start=t.start, end=t.end, layer="times", title=f"time: {t.value}")
        for t in layers.get("times", [])
    ]
    marks += [
        Mark(start=q.start, end=q.end, layer="quantities", title=f"quantity: {q.counted or q.unit}")
        for q in layers.get("quantities", [])
    ]
    marks += [
        Mark(
            start=c.content_start,
            end=c.content_end,
            layer="claims",
            title=f"claim: {c.modality}, {c.polarity}",
        )
        for c in layers.get("claims", [])
    ]
    marks += [
        Mark(
            start=e.trigger_start, end=e.trigger_end, layer="events", title=f"event: {e.type} ({e.modality})"
        )
        for e in layers.get("events", [])
    ]
    return marks


def segments(text: str, marks: list[Mark], *, focus: tuple[int, int] | None = None) -> list[Segment]:
    """``text`` cut at every mark boundary; each piece knows the layers covering it."""
    size = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= size]
    cuts = {0, size}
    for mark in marks:
        cuts.update((mark.start, mark.end))
    if focus and 0 <= focus[0] < focus[1] <= size:
        cuts.update(focus)
    else:
        focus = None
    bounds = sorted(cuts)
    starts: dict[int, list[Mark]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
    active: list[Mark] = []
    out: list[Segment] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        active = [m for m in active if m.end > start] + starts.get(start, [])
        in_focus = focus is not None and focus[0] <= start and end <= focus[1]
        layers = tuple(sorted({m.layer for m in active}))
        title = "; ".join(dict.fromkeys(m.title for m in active))
        out.append(Segment(text=text[start:end], start=start, layers=layers, title=title, focus=in_focus))
    return out
