from sitroom.clean import normalize_for_hash, normalize_text


def test_repairs_mojibake_and_keeps_curly_quotes() -> None:
    assert normalize_text("Russiaâ€™s base") == "Russia’s base"
    assert normalize_text("“consider”") == "“consider”"


def test_composes_unicode() -> None:
    assert normalize_text("cafe\u0301") == "café"


def test_collapses_spaces_inside_lines_and_strips_ends() -> None:
    assert normalize_text("the best  partner\u00a0 in   the fight  \n") == "the best partner in the fight"


def test_keeps_paragraph_breaks_and_single_line_breaks() -> None:
    text = "Title\r\n\r\n\r\n\r\nFirst para.\nSame block.\n\n\nSecond para."
    assert normalize_text(text) == "Title\n\nFirst para.\nSame block.\n\nSecond para."


def test_drops_zero_width_characters() -> None:
    assert normalize_text("Da\u200bmascus\ufeff") == "Damascus"


def test_a_sentence_glued_to_the_full_stop_before_it_gets_its_space() -> None:
    # clean.v3: "… worked as a chief physician.Police arrested …" was one sentence and one token
    assert normalize_text("The ferry sank near the pier.Divers found two bodies.") == (
        "The ferry sank near the pier. Divers found two bodies."
    )
    # web addresses, e-mail addresses and abbreviations keep their stops
    for text in ("Write to www.HarbourNews.com today.", "Mail desk@Harbour.org now.", "The U.S.Navy sailed."):
        assert normalize_text(text) == text


def test_hash_key_ignores_case_quotes_dashes_and_wrapping() -> None:
    a = "Russia’s “decisive victory” — said Putin.\n\nNext"
    b = 'russia\'s "decisive victory" - said PUTIN   next'
    assert normalize_for_hash(a) == normalize_for_hash(b) == "russias decisive victory said putin next"


def test_hash_key_differs_for_different_words() -> None:
    assert normalize_for_hash("Russia sent troops") != normalize_for_hash("Russia sent no troops")
