"""Benchmark incremental story clustering on ECB+ (topics, and the two sub-stories within each topic).

    python -m benchmarks.stories [--data DIR] [--shuffles 5] [--no-names] [--no-baseline] [--scale]

Every document of every topic folder is fed to :class:`sitroom.analyse.stories.StoryClusterer` one at a
time, in a shuffled order (seeds 0..shuffles-1), with no gold information. The clusterer's two levels
of output, stories and topics (groups of related stories), are each scored against the gold topic
and the gold sub-story (topic + ``ecb`` vs ``ecbplus``: two different real-world events of the same
kind) with B3 precision/recall/F1 and the adjusted Rand index; the table gives the mean and the
minimum over the shuffles. The pairs that matter are stories vs sub-stories and topics vs topics:
one clustering cannot score high on both gold levels at once. ECB+ carries no publication dates, so time
proximity plays no part here. Entities: capitalised name n-grams ("Tara Reid", "Betty Ford Center")
stand in for sitroom's entity keys (``--no-names`` runs on words alone).

The batch baseline is plain TF-IDF (scikit-learn, English stop words, sublinear tf) and average-link
agglomerative clustering on cosine distance, with the linkage (average or complete) and distance
threshold tuned on these very topics
(the best sub-story F1 over a grid is reported, which flatters it). ``--scale`` also times adding one
document to clusterers holding 1k and 10k documents made from FNC-1 bodies. The last line is one JSON
object with every figure.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from benchmarks.common import bench_path, machine, peak_rss_mb, print_metrics
from sitroom.analyse.stories import StoryClusterer, StoryConfig, StoryInput

DEFAULT_DATA = bench_path("stories", "ECB+")
DEFAULT_BODIES = bench_path("stance", "train_bodies.csv")


class GoldDoc:
    __slots__ = ("id", "text", "topic", "substory")

    def __init__(self, doc_id: str, text: str, topic: str, substory: str) -> None:
        self.id, self.text, self.topic, self.substory = doc_id, text, topic, substory


def read_ecb(root: Path) -> list[GoldDoc]:
    """Documents from ``<topic>/<topic>_<n>ecb(plus).xml``: text rebuilt sentence by sentence."""
    docs = []
    for path in sorted(root.glob("*/*.xml")):
        match = re.fullmatch(r"(\d+)_(\d+)(ecb|ecbplus)\.xml", path.name)
        if not match:
            continue
        tokens = ET.parse(path).getroot().iter("token")
        sentences = [
            " ".join(t.text or "" for t in group)
            for _, group in groupby(tokens, key=lambda t: t.get("sentence"))
        ]
        topic = match.group(1)
        docs.append(GoldDoc(path.stem, "\n".join(sentences), topic, f"{topic}/{match.group(3)}"))
    return docs


# Capitalised words that start sentences or fill headlines without naming anything.
_NOT_NAMES = frozenset(
    "a an the he she it they we i you his her its their our this that these those there here in on at "
    "for from by with after before when while as but and or if of to so no yes not mr mrs ms dr "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)
_WORD = re.compile(r"[A-Za-z][\w'.-]*")


def name_keys(text: str) -> tuple[str, ...]:
    """Cheap entity proxies: maximal runs of capitalised words (two or more, or one not at a sentence
    start), lower-cased; one-word names also count as their own key. All-caps headline lines are skipped."""
    keys = set()
    for line in text.split("\n"):
        words = line.split()
        if not words or sum(w.isupper() for w in words) > len(words) / 2:
            continue
        run: list[str] = []
        for position, word in enumerate([*words, "."]):
            capital = bool(_WORD.fullmatch(word)) and word[0].isupper() and word.lower() not in _NOT_NAMES
            if capital and not (position == 0 and len(words) > 1 and not words[1][:1].isupper()):
                run.append(word.lower())
                continue
            if run:
                keys.add(" ".join(run))
            run = []
    return tuple(sorted(keys))


def b_cubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B3 precision, recall and F1 of a clustering (labels per item) against gold labels."""
    pairs = Counter(zip(predicted, gold, strict=True))
    pred_size, gold_size = Counter(predicted), Counter(gold)
    n = len(predicted)
    precision = sum(c * c / pred_size[p] for (p, _), c in pairs.items()) / n
    recall = sum(c * c / gold_size[g] for (_, g), c in pairs.items()) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def adjusted_rand(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Hubert and Arabie's adjusted Rand index."""

    def pairs(k: int) -> float:
        return k * (k - 1) / 2

    index = sum(pairs(c) for c in Counter(zip(predicted, gold, strict=True)).values())
    rows = sum(pairs(c) for c in Counter(predicted).values())
    cols = sum(pairs(c) for c in Counter(gold).values())
    expected = rows * cols / pairs(len(gold))
    maximum = (rows + cols) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


def score(predicted: Sequence[str], docs: Sequence[GoldDoc]) -> dict[str, float]:
    out = {}
    for level, gold in (("topic", [d.topic for d in docs]), ("substory", [d.substory for d in docs])):
        p, r, f = b_cubed(predicted, gold)
        out.update(
            {
                f"{level}_p": p,
                f"{level}_r": r,
                f"{level}_f1": f,
                f"{level}_ari": adjusted_rand(predicted, gold),
            }
        )
    return out


def lead_nouns_of(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """The nouns of each text's lead, as sitroom computes them (spaCy, :func:`lead_terms`)."""
    from sitroom.analyse.stories_lead import lead_terms
    from sitroom.pipeline import load_spacy

    nlp = load_spacy()
    return [lead_terms(nlp, None, text) for text in texts]


def run_incremental(
    docs: list[GoldDoc],
    *,
    seed: int,
    names: bool,
    leads: dict[str, tuple[str, ...]] | None = None,
    config: StoryConfig | None = None,
) -> tuple[dict[str, float], float, Counter]:
    order = list(docs)
    random.Random(seed).shuffle(order)
    leads = leads or {}
    inputs = [
        StoryInput(d.id, d.text, None, None, name_keys(d.text) if names else (), (), leads.get(d.id, ()))
        for d in order
    ]
    clusterer = StoryClusterer(config=config)
    kinds: Counter = Counter()
    began = time.perf_counter()
    for item in inputs:
        kinds.update(change.kind for change in clusterer.add(item))
    elapsed = time.perf_counter() - began
    predicted = [clusterer.story_of(d.id) for d in docs]
    metrics = score(predicted, docs)
    metrics["stories"] = len(set(predicted))
    topics = [clusterer.topic_of(d.id) for d in docs]
    metrics.update({f"topics_{k}": v for k, v in score(topics, docs).items()})
    metrics["topics"] = len(set(topics))
    return metrics, len(docs) / elapsed, kinds


def run_baseline(docs: list[GoldDoc]) -> dict[str, float]:
    """TF-IDF + agglomerative clustering (average or complete link), linkage and threshold picked for the
    best sub-story F1 on this very data."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(
        d.text for d in docs
    )
    dense = matrix.toarray()
    best: dict[str, float | str] = {}
    for linkage in ("average", "complete"):
        for step in range(50, 100):
            threshold = step / 100
            model = AgglomerativeClustering(
                n_clusters=None, metric="cosine", linkage=linkage, distance_threshold=threshold
            )
            labels = [str(x) for x in model.fit_predict(dense)]
            metrics = score(labels, docs)
            if metrics["substory_f1"] > best.get("substory_f1", -1):
                best = {**metrics, "threshold": threshold, "linkage": linkage, "stories": len(set(labels))}
    return best


def time_scaling(
    bodies_path: Path, sizes: Sequence[int], *, probes: int = 50, lead: bool = True
) -> dict[str, float]:
    """Mean milliseconds to add one more document to a clusterer already holding ``size`` documents.

    The corpus is FNC-1 bodies, repeated with perturbations (a random tenth of the words dropped and a
    tag word added per copy) so that copies are near, not exact, repeats; a copy keeps its body's lead
    nouns."""
    with bodies_path.open(encoding="utf-8", newline="") as fh:
        bodies = [row["articleBody"] for row in csv.DictReader(fh)]
    leads = lead_nouns_of(bodies) if lead else [()] * len(bodies)
    rng = random.Random(7)
    out = {}
    for size in sizes:
        clusterer = StoryClusterer()
        for i in range(size + probes):
            words = bodies[i % len(bodies)].split()
            kept = [w for w in words if rng.random() > 0.1] + [f"copy{i // len(bodies)}"]
            text = " ".join(kept)
            item = StoryInput(f"d{i}", text, None, None, name_keys(text), (), leads[i % len(bodies)])
            if i == size:
                began = time.perf_counter()
            clusterer.add(item)
        out[f"add_ms_at_{size}"] = (time.perf_counter() - began) / probes * 1000
        out[f"stories_at_{size}"] = len(clusterer.stories())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--shuffles", type=int, default=5)
    parser.add_argument("--no-names", action="store_true", help="words only, no capitalised-name keys")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--no-lead", action="store_true", help="without the nouns of each lead (no spaCy parse)"
    )
    parser.add_argument("--scale", action="store_true", help="time adds at 1k and 10k documents (FNC-1)")
    parser.add_argument("--bodies", type=Path, default=DEFAULT_BODIES)
    args = parser.parse_args(argv)

    docs = read_ecb(args.data)
    if not docs:
        print(f"no ECB+ documents under {args.data}", file=sys.stderr)
        return 2
    topics = len({d.topic for d in docs})
    print(
        f"ECB+ {args.data}: {len(docs)} documents, {topics} topics, {len({d.substory for d in docs})} sub-stories"
    )
    print(f"machine: {machine()}")

    leads = (
        {}
        if args.no_lead
        else dict(zip((d.id for d in docs), lead_nouns_of([d.text for d in docs]), strict=True))
    )
    runs: dict[str, list[float]] = defaultdict(list)
    changes: Counter = Counter()
    for seed in range(args.shuffles):
        metrics, speed, kinds = run_incremental(docs, seed=seed, names=not args.no_names, leads=leads)
        changes.update(kinds)
        for key, value in metrics.items():
            runs[key].append(value)
        runs["docs_per_s"].append(speed)
    result: dict[str, float | int | str] = {"documents": len(docs), "shuffles": args.shuffles}
    for key, values in runs.items():
        result[f"incremental_{key}_mean"] = statistics.fmean(values)
        result[f"incremental_{key}_min"] = min(values)
    result.update({f"changes_{kind}_per_run": n / args.shuffles for kind, n in sorted(changes.items())})

    header = f"{'system (predicted clusters)':<42}{'topic P':>8}{'R':>7}{'F1':>7}{'ARI':>7}{'sub P':>8}{'R':>7}{'F1':>7}{'ARI':>7}{'stories':>9}"
    print(header)
    mode = "names+words" if not args.no_names else "words"
    for level, prefix, count in (("stories", "", "stories"), ("topics", "topics_", "topics")):
        for stat in ("mean", "min"):
            row = [result[f"incremental_{prefix}{k}_{stat}"] for k in _COLUMNS[:-1]]
            row.append(result[f"incremental_{count}_{stat}"])
            print(f"{f'incremental {level} ({mode}, {stat})':<42}" + _row(row))
    if not args.no_baseline:
        baseline = run_baseline(docs)
        result.update({f"baseline_{k}": v for k, v in baseline.items()})
        label = f"batch tf-idf+{baseline['linkage']} (t={baseline['threshold']:.2f})"
        print(f"{label:<42}" + _row([baseline[k] for k in _COLUMNS]))
    print(
        f"adding documents: {result['incremental_docs_per_s_mean']:.0f} docs/s (mean over shuffles); "
        f"changes per run: {', '.join(f'{k} {n / args.shuffles:.1f}' for k, n in sorted(changes.items()))}"
    )
    if args.scale:
        scaling = time_scaling(args.bodies, (1000, 10000), lead=not args.no_lead)
        result.update(scaling)
        print(
            f"one more document: {scaling['add_ms_at_1000']:.1f} ms at 1k documents, "
            f"{scaling['add_ms_at_10000']:.1f} ms at 10k (FNC-1 bodies, perturbed copies)"
        )
    result["peak_rss_mb"] = peak_rss_mb()
    print_metrics(result)
    return 0


_COLUMNS = (
    "topic_p",
    "topic_r",
    "topic_f1",
    "topic_ari",
    "substory_p",
    "substory_r",
    "substory_f1",
    "substory_ari",
    "stories",
)


def _row(values: list[float]) -> str:
    widths = (8, 7, 7, 7, 8, 7, 7, 7, 9)
    cells = [
        f"{v:>{w}.1f}" if i == 8 else f"{v:>{w}.3f}"
        for i, (v, w) in enumerate(zip(values, widths, strict=True))
    ]
    return "".join(cells)


if __name__ == "__main__":
    sys.exit(main())
