"""event_types.v4: grouped folds, the lead block, masking, the newswire notes, and regression sentences.

Every sentence here was written for these tests (not taken from CASE, ACLED or any note set).
"""

from __future__ import annotations

import pytest

from sitroom.extract import event_types, event_types_training
from sitroom.extract.event_types import EventTypeClassifier, count_terms, mask_entities
from sitroom.extract.event_types_groups import grouped_splits, snippet_groups
from sitroom.extract.event_types_notes import WIRE_FILE, generate_notes, load_ontology_notes

STORY = [
    "Flood waters swept through the valley town of Orvenne on Monday, forcing families onto rooftops.",
    "Families in Orvenne were forced onto rooftops as flood waters swept through the valley town.",
    "The Velmar Brigade and the Tessaly Guard signed a truce at dawn.",
    "A truce between the Velmar Brigade and the Tessaly Guard was broken within hours by gunfire.",
    "Police arrested a baker for selling bread above the fixed price.",
    "Two tankers collided in the strait, spilling oil along the coast.",
]


def test_snippet_groups_join_rewordings_and_shared_names():
    groups = snippet_groups(STORY)
    assert groups[0] == groups[1]  # the same wording, reordered
    assert groups[2] == groups[3]  # two rare names in common: one story
    assert len({groups[0], groups[2], groups[4], groups[5]}) == 4
    assert groups == sorted(groups, key=groups.index)  # numbered in order of first appearance
    assert snippet_groups([]) == []


def test_grouped_splits_never_split_a_group():
    labels = ["A", "A", "B", "B", "A", "B", "A", "B", "A", "B"] * 3
    groups = [i // 2 for i in range(len(labels))]
    for train_idx, test_idx in grouped_splits(labels, groups, 3, seed=5):
        assert not {groups[i] for i in train_idx} & {groups[i] for i in test_idx}
    assert (
        event_types_training._splits(labels, 3, 5, groups)[0][1].tolist()
        == grouped_splits(labels, groups, 3, 5)[0][1].tolist()
    )


def test_mask_entities_keeps_sentence_starts_and_masks_names_and_numbers():
    masked = mask_entities(
        "On 4 May 2023, Velmar gunmen shot 12 herders near Orvenne. Police said 1,200 fled."
    )
    assert masked == "On 0 Nn 0, Nn gunmen shot 0 herders near Nn. Police said 0 fled."


def test_lead_block_repeats_the_first_sentence_only():
    config = dict(event_types.DEFAULT_CONFIG, lead_scale=1.0)
    counts = count_terms("Jets bombed the depot. Officials condemned the raid.", config)
    assert "l:jets bombed" in counts and "w:officials condemned" in counts
    assert not any(term.startswith("l:") and "officials" in term for term in counts)
    assert not any(
        t.startswith("l:") for t in count_terms("Jets bombed the depot.", dict(config, lead_scale=0))
    )


def test_wire_notes_cover_every_case_type_and_name_their_sources():
    wire = load_ontology_notes(WIRE_FILE)
    acled = load_ontology_notes()
    assert set(acled.definitions) < set(wire.definitions)
    assert {"DIPLO", "ATTRIB", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"} <= set(wire.definitions)
    texts, codes, _ = generate_notes(per_template=2, notes=wire)
    assert len(texts) == len(codes) > 2 * len(wire.templates)  # definitions + up to 2 per template
    assert not any("{" in text for text in texts)
    assert event_types.acled_types() == frozenset(acled.definitions)  # the wire file adds no ACLED type


def test_training_notes_carry_their_own_weights():
    config = dict(event_types.DEFAULT_CONFIG, note_weight=0.2, wire_weight=0.6)
    texts, codes, weights = event_types_training.training_notes(config)
    assert len(texts) == len(codes) == len(weights)
    assert set(weights) == {0.2, 0.6}
    none = event_types_training.training_notes(dict(config, note_weight=0.0, wire_weight=0.0))
    assert none == ([], [], [])


# Wire sentences and terse notes on ordinary cases of each frequent type; written before the v4 model
# was trained, kept as the floor it must not fall under.
REGRESSION_V4 = [
    ("Two fighter jets dropped bombs on a fuel depot outside Orvenne, residents said.", "AIR_STRIKE"),
    ("Rebels lobbed mortar shells into the government-held quarter of Orvenne overnight.", "ART_MISS_ATTACK"),
    (
        "A bomb planted in a parked car went off outside the Orvenne courthouse, killing a guard.",
        "REM_EXPLOS",
    ),
    ("Masked gunmen shot dead a village chief and his son at their farm near Orvenne.", "ATTACK"),
    (
        "Hundreds of nurses rallied peacefully outside the Orvenne hospital demanding back pay.",
        "PEACE_PROTEST",
    ),
    ("Kidnappers seized a bus driver and three passengers on the Orvenne road.", "ABDUCT_DISSAP"),
    # Fails in v4 (AGREEMENT 0.51, DIPLO 0.26): "agreed" between states reads as a conflict agreement; kept
    # as a known miss, strict so that a fix shows.
    # v4 read this as AGREEMENT (a strict xfail); v5's agent kinds ("AGREE|a:OFFICIALS") get it right.
    ("The two governments agreed to reopen their embassies after a year of frozen ties.", "DIPLO"),
    ("A fire tore through a textile factory in Orvenne, killing eleven workers.", "MAN_MADE_DISASTER"),
    (
        "On 3 Oct 2022, the Velmar Brigade clashed with army troops near Orvenne. 6 fighters killed.",
        "ARMED_CLASH",
    ),
    ("On 5 Oct 2022, a man blew himself up at an army checkpoint in Orvenne. 4 killed.", "SUIC_BOMB"),
]


@pytest.fixture(scope="module")
def model() -> EventTypeClassifier:
    return EventTypeClassifier.load()


@pytest.mark.parametrize(("text", "expected"), REGRESSION_V4)
def test_regression_v4(model, text, expected):
    assert model.predict(text, top=1)[0][0] == expected, model.predict(text)
