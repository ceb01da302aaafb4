"""Claims (sitroom.extract.claims): the five seeds against hand-written gold, and each construction.

Gold lives in tests/golden/seeds_claims/<seed>.json: every attributed statement of the cleaned seed,
with speaker (entity key, or the description for an unlinked source), cue, content, quote type, via
chain, modality, polarity and when it was said. Every required gold claim must be found with the right
speaker, via chain, modality and polarity; optional ones (stances, implicit subjects, text broken by
the source) and extra claims are reported, not failed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.clean import clean_document
from sitroom.extract.claims import CLAIMS_VERSION, extract_claims
from sitroom.model import Claim, Document, RawDocument
from sitroom.pipeline import DEFAULT_PIPELINE, Analysis, build_pipeline
from tests.test_clean_seeds import clean_seed

GOLD_DIR = Path(__file__).parent / "golden" / "seeds_claims"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline(["spacy", "entities", "time"])


def analyse(pipeline, text: str, *, doc: Document | None = None) -> tuple[Analysis, list[Claim]]:
    """Run spaCy, entities and time on ``text`` (or on the cleaned ``doc``, anchored on its date)."""
    analysis = Analysis(document=doc or Document(id="t", text=text, origin="t", format="text"))
    analysis.spacy_doc = pipeline.nlp(text)
    for component in pipeline.components:
        component(analysis)
    claims = extract_claims(text, analysis.spacy_doc, mentions=analysis.mentions, times=analysis.times)
    return analysis, claims


def claims_of(pipeline, text: str) -> list[Claim]:
    return analyse(pipeline, text)[1]


def content(text: str, claim: Claim) -> str:
    return text[claim.content_start : claim.content_end]


def source(text: str, claim: Claim) -> str | None:
    return None if claim.source_start is None else text[claim.source_start : claim.source_end]


def one(claims: list[Claim], text: str, needle: str) -> Claim:
    found = [c for c in claims if needle in content(text, c)]
    assert found, f"no claim with {needle!r}: {[content(text, c) for c in claims]}"
    return found[0]


# --- seeds against gold -------------------------------------------------------------------------


def _speaker_matches(gold: dict, claim: Claim, text: str) -> bool:
    want = gold["speaker"]
    if want is None:
        return claim.speaker is None and claim.source_start is None
    if "/" in want:
        return claim.speaker == want
    return claim.speaker is None and want.lower() in (source(text, claim) or "").lower()


def _find(gold: dict, claims: list[Claim], text: str) -> tuple[Claim | None, list[str]]:
    """The predicted claim for a gold claim, and what is wrong with it (empty when right)."""
    start = text.index(gold["content"])
    end = start + len(gold["content"])
    overlapping = [c for c in claims if c.content_start < end and start < c.content_end]
    if not overlapping:
        return None, ["not found"]
    best, best_problems = None, ["?"]
    for claim in overlapping:
        problems = []
        if not _speaker_matches(gold, claim, text):
            problems.append(f"speaker {claim.speaker!r} ({source(text, claim)!r}) != {gold['speaker']!r}")
        if list(claim.via) != gold["via"]:
            problems.append(f"via {claim.via} != {gold['via']}")
        if claim.modality != gold["modality"]:
            problems.append(f"modality {claim.modality} != {gold['modality']}")
        if claim.polarity != gold["polarity"]:
            problems.append(f"polarity {claim.polarity} != {gold['polarity']}")
        if gold.get("said") and claim.said != gold["said"]:
            problems.append(f"said {claim.said} != {gold['said']}")
        if best is None or len(problems) < len(best_problems):
            best, best_problems = claim, problems
    return best, best_problems


@pytest.mark.slow
@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_seed_claims_match_gold(pipeline, gold_path: Path, capsys) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc, _ = clean_seed(gold["file"])
    _, claims = analyse(pipeline, doc.text, doc=doc)
    text = doc.text
    failures, notes = [], []
    for item in gold["claims"]:
        _, problems = _find(item, claims, text)
        if problems:
            line = f"{item['content'][:60]!r}: {'; '.join(problems)}"
            (notes if item.get("optional") else failures).append(line)
    gold_spans = [
        (text.index(g["content"]), text.index(g["content"]) + len(g["content"])) for g in gold["claims"]
    ]
    extras = [c for c in claims if not any(c.content_start < e and s < c.content_end for s, e in gold_spans)]
    with capsys.disabled():
        for line in notes:
            print(f"\n  optional missed [{gold_path.stem}] {line}")
        for claim in extras:
            print(
                f"\n  extra [{gold_path.stem}] <{text[claim.cue_start : claim.cue_end]}> {content(text, claim)[:70]!r}"
            )
    assert not failures, "\n".join(failures)


def test_every_seed_has_claims_gold() -> None:
    seeds = Path(__file__).parents[1] / "sitroom" / "examples" / "syria-ground-forces"
    assert {p.stem for p in GOLD_FILES} == {p.stem for p in seeds.glob("*.txt")}


# --- constructions on invented sentences ---------------------------------------------------------


def test_said_that_indirect(pipeline) -> None:
    text = "The minister said that the army had withdrawn from the town."
    claim = one(claims_of(pipeline, text), text, "the army had withdrawn")
    assert claim.cue_lemma == "say" and claim.quote == "indirect"
    assert source(text, claim) == "The minister"
    assert claim.modality == "reported" and claim.component == CLAIMS_VERSION


def test_direct_quote_before_cue_straight_and_curly(pipeline) -> None:
    for mark_open, mark_close in (("“", "”"), ('"', '"')):
        text = f"{mark_open}We will not leave the city under any circumstances,{mark_close} the general said."
        claim = one(claims_of(pipeline, text), text, "We will not leave")
        assert claim.quote == "direct" and source(text, claim) == "the general"
        assert content(text, claim).startswith(mark_open)


def test_multi_sentence_quote_after_colon_cue(pipeline) -> None:
    text = "Smith noted, “The talks failed. Nobody expected anything else.”"
    claim = one(claims_of(pipeline, text), text, "The talks failed")
    assert "Nobody expected" in content(text, claim) and claim.quote == "direct"


def test_quote_continues_after_attribution(pipeline) -> None:
    text = "“The convoy was hit twice,” she said. “Nobody has come to collect the wounded since then.”"
    claims = claims_of(pipeline, text)
    second = one(claims, text, "Nobody has come")
    first = one(claims, text, "The convoy was hit")
    assert (second.source_start, second.cue_start) == (first.source_start, first.cue_start)


def test_multi_paragraph_and_unbalanced_quotes_do_not_raise(pipeline) -> None:
    text = (
        "The commander said: “We hold the bridge and the market.\n\n"
        "“We will hold them until relief arrives.\n\nReporters were not allowed in. ” A stray mark."
    )
    claims = claims_of(pipeline, text)
    assert any("We hold the bridge" in content(text, c) for c in claims)
    for claim in claims:
        assert 0 <= claim.content_start < claim.content_end <= len(text)


def test_inverted_said_x(pipeline) -> None:
    text = "Rebels shelled the airport overnight, said the agency, which is close to the government."
    claim = one(claims_of(pipeline, text), text, "Rebels shelled the airport")
    assert source(text, claim).startswith("the agency")


def test_parenthetical_he_said(pipeline) -> None:
    text = "General Ivan Petrov spoke on Monday. Additionally, he said, the drones had destroyed six depots."
    claim = one(claims_of(pipeline, text), text, "the drones had destroyed")
    assert source(text, claim) == "he"
    assert claim.speaker is not None and "petrov" in claim.speaker


def test_according_to_source_and_dateline(pipeline) -> None:
    text = "Beirut—Government forces retook the town, according to the Syrian Observatory for Human Rights."
    claim = one(claims_of(pipeline, text), text, "Government forces retook the town")
    assert claim.cue_lemma == "according to" and content(text, claim).startswith("Government")
    assert "Observatory" in source(text, claim)


def test_told_media_is_via_and_published_day_is_said(pipeline) -> None:
    text = "The talks will resume soon, Sergey Lavrov told Al Jazeera in an interview published Friday."
    analysis, claims = analyse(pipeline, text)
    claim = one(claims, text, "The talks will resume")
    assert claim.via and all("jazeera" in v for v in claim.via)
    assert claim.said is not None and claim.said.endswith("-5")  # a Friday, TIMEX3 week day 5


def test_according_to_on_a_cue_is_via(pipeline) -> None:
    text = 'Vladimir Putin spoke. "The campaign has gone well so far," he said, according to the RIA Novosti news agency.'
    claim = one(claims_of(pipeline, text), text, "The campaign has gone well")
    assert any("ria" in v for v in claim.via)
    assert claim.speaker is not None and "putin" in claim.speaker


def test_belief_and_intent(pipeline) -> None:
    text = "Moscow believes the intervention may be necessary. Turkey hopes to win concessions."
    claims = claims_of(pipeline, text)
    belief = one(claims, text, "the intervention may be necessary")
    assert belief.cue_lemma == "believe" and belief.modality == "possible"
    intent = one(claims, text, "to win concessions")
    assert intent.modality == "intended"


def test_maintains_and_counters(pipeline) -> None:
    text = "Russia maintains that its troops are defensive. The institute counters that the strikes hit civilians."
    claims = claims_of(pipeline, text)
    assert one(claims, text, "its troops are defensive").cue_lemma == "maintain"
    assert one(claims, text, "the strikes hit civilians").cue_lemma == "counter"


def test_denial_cue_denies(pipeline) -> None:
    text = "The ministry denied that its aircraft had struck the hospital."
    claim = one(claims_of(pipeline, text), text, "its aircraft had struck")
    assert claim.polarity == "deny"


def test_did_not_say_negates(pipeline) -> None:
    text = "The spokesman did not say whether the troops had left."
    claim = one(claims_of(pipeline, text), text, "the troops had left")
    assert claim.polarity == "negated"


def test_anonymous_source_keeps_description(pipeline) -> None:
    text = "Some Russian analysts said that a ground operation would be costly."
    claim = one(claims_of(pipeline, text), text, "a ground operation would be costly")
    # a described speaker of the document (claims.v5), not an entity: the demonym names no one
    assert claim.speaker == "group:analyst" and source(text, claim) == "Some Russian analysts"
    assert claim.confidence < 0.8


def test_coordinated_that_clauses_are_two_claims(pipeline) -> None:
    text = "The monitor said that strikes had increased but that most victims were civilians."
    claims = claims_of(pipeline, text)
    assert one(claims, text, "strikes had increased") is not one(claims, text, "most victims were civilians")


def test_relative_who_source(pipeline) -> None:
    text = "The Institute for the Study of War, who has tracked the strikes, counters that the raids target civilians."
    claim = one(claims_of(pipeline, text), text, "the raids target civilians")
    assert source(text, claim).startswith("The Institute for the Study of War")


def test_said_time_in_attribution_clause_not_content(pipeline) -> None:
    text = "Sergey Lavrov stated on September 21, 2020, that the offensive had stopped on October 1, 2020."
    claim = one(claims_of(pipeline, text), text, "the offensive had stopped")
    assert claim.said == "2020-09-21"


def test_headline_colon(pipeline) -> None:
    text = "Syrian FM: No Such Request Made Yet\n\nThe minister spoke on Monday."
    claim = one(claims_of(pipeline, text), text, "No Such Request Made Yet")
    assert claim.cue_lemma == ":" and source(text, claim) == "Syrian FM"


def test_transcript_turns(pipeline) -> None:
    text = (
        "The interview ran on Sunday.\n"
        '"WALLACE: Why would the campaign do that, and will she actually be there tomorrow night? '
        "We have limited time, so please be brief with your answer this morning.\n"
        "PENCE: She will not be attending the debate tomorrow night.\n"
        "CORRECTION: An earlier version misstated the date of the debate.\n"
    )
    claims = claims_of(pipeline, text)
    wallace = one(claims, text, "Why would the campaign do that")
    assert wallace.cue_lemma == ":" and source(text, wallace) == "WALLACE"
    assert content(text, wallace).endswith("this morning.")  # the whole turn, however long
    assert source(text, one(claims, text, "She will not be attending")) == "PENCE"
    assert not [c for c in claims if "misstated" in content(text, c)]  # the outlet's own note


@pytest.mark.parametrize("label", ["Editor\u2019s note", "Editor's note", "EDITOR\u2019S  NOTE"])
def test_an_outlets_label_is_no_speaker_whatever_its_apostrophe(pipeline, label) -> None:
    text = (
        f"{label}: This story was amended to give the correct name of the ferry operator.\n\n"
        "The harbour master said the ferry had left port an hour late."
    )
    claims = claims_of(pipeline, text)
    assert not [c for c in claims if "amended" in content(text, c)]  # the outlet's own note
    assert source(text, one(claims, text, "the ferry had left port")) == "The harbour master"


def test_a_photo_credit_under_a_widgets_buttons_is_no_speaker(pipeline) -> None:
    text = (
        "Expand | Collapse (Photo: Jonas Berg/Nordpress) Vials of a growth medium line a laboratory "
        "shelf in Bergen, Norway.\n\nThe team said the method was new."
    )
    claims = claims_of(pipeline, text)
    assert [source(text, c) for c in claims] == ["The team"]


def test_the_subject_after_according_to_is_not_part_of_the_source(pipeline) -> None:
    # claims.v9: "According to evidence presented at trial, Webb grabbed …" gave the source "evidence
    # presented at trial, Webb" and the content "grabbed …"
    text = "According to court papers, Larsen drove the van to the port before dawn."
    (claim,) = claims_of(pipeline, text)
    assert (source(text, claim), content(text, claim)) == (
        "court papers",
        "Larsen drove the van to the port before dawn",
    )
    # A name set off after the source is still its apposition.
    text = "The ferry left at noon, according to Norwegian daily, Dagbladet."
    (claim,) = claims_of(pipeline, text)
    assert source(text, claim) == "Norwegian daily, Dagbladet"


def test_a_participle_after_a_medium_is_its_posters(pipeline) -> None:
    # claims.v9: "posted on Twitter accusing …" made Twitter the speaker (spaCy hangs the participle on
    # "Twitter"), and every "She said" after it Twitter's
    text = (
        "Then, last week, Mira Holt posted on Twitter accusing North Records of trying to stop her "
        "performing songs from her first albums at the awards."
    )
    accusing = one(claims_of(pipeline, text), text, "North Records of trying")
    assert source(text, accusing) == "Mira Holt"
    # The one heard saying it, in the passive.
    text = "The governor was heard on a microphone telling Dahl to get on a plane."
    telling = one(claims_of(pipeline, text), text, "to get on a plane")
    assert source(text, telling) == "The governor"
    # A participle on a group a preposition of giving names is the group's.
    text = "Donors gave money to a group backing the mayor."
    assert [source(text, c) for c in claims_of(pipeline, text)] == ["a group"]


def test_a_source_inside_a_relative_clause_ends_with_its_pronoun(pipeline) -> None:
    # claims.v9: the source ran up to the cue: "a refugee who feared reprisals and"
    text = "A refugee who feared reprisals and asked not to be named said the camp was empty."
    asked = one(claims_of(pipeline, text), text, "not to be named")
    assert source(text, asked) == "A refugee who"


def test_a_market_adding_points_says_nothing(pipeline) -> None:
    # claims.v9: "the Nasdaq Composite added 20.72 points" made the index the speaker of the clause
    # before it ("the S&P 500 lost 1.85 points …")
    text = (
        "The Oslo index fell 12.2 points, or 0.4%, to 1,034.02, the Bergen index lost 1.85 points to "
        "3,120.18 and the Nordic index added 20.72 points, or 0.24%, to 8,570.66."
    )
    assert claims_of(pipeline, text) == []
    text = "The minister added that 20 villages had been flooded."
    assert [content(text, c) for c in claims_of(pipeline, text)] == ["that 20 villages had been flooded"]


def test_a_dateline_with_a_colon_is_no_speaker(pipeline) -> None:
    # claims.v9: "NEW DELHI: …" was the Indian government's statement (New Delhi for its government)
    text = (
        "LAGOS: Nearly 200 traders returned to the market on Thursday after the floods receded.\n"
        "The state governor said the market would be rebuilt."
    )
    parsed = pipeline.nlp(text)
    assert [source(text, c) for c in extract_claims(text, parsed, dateline="Lagos")] == ["The state governor"]
    # The document's cleaning finds the dateline, and the pipeline passes it on.
    raw = RawDocument(raw=text.encode(), origin="lagos.txt", format="text", text=text)
    cleaned = clean_document(raw)
    assert cleaned.dateline == "Lagos"
    full = build_pipeline(DEFAULT_PIPELINE)
    (analysis,) = full.process([cleaned])
    assert [source(cleaned.text, c) for c in analysis.claims] == ["The state governor"]


def test_the_items_of_a_list_are_no_statements(pipeline) -> None:
    # claims.v9: an arrest report's list of charges, one person a line, was one "claim" per person
    text = (
        "Deputies arrested three people on Tuesday, the sheriff said.\n"
        "Marta K. Lund: Possession of cocaine, held in jail in lieu of $20,000 bond.\n"
        "Oskar P. Dahl: Two county warrants, resisting arrest, held in jail with no bond.\n"
        "Ivo Brandt: Theft, released on his own recognizance."
    )
    claims = claims_of(pipeline, text)
    assert [source(text, c) for c in claims] == ["the sheriff"]
    # Turns that speak stay turns, and one labelled line is a headline statement.
    turns = "MODERATOR: Can you tell us what happened?\nLUND: We were at home when they came."
    assert [source(turns, c) for c in claims_of(pipeline, turns)] == ["MODERATOR", "LUND"]
    headline = "Mayor Dahl: We will not raise taxes this year\n\nThe budget is due in March."
    assert [source(headline, c) for c in claims_of(pipeline, headline)] == ["Mayor Dahl"]


@pytest.mark.parametrize("label", ["SEE MORE", "Don't miss", "READ ALSO", "Contributing"])
def test_a_link_to_another_story_is_no_statement(pipeline, label) -> None:
    text = f"{label}: Floods cut the coast road to the port\nThe mayor said the port would reopen."
    assert [source(text, c) for c in claims_of(pipeline, text)] == ["The mayor"]


def test_first_and_second_person_beliefs_are_the_speakers_own_voice(pipeline) -> None:
    text = (
        "I think the ceasefire will hold, and you know how fragile it is. "
        "The minister believes that the ceasefire will hold. I said the talks had failed."
    )
    claims = claims_of(pipeline, text)
    assert not [c for c in claims if c.cue_lemma in ("think", "know")]
    assert one(claims, text, "that the ceasefire will hold").cue_lemma == "believe"
    assert one(claims, text, "the talks had failed").cue_lemma == "say"  # speech in the first person stays


def test_unattributed_statement_is_no_claim(pipeline) -> None:
    text = "Russian jets struck the town on Monday."
    assert claims_of(pipeline, text) == []


def test_sentence_extent_covers_claim(pipeline) -> None:
    text = "First sentence here. The minister said that the army had withdrawn."
    claim = one(claims_of(pipeline, text), text, "the army had withdrawn")
    assert text[claim.sentence_start : claim.sentence_end].startswith("The minister said")
