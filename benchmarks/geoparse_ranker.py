"""Fit the geoparser's candidate-ranking weights from the development sets and score them cross-set.

    python -m benchmarks.geoparse_ranker [--rounds N] [--l2 X] [--e2e-cache DIR]

The resolver scores each candidate of a toponym as a weighted sum of named features (feature type, log
population, match quality, and the document context: country and region mass of the other toponyms,
closeness to confident places, "X, Y" qualifiers, kind words; sitroom/nlp/places_weights.py). Here
those weights are fitted as a conditional logit: for every gold toponym span of LGL, TR-News and
GeoVirus, the probability the resolver's softmax gives to its candidates within 161 km of the gold
point is maximised, with an L2 penalty towards the hand-set weights. Context features depend on the
other toponyms' current probabilities, so fitting alternates with re-running the resolver (``--rounds``).

Every figure printed for a set comes from weights fitted on the *other two* sets (three rotations),
beside the hand-set weights (``Weights()``, in use) scored by the same code; note the hand-set weights
were themselves chosen on these sets (mostly LGL), so the comparison favours them. With
``--e2e-cache`` the end-to-end figure is printed too: spaCy's parse is run once per set and the
recognised toponym spans are kept in DIR (recognition's second pass reads a first resolution with the shipped
weights; the spans are then held fixed for every weight set).
Deterministic (no sampling). Reads ``../shared/bench/geoparse/*.xml``; writes nothing else.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from benchmarks.geoparse import DEFAULT_DIR, Article, end_to_end_errors, read_articles
from sitroom.nlp.gazetteer import GAZETTEER_VERSION, load_gazetteer
from sitroom.nlp.places import (
    FIXED_FEATURES,
    PLACES_VERSION,
    Weights,
    distance_km,
    resolution_features,
    resolve_toponyms,
)

SETS = {"lgl": "lgl.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml"}
KM = 161.0


@dataclass(frozen=True, slots=True)
class Example:
    """One gold span: its candidates' feature rows and which candidates lie within 161 km of gold."""

    rows: list[dict[str, float]]
    positive: list[bool]


def collect(articles: list[Article], weights: Weights) -> list[Example]:
    gaz = load_gazetteer()
    out = []
    for article in articles:
        gold = [t for t in article.toponyms if t.lat is not None]
        found = resolution_features(
            article.text, [(t.start, t.end) for t in gold], gazetteer=gaz, weights=weights
        )
        for top, item in zip(gold, found, strict=True):
            if item is None:
                continue
            cands, rows = item
            positive = [distance_km(top.lat, top.lon, c.entry.lat, c.entry.lon) <= KM for c in cands]
            if len(cands) > 1 and any(positive) and not all(positive):
                out.append(Example(rows, positive))
    return out


def fit(
    examples: list[Example], names: list[str], l2: float, start: np.ndarray, prior: np.ndarray
) -> np.ndarray:
    """Maximise sum over examples of log P(a candidate within 161 km), P the softmax of X @ w, with an
    L2 penalty towards the hand-set weights ``prior`` (a feature the data rarely shows keeps its value)."""
    index = {n: i for i, n in enumerate(names)}
    rows, offsets, pos, seg = [], [], [], []
    for k, ex in enumerate(examples):
        for feats, p in zip(ex.rows, ex.positive, strict=True):
            row = np.zeros(len(names))
            for name, value in feats.items():
                if name in index:
                    row[index[name]] = value
            rows.append(row)
            offsets.append(sum(feats.get(name, 0.0) for name in FIXED_FEATURES))  # weight 1, not learned
            pos.append(p)
            seg.append(k)
    x = np.array(rows)
    offset = np.array(offsets)
    positive = np.array(pos)
    seg_id = np.array(seg)
    starts = np.flatnonzero(np.r_[True, seg_id[1:] != seg_id[:-1]])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w + offset
        top = np.maximum.reduceat(s, starts)[seg_id]
        e = np.exp(s - top)
        z_all = np.add.reduceat(e, starts)
        z_pos = np.add.reduceat(np.where(positive, e, 0.0), starts)
        value = -np.sum(np.log(z_pos) - np.log(z_all)) + l2 * np.sum((w - prior) ** 2)
        p_all = e / z_all[seg_id]
        p_pos = np.where(positive, e, 0.0) / z_pos[seg_id]
        grad = -(p_pos - p_all) @ x + 2 * l2 * (w - prior)
        return value, grad

    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return result.x


def train(articles: list[Article], rounds: int, l2: float) -> Weights:
    weights = Weights()
    names = sorted(set(weights.coefficients()) - FIXED_FEATURES)
    hand = np.array([weights.coefficients()[n] for n in names])
    for _ in range(rounds):
        examples = collect(articles, weights)
        coef = weights.coefficients()
        w = fit(examples, names, l2, np.array([coef.get(n, 0.0) for n in names]), hand)
        weights = Weights.from_coefficients(dict(zip(names, (round(float(v), 4) for v in w), strict=True)))
    return weights


def gold_span_acc(articles: list[Article], weights: Weights) -> float:
    gaz = load_gazetteer()
    hits = total = 0
    for article in articles:
        gold = [t for t in article.toponyms if t.lat is not None]
        places = resolve_toponyms(
            article.text, [(t.start, t.end) for t in gold], gazetteer=gaz, weights=weights
        )
        for top, place in zip(gold, places, strict=True):
            total += 1
            hits += place is not None and distance_km(top.lat, top.lon, place.lat, place.lon) <= KM
    return hits / max(total, 1)


def recognised_spans(name: str, articles: list[Article], cache: Path) -> list[list[tuple[int, int]]]:
    """The toponym spans find_places resolves on spaCy's parse of each article (parsed once, kept)."""
    path = cache / f"{name}-{PLACES_VERSION}-{GAZETTEER_VERSION}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from sitroom.nlp.places import find_places
    from sitroom.pipeline import load_spacy

    nlp = load_spacy()
    gaz = load_gazetteer()
    # the spans of what find_places returns: recognition, and its second pass after a first resolution
    spans = [
        [(p.start, p.end) for p in find_places(a.text, doc, gazetteer=gaz)]
        for a, doc in zip(articles, nlp.pipe([a.text for a in articles], batch_size=32), strict=True)
    ]
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(spans))
    return spans


def end_to_end_acc(articles: list[Article], spans: list[list[tuple[int, int]]], weights: Weights) -> float:
    """acc@161 over every gold toponym of what find_places returns (demonym and metonym flags keep the
    coordinates, so resolving the recognised spans gives the same points)."""
    gaz = load_gazetteer()
    errs: list[float] = []
    for article, doc_spans in zip(articles, spans, strict=True):
        places = [p for p in resolve_toponyms(article.text, doc_spans, gazetteer=gaz, weights=weights) if p]
        errs.extend(end_to_end_errors(article, places))
    return sum(e <= KM for e in errs) / max(len(errs), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fit / re-run the resolver alternations")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    parser.add_argument("--e2e-cache", type=Path, help="folder for the recognised spans; scores end to end")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = {name: read_articles(DEFAULT_DIR / file)[0] for name, file in SETS.items()}
    spans = {}
    if args.e2e_cache:
        spans = {name: recognised_spans(name, arts, args.e2e_cache) for name, arts in data.items()}

    def scores(name: str, weights: Weights) -> dict[str, float]:
        out = {"gold_span": round(gold_span_acc(data[name], weights), 4)}
        if spans:
            out["end_to_end"] = round(end_to_end_acc(data[name], spans[name], weights), 4)
        return out

    metrics: dict = {"rounds": args.rounds, "l2": args.l2, "cross_set": {}}
    for held_out in SETS:
        train_on = [a for name in SETS if name != held_out for a in data[name]]
        learned = train(train_on, args.rounds, args.l2)
        row = {"hand": scores(held_out, Weights()), "learned": scores(held_out, learned)}
        metrics["cross_set"][held_out] = row
        print(f"{held_out:9s} (learned on the other two)  hand {row['hand']}  learned {row['learned']}", flush=True)
        print(f"          learned weights {learned.coefficients()}", flush=True)
    for kind in ("gold_span", "end_to_end"):
        if all(kind in r["learned"] for r in metrics["cross_set"].values()):
            for side in ("hand", "learned"):
                mean = np.mean([r[side][kind] for r in metrics["cross_set"].values()])
                metrics[f"mean_{kind}_{side}"] = round(float(mean), 4)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(metrics, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
