"""What outlet homes cost the store: a synthetic workspace of N documents over K outlets, P local places
each (no spaCy: the places are written directly), then the two reads timed, three rounds.

    python -m benchmarks.outlet_homes [--documents N] [--outlets K] [--places P] [--workspace URL]

- ``Store.outlet_regions`` — what a ``process`` run reads once per outlet it meets;
- a forced re-run of the first outlet: ``OutletHomes.home_of`` for each of its documents (each one's
  own places taken out of the outlet's counts);
- ``Workspace.outlet_homes`` over every outlet — what ``sitroom sources`` and the workbench's
  ``/sources`` read (one grouped query, ``Store.outlet_region_counts``), beside the source profiles the
  same page reads, for scale.

It checks that both reads give the same home for every outlet and prints the figures; it asserts no
timing. Without ``--workspace`` the workspace is a new SQLite one in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from sitroom import Workspace
from sitroom.model import Place
from sitroom.nlp.places_home import HomeShown, OutletHomes
from sitroom.pipeline import Analysis

STATES = ("Kentucky", "Ohio", "Texas", "Virginia", "Iowa")


def build(ws: Workspace, folder: Path, documents: int, outlets: int, places: int) -> None:
    """Ingest the documents and write their places: an outlet's own state for four places in five."""
    rng = random.Random(1)
    rows = [
        {"id": f"d{i}", "title": f"Report {i}", "text": f"Report {i} on roads, schools and the county board. " * 4,
         "source": f"Outlet {i % outlets}", "published": "2024-03-01"}
        for i in range(documents)
    ]  # fmt: skip
    path = folder / "documents.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    ws.ingest([str(path)])
    for doc in ws.store.iter_documents():
        home = STATES[int(doc.source.rsplit(" ", 1)[1]) % len(STATES)]
        found = [
            Place(start=0, end=6, name=f"Town {j}", lat=37.0, lon=-84.0, country_code="US",
                  admin1=home if rng.random() < 0.8 else rng.choice(STATES), component="places.v8")
            for j in range(places)
        ]  # fmt: skip
        ws.store.save_analysis(Analysis(document=doc, places=found, components=["places.v8"]), run_id="build")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--places", type=int, default=10, help="local places per document")
    parser.add_argument("--workspace", help="a new, empty workspace URL (default: SQLite in a temporary folder)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="sitroom-homes-"))
    ws = Workspace.open(args.workspace, create=True, raw_dir=folder / "raw") if args.workspace else Workspace.init(folder / "ws")
    with ws:
        started = time.perf_counter()
        build(ws, folder, args.documents, args.outlets, args.places)
        print(f"built {args.documents} documents, {args.outlets} outlets, {args.places} places each "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        names = [f"Outlet {k}" for k in range(args.outlets)]
        one, rerun, listing, profiles = [], [], [], []
        for _ in range(3):
            clock = time.perf_counter()
            regions = ws.store.outlet_regions(names[0], before_run="next")
            one.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            homes_of = OutletHomes(lambda source, regions=regions: regions)
            for document_id in regions:
                homes_of.home_of(names[0], document_id)
            rerun.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            homes = ws.outlet_homes(names)
            listing.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            ws.sources(min_documents=0)
            profiles.append(time.perf_counter() - clock)
        agree = all(HomeShown.of(ws.learned_home(name)) == homes[name] for name in names)
    per_outlet = args.documents // args.outlets
    figures = {
        "one_outlet_regions_ms": round(1000 * statistics.median(one), 1),
        "rerun_homes_ms": round(1000 * statistics.median(rerun), 1),
        "all_outlet_homes_ms": round(1000 * statistics.median(listing), 1),
        "source_profiles_ms": round(1000 * statistics.median(profiles), 1),
        "homes_agree": agree,
    }
    print(f"one outlet's regions ({per_outlet} documents): {figures['one_outlet_regions_ms']} ms (median of 3)")
    print(f"its home for each of its documents, processed again: {figures['rerun_homes_ms']} ms")
    print(f"all {args.outlets} outlets' homes: {figures['all_outlet_homes_ms']} ms; "
          f"source profiles: {figures['source_profiles_ms']} ms; both reads agree: {agree}")  # fmt: skip
    print(json.dumps(figures, sort_keys=True))
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
