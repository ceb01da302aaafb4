"""Benchmark time expression recognition + normalisation on TimeML (TempEval-3 TimeBank + AQUAINT).

    python -m benchmarks.timex [--data DIR] [--no-dateparser] [--errors FILE]

Each document's DCT (the CREATION_TIME timex) is the anchor and is not scored. sitroom's
``find_time_expressions`` and ``dateparser.search.search_dates`` (RELATIVE_BASE = DCT, dates from the
past) go through the same TempEval-3 scorer (``benchmarks.timeml``). Prints a table; the last line is
one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from benchmarks.timeml import Guess, Tally, TimeMLDoc, pair_overlaps, read_corpus, score_document
from sitroom.nlp.timex import find_time_expressions

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "timex"

System = Callable[[TimeMLDoc], Iterable[Guess]]


def run_sitroom(doc: TimeMLDoc) -> list[Guess]:
    return [Guess(t.start, t.end, t.type, t.value) for t in find_time_expressions(doc.text, anchor=doc.dct)]


def run_dateparser(doc: TimeMLDoc) -> list[Guess]:
    """dateparser's search: spans by locating each returned substring in order, values at day level."""
    from dateparser.search import search_dates

    base = datetime(doc.dct.year, doc.dct.month, doc.dct.day) if doc.dct else datetime.now()
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(doc.text, languages=["en"], settings=settings) or []
    guesses, cursor = [], 0
    for substring, when in found:
        at = doc.text.find(substring, cursor)
        if at < 0:
            at = doc.text.find(substring)
        if at < 0:
            continue
        cursor = at + len(substring)
        guesses.append(Guess(at, at + len(substring), "DATE", when.date().isoformat()))
    return guesses


def evaluate(docs: list[TimeMLDoc], system: System, errors: list[str] | None = None) -> dict[str, float]:
    """Score a system over the corpus; adds docs/s (timing covers the system only)."""
    total = Tally()
    elapsed = 0.0
    for doc in docs:
        began = time.perf_counter()
        guesses = list(system(doc))
        elapsed += time.perf_counter() - began
        total.add(score_document(doc.timexes, guesses))
        if errors is not None:
            errors.extend(_describe_errors(doc, guesses))
    metrics = total.metrics()
    metrics.update(gold=total.gold, system=total.system, docs=len(docs))
    metrics["docs_per_s"] = len(docs) / elapsed if elapsed else 0.0
    return metrics


def _describe_errors(doc: TimeMLDoc, guesses: list[Guess]) -> list[str]:
    """One tab-separated line per miss, spurious guess or wrong value (for --errors)."""
    lines = []
    pairs = pair_overlaps(doc.timexes, guesses)
    matched_gold = {id(g) for g, _ in pairs}
    matched_sys = {id(s) for _, s in pairs}
    for g, s in pairs:
        if g.value != s.value or (g.start, g.end) != (s.start, s.end):
            lines.append(f"{doc.dct}\tWRONG\t{g.text!r}\t{g.value}\t{doc.text[s.start : s.end]!r}\t{s.value}")
    for g in doc.timexes:
        if id(g) not in matched_gold:
            ctx = doc.text[max(0, g.start - 40) : g.end + 30].replace("\n", " ")
            lines.append(f"{doc.dct}\tMISS\t{g.text!r}\t{g.type}:{g.value}\t{ctx}")
    for s in guesses:
        if id(s) not in matched_sys:
            ctx = doc.text[max(0, s.start - 40) : s.end + 30].replace("\n", " ")
            lines.append(f"{doc.dct}\tSPURIOUS\t{doc.text[s.start : s.end]!r}\t{s.value}\t{ctx}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .tml files")
    parser.add_argument("--no-dateparser", action="store_true", help="skip the dateparser baseline")
    parser.add_argument("--errors", type=Path, help="write sitroom's errors here, one per line")
    args = parser.parse_args(argv)

    docs = read_corpus(args.data)
    if not docs:
        raise SystemExit(f"no .tml files under {args.data}")
    errors: list[str] | None = [] if args.errors else None
    results = {"sitroom": evaluate(docs, run_sitroom, errors)}
    if not args.no_dateparser:
        results["dateparser"] = evaluate(docs, run_dateparser)
    if args.errors and errors is not None:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")

    gold = sum(len(d.timexes) for d in docs)
    print(f"TimeML timex benchmark: {len(docs)} documents, {gold} gold TIMEX3 (DCT excluded)")
    header = f"{'system':<11} {'strict P/R/F1':>20} {'relaxed P/R/F1':>20} {'type acc':>9} {'value acc':>9} {'value F1':>9} {'docs/s':>9}"
    print(header)
    for name, m in results.items():
        strict = f"{m['strict_p']:.3f}/{m['strict_r']:.3f}/{m['strict_f1']:.3f}"
        relaxed = f"{m['relaxed_p']:.3f}/{m['relaxed_r']:.3f}/{m['relaxed_f1']:.3f}"
        print(
            f"{name:<11} {strict:>20} {relaxed:>20} {m['type_acc']:>9.3f} {m['value_acc']:>9.3f} "
            f"{m['value_f1']:>9.3f} {m['docs_per_s']:>9.1f}"
        )
    print(json.dumps({name: {k: round(v, 4) for k, v in m.items()} for name, m in results.items()}))


if __name__ == "__main__":
    main()
