"""Workspaces for the workbench tests (tests/test_web*.py), built once per session: the demo corpus
(processed, with its question) and a hostile corpus whose every field tries to inject markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom import Workspace
from tests.conftest import DEMO_CORPUS, REPO

QUESTION = REPO / "sitroom" / "examples" / "questions" / "russia-ground-forces-syria.yaml"
PWN = "window.__pwned=1"
# Each string tries a different way of running code if it reached the page unescaped or as a link.
HOSTILE = [
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f"<svg onload={PWN}>",
    f'"><script>{PWN}</script>',
    f"javascript:{PWN}",
    f"'--></style></script><script>{PWN}</script>",
]


def write_hostile_corpus(folder: Path) -> Path:
    """Files whose names, titles, bodies, URLs, authors and sources are hostile."""
    folder.mkdir(parents=True, exist_ok=True)
    body = (
        "Russian troops moved to Aleppo on 3 March 2016, the ministry said. "
        f'The spokesman said {HOSTILE[0]} was not a threat. <a href="javascript:{PWN}">click</a> '
        f"{HOSTILE[1]} {HOSTILE[2]} Officials in Damascus denied the report."
    )
    records = [
        {"title": title, "text": body + f" Variant {i}.", "url": url, "author": author, "source": source}
        for i, (title, url, author, source) in enumerate(
            [
                (HOSTILE[0], f"javascript:{PWN}", HOSTILE[1], HOSTILE[3]),
                (HOSTILE[1], f"data:text/html,<script>{PWN}</script>", HOSTILE[2], HOSTILE[5]),
                (HOSTILE[3], f"JaVaScRiPt:{PWN}", HOSTILE[0], "Good Outlet"),
                ("A fair title", "https://example.org/a?x=<script>", HOSTILE[5], HOSTILE[1]),
            ]
        )
    ]
    with (folder / "hostile.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    html = (
        f"<html><head><title>{HOSTILE[0]}</title><meta name='author' content='{HOSTILE[1]}'></head>"
        f'<body><h1>Ministry: {HOSTILE[2]}</h1><p>{body}</p><p onclick="{PWN}">Troops in Homs said '
        f"they would stay.</p></body></html>"
    )
    (folder / "page.html").write_text(html, encoding="utf-8")
    # A file name that is itself markup (the origin and locator are shown on the document page).
    (folder / '"><img src=x onerror=window.__pwned=1>.txt').write_text(
        "Syrian forces shelled Idlib on 5 May 2019, the observatory said. " + body, encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("web-demo"))
    ws.ingest([str(DEMO_CORPUS)])
    ws.process()
    ws.add_question(QUESTION)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def hostile_ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-hostile")
    ws = Workspace.init(root / "ws")
    ws.ingest([str(write_hostile_corpus(root / "corpus"))])
    ws.process()
    yield ws
    ws.close()
