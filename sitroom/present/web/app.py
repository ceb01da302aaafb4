"""The app factory: one FastAPI app over one open workspace, behind the guards of ``security.py``."""

from __future__ import annotations

import threading

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from sitroom import __version__
from sitroom.errors import InputError, NotFoundError, SitroomError
from sitroom.present.web.render import STATIC, render
from sitroom.present.web.security import Guard
from sitroom.present.web.settings import WebSettings
from sitroom.workspace import Workspace


def create_app(ws: Workspace, settings: WebSettings | None = None) -> FastAPI:
    """The workbench over ``ws`` (kept open by the caller for the app's life)."""
    from sitroom.present.web.routes import ROUTERS

    settings = settings or WebSettings()
    settings.check()
    app = FastAPI(
        title="sitroom workbench",
        version=__version__,
        description="Read-layer JSON of every workbench page, and the analyst's corrections.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
        redoc_url=None,
    )
    app.state.ws = ws
    app.state.settings = settings
    # Writes (corrections) and the question board (the analyser keeps state) go one at a time.
    app.state.lock = threading.RLock()
    # A fixed mount of the package's own folder: no request path names any other file.
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(SitroomError, _sitroom_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(Guard, settings=settings)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.method not in ("GET", "HEAD", "POST")


def _error(request: Request, status: int, message: str, code: str | None = None):
    if _wants_json(request):
        return JSONResponse({"detail": message, "code": code}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message, "code": code}, status=status)


async def _sitroom_error(request: Request, exc: Exception):
    assert isinstance(exc, SitroomError)
    status = 404 if isinstance(exc, NotFoundError) else 400 if isinstance(exc, InputError) else 500
    return _error(request, status, exc.message, exc.code)


async def _http_error(request: Request, exc: Exception):
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 404 and message == "Not Found":
        message = "no such page"
    return _error(request, exc.status_code, message)


async def _validation_error(request: Request, exc: Exception):
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in exc.errors()
    )
    if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
        return _error(request, 404, "no such page", "E040")  # a malformed id names nothing
    return _error(request, 400, f"bad parameter: {problems}", "E041")
