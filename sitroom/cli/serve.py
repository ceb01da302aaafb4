"""``sitroom serve``: the analyst's workbench in the browser (sitroom/present/web)."""

from __future__ import annotations

import getpass
import os
import threading
import webbrowser
from typing import Annotated

import typer
from rich.markup import escape

from sitroom.cli.common import WorkspaceOption, _open, app, err, out
from sitroom.errors import InputError

ENV_TOKEN = "SITROOM_TOKEN"


@app.command()
def serve(
    workspace: WorkspaceOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            envvar=ENV_TOKEN,
            show_envvar=True,
            help="Secret every request must carry (Bearer header or the login form).",
        ),  # fmt: skip
    ] = None,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Refuse every change (corrections, statuses).")
    ] = False,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the workbench in a browser.")] = False,
    analyst: Annotated[
        str | None, typer.Option(help="Name corrections are recorded under [default: your user name].")
    ] = None,
) -> None:
    """Serve the workbench: documents, claims with provenance, events, map, timeline, stories, ACH."""
    import uvicorn

    from sitroom.present.web import WebSettings, create_app

    settings = WebSettings(
        host=host, port=port, token=token or None, read_only=read_only,
        analyst=analyst or os.environ.get("SITROOM_ANALYST") or getpass.getuser(),
    )  # fmt: skip
    try:
        settings.check()
    except InputError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    with _open(workspace) as ws:
        where = f"[{host}]" if ":" in host else host
        url = f"http://{where}:{port}/"
        out.print(f"sitroom workbench on [bold]{escape(url)}[/bold] for {escape(ws.location.display)}"
                  f"{' (read-only)' if read_only else ''}; Ctrl+C stops it")  # fmt: skip
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(create_app(ws, settings), host=host, port=port, log_level="warning",
                    server_header=False, proxy_headers=False, limit_concurrency=64)  # fmt: skip
