"""Read TimeML ``.tml`` files and score time expressions the TempEval-3 way.

The scorer follows the TempEval-3 toolkit (``evaluate_entities.py`` in UzZaman's TE3 tools):

* strict match: same extent; relaxed match: the extents overlap (one-to-one);
* type and value accuracy are counted over the relaxed matches;
* *value F1* (the task's headline timex figure) = value accuracy x relaxed F1, which equals the F1 of
  relaxed matches that also carry the right value, since one-to-one matches count the same on the
  precision and the recall side.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_DCT_VALUE = re.compile(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(slots=True)
class TimeMLDoc:
    name: str
    text: str
    dct: date | None
    timexes: list[GoldTimex] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Guess:
    """A system's time expression: offsets into the document text, TIMEX3 type and value."""

    start: int
    end: int
    type: str
    value: str


def read_timeml(path: Path) -> TimeMLDoc:
    """Parse one ``.tml`` file: plain text of ``<TEXT>``, its TIMEX3s (not the DCT), and the DCT date."""
    raw = path.read_text(encoding="utf-8")
    match = _DCT_VALUE.search(raw)
    dct = None
    if match:
        try:
            dct = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            dct = None
    body_start = raw.index("<TEXT>") + len("<TEXT>")
    body = raw[body_start : raw.index("</TEXT>")]
    parts: list[str] = []
    length = 0
    timexes: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name = tag[1] == "/", tag[2]
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(tag[3])))
        elif open_timex is not None:
            start, attrs = open_timex
            open_timex = None
            if attrs.get("functionInDocument") == "CREATION_TIME":
                continue
            text = "".join(parts)[start:length]
            if text.strip():
                timexes.append(GoldTimex(start, length, attrs.get("type", ""), attrs.get("value", ""), text))
    parts.append(html.unescape(body[pos:]))
    return TimeMLDoc(path.name, "".join(parts), dct, timexes)


def read_corpus(folder: Path) -> list[TimeMLDoc]:
    """Every ``.tml`` file under ``folder``, sorted by path so runs are comparable."""
    return [read_timeml(p) for p in sorted(folder.rglob("*.tml"))]


@dataclass(slots=True)
class Tally:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Tally) -> None:
        for name in ("gold", "system", "strict", "relaxed", "type_ok", "value_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def metrics(self) -> dict[str, float]:
        """Strict/relaxed P/R/F1, type and value accuracy, type and value F1 (TE3 definitions)."""

        def ratio(a: float, b: float) -> float:
            return a / b if b else 0.0

        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        out: dict[str, float] = {}
        for kind, hits in (("strict", self.strict), ("relaxed", self.relaxed)):
            p, r = ratio(hits, self.system), ratio(hits, self.gold)
            out[f"{kind}_p"], out[f"{kind}_r"], out[f"{kind}_f1"] = p, r, f1(p, r)
        out["type_acc"] = ratio(self.type_ok, self.relaxed)
        out["value_acc"] = ratio(self.value_ok, self.relaxed)
        out["type_f1"] = out["type_acc"] * out["relaxed_f1"]
        out["value_f1"] = out["value_acc"] * out["relaxed_f1"]
        return out


def pair_overlaps(gold: Sequence[GoldTimex], guesses: Sequence[Guess]) -> list[tuple[GoldTimex, Guess]]:
    """One-to-one relaxed matches: each gold timex pairs with the unused guess overlapping it most."""
    pairs = []
    used: set[int] = set()
    for g in gold:
        best, best_overlap = None, 0
        for i, s in enumerate(guesses):
            if i in used:
                continue
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is not None:
            used.add(best)
            pairs.append((g, guesses[best]))
    return pairs


def score_document(gold: Sequence[GoldTimex], guesses: Iterable[Guess]) -> Tally:
    """Count the matches of one document's guesses against its gold timexes."""
    guesses = list(guesses)
    tally = Tally(gold=len(gold), system=len(guesses))
    for g, s in pair_overlaps(gold, guesses):
        tally.relaxed += 1
        tally.strict += (g.start, g.end) == (s.start, s.end)
        tally.type_ok += g.type == s.type
        tally.value_ok += g.value == s.value
    return tally
