"""Groups of related snippets for an honest cross-validation of the event-type classifier.

Plain stratified k-fold puts near-copies of one wire story (the same sentences reworded by two outlets,
or two snippets cut from one article) on both sides of a fold: the model is then scored on wording it was
trained on, which a held-out set of new stories does not offer. :func:`snippet_groups` joins two snippets
when they share wording (cosine of stop-word-free TF-IDF word vectors at least ``min_cosine``) or a story
(at least ``min_names`` rare capitalised names in common: places, people and groups named in at most
``max_name_df`` snippets); groups are the connected components. Grouped folds keep every group whole, so
the same wording, event or local cast of names never sits in train and test at once; the figure that
results is lower than plain CV and closer to what new stories get.

Training time only (scikit-learn); the thresholds were set a priori from reading a sample of the pairs
they join, not by what they do to the score.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Sequence

import numpy as np

_NAME = re.compile(r"\b[A-Z][A-Za-z'-]{2,}\b")


def snippet_groups(
    texts: Sequence[str], *, min_cosine: float = 0.3, min_names: int = 2, max_name_df: int = 4
) -> list[int]:
    """A group number per text (0, 1, … in order of first appearance); related texts share one."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    if not texts:
        return []
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    similar = (vectors @ vectors.T).toarray() >= min_cosine
    names = [{n for n in _NAME.findall(t) if n.lower() not in ENGLISH_STOP_WORDS} for t in texts]
    df = Counter(n for found in names for n in found)
    rare = [{n for n in found if df[n] <= max_name_df} for found in names]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if similar[i, j] or len(rare[i] & rare[j]) >= min_names:
                parent[root(i)] = root(j)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root(i), len(numbers)) for i in range(len(texts))]


def grouped_splits(labels: Sequence[str], groups: Sequence[int], folds: int, seed: int):
    """Stratified k-fold that never splits a group (scikit-learn's StratifiedGroupKFold, shuffled)."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        return list(splitter.split(np.zeros(len(labels)), labels, groups))
