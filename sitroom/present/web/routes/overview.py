"""``/``: the workspace at a glance; ``/search``: full-text search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from sitroom.present.web.render import page
from sitroom.present.web.routes.common import Limit, workspace

router = APIRouter()


@page(router, "/", "overview.html", summary="Counts, coverage, latest documents, questions, problems")
def overview(request: Request) -> dict:
    ws = workspace(request)
    found = ws.overview()
    questions = []
    for question in ws.questions():
        history = ws.assessment_history(question.slug)
        latest = history[-1] if history else None
        previous = history[-2] if len(history) > 1 else None
        questions.append({"slug": question.slug, "text": question.text, "latest": latest,
                          "previous": previous, "change": _change(previous, latest)})  # fmt: skip
    problems = []
    for run in found.runs:
        problems += [{"run": run.id, "problem": p} for p in ws.problems(run.id)[:20]]
    return {
        "overview": found,
        "latest_documents": ws.documents_page(limit=10),
        "questions": questions,
        "problems": problems[:50],
    }


def _change(previous, latest) -> str:
    if latest is None:
        return "not yet assessed"
    if previous is None:
        return "first assessment"
    if previous.leading != latest.leading:
        return f"leading hypothesis changed from {previous.leading} to {latest.leading}"
    if tuple(previous.ranking) != tuple(latest.ranking):
        return "ranking of the other hypotheses changed"
    return f"evidence grew from {previous.evidence} to {latest.evidence} items"


@page(router, "/search", "search.html", summary="Full-text search of the documents")
def search(request: Request, q: Annotated[str, Query(max_length=300)] = "", limit: Limit = 50) -> dict:
    hits = workspace(request).search(q, limit=limit) if q.strip() else []
    return {"q": q, "hits": hits}
