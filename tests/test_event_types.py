"""Event-type classifier: the committed artefact, the rules, and the training script on a toy set."""

from __future__ import annotations

import importlib.util
import json
import socket
from pathlib import Path

import numpy as np
import pytest

from sitroom.extract import event_types, event_types_training
from sitroom.extract.event_types import (
    EVENT_TYPES_VERSION,
    EventTypeClassifier,
    RuleClassifier,
    classify_event_type,
    load_lexicon,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "sitroom" / "data" / "event_types"

# Invented snippets (not from CASE): one clear case per frequent type.
INVENTED = [
    ("Russian warplanes struck rebel positions near Idlib", "AIR_STRIKE"),
    ("Protesters marched peacefully in the capital", "PEACE_PROTEST"),
    ("A roadside bomb exploded next to a patrol", "REM_EXPLOS"),
    ("Government forces retook the town from rebels", "GOV_REGAINS_TERIT"),
    ("A suicide bomber blew himself up at a checkpoint, killing four soldiers", "SUIC_BOMB"),
    ("Gunmen abducted five aid workers on the road to the provincial capital", "ABDUCT_DISSAP"),
    ("Police fired tear gas to disperse the protesters outside parliament", "PROTEST_WITH_INTER"),
    ("A magnitude 6.1 earthquake struck the region, destroying hundreds of homes", "NATURAL_DISASTER"),
    ("Witnesses said a helicopter dropped barrels of chlorine gas on the town", "CHEM_WEAP"),
    ("Militants hurled a grenade at a police station, injuring two officers", "GRENADE"),
    ("Police arrested three men suspected of planning an attack", "ARREST"),
    ("The foreign ministry expelled two diplomats and closed the consulate", "DIPLO"),
]


@pytest.fixture(scope="module")
def model() -> EventTypeClassifier:
    return EventTypeClassifier.load()


def test_artefact_loads_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the event-type model must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    clf = EventTypeClassifier.load()
    assert clf.name == EVENT_TYPES_VERSION
    assert len(clf.classes) >= 25 and "AIR_STRIKE" in clf.classes
    assert clf.coef.shape == (len(clf.classes), len(clf.vocabulary))


def test_artefact_is_small_and_has_metrics():
    assert (DATA / "model.npz").stat().st_size < 2_000_000
    metrics = json.loads((DATA / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["version"] == EVENT_TYPES_VERSION
    assert metrics["artefact"]["bytes"] == (DATA / "model.npz").stat().st_size
    # Evaluation gate: the cross-validated figure the artefact was shipped with (dev half of CASE-2021).
    assert metrics["cross_validation"]["model"]["weighted_f1"] >= 0.70
    assert metrics["artefact"]["float16_top1_agreement"] >= 0.99


@pytest.mark.parametrize(("text", "expected"), INVENTED)
def test_predicts_plausible_types(model, text, expected):
    ranked = model.predict(text)
    assert ranked[0][0] == expected, ranked


def test_probabilities_are_a_distribution(model):
    for text, _ in INVENTED:
        ranked = model.predict(text, top=5)
        assert len(ranked) == 5
        assert all(0.0 <= p <= 1.0 for _, p in ranked)
        assert sum(p for _, p in ranked) <= 1.0 + 1e-6
        assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)
    full = model.probabilities(INVENTED[0][0])
    assert full.sum() == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_blank_text(model, text):
    assert model.predict(text) == []
    assert classify_event_type(text) == ("OTHER", 0.0)


def test_text_without_known_features_gets_the_prior(model):
    ranked = model.predict("zzqx", top=30)
    assert len(ranked) == len(model.classes)
    assert sum(p for _, p in ranked) == pytest.approx(1.0, abs=1e-5)


def test_classify_event_type_convenience():
    code, prob = classify_event_type("Artillery shelled residential areas of the city overnight")
    assert code == "ART_MISS_ATTACK"
    assert 0.0 < prob <= 1.0


def test_rules_alone():
    rules = RuleClassifier()
    assert rules.predict("Warplanes carried out airstrikes on the village")[0][0] == "AIR_STRIKE"
    assert rules.predict("A suicide bomber detonated his vest; the explosion killed six")[0][0] == "SUIC_BOMB"
    assert rules.predict("Nothing to see here") == []
    ranked = rules.predict("Rioters threw stones and looted shops", top=5)
    assert sum(p for _, p in ranked) < 1.0


def test_lexicon_codes_are_model_classes(model):
    assert {cue.code for cue in load_lexicon()} <= set(model.classes)


def _load_training_script():
    spec = importlib.util.spec_from_file_location(
        "train_event_types", REPO / "scripts" / "train_event_types.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _toy_data() -> tuple[list[str], list[str]]:
    snippets = {
        "AIR_STRIKE": [
            "Warplanes bombed {} overnight",
            "An airstrike hit {} at dawn",
            "Jets struck targets in {}",
        ],
        "PEACE_PROTEST": [
            "Hundreds protested peacefully in {}",
            "Students held a rally in {}",
            "Workers marched in {}",
        ],
        "ARREST": [
            "Police arrested two men in {}",
            "Officers detained a suspect in {}",
            "Three were taken into custody in {}",
        ],
    }
    texts, labels = [], []
    for label, patterns in snippets.items():
        for town in ("Aleppo", "Homs", "Kabul"):
            for pattern in patterns:
                texts.append(pattern.format(town))
                labels.append(label)
    return texts, labels


def _shape(value, *, skip: frozenset[str] = frozenset({"per_class", "hyperparameters"})):
    """The nested key structure of a metrics object (labels of per-class tables are data, not shape)."""
    if isinstance(value, dict):
        return {k: (type(v).__name__ if k in skip else _shape(v)) for k, v in value.items()}
    return type(value).__name__ if not isinstance(value, int | float) or isinstance(value, bool) else "number"


# The toy set has three types; the generated notes (25 and 30 types) would swamp it.
TOY_CONFIG = dict(event_types.DEFAULT_CONFIG, note_weight=0.0, wire_weight=0.0)
TOY_GRID = ({"class_scale": 0.5}, {"class_scale": 1.0})


def test_training_script_on_toy_data(tmp_path):
    script = _load_training_script()
    texts, labels = _toy_data()
    metrics = script.build_artefact(
        texts,
        labels,
        tmp_path / "a",
        data_name="toy",
        data_sha256="0" * 64,
        folds=3,
        repeats=1,
        today="2000-01-01",
        config=TOY_CONFIG,
        nested_grid=TOY_GRID,
    )
    committed = json.loads((DATA / "metrics.json").read_text(encoding="utf-8"))
    assert _shape(metrics) == _shape(committed)
    written = json.loads((tmp_path / "a" / "metrics.json").read_text(encoding="utf-8"))
    assert written == metrics
    assert metrics["cross_validation"]["model"]["weighted_f1"] > 0.8

    toy = EventTypeClassifier.load(tmp_path / "a" / "model.npz")
    assert toy.classes == ["AIR_STRIKE", "ARREST", "PEACE_PROTEST"]
    assert toy.predict("Warplanes bombed Damascus")[0][0] == "AIR_STRIKE"

    # Deterministic: the same data gives the same bytes.
    script.build_artefact(
        texts,
        labels,
        tmp_path / "b",
        data_name="toy",
        data_sha256="0" * 64,
        folds=3,
        repeats=1,
        today="2000-01-01",
        config=TOY_CONFIG,
        nested_grid=TOY_GRID,
    )
    assert (tmp_path / "a" / "model.npz").read_bytes() == (tmp_path / "b" / "model.npz").read_bytes()
    assert (tmp_path / "a" / "metrics.json").read_bytes() == (tmp_path / "b" / "metrics.json").read_bytes()


def test_version_mismatch_is_reported(tmp_path, model, monkeypatch):
    path = tmp_path / "model.npz"
    model.save(path)
    assert EventTypeClassifier.load(path).classes == model.classes
    monkeypatch.setattr(event_types, "EVENT_TYPES_VERSION", "event_types.v0")
    with pytest.raises(ValueError, match="re-run"):
        EventTypeClassifier.load(path)


# Hand-written for these tests (not from CASE, ACLED or the note check sets): terse notes and wire
# sentences on the distinctions the word classes exist for — who took the town, who used force at the
# protest, and artillery vs aircraft vs a planted device vs a firefight.
REGRESSION = [
    (
        "On 2 May 2022, army units recaptured the hill village of Tell Khadra from jihadist fighters.",
        "GOV_REGAINS_TERIT",
    ),
    (
        "Insurgents overran the district centre after the garrison fled, a local elder said.",
        "NON_STATE_ACTOR_OVERTAKES_TER",
    ),
    # "riot police" once read as rioting (the cue and the RIOT class both took "riot").
    (
        "Riot police fired tear gas to break up a sit-in by teachers outside the ministry.",
        "PROTEST_WITH_INTER",
    ),
    ("Youths hurled stones and set tyres ablaze at a rally against the fuel price rise.", "VIOL_DEMONSTR"),
    (
        "On 9 June 2022, mortar rounds fired by rebel units landed on the market of Tell Khadra. 2 killed.",
        "ART_MISS_ATTACK",
    ),
    (
        "On 9 June 2022, regime howitzers pounded the outskirts of Tell Khadra. No casualties.",
        "ART_MISS_ATTACK",
    ),
    ("On 10 June 2022, a helicopter gunship fired on a farm east of Tell Khadra. 1 killed.", "AIR_STRIKE"),
    (
        "On 11 June 2022, an armed drone hit a pick-up truck near Tell Khadra, killing its driver.",
        "AIR_STRIKE",
    ),
    ("On 12 June 2022, a mine buried on a dirt road blew up under a tractor near Tell Khadra.", "REM_EXPLOS"),
    (
        "On 13 June 2022, army troops and militants traded fire for two hours on the Tell Khadra axis.",
        "ARMED_CLASH",
    ),
    (
        "On 14 June 2022, engineers of the army defused a bomb found under a bridge near Tell Khadra.",
        "DISR_WEAP",
    ),
    (
        "On 15 June 2022, shopkeepers closed their shops and marched peacefully through Tell Khadra.",
        "PEACE_PROTEST",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REGRESSION)
def test_regression_snippets(model, text, expected):
    assert model.predict(text, top=1)[0][0] == expected, model.predict(text)


def test_class_terms_keep_reading_order():
    terms = event_types.class_terms("Government troops recaptured the town. Rebels seized the bridge.")
    assert terms["STATE>CAPTURE"] == 1 and terms["NONSTATE>CAPTURE"] == 1
    assert "CAPTURE>STATE" not in terms
    assert terms["CAPTURE"] == 2  # once per sentence
    assert event_types.class_terms("zzqx") == {}


def test_word_classes_compile():
    classes = event_types.load_word_classes()
    assert {"STATE", "NONSTATE", "CAPTURE", "ARTILLERY", "AIR", "EXPLOSIVE", "CLASH"} <= {
        c.name for c in classes
    }
    parsed = event_types.parse_word_classes({"A": ["tanks?"], "EMPTY": []})
    assert [c.name for c in parsed] == ["A"] and parsed[0].pattern.search("two Tanks")


def test_dual_ridge_matches_scikit_learn():
    from scipy.sparse import random as sparse_random
    from sklearn.linear_model import RidgeClassifier

    rng = np.random.default_rng(7)
    matrix = sparse_random(40, 200, density=0.05, format="csr", random_state=7)
    labels = [str(v) for v in rng.integers(0, 4, size=40)]
    weights = rng.uniform(0.2, 1.0, size=40)
    classes, coef, intercept = event_types_training.fit_ridge(matrix, labels, weights, alpha=0.7)
    reference = RidgeClassifier(alpha=0.7, solver="cholesky").fit(
        matrix.toarray(), labels, sample_weight=weights
    )
    assert classes == list(reference.classes_)
    np.testing.assert_allclose(coef, reference.coef_, atol=1e-6)
    np.testing.assert_allclose(intercept, reference.intercept_, atol=1e-6)


def test_predict_within_a_label_set(model):
    acled = event_types.acled_types()
    assert len(acled) == 25 and "DIPLO" not in acled and "ART_MISS_ATTACK" in acled
    text = "The foreign ministry expelled two diplomats and closed the consulate"
    assert model.predict(text, top=1)[0][0] == "DIPLO"
    ranked = model.predict(text, top=30, labels=acled)
    assert {code for code, _ in ranked} <= acled and len(ranked) == 25
    assert sum(p for _, p in ranked) == pytest.approx(1.0, abs=1e-5)
    # A note the caller knows to be ACLED's: the restriction changes nothing when the top type is ACLED's.
    note = "On 9 June 2022, regime howitzers pounded the outskirts of Tell Khadra. No casualties."
    assert model.predict(note, top=1, labels=acled)[0][0] == model.predict(note, top=1)[0][0]
    with pytest.raises(ValueError, match="none of the labels"):
        model.predict(text, labels={"NOT_A_TYPE"})
