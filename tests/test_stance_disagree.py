"""stance.v3 on disagreement: bodies that plainly refute their headline, on subjects FNC-1 never had.

The pairs are written for this test (not from FNC-1 or the seed articles): each body debunks its
headline in the way fact-checks and denials do, and shares the headline's words, as a related article
would.
"""

from __future__ import annotations

import numpy as np
import pytest

from sitroom.analyse.stance import REFUTATION_FEATURES, STANCE_VERSION, StanceClassifier

REFUTED = [
    (
        "Giant sinkhole swallows car park in Leeds city centre",
        "Pictures said to show a giant sinkhole swallowing a car park in Leeds city centre are fake, the "
        "city council said on Friday. The images, shared thousands of times online, were doctored from a "
        "photograph taken in Florida years ago. 'There is no sinkhole and the car park is open as usual,' "
        "a council spokesman said. Police also denied reports that cars had been lost.",
    ),
    (
        "Star striker signs record contract with Chinese club",
        "The striker's agent has dismissed reports that his client signed a record contract with a "
        "Chinese club as completely untrue. 'No contract has been signed and there have been no talks,' "
        "the agent said, calling the story a fabrication. The club also denied the claims on Tuesday.",
    ),
    (
        "Scientists find living mammoth in Siberian forest",
        "A viral story claiming that scientists found a living mammoth in a Siberian forest is a hoax. "
        "The article first appeared on a satirical website and its photo of the mammoth was photoshopped, "
        "researchers said. There is no evidence that any mammoth survives in Siberia.",
    ),
]
# The same headlines, confirmed.
CONFIRMED = [
    "A giant sinkhole swallowed a car park in Leeds city centre on Friday, the city council confirmed. "
    "Footage shows cars falling into the sinkhole, and the council said the car park will stay closed "
    "while engineers examine the ground.",
    "The striker has signed a record contract with a Chinese club, his agent confirmed on Tuesday. The "
    "club announced the signing and said the contract is the largest in its history.",
    "Scientists have found a living mammoth in a Siberian forest, the Russian academy confirmed on "
    "Monday. Footage shows the mammoth near a river in the forest, and researchers said they had "
    "tracked the animal for weeks. The academy announced that more expeditions to Siberia will follow.",
]
IDS = ["sinkhole", "transfer", "mammoth"]


@pytest.fixture(scope="module")
def model() -> StanceClassifier:
    return StanceClassifier.load()


def test_the_committed_model_has_a_disagree_threshold(model: StanceClassifier) -> None:
    assert model.name == STANCE_VERSION == "stance.v3"
    # Chosen on the topic split; below 0.5 because disagree is rare and the ensemble seldom makes it
    # the most probable label on unseen topics.
    assert model.disagree_threshold is not None and 0.0 < model.disagree_threshold < 0.5
    assert all(name in model.meta["features"] for name in REFUTATION_FEATURES)


def test_the_threshold_decides_disagree(model: StanceClassifier) -> None:
    given = np.array([0.5, 0.3, 0.2])
    threshold = model.disagree_threshold
    try:
        model.disagree_threshold = 0.25
        assert model.label_related(given) == "disagree"
        model.disagree_threshold = 0.35
        assert model.label_related(given) == "agree"
        assert model.label_related(np.array([0.2, 0.3, 0.5])) == "discuss"
        model.disagree_threshold = None  # stance.v2: the most probable label
        assert model.label_related(given) == "agree"
    finally:
        model.disagree_threshold = threshold


@pytest.mark.parametrize("index", range(len(REFUTED)), ids=IDS)
def test_a_refuting_body_is_far_likelier_to_disagree_than_a_confirming_one(
    model: StanceClassifier, index: int
) -> None:
    claim, refuting = REFUTED[index]
    label, probs = model.predict(claim, refuting)
    confirmed_label, confirmed = model.predict(claim, CONFIRMED[index])
    assert label != "unrelated" and confirmed_label in {"agree", "discuss"}, (probs, confirmed)
    assert probs["disagree"] > 10 * confirmed["disagree"], (probs, confirmed)
    assert probs["disagree"] > 0.2, probs


def test_a_plain_debunking_is_labelled_disagree(model: StanceClassifier) -> None:
    # Known limit (docs/benchmarks.md): the sinkhole and transfer denials above reach P(disagree) of
    # only ~0.38 and ~0.24 under the 0.40 threshold and are labelled agree; this one, which calls the
    # story a hoax from a satirical website, is disagree.
    claim, body = REFUTED[2]
    label, probs = model.predict(claim, body)
    assert label == "disagree", probs
    # P(disagree) = P(related) · P(disagree | related), and the label follows the threshold on the latter.
    assert probs["disagree"] >= model.disagree_threshold * (1 - probs["unrelated"]) - 1e-6


def test_refutation_features_see_the_debunking_sentence(model: StanceClassifier) -> None:
    from sitroom.analyse.stance import FEATURE_NAMES, pair_features

    index = {name: i for i, name in enumerate(FEATURE_NAMES)}
    for (claim, body), confirmed in zip(REFUTED, CONFIRMED, strict=True):
        refuting = pair_features(model.analyse(claim), model.analyse(body), model.vocab)
        supporting = pair_features(model.analyse(claim), model.analyse(confirmed), model.vocab)
        for name in ("debunk_first", "debunk_cover_max", "debunk_report_sentences"):
            assert refuting[index[name]] > 0 and supporting[index[name]] == 0, (claim, name)
