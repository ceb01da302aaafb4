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
    from sitroom.cli.documents import demo_question_path

    path = tmp_path_factory.mktemp("layout")
    with Workspace.init(path) as ws:
        ws.ingest([str(DEMO_CORPUS)])
        ws.process()
        ws.add_question(demo_question_path())
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


def _in_a_terminal(args: list[str], columns: int = 80) -> str:
    """``sitroom ARGS`` with its stdout on a pseudo-terminal ``columns`` wide, as an analyst sees it."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    main, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitroom", *args], stdout=follower, stderr=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the follower closed: the command is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=120) == 0
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args",
    [["stories"], ["timeline"], ["contradictions"], ["question", "board", "russia-ground-forces-syria"]],
)
def test_prose_fits_an_80_column_terminal(folder, args):
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", _in_a_terminal([*args, "-w", folder])).replace("\r", "")
    lines = text.split("\n")
    assert len(lines) > 3, text
    wide = [line for line in lines if len(line) > 80]
    assert not wide, wide[:3]
