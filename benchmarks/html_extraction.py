"""Main-text extraction from web pages, scored as the scrapinghub article-extraction benchmark does.

Runs sitroom's HTML reader through the same entry point as ingest (:func:`sitroom.ingest.read_bytes`
on each gzipped page) and compares the text with ``ground-truth.json`` using the benchmark's metric:
4-gram shingles of ``\\w+`` tokens, per-document precision and recall (counts normalised so long
articles weigh no more than short ones), averaged over documents; F1 from the averages. The metric
follows https://github.com/scrapinghub/article-extraction-benchmark/blob/master/evaluate.py.

    python -m benchmarks.html_extraction [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.common import bench_path, machine, print_metrics
from sitroom.ingest import read_bytes
from sitroom.model import Problem

# ../shared/bench/html beside the repository, whatever the working directory; never copied in.
DEFAULT_DATA = bench_path("html")
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
TpFpFn = tuple[float, float, float]


def count_shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Token n-grams with counts; a text shorter than n tokens is one short shingle (as upstream)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match_shingles(true: str, pred: str) -> TpFpFn:
    """True/false positives and false negatives over shingles, normalised to sum to 1."""
    true_counts, pred_counts = count_shingles(true), count_shingles(pred)
    tp = fp = fn = 0.0
    for key in true_counts.keys() | pred_counts.keys():
        t, p = true_counts.get(key, 0), pred_counts.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(results: list[TpFpFn]) -> dict[str, float]:
    """Precision and recall averaged over documents (as upstream: only where defined), and F1."""
    precision = statistics.mean(_precision(*r) for r in results if r[0] + r[1] > 0)
    recall = statistics.mean(_recall(*r) for r in results if r[0] + r[2] > 0)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


def bootstrap_intervals(results: list[TpFpFn], *, rounds: int = 1000, seed: int = 0) -> dict[str, float]:
    """Half-widths of 95 % intervals (1.96 standard deviations of resampled scores), as upstream."""
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        resampled = [results[rng.randrange(len(results))] for _ in results]
        for key, value in score(resampled).items():
            samples.setdefault(key, []).append(value)
    return {f"{key}_ci": 1.96 * statistics.stdev(values) for key, values in samples.items()}


def extract_text(page: Path, *, url: str | None) -> tuple[str, str | None]:
    """The main text sitroom's reader finds in one gzipped page, and the problem code if none."""
    for item in read_bytes(page.read_bytes(), origin=str(page), name=page.name, url=url):
        if isinstance(item, Problem):
            if item.kind == "warning":  # the page is still read (E024/E025 caveats)
                continue
            return "", item.code
        return item.text or "", None
    return "", "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.html_extraction", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"benchmark folder (default {DEFAULT_DATA})"
    )
    args = parser.parse_args(argv)
    truth_path = args.data / "ground-truth.json"
    if not truth_path.exists():
        print(f"no ground-truth.json in {args.data}", file=sys.stderr)
        return 2
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    results: list[TpFpFn] = []
    problems: Counter[str] = Counter()
    started = time.perf_counter()
    for key, item in truth.items():
        # A crawler knows the address of what it fetched; the reader passes it to trafilatura.
        text, problem = extract_text(args.data / "html" / f"{key}.html.gz", url=item.get("url"))
        if problem:
            problems[problem] += 1
        results.append(match_shingles(item.get("articleBody", ""), text))
    elapsed = time.perf_counter() - started
    metrics = score(results)
    metrics.update(bootstrap_intervals(results))
    summary = {
        "benchmark": "scrapinghub article-extraction-benchmark (shingle 4-gram)",
        "documents": len(results),
        **{key: round(value, 4) for key, value in sorted(metrics.items())},
        "docs_per_s": round(len(results) / elapsed, 1),
        "problems": dict(problems),
    }
    print(f"machine    {machine()}")
    print(f"data       {args.data}")
    print(f"documents  {len(results)}  ({sum(problems.values())} without extracted text)")
    print(f"precision  {metrics['precision']:.3f} ± {metrics['precision_ci']:.3f}")
    print(f"recall     {metrics['recall']:.3f} ± {metrics['recall_ci']:.3f}")
    print(f"F1         {metrics['f1']:.3f} ± {metrics['f1_ci']:.3f}")
    print(f"speed      {summary['docs_per_s']} docs/s")
    print_metrics(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
