"""Property tests (hypothesis) for time expressions, quantities, claims and events: spans inside the
text, ordered intervals, the same result twice. Claims and events need spaCy, so they get fewer and
shorter examples. Checks in tests/fuzz_targets.py; the long run is ``python -m benchmarks.fuzz``."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz_targets import (
    CI_SETTINGS,
    SPACY_SETTINGS,
    any_text,
    check_claims_and_events,
    check_quantities,
    check_timex,
    news_text,
)


@CI_SETTINGS
@given(any_text)
def test_time_expressions_stay_inside_the_text(text: str) -> None:
    check_timex(text)


@CI_SETTINGS
@given(any_text)
def test_quantities_stay_inside_the_text(text: str) -> None:
    check_quantities(text)


@SPACY_SETTINGS
@given(news_text)
def test_claims_and_events_stay_inside_the_text(text: str) -> None:
    check_claims_and_events(text)
