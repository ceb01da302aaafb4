"""Report renderers on a hand-built report full of hostile text: HTML stays one self-contained file with
everything escaped, Markdown escapes markup (no workspace, no spaCy)."""

from __future__ import annotations

from html.parser import HTMLParser

from sitroom.present.reports.contents import (
    Changes,
    ClaimRow,
    ContradictionRow,
    Coverage,
    EventRow,
    EvidenceItem,
    HypothesisScore,
    IndicatorRow,
    KeyJudgment,
    Provenance,
    QuestionSection,
    Report,
    Table,
)
from sitroom.present.reports.figures import MapPoint, TimelinePoint, map_figure, timeline_figure
from sitroom.present.reports.judgments import (
    Basis,
    Row,
    confidence_sentence,
    judge_confidence,
    judge_likelihood,
    likelihood_sentence,
)
from sitroom.present.reports.render_html import render_html
from sitroom.present.reports.render_md import escape, render_md
from sitroom.views import SourceProfile

HOSTILE = (
    '<script>alert("x")</script> **bold** [click](javascript:alert(1)) <img src=x onerror=alert(2)> | # h'
    " \u202egnp.exe \x1b]0;pwned\x07"
)
HOSTILE_URL = "javascript:alert(3)"


def hostile_report(url: str | None = "https://example.org/a?b=1&c=<2>") -> Report:
    likelihood = judge_likelihood(
        ranking=["H1", "H2"], rows=[Row(ratings={"H1": "CC", "H2": "II"}, weight=0.8) for _ in range(4)]
    )
    confidence = judge_confidence(
        [Basis(outlet=HOSTILE, grade="F", credibility=6, when="2020-01-01")], newest_document="2020-01-02"
    )
    provenance = Provenance(
        speaker=HOSTILE, via=(HOSTILE,), outlet=HOSTILE, sentence=HOSTILE, document_id="d1", title=HOSTILE,
        url=url, published="2020-01-01", start=0, end=5, sentence_start=0, sentence_end=40,
    )  # fmt: skip
    item = EvidenceItem(
        ref="event:d1:0-5:deploy", indicator="i", indicator_label=HOSTILE, layer="event", text=HOSTILE,
        modality="asserted", polarity="affirm", when="2020-01-01", grade="F", grade_label="cannot be judged",
        credibility=6, credibility_label="cannot be judged", weight=0.8, diagnosticity=3.2,
        ratings=(("H1", "CC"), ("H2", "II")), provenance=provenance, new=True,
    )  # fmt: skip
    figures = (
        timeline_figure(
            [TimelinePoint(when="2020-01", until=None, lane=HOSTILE, tone="for")],
            title=HOSTILE,
            caption=HOSTILE,
        ),  # fmt: skip
        map_figure([MapPoint(lat=35, lon=38, name=HOSTILE, kind="event")], title="Map", caption=HOSTILE),
    )
    section = QuestionSection(
        slug="q", text=HOSTILE,
        judgment=KeyJudgment(
            hypothesis="H1", hypothesis_text=HOSTILE, likelihood=likelihood,
            likelihood_sentence=likelihood_sentence(likelihood, HOSTILE), basis_sentence="basis",
            confidence=confidence, confidence_sentence=confidence_sentence(confidence),
        ),
        hypotheses=(HypothesisScore(id="H1", text=HOSTILE, inconsistency=0, support=6.4, rank=1),
                    HypothesisScore(id="H2", text=HOSTILE, inconsistency=6.4, support=0, rank=2)),
        indicators=(IndicatorRow(id="i", label=HOSTILE, supports=("H1",), weakens=("H2",), hits=1,
                                 periods=(("2020-01", 1),), latest=HOSTILE, latest_when="2020-01-01"),),
        evidence=Table(rows=(item,), total=1),
        changes=Changes(previous_at=None, sentences=(HOSTILE,)),
        claims=Table(rows=(ClaimRow(ref="claim:d1:0-5", speaker=HOSTILE, via=(HOSTILE,), content=HOSTILE,
                                    modality="asserted", polarity="deny", outlet=HOSTILE, document_id="d1",
                                    published="2020"),), total=3),
        events=Table(rows=(EventRow(ref="event:d1:0-5:deploy", type="air_strike", actors=(HOSTILE,), place=HOSTILE,
                                    when="2020", modality="asserted", polarity="affirm", sentence=HOSTILE,
                                    outlet=HOSTILE, document_id="d1"),), total=1),
        contradictions=Table(rows=(ContradictionRow(id=1, score=0.5, status="open", independent=False,
                                                    a_text=HOSTILE, a_outlet=HOSTILE, b_text=HOSTILE,
                                                    b_outlet=None, reason=HOSTILE),), total=1),
        sources=(SourceProfile(name=HOSTILE, grade="F", grade_label="cannot be judged", documents=1),),
        coverage=Coverage(documents=1, outlets=(HOSTILE,), earliest="2020", latest="2020", since=None),
        figures=figures,
    )  # fmt: skip
    return Report(
        title=HOSTILE, subject="question:q", generated_at="2026-01-01T00:00:00+00:00", since=None,
        workspace=HOSTILE, sitroom_version="0.1.0", components=("claims.v2",), questions=(section,),
    )  # fmt: skip


class References(HTMLParser):
    """Every tag and every attribute that could point outside the document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[tuple[str, str, str, dict]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster", "background", "formaction"):
                self.refs.append((tag, name, value or "", attributes))
            if name.startswith("on") or name == "style" and "url(" in (value or ""):
                self.refs.append((tag, name, value or "", attributes))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def assert_self_contained(html: str) -> References:
    """No reference outside the document but in-page anchors, data: images and noopener article links."""
    parsed = References()
    parsed.feed(html)
    assert not {"script", "link", "iframe", "object", "embed", "base", "form", "meta http-equiv"} & set(
        parsed.tags
    )
    assert "url(" not in parsed.style and "@import" not in parsed.style
    for tag, name, value, attributes in parsed.refs:
        if tag == "img" and name == "src":
            assert value.startswith("data:image/png;base64,"), value[:60]
        elif tag == "a" and name == "href" and value.startswith("#"):
            continue
        elif tag == "a" and name == "href":
            assert value.startswith(("https://", "http://")), value
            assert "noopener" in attributes.get("rel", ""), attributes
        else:
            raise AssertionError(f"outside reference <{tag} {name}={value[:60]!r}>")
    return parsed


def test_html_is_self_contained_and_escapes_article_text():
    html = render_html(hostile_report())
    parsed = assert_self_contained(html)
    assert "<script" not in html and "onerror=" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "\u202e" not in html and "\x1b" not in html and "\\u202e" in html  # shown, not obeyed
    assert sum(1 for tag in parsed.tags if tag == "img") == 2
    # The article link is kept, escaped, and opens without a referrer handle.
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;" rel="noopener noreferrer"' in html


def test_javascript_urls_never_become_links():
    from sitroom.present.reports.assemble import _http

    assert _http(HOSTILE_URL) is None
    assert _http("data:text/html,<b>") is None
    assert _http("https://example.org/x") == "https://example.org/x"
    html = render_html(hostile_report(url=None))
    assert_self_contained(html)


def test_likelihood_and_confidence_are_separate_sentences_in_html():
    report = hostile_report()
    html = render_html(report)
    judgment = report.questions[0].judgment
    assert judgment.likelihood.term in html
    assert f"({judgment.likelihood.band.range_text})" in html
    assert '<p class="likelihood">' in html and '<p class="confidence">' in html
    likelihood_p = html.split('<p class="likelihood">', 1)[1].split("</p>", 1)[0]
    confidence_p = html.split('<p class="confidence">', 1)[1].split("</p>", 1)[0]
    assert "confidence" not in likelihood_p
    assert judgment.likelihood.term not in confidence_p


def test_markdown_escape_turns_markup_into_literals():
    assert escape("a *b* _c_ [d](e) `f` <g> & | # !") == (
        r"a \*b\* \_c\_ \[d\]\(e\) \`f\` &lt;g&gt; &amp; \| \# \!"
    )
    assert escape("- not a list") == r"\- not a list"
    assert escape("1. not a list") == r"1\. not a list"
    assert escape("0.1.0 and -5 degrees") == "0.1.0 and -5 degrees"
    assert escape("> not a quote") == "&gt; not a quote"
    assert escape("two\nlines") == "two lines"
    assert escape("x" * 50, 10) == "x" * 9 + "…"


def test_markdown_report_escapes_hostile_text():
    text = render_md(hostile_report(), images={"q-q-map": "r-q-q-map.png"})
    assert "<script" not in text and "<img" not in text
    assert "\u202e" not in text and "\x1b" not in text
    assert "](javascript:" not in text
    assert r"\[click\]\(javascript:alert\(1\)\)" in text
    assert "![Map](r-q-q-map.png)" in text
    # The article link is a Markdown link to an http(s) URL only.
    assert "](<https://example.org/a?b=1&c=%3C2%3E>)" in text
    for line in text.splitlines():
        assert not line.startswith("# <"), line


def test_reports_log_reads_what_it_can_and_matches_subject_and_period(tmp_path):
    from sitroom.present.reports import history
    from sitroom.views import Assessment

    path = tmp_path / history.LOG_NAME
    first = history.LogEntry(at="2026-01-01T00:00:00+00:00", subject="question:q", path="a", format="html",
                             leading="H1", term="likely", refs=("r1",))  # fmt: skip
    later = history.LogEntry(at="2026-01-02T00:00:00+00:00", subject="question:q", path="b", format="pdf",
                             since="2025", leading="H2")  # fmt: skip
    history.append(path, [first])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")  # a damaged line costs that line only
    history.append(path, [later])
    entries = history.read_log(path)
    assert [e.path for e in entries] == ["a", "b"]
    assert history.previous(entries, "question:q") == first  # a --since report is another period
    assert history.previous(entries, "question:q", since="2025") == later
    assert history.previous(entries, "story:s") is None
    assert history.read_log(tmp_path / "missing.jsonl") == []
    assessments = [
        Assessment(at=f"2026-01-0{d}T00:00:00", date="", leading=h, ranking=(h,)) for d, h in
        ((1, "H1"), (2, "H1"), (3, "H2"), (4, "H1"))
    ]  # fmt: skip
    assert history.leader_changes(assessments) == [
        ("2026-01-01", "H1"),
        ("2026-01-03", "H2"),
        ("2026-01-04", "H1"),
    ]


def test_pdf_without_weasyprint_is_a_coded_error(monkeypatch):
    import sys

    import pytest

    from sitroom.present.reports.render_pdf import ReportError, render_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    with pytest.raises(ReportError) as caught:
        render_pdf(hostile_report())
    assert caught.value.code == "E081" and "--format html" in caught.value.message


def test_a_small_pdf_renders_offline():
    import pytest

    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) reads the PDF back")
    import io

    from sitroom.present.reports.render_pdf import render_pdf

    data = render_pdf(hostile_report())
    reader = pypdf.PdfReader(io.BytesIO(data))
    # WeasyPrint shares one resource dictionary between pages: count distinct images, not listings.
    assert len({image.data for page in reader.pages for image in page.images}) == 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "<script>" in text  # article text printed as text, never run
