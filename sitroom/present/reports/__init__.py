"""Situation reports: key judgments in estimative language, evidence with provenance, figures; as
Markdown, one self-contained HTML file, or PDF (docs/reports.md).

    build_report(ws, question=SLUG | story=ID | everything=True, since=DATE) -> Report
    render(report, fmt) -> bytes           (fmt: md, html, pdf)
    write_report(ws, slug, fmt, out_path) -> Path   (the demo's one call)

Modules: ``judgments`` (likelihood and confidence), ``assemble`` (the typed report from the read
layer), ``figures`` (timeline and map, offline), ``render_md``, ``render_html``, ``render_pdf``,
``history`` (the reports log that says what changed since the previous report).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from sitroom.checks import check_dates
from sitroom.errors import InputError
from sitroom.present.reports.render_pdf import ReportError

FORMATS = ("md", "html", "pdf")

__all__ = ["FORMATS", "ReportError", "build", "default_path", "write", "write_report"]


def check_format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise InputError("E080", f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def build(ws, *, question=None, story=None, everything=False, since=None, record_log=True):
    """The Report for one subject (exactly one of ``question``, ``story``, ``everything``)."""
    from sitroom.present.reports import assemble, history

    chosen = sum(1 for x in (question, story, everything) if x)
    if chosen != 1:
        raise InputError("E080", "name one subject: --question SLUG, --story ID or --all")
    try:
        check_dates(since, None)
    except InputError as exc:
        raise InputError("E080", exc.message) from exc
    log = history.read_log(history.log_path(ws.location)) if record_log else []
    return assemble.build_report(
        ws, question=question, story=story, everything=everything, since=since, log=log
    )


def default_path(report, fmt: str) -> Path:
    """``sitroom-report-<subject>.<fmt>`` in the current folder."""
    subject = report.subject.replace(":", "-").replace("/", "-")
    return Path(f"sitroom-report-{subject}.{fmt}")


def write(ws, report, fmt: str, out_path: str | Path | None = None, *, record_log: bool = True) -> Path:
    """Render ``report`` as ``fmt`` into ``out_path`` (a default name when None); Markdown's figures
    are written beside it. The reports log records it (``record_log``). Returns the path written."""
    from sitroom.present.reports import assemble, history
    from sitroom.present.reports.render_html import render_html
    from sitroom.present.reports.render_md import render_md
    from sitroom.present.reports.render_pdf import render_pdf

    fmt = check_format(fmt)
    path = Path(out_path) if out_path else default_path(report, fmt)
    try:
        if fmt == "pdf":
            path.write_bytes(render_pdf(report))
        elif fmt == "html":
            path.write_text(render_html(report), encoding="utf-8")
        else:
            images = {}
            for key, figure in _figures(report):
                image = path.with_name(f"{path.stem}-{key}.png")
                image.write_bytes(figure.png)
                images[key] = image.name
            path.write_text(render_md(report, images=images), encoding="utf-8")
    except OSError as exc:
        raise ReportError("E082", f"cannot write {path}: {exc.strerror or exc}") from exc
    if record_log:
        entries = assemble.log_entries(report, path=str(path.resolve()), fmt=fmt)
        # A read-only workspace folder: the report is written, only the log is not.
        with contextlib.suppress(OSError):
            history.append(history.log_path(ws.location), entries)
    return path


def _figures(report):
    for q in report.questions:
        for figure in q.figures:
            yield f"q-{q.slug}-{figure.name}", figure
    for s in report.stories:
        for figure in s.figures:
            yield f"s-{s.id}-{figure.name}", figure


# The last report write_report built, with what it was built from. The demo writes the same report as
# HTML and then PDF: both must say the same thing (the second must not call the first its "previous
# report"), so a second call on an unchanged workspace reuses the first's report.
_last: list = []


def _fingerprint(ws, slug: str) -> tuple:
    revisions = getattr(ws, "revisions", None)
    return (
        id(ws),
        slug,
        repr(ws.overview()),
        repr(ws.assessment_history(slug)[-1:]),
        revisions(limit=1).total if callable(revisions) else None,
    )


def write_report(ws, slug: str, fmt: str, out_path: str | Path) -> Path:
    """Write the report on question ``slug`` as ``fmt`` (md, html, pdf) to ``out_path``; the path."""
    key = _fingerprint(ws, slug)
    if _last and _last[0] == key:
        report = _last[1]
    else:
        report = build(ws, question=slug)
        _last[:] = [key, report]
    return write(ws, report, fmt, out_path)
