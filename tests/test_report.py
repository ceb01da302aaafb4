"""`sitroom report` end to end on the demo corpus (plus one hostile article): the question's report as
Markdown, self-contained HTML and PDF (with its map and timeline images), stories, everything, --since,
the reports log, and the demo's `write_report`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom import Workspace
from sitroom.cli import app
from sitroom.present.reports import build, write, write_report
from sitroom.present.reports.judgments import load_estimative
from tests.test_report_render import assert_self_contained

REPO = Path(__file__).resolve().parents[1]
DEMO_CORPUS = REPO / "sitroom" / "examples" / "syria-ground-forces"
QUESTION = REPO / "sitroom" / "examples" / "questions" / "russia-ground-forces-syria.yaml"
SLUG = "russia-ground-forces-syria"
HOSTILE_TITLE = "<script>alert('title')</script> Russia *sends* [troops](javascript:alert(1))"
HOSTILE_OUTLET = "<b>Evil</b> | Outlet"
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    hostile = folder.parent / "hostile.jsonl"
    hostile.write_text(
        json.dumps(
            {
                "title": HOSTILE_TITLE,
                "source": HOSTILE_OUTLET,
                "url": "javascript:alert(2)",
                "published": "2016-05-02",
                "text": "Russia has deployed ground troops to Syria, the defence ministry said on Monday. "
                "<img src=x onerror=alert(3)> The battalion arrived in Latakia, officials said. "
                "Moscow denied sending troops to fight, a spokesman said on Tuesday.",
            }
        )  # fmt: skip
        + "\n",
        encoding="utf-8",
    )
    with Workspace.init(folder) as ws:
        ws.ingest([str(p) for p in sorted(DEMO_CORPUS.glob("*.txt"))] + [str(hostile)])
        ws.add_question(QUESTION)
        ws.process()
    return folder


def invoke(folder: Path, *args: str):
    return runner.invoke(app, [*args, "-w", str(folder)], catch_exceptions=False)


def test_question_report_html_is_self_contained_with_judgments(folder, tmp_path):
    out = tmp_path / "q.html"
    result = invoke(folder, "report", "--question", SLUG, "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "report written to" in result.output
    html = out.read_text(encoding="utf-8")
    parsed = assert_self_contained(html)
    assert sum(1 for tag in parsed.tags if tag == "img") == 2  # the timeline and the map
    for heading in ("Key judgments", "Indicator board", "ACH matrix", "Evidence and provenance", "Claims",
                    "Contradictions", "Sources", "Coverage", "Method and versions"):  # fmt: skip
        assert f">{heading}<" in html, heading
    from sitroom.extract.claims import CLAIMS_VERSION

    assert CLAIMS_VERSION in html and "reports.v1" in html  # component versions
    # The likelihood sentence names a term of the scale with its range; confidence is a sentence apart.
    likelihood = html.split('<p class="likelihood">', 1)[1].split("</p>", 1)[0]
    terms = [b for b in load_estimative().scale if f"it {b.term} (" in likelihood]
    assert len(terms) == 1 and f"({terms[0].range_text})" in likelihood
    confidence = html.split('<p class="confidence">', 1)[1].split("</p>", 1)[0]
    assert confidence.startswith("We have ") and confidence.endswith(" confidence in this judgment.")
    assert not any(b.term in confidence for b in load_estimative().scale)


def test_hostile_article_text_is_escaped_everywhere(folder, tmp_path):
    ws = Workspace.open(folder)
    try:
        report = build(ws, question=SLUG, record_log=False)
        # The hostile article must be in the report for this test to mean anything (its title's
        # <script> is already gone: the cleaner strips tags; the rest must stay inert text).
        hostile = [e for e in report.questions[0].evidence.rows if e.provenance.outlet == HOSTILE_OUTLET]
        assert hostile, [e.provenance.outlet for e in report.questions[0].evidence.rows]
        assert all(e.provenance.url is None for e in hostile)  # javascript: is never a link
        html = write(ws, report, "html", tmp_path / "r.html", record_log=False).read_text(encoding="utf-8")
        md = write(ws, report, "md", tmp_path / "r.md", record_log=False).read_text(encoding="utf-8")
    finally:
        ws.close()
    assert_self_contained(html)
    assert "<script" not in html
    assert "Russia *sends* [troops](javascript:alert(1))" in html  # literal text, not a link
    assert "<b>Evil</b>" not in html and "&lt;b&gt;Evil&lt;/b&gt;" in html
    assert "javascript:" not in html.replace("(javascript:alert(1))", "")
    assert "<script" not in md and "<b>Evil" not in md and "](javascript:" not in md
    assert r"Russia \*sends\* \[troops\]\(javascript:alert\(1\)\)" in md
    assert r"&lt;b&gt;Evil&lt;/b&gt; \| Outlet" in md
    assert (tmp_path / "r-q-russia-ground-forces-syria-map.png").exists()


def test_pdf_renders_with_its_map_and_timeline(folder, tmp_path):
    out = tmp_path / "q.pdf"
    result = invoke(folder, "report", "--question", SLUG, "--format", "pdf", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) counts the PDF's images")
    reader = pypdf.PdfReader(str(out))
    # Distinct images (WeasyPrint shares one resource dictionary between pages).
    images = list({image.data: image for page in reader.pages for image in page.images}.values())
    assert len(images) == 2, "the timeline and the map are embedded as images"
    assert max(image.image.size[0] for image in images) >= 800  # drawn at print resolution
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert "Key judgments" in text and "confidence in this judgment" in text
    if not shutil.which("pdfinfo") or not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdfinfo, pdftoppm) is not installed: `apt-get install poppler-utils`")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(reader.pages) >= 2
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(out), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    from PIL import Image

    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == 2
    for path in rendered:
        image = Image.open(path).convert("L")
        lo, hi = image.getextrema()
        assert hi - lo > 100, f"{path.name} is blank"
        # A figure page holds many mid-tone pixels (land, sea, markers); text alone does not.
    colours = [len(Image.open(p).convert("RGB").getcolors(1 << 20) or []) for p in rendered]
    assert max(colours) > 200, "no page shows a figure"


def test_markdown_report_writes_figures_beside_it(folder, tmp_path):
    out = tmp_path / "q.md"
    result = invoke(folder, "report", "--question", SLUG, "--format", "md", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Will Russia deploy")
    assert "![Places and events](q-q-russia-ground-forces-syria-map.png)" in text
    assert (tmp_path / "q-q-russia-ground-forces-syria-timeline.png").stat().st_size > 5000
    assert "### ACH matrix" in text and "| E1 |" in text


def test_story_and_all_reports(folder, tmp_path):
    with Workspace.open(folder) as ws:
        story = ws.stories(limit=1).items[0]
    out = tmp_path / "s.html"
    result = invoke(folder, "report", "--story", story.id, "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert_self_contained(html)
    assert ">ACH matrix<" not in html and ">Documents<" in html and ">Contradictions<" in html
    assert html.count("<img ") == 2
    out = tmp_path / "all.md"
    result = invoke(folder, "report", "--all", "--since", "2016", "--format", "md", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## Workspace overview" in text and "Will Russia deploy" in text
    assert "evidence and items dated from 2016 on only" in text


def test_since_limits_the_evidence(folder):
    with Workspace.open(folder) as ws:
        everything = build(ws, question=SLUG, record_log=False).questions[0]
        later = build(ws, question=SLUG, since="2020-01-01", record_log=False).questions[0]
    assert 0 < later.evidence.total < everything.evidence.total
    assert all(e.when and e.when[:4] >= "2020" for e in later.evidence.rows)
    assert later.coverage.since == "2020-01-01"


def test_bad_options_give_coded_errors(folder):
    result = invoke(folder, "report", "--format", "html")
    assert result.exit_code == 2 and "E080" in result.output
    result = invoke(folder, "report", "--question", SLUG, "--story", "story-1")
    assert result.exit_code == 2 and "E080" in result.output
    result = invoke(folder, "report", "--question", SLUG, "--format", "docx")
    assert result.exit_code == 2 and "E080" in result.output
    result = invoke(folder, "report", "--question", SLUG, "--since", "last week")
    assert result.exit_code == 2 and "E080" in result.output
    result = invoke(folder, "report", "--question", "no-such-question")
    assert result.exit_code == 4 and "E051" in result.output


def test_the_reports_log_says_what_changed_and_the_demo_writes_html_and_pdf(folder, tmp_path):
    with Workspace.open(folder) as ws:
        html = write_report(ws, SLUG, "html", tmp_path / "demo.html")
        pdf = write_report(ws, SLUG, "pdf", tmp_path / "demo.pdf")
        assert html.exists() and pdf.read_bytes().startswith(b"%PDF-")
        # Both files are one report: the second write did not call the first its previous report.
        text = html.read_text(encoding="utf-8")
        first = build(ws, question=SLUG).questions[0]
    log = [json.loads(line) for line in (folder / "reports.jsonl").read_text().splitlines()]
    mine = [entry for entry in log if entry["path"] in (str(html.resolve()), str(pdf.resolve()))]
    assert len(mine) == 2 and mine[0]["at"] == mine[1]["at"] and mine[0]["term"]
    assert "What changed" in text
    # A later report compares with the last one written.
    assert first.changes.previous_at is not None
    assert any("new since then" in s for s in first.changes.sentences)


def test_analyst_ratings_are_marked_and_listed(folder, tmp_path):
    # Last in this module: it corrects the shared workspace.
    with Workspace.open(folder) as ws:
        row = ws.board(SLUG).matrix[0]
        ws.correct(
            f"ach:{SLUG}:{row.evidence.ref}:H3", "rating", "N", analyst="tester", why="<i>off topic</i>"
        )
        report = build(ws, question=SLUG, record_log=False)
        html = write(ws, report, "html", tmp_path / "c.html", record_log=False).read_text(encoding="utf-8")
        md = write(ws, report, "md", tmp_path / "c.md", record_log=False).read_text(encoding="utf-8")
    section = report.questions[0]
    assert [(c.analyst, c.after) for c in section.corrections] == [("tester", "N")]
    item = next(e for e in section.evidence.rows if e.ref == row.evidence.ref)
    assert item.corrected == ("H3",) and item.rating("H3") == "N"
    assert ">N*</td>" in html and "&lt;i&gt;off topic&lt;/i&gt;" in html
    assert "| N\\* |" in md and "&lt;i&gt;off topic&lt;/i&gt;" in md
