"""The bookkeeping behind the story clusterer: documents as sparse vectors, and groups of them
(stories and topics) with their term tables (:mod:`sitroom.analyse.stories_terms`: summed vectors and
per-term document counts). Internal to :mod:`sitroom.analyse.stories`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from sitroom.analyse.stories_terms import IDS, TermTable, with_room

# Channels of a document's vectors: its words, entity keys, place keys, the words of its lead (title
# and first lines) and the nouns of its lead (see sitroom.analyse.stories_lead).
CHANNELS = ("text", "entities", "places", "lead", "event")

Vector = tuple[np.ndarray, np.ndarray]  # (term ids, unit weights), parallel
Span = tuple[int, int]
# A term weighting: (channel, term ids) -> the weight of each term (idf, idf contrasted within a topic…).
Weigh = Callable[[int, np.ndarray], np.ndarray]
_G = TypeVar("_G", bound="Group")


# A document's weights are kept in single precision: they are a unit vector's components (7 digits
# are plenty), every sum of them is taken in double precision, and they are the bulk of what the
# clusterer holds for each document (40 of its 62 MB at 20,000 documents, in double precision).
DOC_WEIGHTS = np.float32


@dataclass(slots=True)
class DocRecord:
    """One document as the clusterer keeps it. Its vectors are packed: the term ids and weights
    (:data:`DOC_WEIGHTS`) of every channel in one array each, channel ``c`` from ``bounds[c]`` to
    ``bounds[c + 1]`` (two arrays a document rather than ten). A clusterer with a vector store
    (:meth:`StoryClusterer.from_parts`) keeps the vectors of ``saved`` records there and holds them
    only while it needs them (``ids`` is None otherwise)."""

    id: str
    seq: int
    story: str
    title: str
    published: str | None
    span: Span | None
    ids: np.ndarray | None = None
    weights: np.ndarray | None = None
    bounds: tuple[int, ...] = ()
    saved: bool = False  # its vectors are in the clusterer's vector store

    @classmethod
    def of(
        cls,
        *,
        id: str,  # noqa: A002 - the field's name
        seq: int,
        story: str,
        title: str,
        published: str | None,
        span: Span | None,
        vectors: Sequence[tuple[Sequence[int], Sequence[float]]] | None,
        saved: bool = False,
    ) -> DocRecord:
        """A record with its vectors, one (term ids, weights) per channel (None: in the store)."""
        record = cls(id=id, seq=seq, story=story, title=title, published=published, span=span, saved=saved)
        if vectors is not None:
            record.hold(vectors)
        return record

    def hold(self, vectors: Sequence[tuple[Sequence[int], Sequence[float]]]) -> None:
        """Keep ``vectors`` (one (term ids, weights) per channel), packed."""
        bounds = [0]
        for ids, _ in vectors:
            bounds.append(bounds[-1] + len(ids))
        self.ids = np.concatenate([np.asarray(ids, dtype=IDS) for ids, _ in vectors])
        self.weights = np.concatenate([np.asarray(weights, dtype=DOC_WEIGHTS) for _, weights in vectors])
        self.bounds = tuple(bounds)

    def release(self) -> None:
        """Drop the vectors (a saved record's: the store has them)."""
        self.ids = self.weights = None
        self.bounds = ()

    @property
    def held(self) -> bool:
        return self.ids is not None

    def vector(self, channel: int) -> Vector:
        if self.ids is None or self.weights is None:
            raise LookupError(f"the vectors of {self.id} are in the store, not loaded")
        start, end = self.bounds[channel], self.bounds[channel + 1]
        return self.ids[start:end], self.weights[start:end]

    @property
    def vectors(self) -> list[Vector]:
        return [self.vector(channel) for channel in range(len(CHANNELS))]


@dataclass
class Group:
    """A set of documents with a term table per channel: a story or a topic."""

    id: str
    seq: int
    docs: list[str] = field(default_factory=list)
    tables: list[TermTable] = field(default_factory=lambda: [TermTable() for _ in CHANNELS])
    span: Span | None = None
    norms: list[float | None] = field(default_factory=lambda: [None] * len(CHANNELS))
    norm_n: int = 0

    def add(self, record: DocRecord) -> np.ndarray:
        """Count a document in; returns the term ids new to this group."""
        self.docs.append(record.id)
        fresh = [table.add(*record.vector(channel)) for channel, table in enumerate(self.tables)]
        self.span = union_spans(self.span, record.span)
        self.changed()
        return np.concatenate(fresh)

    def absorb(self, other: Group) -> None:
        self.docs.extend(other.docs)
        for table, theirs in zip(self.tables, other.tables, strict=True):
            table.absorb(theirs)
        self.span = union_spans(self.span, other.span)
        self.changed()

    def term_ids(self) -> np.ndarray:
        """Every term the group's documents use (each once)."""
        return np.concatenate([table.ids for table in self.tables])

    def changed(self) -> None:
        """Forget what was computed from the members (they changed)."""
        self.norms = [None] * len(CHANNELS)


@dataclass
class StoryGroup(Group):
    topic: str = ""
    next_check: int = 0
    merged_from: list[str] = field(default_factory=list)
    split_from: str | None = None
    # The squared norm per channel under its topic's contrast (``StoryClusterer._contrast``), and the
    # (topic id, topic size, corpus size) it was summed at: reused while neither has changed by more
    # than a tenth, as a group's ``norms`` are, so that scoring a document against a large story costs
    # in proportion to the document, not to the story.
    contrast: list[float] | None = None
    contrast_at: tuple[str, int, int] | None = None
    # Its most central document and its cohesion (``StoryClusterer._describe``), and the (story size,
    # corpus size) they were computed at: kept while the story and the corpus have changed by less
    # than a tenth and that document is still in the story, so describing a large story after each
    # join costs a pass over its members only now and then (and its title does not flicker).
    central: tuple[str, float, int, int] | None = None

    def changed(self) -> None:
        super().changed()
        self.contrast = None
        self.contrast_at = None


@dataclass
class TopicGroup(Group):
    stories: list[str] = field(default_factory=list)
    merged_from: list[str] = field(default_factory=list)
    next_regroup: int = 0  # re-cluster the topic's stories when it holds this many documents


def union_spans(a: Span | None, b: Span | None) -> Span | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


def scratch_story(records: list[DocRecord]) -> StoryGroup:
    """A throw-away story over some documents (for bisection); not indexed, not registered."""
    story = StoryGroup(id="", seq=0)
    for record in records:
        story.add(record)
    return story


def summed_vectors(group: Group) -> list[Vector]:
    """A group's summed vectors in the shape of a document's, to compare two groups."""
    return [(table.ids, table.sums) for table in group.tables]


def survivor_first(a: _G, b: _G) -> tuple[_G, _G]:
    """(survivor, absorbed): the larger group survives a merge; on a tie, the older one."""
    return (a, b) if (len(a.docs), -a.seq) >= (len(b.docs), -b.seq) else (b, a)


class TopicPostings:
    """Term id -> the topics whose documents use it: the inverted index new documents are matched on.

    Term ids are dense (0, 1, … as the vocabulary grew), and most terms are used by one topic only. So
    each term has a slot in one array of 32-bit topic numbers (``NONE`` or a topic's number), and only
    a term used by several topics has an entry in a dict, holding a tuple of the topics' ids while
    they are not many (up to ``TUPLE_MAX``: a set of twenty costs four times the tuple) and a set
    beyond. At 20,000 documents (half a million terms, a sixth of them in several topics) a dict of
    every term cost 36 MB with its int keys, and its 85,000 small sets 42 MB more; the array costs 2 MB.
    A topic's terms are added at once (:meth:`add_many`): the slots of the terms no other topic uses
    are set in one numpy step (rebuilding the index of a 20k workspace's state: a million calls).
    An index built at once (:meth:`of`) keeps the topics of the terms several topics use as sorted
    arrays, and makes a term's dict entry only when it is first looked up or changed: a new document
    reaches a few hundred of the 85,000 such terms of a 20k workspace.
    """

    NONE, SEVERAL = -1, -2  # slot values that are not a topic's number
    TUPLE_MAX = 64

    def __init__(self) -> None:
        self._slots = np.full(1024, self.NONE, np.int32)
        self._several: dict[int, tuple[str, ...] | set[str]] = {}
        # (terms, where each term's topics start in owners, owners): terms several topics use whose
        # dict entry is not made yet (a term in _several is never read from here).
        self._packed: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._numbers: dict[str, int] = {}  # topic id -> its number, and back
        self._ids: list[str] = []
        self._count = 0  # terms with at least one topic

    @classmethod
    def of(cls, topics: Iterable[tuple[str, np.ndarray]]) -> TopicPostings:
        """The index of ``(topic id, its distinct term ids)`` pairs, built at once (a state read back):
        the same as adding each topic's terms in turn, with a Python step only per term that several
        topics use."""
        postings = cls()
        terms, owners = [], []
        for topic_id, term_ids in topics:
            terms.append(np.asarray(term_ids, dtype=np.int32))
            owners.append(np.full(len(term_ids), postings._number(topic_id), np.int32))
        if not terms or not sum(map(len, terms)):
            return postings
        term_of, owner_of = np.concatenate(terms), np.concatenate(owners)
        del terms, owners
        postings._slots = with_room(postings._slots, int(term_of.max()) + 1, cls.NONE)
        # A term one topic uses gets that topic's number; the others are sorted out one by one.
        used = np.bincount(term_of)
        postings._count = int(np.count_nonzero(used))
        postings._slots[term_of] = owner_of
        shared = used[term_of] > 1
        term_of, owner_of = term_of[shared], owner_of[shared]
        del used, shared
        postings._slots[term_of] = cls.SEVERAL
        order = np.argsort(term_of, kind="stable")  # each term's topics in the order they came
        term_of, owner_of = term_of[order], owner_of[order]
        del order
        if len(term_of):
            starts = np.flatnonzero(np.concatenate(([True], term_of[1:] != term_of[:-1])))
            bounds = np.concatenate((starts, [len(term_of)])).astype(np.int64)
            postings._packed = (term_of[starts].copy(), bounds, owner_of)
        return postings

    def prepare(self, term_ids: Sequence[int] | np.ndarray) -> None:
        """Make the dict entries of those of ``term_ids`` still packed, in one numpy step (a new
        document's query looks up a few hundred terms: one search each cost more than the entry)."""
        if self._packed is None or not len(term_ids):
            return
        term_ids = np.asarray(term_ids, dtype=np.int64)
        term_ids = term_ids[term_ids < len(self._slots)]
        term_ids = term_ids[self._slots[term_ids] == self.SEVERAL]
        todo = [t for t in dict.fromkeys(term_ids.tolist()) if t not in self._several]
        if not todo:
            return
        terms, bounds, owners = self._packed
        at = np.searchsorted(terms, todo)
        names = self._ids
        for term_id, start, end in zip(todo, bounds[at].tolist(), bounds[at + 1].tolist(), strict=True):
            ids = tuple(names[n] for n in owners[start:end].tolist())
            self._several[term_id] = ids if end - start <= self.TUPLE_MAX else set(ids)

    def _entry(self, term_id: int) -> tuple[str, ...] | set[str]:
        """The topics of a term whose slot is ``SEVERAL``, its dict entry made on first use."""
        if term_id not in self._several:
            self.prepare([term_id])
        return self._several[term_id]

    def add(self, term_id: int, topic_id: str) -> None:
        self.add_many([term_id], topic_id)

    def add_many(self, term_ids: Sequence[int] | np.ndarray, topic_id: str) -> None:
        """:meth:`add` for each of ``term_ids`` (distinct)."""
        term_ids = np.asarray(term_ids, dtype=np.int64)
        if not len(term_ids):
            return
        self._slots = with_room(self._slots, int(term_ids.max()) + 1, self.NONE)
        number = self._number(topic_id)
        slots = self._slots[term_ids]
        empty = slots == self.NONE
        self._slots[term_ids[empty]] = number
        self._count += int(empty.sum())
        taken = ~empty & (slots != number)
        self.prepare(term_ids[taken & (slots == self.SEVERAL)])
        for term_id, slot in zip(term_ids[taken].tolist(), slots[taken].tolist(), strict=True):
            self._join(term_id, slot, topic_id)

    def _join(self, term_id: int, slot: int, topic_id: str) -> None:
        """Add ``topic_id`` to a term whose slot already holds ``slot`` (a topic or ``SEVERAL``)."""
        if slot != self.SEVERAL:
            if self._ids[slot] != topic_id:
                self._several[term_id] = (self._ids[slot], topic_id)
                self._slots[term_id] = self.SEVERAL
            return
        found = self._entry(term_id)
        if isinstance(found, set):
            found.add(topic_id)
        elif topic_id not in found:
            grown_ids = (*found, topic_id)
            self._several[term_id] = grown_ids if len(grown_ids) <= self.TUPLE_MAX else set(grown_ids)

    def discard(self, term_id: int, topic_id: str) -> None:
        slot = int(self._slots[term_id]) if term_id < len(self._slots) else self.NONE
        if slot == self.NONE:
            return
        if slot != self.SEVERAL:
            if self._ids[slot] == topic_id:
                self._slots[term_id] = self.NONE
                self._count -= 1
            return
        found = self._entry(term_id)
        if topic_id not in found:
            return
        rest = tuple(t for t in found if t != topic_id)
        if len(rest) == 1:
            del self._several[term_id]
            self._slots[term_id] = self._number(rest[0])
        elif isinstance(found, set) and len(rest) > self.TUPLE_MAX:
            found.discard(topic_id)
        else:
            self._several[term_id] = rest

    def topics(self, term_id: int) -> tuple[str, ...] | set[str]:
        slot = int(self._slots[term_id]) if term_id < len(self._slots) else self.NONE
        if slot == self.NONE:
            return ()
        return (self._ids[slot],) if slot != self.SEVERAL else self._entry(term_id)

    def __len__(self) -> int:
        return self._count

    def _number(self, topic_id: str) -> int:
        number = self._numbers.get(topic_id)
        if number is None:
            number = self._numbers[topic_id] = len(self._ids)
            self._ids.append(topic_id)
        return number
