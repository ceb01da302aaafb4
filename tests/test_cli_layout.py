"""At 80 columns the listings stay readable: one block per item, bodies wrapped inside their indent,
codes in words, "showing N of M", and a filter that matches nothing says so."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sitroom import Workspace
from sitroom.cli import app
from tests.conftest import DEMO_CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout")
    with Workspace.init(path) as ws:
        ws.ingest([str(DEMO_CORPUS)])
        ws.process()
    return str(path)


def run(folder: str, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "-w", folder], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def test_claims_are_blocks_with_a_count(folder):
    output = run(folder, "claims", "--limit", "5")
    bodies = [line for line in output.splitlines() if line.startswith("    ")]
    assert bodies and all(len(line.rstrip()) <= 80 for line in bodies)
    assert "showing 1–5 of" in output and "(--offset for more)" in output
    assert "XXXX-WXX" not in output  # weekday values are shown in words
    assert "│" not in output  # no squeezed table columns


def test_speaker_by_name_and_empty_results_say_why(folder):
    assert "Putin" in run(folder, "claims", "--speaker", "putin")
    assert "no claims match --speaker nobody-such" in run(folder, "claims", "--speaker", "nobody-such")
    assert "no events match --place Atlantis" in run(folder, "events", "--place", "Atlantis")


@pytest.mark.parametrize(
    "args",
    [
        ("claims", "--limit", "99999999999999999999"),
        ("claims", "--limit", "-1"),
        ("claims", "--since", "2020-13-45"),
        ("claims", "--since", "2016", "--until", "2015"),
        ("claims", "--modality", "sure"),
        ("timeline", "--since", "2016", "--until", "2015"),
    ],
)
def test_bad_options_are_usage_errors_not_tracebacks(folder, args):
    result = CliRunner().invoke(app, [*args, "-w", folder])
    assert result.exit_code == 2 and "Traceback" not in result.output
