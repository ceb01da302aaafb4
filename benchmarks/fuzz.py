"""Long fuzz run: the property checks of tests/fuzz_targets.py with many more (random) examples.

    python -m benchmarks.fuzz [--examples N] [--spacy-examples M] [--seed S] [--only NAME ...]

The test suite runs each target on a fixed, small set of examples (tests/test_fuzz_*.py); this script
runs N fresh random examples per target (M for the spaCy-backed claims/events target), prints the
examples run, failures found (with hypothesis's minimal failing input) and seconds per target, and
exits 1 when any target failed. Needs the ``test`` extra (hypothesis).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta

from hypothesis import HealthCheck, given, seed, settings

from benchmarks.common import machine, print_metrics
from tests.fuzz_targets import TARGETS


def run_target(name: str, *, examples: int, rng_seed: int) -> dict[str, object]:
    check, strategy, _ = TARGETS[name]
    calls = 0

    @settings(
        max_examples=examples,
        deadline=timedelta(seconds=30),
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @seed(rng_seed)
    @given(strategy)
    def prop(args: tuple) -> None:
        nonlocal calls
        calls += 1
        check(*args)

    started = time.perf_counter()
    failures: list[str] = []
    try:
        prop()
    except BaseExceptionGroup as group:  # hypothesis reports distinct bugs together
        failures = [f"{type(e).__name__}: {str(e)[:300]}" for e in group.exceptions]
    except Exception as exc:
        failures = [f"{type(exc).__name__}: {str(exc)[:300]}"]
    return {
        "target": name,
        "examples": examples,
        "calls": calls,
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per target (default 1000)")
    parser.add_argument(
        "--spacy-examples", type=int, default=100, help="examples for the spaCy-backed target (default 100)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--only", nargs="*", choices=sorted(TARGETS), help="run only these targets")
    args = parser.parse_args(argv)
    rows = []
    for name in args.only or TARGETS:
        examples = args.spacy_examples if TARGETS[name][2] else args.examples
        row = run_target(name, examples=examples, rng_seed=args.seed)
        rows.append(row)
        print(
            f"{name:14} {row['examples']:>6} examples  {row['calls']:>6} calls  "
            f"{row['failures']} failures  {row['seconds']:>7} s",
            flush=True,
        )
        if row["first_failure"]:
            print(f"    {row['first_failure']}", flush=True)
    print(f"machine: {machine()}")
    print_metrics({"seed": args.seed, "targets": rows})
    return 1 if any(r["failures"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
