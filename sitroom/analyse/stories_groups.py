"""The bookkeeping behind the story clusterer: documents as sparse vectors, and groups of them
(stories and topics) with summed vectors and per-term document counts. Internal to
:mod:`sitroom.analyse.stories`."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TypeVar

# Channels of a document's vectors: its words, entity keys, place keys, the words of its lead (title
# and first lines) and the nouns of its lead (see sitroom.analyse.stories_lead).
CHANNELS = ("text", "entities", "places", "lead", "event")

Vector = tuple[array, array]  # (term ids, unit weights), parallel
Span = tuple[int, int]
_G = TypeVar("_G", bound="Group")


@dataclass
class DocRecord:
    id: str
    seq: int
    story: str
    title: str
    published: str | None
    span: Span | None
    vectors: list[Vector]


@dataclass
class Group:
    """A set of documents with their summed vectors and per-term document counts: a story or a topic."""

    id: str
    seq: int
    docs: list[str] = field(default_factory=list)
    sums: list[dict[int, float]] = field(default_factory=lambda: [{} for _ in CHANNELS])
    df: dict[int, int] = field(default_factory=dict)
    span: Span | None = None
    norms: list[float | None] = field(default_factory=lambda: [None] * len(CHANNELS))
    norm_n: int = 0

    def add(self, record: DocRecord) -> list[int]:
        """Count a document in; returns the term ids new to this group."""
        fresh = []
        self.docs.append(record.id)
        for channel, (ids, weights) in enumerate(record.vectors):
            sums = self.sums[channel]
            for term_id, weight in zip(ids, weights, strict=True):
                if term_id not in sums:
                    sums[term_id] = 0.0
                    fresh.append(term_id)
                sums[term_id] += weight
                self.df[term_id] = self.df.get(term_id, 0) + 1
        self.span = union_spans(self.span, record.span)
        self.changed()
        return fresh

    def absorb(self, other: Group) -> None:
        self.docs.extend(other.docs)
        for channel, sums in enumerate(other.sums):
            target = self.sums[channel]
            for term_id, weight in sums.items():
                target[term_id] = target.get(term_id, 0.0) + weight
        for term_id, count in other.df.items():
            self.df[term_id] = self.df.get(term_id, 0) + count
        self.span = union_spans(self.span, other.span)
        self.changed()

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
    return [(array("i", sums.keys()), array("d", sums.values())) for sums in group.sums]


def survivor_first(a: _G, b: _G) -> tuple[_G, _G]:
    """(survivor, absorbed): the larger group survives a merge; on a tie, the older one."""
    return (a, b) if (len(a.docs), -a.seq) >= (len(b.docs), -b.seq) else (b, a)


class TopicPostings:
    """Term id -> the topics whose documents use it: the inverted index new documents are matched on.

    Most terms are used by one topic only, so a term's entry is that topic's id itself until a second
    topic uses it, and a set only then: half a million one-element sets cost about 100 MB at 20,000
    documents, the bare ids next to nothing (the id strings are the topics' own)."""

    def __init__(self) -> None:
        self._topics: dict[int, str | set[str]] = {}

    def add(self, term_id: int, topic_id: str) -> None:
        found = self._topics.get(term_id)
        if found is None:
            self._topics[term_id] = topic_id
        elif isinstance(found, str):
            if found != topic_id:
                self._topics[term_id] = {found, topic_id}
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
        found.discard(topic_id)
        if len(found) == 1:
            self._topics[term_id] = next(iter(found))
        elif not found:
            del self._topics[term_id]

    def topics(self, term_id: int) -> tuple[str, ...] | set[str]:
        found = self._topics.get(term_id)
        if found is None:
            return ()
        return (found,) if isinstance(found, str) else found

    def __len__(self) -> int:
        return len(self._topics)
