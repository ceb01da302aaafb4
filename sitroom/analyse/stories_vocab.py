"""The story clusterer's vocabulary: term <-> id for every term the corpus has used. Internal to
:mod:`sitroom.analyse.stories`.

A vocabulary of half a million terms (20,000 documents) cost 65 MB as a dict of strings to ids: the
string objects alone were 36 MB, each id an int object of its own. Here the terms are one UTF-8
buffer with the end offset of each (term ``i`` is ``buffer[ends[i - 1]:ends[i]]``), and a term is
found by its hash. The hashes of all terms are kept sorted, with their ids beside them, and one
binary search looks up all of a document's terms at once. Each hit is checked against the stored
bytes, so two terms with the same hash stay apart. Terms added since the hashes were last sorted are
held in a small dict, folded in when it has grown by a sixteenth of the vocabulary. A term costs
about 30 bytes instead of 130.

The hash is a polynomial over a term's UTF-8 bytes (:func:`byte_hashes`), computed with numpy for many
terms at once and the same in every process: a saved vocabulary is read back as its buffer and
offsets (:meth:`Vocabulary.packed`, :meth:`Vocabulary.extend_packed`) without a Python object per term.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np

_MULTIPLIER = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, so no byte's weight vanishes


def byte_hashes(data: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The 64-bit hash of each term of ``data`` (UTF-8 bytes, uint8) ending at ``ends``: the sum of
    its bytes, each times the multiplier to the power of its distance from the term's last byte,
    modulo 2**64 (an empty term hashes to 0)."""
    ends = np.asarray(ends, dtype=np.int64)
    hashes = np.zeros(len(ends), np.uint64)
    if not len(ends) or not len(data):
        return hashes.view(np.int64)
    starts = np.concatenate(([0], ends[:-1]))
    lengths = ends - starts
    filled = lengths > 0
    # M**0, M**1, … M**(longest - 1), wrapping modulo 2**64 as uint64 arithmetic does
    steps = np.full(int(lengths.max()), _MULTIPLIER, np.uint64)
    steps[0] = 1
    powers = np.cumprod(steps, dtype=np.uint64)
    term_of = np.repeat(np.arange(len(ends)), lengths)
    distance = ends[term_of] - 1 - np.arange(len(data))
    with np.errstate(over="ignore"):
        weighted = data.astype(np.uint64) * powers[distance]
    hashes[filled] = np.add.reduceat(weighted, starts[filled])
    return hashes.view(np.int64)


def _hashes_match(text: np.ndarray, ends: np.ndarray, hashes: np.ndarray, *, sample: int = 64) -> bool:
    """Whether ``hashes`` are the :func:`byte_hashes` of up to ``sample`` terms spread over ``text``."""
    if not len(ends):
        return True
    picked = np.unique(np.linspace(0, len(ends) - 1, min(sample, len(ends))).astype(np.int64))
    starts = np.concatenate(([0], ends[:-1]))[picked]
    lengths = ends[picked] - starts
    pieces = [text[s : s + n] for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
    expected = byte_hashes(np.concatenate(pieces) if pieces else text[:0], np.cumsum(lengths))
    return bool(np.array_equal(expected, np.asarray(hashes, dtype=np.int64)[picked]))


def _encoded_hashes(encoded: Sequence[bytes]) -> np.ndarray:
    """:func:`byte_hashes` of terms given as their UTF-8 bytes each."""
    ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    return byte_hashes(np.frombuffer(b"".join(encoded), np.uint8), ends)


class Vocabulary:
    """Terms numbered 0, 1, … in the order they were first seen."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._buffer = bytearray()
        self._ends = array("q")
        self._hashes = np.zeros(0, np.int64)  # sorted
        self._ids = np.zeros(0, np.int32)  # the id of each of _hashes' terms
        self._recent: dict[str, int] = {}  # terms added since the hashes were last sorted
        # Hashes and ids of terms read back (extend_packed), sorted in with the others all at once
        # when first needed: a vocabulary read in eleven parts was sorted eleven times.
        self._unsorted: list[tuple[np.ndarray, np.ndarray]] = []
        self.extend(terms)

    def __len__(self) -> int:
        return len(self._ends)

    def _span(self, term_id: int) -> tuple[int, int]:
        return (self._ends[term_id - 1] if term_id else 0), self._ends[term_id]

    def term(self, term_id: int) -> str:
        start, end = self._span(term_id)
        return self._buffer[start:end].decode("utf-8")

    def terms(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The terms with ids from ``start`` up to ``stop`` (the end), in id order."""
        return [self.term(i) for i in range(start, len(self) if stop is None else min(stop, len(self)))]

    def packed(self, start: int = 0, stop: int | None = None) -> tuple[bytes, np.ndarray]:
        """The terms with ids from ``start`` up to ``stop`` as their UTF-8 bytes and the offset where
        each ends in them (what :meth:`extend_packed` reads)."""
        stop = len(self) if stop is None else min(stop, len(self))
        if start >= stop:
            return b"", np.zeros(0, np.int64)
        first = self._ends[start - 1] if start else 0
        ends = np.frombuffer(self._ends, np.int64)[start:stop] - first
        return bytes(self._buffer[first : self._ends[stop - 1]]), ends

    def hashes(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """The :func:`byte_hashes` of the terms with ids from ``start`` up to ``stop``, in id order:
        saved beside :meth:`packed`'s terms, they spare :meth:`extend_packed` hashing every term of
        a vocabulary read back (a tenth of a second at 20,000 documents)."""
        self._fold()
        by_id = np.empty(len(self), np.int64)
        by_id[self._ids] = self._hashes
        return by_id[start:stop]

    def extend(self, terms: Iterable[str]) -> None:
        """Number terms known to be new, in order."""
        encoded = [term.encode("utf-8") for term in terms]
        self.extend_packed(b"".join(encoded), np.cumsum([len(e) for e in encoded], dtype=np.int64))

    def extend_packed(self, data: bytes, ends: np.ndarray, hashes: np.ndarray | None = None) -> None:
        """Number terms known to be new, in order, given as :meth:`packed` gives them (a saved
        vocabulary read back), with their :meth:`hashes` if they were saved (a sample of them is
        checked against the terms: hashes of another function would lose every term)."""
        start, offset = len(self), len(self._buffer)
        ends = np.asarray(ends, dtype=np.int64)
        if len(ends) and ends[-1] != len(data):
            raise ValueError(
                f"E060: {len(ends)} terms end at {int(ends[-1])}, their text has {len(data)} bytes"
            )
        text = np.frombuffer(data, np.uint8)
        if hashes is None:
            hashes = byte_hashes(text, ends)
        elif len(hashes) != len(ends) or not _hashes_match(text, ends, hashes):
            raise ValueError(f"E060: the saved hashes of {len(ends)} terms are not those of their text")
        self._buffer += data
        self._ends.frombytes((ends + offset).tobytes())
        self._unsorted.append(
            (np.asarray(hashes, dtype=np.int64), np.arange(start, len(self), dtype=np.int32))
        )

    def ids(self, terms: Sequence[str]) -> list[int]:
        """The id of each of ``terms``, numbering the new ones as they come."""
        found: list[int | None] = [None] * len(terms)
        if self._unsorted:
            self._fold()
        if len(self._hashes) and terms:
            encoded = [term.encode("utf-8") for term in terms]
            hashes = _encoded_hashes(encoded)
            positions = np.searchsorted(self._hashes, hashes)
            clipped = np.minimum(positions, len(self._hashes) - 1)
            hits = np.flatnonzero(self._hashes[clipped] == hashes).tolist()
            candidates = self._ids[clipped].tolist()
            for index in hits:
                start, end = self._span(candidates[index])
                if self._buffer[start:end] == encoded[index]:
                    found[index] = candidates[index]
                else:  # another term with the same hash comes first
                    found[index] = self._probe(encoded[index], int(hashes[index]), int(positions[index]))
        recent = self._recent
        for index, term_id in enumerate(found):
            if term_id is None:
                term = terms[index]
                term_id = recent.get(term)
                found[index] = term_id if term_id is not None else self._append(term)
        if len(recent) > max(4096, len(self) // 16):
            self._fold()
        return found  # type: ignore[return-value]

    def _append(self, term: str) -> int:
        term_id = len(self._ends)
        self._buffer += term.encode("utf-8")
        self._ends.append(len(self._buffer))
        self._recent[term] = term_id
        return term_id

    def _probe(self, encoded: bytes, term_hash: int, position: int) -> int | None:
        """The id of the term of bytes ``encoded`` among the sorted terms whose hash is
        ``term_hash`` (from ``position`` on)."""
        while position < len(self._hashes) and self._hashes[position] == term_hash:
            term_id = int(self._ids[position])
            start, end = self._span(term_id)
            if self._buffer[start:end] == encoded:
                return term_id
            position += 1
        return None

    def _fold(self) -> None:
        """Sort the recent terms' hashes, and those of terms read back, in with the others."""
        pending, self._unsorted = self._unsorted, []
        if self._recent:
            recent, self._recent = self._recent, {}
            pending.append(
                (
                    _encoded_hashes([term.encode("utf-8") for term in recent]),
                    np.fromiter(recent.values(), np.int32, len(recent)),
                )
            )
        if not pending:
            return
        hashes = np.concatenate([self._hashes, *(h for h, _ in pending)])
        ids = np.concatenate([self._ids, *(i for _, i in pending)])
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._ids = hashes[order], ids[order]
