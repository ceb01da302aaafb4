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
    """Peak resident memory of this process so far, in MiB.

    On Linux from /proc (VmHWM, the high-water mark of this program's memory), not from getrusage:
    Linux keeps ``ru_maxrss`` across ``exec``, so a process started by a large one (a benchmark that
    built a 20k-document workspace, then measured in a fresh process) reports its parent's size at
    the fork as its own peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
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
