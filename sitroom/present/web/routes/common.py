"""What the route modules share: the open workspace, paging parameters, per-item revision history."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

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


def history(request: Request, target: str | None = None, *, document: str | None = None) -> list:
    """The analyst's revisions of one item (or of every item of one document), newest first."""
    page = workspace(request).revisions(target=target, document=document, limit=100)
    return list(page.items)


def can_correct(request: Request) -> bool:
    """Whether correction forms are offered (not with --read-only)."""
    return not request.app.state.settings.read_only
