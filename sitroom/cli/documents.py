"""Commands over documents: init, ingest, process, status, show, search, claims, events, demo."""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from dataclasses import asdict
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from sitroom.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_PARTIAL,
    JsonOption,
    WorkspaceOption,
    _open,
    _print_json,
    app,
    err,
    out,
)
from sitroom.cli.render import (
    evidence_text,
    print_board,
    print_links,
    print_stories,
    print_timeline,
    quote_ref,
)
from sitroom.config import DEFAULT_DB_NAME, RAW_DIR_NAME, IngestOptions
from sitroom.engines import check_engine
from sitroom.errors import EngineError, InputError, NotFoundError, SitroomError
from sitroom.ingest import parse_field_map
from sitroom.model import Document, IngestSummary
from sitroom.pipeline import DEFAULT_PIPELINE, component_versions
from sitroom.present.records import claim_block, document_block, event_block
from sitroom.present.tables import (
    annotation_tables,
    findings_blocks,
)
from sitroom.present.text import escape
from sitroom.workspace import Workspace

# --- init ----------------------------------------------------------------------------------------


@app.command()
def init(
    path: Annotated[
        str, typer.Argument(help="Folder (or .db file, or database URL) for the workspace.")
    ] = ".",
) -> None:
    """Create a workspace (safe to repeat: an existing one is left as it is)."""
    with _open(path, create=True) as ws:
        out.print(
            f"Workspace ready at [bold]{escape(ws.location.display)}[/bold] (raw bytes in {ws.location.raw_dir})"
        )


# --- ingest --------------------------------------------------------------------------------------


@app.command()
def ingest(
    targets: Annotated[
        list[str],
        typer.Argument(help="Files, folders (recursive), globs, URLs or feeds; '-' reads standard input."),
    ],
    workspace: WorkspaceOption = None,
    field_map: Annotated[
        list[str] | None,
        typer.Option("--map", help="Map a field to a JSON/CSV column, e.g. --map text=body (repeatable)."),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option("--format", help="Force a format: text, markdown, html, json, jsonl, csv, warc, feed."),
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Skip any file, record or download larger than this.")] = (
        IngestOptions().max_bytes
    ),
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a URL.")] = IngestOptions().url_timeout,
    fetch_feed_items: Annotated[
        bool, typer.Option(help="For feeds, fetch each item's page instead of using the feed's text.")
    ] = False,
    create: Annotated[bool, typer.Option(help="Create the workspace if it does not exist.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Read, clean, de-duplicate and store documents. Safe to rerun: stored bytes are never added twice."""
    try:
        options = IngestOptions(
            field_map=parse_field_map(field_map or []),
            format=input_format,
            max_bytes=max_bytes,
            url_timeout=timeout,
            fetch_feed_items=fetch_feed_items,
        )
    except InputError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    with _open(workspace, create=create) as ws:
        summary = _ingest_with_progress(ws, targets, options, quiet=as_json)
    if as_json:
        _print_json(_summary_dict(summary))
    else:
        _print_summary(summary)
    if summary.problems:
        raise typer.Exit(EXIT_PARTIAL)


def _ingest_with_progress(
    ws: Workspace, targets: list[str], options: IngestOptions, *, quiet: bool
) -> IngestSummary:
    stdin = sys.stdin.buffer if "-" in targets else None
    if quiet or not err.is_terminal:
        return ws.ingest(targets, options=options, stdin=stdin)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def advance(outcome: str, item) -> None:
            bar.update(task, advance=1, description=f"ingesting {escape(item.where)[-60:]}")

        return ws.ingest(targets, options=options, stdin=stdin, progress=advance)


def _summary_dict(summary: IngestSummary) -> dict:
    return {
        "run_id": summary.run_id,
        "ingested": summary.ingested,
        "duplicates": summary.duplicates,
        "already_present": summary.already_present,
        "skipped": summary.skipped,
        "failed": summary.failed,
        "problems": [asdict(p) for p in summary.problems],
    }


def _print_summary(summary: IngestSummary) -> None:
    out.print(
        f"[bold]{summary.ingested}[/bold] ingested, {summary.duplicates} duplicate, "
        f"{summary.already_present} already present, {summary.skipped} skipped, {summary.failed} failed "
        f"[dim](run {summary.run_id})[/dim]"
    )
    for problem in summary.problems[:50]:
        colour = "red" if problem.kind == "failed" else "yellow"
        out.print(f"  [{colour}]{problem.kind}[/{colour}] {escape(str(problem))}")
    if len(summary.problems) > 50:
        out.print(f"  … and {len(summary.problems) - 50} more (sitroom status --problems {summary.run_id})")


# --- process -------------------------------------------------------------------------------------


@app.command()
def process(
    workspace: WorkspaceOption = None,
    components: Annotated[str, typer.Option(help="Comma-separated pipeline, in order.")] = ",".join(
        DEFAULT_PIPELINE
    ),
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each loads its own spaCy model).")
    ] = 1,
    force: Annotated[
        bool, typer.Option(help="Re-process documents already processed by these versions.")
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="local: worker processes on this machine; ray: Ray actors (needs the ray extra)."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster to join (ray engine), e.g. ray://head:10001; default: start one here."),
    ] = None,
    share_backlog: Annotated[
        bool,
        typer.Option(
            help="PostgreSQL: runs started at once on several machines split the pending documents "
            "(each analysed by one run) instead of each analysing all of them. No effect on SQLite."
        ),
    ] = False,
    source: Annotated[
        list[str] | None,
        typer.Option(help="Only the documents of this outlet (repeatable); with --force, all of them."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find entities, places, times, quantities, claims and events in new documents; update stories,
    links and question boards."""
    outlets = tuple(source or ())
    names = [c.strip() for c in components.split(",") if c.strip()]
    with _open(workspace) as ws:
        try:
            component_versions(names)
            check_engine(engine)
        except ValueError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from None
        except EngineError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from None
        run = partial(
            ws.process,
            components=names,
            workers=workers,
            force=force,
            engine=engine,
            address=address,
            share_backlog=share_backlog,
            outlets=outlets,
        )
        try:
            summary = _run_process(
                run, ws, names, engine, force=force, outlets=outlets, bar=not as_json and err.is_terminal
            )
        except NotFoundError as exc:  # an unknown --source: refused before any run is recorded
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_NOT_FOUND) from None
    _print_process_summary(summary, as_json)
    if summary.failed:
        raise typer.Exit(EXIT_PARTIAL)


def _run_process(run, ws, names, engine: str, *, force: bool, outlets: tuple[str, ...], bar: bool):
    """The run, with a progress bar on a terminal."""
    if not bar:
        return run()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        # The total comes from the store, so the bar shows an ETA on every engine; it counts
        # documents as they are written, which is what an interruption keeps.
        total = ws.pending(names, force=force, outlets=outlets)
        task = progress.add_task(f"processing ({engine})", total=total or None)
        return run(progress=lambda analysis: progress.update(task, advance=1))


def _print_process_summary(summary, as_json: bool) -> None:
    if as_json:
        _print_json(asdict(summary))
        return
    out.print(
        f"[bold]{summary.processed}[/bold] documents processed by {', '.join(summary.components)} "
        f"[dim](run {summary.run_id})[/dim]"
    )
    if summary.caught_up:
        out.print(
            f"caught up {summary.caught_up} documents an interrupted run had left out of stories, "
            "links and question evidence"
        )
    for doc_id, component, reason in (*summary.skipped, *summary.failed)[:50]:
        out.print(f"  [yellow]{doc_id}[/yellow] {component}: {escape(reason)}")
    if summary.homes_found:
        found = summary.homes_found
        names_given = " ".join(f"--source {shlex.quote(name)}" for name in found[:_HOMES_NAMED])
        more = ""
        if len(found) > _HOMES_NAMED:
            more = f" (the first {_HOMES_NAMED}; `--json` lists all {len(found)} under homes_found)"
        out.print(
            f"{len(found)} outlet(s) have a home region now that this run read some of their "
            f"documents without one; [bold]sitroom process --force {escape(names_given)}[/bold] reads them "
            f"again with it{more}"
        )


_HOMES_NAMED = 5  # outlets the closing hint names in its command (a first day of news can find hundreds)


# --- status --------------------------------------------------------------------------------------


@app.command()
def status(
    workspace: WorkspaceOption = None,
    problems: Annotated[str | None, typer.Option(help="List the problems of this run id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """What the workspace holds: documents, sources, languages and recent runs."""
    with _open(workspace) as ws:
        if problems:
            found = ws.problems(problems)
            if as_json:
                _print_json([asdict(p) for p in found])
            else:
                for problem in found:
                    out.print(f"{problem.kind} {escape(str(problem))}")
            return
        state = ws.status()
    if as_json:
        _print_json(asdict(state))
        return
    out.print(f"Workspace [bold]{escape(state.location)}[/bold]")
    out.print(
        f"{state.documents} documents ({state.originals} originals, {state.duplicates} duplicates) "
        f"from {state.sources} sources"
    )
    for title, rows in (
        ("source", state.by_source),
        ("language", state.by_language),
        ("format", state.by_format),
    ):
        table = Table(title=f"by {title}", title_justify="left", show_edge=False)
        table.add_column(title)
        table.add_column("documents", justify="right")
        for key, count in rows[:15]:
            table.add_row(escape(str(key or "—")), str(count))
        out.print(table)
    if state.processing:
        table = Table(title="processing", title_justify="left", show_edge=False)
        for column in ("component", "status", "documents"):
            table.add_column(column)
        for component, status_, count in state.processing:
            table.add_row(component, status_, str(count))
        out.print(table)
    if state.recent_runs:
        out.print("[italic]recent runs[/italic]")
        for run in state.recent_runs:
            counts = ", ".join(
                f"{getattr(run, k)} {label}"
                for k, label in (("ingested", "processed" if run.kind == "process" else "ingested"),
                                 ("duplicates", "duplicates"),
                                 ("already_present", "already present"), ("skipped", "skipped"),
                                 ("failed", "failed"))
                if getattr(run, k)
            ) or "nothing new"  # fmt: skip
            started = run.started_at[:19].replace("T", " ")
            state_text = "" if run.finished_at else " [red](interrupted)[/red]"
            out.print(f"  {run.id}  {run.kind}, {started}{state_text}: {counts}")


# --- show ----------------------------------------------------------------------------------------


def _published_text(doc: Document) -> str:
    pub = doc.published
    if pub.value is None and pub.earliest is None:
        return "unknown"
    text = f"{pub.value or '?'} ({pub.precision}, {pub.basis})"
    if pub.earliest or pub.latest:
        text += f" range {pub.earliest or '…'} – {pub.latest or '…'}"
    if pub.implausible:
        text += f" [red]IMPLAUSIBLE: {escape(pub.implausible)}[/red]"
    return text


@app.command()
def show(
    document_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it.")],
    workspace: WorkspaceOption = None,
    removed: Annotated[
        bool, typer.Option(help="Also list the lines cleaning removed, with reasons.")
    ] = False,
    raw: Annotated[bool, typer.Option(help="Print the raw bytes as ingested instead.")] = False,
    annotations: Annotated[
        bool, typer.Option(help="Also list entities, places, time expressions and quantities.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """One document: metadata, cleaned text, and on request what cleaning removed and what was found."""
    with _open(workspace) as ws:
        try:
            doc = ws.document(document_id)
            data = ws.raw_bytes(doc.id) if raw else None
            layers = ws.annotations(doc.id) if annotations or as_json else {}
        except NotFoundError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_NOT_FOUND) from None
    if data is not None:
        sys.stdout.buffer.write(data)
        return
    if as_json:
        _print_json(asdict(doc) | {"annotations": {k: [asdict(a) for a in v] for k, v in layers.items()}})
        return
    out.print(f"[bold]{escape(doc.title or '(untitled)')}[/bold]")
    fields = [
        ("id", doc.id),
        ("source", f"{doc.source or '—'}" + (f" ({doc.source_basis})" if doc.source_basis else "")),
        ("author", (doc.author or "—") + (f", {doc.author_role}" if doc.author_role else "")),
        ("published", _published_text(doc)),
        ("dateline", doc.dateline or "—"),
        ("language", doc.language or "—"),
        ("url", doc.url or "—"),
        ("origin", doc.origin + (f" ({doc.locator})" if doc.locator else "")),
        ("duplicate of", f"{doc.duplicate_of} ({doc.duplicate_reason})" if doc.duplicate_of else "—"),
    ]
    for key, value in fields:
        out.print(f"[dim]{key:>13}[/dim]  {value if key == 'published' else escape(value)}")
    out.print()
    out.print(escape(doc.text))
    if removed and doc.removed:
        out.print()
        out.print("[dim]removed by cleaning:[/dim]")
        for line in doc.removed:
            out.print(f"  [yellow]{escape(line.reason)}[/yellow]: {escape(line.text)}")
    if annotations:
        tables = annotation_tables(doc, layers)
        if not tables:
            out.print("\n[dim]no annotations yet: run `sitroom process`[/dim]")
        for table in tables:
            out.print()
            out.print(table, soft_wrap=False)


# --- claims and events ---------------------------------------------------------------------------


@app.command()
def claims(
    workspace: WorkspaceOption = None,
    speaker: Annotated[
        str | None, typer.Option(help="Speaker by name, alias or entity key (part of a name will do): Putin.")
    ] = None,
    modality: Annotated[
        str | None, typer.Option(help="asserted, reported, possible, likely, unlikely, planned, …")
    ] = None,
    polarity: Annotated[str | None, typer.Option(help="affirm, deny or negated.")] = None,
    document: Annotated[str | None, typer.Option(help="Only this document (id or prefix).")] = None,
    since: Annotated[
        str | None, typer.Option(help="Documents published on or after (2015, 2015-11, …).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Documents published on or before.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1–1000).")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first (the next page).")] = 0,
    full: Annotated[bool, typer.Option(help="Print whole statements instead of cutting them.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Attributed statements: who said what, via whom, asserted or denied, certain or hedged."""
    filters = {"speaker": speaker, "modality": modality, "polarity": polarity, "document": document,
               "since": since, "until": until}  # fmt: skip
    _list_records(
        workspace, "claims", as_json, filters,
        lambda ws: ws.claims(**filters, limit=limit, offset=offset),
        lambda record: claim_block(record, width=None if full else 280),
    )  # fmt: skip


@app.command()
def events(
    workspace: WorkspaceOption = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Event type id, e.g. deploy, air_strike.")
    ] = None,
    modality: Annotated[str | None, typer.Option(help="asserted, reported, possible, …")] = None,
    actor: Annotated[
        str | None, typer.Option(help="An actor or target by name (part of a name will do).")
    ] = None,
    place: Annotated[str | None, typer.Option(help="A place by name (part of a name will do).")] = None,
    document: Annotated[str | None, typer.Option(help="Only this document (id or prefix).")] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after (2015, 2015-11, …).")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1–1000).")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first (the next page).")] = 0,
    why: Annotated[bool, typer.Option(help="Also say how each event was read.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Events: who did what to whom, where, when, how sure, and who reports it."""
    filters = {"type": event_type, "modality": modality, "actor": actor, "place": place, "document": document,
               "since": since, "until": until}  # fmt: skip
    _list_records(
        workspace, "events", as_json, filters,
        lambda ws: ws.events(**filters, limit=limit, offset=offset),
        lambda record: event_block(record, why=why),
    )  # fmt: skip


def _list_records(workspace: str | None, noun: str, as_json: bool, filters: dict, query, render) -> None:
    """Shared by `claims` and `events`: run the query, then print JSON or one block per record, with
    how many there are and, when nothing matched, whether that is the filters or an empty workspace."""
    with _open(workspace) as ws:
        try:
            page = query(ws)
        except NotFoundError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_NOT_FOUND) from None
        except SitroomError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from None
        anything = page.total or ws.store.count_rows(noun)
    if as_json:
        _print_json([asdict(record) for record in page])
        return
    if not page.items:
        given = ", ".join(f"--{k} {v}" for k, v in filters.items() if v)
        if not anything:
            out.print(f"no {noun} yet: `sitroom process` finds them")
        elif page.total:
            out.print(f"no {noun} on this page ({page.total} in all; lower --offset)")
        else:
            out.print(f"no {noun} match {escape(given)}" if given else f"no {noun}")
        return
    for record in page:
        out.print(render(record), soft_wrap=False)
    out.print(f"[dim]{page.notice(noun)}" + (" (--offset for more)" if page.more else "") + "[/dim]")


# --- search --------------------------------------------------------------------------------------


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words or phrases ("ground forces"), AND/OR/NOT, prefix*.')],
    workspace: WorkspaceOption = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over titles and texts, best match first."""
    with _open(workspace) as ws:
        try:
            hits = ws.search(query, limit=limit)
        except InputError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from None
    if as_json:
        _print_json([asdict(hit) for hit in hits])
        return
    if not hits:
        out.print("no matches")
        return
    for hit in hits:
        out.print(
            f"[bold]{hit.document_id}[/bold]  {escape(hit.title or '(untitled)')}  "
            f"[dim]{escape(hit.source or '—')} · {hit.published or 'date unknown'}[/dim]"
        )
        out.print("    " + _highlight(hit.snippet))


def _highlight(snippet: str) -> str:
    """Rich markup for a search snippet whose matches the store wrapped in [ and ]."""
    parts = []
    for i, piece in enumerate(re.split(r"[\[\]]", snippet)):
        parts.append(f"[bold yellow]{escape(piece)}[/bold yellow]" if i % 2 else escape(piece))
    return "".join(parts)


# --- demo ----------------------------------------------------------------------------------------

DEMO_CORPUS = "syria-ground-forces"


DEMO_QUESTION_SLUG = "russia-ground-forces-syria"


def demo_corpus_path() -> Path:
    return Path(str(resources.files("sitroom") / "examples" / DEMO_CORPUS))


def demo_question_path() -> Path:
    return Path(str(resources.files("sitroom") / "examples" / "questions" / f"{DEMO_QUESTION_SLUG}.yaml"))


DEMO_SHOWN = 8  # claims and events the demo prints; the commands list the rest


def _heading(text: str) -> None:
    out.print()
    out.rule(f"[bold]{text}[/bold]", align="left")


@app.command()
def demo(
    path: Annotated[str, typer.Option("--path", help="Where to build the demo workspace.")] = "sitroom-demo",
) -> None:
    """Build a fresh workspace from the bundled demo corpus and show what sitroom found."""
    folder = Path(path)
    # reports.jsonl: a rebuilt demo must not compare its report with the previous demo's.
    for leftover in (DEFAULT_DB_NAME, f"{DEFAULT_DB_NAME}-wal", f"{DEFAULT_DB_NAME}-shm", "reports.jsonl"):
        (folder / leftover).unlink(missing_ok=True)
    shutil.rmtree(folder / RAW_DIR_NAME, ignore_errors=True)
    corpus = demo_corpus_path()
    out.print(f"[bold]sitroom demo[/bold]: {len(list(corpus.glob('*.txt')))} articles from {corpus}")
    with _open(str(folder), create=True) as ws:
        summary = ws.ingest([str(corpus)])
        _print_summary(summary)
        docs = sorted(ws.documents(), key=lambda d: d.origin)
        _heading("documents")
        for doc in docs:
            out.print(
                document_block(doc, extra=f"{len(doc.removed)} lines of boilerplate removed"), soft_wrap=False
            )
            if doc.published.implausible:
                out.print(f"          [red]date flagged[/red]: {escape(doc.published.implausible)}")
        with err.status("finding entities, places, times, quantities, claims and events…"):
            processed = ws.process()
        out.print(f"\n{processed.processed} documents processed by {', '.join(processed.components)}")
        layers = {doc.id: ws.annotations(doc.id) for doc in docs}
        _heading("what each document mentions")
        for block in findings_blocks(docs, layers):
            out.print(block, soft_wrap=False)
        _heading("claims: who said what")
        claims_page = ws.claims(limit=DEMO_SHOWN)
        for record in claims_page:
            out.print(claim_block(record, width=160), soft_wrap=False)
        out.print(
            f"[dim]{claims_page.notice('claims')}: `sitroom claims -w {escape(str(folder))}` lists them all[/dim]"
        )
        _heading("events: who did what, where, when")
        events_page = ws.events(limit=DEMO_SHOWN)
        for record in events_page:
            out.print(event_block(record, width=160), soft_wrap=False)
        out.print(
            f"[dim]{events_page.notice('events')}: `sitroom events -w {escape(str(folder))}` lists them all[/dim]"
        )

        question, _ = ws.add_question(demo_question_path())
        _heading("stories")
        print_stories(ws.stories(), {doc.id: doc.title for doc in docs})
        _heading("timeline: documents by the dates of what they report")
        print_timeline(ws.timeline(kind="documents"), "documents")
        _heading("contradictions")
        found = ws.links(kind="contradicts")
        print_links(
            found,
            {ref: quote_ref(ws, ref) for link in found for ref in (link.a, link.b)},
            "contradicts",
        )
        _heading("the question")
        board = ws.board(question.slug)
        print_board(
            board,
            ws.assessment_history(question.slug),
            {row.evidence.ref: evidence_text(row.evidence) for row in board.matrix},
            evidence=10,
        )
        from sitroom.present.reports import write_report

        with err.status("writing the question's situation report (HTML and PDF)…"):
            reports = [
                write_report(ws, question.slug, fmt, folder / f"report.{fmt}") for fmt in ("html", "pdf")
            ]
    out.print(
        f"\nReport on the question: [bold]{escape(str(reports[0].resolve()))}[/bold] (and {escape(reports[1].name)})"
    )
    out.print(
        f"The workbench on this workspace: [bold]sitroom serve -w {escape(str(folder))}[/bold], then open http://127.0.0.1:8765/"
    )
    out.print(f"\nWorkspace at [bold]{escape(str(folder.resolve()))}[/bold]. Try:")
    out.print(f"  sitroom search 'ground forces' -w {folder}")
    out.print(f"  sitroom show {docs[0].id[:8] if docs else 'ID'} --removed --annotations -w {folder}")
    out.print(f"  sitroom question board {DEMO_QUESTION_SLUG} -w {folder}")
    out.print(f"  sitroom contradictions --kind corroborates -w {folder}")
