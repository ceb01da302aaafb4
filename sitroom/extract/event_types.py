"""Event-type classification of short news snippets into ACLED sub-event types (CASE-2021 Task 2 codes).

Two systems share one lexicon (``sitroom/data/event_types/lexicon.yaml``):

* **rules** — weighted keyword/pattern cues per type; no training, used on their own by
  :class:`RuleClassifier` and as features of the model;
* **model** — a linear classifier (ridge regression on one-vs-rest targets, softmax with a temperature
  fitted on out-of-fold scores) over TF-IDF word 1–2-grams, character 2–5-grams within words, one
  feature per rule type (its cue strength), word-class features (``classes.yaml``: which classes of
  actor, weapon and action a sentence names, and which follows which — "x:STATE>CAPTURE") and role
  features from the dependency parse (:mod:`.event_roles`: the kind of each verb's agent —
  "p:CAPTURE|a:ARMED"), trained by
  ``scripts/train_event_types.py`` on the CASE dev
  snippets plus notes generated from the ACLED codebook definitions (:mod:`.event_types_notes`),
  down-weighted: they teach the terse register of event notes without outvoting the newswire.

The committed artefact (``model.npz``) holds only arrays — vocabulary, idf, coefficients, classes and a
JSON config — and is read with ``allow_pickle=False``: loading it runs no code. Inference needs numpy
only; training, cross-validation and scoring live in :mod:`.event_types_training` (scikit-learn).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitroom import yamlfile

EVENT_TYPES_VERSION = "event_types.v5"

MODEL_FILE = "model.npz"
METRICS_FILE = "metrics.json"
LEXICON_FILE = "lexicon.yaml"
CLASSES_FILE = "classes.yaml"

# n-gram ranges and min_df are fixed a priori: the usual strong baseline for short-text classification with
# a few hundred examples. v2 choices, each compared by 5-fold CV on the CASE dev half and (for the note
# weight) on the hand-written note check set (benchmarks/data/event_notes_check.tsv), figures in
# metrics.json and docs/benchmarks.md: ridge (alpha 1) over the logistic regression of v1 (0.765 vs 0.745
# CV weighted F1: the squared loss shrinks less on the 30 small classes); rule features at half strength
# (they still carry the prior, the n-grams decide more); generated notes at weight 0.2 (CV on CASE
# unchanged, note check 0.77 -> 0.84; weight 1 cost 0.02 on CASE). v3: word-class features at 0.75 of an
# n-gram block (CV 0.765 -> 0.80; 0.5 and 1.0 within 0.01, compared by nested CV in the training script);
# more note templates (the same 0.2 weight, 3 notes each; more notes or weight cost CASE 0.02).
# v4, chosen by grouped CV (event_types_groups: related snippets never on both sides of a fold, the
# estimate that resembles new stories; plain CV overstated v3 by 0.01) over two fold seeds and two note
# seeds, then re-chosen inside the nested grouped CV: newswire sentences from the codebooks
# (wire_notes.yaml, weight 0.6, 2 per template; grouped CV +0.005) and the first sentence as its own word
# block (lead_scale 1; +0.005 with them). Tried and not kept, no gain beyond the ±0.005 that the note draw
# alone moves: entity-masked word n-grams (mask_words), class-balanced weights (balance 0.5/1), alpha
# 0.5/2, ACLED export layout fillers in the notes (cost the bait note set 1-2 of 30).
# v5: role features from the dependency parse (event_roles: the kind of each verb's agent, "p:" block)
# at role_scale 1 (0.5/0.75/1/1.5/2 by grouped CV ×3 at fold seed 13: 0.801/0.806/0.808/0.801/0.790, v4
# 0.798; 1 and 1.5 at seed 101: 0.811/0.800); agents +0.012 over five fold seeds, the verb's object another
# +0.002 (within the seed noise: left out), see docs/benchmarks.md.
DEFAULT_CONFIG: dict = {
    "word_ngrams": [1, 2],
    "char_ngrams": [2, 5],
    "min_df": 2,
    "sublinear_tf": True,
    "rule_features": True,
    "rule_scale": 0.5,
    "class_features": True,
    "class_scale": 0.75,
    "estimator": "ridge",
    "alpha": 1.0,
    "C": 20.0,
    "max_iter": 3000,
    "note_weight": 0.2,
    "notes_per_template": 3,
    "wire_weight": 0.6,
    "wire_per_template": 2,
    "mask_words": False,
    "balance": 0.0,
    "lead_scale": 1.0,
    "role_scale": 1.0,
    "temperature": 1.0,
}

_WORD = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_STRONG, _WEAK = 2.0, 1.0
_RULE_CAP = 4.0


# --- Rules -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One lexicon pattern: the type it points to, its weight, the compiled regex."""

    code: str
    weight: float
    pattern: re.Pattern[str]


@cache
def load_lexicon() -> tuple[Cue, ...]:
    """The cues of ``data/event_types/lexicon.yaml``, in file order (which is the tie-break order)."""
    text = _data_dir().joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    return parse_lexicon(yamlfile.safe_load(text))


def parse_lexicon(data: Mapping[str, Mapping[str, Sequence[str]]]) -> tuple[Cue, ...]:
    """Compile a lexicon mapping ``{CODE: {strong: [...], weak: [...]}}`` into cues."""
    cues = []
    for code, groups in data.items():
        for key, weight in (("strong", _STRONG), ("weak", _WEAK)):
            for expr in groups.get(key) or ():
                cues.append(Cue(code, weight, re.compile(rf"\b(?:{expr})\b", re.IGNORECASE)))
    return tuple(cues)


def score_rules(text: str, cues: Sequence[Cue] | None = None) -> dict[str, float]:
    """Sum of the weights of the cues found in ``text``, per type (types without a cue are absent)."""
    scores: dict[str, float] = {}
    for cue in load_lexicon() if cues is None else cues:
        if cue.pattern.search(text):
            scores[cue.code] = scores.get(cue.code, 0.0) + cue.weight
    return scores


class RuleClassifier:
    """Rules alone: the type with the highest cue score, ties broken by lexicon order.

    The "probability" is the type's share of all cue weight found, shrunk by one pseudo-weight so
    that a single weak cue never reads as certainty; it is a ranking score, not a calibrated figure.
    """

    name = "event_types.rules.v1"

    def __init__(self, cues: Sequence[Cue] | None = None) -> None:
        self.cues = tuple(load_lexicon() if cues is None else cues)
        self._order = {code: i for i, code in enumerate(dict.fromkeys(c.code for c in self.cues))}

    def predict(self, text: str, *, top: int = 3) -> list[tuple[str, float]]:
        scores = score_rules(text, self.cues)
        total = sum(scores.values()) + 1.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self._order[kv[0]]))
        return [(code, score / total) for code, score in ranked[:top]]


# --- Word classes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordClass:
    """One class of ``classes.yaml``: its name and one compiled alternation of its patterns."""

    name: str
    pattern: re.Pattern[str]


@cache
def load_word_classes() -> tuple[WordClass, ...]:
    """The classes of ``data/event_types/classes.yaml``."""
    text = _data_dir().joinpath(CLASSES_FILE).read_text(encoding="utf-8")
    return parse_word_classes(yamlfile.safe_load(text))


def parse_word_classes(data: Mapping[str, Sequence[str]]) -> tuple[WordClass, ...]:
    """Compile ``{CLASS: [pattern, ...]}`` into one case-insensitive alternation per class."""
    return tuple(
        WordClass(str(name), re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE))
        for name, patterns in data.items()
        if patterns
    )


def class_terms(text: str, classes: Sequence[WordClass] | None = None) -> Counter[str]:
    """Per sentence: each class named once ("AIR"), and each pair of neighbouring classes in reading order
    ("STATE>CAPTURE"), a run of one class counting once. Counts add up over sentences."""
    classes = load_word_classes() if classes is None else classes
    terms: Counter[str] = Counter()
    for sentence in _SENTENCE.split(text):
        hits = sorted((m.start(), wc.name) for wc in classes for m in wc.pattern.finditer(sentence))
        sequence: list[str] = []
        for _, name in hits:
            if not sequence or sequence[-1] != name:
                sequence.append(name)
        terms.update(set(sequence))
        terms.update(f"{a}>{b}" for a, b in zip(sequence, sequence[1:], strict=False))
    return terms


# --- Features --------------------------------------------------------------------------------------


def _word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _WORD.findall(text)
    grams = []
    for n in range(low, high + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside space-padded words (scikit-learn's ``char_wb``)."""
    grams = []
    for word in _SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


_NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)*(?![\w-])")
_NAME_TOKEN = re.compile(r"(?<![\w'-])([A-Z][\w'-]*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)[\s\"'“‘]*$")


def mask_entities(text: str) -> str:
    """The text with numbers replaced by "0" and capitalised words (not starting a sentence) by "Nn":
    the word block then learns "killed 0 Nn soldiers" from every conflict alike instead of the names of
    the places and parties of the training stories, which new stories do not repeat."""
    text = _NUMBER.sub("0", text)

    def name(match: re.Match[str]) -> str:
        return match.group(0) if _SENTENCE_START.search(text, 0, match.start()) else "Nn"

    return _NAME_TOKEN.sub(name, text)


def count_terms(
    text: str, config: Mapping, cues: Sequence[Cue] | None = None, *, parsed: Any = None
) -> dict[str, float]:
    """Raw feature counts of one snippet: ``w:`` word n-grams (of the masked text with ``mask_words``),
    ``c:`` char n-grams, ``r:`` rule types, ``x:`` word classes and their sequences, ``p:`` role terms
    (with ``role_scale``; from ``parsed``, the caller's spaCy parse of the text, else parsed here)."""
    lowered = text.lower()
    counts: Counter[str] = Counter()
    words = mask_entities(text).lower() if config.get("mask_words") else lowered
    counts.update("w:" + g for g in _word_ngrams(words, *config["word_ngrams"]))
    if config.get("lead_scale"):
        # The first sentence again, as its own block: it names the event, later sentences add context
        # (casualties, reactions, background) that pulls to other types.
        lead = _SENTENCE.split(words.strip(), maxsplit=1)[0]
        counts.update("l:" + g for g in _word_ngrams(lead, *config["word_ngrams"]))
    counts.update("c:" + g for g in _char_ngrams(lowered, *config["char_ngrams"]))
    if config.get("rule_features"):
        # Graded by cue strength (one strong cue = 1.0, capped at 2.0) so that a text full of
        # unmistakable cues ("roadside bomb exploded") is not outvoted by its few other n-grams.
        scale = config.get("rule_scale", 1.0) / _STRONG
        counts.update(
            {"r:" + code: min(score, _RULE_CAP) * scale for code, score in score_rules(text, cues).items()}
        )
    if config.get("class_features"):
        counts.update({"x:" + term: n for term, n in class_terms(text).items()})
    if config.get("role_scale"):
        from sitroom.extract.event_roles import role_terms, text_role_terms

        roles = role_terms(parsed).items() if parsed is not None else text_role_terms(text)
        counts.update({"p:" + term: n for term, n in roles})
    return dict(counts)


def weigh_terms(
    counts: Mapping[str, float],
    index: Mapping[str, int],
    idf: np.ndarray,
    *,
    sublinear: bool,
    class_scale: float = 1.0,
    lead_scale: float = 1.0,
    role_scale: float = 1.0,
):
    """Indices and TF-IDF values of the known features, each block (w/c/x/l/p) l2-normalised, the word-class,
    lead and role blocks then scaled by ``class_scale``, ``lead_scale`` and ``role_scale``; rule strengths
    as they are."""
    blocks: dict[str, list[tuple[int, float]]] = {}
    for term, count in counts.items():
        col = index.get(term)
        if col is None:
            continue
        # Rule values are already graded strengths; only n-gram counts get the sublinear tf.
        log_tf = sublinear and term[0] != "r"
        tf = 1.0 + math.log(count) if log_tf else float(count)
        blocks.setdefault(term[0], []).append((col, tf * float(idf[col])))
    cols: list[int] = []
    vals: list[float] = []
    for kind, items in blocks.items():
        norm = math.sqrt(sum(v * v for _, v in items)) if kind != "r" else 1.0
        if kind == "x" and norm:
            norm /= class_scale
        if kind == "l" and norm:
            norm /= lead_scale
        if kind == "p" and norm:
            norm /= role_scale
        for col, value in items:
            cols.append(col)
            vals.append(value / norm if norm else 0.0)
    return np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=np.float32)


# --- Model -----------------------------------------------------------------------------------------


@dataclass
class EventTypeClassifier:
    """A linear model over sitroom's event-type features; ``predict`` gives (code, probability) pairs."""

    classes: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)
    config: dict = field(default_factory=lambda: dict(DEFAULT_CONFIG))

    name = EVENT_TYPES_VERSION

    def __post_init__(self) -> None:
        self._index = {term: i for i, term in enumerate(self.vocabulary)}
        self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float32)

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventTypeClassifier:
        """The committed artefact (package data), or the ``model.npz`` at ``path``; never the network."""
        source = _data_dir().joinpath(MODEL_FILE) if path is None else Path(path)
        with source.open("rb") as fh, np.load(fh, allow_pickle=False) as arrays:
            config = json.loads(str(arrays["config"]))
            if config.get("version") != EVENT_TYPES_VERSION:
                raise ValueError(
                    f"event-type model {source} is {config.get('version')!r}, this code reads "
                    f"{EVENT_TYPES_VERSION!r}: re-run `python scripts/train_event_types.py`."
                )
            return cls(
                classes=[str(c) for c in arrays["classes"]],
                vocabulary=[str(t) for t in arrays["vocabulary"]],
                idf=arrays["idf"].astype(np.float32),
                coef=arrays["coef"].astype(np.float32),
                intercept=arrays["intercept"].astype(np.float32),
                config=config,
            )

    def save(self, path: str | Path) -> None:
        """Write the portable artefact: arrays only, coefficients as float16 (half the size, same ranking)."""
        config = dict(self.config, version=EVENT_TYPES_VERSION)
        with Path(path).open("wb") as fh:
            np.savez_compressed(
                fh,
                classes=np.asarray(self.classes, dtype=str),
                vocabulary=np.asarray(self.vocabulary, dtype=str),
                idf=self.idf.astype(np.float16),
                coef=self.coef.astype(np.float16),
                intercept=self.intercept.astype(np.float32),
                config=np.asarray(json.dumps(config, sort_keys=True)),
            )

    def probabilities(self, text: str, *, parsed: Any = None) -> np.ndarray:
        """Softmax over all classes (order of ``self.classes``); empty for a blank text. ``parsed``: the
        caller's spaCy parse of ``text`` (a sentence span), which spares parsing it again."""
        if not text or not text.strip():
            return np.zeros(0, dtype=np.float32)
        counts = count_terms(text, self.config, parsed=parsed)
        cols, vals = weigh_terms(
            counts,
            self._index,
            self.idf,
            sublinear=self.config["sublinear_tf"],
            class_scale=self.config.get("class_scale", 1.0),
            lead_scale=self.config.get("lead_scale") or 1.0,
            role_scale=self.config.get("role_scale") or 1.0,
        )
        logits = (self.intercept + vals @ self._coef_t[cols]) / self.config.get("temperature", 1.0)
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def predict(
        self, text: str, *, top: int = 3, labels: Collection[str] | None = None, parsed: Any = None
    ) -> list[tuple[str, float]]:
        """The ``top`` most probable sub-event codes with their probabilities; [] for a blank text.

        ``labels`` restricts the answer to a label set the caller knows its input belongs to (ACLED's own
        notes are coded with :func:`acled_types` only, never DIPLO or NATURAL_DISASTER): the probabilities
        are renormalised over those of the model's classes. Without it every class competes. ``parsed``:
        the caller's spaCy parse of ``text``, if it has one.
        """
        probs = self.probabilities(text, parsed=parsed)
        if probs.size == 0:
            return []
        if labels is not None:
            allowed = np.asarray([c in labels for c in self.classes])
            if not allowed.any():
                raise ValueError(f"none of the labels {sorted(labels)} is a class of this model")
            probs = np.where(allowed, probs, 0.0)
            probs = probs / probs.sum()
            top = min(top, int(allowed.sum()))
        order = np.argsort(-probs, kind="stable")[: max(top, 0)]
        return [(self.classes[i], float(probs[i])) for i in order]


@cache
def _cached_classifier() -> EventTypeClassifier:
    return EventTypeClassifier.load()


def acled_types() -> frozenset[str]:
    """The 25 ACLED sub-event codes (CASE-2021's "seen" types): the types with a codebook definition in
    ``ontology_notes.yaml``; the task's five extra types (DIPLO, ATTRIB, …) are not among them."""
    from sitroom.extract.event_types_notes import load_ontology_notes

    return frozenset(load_ontology_notes().definitions)


def classify_event_type(text: str, *, parsed: Any = None) -> tuple[str, float]:
    """The most probable sub-event type of ``text`` by the committed model; ``("OTHER", 0.0)`` for a blank
    text. ``parsed``: the caller's spaCy parse of ``text`` (the product's sentence span), if it has one."""
    best = _cached_classifier().predict(text, top=1, parsed=parsed)
    return best[0] if best else ("OTHER", 0.0)


def _data_dir():
    return resources.files("sitroom.data").joinpath("event_types")


def read_labelled_snippets(path: str | Path) -> tuple[list[str], list[str], list[str]]:
    """Ids, snippets and labels of a CASE-2021 Task 2 style TSV (header ``id, EventSnippet, SubType``)."""
    ids, texts, labels = [], [], []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader, None)
        for row in reader:
            if len(row) < 3:
                continue
            ids.append(row[0].strip())
            texts.append(row[1])
            labels.append(row[2].strip())
    return ids, texts, labels


def predict_rules(texts: Sequence[str], *, cues: Sequence[Cue] | None = None) -> list[str]:
    """Top-1 type of each text by the rules alone; "NONE" where no cue fires."""
    rules = RuleClassifier(cues)
    return [(rules.predict(t, top=1) or [("NONE", 0.0)])[0][0] for t in texts]
