"""The bookkeeping behind the story clusterer: documents as sparse vectors, and groups of them
(stories and topics) with their term tables (:mod:`sitroom.analyse.stories_terms`: summed vectors and
per-term document counts). Internal to :mod:`sitroom.analyse.stories`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from sitroom.analyse.stories_terms import IDS, WEIGHTS, TermTable

# Channels of a document's vectors: its words, entity keys, place keys, the words of its lead (title
# and first lines) and the nouns of its lead (see sitroom.analyse.stories_lead).
CHANNELS = ("text", "entities", "places", "lead", "event")

Vector = tuple[np.ndarray, np.ndarray]  # (term ids, unit weights), parallel
Span = tuple[int, int]
# A term weighting: (channel, term ids) -> the weight of each term (idf, idf contrasted within a topic…).
Weigh = Callable[[int, np.ndarray], np.ndarray]
_G = TypeVar("_G", bound="Group")


@dataclass(slots=True)
class DocRecord:
    """One document as the clusterer keeps it. Its vectors are packed: the term ids and weights of
    every channel in one array each, channel ``c`` from ``bounds[c]`` to ``bounds[c + 1]`` (two arrays
    a document rather than ten: at 20,000 documents the array objects alone were 13 MB)."""

    id: str
    seq: int
    story: str
    title: str
    published: str | None
    span: Span | None
    ids: np.ndarray
    weights: np.ndarray
    bounds: tuple[int, ...]

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
        vectors: Sequence[tuple[Sequence[int], Sequence[float]]],
    ) -> DocRecord:
        """A record from its vectors, one (term ids, weights) per channel."""
        bounds = [0]
        for ids, _ in vectors:
            bounds.append(bounds[-1] + len(ids))
        return cls(
            id=id,
            seq=seq,
            story=story,
            title=title,
            published=published,
            span=span,
            ids=np.concatenate([np.asarray(ids, dtype=IDS) for ids, _ in vectors]),
            weights=np.concatenate([np.asarray(weights, dtype=WEIGHTS) for _, weights in vectors]),
            bounds=tuple(bounds),
        )

    def vector(self, channel: int) -> Vector:
        start, end = self.bounds[channel], self.bounds[channel + 1]
        return self.ids[start:end], self.weights[start:end]

    @property
    def vectors(self) -> list[Vector]:
        return [self.vector(channel) for channel in range(len(self.bounds) - 1)]


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

    def add(self, record: DocRecord) -> list[int]:
        """Count a document in; returns the term ids new to this group."""
        self.docs.append(record.id)
        fresh = [table.add(*record.vector(channel)) for channel, table in enumerate(self.tables)]
        self.span = union_spans(self.span, record.span)
        self.changed()
        return np.concatenate(fresh).tolist()

    def absorb(self, other: Group) -> None:
        self.docs.extend(other.docs)
        for table, theirs in zip(self.tables, other.tables, strict=True):
            table.absorb(theirs)
        self.span = union_spans(self.span, other.span)
        self.changed()

    def term_ids(self) -> list[int]:
        """Every term the group's documents use."""
        return np.concatenate([table.ids for table in self.tables]).tolist()

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

    Most terms are used by one topic only, and most others by a few. So a term's entry is that topic's
    id itself while one topic uses it, a tuple of ids while a few do (up to ``TUPLE_MAX``), and a set
    only beyond. Half a million one-element sets cost about 100 MB at 20,000 documents, and 85,000
    small ones still cost 42 MB; the bare ids cost next to nothing (the id strings are the topics' own)
    and a tuple of two costs a quarter of a set."""

    TUPLE_MAX = 16

    def __init__(self) -> None:
        self._topics: dict[int, str | tuple[str, ...] | set[str]] = {}

    def add(self, term_id: int, topic_id: str) -> None:
        found = self._topics.get(term_id)
        if found is None:
            self._topics[term_id] = topic_id
        elif isinstance(found, str):
            if found != topic_id:
                self._topics[term_id] = (found, topic_id)
        elif isinstance(found, tuple):
            if topic_id not in found:
                grown = (*found, topic_id)
                self._topics[term_id] = grown if len(grown) <= self.TUPLE_MAX else set(grown)
        else:
            found.add(topic_id)

    def discard(self, term_id: int, topic_id: str) -> None:
        found = self._topics.get(term_id)
        if found is None:
            return
        if isinstance(found, str):
            if found == topic_id:
                del self._topics[term_id]
            return
        if topic_id not in found:
            return
        rest = tuple(t for t in found if t != topic_id)
        if len(rest) == 1:
            self._topics[term_id] = rest[0]
        elif isinstance(found, set) and len(rest) > self.TUPLE_MAX:
            found.discard(topic_id)
        else:
            self._topics[term_id] = rest

    def topics(self, term_id: int) -> tuple[str, ...] | set[str]:
        found = self._topics.get(term_id)
        if found is None:
            return ()
        return (found,) if isinstance(found, str) else found

    def __len__(self) -> int:
        return len(self._topics)
