"""Benchmark stance detection (agree / disagree / discuss / unrelated) on FNC-1.

    python -m benchmarks.stance [--bodies F --stances F]

Defaults are the dev split (``../shared/bench/stance/dev_*.csv``), which the committed model never
trained on. Prints the FNC-1 weighted score (raw, max and relative = raw / max; "FNC score" is the
relative one), macro-F1 over the four classes, per-class precision/recall/F1, the confusion matrix and
throughput; the last line is one JSON object with every figure.

Dev shares headlines with train (the split is by body), so it runs high: for unseen topics read the
topic-disjoint figure in ``sitroom/data/stance/metrics.json`` (``scripts/train_stance.py --topic-split``).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from benchmarks.common import bench_path, machine, peak_rss_mb, print_metrics
from sitroom.analyse.stance import LABELS, STANCE_VERSION, StanceClassifier, score_stances


def read_pairs(bodies: Path, stances: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(headline, body) pairs and gold stances from FNC-1 style CSV files."""
    with bodies.open(encoding="utf-8", newline="") as handle:
        texts = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    pairs, gold = [], []
    with stances.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pairs.append((row["Headline"], texts[row["Body ID"]]))
            gold.append(row["Stance"])
    return pairs, gold


def print_report(scores: dict) -> None:
    print(
        f"FNC-1 score {scores['fnc_score']:.4f}  (raw {scores['fnc_raw']:.2f} of max {scores['fnc_max']:.2f})"
        f"   macro-F1 {scores['macro_f1']:.4f}   accuracy {scores['accuracy']:.4f}"
    )
    print(f"\n{'class':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
    for label in LABELS:
        c = scores["per_class"][label]
        print(f"{label:<10} {c['precision']:>9.4f} {c['recall']:>7.4f} {c['f1']:>7.4f} {c['support']:>8}")
    print(f"\nconfusion (rows gold, columns predicted)\n{'':<10}" + "".join(f"{p:>10}" for p in LABELS))
    for gold in LABELS:
        print(f"{gold:<10}" + "".join(f"{scores['confusion'][gold][p]:>10}" for p in LABELS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bodies", type=Path, default=bench_path("stance", "dev_bodies.csv"))
    parser.add_argument("--stances", type=Path, default=bench_path("stance", "dev_stances.csv"))
    args = parser.parse_args(argv)

    began = time.perf_counter()
    model = StanceClassifier.load()
    load_s = time.perf_counter() - began
    pairs, gold = read_pairs(args.bodies, args.stances)
    began = time.perf_counter()
    predicted = [label for label, _ in model.predict_many(pairs)]
    elapsed = time.perf_counter() - began
    # Single calls, every text analysed afresh: the latency a caller without batching sees.
    sample = pairs[:: max(len(pairs) // 300, 1)]
    began = time.perf_counter()
    for claim, text in sample:
        model.predict(claim, text)
    single_ms = 1000 * (time.perf_counter() - began) / max(len(sample), 1)

    scores = score_stances(gold, predicted)
    print(f"{STANCE_VERSION} on {args.stances.name} ({len(pairs)} pairs), {machine()}")
    print_report(scores)
    print(
        f"\n{len(pairs) / elapsed:.0f} pairs/s with predict_many; {single_ms:.2f} ms per predict() call; "
        f"model loaded in {load_s:.2f} s; peak RSS {peak_rss_mb():.0f} MiB"
    )
    print_metrics(
        {
            "task": "stance",
            "model": STANCE_VERSION,
            "data": str(args.stances),
            "pairs": len(pairs),
            "fnc_score": round(scores["fnc_score"], 4),
            "fnc_raw": scores["fnc_raw"],
            "fnc_max": scores["fnc_max"],
            "macro_f1": round(scores["macro_f1"], 4),
            "accuracy": round(scores["accuracy"], 4),
            "per_class": {
                k: {m: round(v, 4) if isinstance(v, float) else v for m, v in c.items()}
                for k, c in scores["per_class"].items()
            },
            "confusion": scores["confusion"],
            "pairs_per_s": round(len(pairs) / elapsed, 1),
            "ms_per_predict": round(single_ms, 3),
            "load_s": round(load_s, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
