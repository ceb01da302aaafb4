"""event_types.v5: role features from the dependency parse (the kind of each verb's agent), and regression
sentences on the role distinctions.

Every sentence here was written for these tests (not taken from CASE-2021, ACLED, the bench files or the
seed articles) before the v5 model was trained.
"""

from __future__ import annotations

import pytest

from sitroom.extract import event_roles
from sitroom.extract.event_roles import load_roles, parse_roles, role_terms, text_role_terms
from sitroom.extract.event_types import DEFAULT_CONFIG, EventTypeClassifier, count_terms
from sitroom.pipeline import load_spacy


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


@pytest.fixture(scope="module")
def model():
    return EventTypeClassifier.load()


def _terms(nlp, text: str) -> set[str]:
    return set(role_terms(nlp(text)))


def test_the_agent_tells_who_took_the_town(nlp):
    rebels = _terms(nlp, "Separatist fighters seized the river port after a night of fighting.")
    army = _terms(nlp, "The army seized the river port after a night of fighting.")
    assert "CAPTURE|a:ARMED" in rebels and "CAPTURE|a:STATE" not in rebels
    assert "CAPTURE|a:STATE" in army and "CAPTURE|a:ARMED" not in army


def test_agent_of_a_passive_and_of_a_conjoined_verb(nlp):
    passive = _terms(nlp, "The hilltop village was retaken by government troops on Sunday.")
    assert "CAPTURE|a:STATE" in passive
    # The second verb has no subject of its own: it takes the first one's.
    joined = _terms(nlp, "Riot police scattered the marchers and arrested their leaders.")
    assert {"DISPERSE|a:POLICE", "DETAIN|a:POLICE"} <= joined


def test_mob_and_armed_group_agents(nlp):
    assert "INJURE|a:MOB" in _terms(nlp, "A mob of villagers beat a suspected goat thief.")
    assert "ATTACK|a:ARMED" in _terms(nlp, "Bandits attacked a farming settlement before dawn.")
    # A named armed group, known by its name rather than its entity label.
    assert "CAPTURE|a:ARMED" in _terms(nlp, "The Taliban captured the district headquarters.")


def test_an_unlisted_verb_still_gives_its_roles(nlp):
    terms = _terms(nlp, "Soldiers escorted the convoy through the valley.")
    assert "V|a:STATE" in terms


def test_parse_roles_reads_the_layout():
    lexicon = parse_roles(
        {
            "triggers": {"A": ["hit"], "B": ["hit", "seize"]},
            "nouns": {"X": ["town", "armed group"], "Y": ["town"]},
            "entities": {"GPE": "STATE"},
        }
    )
    assert lexicon.triggers["hit"] == ("A", "B")
    assert lexicon.nouns["town"] == ("X", "Y") and lexicon.nouns["armed group"] == ("X",)
    assert lexicon.entities == {"GPE": "STATE"}
    assert {"ARMED", "STATE"} <= {kind for kind, _ in load_roles().names}


def test_role_block_in_the_features(nlp):
    text = "Gunmen kidnapped two engineers near the dam."
    config = dict(DEFAULT_CONFIG, role_scale=1.0)
    from_text = count_terms(text, config)
    from_parse = count_terms(text, config, parsed=nlp(text))
    assert from_text == from_parse
    assert from_text["p:ABDUCT|a:ARMED"] == 1
    assert not any("|o:" in t for t in from_text)  # the object's kind was tried and left out
    assert not any(t.startswith("p:") for t in count_terms(text, dict(config, role_scale=0.0)))


def test_no_spacy_means_no_role_terms(monkeypatch):
    monkeypatch.setattr(event_roles, "_spacy", lambda: None)
    event_roles.text_role_terms.cache_clear()
    try:
        assert text_role_terms("Gunmen kidnapped two engineers near the dam.") == ()
    finally:
        event_roles.text_role_terms.cache_clear()


def test_the_product_parse_gives_the_same_answer(nlp, model):
    # events pass the sentence span they parsed; a bare text is parsed by the classifier itself.
    doc = nlp("Troops shelled the airport. Insurgents abducted a local chief and his two sons overnight.")
    sentence = list(doc.sents)[1]
    assert model.predict(sentence.text, parsed=sentence) == model.predict(sentence.text)


# (text, expected) — role distinctions: what was seized (people or a place), who attacked whom, mob vs armed group, police
# breaking up a crowd vs a riot.
REGRESSION_V5 = [
    pytest.param(
        "Armed men seized eleven farmers from their fields and took them to an unknown location.",
        "ABDUCT_DISSAP",
        # The kind of the verb's object (people vs a place) would tell; it gave no gain beyond the seed
        # noise on grouped CV and is not a feature (docs/benchmarks.md, event_types v5).
        marks=pytest.mark.xfail(strict=True, reason="people seized read as territory taken"),
    ),
    (
        "Rebel fighters seized the border town after a two-day assault on its defenders.",
        "NON_STATE_ACTOR_OVERTAKES_TER",
    ),
    ("Soldiers took back the market town that insurgents had held since the spring.", "GOV_REGAINS_TERIT"),
    ("A crowd of villagers beat a suspected cattle thief to death near the well.", "MOB_VIOL"),
    ("Militiamen raided a farming village at night, shooting dead six of its residents.", "ATTACK"),
    ("Insurgents stormed an army outpost and the soldiers fought back for several hours.", "ARMED_CLASH"),
    (
        "Riot police used tear gas and water cannon against students blocking the ring road.",
        "PROTEST_WITH_INTER",
    ),
    ("Angry youths set fire to the town hall during a protest over the disputed vote.", "VIOL_DEMONSTR"),
    ("Soldiers seized a cache of rifles and explosives hidden in a farmhouse.", "DISR_WEAP"),
    ("Police arrested the mayor of the port city on charges of taking bribes.", "ARREST"),
]


@pytest.mark.parametrize(("text", "expected"), REGRESSION_V5)
def test_regression_v5(model, text, expected):
    assert model.predict(text, top=1)[0][0] == expected, model.predict(text)
