"""The flat-cost curve: time per document and peak memory when a batch of new real articles is processed
into workspaces already holding 1k, 5k and 20k processed documents.

    python -m benchmarks.scale_curve [--sizes 1000 5000 20000] [--new 60] [--seed-docs 150] [--rounds 1]
        [--keep DIR] [--workers 1]

Each workspace is built as :mod:`benchmarks.incremental` builds it (``--seed-docs`` FNC-1 bodies through
the whole pipeline, scaled up with word-perturbed copies with distinct ids carrying their annotations,
link keys, lead nouns and a place in the story clusterer; the packaged demo question loaded). Then, in a
fresh process (so the peak memory is that of one ``process`` run, not of the build), one demo article
is added untimed to warm the workspace up (spaCy, gazetteer, clusterer state, stance model), and
``--new`` FNC-1 bodies none of the workspace's documents come from are ingested and processed with
``Workspace.process`` (pipeline, writes, stories, links, question evidence and assessment). The time
per new document (CPU time of the measuring process, which with ``--workers 1`` does all the work: on a
shared machine wall time mostly measures the others' load; wall time is printed too) is split into
pipeline (spaCy and components), writes (annotations) and the cross-document update; peak memory is
the measuring process's (with ``--workers 1`` the only worker).
Target: time per document within 20% across sizes, peak memory at most 1.5 GB per worker.

``--keep DIR`` keeps each built workspace as ``DIR/ws-<size>`` and reuses it (the timed run then works
on a fresh copy); a larger size is then grown from the next smaller kept one (more copies of the same
seeds). ``--rounds N`` measures every size N times, the sizes alternated within each round, and
reports each figure's median: CPU time too moves with the machine's load (a stage that does the same
work in every size, the pipeline, varied by a fifth between back-to-back runs on this shared machine),
and alternating spreads a busy spell over all sizes. The last line is one JSON object of the metrics.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, bench_path, machine, peak_rss_mb, print_metrics
from benchmarks.incremental import _bodies, build_workspace, grow_workspace, keep_workspace

# New articles start this far into the bodies: the seeds and the perturbation vocabulary come from the
# first 2 x seed-docs bodies, so the new articles are texts the workspace has never seen.
NEW_FROM = 1000


def measure(folder: Path, new: int, workers: int) -> dict:
    """Warm ``folder``'s workspace up with one demo article, then process ``new`` FNC-1 bodies; the
    seconds per stage and this process's peak memory."""
    import sitroom.timing
    from sitroom import Workspace

    demo = sorted((REPO / "sitroom" / "examples" / "syria-ground-forces").glob("*.txt"))
    bodies = _bodies(bench_path("stance", "train_bodies.csv"))[NEW_FROM : NEW_FROM + new]
    batch = folder.parent / "new.jsonl"
    batch.write_text(
        "".join(
            json.dumps({"title": f"New {i}", "text": body, "source": f"new-outlet-{i % 7}"}) + "\n"
            for i, body in enumerate(bodies)
        )
    )
    warm = folder.parent / "warm-up.txt"
    warm.write_text(demo[2].read_text())
    # CPU time of this process (with --workers 1 it does all the work): on a shared machine wall time
    # depends on the other processes' load, CPU time much less. Wall time is reported beside it.
    sitroom.timing.CLOCK = time.process_time
    with Workspace.open(folder) as ws:
        ws.ingest([str(warm)])
        ws.process(workers=workers)
        rss_warm = peak_rss_mb()
        ws.ingest([str(batch)])
        # Older trees report no split: the update is timed around catch_up there.
        spent = {"update": 0.0}
        catch_up = ws.analyser.catch_up

        def timed(**kw):
            start = time.process_time()
            try:
                return catch_up(**kw)
            finally:
                spent["update"] += time.process_time() - start

        ws.analyser.catch_up = timed
        start, wall = time.process_time(), time.perf_counter()
        summary = ws.process(workers=workers)
        total, wall = time.process_time() - start, time.perf_counter() - wall
    times = getattr(summary, "times", None)
    out = {"processed": summary.processed, "total_s": round(total, 3), "wall_s": round(wall, 3),
           "update_s": round(spent["update"], 3),
           # A document a step failed on is cheap: a figure with failures measures less work.
           "failed": len(getattr(summary, "failed", ()))}  # fmt: skip
    if times is not None:
        out |= {"pipeline_s": times.pipeline, "writes_s": times.writes}
    else:
        out |= {"pipeline_s": None, "writes_s": round(total - spent["update"], 3)}  # pipeline + writes
    out |= {"peak_rss_mb": round(peak_rss_mb(), 1), "rss_after_warm_up_mb": round(rss_warm, 1)}
    return out


def _prepare(size: int, sizes: list[int], args, rng: random.Random, root: Path) -> tuple[float, int, Path]:
    """The workspace of ``size`` documents (kept, or grown from a smaller kept one or built in
    ``root/ws``); its build seconds, document count and folder. Each measurement works on a copy of it."""
    kept = args.keep / f"ws-{size}" if args.keep else None
    smaller = [s for s in sorted(sizes) if s < size]
    grown_from = args.keep / f"ws-{smaller[-1]}" if args.keep and smaller else None
    if kept is not None and (kept / "built.json").exists():
        build_s, documents = json.loads((kept / "built.json").read_text())
        return build_s, documents, kept
    if grown_from is not None and (grown_from / "built.json").exists():
        # More copies of the same seeds: the seeds are not processed again.
        shutil.copytree(grown_from, root / "ws")
        build_s, documents = grow_workspace(root / "ws", size, args.seed_docs, rng)
        if kept is not None:
            keep_workspace(root / "ws", kept, build_s, documents)
    else:
        build_s, documents = build_workspace(root / "ws", size, args.seed_docs, rng)
        if kept is not None:
            keep_workspace(root / "ws", kept, build_s, documents)
    return build_s, documents, root / "ws"


def _measure_copy(folder: Path, args) -> dict:
    """One measurement, in a fresh process, on a copy of ``folder`` (the run changes what it measures)."""
    work = Path(tempfile.mkdtemp(prefix="sitroom-curve-run-"))
    try:
        shutil.copytree(folder, work / "ws")
        command = [sys.executable, "-m", "benchmarks.scale_curve", "--measure", str(work / "ws")]
        command += ["--new", str(args.new), "--workers", str(args.workers)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
        if done.returncode != 0:
            raise SystemExit(f"measuring {folder} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--new", type=int, default=60, help="new articles processed into each workspace")
    parser.add_argument("--seed-docs", type=int, default=150)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every size this many times, the sizes alternated; medians reported")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built workspaces in this folder")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the fresh measuring process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.new, args.workers)))
        return
    rng = random.Random(11)
    metrics: dict = {"machine": machine(), "new": args.new, "workers": args.workers, "rounds": args.rounds}
    print(f"{machine()}; {args.new} new FNC-1 articles per workspace, {args.workers} worker(s)")
    if args.rounds > 1:
        print(f"{args.rounds} rounds, the sizes alternated in each; median of the rounds per figure")
    roots = {size: Path(tempfile.mkdtemp(prefix=f"sitroom-curve-{size}-")) for size in args.sizes}
    try:
        built = {size: _prepare(size, args.sizes, args, rng, roots[size]) for size in args.sizes}
        runs: dict[int, list[dict]] = {size: [] for size in args.sizes}
        for _ in range(args.rounds):
            for size in args.sizes:
                runs[size].append(_measure_copy(built[size][2], args))
    finally:
        for root in roots.values():
            shutil.rmtree(root, ignore_errors=True)
    print("CPU time per new document (this process; wall time beside it), peak memory of the run:")
    print("workspace  per document  pipeline   writes   update   peak memory   wall per document")
    for size in args.sizes:
        build_s, documents, _ = built[size]
        found = _median_run(runs[size])
        if found.get("failed"):
            print(f"warning: {found['failed']} failures among the new documents at {size}")
        n = max(found["processed"], 1)
        per = {k: (found[f"{k}_s"] / n * 1000 if found[f"{k}_s"] is not None else None)
               for k in ("total", "pipeline", "writes", "update")}  # fmt: skip
        metrics[str(size)] = {"documents": documents, "build_s": round(build_s, 1), **found,
                              **{f"{k}_ms_per_doc": round(v, 1) for k, v in per.items() if v is not None},
                              "rounds_total_ms_per_doc": [round(r["total_s"] / n * 1000, 1) for r in runs[size]]}  # fmt: skip
        pipeline = f"{per['pipeline']:7.0f} ms" if per["pipeline"] is not None else "   (with writes)"
        print(
            f"{documents:>9,}  {per['total']:9.0f} ms  {pipeline}  {per['writes']:5.0f} ms  "
            f"{per['update']:5.0f} ms  {found['peak_rss_mb']:7.0f} MiB  {found['wall_s'] / n * 1000:9.0f} ms"
        )
    totals = [metrics[str(s)]["total_ms_per_doc"] for s in args.sizes]
    metrics["spread"] = round(max(totals) / min(totals) - 1, 3)
    print(f"largest / smallest time per document: {max(totals) / min(totals):.2f} (target within 1.20)")
    print_metrics(metrics)


def _median_run(found: list[dict]) -> dict:
    """Each figure's median over the rounds (a stage's median, not the median round's), the highest
    peak memory, and the first round's counts."""
    out = dict(found[0])
    for key in ("total_s", "wall_s", "update_s", "pipeline_s", "writes_s"):
        values = [f[key] for f in found if f.get(key) is not None]
        if values:
            out[key] = round(statistics.median(values), 3)
    out["peak_rss_mb"] = max(f["peak_rss_mb"] for f in found)
    return out


if __name__ == "__main__":
    main()
