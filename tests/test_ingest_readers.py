"""Each reader through read_bytes: formats, metadata, and every bad-input case as a Problem."""

from __future__ import annotations

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitroom.config import IngestOptions
from sitroom.ingest import parse_field_map, read_bytes
from sitroom.model import Problem, RawDocument

PARAGRAPH = (
    "The ministry said on Monday that more than 800 targets had been destroyed in the last week, "
    "while a monitoring group counted 403 civilian deaths over the same period in the province. "
)


def article_html(
    *,
    title: str = "Troops move north",
    body: str = PARAGRAPH * 6,
    author: str = "Jane Reporter",
    head: str = "",
) -> bytes:
    """A news page with navigation, a dated article and a footer, as sites serve them."""
    author_meta = f'<meta name="author" content="{author}">' if author else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Example News</title>
<meta property="og:title" content="{title}">
{author_meta}{head}
<meta property="article:published_time" content="2016-03-14T09:30:00Z">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.org/2016/03/troops">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>
<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>
<footer>Copyright Example News. All rights reserved.</footer>
</body></html>""".encode()


def read_all(data: bytes, **kwargs) -> list[RawDocument | Problem]:
    kwargs.setdefault("origin", "input")
    return list(read_bytes(data, **kwargs))


def only_doc(items: list[RawDocument | Problem]) -> RawDocument:
    assert len(items) == 1 and isinstance(items[0], RawDocument), items
    return items[0]


def only_problem(items: list[RawDocument | Problem], code: str) -> Problem:
    assert len(items) == 1 and isinstance(items[0], Problem), items
    assert items[0].code == code, items[0]
    return items[0]


# --- text and Markdown -----------------------------------------------------------------------------


def test_text_keeps_decoded_text_and_raw_bytes() -> None:
    data = "Moscow, March 14 — Russia said…\n".encode()
    doc = only_doc(read_all(data, name="a.txt"))
    assert (doc.format, doc.text, doc.raw, doc.origin) == ("text", data.decode(), data, "input")


def test_text_strips_bom_and_falls_back_from_utf8() -> None:
    assert only_doc(read_all(b"\xef\xbb\xbfHello there")).text == "Hello there"
    latin = ("Le président a déclaré à Genève que les négociations reprendront. " * 5).encode("cp1252")
    warning, doc = read_all(latin)  # a guessed encoding is said, never silent
    assert isinstance(warning, Problem) and (warning.code, warning.kind) == ("E024", "warning")
    assert "président" in doc.text


def test_markdown_title_from_first_heading() -> None:
    doc = only_doc(read_all(b"# Russia weighs options\n\nBody text here.\n", name="x.md"))
    assert (doc.format, doc.title) == ("markdown", "Russia weighs options")


def test_undecodable_bytes_are_e011() -> None:
    junk = bytes(range(1, 32)) * 40 + bytes(range(128, 256)) * 10
    only_problem(read_all(junk), "E011")


def test_binary_and_empty_inputs() -> None:
    assert "PDF" in only_problem(read_all(b"%PDF-1.4\n...", name="a.txt"), "E013").reason
    only_problem(read_all(b"abc\x00def\x00"), "E013")
    only_problem(read_all(b""), "E014")
    only_problem(read_all(b" \n\n "), "E014")


# --- gzip ------------------------------------------------------------------------------------------


def test_gzip_is_transparent_and_raw_is_the_decompressed_bytes() -> None:
    data = b"Some article text.\n"
    doc = only_doc(read_all(gzip.compress(data), name="a.txt.gz"))
    assert doc.text == data.decode() and doc.raw == data


def test_truncated_gzip_is_e016() -> None:
    packed = gzip.compress(b"Some article text. " * 200)
    only_problem(read_all(packed[: len(packed) // 2]), "E016")
    only_problem(read_all(b"\x1f\x8b\x08\x00not really gzip"), "E016")


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"a" * 2_000_000)
    assert len(bomb) < 10_000
    problem = only_problem(read_all(bomb, options=IngestOptions(max_bytes=100_000)), "E015")
    assert "decompression" in problem.reason


def test_over_cap_bytes_are_e015() -> None:
    only_problem(read_all(b"x" * 101, options=IngestOptions(max_bytes=100)), "E015")


# --- HTML ------------------------------------------------------------------------------------------


def test_html_main_text_and_metadata() -> None:
    doc = only_doc(read_all(article_html(), name="page.html"))
    assert doc.format == "html"
    assert "800 targets" in doc.text and "Log in" not in doc.text and "All rights reserved" not in doc.text
    assert doc.title == "Troops move north"
    assert doc.author == "Jane Reporter"
    assert doc.published == "2016-03-14" and doc.published_basis == "html-meta"
    assert doc.source == "Example News"
    assert doc.url == "https://news.example.org/2016/03/troops"


def _json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_fact_check_is_not_written_by_the_claimant() -> None:
    # A fact check shows whose claim it checks in an "author" box, and its ClaimReview names that
    # claimant (itemReviewed.author) beside the outlet; trafilatura took the box for the byline.
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "The port has been closed to all shipping since May.",
        "itemReviewed": {
            "@type": "CreativeWork",
            "author": {"@type": "Person", "name": "The Harbour Authority"},
        },
        "author": {"@type": "Organization", "name": "Example Checks"},
    }
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Is the port closed? | Example Checks</title>{_json_ld(review)}</head><body>
<div class="statement"><div class="statement-author"><h4 class="author">The Harbour Authority</h4>
<p>Port operator</p></div><p>"The port has been closed to all shipping since May."</p></div>
<article><h1>Is the port closed?</h1><p>{PARAGRAPH * 6}</p></article></body></html>""".encode()
    doc = only_doc(read_all(page))
    assert "800 targets" in doc.text
    assert doc.author is None


def test_the_page_s_article_names_its_authors() -> None:
    article = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "Troops move north"},
            {
                "@type": "NewsArticle",
                "author": [
                    {"@type": "Person", "name": "Ana  Ortiz", "jobTitle": "Reporter"},
                    {"@type": "Person", "name": "Lars Eide"},
                    {"@type": "Organization", "name": "Example News"},
                ],
            },
        ],
    }
    page = article_html(
        author="Ana Ortiz is a reporter", head='<script type="application/ld+json">{oops</script>'
    )
    assert only_doc(read_all(page)).author == "Ana Ortiz is a reporter"  # a broken block says nothing
    page = article_html(author="Ana Ortiz is a reporter", head=_json_ld(article))
    assert only_doc(read_all(page)).author == "Ana Ortiz; Lars Eide"


def test_html_known_url_wins_over_canonical() -> None:
    doc = only_doc(read_all(article_html(), url="https://mirror.example.com/x"))
    assert doc.url == "https://mirror.example.com/x"


def test_html_without_body_is_e018() -> None:
    page = b"<html><head><title>App</title><script>boot()</script></head><body><div id='root'></div></body></html>"
    only_problem(read_all(page), "E018")


def test_forced_format_overrides_sniffing() -> None:
    doc = only_doc(read_all(b"<p>not parsed</p>", options=IngestOptions(format="text")))
    assert doc.format == "text" and doc.text == "<p>not parsed</p>"
    only_problem(read_all(b"hello", options=IngestOptions(format="pdf")), "E013")


# --- JSON, JSONL, CSV ------------------------------------------------------------------------------


def test_json_array_with_automatic_field_mapping() -> None:
    records = [
        {
            "Headline": "A",
            "articleBody": "<p>First para.</p><p>Second &amp; last.</p>",
            "Link": "https://a.example/1",
            "pubDate": "2016-03-14",
            "Publisher": "Outlet A",
            "Authors": ["X", "Y"],
            "lang": "en",
        },
        {"title": "B", "content": "Plain body.", "domain": "b.example", "byline": "Z"},
    ]
    first, second = read_all(json.dumps(records).encode())
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.title, first.url, first.published, first.source, first.author) == (
        "A",
        "https://a.example/1",
        "2016-03-14",
        "Outlet A",
        "X, Y",
    )
    assert first.text == "First para.\n\nSecond & last."  # HTML in a field becomes text
    assert (first.format, first.locator, first.extra) == ("json", "record 1", {"fields": {"lang": "en"}})
    assert (second.source, second.author, second.locator) == ("b.example", "Z", "record 2")


def test_json_envelope_and_single_object() -> None:
    newsapi = {
        "status": "ok",
        "articles": [
            {
                "source": {"id": None, "name": "BBC News"},
                "title": "T",
                "description": "teaser",
                "content": "Full text.",
                "publishedAt": "2020-01-02T03:04:05Z",
            }
        ],
    }
    doc = only_doc(read_all(json.dumps(newsapi).encode()))
    assert (doc.source, doc.text, doc.published) == ("BBC News", "Full text.", "2020-01-02T03:04:05Z")
    assert only_doc(read_all(b'{"text": "one record"}')).text == "one record"


def test_record_raw_is_canonical_json_so_ids_are_stable() -> None:
    a = only_doc(read_all(b'{"title": "T", "text": "body"}'))
    b = only_doc(read_all(b'{"text":"body","title":"T"}\n', name="x.jsonl"))
    assert a.raw == json.dumps({"text": "body", "title": "T"}, sort_keys=True, ensure_ascii=False).encode()
    assert a.id == b.id


def test_jsonl_malformed_line_reported_with_line_and_others_read() -> None:
    data = b'{"text": "one"}\n\n{"text": "two",,}\n[1, 2]\n{"text": "four"}\n'
    items = read_all(data, origin="feed.jsonl")
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert [d.text for d in docs] == ["one", "four"]
    assert [d.locator for d in docs] == ["line 1", "line 5"]
    assert [(p.code, p.where) for p in problems] == [
        ("E019", "feed.jsonl (line 3)"),
        ("E019", "feed.jsonl (line 4)"),
    ]


def test_jsonl_line_separator_inside_a_string_is_not_a_line_end() -> None:
    data = '{"text": "one\u2028two\u0085three"}\n{"text": "four"}\n'.encode()
    assert [d.text for d in read_all(data)] == ["one\u2028two\u0085three", "four"]


def test_json_record_without_text_is_e017_and_bad_json_is_e012() -> None:
    items = read_all(b'[{"title": "no body"}, {"text": ""}, {"text": "ok"}]')
    assert [getattr(i, "code", "doc") for i in items] == ["E017", "E017", "doc"]
    only_problem(read_all(b'[{"text": "a"}'), "E012")


def test_csv_with_multiline_fields_and_row_locators() -> None:
    data = b'headline,body,url\r\nA,"line one\r\nline two",https://x.example/a\r\nB,second,\r\n'
    first, second = read_all(data, name="x.csv")
    assert (first.title, first.text, first.url, first.locator) == (
        "A",
        "line one\r\nline two",
        "https://x.example/a",
        "row 1",
    )
    assert (second.title, second.url, second.format) == ("B", None, "csv")


def test_csv_without_text_column_is_one_e017() -> None:
    problem = only_problem(read_all(b"name,count\na,1\nb,2\n", name="x.csv"), "E017")
    assert "--map text=" in problem.reason


def test_csv_huge_field_and_ragged_row() -> None:
    big = "word " * 100_000
    data = f'text,title\n"{big}",big\nsmall,x,extra\n'.encode()
    first, second = read_all(data, name="x.csv")
    assert isinstance(first, RawDocument) and len(first.text) > 400_000
    assert isinstance(second, Problem) and second.code == "E019" and second.locator == "row 2"


def test_explicit_field_map_overrides_automatic_mapping() -> None:
    data = b"title,hed,text,body\nauto title,mapped title,auto text,mapped body\n"
    options = IngestOptions(field_map=parse_field_map(["text=body", "title=HED"]))
    doc = only_doc(read_all(data, name="x.csv", options=options))
    assert (doc.title, doc.text) == ("mapped title", "mapped body")
    problem = only_problem(
        read_all(data, name="x.csv", options=IngestOptions(field_map={"text": "nope"})), "E017"
    )
    assert "'nope'" in problem.reason
    only_problem(read_all(b'{"text": "a"}', options=IngestOptions(field_map={"bogus": "x"})), "E023")


def test_parse_field_map_rejects_bad_items() -> None:
    import pytest

    from sitroom.errors import InputError

    for bad in (["text"], ["text="], ["colour=red"]):
        with pytest.raises(InputError) as info:
            parse_field_map(bad)
        assert info.value.code == "E023"


# --- feeds -----------------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire Feed</title>
<item><title>First</title><link>https://wire.example/1</link><dc:creator>Ann Author</dc:creator>
<pubDate>Mon, 14 Mar 2016 09:30:00 +0100</pubDate>
<description>&lt;p&gt;Russia &lt;b&gt;may&lt;/b&gt; send troops.&lt;/p&gt;</description></item>
<item><title>Title only</title><link>https://wire.example/2</link></item>
</channel></rss>"""


def test_rss_entries_become_documents() -> None:
    first, second = read_all(RSS, origin="wire.xml")
    assert isinstance(first, RawDocument)
    assert (first.format, first.locator, first.title, first.url, first.author, first.source) == (
        "feed",
        "entry 1",
        "First",
        "https://wire.example/1",
        "Ann Author",
        "Wire Feed",
    )
    assert first.text == "Russia may send troops."
    assert (first.published, first.published_basis) == ("2016-03-14T08:30:00Z", "html-meta")
    assert isinstance(second, Problem) and (second.code, second.locator) == ("E017", "entry 2")


def test_atom_feed_content_preferred_over_summary() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Desk</title><entry><title>E</title><link href="https://atom.example/e"/><id>urn:e</id>
<updated>2020-05-01T10:00:00Z</updated><summary>short</summary>
<content type="html">&lt;p&gt;The long story.&lt;/p&gt;</content></entry></feed>"""
    doc = only_doc(read_all(atom))
    assert (doc.text, doc.source, doc.published) == ("The long story.", "Atom Desk", "2020-05-01T10:00:00Z")


def test_broken_feed_is_e012() -> None:
    only_problem(read_all(b'<?xml version="1.0"?><catalog><book id="1"/></catalog>', name="x.rss"), "E012")


# --- WARC ------------------------------------------------------------------------------------------


def build_warc(*, gzipped: bool = False) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "test"}))

    def response(url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2021-06-01T12:00:00Z"},
        )
        writer.write_record(record)

    response("https://news.example.org/a", article_html(), "text/html; charset=utf-8")
    response("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    response("https://news.example.org/b.txt", b"A plain text dispatch.", "text/plain")
    response("https://news.example.org/moved", b"", "text/html", status="301 Moved")
    return out.getvalue()


def test_warc_pages_become_documents_and_others_are_counted() -> None:
    for gzipped in (False, True):
        items = read_all(build_warc(gzipped=gzipped), origin="crawl.warc")
        page, text, skipped = items
        assert (page.format, page.url, page.locator, page.published) == (
            "warc-html",
            "https://news.example.org/a",
            "record 2",
            "2016-03-14",
        )
        assert (text.format, text.text, text.url) == (
            "warc-text",
            "A plain text dispatch.",
            "https://news.example.org/b.txt",
        )
        assert (text.published, text.published_basis) == ("2021-06-01T12:00:00Z", "inferred")
        assert skipped.code == "E013" and "image/png" in skipped.reason and "HTTP 301" in skipped.reason


def test_malformed_warc_record_is_reported_and_reading_goes_on() -> None:
    data = build_warc()
    first_response = data.index(b"WARC/1.", 10)
    # Break the Content-Length of the page record: its header block becomes unreadable.
    broken = data[:first_response] + data[first_response:].replace(b"Content-Length:", b"Content-Lxngth:", 1)
    items = read_all(broken, origin="crawl.warc")
    problems = [i for i in items if isinstance(i, Problem) and i.code == "E019"]
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert problems and problems[0].locator == "record 2"
    assert [d.url for d in docs][-1] == "https://news.example.org/b.txt"
