"""Helpers every benchmark shares."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.common import REPO, peak_rss_mb


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux keeps ru_maxrss across exec")
def test_a_fresh_process_does_not_report_its_parents_peak_memory() -> None:
    grown = bytearray(300 * 2**20)  # this process now holds 300 MiB more
    for i in range(0, len(grown), 4096):
        grown[i] = 1
    assert peak_rss_mb() > 300
    code = "from benchmarks.common import peak_rss_mb; print(peak_rss_mb())"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert float(child.stdout) < 200  # the child's own peak, not the parent's 300+ MiB at the fork
