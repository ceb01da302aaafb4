"""Analyst questions: hypotheses, indicators as declarative matches, and the ACH matrix.

A question file (YAML, docs/questions.md) names competing hypotheses and indicators. An indicator
matches claims or events (by type, actor, speaker, modality, polarity, country, keywords) and says which
hypotheses its evidence supports or weakens. Matching is per document and pure (:func:`match_document`),
so a new document only adds its own evidence; the board and the ACH matrix are computed from stored
evidence (:func:`build_board`).

Ratings follow Heuer's analysis of competing hypotheses: each piece of evidence is consistent (C, CC),
inconsistent (I, II) or neutral (N) with each hypothesis. What a statement says shifts its rating:
a denial or an "unlikely" inverts the indicator's direction ("no intention of sending troops" weakens
what a deployment report supports), and hedged modalities (possible, conditional, hypothetical) count
for less. Each rating is weighted by the source's reliability grade (Admiralty A–F) and the claim's
credibility (1–6, from independent corroboration); hypotheses are ranked by weighted inconsistency
(the one with the least evidence against it leads), and evidence is sorted by diagnosticity (how
differently it rates the hypotheses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sitroom.errors import InputError
from sitroom.model import Claim, Document, Event, claim_ref, event_ref

QUESTIONS_VERSION = "questions.v1"
LAYERS = ("event", "claim")
RATINGS = {"CC": 2.0, "C": 1.0, "N": 0.0, "I": -1.0, "II": -2.0}
# Admiralty source reliability A–F; F ("cannot be judged") is the default grade and counts as middling,
# not as unreliable: an unknown outlet is not a bad one.
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.85, "C": 0.7, "D": 0.45, "E": 0.25, "F": 0.6}
# Admiralty information credibility 1–6: 1 confirmed … 5 improbable, 6 cannot be judged.
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.85, 3: 0.7, 4: 0.45, 5: 0.25, 6: 0.6}
MODALITY_WEIGHT = {
    "asserted": 1.0, "reported": 0.9, "likely": 0.8, "planned": 0.7, "intended": 0.7,
    "possible": 0.5, "conditional": 0.4, "hypothetical": 0.3, "unlikely": 0.6,
}  # fmt: skip
# Statements that say the opposite of what they mention: evidence against, not for.
INVERTING_MODALITIES = frozenset({"unlikely"})
INVERTING_POLARITIES = frozenset({"deny", "negated"})
STRONG_MODALITIES = frozenset({"asserted", "reported"})


@dataclass(frozen=True, kw_only=True)
class Hypothesis:
    id: str
    text: str


@dataclass(frozen=True, kw_only=True)
class Match:
    """What an indicator looks for; every given field must hold (lists are alternatives)."""

    layer: str
    type: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    speaker: tuple[str, ...] = ()
    modality: tuple[str, ...] = ()
    polarity: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Indicator:
    id: str
    label: str
    match: Match
    supports: tuple[str, ...] = ()
    weakens: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Question:
    slug: str
    text: str
    hypotheses: tuple[Hypothesis, ...]
    indicators: tuple[Indicator, ...]
    window_start: str | None = None
    window_end: str | None = None
    source: str = ""

    def hypothesis_ids(self) -> list[str]:
        return [h.id for h in self.hypotheses]


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One claim or event that matched an indicator, with where it is and how it rates each hypothesis."""

    question: str
    indicator: str
    ref: str
    document_id: str
    layer: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    text: str
    modality: str
    polarity: str
    direction: int  # +1 as the indicator reads, -1 inverted (a denial, an "unlikely")
    when: str | None  # ISO date the evidence reports (event time, date said, else the document date)
    source: str | None
    component: str = QUESTIONS_VERSION


@dataclass
class AchRow:
    evidence: Evidence
    ratings: dict[str, str]
    weight: float
    reliability: str
    credibility: int
    diagnosticity: float


@dataclass
class Board:
    question: Question
    indicator_hits: dict[str, dict[str, int]]  # indicator → period (YYYY-MM) → hits
    latest: dict[str, list[Evidence]]  # indicator → newest evidence first
    matrix: list[AchRow]
    inconsistency: dict[str, float]  # hypothesis → weighted inconsistency (lower leads)
    support: dict[str, float]  # hypothesis → weighted consistency
    ranking: list[str] = field(default_factory=list)


# --- loading -------------------------------------------------------------------------------------


def _tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise InputError("E050", f"{where}: expected a string or a list of strings, got {value!r}")


def parse_question(text: str, *, source: str = "<question>") -> Question:
    """A :class:`Question` from YAML text; every problem names the file and the entry."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError("E050", f"{source}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError("E050", f"{source}: expected a mapping with slug, text, hypotheses, indicators")
    for key in ("slug", "text", "hypotheses", "indicators"):
        if not data.get(key):
            raise InputError("E050", f"{source}: missing {key!r}")
    slug = str(data["slug"])
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,80}", slug):
        raise InputError("E050", f"{source}: slug {slug!r} must be lower-case letters, digits and hyphens")
    hypotheses = []
    for i, h in enumerate(data["hypotheses"]):
        if not isinstance(h, dict) or not h.get("id") or not h.get("text"):
            raise InputError("E050", f"{source}: hypotheses[{i}] needs an id and a text")
        hypotheses.append(Hypothesis(id=str(h["id"]), text=str(h["text"])))
    known = {h.id for h in hypotheses}
    if len(known) != len(hypotheses):
        raise InputError("E050", f"{source}: hypothesis ids must be unique")
    indicators = []
    for i, raw in enumerate(data["indicators"]):
        where = f"{source}: indicators[{i}]"
        if not isinstance(raw, dict) or not raw.get("id") or not isinstance(raw.get("match"), dict):
            raise InputError("E050", f"{where}: needs an id and a match mapping")
        where = f"{source}: indicator {raw['id']!r}"
        m = raw["match"]
        layer = m.get("layer")
        if layer not in LAYERS:
            raise InputError("E050", f"{where}: match.layer must be one of {', '.join(LAYERS)}")
        unknown = set(m) - {
            "layer",
            "type",
            "actor",
            "speaker",
            "modality",
            "polarity",
            "country",
            "keywords",
        }
        if unknown:
            raise InputError("E050", f"{where}: unknown match fields {sorted(unknown)}")
        match = Match(
            layer=layer,
            **{k: _tuple(m.get(k), f"{where}: {k}") for k in Match.__dataclass_fields__ if k != "layer"},
        )
        supports, weakens = _tuple(raw.get("supports"), where), _tuple(raw.get("weakens"), where)
        bad = (set(supports) | set(weakens)) - known
        if bad:
            raise InputError("E050", f"{where}: unknown hypotheses {sorted(bad)}")
        if not supports and not weakens:
            raise InputError("E050", f"{where}: supports or weakens at least one hypothesis")
        indicators.append(
            Indicator(
                id=str(raw["id"]),
                label=str(raw.get("label") or raw["id"]),
                match=match,
                supports=supports,
                weakens=weakens,
            )
        )
    window = data.get("window") or {}
    return Question(
        slug=slug,
        text=str(data["text"]),
        hypotheses=tuple(hypotheses),
        indicators=tuple(indicators),
        window_start=str(window["start"]) if window.get("start") else None,
        window_end=str(window["end"]) if window.get("end") else None,
        source=source,
    )


def load_question(path: str | Path) -> Question:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("E010", f"cannot read question file {path}: {exc.strerror or exc}") from exc
    return parse_question(text, source=str(path))


# --- matching ------------------------------------------------------------------------------------


def _prefixed(value: str | None, wanted: tuple[str, ...]) -> bool:
    """``mil/RUS`` matches ``mil/RUS/aerospace-forces``; a plain key matches itself."""
    return bool(value) and any(value == w or value.startswith(w.rstrip("/") + "/") for w in wanted)


def _keywords(text: str, keywords: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(re.search(r"\b" + re.escape(k.lower()) + r"\b", low) for k in keywords)


def _event_text(doc: Document, event: Event) -> str:
    return (
        doc.text[event.sentence_start : event.sentence_end]
        or doc.text[event.trigger_start : event.trigger_end]
    )


def _matches_event(match: Match, doc: Document, event: Event, actor_ids: dict[str, str | None]) -> bool:
    if match.type and event.type not in match.type:
        return False
    if match.actor and not any(_prefixed(actor_ids.get(a, a), match.actor) for a in event.actors):
        return False
    if match.modality and event.modality not in match.modality:
        return False
    if match.polarity and event.polarity not in match.polarity:
        return False
    return not match.keywords or _keywords(_event_text(doc, event), match.keywords)


def _matches_claim(match: Match, doc: Document, claim: Claim, actor_ids: dict[str, str | None]) -> bool:
    if match.speaker and not _prefixed(actor_ids.get(claim.speaker or "", claim.speaker), match.speaker):
        return False
    if match.modality and claim.modality not in match.modality:
        return False
    if match.polarity and claim.polarity not in match.polarity:
        return False
    return not match.keywords or _keywords(doc.text[claim.content_start : claim.content_end], match.keywords)


def _document_date(doc: Document) -> str | None:
    pub = doc.published
    if pub.trusted and pub.value:
        return pub.value[:10]
    return pub.earliest


def _direction(modality: str, polarity: str, indicator: Indicator) -> int:
    inverted = modality in INVERTING_MODALITIES or polarity in INVERTING_POLARITIES
    # An indicator that itself asks for denials (polarity: [deny]) reads them straight.
    if indicator.match.polarity and polarity in indicator.match.polarity:
        inverted = modality in INVERTING_MODALITIES
    if indicator.match.modality and modality in indicator.match.modality:
        inverted = polarity in INVERTING_POLARITIES and not indicator.match.polarity
    return -1 if inverted else 1


def match_document(question: Question, doc: Document, layers: dict[str, list]) -> list[Evidence]:
    """Every claim and event of one document that matches one of the question's indicators."""
    actor_ids = {e.key: e.actor_id or e.key for e in layers.get("entities", [])}
    found: list[Evidence] = []
    for indicator in question.indicators:
        match = indicator.match
        if match.layer == "event":
            for event in layers.get("events", []):
                if not _matches_event(match, doc, event, actor_ids):
                    continue
                when = event.earliest or _document_date(doc)
                found.append(Evidence(
                    question=question.slug, indicator=indicator.id, ref=event_ref(doc.id, event),
                    document_id=doc.id, layer="event", start=event.trigger_start, end=event.trigger_end,
                    sentence_start=event.sentence_start, sentence_end=event.sentence_end,
                    text=_event_text(doc, event), modality=event.modality, polarity=event.polarity,
                    direction=_direction(event.modality, event.polarity, indicator), when=when, source=doc.source,
                ))  # fmt: skip
        else:
            for claim in layers.get("claims", []):
                if not _matches_claim(match, doc, claim, actor_ids):
                    continue
                found.append(Evidence(
                    question=question.slug, indicator=indicator.id, ref=claim_ref(doc.id, claim),
                    document_id=doc.id, layer="claim", start=claim.content_start, end=claim.content_end,
                    sentence_start=claim.sentence_start, sentence_end=claim.sentence_end,
                    text=doc.text[claim.content_start : claim.content_end], modality=claim.modality,
                    polarity=claim.polarity, direction=_direction(claim.modality, claim.polarity, indicator),
                    when=_document_date(doc), source=doc.source,
                ))  # fmt: skip
    # Two events or claims of one sentence matching one indicator are one piece of evidence.
    unique: dict[tuple[str, int], Evidence] = {}
    for item in found:
        unique.setdefault((item.indicator, item.sentence_start), item)
    return [e for e in unique.values() if _in_window(question, e.when)]


def _in_window(question: Question, when: str | None) -> bool:
    if when is None:
        return True  # undated evidence is shown, not silently dropped
    return (question.window_start is None or when >= question.window_start) and (
        question.window_end is None or when[: len(question.window_end)] <= question.window_end
    )


# --- the board and the ACH matrix ------------------------------------------------------------------


def rate(indicator: Indicator, evidence: Evidence, hypothesis: str) -> str:
    """C/CC/N/I/II of one piece of evidence against one hypothesis."""
    sign = 1 if hypothesis in indicator.supports else -1 if hypothesis in indicator.weakens else 0
    sign *= evidence.direction
    if sign == 0:
        return "N"
    strong = evidence.modality in STRONG_MODALITIES and evidence.direction > 0
    return ("CC" if strong else "C") if sign > 0 else ("II" if strong else "I")


def build_board(
    question: Question,
    evidence: list[Evidence],
    *,
    reliability: dict[str | None, str] | None = None,
    credibility: dict[str, int] | None = None,
) -> Board:
    """Indicator board and ACH matrix from the question's evidence (``reliability``: source → A–F;
    ``credibility``: evidence ref → 1–6, from corroboration)."""
    reliability = reliability or {}
    credibility = credibility or {}
    indicators = {i.id: i for i in question.indicators}
    hits: dict[str, dict[str, int]] = {i.id: {} for i in question.indicators}
    latest: dict[str, list[Evidence]] = {i.id: [] for i in question.indicators}
    matrix: list[AchRow] = []
    inconsistency = dict.fromkeys(question.hypothesis_ids(), 0.0)
    support = dict.fromkeys(question.hypothesis_ids(), 0.0)
    for item in evidence:
        indicator = indicators.get(item.indicator)
        if indicator is None:  # evidence of an indicator since removed from the question
            continue
        period = item.when[:7] if item.when else "undated"
        hits[item.indicator][period] = hits[item.indicator].get(period, 0) + 1
        latest[item.indicator].append(item)
        grade = reliability.get(item.source, "F")
        cred = credibility.get(item.ref, 6)
        weight = RELIABILITY_WEIGHT.get(grade, 0.6) * CREDIBILITY_WEIGHT.get(cred, 0.6)
        weight *= MODALITY_WEIGHT.get(item.modality, 0.5)
        ratings = {h: rate(indicator, item, h) for h in question.hypothesis_ids()}
        values = [RATINGS[r] for r in ratings.values()]
        matrix.append(AchRow(
            evidence=item, ratings=ratings, weight=round(weight, 3), reliability=grade, credibility=cred,
            diagnosticity=round((max(values) - min(values)) * weight, 3),
        ))  # fmt: skip
        for h, r in ratings.items():
            if RATINGS[r] < 0:
                inconsistency[h] += -RATINGS[r] * weight
            elif RATINGS[r] > 0:
                support[h] += RATINGS[r] * weight
    for items in latest.values():
        items.sort(key=lambda e: (e.when or "", e.ref), reverse=True)
    matrix.sort(key=lambda row: (-row.diagnosticity, row.evidence.when or "", row.evidence.ref))
    ranking = sorted(question.hypothesis_ids(), key=lambda h: (inconsistency[h], -support[h]))
    return Board(
        question=question,
        indicator_hits=hits,
        latest=latest,
        matrix=matrix,
        inconsistency={h: round(v, 3) for h, v in inconsistency.items()},
        support={h: round(v, 3) for h, v in support.items()},
        ranking=ranking,
    )


def summarise(board: Board, *, on: date | None = None) -> dict:
    """A dated, JSON-able snapshot of the assessment for the question's history."""
    return {
        "date": (on or date.today()).isoformat(),
        "leading": board.ranking[0] if board.ranking else None,
        "ranking": board.ranking,
        "inconsistency": board.inconsistency,
        "support": board.support,
        "evidence": len(board.matrix),
        "documents": len({row.evidence.document_id for row in board.matrix}),
    }
