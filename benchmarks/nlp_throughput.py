"""Throughput of the whole linguistic layer next to bare spaCy, on the same texts in the same run.

    python -m benchmarks.nlp_throughput [--data FILE.csv ...] [--limit N] [--components a,b,...]

Texts: the FNC-1 bodies (default ``../shared/bench/stance/{train,dev}_bodies.csv``), cleaned as ingest
cleans them. First bare ``nlp.pipe`` of the same model over all texts, then sitroom's pipeline
(spaCy plus entities, places, time and quantities) over the same texts; one process each time. The
ratio (pipeline articles/s ÷ bare articles/s) should be at least 0.7.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.common import bench_path, machine, peak_rss_mb, print_metrics


def load_documents(paths: list[Path], limit: int | None):
    from sitroom.clean import clean_document
    from sitroom.ingest import iter_inputs
    from sitroom.model import RawDocument

    docs = []
    for item in iter_inputs([str(p) for p in paths]):
        if isinstance(item, RawDocument):
            docs.append(clean_document(item))
        if limit and len(docs) >= limit:
            break
    return docs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data",
        nargs="+",
        type=Path,
        default=[bench_path("stance", "train_bodies.csv"), bench_path("stance", "dev_bodies.csv")],
    )
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N articles.")
    parser.add_argument("--components", default="spacy,entities,places,time,quantities")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    from sitroom.pipeline import build_pipeline

    docs = load_documents(args.data, args.limit)
    texts = [d.text for d in docs]
    chars = sum(map(len, texts))

    pipeline = build_pipeline(args.components.split(","))
    nlp = pipeline.nlp
    # Warm both paths on a few texts so lazy loads (vectors, lexicon caches) are not timed.
    list(nlp.pipe(texts[:8]))
    list(pipeline.process(docs[:8], batch_size=args.batch_size))

    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=args.batch_size):
        pass
    bare_s = time.perf_counter() - start

    start = time.perf_counter()
    failed = 0
    for analysis in pipeline.process(docs, batch_size=args.batch_size):
        failed += len(analysis.failed)
    full_s = time.perf_counter() - start

    bare_rate = len(docs) / bare_s
    full_rate = len(docs) / full_s
    metrics = {
        "articles": len(docs),
        "mean_chars": round(chars / max(len(docs), 1)),
        "components": pipeline.names,
        "bare_spacy_articles_per_s": round(bare_rate, 2),
        "pipeline_articles_per_s": round(full_rate, 2),
        "ratio": round(full_rate / bare_rate, 3),
        "component_failures": failed,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(f"machine: {machine()}")
    print(
        f"data: {', '.join(str(p) for p in args.data)} ({len(docs)} articles, mean {metrics['mean_chars']} chars)"
    )
    print(f"bare nlp.pipe:      {bare_rate:7.2f} articles/s ({bare_s:.1f} s)")
    print(
        f"sitroom pipeline:   {full_rate:7.2f} articles/s ({full_s:.1f} s) with {', '.join(pipeline.names)}"
    )
    print(f"ratio:              {metrics['ratio']:.3f}   peak RSS {metrics['peak_rss_mb']} MiB")
    print_metrics(metrics)


if __name__ == "__main__":
    main()
