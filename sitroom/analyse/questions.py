"""Analyst questions: hypotheses, indicators as declarative matches, and the ACH matrix.

A question file (YAML, docs/questions.md) names competing hypotheses and indicators. An indicator
matches claims or events (by type, actor, speaker, modality, polarity, country, keywords) and says which
hypotheses its evidence supports or weakens. Matching is per document and pure (:func:`match_document`),
so a new document only adds its own evidence; the board and the ACH matrix are computed from stored
evidence (:func:`build_board`).

Ratings follow Heuer's analysis of competing hypotheses: each piece of evidence is consistent (C, CC),
inconsistent (I, II) or neutral (N) with each hypothesis, with a reason per rating. What the statement
says about each hypothesis's own text comes first (:func:`rate_evidence`, :mod:`.hypotheses`); the
indicator decides what the text leaves open. A denial or an "unlikely" inverts the indicator's
direction ("no intention of sending troops" weakens what a deployment report supports), and hedged
modalities (possible, conditional, hypothetical) count for less. One statement matched by several
indicators is one row of the matrix. Each rating is weighted by the source's reliability grade (Admiralty A–F) and the claim's
credibility (1–6, from independent corroboration); hypotheses are ranked by weighted inconsistency
(the one with the least evidence against it leads), and evidence is sorted by diagnosticity (how
differently it rates the hypotheses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sitroom import yamlfile
from sitroom.analyse.hypotheses import (
    HypothesisLexicon,
    HypothesisTerms,
    Reading,
    key_terms,
    read_statement,
)
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
# A statement that something may happen is no evidence against its rivals (they can all still be true).
NON_EXCLUDING_MODALITIES = frozenset({"possible", "conditional", "hypothetical"})


@dataclass(frozen=True, kw_only=True)
class Hypothesis:
    id: str
    text: str
    terms: tuple[str, ...] = ()  # extra key terms (synonyms the text does not use: "troops", "infantry")


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


@dataclass(frozen=True)
class AchRow:
    """One statement of the matrix: its ratings against each hypothesis and why each was given.

    ``evidence`` is the reading kept when several indicators matched the same sentence (one statement
    counts once); ``indicators`` names all of them."""

    evidence: Evidence
    ratings: dict[str, str]
    weight: float
    reliability: str
    credibility: int
    diagnosticity: float
    why: dict[str, str] = field(default_factory=dict)  # hypothesis → the reason for its rating
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
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
        data = yamlfile.safe_load(text)
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
        extra = _tuple(h.get("terms"), f"{source}: hypotheses[{i}].terms")
        hypotheses.append(Hypothesis(id=str(h["id"]), text=str(h["text"]), terms=extra))
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
    """C/CC/N/I/II of one piece of evidence against one hypothesis, as its indicator alone reads it."""
    sign = 1 if hypothesis in indicator.supports else -1 if hypothesis in indicator.weakens else 0
    sign *= evidence.direction
    if sign == 0:
        return "N"
    strong = evidence.modality in STRONG_MODALITIES and evidence.direction > 0
    return ("CC" if strong else "C") if sign > 0 else ("II" if strong else "I")


def _mood(evidence: Evidence) -> str:
    if evidence.polarity == "affirm":
        return evidence.modality
    return f"{evidence.polarity}, {evidence.modality}"


def _terms_text(terms: tuple[str, ...]) -> str:
    return ", ".join(f"“{t}”" for t in terms)


def _indicator_reason(indicator: Indicator, hypothesis: str) -> str:
    role = (
        "supports" if hypothesis in indicator.supports
        else "weakens" if hypothesis in indicator.weakens else "does not rate"
    )  # fmt: skip
    return f"indicator {indicator.id} {role} {hypothesis}"


def rate_evidence(
    question: Question,
    indicator: Indicator,
    evidence: Evidence,
    *,
    terms: HypothesisTerms | None = None,
    lexicon: HypothesisLexicon | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Ratings of one piece of evidence against every hypothesis, and the reason for each.

    What the statement says about each hypothesis's own text comes first (:mod:`.hypotheses`); the
    indicator's supports/weakens only decide what the text leaves open:

    - a limitation ("limited to air units and special forces") is consistent with the hypotheses it
      names inside its scope and inconsistent (I) with every other;
    - a statement naming one hypothesis's key terms most is consistent with it (CC when asserted or
      reported), or inconsistent when it denies them or calls them unlikely;
    - a hypothesis the statement does not name keeps the indicator's "weakens" (a rival's occurrence
      excludes it) — but not when the rival is only possible, conditional or hypothetical (a
      possibility excludes nothing) — and does not keep its "supports": "Putin may send special
      forces" matched a ground-forces indicator, yet names only the special-forces hypothesis, so it
      is neutral for the ground one, unless the statement denies what it names (a denial of the
      rival is what supports it);
    - a statement that names no hypothesis's key terms is read as its indicator reads it;
    - a statement contested within its own sentence ("X claims A, but Y maintains B") rates single.
    """
    terms = terms if terms is not None else hypothesis_terms(question, lexicon=lexicon)
    reading = read_statement(evidence.text, terms, lexicon=lexicon)
    negated = evidence.polarity in INVERTING_POLARITIES or evidence.modality in INVERTING_MODALITIES
    strong = evidence.modality in STRONG_MODALITIES
    best = reading.best()
    ratings: dict[str, str] = {}
    why: dict[str, str] = {}
    for h in question.hypothesis_ids():
        prior = rate(indicator, evidence, h)
        ratings[h], why[h] = _rate_one(h, prior, indicator, evidence, reading, best, negated, strong)
        if reading.contested and ratings[h] in ("CC", "II"):
            ratings[h] = ratings[h][0]
            why[h] += f"; contested in the same sentence (“{reading.contested}”)"
    return ratings, why


def _rate_one(
    h: str,
    prior: str,
    indicator: Indicator,
    evidence: Evidence,
    reading: Reading,
    best: set[str],
    negated: bool,
    strong: bool,
) -> tuple[str, str]:
    named = reading.named.get(h, ())
    if reading.limitation and not negated:
        if h in reading.in_scope:
            return "CC" if strong else "C", (
                f"limited (“{reading.limitation} …”) to what {h} names: {_terms_text(named)}"
            )
        others = ", ".join(sorted(reading.in_scope))
        return "I", f"limited (“{reading.limitation} …”) to what {others} names, not to {h}"
    if not best:
        reason = f"names no hypothesis's key terms; {_indicator_reason(indicator, h)}"
        if prior != "N":
            reason += f" ({_mood(evidence)}"
            reason += ", read against the indicator)" if evidence.direction < 0 else ")"
        return prior, reason
    if h in best and (len(best) == 1 or prior == "N"):
        text = "I" if negated else ("CC" if strong else "C")
        # the indicator agreeing in sign keeps its strength (an asserted denial read straight: II)
        rating = prior if RATINGS[prior] * RATINGS[text] > 0 else text
        said = _mood(evidence)
        verb = "denies or doubts" if negated else "names"
        return rating, f"{verb} {h}'s key terms ({_terms_text(named)}; {said})"
    if h in best:
        rivals = ", ".join(sorted(best - {h}))
        return prior, f"names {h}'s key terms as much as {rivals}'s; {_indicator_reason(indicator, h)}"
    rivals = ", ".join(sorted(best))
    if RATINGS[prior] < 0 and not negated and evidence.modality in NON_EXCLUDING_MODALITIES:
        return "N", f"only a {evidence.modality} statement about {rivals}: a possibility excludes nothing"
    if RATINGS[prior] < 0:
        return prior, f"{_indicator_reason(indicator, h)}; the statement is about {rivals}"
    if RATINGS[prior] > 0 and negated:
        return prior, (
            f"{_indicator_reason(indicator, h)}; the statement denies or doubts what {rivals} names "
            f"({_mood(evidence)})"
        )
    reason = f"names {rivals}'s key terms, not {h}'s"
    if RATINGS[prior] > 0:
        reason += f" (indicator {indicator.id} alone would support {h})"
    return "N", reason


def hypothesis_terms(question: Question, *, lexicon: HypothesisLexicon | None = None) -> HypothesisTerms:
    """Each hypothesis's key terms: words of its text and ``terms`` that no rival uses."""
    return key_terms(((h.id, h.text, h.terms) for h in question.hypotheses), lexicon=lexicon)


def _strength(row: AchRow, order: dict[str, int]) -> tuple:
    """Which reading of one statement to keep when several indicators matched it: the one whose
    indicator reads it straight (asks for what it says), then the most diagnostic, then the
    heaviest, then the indicator listed first."""
    total = sum(abs(RATINGS[r]) for r in row.ratings.values())
    return (
        row.evidence.direction > 0,
        row.diagnosticity,
        total * row.weight,
        -order.get(row.evidence.indicator, 0),
    )


def build_board(
    question: Question,
    evidence: list[Evidence],
    *,
    reliability: dict[str | None, str] | None = None,
    credibility: dict[str, int] | None = None,
) -> Board:
    """Indicator board and ACH matrix from the question's evidence (``reliability``: source → A–F;
    ``credibility``: evidence ref → 1–6, from corroboration).

    The indicator board counts every hit of every indicator; the matrix counts one statement once:
    the evidence of one sentence matched by several indicators becomes one row (see :func:`_strength`).
    """
    reliability = reliability or {}
    credibility = credibility or {}
    indicators = {i.id: i for i in question.indicators}
    order = {i.id: k for k, i in enumerate(question.indicators)}
    terms = hypothesis_terms(question)
    hits: dict[str, dict[str, int]] = {i.id: {} for i in question.indicators}
    latest: dict[str, list[Evidence]] = {i.id: [] for i in question.indicators}
    statements: dict[tuple[str, int], list[AchRow]] = {}
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
        ratings, why = rate_evidence(question, indicator, item, terms=terms)
        values = [RATINGS[r] for r in ratings.values()]
        row = AchRow(
            evidence=item, ratings=ratings, weight=round(weight, 3), reliability=grade, credibility=cred,
            diagnosticity=round((max(values) - min(values)) * weight, 3), why=why,
        )  # fmt: skip
        statements.setdefault((item.document_id, item.sentence_start), []).append(row)
    matrix: list[AchRow] = []
    inconsistency = dict.fromkeys(question.hypothesis_ids(), 0.0)
    support = dict.fromkeys(question.hypothesis_ids(), 0.0)
    for rows in statements.values():
        kept = max(rows, key=lambda r: _strength(r, order))
        kept = replace(
            kept,
            indicators=tuple(sorted({r.evidence.indicator for r in rows}, key=lambda i: order.get(i, 0))),
        )
        matrix.append(kept)
        for h, r in kept.ratings.items():
            if RATINGS[r] < 0:
                inconsistency[h] += -RATINGS[r] * kept.weight
            elif RATINGS[r] > 0:
                support[h] += RATINGS[r] * kept.weight
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
