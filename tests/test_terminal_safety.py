"""Hostile file names and texts stay text in the terminal: escape sequences are shown, never obeyed."""

from __future__ import annotations

from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.present.text import escape, neutralise

HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.txt"


def test_control_characters_are_written_out():
    shown = neutralise(HOSTILE)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202e" in shown
    assert neutralise("line one\nline\ttwo") == "line one\nline\ttwo"
    assert escape("[red]x[/red]") == "\\[red]x\\[/red]"


def test_a_file_name_with_escape_sequences_is_printed_inert(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b]0;pwned\x07.bin").write_bytes(b"\x00\x01\x02binary\x00")
    result = CliRunner().invoke(app, ["ingest", str(folder), "-w", str(tmp_path / "ws")])
    assert "\x1b]0;pwned" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;pwned\\x07" in result.output
