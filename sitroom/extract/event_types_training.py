"""Training, cross-validation and scoring of the event-type classifier (:mod:`.event_types`).

Kept apart from the inference module: the product only loads the committed artefact and predicts (numpy
only); this module fits the ridge model on labelled snippets plus the generated notes, cross-validates the
whole procedure (plain, grouped, nested) and scores predictions. scikit-learn and scipy are imported when
a function needs them. Used by ``scripts/train_event_types.py``, ``benchmarks/event_types.py`` and tests.
"""

from __future__ import annotations

import json
import math
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from sitroom.extract.event_types import DEFAULT_CONFIG, EventTypeClassifier, count_terms, weigh_terms


def training_notes(config: Mapping) -> tuple[list[str], list[str], list[float]]:
    """The generated notes the config asks for, with their sample weights: the terse ACLED-codebook notes
    (``note_weight``) and the newswire sentences from the codebooks (``wire_weight``); none at weight 0."""
    from sitroom.extract.event_types_notes import WIRE_FILE, generate_notes, load_ontology_notes

    texts: list[str] = []
    codes: list[str] = []
    weights: list[float] = []
    for weight_key, count_key, notes in (
        ("note_weight", "notes_per_template", None),
        ("wire_weight", "wire_per_template", WIRE_FILE),
    ):
        weight = float(config.get(weight_key) or 0.0)
        if not weight:
            continue
        source = None if notes is None else load_ontology_notes(notes)
        more, labels, _ = generate_notes(
            per_template=int(config.get(count_key, 3)), seed=int(config.get("note_seed", 13)), notes=source
        )
        texts += more
        codes += labels
        weights += [weight] * len(more)
    return texts, codes, weights


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    config: Mapping | None = None,
    notes: tuple[Sequence[str], Sequence[str]] | None = None,
    cache: dict | None = None,
) -> EventTypeClassifier:
    """Fit the model on labelled snippets plus generated notes (weighted by ``note_weight``).

    Vocabulary and idf come from the training texts (notes included). ``notes`` overrides the generated
    ones (tests pass a few). Deterministic: ridge and lbfgs have no random state, the vocabulary is sorted.
    """
    from scipy.sparse import csr_matrix

    cfg = dict(DEFAULT_CONFIG if config is None else config)
    if notes is None:
        note_texts, note_labels, note_weights = training_notes(cfg)
    else:
        note_texts, note_labels = list(notes[0]), list(notes[1])
        note_weights = [float(cfg.get("note_weight", 0.0))] * len(note_texts)
    all_texts = list(texts) + list(note_texts)
    all_labels = list(labels) + list(note_labels)
    weights = np.asarray([1.0] * len(texts) + list(note_weights))
    if cfg.get("balance"):
        # Class-balanced weights, softened by the power ``balance`` (1 = scikit-learn's "balanced"): a
        # snippet of a rare type weighs more, so the small types are not ridden over by the large ones.
        freq = Counter(labels)
        mean = len(labels) / max(len(freq), 1)
        weights[: len(texts)] = [(mean / freq[label]) ** float(cfg["balance"]) for label in labels]
    counts = [_counted(t, cfg, cache) for t in all_texts]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    # Rule features are kept whatever their frequency: they carry prior knowledge, not corpus statistics.
    vocabulary = sorted(t for t, n in df.items() if n >= cfg["min_df"] or t.startswith("r:"))
    index = {t: i for i, t in enumerate(vocabulary)}
    n_docs = len(all_texts)
    # Smoothed idf as scikit-learn computes it; rule features are binary switches, not weighted.
    idf = np.asarray(
        [1.0 if t.startswith("r:") else math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in vocabulary],
        dtype=np.float32,
    )
    rows, cols, vals = [], [], []
    for r, c in enumerate(counts):
        ci, vi = weigh_terms(
            c,
            index,
            idf,
            sublinear=cfg["sublinear_tf"],
            class_scale=cfg.get("class_scale", 1.0),
            lead_scale=cfg.get("lead_scale") or 1.0,
            role_scale=cfg.get("role_scale") or 1.0,
        )
        rows.extend([r] * len(ci))
        cols.extend(ci.tolist())
        vals.extend(vi.tolist())
    matrix = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(vocabulary)), dtype=np.float64)
    if cfg.get("estimator", "logistic") == "ridge":
        classes, coef, intercept = fit_ridge(matrix, all_labels, weights, alpha=cfg["alpha"])
    else:
        model = _estimator(cfg)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            model.fit(matrix, all_labels, sample_weight=weights)
        classes = [str(c) for c in model.classes_]
        coef, intercept = np.atleast_2d(model.coef_), np.atleast_1d(model.intercept_)
    if coef.shape[0] == 1:  # two classes: scikit-learn keeps one row; softmax wants both
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.asarray([-intercept[0] / 2, intercept[0] / 2])
    return EventTypeClassifier(
        classes=classes,
        vocabulary=vocabulary,
        idf=idf,
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        config=cfg,
    )


_COUNT_KEYS = (
    "word_ngrams",
    "char_ngrams",
    "rule_features",
    "rule_scale",
    "class_features",
    "mask_words",
    "lead_scale",
    "role_scale",
)


def _counted(text: str, cfg: Mapping, cache: dict | None) -> dict[str, float]:
    """``count_terms`` through an optional cache shared by the trainings of one cross-validation (the counts
    depend only on the text and the config keys that shape them)."""
    if cache is None:
        return count_terms(text, cfg)
    key = (text, json.dumps([cfg.get(k) for k in _COUNT_KEYS]))
    if key not in cache:
        cache[key] = count_terms(text, cfg)
    return cache[key]


def fit_ridge(matrix, labels: Sequence[str], weights: np.ndarray, *, alpha: float):
    """Weighted ridge regression on one-vs-rest ±1 targets with an unpenalised intercept — scikit-learn's
    ``RidgeClassifier`` — solved in the dual: with ~1,000 texts and ~50,000 features the n×n system is
    solved directly instead of 30 conjugate-gradient runs over the features (same coefficients, ~10× faster,
    which is what makes nested cross-validation affordable on two cores).

    Returns (classes, coef (n_classes, n_features), intercept (n_classes,)).
    """
    classes = sorted(set(labels))
    y = np.asarray(labels)
    targets = np.where(y[:, None] == np.asarray(classes)[None, :], 1.0, -1.0)
    w = np.asarray(weights, dtype=np.float64)
    mean_x = np.asarray(matrix.T @ w).ravel() / w.sum()  # weighted feature means (centring = intercept)
    mean_y = (w @ targets) / w.sum()
    gram = (matrix @ matrix.T).toarray()
    projected = np.asarray(matrix @ mean_x).ravel()
    centred = gram - projected[:, None] - projected[None, :] + mean_x @ mean_x
    root = np.sqrt(w)
    system = root[:, None] * centred * root[None, :] + alpha * np.eye(len(y))
    dual = root[:, None] * np.linalg.solve(system, root[:, None] * (targets - mean_y))
    coef = np.asarray(matrix.T @ dual) - np.outer(mean_x, dual.sum(axis=0))
    intercept = mean_y - mean_x @ coef
    return classes, coef.T, intercept


def _estimator(cfg: Mapping):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=cfg["C"], max_iter=cfg["max_iter"])


def _splits(labels: Sequence[str], folds: int, seed: int, groups: Sequence[int] | None = None):
    """Stratified k-fold; with ``groups``, grouped as well (:mod:`.event_types_groups`)."""
    if groups is not None:
        from sitroom.extract.event_types_groups import grouped_splits

        return grouped_splits(labels, groups, folds, seed)
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        return list(splitter.split(np.zeros(len(labels)), labels))


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    repeats: int = 3,
    seed: int = 13,
    config: Mapping | None = None,
    groups: Sequence[int] | None = None,
) -> list[list[str]]:
    """Out-of-fold top-1 predictions, one list per repeat of stratified k-fold; training reruns per fold
    (generated notes join every training fold, never a test fold).

    Classes rarer than ``folds`` cannot be stratified exactly; scikit-learn warns and spreads them as it
    can, which is what we want, so the warning is silenced. ``groups`` (one number per text, see
    :func:`.event_types_groups.snippet_groups`) keeps related snippets on one side of every fold.
    """
    runs = []
    cache: dict = {}
    for repeat in range(repeats):
        predicted = [""] * len(texts)
        for train_idx, test_idx in _splits(labels, folds, seed + repeat, groups):
            model = train(
                [texts[i] for i in train_idx], [labels[i] for i in train_idx], config=config, cache=cache
            )
            for i in test_idx:
                predicted[i] = model.predict(texts[i], top=1)[0][0]
        runs.append(predicted)
    return runs


def nested_cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    grid: Sequence[Mapping],
    *,
    folds: int = 5,
    inner_folds: int = 3,
    seed: int = 13,
    groups: Sequence[int] | None = None,
) -> tuple[list[str], list[int]]:
    """Out-of-fold predictions of the whole selection procedure: in each outer fold, every config of ``grid``
    is scored by inner stratified k-fold on the outer training part alone (weighted F1), the best is
    trained on that part and predicts the outer test part. The outer figure is then an honest estimate of
    "choose among these settings, then train", which plain CV over the same grid overstates.

    With ``groups`` both the outer and the inner folds keep related snippets together.

    Returns the predictions and the index of the config chosen in each outer fold.
    """
    from sklearn.metrics import f1_score

    predicted = [""] * len(texts)
    chosen: list[int] = []
    cache: dict = {}
    for train_idx, test_idx in _splits(labels, folds, seed, groups):
        part_texts = [texts[i] for i in train_idx]
        part_labels = [labels[i] for i in train_idx]
        part_groups = None if groups is None else [groups[i] for i in train_idx]
        inner = _splits(part_labels, inner_folds, seed, part_groups)
        scores = []
        for cfg in grid:
            inner_pred = [""] * len(part_texts)
            for fit_idx, held_idx in inner:
                model = train(
                    [part_texts[i] for i in fit_idx],
                    [part_labels[i] for i in fit_idx],
                    config=cfg,
                    cache=cache,
                )
                for i in held_idx:
                    inner_pred[i] = model.predict(part_texts[i], top=1)[0][0]
            scores.append(f1_score(part_labels, inner_pred, average="weighted", zero_division=0))
        best = int(np.argmax(scores))
        chosen.append(best)
        model = train(part_texts, part_labels, config=grid[best], cache=cache)
        for i in test_idx:
            predicted[i] = model.predict(texts[i], top=1)[0][0]
    return predicted, chosen


def fit_temperature(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 13,
    config: Mapping | None = None,
) -> float:
    """The softmax temperature that minimises the log loss of out-of-fold scores (ridge scores are not
    log-odds: without it "probabilities" would be flat). A grid search; one CV pass."""
    cfg = dict(DEFAULT_CONFIG if config is None else config, temperature=1.0)
    classes = sorted(set(labels))
    logits = np.zeros((len(texts), len(classes)), dtype=np.float64)
    for train_idx, test_idx in _splits(labels, folds, seed):
        model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], config=cfg)
        where = [classes.index(c) for c in model.classes if c in classes]
        keep = [j for j, c in enumerate(model.classes) if c in classes]
        for i in test_idx:
            probs = model.probabilities(texts[i])
            raw = np.log(np.clip(probs, 1e-30, None))  # logits up to a constant, temperature 1
            row = np.full(len(classes), -1e9)
            row[where] = raw[keep]
            logits[i] = row
    gold = np.asarray([classes.index(label) for label in labels])
    best, best_loss = 1.0, math.inf
    for temperature in np.geomspace(0.01, 3.0, 80):
        scaled = logits / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        loss = float(np.mean(log_norm - scaled[np.arange(len(gold)), gold]))
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return round(best, 4)


def score_predictions(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Weighted, macro and micro F1 two ways, accuracy, and a per-class table over the gold labels.

    ``weighted_f1``/``macro_f1``/``micro_f1`` (the CASE-2021 convention) average over the gold label set:
    a prediction outside it (a type absent from this data, or "NONE" when the rules find no cue) counts
    as a miss for the gold class and as nobody's false positive. The ``*_all`` figures and ``accuracy``
    are what a user gets: every label predicted or gold counts, so such a prediction is a false positive
    too (micro F1 over all labels equals accuracy).
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    labels = sorted(set(gold))
    every = sorted(set(gold) | set(predicted))
    figures: dict = {}
    for avg in ("weighted", "macro", "micro"):
        figures[f"{avg}_f1"] = float(f1_score(gold, predicted, labels=labels, average=avg, zero_division=0))
        figures[f"{avg}_f1_all"] = float(
            f1_score(gold, predicted, labels=every, average=avg, zero_division=0)
        )
    figures["accuracy"] = float(accuracy_score(gold, predicted))
    p, r, f, n = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    figures["per_class"] = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(n[i])}
        for i, label in enumerate(labels)
    }
    return figures


SCORE_KEYS = ("weighted_f1", "macro_f1", "micro_f1", "weighted_f1_all", "macro_f1_all", "accuracy")


def score_repeats(gold: Sequence[str], runs: Sequence[Sequence[str]]) -> dict:
    """Figures of repeated out-of-fold runs: mean and standard deviation of each figure over the repeats,
    and the per-class table of all repeats pooled (each snippet counted once per repeat)."""
    per_run = [score_predictions(gold, run) for run in runs]
    pooled = score_predictions([g for _ in runs for g in gold], [p for run in runs for p in run])
    figures: dict = {}
    for key in SCORE_KEYS:
        values = np.asarray([run[key] for run in per_run])
        figures[key] = float(values.mean())
        figures[key + "_std"] = float(values.std())
    for row in pooled["per_class"].values():
        row["support"] //= max(len(runs), 1)
    figures["per_class"] = pooled["per_class"]
    return figures
