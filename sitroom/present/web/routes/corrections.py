"""The analyst's corrections: ``POST /correct`` (every correction form posts here), ``/revisions``,
and the token login. Every state change is a POST with a CSRF token; ``--read-only`` refuses them
all before they reach a route (security.Guard)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from sitroom.present.web.render import page, render
from sitroom.present.web.routes.common import Limit, Offset, Text, blank, workspace
from sitroom.present.web.security import require_csrf, safe_next, session_cookie_header, token_ok

router = APIRouter()

FormText = Annotated[str, Form(max_length=2000)]


@router.post("/correct", dependencies=[Depends(require_csrf)], summary="Correct one field of one item")
def correct(
    request: Request,
    target: Annotated[str, Form(max_length=400)],
    field: Annotated[str, Form(max_length=40)],
    value: FormText,
    why: FormText = "",
    next: Annotated[str, Form(max_length=2000)] = "/revisions",
):
    """Store an analyst's correction as a revision (what, before, after, who, when, why)."""
    ws = workspace(request)
    analyst = request.app.state.settings.analyst
    with request.app.state.lock:
        ws.correct(target.strip(), field.strip(), value.strip(), analyst=analyst, why=why.strip())
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/correct/ach", dependencies=[Depends(require_csrf)], summary="Override an ACH rating")
def correct_ach(
    request: Request,
    slug: Annotated[str, Form(max_length=120, pattern=r"^[A-Za-z0-9._-]+$")],
    ref: Annotated[str, Form(max_length=400)],
    hypothesis: Annotated[str, Form(max_length=40)],
    value: Annotated[str, Form(max_length=4)],
    why: FormText = "",
):
    """Override the rating of one piece of evidence against one hypothesis, with a note."""
    return correct(request, target=f"ach:{slug}:{ref}:{hypothesis}", field="rating", value=value, why=why,
                   next=f"/questions/{slug}")  # fmt: skip


@page(router, "/revisions", "revisions.html", summary="The analyst's corrections, newest first")
def revisions(
    request: Request,
    target: Text = None,
    analyst: Text = None,
    state: Annotated[str | None, Query(pattern=r"^(|active|superseded|conflict|orphaned)$")] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict:
    found = workspace(request).revisions(
        target=blank(target), analyst=blank(analyst), state=blank(state), offset=offset, limit=limit
    )
    return {"revisions": found, "filters": {"target": target, "analyst": analyst, "state": state}}


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/"):
    return render(request, "login.html", {"next": safe_next(next), "failed": False})


@router.post("/login", include_in_schema=False, dependencies=[Depends(require_csrf)])
def login(request: Request, token: FormText, next: Annotated[str, Form(max_length=2000)] = "/"):
    settings = request.app.state.settings
    if not token_ok(settings, token):
        return render(request, "login.html", {"next": safe_next(next), "failed": True}, status=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.headers.append("set-cookie", session_cookie_header(settings))
    return response


@router.post("/logout", include_in_schema=False, dependencies=[Depends(require_csrf)])
def logout(request: Request):
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", "sitroom_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    return response
