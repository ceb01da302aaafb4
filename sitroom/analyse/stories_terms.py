"""The term tables of the story clusterer's groups. Internal to :mod:`sitroom.analyse.stories`.

For each channel of a group (a story or a topic), a :class:`TermTable` holds the ids of the terms its
documents use, sorted, with each term's summed weight and the number of its documents that use it.
They are three parallel numpy arrays rather than dicts. A dict entry with its float costs about
90 bytes, and at 20,000 documents the groups held two million of them: 320 MB of a 511 MB clusterer.
An entry here costs 16 bytes.

A document's terms are looked up all at once, with one binary search of the table (numpy), and a
document is added with one merge.
"""

from __future__ import annotations

import numpy as np

IDS = np.int32  # term ids (the clusterer's vocabulary stays far below 2**31 terms)
COUNTS = np.int32
WEIGHTS = np.float64


def with_room(values: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    """``values`` with at least ``size`` slots: itself if it has them, else a copy at least twice as
    long with the new slots set to ``fill`` (an array indexed by term id as the vocabulary grows)."""
    if size <= len(values):
        return values
    grown = np.full(max(size, 2 * len(values)), fill, values.dtype)
    grown[: len(values)] = values
    return grown


class TermTable:
    """Sorted term ids (``ids``) with their summed weights (``sums``) and document counts
    (``counts``), parallel. Term ids added at once must be distinct (one document's, in one channel)."""

    __slots__ = ("counts", "ids", "sums")

    def __init__(
        self,
        ids: np.ndarray | None = None,
        sums: np.ndarray | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        self.ids = np.zeros(0, IDS) if ids is None else ids
        self.sums = np.zeros(0, WEIGHTS) if sums is None else sums
        self.counts = np.zeros(0, COUNTS) if counts is None else counts

    @classmethod
    def of(cls, ids: np.ndarray, sums: np.ndarray, counts: np.ndarray) -> TermTable:
        """A table of parallel arrays in any order (a saved state's, say), sorted by term id."""
        ids = np.asarray(ids, dtype=IDS)
        sums, counts = np.asarray(sums, dtype=WEIGHTS), np.asarray(counts, dtype=COUNTS)
        if len(ids) > 1 and not np.all(ids[1:] > ids[:-1]):  # a saved table comes sorted already
            order = np.argsort(ids, kind="stable")
            ids, sums, counts = ids[order], sums[order], counts[order]
        return cls(np.array(ids), np.array(sums), np.array(counts))  # arrays of its own, writable

    def __len__(self) -> int:
        return len(self.ids)

    def sums_at(self, ids: np.ndarray) -> np.ndarray:
        """The summed weight of each of ``ids`` (0 for a term the group does not use)."""
        positions, found = self._find(ids)
        return np.where(found, self.sums[positions], 0.0) if len(self.ids) else np.zeros(len(ids), WEIGHTS)

    def counts_at(self, ids: np.ndarray) -> np.ndarray:
        """The document count of each of ``ids`` (0 for a term the group does not use)."""
        positions, found = self._find(ids)
        return np.where(found, self.counts[positions], 0) if len(self.ids) else np.zeros(len(ids), COUNTS)

    def add(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Count in one document's terms (distinct ids) with their weights; returns the ids new to the
        table."""
        if not len(ids):
            return ids
        order = np.argsort(ids, kind="stable")
        ids, weights = ids[order], np.asarray(weights, dtype=WEIGHTS)[order]
        if not len(self.ids):
            self.ids, self.sums, self.counts = ids.astype(IDS), weights.copy(), np.ones(len(ids), COUNTS)
            return ids
        at = np.searchsorted(self.ids, ids)
        positions, found = self._find(ids, at)
        hit = positions[found]
        self.sums[hit] += weights[found]
        self.counts[hit] += 1
        fresh = ~found
        if fresh.any():
            where = at[fresh]
            self.ids = np.insert(self.ids, where, ids[fresh])
            self.sums = np.insert(self.sums, where, weights[fresh])
            self.counts = np.insert(self.counts, where, 1)
        return ids[fresh]

    def absorb(self, other: TermTable) -> None:
        """Add another group's table to this one (a merge)."""
        if not len(other.ids):
            return
        if not len(self.ids):
            self.ids, self.sums, self.counts = other.ids.copy(), other.sums.copy(), other.counts.copy()
            return
        ids = np.union1d(self.ids, other.ids).astype(IDS)
        sums = np.zeros(len(ids), WEIGHTS)
        counts = np.zeros(len(ids), COUNTS)
        mine, theirs = np.searchsorted(ids, self.ids), np.searchsorted(ids, other.ids)
        sums[mine] = self.sums
        counts[mine] = self.counts
        sums[theirs] += other.sums
        counts[theirs] += other.counts
        self.ids, self.sums, self.counts = ids, sums, counts

    def _find(self, ids: np.ndarray, at: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Each of ``ids``' position in the table (clipped to it) and whether the term is there."""
        if not len(self.ids):
            return np.zeros(len(ids), np.intp), np.zeros(len(ids), bool)
        positions = np.searchsorted(self.ids, ids) if at is None else at
        positions = np.minimum(positions, len(self.ids) - 1)
        return positions, self.ids[positions] == ids
