import pytest

from sitroom.clean.language import detect_language

SAMPLES = {
    "en": "Russian President Vladimir Putin may send Russian special forces to Syria to kill rebels fighting the "
    "Assad regime, furthering complicating the tangle of forces fighting in the civil war.",
    "fr": "Le président russe Vladimir Poutine a annoncé lundi le retrait d'une partie des forces russes de Syrie, "
    "une décision qui a surpris les observateurs et les diplomates occidentaux.",
    "de": "Der russische Präsident Wladimir Putin hat am Montag den Abzug eines Teils der russischen Truppen aus "
    "Syrien angekündigt, was viele Beobachter überraschte.",
    "ru": "Президент России Владимир Путин в понедельник объявил о выводе основной части российских войск из Сирии, "
    "что стало неожиданностью для многих наблюдателей.",
}


@pytest.mark.parametrize("lang", SAMPLES)
def test_detects(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


def test_too_short_is_none() -> None:
    assert detect_language("Syria") is None
    assert detect_language("12345 67890") is None


def test_deterministic() -> None:
    text = "Putin Syrie Damas"
    assert len({detect_language(text * 3) for _ in range(5)}) == 1


def test_title_case_and_shouted_english() -> None:
    assert (
        detect_language(
            "How To Easily Understand The Difference Between The Day Of Christ And The Day Of Lord"
        )
        == "en"
    )
    shouted = "RUSSIA SENDS GROUND FORCES INTO SYRIA, KUWAITI NEWSPAPER REPORTS, AND OFFICIALS SAY THE TROOPS DROVE REBELS FROM POSITIONS"
    assert detect_language(shouted) == "en"
