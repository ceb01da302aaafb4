"""A report as PDF: the report's HTML laid out by WeasyPrint (Pango, Debian's DejaVu fonts).

WeasyPrint would fetch any URL the HTML references; the report references none (images are data:
URIs), and the fetcher below refuses anything else, so rendering can never reach the network even if
a template changes. Article links stay clickable in the PDF: WeasyPrint writes them as link
annotations and does not fetch them.
"""

from __future__ import annotations

from sitroom.errors import SitroomError
from sitroom.present.reports.contents import Report
from sitroom.present.reports.render_html import render_html


class ReportError(SitroomError):
    """A report cannot be rendered in the asked format, or not written."""


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint installed but Pango missing
        raise ReportError(
            "E081",
            f"cannot write PDF: WeasyPrint is not usable here ({type(exc).__name__}: {exc}). Install it "
            "with `pip install weasyprint` (it needs Pango: `apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0`), or write --format html and print that.",
        ) from exc
    offline = URLFetcher(allowed_protocols=("data",))  # data: URIs only; never the network or files
    return HTML(string=render_html(report), base_url=None, url_fetcher=offline).write_pdf()
