"""The story clusterer's vocabulary: term <-> id for every term the corpus has used. Internal to
:mod:`sitroom.analyse.stories`.

A vocabulary of half a million terms (20,000 documents) cost 65 MB as a dict of strings to ids: the
string objects alone were 36 MB, each id an int object of its own. Here the terms are one UTF-8
buffer with the end offset of each (term ``i`` is ``buffer[ends[i - 1]:ends[i]]``), and a term is
found by its hash. The hashes of all terms are kept sorted, with their ids beside them, and one
binary search looks up all of a document's terms at once. Each hit is checked against the stored
text, so two terms with the same hash stay apart. Terms added since the hashes were last sorted are
held in a small dict, folded in when it has grown by a sixteenth of the vocabulary. A term costs
about 30 bytes instead of 130.

Python's string hash is salted per process, so the hashes are computed again when a vocabulary is
read back (:meth:`Vocabulary.extend`) or unpickled. They are never stored.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np


class Vocabulary:
    """Terms numbered 0, 1, … in the order they were first seen."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._buffer = bytearray()
        self._ends = array("q")
        self._hashes = np.zeros(0, np.int64)  # sorted
        self._ids = np.zeros(0, np.int32)  # the id of each of _hashes' terms
        self._recent: dict[str, int] = {}  # terms added since the hashes were last sorted
        self.extend(terms)

    def __len__(self) -> int:
        return len(self._ends)

    def term(self, term_id: int) -> str:
        start = self._ends[term_id - 1] if term_id else 0
        return self._buffer[start : self._ends[term_id]].decode("utf-8")

    def terms(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The terms with ids from ``start`` up to ``stop`` (the end), in id order."""
        return [self.term(i) for i in range(start, len(self) if stop is None else min(stop, len(self)))]

    def extend(self, terms: Iterable[str]) -> None:
        """Number terms known to be new, in order (a saved vocabulary read back)."""
        self._fold()
        start, hashes = len(self), array("q")
        for term in terms:
            hashes.append(hash(term))
            self._buffer += term.encode("utf-8")
            self._ends.append(len(self._buffer))
        self._merge(np.frombuffer(hashes, np.int64), np.arange(start, len(self), dtype=np.int32))

    def ids(self, terms: Sequence[str]) -> list[int]:
        """The id of each of ``terms``, numbering the new ones as they come."""
        found: list[int | None] = [None] * len(terms)
        if len(self._hashes) and terms:
            hashes = np.fromiter(map(hash, terms), np.int64, len(terms))
            positions = np.searchsorted(self._hashes, hashes)
            clipped = np.minimum(positions, len(self._hashes) - 1)
            hits = np.flatnonzero(self._hashes[clipped] == hashes).tolist()
            candidates = self._ids[clipped].tolist()
            for index in hits:
                term = terms[index]
                if self.term(candidates[index]) == term:
                    found[index] = candidates[index]
                else:  # another term with the same hash comes first
                    found[index] = self._probe(term, int(hashes[index]), int(positions[index]))
        recent = self._recent
        for index, term_id in enumerate(found):
            if term_id is None:
                term = terms[index]
                term_id = recent.get(term)
                found[index] = term_id if term_id is not None else self._append(term)
        if len(recent) > max(4096, len(self) // 16):
            self._fold()
        return found  # type: ignore[return-value]

    def __getstate__(self) -> dict:
        # The hashes are this process's (salted): another process computes its own.
        return {"buffer": self._buffer, "ends": self._ends}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self._buffer, self._ends = state["buffer"], state["ends"]
        self._merge(
            np.fromiter((hash(self.term(i)) for i in range(len(self))), np.int64, len(self)),
            np.arange(len(self), dtype=np.int32),
        )

    def _append(self, term: str) -> int:
        term_id = len(self._ends)
        self._buffer += term.encode("utf-8")
        self._ends.append(len(self._buffer))
        self._recent[term] = term_id
        return term_id

    def _probe(self, term: str, term_hash: int, position: int) -> int | None:
        """``term``'s id among the sorted terms whose hash is ``term_hash`` (from ``position`` on)."""
        while position < len(self._hashes) and self._hashes[position] == term_hash:
            term_id = int(self._ids[position])
            if self.term(term_id) == term:
                return term_id
            position += 1
        return None

    def _fold(self) -> None:
        """Sort the recent terms' hashes in with the others."""
        if self._recent:
            recent, self._recent = self._recent, {}
            self._merge(
                np.fromiter(map(hash, recent), np.int64, len(recent)),
                np.fromiter(recent.values(), np.int32, len(recent)),
            )

    def _merge(self, hashes: np.ndarray, ids: np.ndarray) -> None:
        if not len(hashes):
            return
        hashes = np.concatenate([self._hashes, hashes])
        ids = np.concatenate([self._ids, ids])
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._ids = hashes[order], ids[order]
