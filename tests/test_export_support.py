"""The processed demo workspace the export and import tests share: built once per test process (the
pipeline takes a minute), copied into each test module's own folder so no module sees another's
changes. It carries analyst settings too (a confirmed link, a graded outlet, a corrected claim), so
exports and imports are checked with them."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

from sitroom import Workspace
from sitroom.cli.documents import demo_question_path
from tests.conftest import DEMO_CORPUS

DEMO_QUESTION = "russia-ground-forces-syria"


@functools.cache
def _built() -> Path:
    # While developing, a workspace built by build_demo() once can stand in (it takes a minute).
    prebuilt = os.environ.get("SITROOM_TEST_EXPORT_DEMO")
    if prebuilt:
        return Path(prebuilt)
    folder = Path(tempfile.mkdtemp(prefix="sitroom-export-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return build_demo(folder / "ws")


def build_demo(where: Path) -> Path:
    """Build the processed demo workspace at ``where``."""
    with Workspace.init(where) as ws:
        ws.ingest([str(DEMO_CORPUS)])
        ws.process()
        ws.add_question(demo_question_path())
        link = ws.links(kind="contradicts", limit=1).items[0]
        ws.set_link_status(link.id, "confirmed")
        outlet = next(p.name for p in ws.sources() if p.name != "(unknown outlet)")
        ws.grade_source(outlet, "B")
        claim = ws.claims(limit=1).items[0]
        ws.correct(claim.ref, "modality", "reported", analyst="tester", why="the outlet reports it")
    return where


def demo_copy(where: Path) -> Path:
    """A fresh copy of the processed demo workspace at ``where``."""
    shutil.copytree(_built(), where)
    return where
