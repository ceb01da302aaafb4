"""Report timing: seconds to assemble a question's report and to render it as Markdown, HTML and PDF.

    python -m benchmarks.report_timing --workspace DIR [--question SLUG]

Reads an existing, processed workspace (``sitroom demo --path DIR`` builds the demo one) through the
same calls as ``sitroom report``; writes into a temporary folder and leaves the reports log untouched.
Prints the seconds per step, the output sizes and the PDF's page count.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, peak_rss_mb, print_metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, required=True, help="A processed workspace.")
    parser.add_argument("--question", default="russia-ground-forces-syria", help="The question's slug.")
    args = parser.parse_args(argv)

    from sitroom import Workspace
    from sitroom.present.reports import build, write

    metrics: dict[str, object] = {"machine": machine(), "question": args.question}
    with Workspace.open(args.workspace) as ws, tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        report = build(ws, question=args.question, record_log=False)
        metrics["assemble_s"] = round(time.perf_counter() - start, 2)
        section = report.questions[0]
        metrics["evidence"] = section.evidence.total
        metrics["documents"] = section.coverage.documents
        for fmt in ("md", "html", "pdf"):
            start = time.perf_counter()
            path = write(ws, report, fmt, Path(folder) / f"report.{fmt}", record_log=False)
            metrics[f"{fmt}_s"] = round(time.perf_counter() - start, 2)
            metrics[f"{fmt}_kb"] = round(path.stat().st_size / 1024)
        try:
            from pypdf import PdfReader

            metrics["pdf_pages"] = len(PdfReader(str(Path(folder) / "report.pdf")).pages)
        except ImportError:  # pypdf is a test extra: the page count is a nicety
            pass
    metrics["peak_rss_mb"] = round(peak_rss_mb())
    print_metrics(metrics)


if __name__ == "__main__":
    main()
