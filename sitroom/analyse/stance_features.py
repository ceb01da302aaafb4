"""Features of a (claim, text) pair for the stance classifier (:mod:`sitroom.analyse.stance`).

Tokens and a light stemmer, the lexicons of ``sitroom/data/stance/`` (refuting, hedging, supporting and
negation words; stop words), the vocabulary (IDF and the shared term-frequency vocabulary), the one-off
analysis of a text (:class:`AnalysedText`) and the hand-made pair features named in
:data:`FEATURE_NAMES`: similarity, lexicon counts in the claim, the text, its best-matching sentences
and near the claim's words, polarity, and the topic-free refutation features of stance.v3 (does a
sentence that speaks to the claim debunk it; are the claim's words negated in the body). Pure Python
and numpy; the same code runs at training and prediction time.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from sitroom import yamlfile

LEXICON_FILES = ("lexicons.yaml", "stopwords.yaml")
LEXICON_CATEGORIES = ("refuting", "hedging", "supporting", "negation")
# Lists read only by the refutation features (stance.v3), not by the per-category counts.
REFUTATION_CATEGORIES = ("debunking", "reports", "contrast")

# Lead = the first sentences: news puts its stance on the claim up front ("X has denied reports that …").
LEAD_SENTENCES = 3
# Words either side of a claim word within which a lexicon hit counts as "about the claim".
WINDOW = 6
# Sentences taken as the ones that speak to the claim.
TOP_SENTENCES = 3
CHAR_N = 5

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'\u201d)\]]*\s+|\n+")


# --------------------------------------------------------------------------------------------------
# Lexicons and tokens


@dataclass(frozen=True)
class _WordList:
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]

    def positions(self, tokens: Sequence[str]) -> list[int]:
        """Token positions where a word or the first word of a phrase of this list occurs (sorted)."""
        hits = [i for i, tok in enumerate(tokens) if tok in self.words]
        if self.phrases:
            present = set(tokens)
            for phrase in self.phrases:
                if phrase[0] not in present:
                    continue
                n = len(phrase)
                hits.extend(
                    i
                    for i, tok in enumerate(tokens)
                    if tok == phrase[0] and tuple(tokens[i : i + n]) == phrase
                )
        return sorted(hits)


@dataclass(frozen=True)
class Lexicons:
    """Word lists read from ``sitroom/data/stance/``; ``digest`` pins them to a trained artefact."""

    lists: dict[str, _WordList]
    stopwords: frozenset[str]
    digest: str


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    folder = resources.files("sitroom") / "data" / "stance"
    raw = [folder.joinpath(name).read_text(encoding="utf-8") for name in LEXICON_FILES]
    lexicon, stop = (yamlfile.safe_load(text) for text in raw)
    lists = {}
    for category in LEXICON_CATEGORIES + REFUTATION_CATEGORIES:
        entries = [str(e).lower().translate(_APOSTROPHES) for e in lexicon[category]]
        lists[category] = _WordList(
            words=frozenset(e for e in entries if " " not in e),
            phrases=tuple(tuple(e.split()) for e in entries if " " in e),
        )
    digest = hashlib.sha1("\n".join(raw).encode("utf-8")).hexdigest()[:12]
    return Lexicons(lists=lists, stopwords=frozenset(stop["words"]), digest=digest)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; "didn't" stays one token so negations are seen whole."""
    return _TOKEN.findall(text.lower().translate(_APOSTROPHES))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A light suffix stripper: enough to match "denies"/"denied"/"deny" and plurals across texts.

    Porter would do slightly better but needs NLTK; over- or under-stemming only costs a little
    recall in the overlap features, and the same function runs at training and prediction time.
    """
    if token.endswith("'s"):
        token = token[:-2]
    if len(token) <= 3 or token.isdigit():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("ied") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("sses"):
        return token[:-2]
    if token.endswith("ing") and len(token) > 5:
        return token[:-3]
    if token.endswith("ed") and len(token) > 4:
        return token[:-2]
    if token.endswith("es") and len(token) > 4 and token[-3] in "sxz":
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


# --------------------------------------------------------------------------------------------------
# Vocabulary and text analysis


@dataclass(frozen=True)
class Vocabulary:
    """Inverse document frequencies (smoothed, as scikit-learn's) and the shared TF vocabulary."""

    idf: dict[str, float]
    unseen_idf: float
    tf_index: dict[str, int]

    @property
    def max_idf(self) -> float:
        return self.unseen_idf  # no seen term is rarer than an unseen one

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)


@dataclass
class AnalysedText:
    """One claim or body, analysed once: predict_many reuses a body across all its claims."""

    tokens: list[str]
    stems: list[str]  # aligned with tokens; "" for stop words
    sentences: list[tuple[int, int]]  # token ranges
    stem_set: set[str]
    bigrams: set[tuple[str, str]]
    tfidf: dict[str, float]  # L2-normalised
    lead_tfidf: dict[str, float]
    lead_stems: set[str]
    tf_ids: np.ndarray
    tf_values: np.ndarray  # L2-normalised term frequencies over the shared vocabulary
    hits: dict[str, list[int]]  # lexicon category -> token positions
    positions: dict[str, list[int]] = field(default_factory=dict)  # stem -> token positions
    chars: set[str] = field(default_factory=set)
    questions: int = 0
    # Each net's first layer times this text's TF, by (id of the layer's weights, offset): the same
    # text meets many others (a new document's claim against every candidate's), and its share of the
    # first layer is the costly part of a prediction. The weights are kept with it, so an id is
    # never another array's.
    tf_parts: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, compare=False, repr=False
    )


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _char_grams(tokens: Sequence[str]) -> set[str]:
    joined = " ".join(tokens)
    return {joined[i : i + CHAR_N] for i in range(len(joined) - CHAR_N + 1)}


def analyse_text(text: str, vocab: Vocabulary, lexicons: Lexicons) -> AnalysedText:
    """Tokens, stems, sentences, weighted vectors and lexicon hits of one text."""
    tokens: list[str] = []
    sentences: list[tuple[int, int]] = []
    for piece in _SENTENCE_BREAK.split(text or ""):
        words = tokenize(piece)
        if words:
            sentences.append((len(tokens), len(tokens) + len(words)))
            tokens.extend(words)
    stems = ["" if t in lexicons.stopwords else stem(t) for t in tokens]
    counts = Counter(s for s in stems if s)
    lead_end = sentences[min(LEAD_SENTENCES, len(sentences)) - 1][1] if sentences else 0
    lead_counts = Counter(s for s in stems[:lead_end] if s)
    positions: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        if s:
            positions.setdefault(s, []).append(i)
    content = [s for s in stems if s]
    tf = sorted((vocab.tf_index[s], c) for s, c in counts.items() if s in vocab.tf_index)
    tf_ids = np.array([i for i, _ in tf], dtype=np.int64)
    tf_values = np.array([c for _, c in tf], dtype=np.float32)
    if tf_values.size:
        tf_values /= np.linalg.norm(tf_values)
    return AnalysedText(
        tokens=tokens,
        stems=stems,
        sentences=sentences,
        stem_set=set(counts),
        bigrams=set(zip(content, content[1:], strict=False)),
        tfidf=_normalised({s: c * vocab.weight(s) for s, c in counts.items()}),
        lead_tfidf=_normalised({s: c * vocab.weight(s) for s, c in lead_counts.items()}),
        lead_stems=set(lead_counts),
        tf_ids=tf_ids,
        tf_values=tf_values,
        hits={cat: words.positions(tokens) for cat, words in lexicons.lists.items()},
        positions=positions,
        chars=_char_grams(tokens),
        questions=(text or "").count("?"),
    )


# --------------------------------------------------------------------------------------------------
# Pair features

SIMILARITY_FEATURES = (
    "cos_tfidf",
    "cos_tfidf_lead",
    "cov_idf",
    "cov_plain",
    "cov_bigram",
    "cov_char5",
    "jaccard",
    "cov_idf_lead",
    "sent_cov_max",
    "sent_cov_top3",
    "sent_related_frac",
    "cos_tf_shared",
    "missing_idf_max",
    "log_body_len",
    "log_claim_len",
)
LEXICON_FEATURES = tuple(
    f"{where}_{cat}"
    for cat in LEXICON_CATEGORIES
    for where in ("claim", "body", "body_rate", "top", "window", "lead")
)
POLARITY_FEATURES = (
    "claim_refuting_odd",
    "top_refuting_odd",
    "claim_negation_odd",
    "top_negation_odd",
    "negation_parity_differs",
    "claim_question",
    "body_question_rate",
)
# Topic-free refutation features (stance.v3): does a sentence that speaks to the claim debunk it?
# Disagree is ~2 % of FNC-1 pairs and, on topics never seen in training, the term-frequency inputs
# only learn which stories were hoaxes; these ask about the article's relation to the claim instead.
REFUTATION_FEATURES = (
    "debunk_claim",
    "debunk_rate",
    "debunk_first",
    "debunk_lead",
    "debunk_top",
    "debunk_window",
    "debunk_cover_max",
    "debunk_report_sentences",
    "debunk_report_lead",
    "support_cover_max",
    "hedge_cover_max",
    "contrast_top",
    "negation_near_claim",
    "best_negation_differs",
    "claim_hedge_or_question",
)
FEATURE_NAMES = SIMILARITY_FEATURES + LEXICON_FEATURES + POLARITY_FEATURES + REFUTATION_FEATURES
# Words either side of a claim word within which a negation counts as negating it ("did not crash").
NEGATION_REACH = 3


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _count_in(positions: list[int], start: int, end: int) -> int:
    return bisect.bisect_left(positions, end) - bisect.bisect_left(positions, start)


def pair_features(claim: AnalysedText, body: AnalysedText, vocab: Vocabulary) -> np.ndarray:
    """The hand-made features of one (claim, body) pair, in the order of :data:`FEATURE_NAMES`."""
    claim_terms = claim.stem_set
    claim_weight = sum(vocab.weight(t) for t in claim_terms) or 1.0
    shared = claim_terms & body.stem_set
    missing = claim_terms - body.stem_set

    sentence_cover = []
    for start, end in body.sentences:
        words = {s for s in body.stems[start:end] if s}
        sentence_cover.append(sum(vocab.weight(t) for t in claim_terms & words) / claim_weight)
    order = sorted(range(len(sentence_cover)), key=lambda i: -sentence_cover[i])[:TOP_SENTENCES]
    top = [body.sentences[i] for i in order if sentence_cover[i] > 0]
    top_cover = [sentence_cover[i] for i in order]

    lead_end = body.sentences[min(2, len(body.sentences)) - 1][1] if body.sentences else 0
    claim_positions = sorted(p for t in shared for p in body.positions.get(t, ()))
    n_body = max(len(body.tokens), 1)

    similarity = [
        _dot(claim.tfidf, body.tfidf),
        _dot(claim.tfidf, body.lead_tfidf),
        sum(vocab.weight(t) for t in shared) / claim_weight,
        len(shared) / max(len(claim_terms), 1),
        len(claim.bigrams & body.bigrams) / max(len(claim.bigrams), 1),
        len(claim.chars & body.chars) / max(len(claim.chars), 1),
        len(shared) / max(len(claim_terms | body.stem_set), 1),
        sum(vocab.weight(t) for t in claim_terms & body.lead_stems) / claim_weight,
        max(sentence_cover, default=0.0),
        float(np.mean(top_cover)) if top_cover else 0.0,
        sum(c >= 0.3 for c in sentence_cover) / max(len(sentence_cover), 1),
        _shared_tf_cosine(claim, body),
        max((vocab.weight(t) for t in missing), default=0.0) / vocab.max_idf,
        math.log1p(len(body.tokens)),
        math.log1p(len(claim.tokens)),
    ]

    lexical = []
    counts: dict[str, tuple[int, int]] = {}
    for cat in LEXICON_CATEGORIES:
        hits = body.hits[cat]
        in_claim = len(claim.hits[cat])
        in_top = sum(_count_in(hits, s, e) for s, e in top)
        in_window = sum(1 for p in hits if _count_in(claim_positions, p - WINDOW, p + WINDOW + 1) > 0)
        counts[cat] = (in_claim, in_top)
        lexical += [
            min(in_claim, 3),
            math.log1p(len(hits)),
            100.0 * len(hits) / n_body,
            math.log1p(in_top),
            math.log1p(in_window),
            math.log1p(_count_in(hits, 0, lead_end)),
        ]

    polarity = [
        counts["refuting"][0] % 2,
        counts["refuting"][1] % 2,
        counts["negation"][0] % 2,
        counts["negation"][1] % 2,
        float(counts["negation"][0] % 2 != counts["negation"][1] % 2),
        float(claim.questions > 0),
        100.0 * body.questions / n_body,
    ]
    refutation = _refutation_features(claim, body, sentence_cover, top, claim_positions)
    return np.array(similarity + lexical + polarity + refutation, dtype=np.float32)


def _refutation_features(
    claim: AnalysedText,
    body: AnalysedText,
    sentence_cover: list[float],
    top: list[tuple[int, int]],
    claim_positions: list[int],
) -> list[float]:
    """The :data:`REFUTATION_FEATURES` of one pair (``sentence_cover``: claim coverage per sentence)."""
    debunk, reports = body.hits["debunking"], body.hits["reports"]
    n_body = max(len(body.tokens), 1)
    lead_end = body.sentences[min(2, len(body.sentences)) - 1][1] if body.sentences else 0
    first_end = body.sentences[0][1] if body.sentences else 0

    # Per sentence: does it debunk, name the claim as a report, and how much of the claim does it cover.
    debunk_cover = support_cover = hedge_cover = 0.0
    debunk_report = debunk_report_lead = 0
    for (start, end), cover in zip(body.sentences, sentence_cover, strict=True):
        if _count_in(debunk, start, end):
            debunk_cover = max(debunk_cover, cover)
            if _count_in(reports, start, end) or cover >= 0.3:
                debunk_report += 1
                debunk_report_lead += start < lead_end
        if _count_in(body.hits["supporting"], start, end):
            support_cover = max(support_cover, cover)
        if _count_in(body.hits["hedging"], start, end):
            hedge_cover = max(hedge_cover, cover)

    # Negations right next to a claim word in the sentences that speak to the claim ("was not killed").
    negations = body.hits["negation"]
    near = sum(
        1
        for p in claim_positions
        if any(s <= p < e for s, e in top)
        and _count_in(negations, p - NEGATION_REACH, p + NEGATION_REACH + 1)
    )
    best = top[0] if top else (0, 0)
    claim_negated = bool(claim.hits["negation"])
    best_negated = _count_in(negations, *best) > 0
    in_window = sum(1 for p in debunk if _count_in(claim_positions, p - WINDOW, p + WINDOW + 1) > 0)
    return [
        float(min(len(claim.hits["debunking"]), 2)),
        100.0 * len(debunk) / n_body,
        float(_count_in(debunk, 0, first_end) > 0),
        math.log1p(_count_in(debunk, 0, lead_end)),
        math.log1p(sum(_count_in(debunk, s, e) for s, e in top)),
        math.log1p(in_window),
        debunk_cover,
        math.log1p(debunk_report),
        float(debunk_report_lead),
        support_cover,
        hedge_cover,
        math.log1p(sum(_count_in(body.hits["contrast"], s, e) for s, e in top)),
        math.log1p(near),
        float(bool(top) and claim_negated != best_negated),
        float(claim.questions > 0 or bool(claim.hits["hedging"])),
    ]


def _shared_tf_cosine(claim: AnalysedText, body: AnalysedText) -> float:
    common, ci, bi = np.intersect1d(claim.tf_ids, body.tf_ids, assume_unique=True, return_indices=True)
    return float(claim.tf_values[ci] @ body.tf_values[bi]) if common.size else 0.0


# --------------------------------------------------------------------------------------------------
# Vocabulary and features of a training set (no scikit-learn: that stays in stance.train_stance)


def build_vocabulary(texts: Iterable[str], *, tf_size: int = 5000, min_df: int = 2) -> Vocabulary:
    """IDF over distinct texts (terms in at least ``min_df``) and the ``tf_size`` most frequent terms."""
    stop = load_lexicons().stopwords
    df: Counter[str] = Counter()
    total: Counter[str] = Counter()
    n = 0
    for text in dict.fromkeys(texts):
        terms = [stem(t) for t in tokenize(text) if t not in stop]
        df.update(set(terms))
        total.update(terms)
        n += 1
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items() if d >= min_df}
    frequent = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:tf_size]
    return Vocabulary(
        idf=idf,
        unseen_idf=math.log(1 + n) + 1.0,
        tf_index={t: i for i, t in enumerate(sorted(t for t, _ in frequent))},
    )


def featurise(
    pairs: Sequence[tuple[str, str]], vocab: Vocabulary
) -> tuple[np.ndarray, list[AnalysedText], list[AnalysedText]]:
    """Hand features of every pair, with the analysed claims and bodies (each text analysed once)."""
    lexicons = load_lexicons()
    cache: dict[str, AnalysedText] = {}

    def analysed(text: str) -> AnalysedText:
        if text not in cache:
            cache[text] = analyse_text(text, vocab, lexicons)
        return cache[text]

    claims = [analysed(c) for c, _ in pairs]
    bodies = [analysed(b) for _, b in pairs]
    hand = np.vstack([pair_features(c, b, vocab) for c, b in zip(claims, bodies, strict=True)])
    return hand, claims, bodies
