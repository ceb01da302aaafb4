"""The workbench through Starlette's TestClient: every page and its JSON, the OpenAPI document, the
security headers, token, CSRF, read-only, Host checks, raw downloads and path traversal."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sitroom.errors import InputError
from sitroom.present.web import WebSettings, create_app
from sitroom.present.web.highlight import Mark, segments
from sitroom.present.web.render import safe_href
from tests.web_fixtures import demo_ws, hostile_ws  # noqa: F401  (fixtures)

TOKEN = "correct-horse-battery-staple"


def client(ws, **settings) -> TestClient:
    settings.setdefault("allowed_hosts", ("testserver",))
    return TestClient(create_app(ws, WebSettings(**settings)), follow_redirects=False)


def page_paths(ws) -> list[str]:
    doc = ws.documents_page(limit=1).items[0].id
    claim = ws.claims(limit=1).items[0].ref
    story = ws.stories(limit=1).items[0].id
    slug = ws.questions()[0].slug
    entity = next(iter(ws.document_entity_ids(doc).values()))
    place = ws.places(limit=1).items[0].id
    return [
        "/", "/documents", "/documents?q=forces&duplicates=hide", f"/documents/{doc}",
        f"/documents/{doc}?at=0-40", "/claims", "/claims?speaker=putin&modality=&polarity=&since=&until=",
        f"/claims/provenance?ref={claim}", "/events", "/events?type=deploy&located=yes", "/map",
        "/timeline", "/timeline?kind=documents", f"/entities/{entity}", "/places", f"/places/{place}",
        "/stories", f"/stories/{story}", "/contradictions", "/contradictions?kind=corroborates",
        "/sources", "/questions", f"/questions/{slug}", "/search?q=russia", "/revisions",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def demo(demo_ws):  # noqa: F811
    return client(demo_ws)


def test_every_page_renders_as_html_and_json(demo_ws, demo):  # noqa: F811
    for path in page_paths(demo_ws):
        response = demo.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        assert "<main>" in response.text
        api = "/api/overview" if path == "/" else "/api" + path
        answer = demo.get(api)
        assert answer.status_code == 200, (api, answer.text[:500])
        assert isinstance(answer.json(), dict)


def test_pages_need_no_script_for_their_content(demo_ws, demo):  # noqa: F811
    claims = demo.get("/claims").text
    assert 'class="hop speaker"' in claims and "provenance and links" in claims
    markers = demo.get("/map").text
    assert re.search(r"<td>\d+\.\d{3}, \d+\.\d{3}</td>", markers)  # the located events as a table
    assert "<td>" in demo.get("/timeline").text


def test_openapi_document_lists_the_api(demo):
    spec = demo.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ("/api/overview", "/api/documents", "/api/documents/{doc_id}", "/api/claims", "/api/events",
                 "/api/map", "/api/timeline", "/api/questions/{slug}", "/api/revisions"):  # fmt: skip
        assert path in paths, path
    assert "/documents" not in paths and "/" not in paths  # HTML pages stay out of the API


def test_security_headers_on_every_response(demo):
    for path in ("/", "/api/overview", "/static/app.css", "/no-such-page"):
        headers = demo.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_templates_have_no_inline_script_or_style(demo):
    html = demo.get("/map").text + demo.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html


def test_raw_bytes_are_a_download(demo_ws, demo):  # noqa: F811
    doc = demo_ws.documents_page(limit=1).items[0].id
    response = demo.get(f"/documents/{doc}/raw")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == f'attachment; filename="{doc}.raw"'
    assert response.content == demo_ws.raw_bytes(doc)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fapp.py",
        "/documents/..%2f..%2fetc%2fpasswd", "/documents/../../etc/passwd/raw", "/stories/..%2f..",
        "/static/vendor/../../app.py", "/static//etc/passwd", "/places/..%2f..%2fetc",
    ],
)  # fmt: skip
def test_path_traversal_finds_nothing(demo, path):
    response = demo.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert "root:" not in response.text and "create_app" not in response.text


def test_bad_filters_are_400_not_500(demo):
    assert demo.get("/claims?modality=sure").status_code == 400
    assert demo.get("/api/documents?since=yesterday").status_code == 400
    assert demo.get("/api/documents?limit=100000").status_code == 400
    assert demo.get("/api/claims/provenance?ref=claim:0000000000000000:1-2").status_code == 404


def test_loopback_by_default_and_no_other_host_without_token(demo_ws):  # noqa: F811
    with pytest.raises(InputError, match="token"):
        create_app(demo_ws, WebSettings(host="0.0.0.0"))
    create_app(demo_ws, WebSettings(host="0.0.0.0", token=TOKEN))
    with pytest.raises(InputError):
        create_app(demo_ws, WebSettings(host="0.0.0.0", token="short"))


def test_host_header_checked_against_dns_rebinding(demo_ws):  # noqa: F811
    loopback = TestClient(create_app(demo_ws, WebSettings()), base_url="http://127.0.0.1:8765")
    assert loopback.get("/").status_code == 200
    assert loopback.get("/", headers={"host": "localhost:8765"}).status_code == 200
    assert loopback.get("/", headers={"host": "attacker.example:8765"}).status_code == 400
    assert loopback.get("/", headers={"host": "[::1]:8765"}).status_code == 200


def test_token_guards_every_request(demo_ws):  # noqa: F811
    guarded = client(demo_ws, host="0.0.0.0", token=TOKEN, allowed_hosts=None)
    assert guarded.get("/api/overview").status_code == 401
    assert (
        guarded.get("/api/overview", headers={"Authorization": "Bearer wrong-token-123"}).status_code == 401
    )
    assert guarded.get("/api/overview", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    page = guarded.get("/claims?speaker=x")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/claims"
    assert guarded.get("/static/app.css").status_code == 200
    form = guarded.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    bad = guarded.post("/login", data={"token": "nope", "csrf": csrf, "next": "/claims"})
    assert bad.status_code == 401
    assert guarded.post("/login", data={"token": TOKEN, "csrf": "forged", "next": "/"}).status_code == 403
    good = guarded.post("/login", data={"token": TOKEN, "csrf": csrf, "next": "//evil.example/"})
    assert good.status_code == 303 and good.headers["location"] == "/"  # no open redirect
    cookie = good.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
    assert guarded.get("/claims").status_code == 200  # the session cookie now


def _csrf(c: TestClient, path: str = "/sources") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def test_state_changes_need_post_and_csrf(demo_ws):  # noqa: F811
    c = client(demo_ws)
    source = demo_ws.sources()[-1].name
    change = {"target": f"source:{source}", "field": "grade", "value": "B", "why": "test", "next": "/sources"}
    assert c.get("/correct").status_code == 405
    assert c.post("/correct", data=change).status_code == 403  # no token
    token = _csrf(c)
    assert c.post("/correct", data={**change, "csrf": token + "x"}).status_code == 403
    other = client(demo_ws)  # another browser: its own cookie, so a token copied across does not work
    assert other.post("/correct", data={**change, "csrf": token}).status_code == 403
    done = c.post("/correct", data={**change, "csrf": token})
    assert done.status_code == 303 and done.headers["location"] == "/sources"
    assert next(s for s in demo_ws.sources(min_documents=0) if s.name == source).grade == "B"


def test_read_only_refuses_every_change(demo_ws):  # noqa: F811
    c = client(demo_ws, read_only=True)
    c.get("/")
    token = c.cookies["sitroom_csrf"]
    for path in ("/correct", "/correct/ach", "/api/anything", "/documents"):
        assert c.post(path, data={"csrf": token}).status_code == 403, path
    assert c.put("/correct").status_code == 403
    assert "read-only" in c.get("/").text
    assert '<form method="post" action="/correct"' not in c.get("/sources").text


def test_request_bodies_are_limited(demo_ws):  # noqa: F811
    c = client(demo_ws)
    big = {"csrf": _csrf(c), "target": "x", "field": "y", "value": "z" * 100_000}
    assert c.post("/correct", data=big).status_code == 413


def test_hostile_text_is_escaped_and_never_linked(hostile_ws):  # noqa: F811
    c = client(hostile_ws)
    for brief in hostile_ws.documents_page(limit=50):
        for path in (f"/documents/{brief.id}", "/documents", "/claims", "/events", "/sources", "/"):
            html = c.get(path).text
            assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html
            assert 'href="javascript:' not in html.lower() and 'href="data:' not in html.lower()
    assert "&lt;script&gt;" in c.get("/documents").text


def test_safe_href_links_only_web_addresses():
    assert safe_href("https://example.org/a") == "https://example.org/a"
    for url in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example",
                "/relative", "vbscript:x", "http://", "https://ex ample.org\n"):  # fmt: skip
        assert safe_href(url) is None, url


def test_highlight_segments_keep_the_text_and_nest_layers():
    text = "Putin said troops left Syria."
    marks = [Mark(start=0, end=5, layer="entities", title="PERSON"), Mark(start=11, end=28, layer="claims", title="c"),
             Mark(start=23, end=28, layer="places", title="p")]  # fmt: skip
    parts = segments(text, marks, focus=(11, 17))
    assert "".join(p.text for p in parts) == text
    syria = next(p for p in parts if p.text == "Syria")
    assert syria.layers == ("claims", "places")
    assert any(p.focus and p.text == "troops" for p in parts)


def test_serve_refuses_a_public_address_without_a_token(demo_ws):  # noqa: F811
    from typer.testing import CliRunner

    from sitroom.cli import app

    result = CliRunner().invoke(app, ["serve", "-w", str(demo_ws.location.sqlite_path), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "token" in result.output


def test_an_ach_override_shows_on_the_board(demo_ws):  # noqa: F811
    c = client(demo_ws, analyst="board-tester")
    slug = demo_ws.questions()[0].slug
    row = demo_ws.board(slug).matrix[0]
    hypothesis = next(iter(row.ratings))
    value = "II" if row.ratings[hypothesis] != "II" else "CC"
    form = {"csrf": _csrf(c, f"/questions/{slug}"), "slug": slug, "ref": row.evidence.ref,
            "hypothesis": hypothesis, "value": value, "why": "a note for the test"}  # fmt: skip
    done = c.post("/correct/ach", data=form)
    assert done.status_code == 303 and done.headers["location"] == f"/questions/{slug}"
    page = c.get(f"/questions/{slug}").text
    assert "a note for the test" in page and "board-tester" in page
