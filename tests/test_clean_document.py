from datetime import UTC, datetime

import pytest

from sitroom.clean import CLEANER_VERSION, clean_document
from sitroom.errors import InputError
from sitroom.model import RawDocument

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def raw(text: str | None, *, data: bytes | None = None, **kw: object) -> RawDocument:
    body = data if data is not None else (text or "").encode()
    return RawDocument(raw=body, origin="t.txt", text=text, **{"format": "text", **kw})


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Share it...\n\nLeave a Reply\n\n456765434567"])
def test_nothing_usable_raises_e030(text: str) -> None:
    with pytest.raises(InputError) as err:
        clean_document(raw(text), now=NOW)
    assert err.value.code == "E030"


def test_decodes_raw_bytes_when_reader_gave_no_text() -> None:
    doc = clean_document(raw(None, data="Caf\xe9 talk in Damascus ended on Monday.".encode()), now=NOW)
    assert doc.text == "Café talk in Damascus ended on Monday."
    bad = clean_document(raw(None, data=b"Damascus \xff talks ended on Monday."), now=NOW)
    assert "\ufffd" in bad.text


def test_reader_title_repeated_in_text_is_removed_once() -> None:
    text = "Putin Orders Withdrawal\n\nPutin ordered the withdrawal of most forces from Syria on Monday."
    doc = clean_document(
        raw(text, format="html", title="Putin Orders Withdrawal", url="https://www.reuters.com/x"), now=NOW
    )
    assert doc.title == "Putin Orders Withdrawal"
    assert doc.text.startswith("Putin ordered")
    assert [(r.text, r.reason) for r in doc.removed] == [("Putin Orders Withdrawal", "title")]
    assert (doc.source, doc.source_basis) == ("Reuters", "url-domain")


def test_records_without_title_keep_a_short_first_line() -> None:
    text = (
        "The depressed 26-year-old worked long hours\n\nHe had no chance of ever finding a partner, he said."
    )
    doc = clean_document(raw(text, format="csv"), now=NOW)
    assert doc.title is None and doc.text.startswith("The depressed")


def test_a_lone_headline_stays_as_text() -> None:
    doc = clean_document(raw("Putin Orders Withdrawal From Syria"), now=NOW)
    assert doc.text == "Putin Orders Withdrawal From Syria"


def test_reader_fields_win() -> None:
    doc = clean_document(
        raw(
            "By Jane Doe\n\nRussia said on Monday it would withdraw.",
            author="J. Smith",
            source="Example Wire",
            language="fr",
        ),
        now=NOW,
    )
    assert (doc.author, doc.source, doc.source_basis, doc.language) == (
        "J. Smith",
        "Example Wire",
        "field",
        "fr",
    )
    assert doc.cleaner == CLEANER_VERSION


def test_same_text_differently_dressed_hashes_the_same() -> None:
    a = clean_document(raw("Russia’s troops  left Syria — officials said."), now=NOW)
    b = clean_document(raw("Russia's troops left Syria - officials said.\n"), now=NOW)
    assert a.text_hash == b.text_hash and a.id != b.id
