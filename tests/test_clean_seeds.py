"""The five demo seeds against hand-written gold (tests/golden/seeds/*.json).

Each seed is built as the plain-text reader builds it (format "text", text = file content). The
checks: metadata as a careful reader states it; every boilerplate line removed with its reason;
every other line of the original still in the cleaned text (no body lost).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitroom.clean import CLEANER_VERSION, clean_document, normalize_text
from sitroom.model import Document, RawDocument

GOLD_DIR = Path(__file__).parent / "golden" / "seeds"
SEEDS = Path(__file__).parents[1] / "sitroom" / "examples" / "syria-ground-forces"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def clean_seed(name: str) -> tuple[Document, str]:
    raw_bytes = (SEEDS / name).read_bytes()
    raw = RawDocument(raw=raw_bytes, origin=str(SEEDS / name), format="text", text=raw_bytes.decode("utf-8"))
    return clean_document(raw, now=NOW), raw_bytes.decode("utf-8")


@pytest.fixture(params=GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def case(request: pytest.FixtureRequest) -> tuple[dict, Document, str]:
    gold = json.loads(request.param.read_text(encoding="utf-8"))
    doc, original = clean_seed(gold["file"])
    return gold, doc, original


def test_all_seeds_have_gold() -> None:
    assert {p.stem for p in GOLD_FILES} == {p.stem for p in SEEDS.glob("*.txt")}


@pytest.mark.parametrize(
    "field", ["title", "author", "author_role", "source", "source_basis", "dateline", "language"]
)
def test_metadata(case: tuple[dict, Document, str], field: str) -> None:
    gold, doc, _ = case
    assert getattr(doc, field) == gold[field]


def test_published(case: tuple[dict, Document, str]) -> None:
    gold, doc, _ = case
    want, got = gold["published"], doc.published
    assert (got.value, got.precision, got.basis) == (want["value"], want["precision"], want["basis"])
    assert (got.implausible is not None) == want["implausible"]
    tolerance = want.get("earliest_tolerance_days", 0)
    if want["earliest"] is None:
        assert got.earliest is None
    else:
        assert got.earliest is not None
        gap = abs((date.fromisoformat(got.earliest) - date.fromisoformat(want["earliest"])).days)
        assert gap <= tolerance, (got.earliest, want["earliest"])
    if want["latest"] is not None:
        assert got.latest == want["latest"]
    if want["basis"] == "inferred" or want["implausible"]:
        assert got.evidence or got.implausible  # a range always says why


def test_boilerplate_removed_with_reason(case: tuple[dict, Document, str]) -> None:
    gold, doc, _ = case
    removed = {(r.text, r.reason) for r in doc.removed}
    for line in gold["removed"]:
        assert (normalize_text(line["text"]), line["reason"]) in removed
        assert normalize_text(line["text"]) not in doc.text.split("\n")
    # nothing else was removed
    assert len(doc.removed) == len(gold["removed"])


def test_no_body_lost(case: tuple[dict, Document, str]) -> None:
    gold, doc, original = case
    boiler = {normalize_text(line["text"]) for line in gold["removed"]}
    kept_lines = set(doc.text.split("\n"))
    for line in normalize_text(original).split("\n"):
        if line and line not in boiler:
            assert line in kept_lines, line
    for sentence in gold["must_keep"]:
        assert normalize_text(sentence) in doc.text


def test_document_bookkeeping(case: tuple[dict, Document, str]) -> None:
    _, doc, original = case
    assert doc.cleaner == CLEANER_VERSION
    assert doc.format == "text"
    assert doc.text_hash and len(doc.text_hash) == 64
    assert doc.id == RawDocument(raw=original.encode("utf-8"), origin="x", format="text").id
    assert doc.text == doc.text.strip() and "\n\n\n" not in doc.text
