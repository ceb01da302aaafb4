"""Start-up: wall time of ``sitroom process`` on one new document in a warm workspace.

    python -m benchmarks.startup [--rounds N] [--workspace DIR] [--tree PATH]

What an analyst waits for after adding one article: the CLI started as a new process (interpreter,
imports, spaCy model, gazetteer, lexicons), the document analysed and written, and the cross-document
update (stories, links, question boards) run, until the process exits. The workspace is "warm": it
already holds the processed demo corpus, and the gazetteer cache exists (a first round, untimed, makes
sure of both). Each round ingests one new article (untimed), then times ``python -m sitroom process``.

The CPU time of the process (user + system, from ``getrusage``) is printed beside the wall time: on
this shared machine, where other jobs take most of the cores, it is close to what the wall time
would be on a free core (the command runs on one thread). Also timed, for the breakdown: the interpreter with ``import sitroom.cli`` (the import floor), and
``sitroom status`` (imports plus opening the workspace, no model).

``--tree`` times another source tree (a checkout of an earlier commit: ``git archive COMMIT | tar -x
-C DIR``) with the same interpreter, for before/after figures measured in the same session. The last
line is one JSON object of the metrics.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, machine, print_metrics

# A made-up wire report: places, people, a quantity, a claim and a date, so every component has work.
ARTICLE = (
    "Round {n}: Russian aircraft struck a market in Maarat al-Numan in Idlib province on Tuesday, "
    "killing {killed} people and wounding dozens, the Syrian Observatory for Human Rights said. "
    "The Kremlin denied that its forces had carried out the raid, and Defence Minister Sergei Shoigu "
    "said Russian jets were targeting militants near Aleppo. Turkish officials in Ankara condemned the "
    "strike and said some 3,000 civilians had fled towards the border since Sunday."
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], tree: Path, *, cpu: list[float] | None = None) -> float:
    """Wall seconds of ``python ARGS`` with ``tree`` on the path; its CPU seconds appended to ``cpu``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    start, used = time.perf_counter(), _cpu()
    # Run from a neutral folder: `python -m` puts the working directory first on sys.path, which
    # would time the checkout the benchmark was started in instead of ``tree``.
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append(_cpu() - used)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def _ingest_one(workspace: str, tree: Path, folder: Path, n: int) -> None:
    article = folder / f"startup-{n}-{time.time_ns()}.txt"
    article.write_text(f"Market strike {n}\n\n" + ARTICLE.format(n=n, killed=10 + n), encoding="utf-8")
    _run(["-m", "sitroom", "ingest", str(article), "-w", workspace], tree)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--workspace", default=None, help="A processed workspace folder (default: a new demo)."
    )
    parser.add_argument("--tree", type=Path, default=REPO, help="The sitroom source tree to time.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="sitroom-startup-") as tmp:
        folder = Path(tmp)
        workspace = args.workspace
        if workspace is None:
            workspace = str(folder / "ws")
            corpus = args.tree / "sitroom" / "examples" / "syria-ground-forces"
            _run(["-m", "sitroom", "ingest", str(corpus), "-w", workspace], args.tree)
            _run(["-m", "sitroom", "process", "-w", workspace], args.tree)
        _ingest_one(workspace, args.tree, folder, 0)  # untimed: warms the caches and the page cache
        _run(["-m", "sitroom", "process", "-w", workspace], args.tree)
        imports, status, process, cpu = [], [], [], []
        for n in range(1, args.rounds + 1):
            imports.append(_run(["-c", "import sitroom.cli"], args.tree))
            status.append(_run(["-m", "sitroom", "status", "-w", workspace], args.tree))
            _ingest_one(workspace, args.tree, folder, n)
            process.append(_run(["-m", "sitroom", "process", "-w", workspace], args.tree, cpu=cpu))
            print(
                f"round {n}: process {process[-1]:.2f} s, CPU {cpu[-1]:.2f} s (import sitroom.cli {imports[-1]:.2f} s, "
                f"status {status[-1]:.2f} s)",
                flush=True,
            )
    print(f"machine: {machine()}; tree {args.tree}")
    print(
        f"sitroom process, one new document: min {min(process):.2f} s, median {statistics.median(process):.2f} s"
        f"; CPU min {min(cpu):.2f} s, median {statistics.median(cpu):.2f} s (import floor median {statistics.median(imports):.2f} s, status median "
        f"{statistics.median(status):.2f} s)"
    )
    print_metrics(
        {
            "process_min_s": round(min(process), 2),
            "process_median_s": round(statistics.median(process), 2),
            "process_cpu_min_s": round(min(cpu), 2),
            "process_cpu_median_s": round(statistics.median(cpu), 2),
            "import_median_s": round(statistics.median(imports), 2),
            "status_median_s": round(statistics.median(status), 2),
            "rounds": args.rounds,
            "cpu_count": os.cpu_count(),
        }
    )


if __name__ == "__main__":
    main()
