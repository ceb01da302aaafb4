"""Events (sitroom.extract.events): the ontology, each trigger and argument rule on invented sentences,
and the five demo seeds against hand-coded gold (tests/golden/seeds_events/*.json).

Seed gold: every event a careful analyst would code, with the types, actors (any one of the listed keys,
or all of them with ``all_actors``; ``text:…`` for an unlinked phrase), place and time (by their surface
text), quantities, modality and polarity that are acceptable, and the claim that reports it. An event is
found when one of its types has a trigger inside the gold ``anchor``. Whatever the extractor finds that
the gold does not list fails, unless the gold accepts it in ``acceptable_extra`` with a reason. Gold
entries with ``expected_failure`` are known, explained misses: xfail, and the test says when one passes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.clean import clean_document
from sitroom.extract.events import EVENTS_VERSION, extract_events
from sitroom.extract.events_ontology import build_ontology, load_ontology
from sitroom.model import Document, Event, RawDocument

pytestmark = pytest.mark.slow

GOLD_DIR = Path(__file__).parent / "golden" / "seeds_events"
SEEDS = Path(__file__).parents[1] / "sitroom" / "examples" / "syria-ground-forces"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
NOW = datetime(2026, 1, 1, tzinfo=UTC)

# Written out here, not read from events.yaml, so the test checks the file against the codebooks.
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}  # fmt: skip
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrest", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}  # fmt: skip


# --- Running the pipeline -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline():
    from sitroom.pipeline import build_pipeline

    return build_pipeline(["spacy", "entities", "places", "time", "quantities"])


def _analyse(pipeline, doc: Document) -> tuple[list[Event], str]:
    from sitroom.pipeline import Analysis

    analysis = Analysis(document=doc)
    analysis.spacy_doc = pipeline.nlp(doc.text)
    for component in pipeline.components:
        component(analysis)
    claims = []
    try:
        from sitroom.extract.claims import extract_claims
    except ImportError:  # the claims layer is optional; events then carry no claim
        pass
    else:
        claims = extract_claims(
            doc.text, analysis.spacy_doc, mentions=analysis.mentions, times=analysis.times
        )
    events = extract_events(
        doc.text, analysis.spacy_doc, mentions=analysis.mentions, entities=analysis.entities,
        places=analysis.places, times=analysis.times, quantities=analysis.quantities, claims=claims,
        anchor=analysis.anchor[0],
    )  # fmt: skip
    return events, doc.text


@pytest.fixture(scope="module")
def sentence(pipeline):
    def run(text: str) -> list[Event]:
        doc = Document(id="test", text=text, origin="test", format="text", language="en")
        return _analyse(pipeline, doc)[0]

    return run


def _text(event: Event, text: str) -> str:
    return text[event.trigger_start : event.trigger_end]


# --- Ontology -------------------------------------------------------------------------------------


def test_ontology_maps_every_type_to_plover_and_acled() -> None:
    ontology = load_ontology()
    assert ontology.version == EVENTS_VERSION
    expected = {"deploy", "withdraw", "air_strike", "shelling", "armed_clash", "attack", "bombing", "exercise",
                "military_aid", "negotiate", "agree", "request", "reject", "threaten", "accuse", "sanction",
                "protest", "arrest", "territorial_change", "casualties"}  # fmt: skip
    assert expected <= set(ontology.types)
    for event_type in ontology.types.values():
        assert event_type.plover in PLOVER, event_type.id
        if event_type.acled_event is None:
            assert event_type.acled_subevent is None
        else:
            assert event_type.acled_subevent in ACLED[event_type.acled_event], event_type.id
        for sub in (*event_type.acled_by_actor.values(), *event_type.acled_by_with.values()):
            assert sub in ACLED[event_type.acled_event]
        assert event_type.label and event_type.description


def test_every_type_has_a_trigger() -> None:
    ontology = load_ontology()
    triggered = {
        t.type for triggers in (*ontology.verbs.values(), *ontology.nouns.values()) for t in triggers
    }
    assert triggered == set(ontology.types)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.update(plover={"category": "FIGHT", "mode": None}), "PLOVER category 'FIGHT'"),
        (
            lambda t: t.update(acled={"event": "Battles", "subevent": "Air/drone strike"}),
            "not in the ACLED list",
        ),
        (
            lambda t: t.update(verbs=[{"lemma": "send", "object": ["spaceships"]}]),
            "unknown noun class 'spaceships'",
        ),
        (lambda t: t.update(actor=["telepathy"]), "unknown actor role 'telepathy'"),
    ],
)
def test_ontology_errors_name_the_file_and_entry(change, message) -> None:
    from importlib import resources

    import yaml

    data = yaml.safe_load(resources.files("sitroom").joinpath("data/events.yaml").read_text(encoding="utf-8"))
    entry = next(t for t in data["types"] if t["id"] == "deploy")
    change(entry)
    with pytest.raises(
        ValueError, match="sitroom/data/events.yaml: deploy: .*" + message.replace("(", r"\(")
    ):
        build_ontology(data)


# --- Rules on invented sentences ------------------------------------------------------------------


def test_verb_with_forces_object_is_a_deployment(sentence) -> None:
    events = sentence("Germany has sent 3,000 troops to Lithuania.")
    (event,) = events
    assert event.type == "deploy" and event.plover == "MOBILIZE.troops"
    assert event.actors == ("state/DEU",)
    assert event.place_name == "Lithuania" and event.place_precision == "country"
    assert "troops=3000..3000" in event.quantities
    assert "verb 'sent'" in event.why and "actor Germany" in event.why


def test_verb_without_its_object_class_is_no_event(sentence) -> None:
    assert sentence("Germany sent a letter to the ambassador.") == []


def test_support_verb_lends_its_subject_to_the_event_noun(sentence) -> None:
    events = sentence("France launched air strikes against Islamic State positions near Raqqa on Sunday.")
    (event,) = events
    assert event.type == "air_strike" and event.acled_subevent == "Air/drone strike"
    assert event.actors == ("state/FRA",)
    assert "group/islamic-state" in event.targets
    assert event.place_name == "Ar Raqqah" and event.place_precision == "city"


def test_instrument_subject_makes_a_result_verb_a_strike(sentence) -> None:
    text = "Russian warplanes destroyed 40 targets near Aleppo and killed 12 fighters."
    (event,) = sentence(text)
    assert event.type == "air_strike" and _text(event, text) == "destroyed"
    assert "targets=40..40" in event.quantities and "fatalities=12..12" in event.quantities


def test_modal_and_denial(sentence) -> None:
    (possible,) = sentence("Germany may send troops to Mali.")
    assert possible.modality == "possible"
    (denied,) = sentence("Putin said he has no intention of sending troops to Libya.")
    assert denied.modality == "intended" and denied.polarity in ("deny", "negated")
    assert denied.actors == ("person/vladimir-putin",)


def test_generic_noun_without_arguments_is_no_event(sentence) -> None:
    assert sentence("The deployment was criticised by many.") == []


def test_noun_with_a_demonym_modifier_names_its_actor(sentence) -> None:
    (event,) = sentence("A Turkish withdrawal from Idlib remains unlikely.")
    assert event.type == "withdraw" and event.actors == ("state/TUR",)
    assert event.modality == "unlikely"
    assert event.place_name is not None and "Idlib" in event.place_name


def test_accusation_subject_and_object(sentence) -> None:
    (event,) = sentence("Turkey accused Greece of provocations in the Aegean.")
    assert event.type == "accuse" and event.actors == ("state/TUR",) and event.targets == ("state/GRC",)
    assert event.acled_event is None and event.plover == "ACCUSE"


def test_casualties_need_a_count(sentence) -> None:
    (event,) = sentence("Rebels killed 40 soldiers in Homs.")
    assert event.type == "casualties" and event.quantities == ("fatalities=40..40",)
    assert sentence("The decision killed the project.") == []


def test_passive_deployment_takes_the_unit_as_actor(sentence) -> None:
    (event,) = sentence("The 82nd Airborne Division was deployed to Poland in 2022.")
    assert event.type == "deploy" and event.actors
    assert event.time_value == "2022" and event.time_precision == "year"


def test_events_carry_spans_and_version(sentence) -> None:
    text = "Iran and Russia have provided military advisers to Syria."
    (event,) = sentence(text)
    assert event.type == "military_aid" and set(event.actors) == {"state/IRN", "state/RUS"}
    assert event.component == EVENTS_VERSION
    assert text[event.sentence_start : event.sentence_end].startswith("Iran")
    assert 0.05 <= event.confidence <= 0.95


# --- Seeds against gold ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(pipeline) -> dict[str, tuple[dict, list[Event], str]]:
    out = {}
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw = (SEEDS / gold["file"]).read_bytes()
        doc = clean_document(
            RawDocument(raw=raw, origin=str(SEEDS / gold["file"]), format="text", text=raw.decode("utf-8")),
            now=NOW,
        )
        events, text = _analyse(pipeline, doc)
        for row in gold["events"] + gold["acceptable_extra"]:
            assert text[row["anchor_start"] : row["anchor_end"]] == row["anchor"], row
        out[path.stem] = (gold, events, text)
    return out


def test_all_seeds_have_gold() -> None:
    assert {p.stem for p in GOLD_FILES} == {p.stem for p in SEEDS.glob("*.txt")}


def _cases() -> list:
    cases = []
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for n, row in enumerate(gold["events"]):
            marks = (
                [pytest.mark.xfail(reason=row["expected_failure"], strict=True)]
                if "expected_failure" in row
                else []
            )
            cases.append(pytest.param(path.stem, n, marks=marks, id=f"{path.stem[:3]}-{row['trigger']}-{n}"))
    return cases


def _matches(event: Event, row: dict) -> bool:
    return event.type in row["types"] and row["anchor_start"] <= event.trigger_start < row["anchor_end"]


def _actor_ok(event: Event, row: dict, text: str) -> bool:
    def fits(key: str, want: str) -> bool:
        if want.startswith("text:") and key.startswith("span:"):
            start, end = (int(x) for x in key[5:].split("-"))
            return want[5:] in text[start:end]
        return key == want

    got = list(event.actors)
    if row["all_actors"]:
        return all(any(fits(k, w) for k in got) for w in row["actors"])
    if row["actor_required"]:
        return any(fits(k, w) for k in got for w in row["actors"])
    return all(any(fits(k, w) for w in row["actors"]) for k in got)


@pytest.mark.parametrize(("stem", "n"), _cases())
def test_gold_event_found(seeds, stem: str, n: int) -> None:
    gold, events, text = seeds[stem]
    row = gold["events"][n]
    found = [e for e in events if _matches(e, row)]
    assert found, f"no {row['types']} event in {row['anchor']!r}"
    event = found[0]
    assert _actor_ok(event, row, text), (event.actors, row["actors"], event.why)
    place = text[event.place_start : event.place_end] if event.place_start is not None else None
    if row["place"] is not None:
        assert place == row["place"] or (row["place_optional"] and place is None), (place, event.why)
    elif not row["place_optional"]:
        assert place is None, (place, event.why)
    time = text[event.time_start : event.time_end] if event.time_start is not None else None
    if row["time"] is not None:
        assert time == row["time"] or (row["time_optional"] and time is None), (time, event.why)
    elif not row["time_optional"]:
        assert time is None, (time, event.why)
    assert set(row["quantities"]) <= set(event.quantities), event.quantities
    assert event.modality in row["modality"], (event.modality, event.why)
    assert event.polarity in row["polarity"], (event.polarity, event.why)
    if row["reported_by"] is not None and _claims_available():
        assert event.claim_start is not None, f"not tied to the claim of {row['reported_by']}: {event.why}"


def _claims_available() -> bool:
    try:
        import sitroom.extract.claims  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("stem", [p.stem for p in GOLD_FILES])
def test_no_unlisted_extras(seeds, stem: str) -> None:
    gold, events, text = seeds[stem]
    extras = []
    for event in events:
        if any(_matches(event, row) for row in gold["events"]):
            continue
        accepted = any(
            row["anchor_start"] <= event.trigger_start < row["anchor_end"] for row in gold["acceptable_extra"]
        )
        if not accepted:
            extras.append(f"{event.type} {_text(event, text)!r} @{event.trigger_start}: {event.why}")
    assert not extras, "\n".join(extras)


@pytest.mark.parametrize("stem", [p.stem for p in GOLD_FILES])
def test_every_event_explains_itself(seeds, stem: str) -> None:
    _, events, text = seeds[stem]
    for event in events:
        assert event.why and "trigger" in event.why
        assert 0 <= event.trigger_start < event.trigger_end <= len(text)
        assert event.plover and event.plover.split(".")[0] in PLOVER
