"""Key judgments in estimative language: a likelihood from the ACH result, and a separate confidence.

Intelligence Community Directive 203 asks that a judgment say how likely something is with a term from
a fixed scale, and, apart from it, how much confidence the analyst has in the basis of that judgment:
"likely (55–80%)" is about the world, "moderate confidence" about the evidence. The two are computed
from different things here and are never written into one sentence.

The scale, the mapping from an ACH result to a probability and the confidence thresholds are data
(``sitroom/data/estimative.yaml``, whose comments give the formulas); this module applies them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sitroom import yamlfile
from sitroom.analyse.questions import RATINGS

ESTIMATIVE_FILE = "estimative.yaml"
CONFIDENCE_LEVELS = ("low", "moderate", "high")


@dataclass(frozen=True, kw_only=True, slots=True)
class Band:
    """One term of the estimative scale and its probability range in percent."""

    term: str
    low: int
    high: int

    @property
    def range_text(self) -> str:
        return f"{self.low}–{self.high}%"


@dataclass(frozen=True, kw_only=True, slots=True)
class Estimative:
    """The scale and the thresholds of ``estimative.yaml``."""

    scale: tuple[Band, ...]
    support_weight: float
    half_volume: float
    ceiling: float
    confidence: dict[str, float]

    def band(self, probability: float) -> Band:
        """The band holding ``probability`` (0–1); half-open bands, the last one closed."""
        percent = min(max(probability * 100, self.scale[0].low), self.scale[-1].high)
        for band in self.scale:
            if band.low <= percent < band.high:
                return band
        return self.scale[-1]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(band.term for band in self.scale)


@cache
def load_estimative() -> Estimative:
    """The bundled scale and thresholds (read once)."""
    text = (resources.files("sitroom") / "data" / ESTIMATIVE_FILE).read_text(encoding="utf-8")
    return parse_estimative(yamlfile.safe_load(text))


def parse_estimative(data: dict[str, Any]) -> Estimative:
    scale = tuple(Band(term=str(b["term"]), low=int(b["low"]), high=int(b["high"])) for b in data["scale"])
    for before, after in zip(scale, scale[1:], strict=False):
        # Contiguous, ordered bands: the lookup and the monotonicity of the terms depend on it.
        if before.high != after.low or before.low >= before.high:
            raise ValueError(f"{ESTIMATIVE_FILE}: bands {before.term!r} and {after.term!r} do not meet")
    likelihood = data["likelihood"]
    return Estimative(
        scale=scale,
        support_weight=float(likelihood["support_weight"]),
        half_volume=float(likelihood["half_volume"]),
        ceiling=float(likelihood["ceiling"]),
        confidence={k: float(v) for k, v in data["confidence"].items()},
    )


# --- likelihood ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Likelihood:
    """How likely the leading hypothesis is, with the figures it was derived from."""

    hypothesis: str
    runner_up: str | None
    probability: float
    band: Band
    margin: float  # 0–1: how much of the weighted evidence bearing on the two separates them
    volume: float  # summed weight of the evidence that rates the two differently
    hypotheses: int

    @property
    def term(self) -> str:
        return self.band.term


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """What the likelihood needs of one ACH row: its ratings and weight."""

    ratings: dict[str, str]
    weight: float


def estimate(*, hypotheses: int, margin: float, volume: float, scale: Estimative | None = None) -> float:
    """The leading hypothesis's probability from its margin (0–1) and the evidence volume.

    Monotone: never lower for a larger margin or a larger volume. With no margin or no evidence it is
    1 / hypotheses (each equally probable); it approaches ``ceiling`` only as both grow.
    """
    scale = scale or load_estimative()
    base = 1.0 / max(hypotheses, 1)
    margin = min(max(margin, 0.0), 1.0)
    volume = max(volume, 0.0)
    weight = volume / (volume + scale.half_volume) if volume else 0.0
    probability = base + (scale.ceiling - base) * margin * weight
    return min(max(probability, 0.01), 0.99)


def separation(row: Row, leader: str, runner_up: str, *, support_weight: float) -> float:
    """How much one piece of evidence favours ``leader`` over ``runner_up`` (negative: the other way)."""
    lead = RATINGS.get(row.ratings.get(leader, "N"), 0.0)
    other = RATINGS.get(row.ratings.get(runner_up, "N"), 0.0)
    against = max(-other, 0.0) - max(-lead, 0.0)
    favour = max(lead, 0.0) - max(other, 0.0)
    return row.weight * (against + support_weight * favour)


def margin_and_volume(
    *, leader: str, runner_up: str, rows: Iterable[Row], scale: Estimative | None = None
) -> tuple[float, float]:
    """(margin, volume) of ``leader`` over ``runner_up`` (formulas in estimative.yaml)."""
    scale = scale or load_estimative()
    parts = [separation(row, leader, runner_up, support_weight=scale.support_weight) for row in rows]
    volume = sum(abs(p) for p in parts)
    margin = max(sum(parts), 0.0) / volume if volume else 0.0
    return min(margin, 1.0), volume


def judge_likelihood(
    *,
    ranking: Sequence[str],
    rows: Iterable[Row],
    scale: Estimative | None = None,
) -> Likelihood | None:
    """The likelihood of the ACH leader (``ranking[0]``); None for a question without hypotheses."""
    scale = scale or load_estimative()
    rows = list(rows)
    if not ranking:
        return None
    leader = ranking[0]
    runner_up = ranking[1] if len(ranking) > 1 else None
    if runner_up is None:  # one hypothesis: nothing to weigh it against
        margin, volume = 0.0, 0.0
    else:
        margin, volume = margin_and_volume(leader=leader, runner_up=runner_up, rows=rows, scale=scale)
    probability = estimate(hypotheses=len(ranking), margin=margin, volume=volume, scale=scale)
    return Likelihood(
        hypothesis=leader, runner_up=runner_up, probability=round(probability, 3),
        band=scale.band(probability), margin=round(margin, 3), volume=round(volume, 3),
        hypotheses=len(ranking),
    )  # fmt: skip


# --- confidence ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Basis:
    """One piece of evidence behind a judgment, as confidence sees it."""

    outlet: str | None
    grade: str  # Admiralty reliability A–F of the outlet
    credibility: int  # 1–6 from corroboration
    when: str | None  # ISO date, any precision
    contradicted: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Reason:
    """One factor of the confidence level: its score (+1, 0, -1) and what it found, in words."""

    factor: str  # "source grades", "independence", "contradictions", "evidence"
    score: int
    text: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Confidence:
    level: str  # high, moderate, low
    reasons: tuple[Reason, ...]


def _days_between(earlier: str | None, later: str | None) -> int | None:
    def parse(value: str | None) -> date | None:
        if not value:
            return None
        parts = (value[:10].split("-") + ["01", "01"])[:3]
        try:
            return date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))
        except ValueError:
            return None

    a, b = parse(earlier), parse(later)
    return (b - a).days if a and b else None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def judge_confidence(
    basis: Sequence[Basis], *, newest_document: str | None, scale: Estimative | None = None
) -> Confidence:
    """High, moderate or low confidence in the basis of a judgment, with a reason per factor."""
    t = (scale or load_estimative()).confidence
    n = len(basis)
    if not n:
        reason = Reason(factor="evidence", score=-2, text="no evidence bears on the judgment")
        return Confidence(level="low", reasons=(reason,))
    reasons = []
    good = sum(1 for b in basis if b.grade in ("A", "B"))
    poor = sum(1 for b in basis if b.grade in ("D", "E", "F"))
    ungraded = sum(1 for b in basis if b.grade == "F")
    score = 1 if good / n >= t["well_graded_share"] else -1 if poor / n >= t["poorly_graded_share"] else 0
    text = f"{good} of {n} pieces come from outlets graded A or B"
    if ungraded:
        text += f"; {ungraded} from outlets whose reliability has not been graded (F)"
    reasons.append(Reason(factor="source grades", score=score, text=text))

    outlets = {b.outlet or "unknown outlet" for b in basis}
    corroborated = sum(1 for b in basis if b.credibility <= 2)
    if len(outlets) >= t["independent_outlets"] and corroborated / n >= t["corroborated_share"]:
        score = 1
    elif len(outlets) <= t["single_outlet"]:
        score = -1
    else:
        score = 0
    text = (
        f"{_plural(len(outlets), 'outlet')} report it; {corroborated} of {n} pieces are confirmed "
        "by independent reports (credibility 1–2)"
    )
    reasons.append(Reason(factor="independence", score=score, text=text))

    contradicted = sum(1 for b in basis if b.contradicted)
    thin = n < t["thin_evidence"]
    if contradicted / n >= t["contradiction_ratio"]:
        score = -1
    elif contradicted == 0 and not thin:
        score = 1
    else:
        score = 0
    text = (
        f"{contradicted} of {n} pieces come from documents with contradicting reports"
        if contradicted
        else "no piece comes from a document with contradicting reports"
    )
    reasons.append(Reason(factor="contradictions", score=score, text=text))

    dated = sorted(b.when for b in basis if b.when)
    newest = dated[-1] if dated else None
    age = _days_between(newest, newest_document)
    if thin or (age is not None and age > t["stale_days"]):
        score = -1
    elif n >= t["ample_evidence"] and age is not None and age <= t["recent_days"]:
        score = 1
    else:
        score = 0
    text = f"{_plural(n, 'piece')} of evidence"
    text += f", the newest of {newest[:10]}" if newest else ", none of them dated"
    if age is not None and age > 0:
        text += f" ({_plural(age, 'day')} before the newest document in the workspace)"
    reasons.append(Reason(factor="evidence", score=score, text=text))

    total = sum(r.score for r in reasons)
    level = "high" if total >= t["high_at"] else "low" if total <= t["low_at"] else "moderate"
    return Confidence(level=level, reasons=tuple(reasons))


# --- sentences -------------------------------------------------------------------------------------


def likelihood_sentence(likelihood: Likelihood, hypothesis_text: str) -> str:
    """'We judge it likely (55–80%) that <hypothesis> (H1).' — the term and its range, nothing else."""
    # The hypothesis as the analyst wrote it: lower-casing its first letter would break "Russia …".
    claim = hypothesis_text.strip().rstrip(".")
    if not likelihood.volume:
        # Nothing tells the leader from the runner-up: its lead is the order the question lists them in,
        # and a term would dress the base rate up as a judgment.
        return (
            f"The evidence does not yet tell the {likelihood.hypotheses} hypotheses apart: we make no "
            f"likelihood judgment (each stands at the base rate of {round(100 / likelihood.hypotheses)}%)."
        )
    return f"We judge it {likelihood.term} ({likelihood.band.range_text}) that {claim} ({likelihood.hypothesis})."


def confidence_sentence(confidence: Confidence) -> str:
    """'We have moderate confidence in this judgment.' — the reasons are listed apart."""
    return f"We have {confidence.level} confidence in this judgment."


def basis_sentence(likelihood: Likelihood) -> str:
    """How the likelihood was derived, in words (no estimative term: it is not a judgment)."""
    if likelihood.runner_up is None:
        return "The question has one hypothesis: there is nothing to weigh it against."
    if not likelihood.volume:
        return f"No evidence rates {likelihood.hypothesis} and {likelihood.runner_up} differently."
    return (
        f"{likelihood.hypothesis} is the least inconsistent of {likelihood.hypotheses} hypotheses. Of the "
        f"weighted evidence telling it apart from the runner-up {likelihood.runner_up} (volume "
        f"{likelihood.volume:.2f}), the net {round(likelihood.margin * 100)}% favours "
        f"{likelihood.hypothesis}: a derived probability of {round(likelihood.probability * 100)}%."
    )
