"""Train the cue proposer of sitroom's claims (``sitroom.extract.claims_cues``) and write its weights.

    python scripts/train_cues.py [--cache DIR]            # fit, choose the threshold, write the model
    python scripts/train_cues.py --dry-run               # print the figures, write nothing

Reads PolNeAR's training split only (``../shared/bench/attribution/train``; never dev or test). The
first ``--holdout`` texts in name order (150: the benchmark's ``--limit 150`` train sample) are left
out of everything here, so that sample stays a held-out check. Of the rest, the last fifth tunes the
threshold: a model fitted on the other four fifths scores its candidates, and the threshold is the one
that maximises the sum of the cue and content overlap F1 of the rules plus the proposals on that fifth.
The final model is then fitted on all the non-held-out texts with that threshold.

Candidates are the verbs and nouns outside every span the rules' drafts cover (``cue_candidates``);
a candidate is positive when it is the syntactic root of a gold cue span, and left out of training when
it is another word inside one ("pinned his *hopes* on"). Deterministic: a sorted feature vocabulary
and liblinear. Writes ``sitroom/data/cues/cue_model.json`` (weights of features seen at least
``--min-count`` times, rounded) and ``metrics.json``; no corpus text goes into either (feature strings
are lemmas, tags and dependency labels).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.attribution import GoldDoc, _parsed, read_corpus  # noqa: E402
from sitroom.extract.claims import extract_claims, rule_drafts  # noqa: E402
from sitroom.extract.claims_cues import (  # noqa: E402
    MODEL_FILE,
    CueModel,
    coverage,
    cue_candidates,
    cue_features,
    proposed_draft,
)
from sitroom.extract.claims_lexicon import load_attribution_lexicon  # noqa: E402
from sitroom.extract.claims_quotes import find_quotes  # noqa: E402
from sitroom.extract.claims_spans import TEXT_KEY  # noqa: E402
from sitroom.extract.claims_voice import VOICE_CUE  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "attribution" / "train"
OUT = ROOT / "sitroom" / "data" / "cues"

Span = tuple[int, int]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Example:
    """One document's candidates: features, labels and the drafts they would make, plus the rules'
    own cue and content spans, for choosing the threshold end to end."""

    def __init__(self, doc: GoldDoc, spacy_doc, mentions, lex) -> None:
        text = doc.text
        spacy_doc.user_data[TEXT_KEY] = text
        quotes = find_quotes(text)
        drafts = rule_drafts(spacy_doc, text, quotes, lex)
        gold_cues = [(f[0][0], f[-1][1]) for f in doc.spans.get("Cue", [])]
        roots = set()
        inside = set()
        for start, end in gold_cues:
            span = spacy_doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            roots.add(span.root.i)
            inside.update(t.i for t in span)
        self.features: list[list[str]] = []
        self.labels: list[int] = []
        self.proposals: list[tuple[Span, Span] | None] = []
        covered = coverage(spacy_doc, drafts, quotes)
        for token in cue_candidates(spacy_doc, covered, lex):
            if token.i in inside and token.i not in roots:
                continue
            self.features.append(cue_features(token, lex))
            self.labels.append(int(token.i in roots))
            draft = proposed_draft(token, lex, covered=covered)
            # as at run time, a proposal needs a content and a source
            self.proposals.append(
                None
                if draft is None or draft.source_head is None
                else ((draft.cue_start, draft.cue_end), (draft.content_start, draft.content_end))
            )
        claims = [
            c
            for c in extract_claims(
                text, spacy_doc, mentions=mentions, publisher=doc.name.split("_")[0], propose=False
            )
            if c.cue_lemma != VOICE_CUE
        ]
        self.rule_cues = sorted({(c.cue_start, c.cue_end) for c in claims if c.cue_start is not None})
        self.rule_contents = sorted({(c.content_start, c.content_end) for c in claims})
        self.gold_cues = gold_cues
        self.gold_contents = [(f[0][0], f[-1][1]) for f in doc.spans.get("Content", [])]


def _f1(tp: int, guessed: int, gold: int) -> float:
    p = tp / guessed if guessed else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _matches(pred: list[Span], gold: list[Span]) -> int:
    """Greedy one-to-one overlap matches (the benchmark matches largest overlap first; close enough
    for choosing a threshold)."""
    used: set[int] = set()
    hits = 0
    for p in pred:
        for j, g in enumerate(gold):
            if j not in used and _overlaps(p, g):
                used.add(j)
                hits += 1
                break
    return hits


def end_to_end(examples: list[Example], scores: list[list[float]], threshold: float) -> dict:
    """Cue and content overlap F1 of the rules plus the proposals scoring at least ``threshold``."""
    tally = Counter()
    for ex, doc_scores in zip(examples, scores, strict=True):
        chosen = [
            p for p, s in zip(ex.proposals, doc_scores, strict=True) if p is not None and s >= threshold
        ]
        cues = ex.rule_cues + [c for c, _ in chosen]
        contents = ex.rule_contents + [c for _, c in chosen]
        tally["cue_tp"] += _matches(cues, ex.gold_cues)
        tally["cue_pred"] += len(cues)
        tally["cue_gold"] += len(ex.gold_cues)
        tally["content_tp"] += _matches(contents, ex.gold_contents)
        tally["content_pred"] += len(contents)
        tally["content_gold"] += len(ex.gold_contents)
        tally["proposed"] += len(chosen)
    return {
        "threshold": threshold,
        "proposed": tally["proposed"],
        "cue_f1": round(_f1(tally["cue_tp"], tally["cue_pred"], tally["cue_gold"]), 4),
        "content_f1": round(_f1(tally["content_tp"], tally["content_pred"], tally["content_gold"]), 4),
    }


def fit(examples: list[Example], *, c: float, min_count: int) -> CueModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for ex in examples for feats in ex.features for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    keep = set(vocab)
    rows = [{f: 1.0 for f in feats if f in keep} for ex in examples for feats in ex.features]
    labels = [y for ex in examples for y in ex.labels]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(rows).tocsr()
    # liblinear takes 32-bit sparse indices only
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    model.fit(matrix, labels)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 1e-3
    }
    return CueModel(weights=weights, bias=round(float(model.intercept_[0]), 4), threshold=0.5)


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--holdout", type=int, default=150, help="first N texts left out (the bench sample)")
    parser.add_argument("--cache", type=Path, default=None, help="the attribution benchmark's parse cache")
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=None, help="read only the first N texts (a smoke test)")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    lex = load_attribution_lexicon()
    docs = read_corpus(args.data, limit=args.limit)[args.holdout :]
    examples = [Example(d, s, m, lex) for d, s, m in _parsed(docs, entities=True, cache=args.cache)]
    cut = len(examples) * 4 // 5
    fit_part, tune_part = examples[:cut], examples[cut:]
    print(f"{len(examples)} texts: {len(fit_part)} fit, {len(tune_part)} tune", flush=True)
    first = fit(fit_part, c=args.c, min_count=args.min_count)
    scores = [[first.probability(f) for f in ex.features] for ex in tune_part]
    curve = [end_to_end(tune_part, scores, t / 100) for t in range(20, 100, 5)]
    rules_only = end_to_end(tune_part, scores, 2.0)
    for row in [rules_only, *curve]:
        print(f"  threshold {row['threshold']:.2f}: {row}")
    best = max(curve, key=lambda r: (r["cue_f1"] + r["content_f1"], r["threshold"]))
    print(f"chosen threshold {best['threshold']:.2f}", flush=True)
    final = fit(examples, c=args.c, min_count=args.min_count)
    model = CueModel(weights=final.weights, bias=final.bias, threshold=best["threshold"])
    candidates = sum(len(ex.labels) for ex in examples)
    positives = sum(sum(ex.labels) for ex in examples)
    metrics = {
        "command": "python scripts/train_cues.py",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "git_commit": git_commit(),
        "data": "PolNeAR train split (../shared/bench/attribution/train)",
        "held_out_texts": args.holdout,
        "texts": len(examples),
        "candidates": candidates,
        "positives": positives,
        "options": {"c": args.c, "min_count": args.min_count, "solver": "liblinear"},
        "features": len(model.weights),
        "threshold": model.threshold,
        "tune_fold": {"texts": len(tune_part), "rules_only": rules_only, "curve": curve},
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps({k: v for k, v in metrics.items() if k != "tune_fold"}, indent=1))
    if args.dry_run:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "sitroom claims cue proposer (scripts/train_cues.py); logistic weights of string features",
        "bias": model.bias,
        "threshold": model.threshold,
        "weights": dict(sorted(model.weights.items())),
    }
    (args.out / MODEL_FILE).write_text(
        json.dumps(payload, indent=0, sort_keys=False) + "\n", encoding="utf-8"
    )
    (args.out / "metrics.json").write_text(
        json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out / MODEL_FILE} ({len(model.weights)} weights) and metrics.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
