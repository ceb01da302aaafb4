"""Property checks and input strategies shared by the fuzz tests (tests/test_fuzz_*.py) and the long
run (``python -m benchmarks.fuzz``).

Each ``check_*`` function takes one generated input and raises AssertionError (or whatever the code
under test raised) when a property fails:

- readers, sniffer, decoder: arbitrary bytes never raise and never hit the E031 "reader bug" path;
  every item is a RawDocument or a coded Problem; the same bytes give the same document ids;
- normaliser: idempotent; cleaner: a Document or E030, nothing else, and the same output twice;
- publication dates, time expressions, quantities, claims, events: spans lie inside the text,
  intervals are ordered (lo ≤ hi, earliest ≤ latest), and a second run gives the same result.

Time is bounded per example by hypothesis's ``deadline`` (see :data:`CI_SETTINGS`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sitroom.clean import clean_document, normalize_text
from sitroom.clean.dates import check_plausible, gather_events, infer_from_content, parse_date_value
from sitroom.config import IngestOptions
from sitroom.errors import InputError
from sitroom.ingest import read_bytes, sniff_format
from sitroom.ingest.sniff import SNIFF_RESULTS
from sitroom.ingest.text import DecodeError, decode_checked
from sitroom.model import Problem, Published, RawDocument, content_id

# CI: a fixed, derandomised set of examples per target, no example database written to the tree.
# The deadline is generous (a loaded 2-core machine) but catches a hang; it bounds time per input.
CI_EXAMPLES = 60
CI_SPACY_EXAMPLES = 12
CI_SETTINGS = settings(
    max_examples=CI_EXAMPLES,
    deadline=timedelta(seconds=10),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SPACY_SETTINGS = settings(CI_SETTINGS, max_examples=CI_SPACY_EXAMPLES, deadline=timedelta(seconds=30))

TODAY = date(2026, 12, 1)
_CODE = re.compile(r"E\d{3}")
_OPTIONS = IngestOptions(max_seconds_per_document=5.0)

# --- strategies ------------------------------------------------------------------------------------

# Pieces of news prose and markup that steer generated text into the code paths that matter:
# dates, counts, quotes, attribution verbs, elapsed-time phrases, line ends of every style.
NEWS_PIECES = (
    "The minister", "said", "told reporters", "according to", "denied", "on Monday", "last week",
    "March 14", "14 March 2016", "2001", "in 2019", "Nov. 20, 2019", "2019-11-20", "18 years after",
    "five years later", "two days ago", "since 2011", "the civil war", "the war in Afghanistan",
    "300", "1,200", "dozens of", "more than 800", "$4.5 billion", "40%", "killed", "attacked",
    "troops", "rebels", "in Aleppo", "\u201c", "\u201d", '"', "'", ",", ".", "?", "\n", "\n\n", "\r",
    "\r\n", "\t", "\u00a0", "\u200b", "Ã©", "â€™", "\x9d", "»", "º", "Reuters", "By Jane Doe",
    "More:", "Also on rt.com", "Share this", "©", "-", "—", "(", ")", "next year", "will",
)  # fmt: skip
news_text = st.lists(st.sampled_from(NEWS_PIECES), max_size=40).map(" ".join)
glued_text = st.lists(st.sampled_from(NEWS_PIECES), max_size=40).map("".join)
# Latin-1, C1 controls, line and paragraph separators and mojibake lead bytes: where ftfy and the
# whitespace rules interact (the once non-idempotent '»º\r\x9d' lives here).
tricky_chars = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x17F),
        st.sampled_from("\u2028\u2029\u200b\ufeff\u00a0\u2019\u201c\u20ac\ufffd\U0001f600"),
    ),
    max_size=40,
)
# Mojibake halves and line ends only: ftfy repairs line by line, so a line end that moves changes
# what it repairs.
mojibake_text = st.text(alphabet="Ã©â€™»ºÂÐ¼ \r\n\x9d\x81\u2028\u200ba", max_size=20)
any_text = st.one_of(st.text(max_size=400), news_text, glued_text, tricky_chars, mojibake_text)

MARKUP_PIECES = (
    b"<html>", b"<body>", b"<div>", b"</div>", b"<p>", b"</p>", b"<article>", b"</article>",
    b"<div class='article__summary'>", b"<script>", b"</script>", b"<!--", b"-->", b"<br/>",
    b"<title>", b"</title>", b"<meta name='date' content='2019-11-20'>", b"&amp;", b"&#0;",
    b"The minister said on Monday that talks would resume. ", b"\x00", b"\xff", b"\r", b"<a href=x>",
    b"</a>", b"<?xml version='1.0'?>", b"<rss>", b"<item>", b"<description>", b"WARC/1.0\r\n",
    b"Content-Length: 10\r\n", b"\r\n\r\n", b'{"text": "a"}', b"\n", b"title,text\n", b",",
    b"[" * 5000, b"{\"a\":" * 3000, b"<div>" * 300,
)  # fmt: skip
markup_bytes = st.lists(st.sampled_from(MARKUP_PIECES), max_size=60).map(b"".join)
# Few distinct bytes, so line ends, delimiters, quotes and broken UTF-8 meet often (the once fatal
# b'\x01\r\t' is three of them).
BYTE_PIECES = (b"\r", b"\n", b"\t", b",", b";", b"|", b'"', b"a", b"text", b"title", b"\x01", b"\x00",
               b"\xff", b"\xfe", b"\xc3", b"\xa9", b"\xe2\x80", b"<", b">", b"{", b"}", b"[", b"]", b" ")  # fmt: skip
few_bytes = st.lists(st.sampled_from(BYTE_PIECES), max_size=30).map(b"".join)
utf16_text = any_text.map(lambda t: t.encode("utf-16-le", "surrogatepass"))
any_bytes = st.one_of(
    st.binary(max_size=600), few_bytes, markup_bytes, any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    utf16_text,
)  # fmt: skip
any_format = st.sampled_from((None, "text", "markdown", "html", "json", "jsonl", "csv", "warc", "feed"))
file_names = st.sampled_from((None, "a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.csv", "a.tsv",
                              "a.warc", "a.rss", "a.csv.gz", "x"))  # fmt: skip

# --- ingest ----------------------------------------------------------------------------------------


def check_reader(data: bytes, fmt: str | None, name: str | None) -> None:
    options = IngestOptions(format=fmt, max_seconds_per_document=5.0)
    items = list(read_bytes(data, origin="fuzz", options=options, name=name))
    for item in items:
        assert isinstance(item, RawDocument | Problem), item
        if isinstance(item, Problem):
            assert _CODE.fullmatch(item.code) and item.reason, item
            assert item.code != "E031", f"a reader raised: {item.reason}"
        else:
            assert isinstance(item.text, str) and item.id == content_id(item.raw)
    again = list(read_bytes(data, origin="fuzz", options=options, name=name))
    assert [_ident(i) for i in again] == [_ident(i) for i in items]  # ids and problems are stable


def _ident(item: RawDocument | Problem) -> tuple[str, str | None]:
    return (item.id, item.locator) if isinstance(item, RawDocument) else (item.code, item.locator)


def check_sniffer(data: bytes, name: str | None) -> None:
    assert sniff_format(data, name=name) in SNIFF_RESULTS


def check_decoder(data: bytes) -> None:
    try:
        decoded = decode_checked(data)
    except DecodeError:
        return
    assert isinstance(decoded.text, str) and decoded.encoding


def check_normalizer(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once, (text, once)
    assert "\r" not in once


def check_cleaner(text: str) -> None:
    raw = RawDocument(raw=text.encode("utf-8", "surrogatepass"), origin="fuzz", format="text", text=text)
    try:
        doc = clean_document(raw, now=_now())
    except InputError as exc:
        assert exc.code == "E030", exc
        return
    assert doc.text and doc.text == doc.text.strip("\n")
    again = clean_document(raw, now=_now())
    assert (again.text, again.text_hash, again.published) == (doc.text, doc.text_hash, doc.published)
    pub = doc.published
    if pub.earliest and pub.latest:
        assert pub.earliest <= pub.latest, pub


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 12, 1, tzinfo=UTC)


def check_dates(text: str) -> None:
    dated, ages, _ = gather_events(text, now=TODAY)
    for mention in dated + ages:
        assert mention.lo <= mention.hi, mention
    found = infer_from_content(text, now=TODAY)
    if found is not None and found.earliest and found.latest:
        assert found.earliest <= found.latest, found
    parse_date_value(text)
    stated = Published(value="2019-11-20", precision="day", basis="stated")
    checked = check_plausible(stated, text, now=TODAY)
    assert checked.value == "2019-11-20"


# --- nlp / extract ----------------------------------------------------------------------------------


def check_timex(text: str) -> None:
    from sitroom.nlp.timex import find_time_expressions

    for anchor in (date(2019, 11, 20), None):
        refs = find_time_expressions(text, anchor=anchor)
        assert refs == find_time_expressions(text, anchor=anchor)
        for ref in refs:
            assert 0 <= ref.start < ref.end <= len(text), ref
            if ref.earliest and ref.latest:
                assert ref.earliest <= ref.latest, ref


def check_quantities(text: str) -> None:
    from sitroom.nlp.quantities import find_quantities

    found = find_quantities(text)
    assert found == find_quantities(text)
    for q in found:
        assert 0 <= q.start < q.end <= len(text), q
        if q.low is not None and q.high is not None:
            assert q.low <= q.high, q
        if q.counted_start is not None:
            assert 0 <= q.counted_start <= q.counted_end <= len(text), q


@cache
def spacy_pipeline() -> Any:
    from sitroom.pipeline import build_pipeline

    return build_pipeline(["spacy", "entities", "time"])


def _analyse(text: str) -> Any:
    from sitroom.model import Document
    from sitroom.pipeline import Analysis

    pipeline = spacy_pipeline()
    analysis = Analysis(document=Document(id="fuzz", text=text, origin="fuzz", format="text"))
    analysis.spacy_doc = pipeline.nlp(text)
    for component in pipeline.components:
        component(analysis)
    return analysis


def check_claims_and_events(text: str) -> None:
    from sitroom.extract.claims import extract_claims
    from sitroom.extract.events import extract_events

    analysis = _analyse(text)

    def run() -> tuple[list, list]:
        claims = extract_claims(text, analysis.spacy_doc, mentions=analysis.mentions, times=analysis.times)
        events = extract_events(
            text, analysis.spacy_doc, mentions=analysis.mentions, times=analysis.times, claims=claims
        )
        return claims, events

    claims, events = run()
    assert run() == (claims, events)
    n = len(text)
    for c in claims:
        assert 0 <= c.content_start <= c.content_end <= n, c
        for s, e in ((c.cue_start, c.cue_end), (c.source_start, c.source_end)):
            if s is not None:
                assert e is not None and 0 <= s <= e <= n, c
    for ev in events:
        assert 0 <= ev.trigger_start < ev.trigger_end <= n, ev
        if ev.place_start is not None:
            assert ev.place_end is not None and 0 <= ev.place_start <= ev.place_end <= n, ev


# Every target of the long run: name → (check, strategy for its arguments, uses spaCy).
TARGETS: dict[str, tuple[Any, Any, bool]] = {
    "reader": (check_reader, st.tuples(any_bytes, any_format, file_names), False),
    "sniffer": (check_sniffer, st.tuples(any_bytes, file_names), False),
    "decoder": (check_decoder, st.tuples(any_bytes), False),
    "normalizer": (check_normalizer, st.tuples(any_text), False),
    "cleaner": (check_cleaner, st.tuples(any_text), False),
    "dates": (check_dates, st.tuples(any_text), False),
    "timex": (check_timex, st.tuples(any_text), False),
    "quantities": (check_quantities, st.tuples(any_text), False),
    "claims_events": (check_claims_and_events, st.tuples(news_text), True),
}
