"""What the route modules share: the open workspace, paging parameters, per-item revision history."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from sitroom.views import Page
from sitroom.workspace import Workspace

Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
Limit = Annotated[int, Query(ge=1, le=200, description="items per page")]
Text = Annotated[str | None, Query(max_length=200)]
Date = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$", description="ISO date, any precision")]  # fmt: skip


def workspace(request: Request) -> Workspace:
    return request.app.state.ws


def blank(value: str | None) -> str | None:
    """An empty form field means no filter."""
    return value.strip() or None if value else None


def history(request: Request, target: str) -> list:
    """The analyst's revisions of one item, newest first (none before the revision trail exists)."""
    ws = workspace(request)
    revisions = getattr(ws, "revisions", None)
    if revisions is None:
        return []
    page = revisions(target=target, limit=50)
    return list(page.items if isinstance(page, Page) else page)


def can_correct(request: Request) -> bool:
    """Whether correction forms are offered: a workspace with the revision trail, not read-only."""
    return hasattr(workspace(request), "correct") and not request.app.state.settings.read_only
