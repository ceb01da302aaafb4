"""Regrouping stories into topics, for :mod:`sitroom.analyse.stories`.

A document finds its topic when it arrives, on what was known then; a topic is a kind of event
(two celebrities entering rehab, two earthquakes), and a few documents are too little to tell a kind
of event from a field (two football stories: an injury, a playoff berth). Stories, once they hold a
few documents each, say it much better. So now and then the clusterer regroups its stories into
topics: story centroids are compared on their words, on the words of their leads, and above all on
the nouns of their leads (what happened: "rehab", "earthquake", "injury"), and average-link
agglomerative clustering cuts the dendrogram at a fixed similarity. Numpy and scipy: a few
milliseconds for a hundred stories, about a second (and 250 MB of scratch memory) for two
thousand, the most it is asked to regroup.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sitroom.analyse.stories_groups import StoryGroup


def topic_labels(
    stories: Sequence[StoryGroup],
    idf: np.ndarray,
    *,
    channel_weights: Sequence[float],
    threshold: float,
) -> list[int]:
    """Average-link clusters of ``stories`` (labels 0.., in order of first member) whose mean pairwise
    similarity reaches ``threshold``. A story's similarity to another is the weighted mean, over the
    channels both have terms in, of the cosines of their idf-weighted summed vectors."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse import csr_matrix

    n = len(stories)
    if n < 2:
        return [0] * n
    num = np.zeros((n, n))
    den = np.zeros((n, n))
    for channel, channel_weight in enumerate(channel_weights):
        if not channel_weight:
            continue
        indptr, indices, data = [0], [], []
        for story in stories:
            sums = story.sums[channel]
            indices.extend(sums)
            data.extend(sums.values())
            indptr.append(len(indices))
        matrix = csr_matrix((data, indices, indptr), shape=(n, len(idf)))
        matrix = matrix.multiply(idf[np.newaxis, :]).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        active = norms > 0
        norms[~active] = 1.0
        matrix = csr_matrix(matrix.multiply(1.0 / norms[:, np.newaxis]))
        both = np.outer(active, active)
        num += channel_weight * (matrix @ matrix.T).toarray() * both
        den += channel_weight * both
    similarity = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    np.fill_diagonal(similarity, 1.0)
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    condensed = distance[np.triu_indices(n, k=1)]
    raw = fcluster(linkage(condensed, method="average"), t=1.0 - threshold, criterion="distance")
    first: dict[int, int] = {}
    return [first.setdefault(int(label), len(first)) for label in raw]
