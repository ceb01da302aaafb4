"""Helpers shared by the benchmark runners: where the bench data lives, and how results are printed."""

from __future__ import annotations

import json
import platform
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"


def bench_path(*parts: str) -> Path:
    """A path under ../shared/bench (relative to the repository, whatever the working directory)."""
    return BENCH.joinpath(*parts)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 if sys.platform != "darwin" else usage / 1024 / 1024


def machine() -> str:
    import os

    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def print_metrics(metrics: dict) -> None:
    """The last line of every benchmark: one JSON object of its metrics."""
    print(json.dumps(metrics, sort_keys=True))


def fnc_bodies_parser(doc: str | None):
    """An argument parser whose ``--data`` defaults to the FNC-1 bodies (train and dev): the real news
    text the throughput benchmarks read."""
    import argparse

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data",
        nargs="+",
        type=Path,
        default=[bench_path("stance", "train_bodies.csv"), bench_path("stance", "dev_bodies.csv")],
    )
    return parser
