"""The workbench's guards, one ASGI middleware in front of every route.

In order: the ``Host`` header must name this server (a page on another site cannot reach a loopback
server through DNS rebinding); the body must be small; with ``--read-only`` nothing but GET/HEAD
passes; with a token every request must carry it (``Authorization: Bearer`` or the session cookie the
login form sets); every response gets the security headers. CSRF is double-submit: a random cookie
(HttpOnly, SameSite=Strict) whose value each form repeats, checked by :func:`require_csrf` on every
state-changing route. Article text is hostile: templates autoescape it, and the Content-Security-Policy
refuses inline script and style, so an escaping mistake still cannot run code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import quote

from fastapi import Form, HTTPException, Request
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom.present.web.settings import MAX_BODY_BYTES, WebSettings

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]
CSRF_COOKIE = "sitroom_csrf"
SESSION_COOKIE = "sitroom_session"
# Reachable without the token: the login form and the stylesheet it uses.
OPEN_PATHS = ("/login", "/static/")
SAFE_METHODS = ("GET", "HEAD")


def session_value(settings: WebSettings) -> str:
    """What the session cookie holds: a MAC of the token, so the cookie never carries the token itself."""
    return hmac.new(settings.secret.encode(), (settings.token or "").encode(), hashlib.sha256).hexdigest()


def token_ok(settings: WebSettings, given: str | None) -> bool:
    return bool(settings.token) and given is not None and hmac.compare_digest(given, settings.token)


def safe_next(target: str | None) -> str:
    """A redirect target inside this site (a path, never ``//host`` or a scheme): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class Guard:
    """The ASGI middleware applying the rules above."""

    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = settings.host_names()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        csrf = headers.get("cookie") and _cookie(headers, CSRF_COOKIE)
        new_csrf = None
        if not csrf or len(csrf) != 43:
            new_csrf = csrf = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if new_csrf:
                    extra.append((b"set-cookie", _cookie_header(CSRF_COOKIE, new_csrf).encode()))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, _limited(receive), send_with_headers)

    def _refusal(self, scope: Scope, headers: Headers):
        path, method = scope["path"], scope["method"]
        if self.hosts is not None:
            name = _host_name(headers.get("host", ""))
            if name not in self.hosts:
                return PlainTextResponse("unknown Host header", status_code=400)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return PlainTextResponse("request body too large", status_code=413)
        if (
            method not in SAFE_METHODS
            and length is None
            and "chunked" in headers.get("transfer-encoding", "")
        ):
            return PlainTextResponse("a request body needs a Content-Length", status_code=411)
        if self.settings.token and not path.startswith(OPEN_PATHS) and not self._authorised(headers):
            if method in SAFE_METHODS and not path.startswith("/api"):
                return RedirectResponse("/login?next=" + quote(path, safe="/"), status_code=303)
            return JSONResponse({"detail": "a token is needed"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        if self.settings.read_only and method not in SAFE_METHODS and path not in ("/login", "/logout"):
            return PlainTextResponse("this workbench is read-only (--read-only)", status_code=403)
        return None

    def _authorised(self, headers: Headers) -> bool:
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token_ok(self.settings, given.strip()):
            return True
        cookie = _cookie(headers, SESSION_COOKIE)
        return cookie is not None and hmac.compare_digest(cookie, session_value(self.settings))


def _limited(receive: Receive) -> Receive:
    """``receive`` refusing more than MAX_BODY_BYTES however the body is sent."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise HTTPException(status_code=413, detail="request body too large")
        return message

    return wrapped


def _host_name(host: str) -> str:
    if host.startswith("["):  # [::1]:8765
        return host[1:].partition("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cookie(headers: Headers, name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _cookie_header(name: str, value: str, *, max_age: int | None = None) -> str:
    age = f"; Max-Age={max_age}" if max_age is not None else ""
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict{age}"


def session_cookie_header(settings: WebSettings) -> str:
    return _cookie_header(SESSION_COOKIE, session_value(settings), max_age=12 * 3600)


def require_csrf(request: Request, csrf: str = Form("")) -> None:
    """A dependency of every state-changing route: the form's token must equal the CSRF cookie."""
    expected = request.scope.get("state", {}).get("csrf", "")
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not csrf or not hmac.compare_digest(csrf, cookie) or cookie != expected:
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token; reload the page")
