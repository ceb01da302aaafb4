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
from sitroom.analyse.stories_regroup import average_link_labels, similarity_matrix


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
    n = len(stories)
    if n < 2:
        return [0] * n
    rows = [[(table.ids, table.sums) for table in story.tables] for story in stories]
    similarity = similarity_matrix(rows, channel_weights, lambda channel, ids: idf[ids])
    first: dict[int, int] = {}
    return [first.setdefault(label, len(first)) for label in average_link_labels(similarity, threshold)]
