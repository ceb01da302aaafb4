"""Benchmark event detection: does the event layer find the event a news snippet reports, of a type that
agrees with its gold ACLED sub-event type?

    python -m benchmarks.event_detection [--data FILE.tsv] [--limit N]

Data: CASE-2021 Task 2 snippets (``../shared/bench/events/case2021_dev.tsv``; the held-out half comes in the
same format), each one news snippet about one event with its ACLED sub-event type. Every snippet goes
through the whole default pipeline (``sitroom process``'s components) as a document of its own. Each
event type of ``sitroom/data/events.yaml`` lists the CASE codes it agrees with (its ``classifier`` list);
a snippet counts as

- **found** when the layer makes at least one event of it, and
- **agreeing** when one of those events has a type that lists the snippet's gold code.

Both are shares of the snippets of every ACLED sub-event type and of diplomacy (DIPLO), whether or not a
type lists the code (a code none lists is a miss, so adding a type shows in the figure). The snippets of
events the ontology leaves out by design (natural and man-made disasters, organised crime, attribution
statements, OTHER) are scored apart: the share of them given a violent event is a false-alarm figure. The event-type classifier (trained
on the dev half) only nudges an event's confidence and its ACLED sub-event field; neither figure here
reads them, so the dev half measures the rules, not a model fitted to it.

Prints a per-code table and the totals; the last line is one JSON object of metrics.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.common import bench_path, machine, peak_rss_mb, print_metrics
from sitroom.extract.event_types import read_labelled_snippets
from sitroom.extract.events_ontology import load_ontology
from sitroom.model import Document
from sitroom.pipeline import DEFAULT_PIPELINE, build_pipeline

DEFAULT_DATA = bench_path("events", "case2021_dev.tsv")
# Types whose events are violence: an out-of-ontology snippet given one is a false alarm.
# CASE-2021 codes of what the event layer does not cover by design.
OUT_OF_SCOPE = frozenset(("NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME", "ATTRIB", "OTHER"))
VIOLENT = frozenset(
    ("air_strike", "shelling", "armed_clash", "attack", "bombing", "chemical_attack", "casualties", "abduction",
     "sexual_violence", "riot", "territorial_change")
)  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N snippets")
    args = parser.parse_args(argv)

    ids, texts, labels = read_labelled_snippets(args.data)
    if args.limit:
        ids, texts, labels = ids[: args.limit], texts[: args.limit], labels[: args.limit]
    ontology = load_ontology()
    codes_of = {type_id: event_type.classifier_codes for type_id, event_type in ontology.types.items()}
    covered = frozenset().union(*codes_of.values())
    if not covered.isdisjoint(OUT_OF_SCOPE):
        raise SystemExit(f"a type lists a code out of scope: {sorted(covered & OUT_OF_SCOPE)}")

    pipeline = build_pipeline(DEFAULT_PIPELINE)
    docs = [
        Document(id=f"case-{i}", text=t, origin="bench", format="text", language="en")
        for i, t in zip(ids, texts, strict=True)
    ]
    started = time.perf_counter()
    analyses = list(pipeline.process(docs))
    seconds = time.perf_counter() - started

    per_code: dict[str, Counter] = defaultdict(Counter)
    events_total = 0
    for analysis, gold in zip(analyses, labels, strict=True):
        types = [e.type for e in analysis.events]
        events_total += len(types)
        row = per_code[gold]
        row["snippets"] += 1
        row["found"] += bool(types)
        row["agreeing"] += any(gold in codes_of.get(t, ()) for t in types)
        row["violent"] += any(t in VIOLENT for t in types)

    print(f"event detection on {args.data} ({len(texts)} snippets, {machine()})")
    print(f"{'code':32} {'n':>4} {'found':>7} {'agreeing':>9}")
    for code in sorted(per_code, key=lambda c: (c in OUT_OF_SCOPE, -per_code[c]["snippets"], c)):
        row = per_code[code]
        n = row["snippets"]
        found = f"{code:32} {n:4d} {row['found'] / n:7.1%}"
        if code in OUT_OF_SCOPE:
            print(f"{found} {'(outside)':>9}  violent {row['violent'] / n:.1%}")
        else:
            print(f"{found} {row['agreeing'] / n:9.1%}{'' if code in covered else '  (no type lists it)'}")
    inside = [per_code[c] for c in per_code if c not in OUT_OF_SCOPE]
    outside = [per_code[c] for c in per_code if c in OUT_OF_SCOPE]
    n_in = sum(r["snippets"] for r in inside)
    n_out = sum(r["snippets"] for r in outside)
    metrics = {
        "snippets": len(texts),
        "snippets_in_scope": n_in,
        "found": round(sum(r["found"] for r in inside) / n_in, 4) if n_in else None,
        "agreeing": round(sum(r["agreeing"] for r in inside) / n_in, 4) if n_in else None,
        "outside_snippets": n_out,
        "outside_violent": round(sum(r["violent"] for r in outside) / n_out, 4) if n_out else None,
        "events_per_snippet": round(events_total / len(texts), 3) if texts else None,
        "snippets_per_s": round(len(texts) / seconds, 2) if seconds else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(
        f"ACLED sub-event types and diplomacy: {n_in} snippets, found {metrics['found']:.1%}, of an agreeing type "
        f"{metrics['agreeing']:.1%}; out of scope: {n_out} snippets, a violent event on "
        f"{(metrics['outside_violent'] or 0):.1%}; {metrics['events_per_snippet']} events per snippet"
    )
    print_metrics(metrics)
    return metrics


if __name__ == "__main__":
    main()
