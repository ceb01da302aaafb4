"""Stance classifier: the committed model loads offline and gets obvious cases right; training runs."""

from __future__ import annotations

import json
import math
from importlib import resources

import numpy as np
import pytest

from sitroom.analyse.stance import (
    ARTEFACT,
    FEATURE_NAMES,
    LABELS,
    STANCE_VERSION,
    StanceClassifier,
    TrainingOptions,
    export_trees,
    fit_temperature,
    score_stances,
    softmax,
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


def test_agreement_is_predicts_agree_or_none_when_surely_below(model: StanceClassifier) -> None:
    for text in (AGREE, DISAGREE, UNRELATED, ""):
        _, probs = model.predict(CLAIM, text)
        assert model.agreement(CLAIM, text, at_least=0.0) == probs["agree"]
        for at_least in (0.05, 0.3, 0.6, 0.9):
            found = model.agreement(CLAIM, text, at_least=at_least)
            # None only when P(related) is below the bar, and then P(agree) is below it too.
            assert found == probs["agree"] or (found is None and probs["agree"] < at_least)
            assert found is not None or 1.0 - probs["unrelated"] < at_least + 1e-6
    assert model.agreement(CLAIM, UNRELATED, at_least=0.6) is None


def test_agreements_of_many_pairs_are_each_pairs_agreement(model: StanceClassifier) -> None:
    # The links ask for a document's pairs at once: one matrix product and one walk of the trees for
    # all of them must give what each pair gives alone, whatever else is in the batch.
    pairs = [(CLAIM, AGREE), (CLAIM, DISAGREE), (CLAIM, UNRELATED), (AGREE, DISAGREE), (CLAIM, "")]
    for at_least in (0.0, 0.3, 0.6):
        alone = [model.agreement(c, t, at_least=at_least) for c, t in pairs]
        for batch in (pairs, pairs[::-1], pairs[1:2], [*pairs, *pairs[:2]]):
            together = model.agreements(batch, at_least=at_least)
            expected = [alone[pairs.index(pair)] for pair in batch]
            assert [x is None for x in together] == [x is None for x in expected]
            assert [x for x in together if x is not None] == pytest.approx(
                [x for x in expected if x is not None], abs=1e-12
            )
    assert model.agreements([], at_least=0.0) == []


def test_nets_and_trees_score_a_batch_as_each_row_alone(model: StanceClassifier) -> None:
    rng = np.random.default_rng(3)
    hands = rng.normal(size=(7, len(FEATURE_NAMES))).astype(np.float32)
    assert model.trees is not None
    alone = np.stack([model.trees.logits(row) for row in hands])
    np.testing.assert_array_equal(model.trees.logits_many(hands), alone)
    texts = [
        (model.analyse(CLAIM), model.analyse(t)) for t in (AGREE, DISAGREE, UNRELATED, "", AGREE, CLAIM, "x")
    ]
    size = len(model.vocab.tf_index)
    net = model.stance[0]
    alone = np.stack([net.logits(h, c, t, size) for h, (c, t) in zip(hands, texts, strict=True)])
    np.testing.assert_allclose(net.logits_many(hands, texts, size), alone, rtol=0, atol=1e-12)


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
    opts = TrainingOptions(
        tf_size=50,
        min_df=1,
        hidden=8,
        epochs=200,
        seed=1,
        members=2,
        trees_iterations=20,
        stance_temperature=2.0,
    )
    trained = train_stance(pairs, labels, options=opts)
    assert len(trained.stance) == 2 and trained.trees is not None
    path = tmp_path / "model.npz"
    trained.save(path)
    loaded = StanceClassifier.load(path)
    assert len(loaded.stance) == 2 and loaded.stance_temperature == 2.0
    assert loaded.trees_weight == pytest.approx(opts.trees_weight)
    predicted = [label for label, _ in loaded.predict_many(pairs)]
    assert score_stances(labels, predicted)["fnc_score"] > 0.8
    # The saved model predicts what the trained one does (float16 weights move probabilities ~1e-3).
    for (_, p_mem), (_, p_disk) in zip(trained.predict_many(pairs), loaded.predict_many(pairs), strict=True):
        assert all(abs(p_mem[k] - p_disk[k]) < 0.02 for k in LABELS)
    # Deterministic: the same seed gives the same weights; members differ by seed.
    again = train_stance(pairs, labels, options=opts)
    for net, net_again in zip(trained.stance, again.stance, strict=True):
        assert all((a == b).all() for a, b in zip(net.weights, net_again.weights, strict=True))
    assert not (trained.stance[0].weights[0] == trained.stance[1].weights[0]).all()
    assert (trained.trees.value == again.trees.value).all()


def test_stage2_averages_tempered_members(model: StanceClassifier) -> None:
    claim, body = model.analyse(CLAIM), model.analyse(DISAGREE)
    p_related, nets, trees = model._scores(claim, body)
    assert nets.shape == (len(model.stance), 3)
    expected = softmax(nets, model.stance_temperature).mean(axis=0)
    if trees is not None:
        w = model.trees_weight
        expected = (1 - w) * expected + w * softmax(trees, model.trees_temperature)
    _, probs = model._predict_analysed(claim, body)
    for label, p in zip(("agree", "disagree", "discuss"), expected, strict=True):
        assert probs[label] == pytest.approx(p_related * p, abs=1e-6)


def test_calibrated_probabilities_are_not_all_certain(model: StanceClassifier) -> None:
    # Temperatures above 1 (fitted out of fold): the committed model no longer says 0.99+ on easy pairs.
    assert model.stance_temperature > 1.0
    _, probs = model.predict(CLAIM, DISAGREE)
    assert max(probs.values()) < 0.99


def test_fit_temperature_undoes_overconfidence() -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(scale=1.5, size=(4000, 3))
    gold = np.array([rng.choice(3, p=p) for p in softmax(true_logits)])
    # A model three times as confident as the truth, two identical members: T ≈ 3 undoes it.
    overconfident = np.repeat((3.0 * true_logits)[:, None, :], 2, axis=1)
    assert fit_temperature(overconfident, gold) == pytest.approx(3.0, abs=0.3)
    assert fit_temperature(true_logits[:, None, :], gold) == pytest.approx(1.0, abs=0.15)


def test_exported_trees_match_scikit_learn() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 6)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] * x[:, 2] > 0.5)
    boosted = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(x, y)
    trees = export_trees(boosted)
    ours = np.stack([trees.logits(row) for row in x[:100]])
    np.testing.assert_allclose(ours, boosted._raw_predict(x[:100]), atol=1e-4)


def test_training_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown stance labels"):
        train_stance([("a", "b")], ["maybe"])
