"""Throughput of the whole linguistic layer next to bare spaCy, on the same texts in the same run.

    python -m benchmarks.nlp_throughput [--data FILE.csv ...] [--limit N] [--components a,b,...]

Texts: the FNC-1 bodies (default ``../shared/bench/stance/{train,dev}_bodies.csv``), cleaned as ingest
cleans them. First bare ``nlp.pipe`` of the same model over all texts, then sitroom's pipeline
(spaCy plus entities, places, time and quantities) over the same texts, then the same pipeline with
claims and events added; one process each time. Targets: the linguistic layer keeps at least 0.7 of
bare spaCy's articles/s, and claims + events add no more than 30% to the linguistic layer's time.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import fnc_bodies_parser, machine, peak_rss_mb, print_metrics


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
    parser = fnc_bodies_parser(__doc__)
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N articles.")
    parser.add_argument("--components", default="spacy,entities,places,time,quantities")
    parser.add_argument("--extract", default="claims,events", help="Components timed on top (empty: none).")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    from sitroom.pipeline import build_pipeline, load_spacy

    docs = load_documents(args.data, args.limit)
    texts = [d.text for d in docs]
    chars = sum(map(len, texts))

    linguistic = build_pipeline(args.components.split(","))
    extract = [c for c in args.extract.split(",") if c]
    full = build_pipeline([*args.components.split(","), *extract]) if extract else None
    nlp = load_spacy(stock=True)  # bare spaCy as spaCy ships it (sitroom's own matches faster)
    # Warm every path on a few texts so lazy loads (vectors, lexicon caches) are not timed.
    list(nlp.pipe(texts[:8]))
    for pipeline in filter(None, (linguistic, full)):
        list(pipeline.process(docs[:8], batch_size=args.batch_size))

    def time_pipeline(pipeline) -> tuple[float, int]:
        start = time.perf_counter()
        failed = sum(len(a.failed) for a in pipeline.process(docs, batch_size=args.batch_size))
        return time.perf_counter() - start, failed

    def time_bare() -> float:
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        return time.perf_counter() - start

    # Bare spaCy is timed before and after the pipelines and the faster run kept: the first pass over
    # the texts warms caches the later ones enjoy, which would otherwise flatter the pipeline.
    bare_first = time_bare()
    ling_s, failed = time_pipeline(linguistic)
    full_s, full_failed = time_pipeline(full) if full else (None, 0)
    bare_s = min(bare_first, time_bare())

    n = len(docs)
    metrics = {
        "articles": n,
        "mean_chars": round(chars / max(n, 1)),
        "components": linguistic.names,
        "bare_spacy_articles_per_s": round(n / bare_s, 2),
        "pipeline_articles_per_s": round(n / ling_s, 2),
        "ratio": round(bare_s / ling_s, 3),
        "component_failures": failed + full_failed,
    }
    if full_s is not None:
        metrics |= {
            "with_extract_components": full.names,
            "with_extract_articles_per_s": round(n / full_s, 2),
            "extract_added_ms_per_article": round((full_s - ling_s) / n * 1000, 1),
            "extract_added_share": round((full_s - ling_s) / ling_s, 3),
        }
    metrics["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(f"machine: {machine()}")
    print(f"data: {', '.join(str(p) for p in args.data)} ({n} articles, mean {metrics['mean_chars']} chars)")
    print(f"bare nlp.pipe:        {n / bare_s:7.2f} articles/s ({bare_s:.1f} s)")
    print(
        f"linguistic layer:     {n / ling_s:7.2f} articles/s ({ling_s:.1f} s) with {', '.join(linguistic.names)}"
    )
    print(f"ratio:                {metrics['ratio']:.3f}")
    if full_s is not None:
        print(
            f"+ {', '.join(extract)}:  {n / full_s:7.2f} articles/s ({full_s:.1f} s): "
            f"+{metrics['extract_added_ms_per_article']} ms/article, +{metrics['extract_added_share']:.1%}"
        )
    print(f"peak RSS {metrics['peak_rss_mb']} MiB")
    print_metrics(metrics)


if __name__ == "__main__":
    main()
