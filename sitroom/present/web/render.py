"""Rendering: the Jinja2 environment (autoescape always on) and the ``page`` decorator that serves one
view function as an HTML page and as JSON under ``/api``.

A view function takes the request and its query parameters and returns a dict of read-layer records;
the HTML route renders it with a template, the API route turns the same records into JSON
(:func:`jsonable`), so the two can never disagree.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = str(resources.files("sitroom.present.web") / "templates")
STATIC = str(resources.files("sitroom.present.web") / "static")

NAV = (
    ("/", "Overview"), ("/documents", "Documents"), ("/claims", "Claims"), ("/events", "Events"),
    ("/map", "Map"), ("/places", "Places"), ("/timeline", "Timeline"), ("/stories", "Stories"),
    ("/contradictions", "Contradictions"), ("/sources", "Sources"), ("/questions", "Questions"),
    ("/revisions", "Revisions"),
)  # fmt: skip


def safe_href(url: str | None) -> str | None:
    """An article URL fit to be a link: http(s) with a host, else None (``javascript:``, ``data:``,
    relative and malformed URLs are shown as text, never linked)."""
    if not url or any(ch in url for ch in "\x00\r\n\t") or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def short(value: str | None, length: int = 8) -> str:
    return (value or "")[:length]


def clip(value: str | None, length: int = 160) -> str:
    value = value or ""
    return value if len(value) <= length else value[: length - 1] + "…"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(safe_href=safe_href, short=short, clip=clip)
    env.globals.update(nav=NAV)
    return env


ENV = make_environment()


def with_query(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters changed (None removes one): paging links."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def render(request: Request, template: str, context: Mapping[str, Any], *, status: int = 200) -> HTMLResponse:
    settings = request.app.state.settings
    html = ENV.get_template(template).render(
        request=request,
        csrf=request.scope.get("state", {}).get("csrf", ""),
        read_only=settings.read_only,
        analyst=settings.analyst,
        path=request.url.path,
        with_query=functools.partial(with_query, request),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def jsonable(value: Any) -> Any:
    """Records to JSON-able values: dataclasses by their fields (pages also say whether more follow)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(type(value), "more"):
            data["more"] = value.more
        return data
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def page(router: APIRouter, path: str, template: str, *, summary: str) -> Callable:
    """Register ``view`` as the HTML page ``path`` and as JSON at ``/api`` + ``path``.

    Keys of the view's answer starting with ``_`` are for the template only (not part of the API)."""

    def register(view: Callable) -> Callable:
        signature = inspect.signature(view)

        @functools.wraps(view)
        def html(*args, **kwargs):
            request = kwargs["request"]
            return render(request, template, view(*args, **kwargs))

        @functools.wraps(view)
        def api(*args, **kwargs):
            answer = view(*args, **kwargs)
            return JSONResponse(jsonable({k: v for k, v in answer.items() if not k.startswith("_")}))

        for func in (html, api):
            func.__signature__ = signature
        name = view.__name__
        router.add_api_route(path, html, methods=["GET"], response_class=HTMLResponse,
                             include_in_schema=False, name=name)  # fmt: skip
        router.add_api_route("/api" + (path if path != "/" else "/overview"), api, methods=["GET"],
                             name="api_" + name, summary=summary, operation_id=name)  # fmt: skip
        return view

    return register
