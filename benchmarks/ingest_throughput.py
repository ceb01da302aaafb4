"""Ingest throughput: documents/s and peak memory ingesting the FNC-1 bodies into a fresh SQLite workspace.

    python -m benchmarks.ingest_throughput [--data FILE.csv ...] [--workspace DIR]

One process, the same code path as ``sitroom ingest`` (CSV reader, cleaning, language, exact and
near-duplicate detection, one transaction per document). Target: >= 200 documents/s.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import fnc_bodies_parser, machine, peak_rss_mb, print_metrics


def main(argv: list[str] | None = None) -> None:
    parser = fnc_bodies_parser(__doc__)
    parser.add_argument(
        "--workspace", type=Path, help="Workspace folder (default: a temporary one, removed after)."
    )
    args = parser.parse_args(argv)

    from sitroom import Workspace

    folder = args.workspace or Path(tempfile.mkdtemp(prefix="sitroom-bench-"))
    try:
        with Workspace.init(folder) as ws:
            start = time.perf_counter()
            summary = ws.ingest([str(p) for p in args.data])
            elapsed = time.perf_counter() - start
            total = summary.ingested + summary.duplicates
        metrics = {
            "documents": total,
            "ingested": summary.ingested,
            "duplicates": summary.duplicates,
            "problems": len(summary.problems),
            "seconds": round(elapsed, 2),
            "docs_per_s": round(total / elapsed, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    finally:
        if args.workspace is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"data: {', '.join(str(p) for p in args.data)}")
    print(
        f"{metrics['documents']} documents ({metrics['duplicates']} duplicates, {metrics['problems']} problems) "
        f"in {metrics['seconds']} s: {metrics['docs_per_s']} documents/s, peak RSS {metrics['peak_rss_mb']} MiB"
    )
    print_metrics(metrics)


if __name__ == "__main__":
    main()
