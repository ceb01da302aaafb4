"""The attribute ruler's indexed matcher gives exactly the annotations of spaCy's own."""

from __future__ import annotations

from importlib import resources

import pytest
import spacy

from sitroom.nlp.spacy_fast import RuleIndex, speed_up
from sitroom.pipeline import SPACY_MODELS

# Sentences of our own that reach the ruler's word-specific rules: contractions and colloquial forms,
# "there is" constructions, auxiliaries, determiners used as pronouns, runs of spaces.
TEXTS = [
    "We're gonna win, and I gotta say it: let's go. Y'all know it ain't over, nothin' is.",
    "There's a convoy near the border; there were two more yesterday. It's been shelled.",
    "Which of these did they take? That was decided by those who were elected.",
    "Officials said  the talks  would resume.\\n\\n   The envoy has got to leave.",
    "",
    " ",
    "U.S.-led forces withdrew; the ministry's spokesman didn't comment.",
]


def _stock_model():
    for name in SPACY_MODELS:  # the one load_spacy takes, as spaCy loads it
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.fail(f"no spaCy model of {SPACY_MODELS} is installed")


@pytest.fixture(scope="module")
def pipelines():
    stock, fast = _stock_model(), _stock_model()
    assert speed_up(fast) == ["attribute_ruler"]
    return stock, fast


def _annotations(doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


def test_the_indexed_ruler_annotates_as_spacys(pipelines) -> None:
    stock, fast = pipelines
    demo = resources.files("sitroom") / "examples" / "syria-ground-forces"
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(demo.iterdir()) if p.name.endswith(".txt")]
    for ours, theirs in zip(fast.pipe(texts), stock.pipe(texts), strict=True):
        assert _annotations(ours) == _annotations(theirs)


def test_the_index_finds_the_matchers_matches(pipelines) -> None:
    stock, _ = pipelines
    ruler = stock.get_pipe("attribute_ruler")
    index = RuleIndex(ruler)
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(stock.pipe(TEXTS))
    for doc in docs:
        assert index.match(doc) == sorted(set(ruler.match(doc)))


def test_a_rule_the_index_cannot_read_leaves_the_ruler_as_it_is() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Syria"}]], {"POS": "PROPN"})  # ORTH: not a column the index reads
    assert speed_up(nlp) == []
    assert nlp("Syria")[0].pos_ == "PROPN"
