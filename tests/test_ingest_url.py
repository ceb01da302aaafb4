"""URLs and feeds over HTTP, served from a loopback server in a thread: never the internet."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.config import IngestOptions
from sitroom.ingest import iter_inputs
from sitroom.model import Problem, RawDocument

BODY = "Officials confirmed on Tuesday that the convoy had reached the border crossing after two days. " * 8
PAGE = f"""<!DOCTYPE html><html><head><title>Convoy reaches border</title>
<meta name="author" content="Sam Writer"><meta property="article:published_time" content="2019-10-01">
</head><body><nav>Home | World</nav><article><h1>Convoy reaches border</h1><p>{BODY}</p><p>{BODY}</p>
</article></body></html>""".encode()


def feed(base: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>
<item><title>Convoy</title><link>{base}/page</link><pubDate>Tue, 01 Oct 2019 10:00:00 GMT</pubDate>
<description>Teaser only.</description></item>
<item><title>Gone</title><link>{base}/missing</link><description>Gone teaser.</description></item>
</channel></rss>""".encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def send(self, body: bytes, content_type: str | None, status: int = 200, length: bool = True) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        base = f"http://{self.headers['Host']}"
        path = self.path
        if path == "/page":
            self.send(PAGE, "text/html; charset=utf-8")
        elif path == "/notes":
            self.send(
                "Plain notes, encoded in Latin-1: café".encode("latin-1"), "text/plain; charset=iso-8859-1"
            )
        elif path == "/feed":
            self.send(feed(base), "application/rss+xml")
        elif path == "/data":
            self.send(b'{"text": "one"}\n{"text": "two"}\n', "application/x-ndjson")
        elif path == "/pdf":
            self.send(b"%PDF-1.4 ...", "application/pdf")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/slow":
            time.sleep(2)
            self.send(PAGE, "text/html")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"drip ")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/big":
            self.send(b"x" * 5000, "text/plain")
        elif path == "/big-unannounced":
            self.send(b"x" * 5000, "text/plain", length=False)
            self.close_connection = True
        else:
            self.send(b"not found", "text/plain", status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def read_url(url: str, **options: object) -> list[RawDocument | Problem]:
    return list(iter_inputs([url], options=IngestOptions(**options)))


def test_page_is_fetched_and_extracted(server: str) -> None:
    (doc,) = read_url(f"{server}/page")
    assert isinstance(doc, RawDocument)
    assert (doc.format, doc.origin, doc.url, doc.title, doc.author) == (
        "url-html",
        f"{server}/page",
        f"{server}/page",
        "Convoy reaches border",
        "Sam Writer",
    )
    assert "border crossing" in doc.text and "Home | World" not in doc.text
    assert doc.raw == PAGE


def test_redirect_is_followed_and_final_url_kept(server: str) -> None:
    (doc,) = read_url(f"{server}/redirect")
    assert (doc.origin, doc.url) == (f"{server}/redirect", f"{server}/page")


def test_text_uses_the_declared_charset(server: str) -> None:
    (doc,) = read_url(f"{server}/notes")
    assert (doc.format, doc.text) == ("url-text", "Plain notes, encoded in Latin-1: café")


def test_json_lines_over_http(server: str) -> None:
    docs = read_url(f"{server}/data")
    assert [(d.format, d.text, d.locator, d.url) for d in docs] == [
        ("url-jsonl", "one", "line 1", None),
        ("url-jsonl", "two", "line 2", None),
    ]


def test_feed_entries_from_a_url(server: str) -> None:
    first, second = read_url(f"{server}/feed")
    assert (first.format, first.text, first.url, first.source) == (
        "url-feed",
        "Teaser only.",
        f"{server}/page",
        "Loopback Wire",
    )
    assert second.locator == "entry 2"


def test_feed_items_fetched_when_asked(server: str) -> None:
    page, missing = read_url(f"{server}/feed", fetch_feed_items=True)
    assert isinstance(page, RawDocument)
    assert (page.format, page.url, page.title) == ("url-html", f"{server}/page", "Convoy reaches border")
    assert "border crossing" in page.text and page.source == "Loopback Wire"
    assert page.extra["feed"] == f"{server}/feed"
    assert isinstance(missing, Problem) and missing.code == "E020" and "404" in missing.reason


@pytest.mark.parametrize(
    ("path", "options", "code", "words"),
    [
        ("/pdf", {}, "E021", "application/pdf"),
        ("/missing", {}, "E020", "HTTP 404"),
        ("/loop", {"url_max_redirects": 3}, "E020", "more than 3 redirects"),
        ("/slow", {"url_timeout": 0.5}, "E022", "0.5 s"),
        ("/trickle", {"url_timeout": 0.8}, "E022", "longer than 0.8 s"),
        ("/big", {"max_bytes": 1000}, "E015", "announced"),
        ("/big-unannounced", {"max_bytes": 1000}, "E015", "more than 1,000 bytes"),
    ],
)
def test_url_failures_are_problems(server: str, path: str, options: dict, code: str, words: str) -> None:
    (problem,) = read_url(f"{server}{path}", **options)
    assert isinstance(problem, Problem) and problem.code == code, problem
    assert words in problem.reason and problem.origin == f"{server}{path}"


def test_unreachable_host_is_e020() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (problem,) = read_url(f"http://127.0.0.1:{port}/x", url_timeout=2)
    assert problem.code == "E020" and "ConnectError" in problem.reason


def test_one_dead_url_does_not_stop_the_batch(server: str) -> None:
    items = read_url_batch([f"{server}/missing", f"{server}/page"])
    assert [type(i).__name__ for i in items] == ["Problem", "RawDocument"]


def read_url_batch(urls: list[str]) -> list[RawDocument | Problem]:
    return list(iter_inputs(urls))
