"""End-to-end throughput of the whole path (ingest + process + cross-document update) beside bare spaCy.

    python -m benchmarks.pipeline_throughput [--data FILE.csv ...] [--limit N] [--workers N]
        [--rounds R] [--workspace URL] [--engine local|ray] [--compare]

What a user runs: ``sitroom ingest`` then ``sitroom process`` (pipeline, writes, stories, links and
question boards) into a fresh workspace, timed as a whole, and, alternated with it in the same run,
bare ``nlp.pipe`` of the same spaCy model over the same texts with the same number of processes
(``n_process``). The ratio of articles/s (sitroom ÷ bare spaCy) is the figure that counts: absolute
speeds on a shared machine vary by ±30%, a ratio measured round by round much less. Each round uses a
new workspace: a fresh SQLite file, or, with ``--workspace URL --reset-workspace``, the given
PostgreSQL database emptied first (its ``public`` schema dropped: give a throwaway database). Peak
memory: this process's, and the largest worker's.

``--engine ray`` runs the pipeline on Ray actors (a local Ray instance with ``--workers`` CPUs, started
once before the rounds, as a cluster would be). The largest worker's peak memory (a local worker or a Ray
actor) is sampled from /proc (VmHWM) while sitroom runs.
``--compare`` then processes the same texts once more with the other engine and compares every
workspace table row by row (run ids and timestamps aside): the identity check on real articles, too
slow for the test suite.

Texts: the FNC-1 bodies (default ``../shared/bench/stance/{train,dev}_bodies.csv``), first ``--limit``.
The last line is one JSON object of the metrics.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import fnc_bodies_parser, machine, peak_rss_mb, print_metrics


def _texts_file(paths: list[Path], limit: int, folder: Path) -> tuple[Path, list[str]]:
    """The first ``limit`` bodies as a JSONL file to ingest, and their cleaned texts for bare spaCy."""
    import json

    from sitroom.clean import clean_document
    from sitroom.ingest import iter_inputs
    from sitroom.model import RawDocument

    texts, lines = [], []
    for item in iter_inputs([str(p) for p in paths]):
        if isinstance(item, RawDocument):
            doc = clean_document(item)
            if doc.text.strip():
                texts.append(doc.text)
                lines.append(
                    json.dumps({"id": f"b{len(lines)}", "text": item.raw.decode("utf-8", "replace")})
                )
        if len(texts) >= limit:
            break
    target = folder / "bodies.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target, texts


def _sitroom_round(corpus: Path, location: str, workers: int, engine: str = "local") -> tuple[float, int]:
    from sitroom import Workspace

    start = time.perf_counter()
    with Workspace.init(location) as ws:
        ws.ingest([str(corpus)])
        summary = ws.process(workers=workers, engine=engine)
    return time.perf_counter() - start, summary.processed


def _table_rows(location: str) -> dict[str, list[tuple]]:
    """Every table's rows but the run ids and timestamps (tests/test_engines.py does the same)."""
    from sqlalchemy import select

    from sitroom import Workspace
    from sitroom.store.schema import metadata

    rows: dict[str, list[tuple]] = {}
    with Workspace.open(location) as ws, ws.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("runs", "settings"):
                continue
            volatile = ("run", "_at", "created", "updated")
            keep = [
                c
                for c in table.columns
                if c.name not in ("at", "raw_file") and not any(v in c.name for v in volatile)
            ]
            rows[table.name] = sorted(tuple(map(repr, r)) for r in conn.execute(select(*keep)).all())
    return rows


class _WorkerMemory:
    """The largest peak RSS (VmHWM) of any worker while sitroom runs, sampled from /proc every half
    second: this process's descendants (the local engine's workers) and Ray's actors (not this
    process's children). Not getrusage: Linux carries ``ru_maxrss`` across ``exec``, so a worker
    started by a large driver reports the driver's size, and RUSAGE_CHILDREN would also count bare
    spaCy's ``n_process`` workers. Sampling pauses while bare spaCy runs."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self.active = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _workers(self) -> list[str]:
        parents: dict[str, str] = {}
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if b"ray::SitroomAnalyser" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
                # The parent's pid is the 4th field, after the command in parentheses.
                parents[pid] = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1]
            except (OSError, IndexError):
                continue
        me = str(os.getpid())
        for pid in parents:
            seen, up = set(), parents.get(pid)
            while up and up not in seen and up != me:
                seen.add(up)
                up = parents.get(up)
            if up == me:
                found.append(pid)
        return found

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            if not self.active.is_set():
                continue
            for pid in self._workers():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    continue

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _spacy_round(nlp, texts: list[str], workers: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=workers, batch_size=16):
        pass
    return time.perf_counter() - start


def _reset(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = fnc_bodies_parser(__doc__)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="Alternated rounds of each.")
    parser.add_argument(
        "--workspace", default=None, help="A PostgreSQL URL to use instead of fresh SQLite files."
    )
    parser.add_argument(
        "--reset-workspace", action="store_true", help="Empty --workspace before each round (it is dropped!)."
    )
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument(
        "--compare", action="store_true", help="Also process once with the other engine and compare tables."
    )
    args = parser.parse_args(argv)
    if args.workspace and not args.reset_workspace:
        parser.error("--workspace needs --reset-workspace: each round must start from an empty database")

    from sitroom.pipeline import load_spacy

    if args.engine == "ray" or args.compare:
        import logging

        import ray

        # Started once, outside the timed rounds, as a long-lived cluster would be.
        ray.init(
            num_cpus=args.workers, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING
        )
    memory = _WorkerMemory()
    with tempfile.TemporaryDirectory(prefix="sitroom-throughput-") as tmp:
        folder = Path(tmp)
        corpus, texts = _texts_file(args.data, args.limit, folder)
        nlp = load_spacy(stock=True)  # bare spaCy as spaCy ships it
        list(nlp.pipe(texts[:8]))  # warm the model
        tokens = sum(len(t.split()) for t in texts)
        # One warm-up of the whole path, untimed: gazetteer cache, model load, lexicons.
        _sitroom_round(corpus, str(folder / "warm"), args.workers, args.engine)
        ours, bare = [], []
        for round_number in range(args.rounds):
            location = str(folder / f"ws{round_number}")
            if args.workspace:
                _reset(args.workspace)
                location = args.workspace
            memory.active.set()
            elapsed, processed = _sitroom_round(corpus, location, args.workers, args.engine)
            memory.active.clear()
            ours.append(len(texts) / elapsed)
            bare.append(len(texts) / _spacy_round(nlp, texts, args.workers))
            ratio = ours[-1] / bare[-1]
            print(
                f"round {round_number + 1}: sitroom {ours[-1]:.2f} articles/s ({processed} processed), "
                f"bare spaCy {bare[-1]:.2f} articles/s, ratio {ratio:.2f}",
                flush=True,
            )
        if args.compare:
            other = "local" if args.engine == "ray" else "ray"
            _sitroom_round(corpus, str(folder / "other"), args.workers, other)
            mine, theirs = _table_rows(location), _table_rows(str(folder / "other"))
            differ = [name for name in mine if mine[name] != theirs.get(name)]
            compared = sum(len(v) for v in mine.values())
            print(
                f"compare {args.engine} vs {other}: {compared} rows in {len(mine)} tables, "
                + (f"DIFFERENT in {', '.join(differ)}" if differ else "identical"),
                flush=True,
            )
    worker_mb = memory.stop()
    ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    print(
        f"machine: {machine()}; {len(texts)} articles, ~{tokens} words, {args.workers} process(es), "
        f"engine {args.engine}"
    )
    print(
        f"sitroom (ingest + process + update): median {statistics.median(ours):.2f} articles/s "
        f"({statistics.median(ours) * tokens / len(texts):.0f} words/s); bare nlp.pipe median "
        f"{statistics.median(bare):.2f} articles/s; ratio median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}); peak RSS {peak_rss_mb():.0f} MiB "
        f"(largest worker {worker_mb:.0f} MiB)"
    )
    print_metrics(
        {
            "articles": len(texts),
            "workers": args.workers,
            "engine": args.engine,
            "sitroom_articles_per_s": round(statistics.median(ours), 3),
            "spacy_articles_per_s": round(statistics.median(bare), 3),
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3),
            "peak_rss_mb": round(peak_rss_mb()),
            "worker_peak_rss_mb": round(worker_mb),
            "cpu_count": os.cpu_count(),
        }
    )


if __name__ == "__main__":
    main()
