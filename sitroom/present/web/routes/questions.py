"""``/questions`` and ``/questions/{slug}``: the indicator board, the ACH matrix (each cell carries
its evidence for hovering) and the assessment history as a chart drawn on the server (SVG)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from sitroom.present.web.render import page
from sitroom.present.web.routes.common import can_correct, workspace

router = APIRouter()

Slug = Annotated[str, Path(max_length=120, pattern=r"^[A-Za-z0-9._-]+$")]
CHART_W, CHART_H, PAD = 640, 200, 30


@dataclass(frozen=True, kw_only=True, slots=True)
class Series:
    hypothesis: str
    points: str  # SVG polyline points
    last: float
    css: str


@page(router, "/questions", "questions.html", summary="The workspace's questions")
def questions(request: Request) -> dict:
    ws = workspace(request)
    rows = []
    for question in ws.questions():
        past = ws.assessment_history(question.slug)
        rows.append({"question": question, "latest": past[-1] if past else None, "assessments": len(past)})
    return {"questions": rows}


@page(router, "/questions/{slug}", "question.html", summary="Indicator board, ACH matrix, assessment history")
def question(request: Request, slug: Slug, evidence: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    ws = workspace(request)
    with request.app.state.lock:
        board = ws.board(slug)
    # The matrix holds every piece of evidence (thousands on a large workspace): the page and its
    # JSON show the first ``evidence`` rows as the board orders them, and say how many there are.
    rows = len(board.matrix)
    board = dataclasses.replace(
        board,
        matrix=board.matrix[:evidence],
        latest={indicator: found[:5] for indicator, found in board.latest.items()},
    )
    past = ws.assessment_history(slug)
    hypotheses = [h.id for h in board.question.hypotheses]
    periods = sorted({p for hits in board.indicator_hits.values() for p in hits})
    return {
        "board": board,
        "evidence_total": rows,
        "history": past,
        "_hypotheses": hypotheses,
        "_periods": periods[-12:],
        "_series": _series(past, hypotheses),
        "_chart": {"w": CHART_W, "h": CHART_H, "pad": PAD},
        "revisions": [
            r for r in workspace(request).revisions(limit=1000) if r.target.startswith(f"ach:{slug}:")
        ],
        "_correct": can_correct(request),
    }


def _series(past: list, hypotheses: list[str]) -> list[Series]:
    """Each hypothesis's inconsistency over the assessments, scaled into the chart."""
    if not past:
        return []
    top = max([a.inconsistency.get(h, 0.0) for a in past for h in hypotheses] + [1e-9])
    step = (CHART_W - 2 * PAD) / max(1, len(past) - 1)
    series = []
    for index, hypothesis in enumerate(hypotheses):
        points = []
        for i, assessment in enumerate(past):
            value = assessment.inconsistency.get(hypothesis, 0.0)
            x = PAD + i * step
            y = CHART_H - PAD - (value / top) * (CHART_H - 2 * PAD)
            points.append(f"{x:.1f},{y:.1f}")
        series.append(Series(hypothesis=hypothesis, points=" ".join(points),
                             last=past[-1].inconsistency.get(hypothesis, 0.0), css=f"s{index % 6}"))  # fmt: skip
    return series
