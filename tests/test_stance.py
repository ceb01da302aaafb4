"""Stance classifier: the committed model loads offline and gets obvious cases right; training runs."""

from __future__ import annotations

import json
import math
from importlib import resources

import pytest

from sitroom.analyse.stance import (
    ARTEFACT,
    FEATURE_NAMES,
    LABELS,
    STANCE_VERSION,
    StanceClassifier,
    TrainingOptions,
    score_stances,
    stem,
    tokenize,
    train_stance,
)

CLAIM = "Russia has sent ground troops to Syria"
AGREE = (
    "Russia has sent ground troops to Syria, the defence ministry in Moscow confirmed on Tuesday. "
    "The Russian ground troops arrived in Syria last week, officials said, and footage shows Russian "
    "soldiers in Latakia. The ministry confirmed that more troops will be sent to Syria."
)
DISAGREE = (
    "Reports that Russia has sent ground troops to Syria are false, the Kremlin said. Moscow denied "
    "the claim, calling it a hoax: no Russian ground troops have been sent to Syria, and the story "
    "was fabricated, a spokesman said. The ministry dismissed the reports as fake."
)
UNRELATED = (
    "The city council approved a new budget for public libraries on Monday. Opening hours will be "
    "extended at weekends and the children's reading programme gets more money, the mayor said."
)


@pytest.fixture(scope="module")
def model() -> StanceClassifier:
    return StanceClassifier.load()


def test_committed_artefact_loads_offline_and_is_small(model: StanceClassifier) -> None:
    artefact = resources.files("sitroom") / "data" / "stance" / ARTEFACT
    assert artefact.is_file()
    assert len(artefact.read_bytes()) < 10_000_000
    assert model.name == STANCE_VERSION
    assert model.meta["features"] == list(FEATURE_NAMES)
    metrics = json.loads((resources.files("sitroom") / "data" / "stance" / "metrics.json").read_text())
    assert metrics["dev"]["fnc_score"] > 0.85


def test_obvious_cases(model: StanceClassifier) -> None:
    assert model.predict(CLAIM, AGREE)[0] in {"agree", "discuss"}
    assert model.predict(CLAIM, UNRELATED)[0] == "unrelated"
    assert model.predict(CLAIM, DISAGREE)[0] == "disagree"


def test_probabilities_sum_to_one_and_match_the_label(model: StanceClassifier) -> None:
    for text in (AGREE, DISAGREE, UNRELATED, ""):
        label, probs = model.predict(CLAIM, text)
        assert set(probs) == set(LABELS)
        assert math.isclose(sum(probs.values()), 1.0, abs_tol=1e-5)
        assert all(0.0 <= p <= 1.0 for p in probs.values())
        assert label in LABELS


def test_empty_inputs(model: StanceClassifier) -> None:
    assert model.predict(CLAIM, "")[0] == "unrelated"
    assert model.predict("", "")[0] == "unrelated"
    assert model.predict("", AGREE)[0] in LABELS


def test_predict_many_equals_predict(model: StanceClassifier) -> None:
    pairs = [(CLAIM, AGREE), (CLAIM, DISAGREE), (CLAIM, UNRELATED), (CLAIM, AGREE)]
    batch = model.predict_many(pairs)
    assert [label for label, _ in batch] == [model.predict(c, t)[0] for c, t in pairs]
    assert model.predict_many([]) == []


def test_tokens_and_stems() -> None:
    assert tokenize("Moscow didn’t deny it.") == ["moscow", "didn't", "deny", "it"]
    assert stem("denies") == stem("denied") == "deny"
    assert stem("troops") == "troop"


def test_fnc_score() -> None:
    gold = ["agree", "unrelated", "discuss", "disagree"]
    scores = score_stances(gold, ["agree", "unrelated", "agree", "unrelated"])
    # agree right (1.0), unrelated right (0.25), discuss related but wrong (0.25), disagree missed (0)
    assert scores["fnc_raw"] == 1.5
    assert scores["fnc_max"] == 3.25
    assert scores["confusion"]["disagree"]["unrelated"] == 1


def _synthetic() -> tuple[list[tuple[str, str]], list[str]]:
    topics = [
        ("volcano erupts near the village", "lava ash volcano eruption village evacuated"),
        ("bank robbed by masked men", "robbery bank masked men cash police chase"),
        ("celebrity couple announce divorce", "actor actress couple divorce marriage lawyers"),
        ("new species of frog discovered", "biologists frog species rainforest discovered"),
        ("storm floods coastal town", "storm flood coastal town rain damage"),
        ("spacecraft lands on comet", "spacecraft comet landing probe agency"),
    ]
    pairs, labels = [], []
    for k, (claim, words) in enumerate(topics):
        agree = f"It is confirmed: {claim}. Officials confirmed the {words} today."
        disagree = f"Reports that {claim} are false. Officials denied it, a hoax about {words}."
        discuss = f"It is unclear whether {claim}; reportedly the {words} may have happened."
        other = topics[(k + 3) % len(topics)][1]
        for body, label in ((agree, "agree"), (disagree, "disagree"), (discuss, "discuss")):
            pairs.append((claim, body))
            labels.append(label)
        pairs.append((claim, f"In other news: {other} and more {other}."))
        labels.append("unrelated")
    return pairs, labels


def test_training_on_tiny_synthetic_data(tmp_path) -> None:
    pairs, labels = _synthetic()
    opts = TrainingOptions(tf_size=50, min_df=1, hidden=8, epochs=200, seed=1)
    trained = train_stance(pairs, labels, options=opts)
    path = tmp_path / "model.npz"
    trained.save(path)
    loaded = StanceClassifier.load(path)
    predicted = [label for label, _ in loaded.predict_many(pairs)]
    assert score_stances(labels, predicted)["fnc_score"] > 0.8
    # Deterministic: the same seed gives the same weights.
    again = train_stance(pairs, labels, options=opts)
    assert all((a == b).all() for a, b in zip(trained.stance.weights, again.stance.weights, strict=True))


def test_training_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown stance labels"):
        train_stance([("a", "b")], ["maybe"])
