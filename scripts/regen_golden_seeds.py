"""Print what the cleaner says about each demo seed next to the hand-written gold, for review.

The gold in tests/golden/seeds/*.json is written by hand (what a careful reader says); this script
never writes it. Run it after changing sitroom/clean or its data files and read the differences:

    python scripts/regen_golden_seeds.py            # differences only
    python scripts/regen_golden_seeds.py --all      # every field, and the removed lines
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sitroom.clean import clean_document
from sitroom.model import RawDocument

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "sitroom" / "examples" / "syria-ground-forces"
GOLD = ROOT / "tests" / "golden" / "seeds"
FIELDS = ("title", "author", "author_role", "source", "source_basis", "dateline", "language")
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # the same "now" the tests use


def compare_seed(path: Path, *, show_all: bool) -> int:
    """Print one seed's output against its gold; return the number of differences."""
    data = path.read_bytes()
    doc = clean_document(RawDocument(raw=data, origin=str(path), format="text", text=data.decode()), now=NOW)
    gold_path = GOLD / f"{path.stem}.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
    print(f"== {path.name}")
    diffs = 0
    for name in FIELDS:
        got, want = getattr(doc, name), gold.get(name, "<no gold>")
        if got != want or show_all:
            print(f"  {'  ' if got == want else '≠ '}{name:13} got {got!r}  gold {want!r}")
            diffs += got != want
    pub, want_pub = doc.published, gold.get("published", {})
    got_pub = {"value": pub.value, "precision": pub.precision, "basis": pub.basis, "earliest": pub.earliest,
               "latest": pub.latest, "implausible": pub.implausible is not None}  # fmt: skip
    for key, got in got_pub.items():
        want = want_pub.get(key, "<no gold>")
        if key == "latest" and want is None:
            continue  # the gold leaves it open (the tests do not check it)
        if key == "earliest" and got and want and want_pub.get("earliest_tolerance_days"):
            got = (
                want
                if abs((date.fromisoformat(got) - date.fromisoformat(want)).days)
                <= want_pub["earliest_tolerance_days"]
                else got
            )
        if got != want or show_all:
            print(f"  {'  ' if got == want else '≠ '}published.{key:11} got {got!r}  gold {want!r}")
            diffs += got != want
    if show_all:
        print(f"  evidence: {pub.evidence}\n  implausible: {pub.implausible}")
    got_removed = [(r.reason, r.text) for r in doc.removed]
    want_removed = [(r["reason"], r["text"]) for r in gold.get("removed", [])]
    for reason, text in got_removed:
        mark = "  " if (reason, text) in want_removed else "+ "
        if mark != "  " or show_all:
            print(f"  {mark}removed [{reason}] {text[:100]}")
            diffs += mark != "  "
    for reason, text in want_removed:
        if (reason, text) not in got_removed:
            print(f"  - missed  [{reason}] {text[:100]}")
            diffs += 1
    return diffs


def main(argv: list[str]) -> int:
    show_all = "--all" in argv
    total = sum(compare_seed(p, show_all=show_all) for p in sorted(SEEDS.glob("*.txt")))
    print(f"{total} difference(s) from the gold")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
