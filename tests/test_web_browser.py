"""The workbench in a real browser: Playwright driving Debian's chromium (installed by scripts/test.sh
through scripts/chromium.sh; never ``playwright install``). Every page loads without console errors,
filters, search, map, timeline and provenance work, a correction round-trips and survives forced
re-processing, and hostile stored text runs nothing while the CSP holds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sitroom.present.web import WebSettings, create_app
from sitroom.present.web.server import serving
from tests.test_web import page_paths
from tests.web_fixtures import demo_ws, hostile_ws  # noqa: F401  (fixtures)

CHROMIUM = os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM}: scripts/test.sh installs it"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_url(demo_ws):  # noqa: F811
    with serving(create_app(demo_ws, WebSettings(analyst="tester"))) as base:
        yield base


class Watched:
    """A page whose console errors, uncaught exceptions, CSP violations and dialogs are recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"exception: {exc}"))
        self.page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def open(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def tab(browser, demo_url):
    watched = Watched(browser, demo_url)
    yield watched
    watched.close()


def test_every_page_loads_without_console_errors(demo_ws, tab):  # noqa: F811
    for path in page_paths(demo_ws):
        tab.open(path)
        assert tab.page.locator("main h1").count() >= 1, path
    assert tab.problems == []


def test_filters_and_search(tab):
    page = tab.open("/claims")
    total = page.locator("li.claim").count()
    page.fill("input[name=speaker]", "putin")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "speaker=putin" in page.url
    assert 0 < page.locator("li.claim").count() < total
    assert all("putin" in t.lower() for t in page.locator("li.claim .hop.speaker").all_inner_texts())
    page.fill("header form.search input[name=q]", "ground forces")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    assert "/search?q=ground+forces" in page.url
    assert page.locator("ol.hits li").count() > 0
    page = tab.open("/documents")
    page.fill("input[name=source]", "Antiwar")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    sources = page.locator("table.docs tbody td:nth-child(3)").all_inner_texts()
    assert sources and all("Antiwar" in s for s in sources)
    assert tab.problems == []


def test_map_shows_markers(tab):
    page = tab.open("/map")
    page.wait_for_selector("#map[data-markers]")
    assert int(page.get_attribute("#map", "data-markers")) > 0
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.locator(".leaflet-marker-icon").count() > 0  # markers or clusters
    assert page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() > 50  # the basemap
    assert tab.problems == []


def test_timeline_renders_and_zooms(tab):
    page = tab.open("/timeline")
    page.wait_for_selector("#timeline[data-rendered]")
    assert page.locator("#timeline rect.item").count() > 0
    before = page.inner_text(".timeline-scale")
    for _ in range(6):
        page.click("button[data-zoom=in]")
    assert page.inner_text(".timeline-scale") != before
    assert "ticks by" in page.inner_text(".timeline-scale")
    page.click("button[data-zoom=fit]")
    tab.open("/timeline?kind=documents")
    page.wait_for_selector("#timeline[data-rendered]")
    assert tab.problems == []


def test_provenance_view_opens(tab):
    page = tab.open("/claims")
    page.locator("a.provenance").first.click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "Provenance of a claim"
    roles = page.locator(".provenance-chain .role").all_inner_texts()
    assert [r.lower() for r in roles][0] == "speaker" and "outlet" in [r.lower() for r in roles]
    page.locator(".provenance-chain li.sentence a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#focus").count() == 1  # the sentence, highlighted in its document
    assert tab.problems == []


def test_layer_toggles_work_without_script(tab, demo_ws):  # noqa: F811
    doc = demo_ws.documents_page(limit=1).items[0].id
    page = tab.open(f"/documents/{doc}")
    place = page.locator(".doctext .l-places").first
    shown = place.evaluate("e => getComputedStyle(e).backgroundColor")
    page.uncheck("#t-places")
    hidden = place.evaluate("e => getComputedStyle(e).backgroundColor")
    assert shown != hidden


def test_a_correction_round_trips_and_survives_reprocessing(demo_ws, tab):  # noqa: F811
    record = next(r for r in demo_ws.claims(limit=200) if r.claim.modality != "hypothetical")
    page = tab.open(f"/claims/provenance?ref={record.ref}")
    page.click("details.correct summary")
    page.select_option("details.correct select[name=field]", "modality")
    page.fill("details.correct input[name=value]", "hypothetical")
    page.fill("details.correct input[name=why]", "the speaker is speculating")
    page.click("details.correct button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "corrected by an analyst: modality" in page.inner_text("main")
    assert "the speaker is speculating" in page.inner_text("table.revisions")
    assert "tester" in page.inner_text("table.revisions")
    demo_ws.process(force=True)
    page = tab.open(f"/claims/provenance?ref={record.ref}")
    assert re.search(r"Modality\s+hypothetical", page.inner_text("main"))
    listing = tab.open("/revisions")
    assert record.ref in listing.inner_text("table.revisions")
    assert tab.problems == []


def test_stored_xss_runs_nothing_and_the_csp_holds(browser, hostile_ws):  # noqa: F811
    with serving(create_app(hostile_ws, WebSettings())) as base:
        tab = Watched(browser, base)
        paths = ["/", "/documents", "/claims", "/events", "/map", "/timeline", "/timeline?kind=documents",
                 "/sources", "/stories", "/contradictions", "/places", "/revisions",
                 "/search?q=" + "%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E"]  # fmt: skip
        paths += [f"/documents/{d.id}" for d in hostile_ws.documents_page(limit=50)]
        paths += [f"/claims/provenance?ref={r.ref}" for r in hostile_ws.claims(limit=5)]
        for path in paths:
            page = tab.open(path)
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert page.locator("a[href^='javascript:' i], a[href^='data:' i]").count() == 0, path
            assert page.locator("main script, main img[src=x], main svg[onload]").count() == 0, path
        # hostile text is shown as text
        page = tab.open(f"/documents/{hostile_ws.documents_page(limit=50).items[0].id}")
        assert "<script>" in page.inner_text("main") or "onerror" in page.inner_text("main")
        tab.close()
        assert tab.problems == []
