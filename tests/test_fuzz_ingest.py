"""Property tests (hypothesis) for the ingest side: readers, sniffer, decoder, normaliser, cleaner and
publication dates. The checks live in tests/fuzz_targets.py; ``python -m benchmarks.fuzz`` runs the
same ones with many more examples."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz_targets import (
    CI_SETTINGS,
    any_bytes,
    any_format,
    any_text,
    check_cleaner,
    check_dates,
    check_decoder,
    check_normalizer,
    check_reader,
    check_sniffer,
    file_names,
)


@CI_SETTINGS
@given(any_bytes, any_format, file_names)
def test_readers_never_raise_and_ids_are_stable(data: bytes, fmt: str | None, name: str | None) -> None:
    check_reader(data, fmt, name)


@CI_SETTINGS
@given(any_bytes, file_names)
def test_sniffer_always_answers(data: bytes, name: str | None) -> None:
    check_sniffer(data, name)


@CI_SETTINGS
@given(any_bytes)
def test_decoder_decodes_or_says_why(data: bytes) -> None:
    check_decoder(data)


@CI_SETTINGS
@given(any_text)
def test_normalize_text_is_idempotent(text: str) -> None:
    check_normalizer(text)


@CI_SETTINGS
@given(any_text)
def test_cleaner_returns_a_document_or_e030(text: str) -> None:
    check_cleaner(text)


@CI_SETTINGS
@given(any_text)
def test_publication_date_intervals_are_ordered(text: str) -> None:
    check_dates(text)
