"""What every command shares: the Typer app, the consoles, options, opening a workspace, JSON output.

Exit codes (docs/cli.md): 0 done; 1 done, but some inputs were skipped or failed (each is listed);
2 usage error; 3 the workspace cannot be opened; 4 a document or object was not found.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from sitroom import __version__
from sitroom.errors import WorkspaceError
from sitroom.present.text import escape
from sitroom.workspace import ENV_WORKSPACE, Workspace

EXIT_PARTIAL = 1
EXIT_WORKSPACE = 3
EXIT_NOT_FOUND = 4

app = typer.Typer(
    name="sitroom",
    help="Turn news reports into a sourced, time-ordered, geolocated picture of a situation.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
# In a terminal rich wraps long lines at word boundaries to the terminal's width (an 80-column terminal
# gets whole words, never a name cut in two); piped or redirected, a record stays on one line for grep.
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, highlight=False)

WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar=ENV_WORKSPACE,
        show_envvar=True,
        help="Workspace folder, .db file or postgresql:// URL [default: current folder].",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"sitroom {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """sitroom: ingest news, then search, read and (in later layers) analyse it."""


@contextmanager
def _open(workspace: str | None, *, create: bool = False) -> Iterator[Workspace]:
    """The open workspace for a command's ``with`` block. A workspace error inside the block too
    (storage failed, E004; a write to a read-only workspace, E005) is printed with its code and
    exits 3, never a traceback."""
    try:
        with Workspace.open(workspace, create=create) as ws:
            yield ws
    except WorkspaceError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_WORKSPACE) from None


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
