"""Stories: documents about one developing situation, clustered incrementally as they arrive.

Each document is five sparse vectors — its words (sublinear tf; idf applied at comparison time from
document frequencies kept up to date as documents arrive), its entities and its places (canonical
keys), the words of its lead (title and first lines) and the nouns of its lead
(:mod:`sitroom.analyse.stories_lead`: what happened) — plus its publication date when known.
Clustering has two levels. A *topic* gathers stories of
one kind that share vocabulary (two celebrities entering rehab, two earthquakes in Indonesia); a
*story* is one real-world situation inside a topic. A new document is compared with the centroids of
the few topics that share its rarer words, entities or places (an inverted index from term to
topics), so adding one costs in proportion to what it touches, not to the corpus. Inside its topic it
is compared with each story *contrastively*: terms common among the topic's other stories are damped,
so what sets a story apart (names, places, figures) decides. It joins the best story above
``join_threshold`` or founds one. A document matching two topics, or two stories, strongly enough
merges them; a story that has grown is bisected now and then and split when its halves drift apart.

Placing each document on what was known when it arrived commits a topic's stories early, before the
topic has shown what sets them apart. So a topic of bounded size (``regroup_max_docs``) is also
re-clustered from scratch whenever it has grown by a tenth (:mod:`sitroom.analyse.stories_regroup`:
average link over all its pairs of documents, terms weighted by their idf within the topic), and the
new groups are mapped onto the old story ids. The cost is a few milliseconds per round for a topic of
a hundred documents, spread over the documents that make it grow; larger topics rely on the
incremental joins, merges and splits alone.

Topics suffer from early commitment too, and worse: a few documents cannot tell a kind of event from
a field (two football stories: an injury, a playoff berth), while stories, once they hold a few
documents, can. So each time the collection has grown by a tenth, the stories themselves are
regrouped into topics (:mod:`sitroom.analyse.stories_topics`: average link over story centroids,
compared mostly on the nouns of their leads), topics whose stories changed are rebuilt under the ids
that keep most of their documents, and a topic that absorbed another has its stories re-clustered.

Ids are stable: a story keeps its id as it grows; a merge keeps the larger (on a tie, older) story's
id; a split keeps the id on the larger half; after re-clustering, the group holding most of a story
keeps its id (largest overlaps first), a story no group keeps is merged into the group holding most of
it, and a group that keeps no id is split from the story it took most from. Every creation, join,
merge, split and move of documents between stories, and every topic merge and split, is returned as
a :class:`StoryChange` with a readable reason. :meth:`StoryClusterer.to_state` gives a JSON-ready dict
from which :meth:`StoryClusterer.from_state` rebuilds a clusterer that behaves identically.

Memory: what the clusterer holds is compact, and in a workspace it does not hold every document's
vectors. Stories and topics keep their term sums and counts as sorted numpy arrays
(:mod:`sitroom.analyse.stories_terms`), the vocabulary is one buffer of text with sorted hashes
(:mod:`sitroom.analyse.stories_vocab`), and the postings are an array of topic numbers
(:class:`TopicPostings`). With a vector store (:meth:`StoryClusterer.use_vector_store`, the
workspace's ``story_vectors`` table), a document's vectors are written once and loaded only while
splitting, re-clustering or describing its story needs them. At 20,000 documents the clusterer
holds about 100 MB, where it held 511 MB as dicts with every document's vectors.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from sitroom.analyse.stories_features import (
    StoryConfig,
    date_span,
    entity_keys,
    place_keys,
    published_value,
    readable_title,
    tokenize,
    unit_vector,
)
from sitroom.analyse.stories_groups import (
    CHANNELS,
    DocRecord,
    Group,
    Span,
    StoryGroup,
    TopicGroup,
    TopicPostings,
    Vector,
    Weigh,
    scratch_story,
    summed_vectors,
    survivor_first,
)
from sitroom.analyse.stories_lead import lead_lines
from sitroom.analyse.stories_regroup import match_groups, regroup_labels
from sitroom.analyse.stories_state import (
    clusterer_state,
    clusterer_state_parts,
    restore_clusterer,
    restore_clusterer_parts,
    unpack_vectors,
)
from sitroom.analyse.stories_terms import COUNTS, IDS, TermTable, with_room
from sitroom.analyse.stories_topics import topic_labels
from sitroom.analyse.stories_vocab import Vocabulary
from sitroom.model import Document, Entity, Place

STORIES_VERSION = "stories.v3"
_PREFIX = ("w:", "e:", "p:", "l:", "n:")  # term prefixes per channel (CHANNELS)
_SUBLINEAR = (True, False, False, True, True)  # term counts as 1 + ln tf; entities and places as sets

# Document id -> its vectors as a store keeps them (the "vectors" parts of StoryClusterer.state_parts).
VectorFetch = Callable[[Sequence[str]], dict[str, Any]]

__all__ = [
    "STORIES_VERSION",
    "Story",
    "StoryChange",
    "StoryClusterer",
    "StoryConfig",
    "StoryInput",
    "story_input",
]


@dataclass(frozen=True)
class StoryInput:
    """What the clusterer needs of one document. ``entities`` and ``places`` are canonical keys
    (actor ids, GeoNames ids…) so that the same person or town matches across documents."""

    document_id: str
    text: str
    title: str | None = None
    published: str | None = None
    entities: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    lead_nouns: tuple[str, ...] = ()  # sitroom.analyse.stories_lead.lead_terms


@dataclass
class Story:
    """A story as users see it: id, readable title, member documents in arrival order, and history."""

    id: str
    title: str
    documents: list[str]
    first_seen: str | None
    last_seen: str | None
    topic: str | None = None
    title_document: str | None = None
    keywords: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    cohesion: float = 1.0
    merged_from: list[str] = field(default_factory=list)
    split_from: str | None = None


@dataclass(frozen=True)
class StoryChange:
    """One thing that happened to the stories when a document was added, and why."""

    kind: Literal[
        "created", "joined", "merged", "split", "moved", "topic-merged", "topic-split", "topic-moved"
    ]
    story_id: str
    other: str | None
    document_id: str | None
    reason: str


def story_input(
    doc: Document,
    *,
    entities: list[Entity] | None = None,
    places: list[Place] | None = None,
    lead_nouns: tuple[str, ...] = (),
) -> StoryInput:
    """A :class:`StoryInput` from a cleaned document, its entity and place annotations and the nouns
    of its lead (:func:`sitroom.analyse.stories_lead.lead_terms`)."""
    return StoryInput(
        document_id=doc.id,
        text=doc.text,
        title=doc.title,
        published=published_value(doc),
        entities=entity_keys(entities or []),
        places=place_keys(places or []),
        lead_nouns=tuple(lead_nouns),
    )


class StoryClusterer:
    """Incremental story clustering; see the module docstring for the method."""

    name = STORIES_VERSION

    def __init__(self, *, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig.load()
        self._story_weights = tuple(float(self.config.weights.get(c, 0.0)) for c in CHANNELS)
        self._topic_weights = tuple(float(self.config.topic_weights.get(c, 0.0)) for c in CHANNELS)
        self._regroup_weights = tuple(float(self.config.topic_regroup_weights.get(c, 0.0)) for c in CHANNELS)
        self._vocab = Vocabulary()
        # Document frequency per term id, grown in steps (the ids in use: the first len(_vocab)).
        self._df = np.zeros(1024, COUNTS)
        self._n_docs = 0
        self._next_seq = 0
        self._next_story = 0
        self._next_topic = 0
        self._next_topic_regroup = self.config.topic_regroup_min_docs
        self._docs: dict[str, DocRecord] = {}
        self._stories: dict[str, StoryGroup] = {}
        self._topics: dict[str, TopicGroup] = {}
        self._postings = TopicPostings()  # term id -> topics whose documents use it
        # Where the vectors of saved documents are kept (see use_vector_store), the documents whose
        # vectors it does not have yet, and those loaded from it for the operation under way.
        self._fetch_vectors: VectorFetch | None = None
        self._unsaved_vectors: list[DocRecord] = []
        self._loaded: list[DocRecord] = []
        self._holding = 0

    # --- public API ------------------------------------------------------------------------------

    def add(self, doc: StoryInput) -> list[StoryChange]:
        """Place one document in a story; returns what changed. Adding a known id again does nothing."""
        if doc.document_id in self._docs:
            return []
        vectors = self._vectorize(doc)
        record = DocRecord.of(
            id=doc.document_id,
            seq=self._take_seq(),
            story="",
            title=readable_title(doc.title, doc.text, config=self.config),
            published=doc.published,
            span=date_span(doc.published),
            vectors=vectors,
        )
        self._docs[record.id] = record
        if self._fetch_vectors is not None:
            self._unsaved_vectors.append(record)
        norms = [self._vector_norm(v) for v in record.vectors]
        cfg = self.config
        changes: list[StoryChange] = []
        topics = self._score_topics(record, norms)
        if not topics or topics[0][0] < cfg.topic_threshold:
            story = self._found_story(self._found_topic(), [record])
            reason = "no similar story" if not topics else f"nearest topic only {topics[0][0]:.2f} similar"
            changes.append(StoryChange("created", story.id, None, record.id, reason))
            changes.extend(self._check_topic_regroup(record))
            return changes
        topic = self._topics[topics[0][1]]
        merged = self._merge_bridged_topics(record, topic, topics[1:])
        changes.extend(merged)
        topic = self._topics[merged[-1].story_id] if merged else topic
        scored = self._score_stories(record, norms, topic)
        if scored and scored[0][0] >= cfg.join_threshold:
            story = self._stories[scored[0][1]]
            self._attach(record, story)
            changes.append(
                StoryChange(
                    "joined", story.id, None, record.id, f"similarity {scored[0][0]:.2f} to the story"
                )
            )
            changes.extend(self._merge_bridged_stories(record, scored[1:]))
        else:
            story = self._found_story(topic, [record])
            best = f"{scored[0][0]:.2f}" if scored else "n/a"
            reason = f"same topic as {topic.id} ({topics[0][0]:.2f}) but best story similarity {best}"
            changes.append(StoryChange("created", story.id, None, record.id, reason))
        changes.extend(self._check_split(self._stories[record.story]))
        changes.extend(self._check_regroup(self._topics[self._stories[record.story].topic], record))
        changes.extend(self._check_topic_regroup(record))
        return changes

    def stories(self, ids: Iterable[str] | None = None) -> list[Story]:
        """Every current story (or those of ``ids`` that still exist), oldest first. Describing a story
        costs a pass over its members, so callers that changed a few ask for those."""
        groups = (
            self._stories.values()
            if ids is None
            else [self._stories[i] for i in set(ids) if i in self._stories]
        )
        return [self._describe(s) for s in sorted(groups, key=lambda s: s.seq)]

    def stories_in_topics(self, topic_ids: Iterable[str]) -> set[str]:
        """The ids of the current stories of those of ``topic_ids`` that still exist."""
        return {s for t in topic_ids if t in self._topics for s in self._topics[t].stories}

    def __contains__(self, document_id: str) -> bool:
        return document_id in self._docs

    def story_of(self, document_id: str) -> str:
        """The id of the story that holds ``document_id`` (KeyError if it was never added)."""
        return self._docs[document_id].story

    def topic_of(self, document_id: str) -> str:
        """The id of the topic (group of related stories) that holds ``document_id``."""
        return self._stories[self.story_of(document_id)].topic

    def __len__(self) -> int:
        return len(self._docs)

    # --- features --------------------------------------------------------------------------------

    def _vectorize(self, doc: StoryInput) -> list[Vector]:
        """Unit vectors per channel, registering new terms and counting document frequencies."""
        counts = (
            Counter(tokenize(doc.text, config=self.config)),
            Counter(k for k in doc.entities if k),
            Counter(k for k in doc.places if k),
            Counter(tokenize("\n".join(lead_lines(doc.title, doc.text)), config=self.config)),
            Counter(k for k in doc.lead_nouns if k),
        )
        self._n_docs += 1
        channels = [
            unit_vector(channel_counts, sublinear=sublinear)
            for channel_counts, sublinear in zip(counts, _SUBLINEAR, strict=True)
        ]
        term_ids = self._vocab.ids(
            [prefix + term for prefix, weights in zip(_PREFIX, channels, strict=True) for term in weights]
        )
        self._df = with_room(self._df, len(self._vocab))
        vectors, start = [], 0
        for weights in channels:
            ids = np.array(term_ids[start : start + len(weights)], dtype=IDS)
            start += len(weights)
            self._df[ids] += 1  # a document's term ids are distinct, across channels too
            vectors.append((ids, np.fromiter(weights.values(), float, len(weights))))
        return vectors

    def _idf(self, ids: np.ndarray) -> np.ndarray:
        """The idf of each of ``ids``."""
        return np.log((1 + self._n_docs) / (1.0 + self._df[ids])) + 1.0

    def _weigh_idf(self, channel: int, ids: np.ndarray) -> np.ndarray:
        """idf as a :data:`Weigh` (the same in every channel)."""
        return self._idf(ids)

    def _take_seq(self) -> int:
        self._next_seq += 1
        return self._next_seq

    # --- similarity ------------------------------------------------------------------------------

    def _vector_norm(self, vector: Vector) -> float:
        ids, weights = vector
        weighted = weights * self._idf(ids)
        return math.sqrt(float(np.dot(weighted, weighted)))

    def _group_norm(self, group: Group, channel: int) -> float:
        # Cached: idf drifts slowly, so a norm is refreshed when the group changes or the corpus has
        # grown by a tenth since it was computed.
        if self._n_docs > group.norm_n * 1.1 + 1:
            group.norms = [None] * len(CHANNELS)
            group.norm_n = self._n_docs
        if group.norms[channel] is None:
            table = group.tables[channel]
            weighted = table.sums * self._idf(table.ids)
            group.norms[channel] = math.sqrt(float(np.dot(weighted, weighted)))
        return group.norms[channel] or 0.0

    def _combine(self, weights: tuple[float, ...], cosines: list[float], active: list[bool]) -> float:
        num = sum(w * c for w, c, on in zip(weights, cosines, active, strict=True) if on)
        den = sum(w for w, on in zip(weights, active, strict=True) if on)
        return num / den if den else 0.0

    def _time_factor(self, a: Span | None, b: Span | None) -> float:
        if a is None or b is None or not self.config.time_weight:
            return 1.0
        gap = max(0, b[0] - a[1], a[0] - b[1])
        decay = 2.0 ** (-gap / max(self.config.time_half_life_days, 1e-9))
        return 1.0 - self.config.time_weight * (1.0 - decay)

    def _topic_similarity(self, record: DocRecord, norms: list[float], topic: Group) -> float:
        """Cosine of the document with a topic centroid, channel by channel, with global idf."""
        cosines, active = [], []
        for channel, (ids, weights) in enumerate(record.vectors):
            if not self._topic_weights[channel]:
                cosines.append(0.0)
                active.append(False)
                continue
            active.append(bool(norms[channel]))
            group_norm = self._group_norm(topic, channel)
            if not norms[channel] or not group_norm:
                cosines.append(0.0)
                continue
            idf = self._idf(ids)
            dot = float(np.dot(weights * topic.tables[channel].sums_at(ids), idf * idf))
            cosines.append(dot / (norms[channel] * group_norm))
        return self._combine(self._topic_weights, cosines, active) * self._time_factor(
            record.span, topic.span
        )

    def _contrast(self, topic: TopicGroup, inside: list[Group]) -> Weigh:
        """Term weight for comparing with ``inside``: idf, damped by how common the term is among the
        topic's other documents (the siblings), so that what all stories of a topic share counts little."""
        siblings = len(topic.docs) - sum(len(g.docs) for g in inside)
        if siblings <= 0:
            return self._weigh_idf
        denominator = siblings + self.config.contrast_prior
        power = self.config.contrast_power

        def weight(channel: int, ids: np.ndarray) -> np.ndarray:
            outside = topic.tables[channel].counts_at(ids)
            for group in inside:
                outside = outside - group.tables[channel].counts_at(ids)
            return self._idf(ids) * (1.0 - outside / denominator) ** power

        return weight

    def _story_similarity(
        self,
        vectors: list[Vector],
        span: Span | None,
        story: Group,
        weigh: Weigh,
        *,
        rights: list[float] | None = None,
    ) -> float:
        """Contrastive cosine of a document (or a story's summed vectors) with a story centroid.
        ``rights``: the story's squared weighted norm per channel (:meth:`_story_norms`), when many
        documents are compared with one story under one ``weigh``."""
        cosines, active = [], []
        for channel, (ids, weights) in enumerate(vectors):
            if not self._story_weights[channel]:
                cosines.append(0.0)
                active.append(False)
                continue
            table = story.tables[channel]
            scaled = weights * weigh(channel, ids) ** 2
            left = float(np.dot(weights, scaled))
            active.append(bool(left))
            if not left or not len(table):
                cosines.append(0.0)
                continue
            dot = float(np.dot(table.sums_at(ids), scaled))
            right = rights[channel] if rights is not None else self._squared_norm(table, weigh, channel)
            cosines.append(dot / math.sqrt(left * right) if right else 0.0)
        return self._combine(self._story_weights[: len(cosines)], cosines, active) * self._time_factor(
            span, story.span
        )

    def _squared_norm(self, table: TermTable, weigh: Weigh, channel: int) -> float:
        """A group's squared norm in one channel under ``weigh``."""
        weighted = table.sums * weigh(channel, table.ids)
        return float(np.dot(weighted, weighted))

    # --- candidates ------------------------------------------------------------------------------

    def _score_topics(self, record: DocRecord, norms: list[float]) -> list[tuple[float, str]]:
        """Candidate topics (sharing the document's rarer words, entities or places), best first."""
        cfg = self.config
        hits: dict[str, float] = {}
        # In a small collection every shared word is "common"; the cap only matters for posting sizes.
        max_df = max(50.0, cfg.query_max_df * self._n_docs)
        text_ids, text_weights = record.vector(0)
        usable = self._df[text_ids] <= max_df
        ids = text_ids[usable]
        scores = text_weights[usable] * self._idf(ids)
        # The heaviest terms first (on a tie, the higher id), as many as a query takes.
        ranked = np.lexsort((ids, scores))[::-1][: cfg.query_terms]
        query = list(zip(ids[ranked].tolist(), scores[ranked].tolist(), strict=True))
        for ids, weights in record.vectors[1:]:
            query.extend(zip(ids.tolist(), (weights * self._idf(ids)).tolist(), strict=True))
        self._postings.prepare([term_id for term_id, _ in query])
        for term_id, weight in query:
            for topic_id in self._postings.topics(term_id):
                hits[topic_id] = hits.get(topic_id, 0.0) + weight
        chosen = sorted(hits, key=lambda t: (-hits[t], self._topics[t].seq))[: cfg.max_candidates]
        scored = [(self._topic_similarity(record, norms, self._topics[t]), t) for t in chosen]
        scored.sort(key=lambda pair: (-pair[0], self._topics[pair[1]].seq))
        return scored

    def _score_stories(
        self, record: DocRecord, norms: list[float], topic: TopicGroup
    ) -> list[tuple[float, str]]:
        scored = []
        for story_id in topic.stories:
            story = self._stories[story_id]
            weigh = self._contrast(topic, [story])
            rights = self._contrast_norms(story, topic, weigh)
            scored.append(
                (self._story_similarity(record.vectors, record.span, story, weigh, rights=rights), story_id)
            )
        scored.sort(key=lambda pair: (-pair[0], self._stories[pair[1]].seq))
        return scored

    def _contrast_norms(self, story: StoryGroup, topic: TopicGroup, weigh: Weigh) -> list[float]:
        """The story's squared norms under ``weigh`` (its topic's contrast), summed anew only when the
        story changed, it moved to another topic, or its topic or the corpus changed size by more than
        a tenth since they were summed. Contrast drifts slowly as a topic grows (as idf does as the
        corpus grows, see :meth:`_group_norm`), and summing them costs a pass over every term of the
        story: for a story of a hundred documents, many times the cost of the document scored."""
        at = story.contrast_at
        size = len(topic.docs)
        if (
            story.contrast is None
            or at is None
            or at[0] != topic.id
            or abs(size - at[1]) > at[1] * 0.1
            or self._n_docs > at[2] * 1.1 + 1
        ):
            story.contrast = self._story_norms(story, weigh, len(CHANNELS))
            story.contrast_at = (topic.id, size, self._n_docs)
        return story.contrast

    # --- bookkeeping -----------------------------------------------------------------------------

    def _found_topic(self) -> TopicGroup:
        seq = self._take_seq()
        self._next_topic += 1
        topic = TopicGroup(id=f"topic-{self._next_topic}", seq=seq, next_regroup=self.config.regroup_min_docs)
        self._topics[topic.id] = topic
        return topic

    def _found_story(
        self, topic: TopicGroup, records: list[DocRecord], *, split_from: str | None = None
    ) -> StoryGroup:
        seq = self._take_seq()
        self._next_story += 1
        story = StoryGroup(
            id=f"story-{self._next_story}",
            seq=seq,
            topic=topic.id,
            next_check=2 * self.config.split_min_size,
            split_from=split_from,
        )
        self._stories[story.id] = story
        topic.stories.append(story.id)
        for record in records:
            self._attach(record, story)
        return story

    def _attach(self, record: DocRecord, story: StoryGroup, *, count_in_topic: bool = True) -> None:
        record.story = story.id
        story.add(record)
        if count_in_topic:
            topic = self._topics[story.topic]
            norms = self._grown_norms(topic, record)
            self._postings.add_many(topic.add(record), topic.id)
            topic.norms = norms

    def _grown_norms(self, group: Group, record: DocRecord) -> list[float | None]:
        """``group``'s cached norms (:meth:`_group_norm`) as they will be once ``record`` is added,
        changed only at the record's terms: a topic takes a document on every ``add`` and summing its
        norms anew costs a pass over every term of the topic (tens of thousands in a large one).
        Call before adding; the norms are summed anew when the corpus has grown by a tenth."""
        if self._n_docs > group.norm_n * 1.1 + 1:
            return [None] * len(CHANNELS)
        grown: list[float | None] = []
        for channel, norm in enumerate(group.norms):
            if norm is None:
                grown.append(None)
                continue
            ids, weights = record.vector(channel)
            before, idf = group.tables[channel].sums_at(ids), self._idf(ids)
            square = norm * norm + float(np.dot((before + weights) ** 2 - before**2, idf * idf))
            grown.append(math.sqrt(square) if square > 0 else 0.0)
        return grown

    def _merge_bridged_stories(self, record: DocRecord, others: list[tuple[float, str]]) -> list[StoryChange]:
        """Merge into the document's story each story of its topic that it also matches, when the two
        stories' centroids agree (contrasted with the rest of the topic)."""
        changes = []
        for score, other_id in others:
            if score < self.config.bridge_threshold:
                break
            here, other = self._stories[record.story], self._stories.get(other_id)
            if other is None or other is here:
                continue
            topic = self._topics[here.topic]
            weigh = self._contrast(topic, [here, other])
            closeness = self._story_similarity(summed_vectors(other), other.span, here, weigh)
            if closeness < self.config.merge_threshold:
                continue
            keep, gone = survivor_first(here, other)
            self._absorb_story(keep, gone)
            reason = (
                f"document {record.id} matches both (similarity {score:.2f} to {other_id}); "
                f"the stories are {closeness:.2f} similar"
            )
            changes.append(StoryChange("merged", keep.id, gone.id, record.id, reason))
        return changes

    def _absorb_story(self, keep: StoryGroup, gone: StoryGroup) -> None:
        for doc_id in gone.docs:
            self._docs[doc_id].story = keep.id
        keep.absorb(gone)
        keep.merged_from.extend([gone.id, *gone.merged_from])
        self._topics[gone.topic].stories.remove(gone.id)
        del self._stories[gone.id]

    def _merge_bridged_topics(
        self, record: DocRecord, here: TopicGroup, others: list[tuple[float, str]]
    ) -> list[StoryChange]:
        """Join to the document's best topic every other topic it matches at ``topic_merge_threshold``."""
        changes = []
        for score, other_id in others:
            if score < self.config.topic_merge_threshold:
                break
            other = self._topics.get(other_id)
            if other is None or other is here:
                continue
            keep, gone = survivor_first(here, other)
            for story_id in gone.stories:
                self._stories[story_id].topic = keep.id
            keep.stories.extend(gone.stories)
            keep.absorb(gone)
            keep.merged_from.extend([gone.id, *gone.merged_from])
            moved = gone.term_ids()
            for term_id in moved.tolist():
                self._postings.discard(term_id, gone.id)
            self._postings.add_many(moved, keep.id)
            del self._topics[gone.id]
            keep.next_regroup = 0  # the stories of the two topics may overlap: re-cluster now
            here = keep
            reason = f"document {record.id} matches both topics ({score:.2f} to {other_id})"
            changes.append(StoryChange("topic-merged", keep.id, gone.id, record.id, reason))
        return changes

    # --- splits ----------------------------------------------------------------------------------

    def _check_split(self, story: StoryGroup) -> list[StoryChange]:
        """Bisect a story that has grown enough since its last check; split it if the halves differ."""
        cfg = self.config
        if len(story.docs) < story.next_check:
            return []
        story.next_check = max(len(story.docs) + 1, math.ceil(len(story.docs) * cfg.split_growth))
        with self._vectors_held(story.docs):
            return self._split(story)

    def _split(self, story: StoryGroup) -> list[StoryChange]:
        """Bisect the story; split it if the halves differ enough."""
        cfg = self.config
        halves = self._bisect(story)
        if halves is None:
            return []
        part_a, part_b, closeness = halves
        if closeness >= cfg.split_threshold or min(len(part_a), len(part_b)) < cfg.split_min_size:
            return []
        keep, leave = sorted((part_a, part_b), key=lambda part: (-len(part), min(r.seq for r in part)))
        leave_ids = {r.id for r in leave}
        order = [self._docs[d] for d in story.docs]
        kept = StoryGroup(id=story.id, seq=story.seq, topic=story.topic, next_check=story.next_check)
        kept.merged_from, kept.split_from = story.merged_from, story.split_from
        self._stories[story.id] = kept
        for record in order:
            if record.id not in leave_ids:
                self._attach(record, kept, count_in_topic=False)
        topic = self._topics[story.topic]
        new = self._found_story(topic, [], split_from=story.id)
        for record in order:
            if record.id in leave_ids:
                self._attach(record, new, count_in_topic=False)
        reason = (
            f"its documents fell into two groups ({len(kept.docs)} and {len(new.docs)}) only "
            f"{closeness:.2f} similar"
        )
        return [StoryChange("split", story.id, new.id, None, reason)]

    def _bisect(
        self, story: StoryGroup, *, rounds: int = 6
    ) -> tuple[list[DocRecord], list[DocRecord], float] | None:
        """Two-means over the story's documents, seeded with its most outlying document and the one
        farthest from that; returns the halves and the similarity of their centroids."""
        records = [self._docs[d] for d in story.docs]
        if len(records) < 2 * self.config.split_min_size:
            return None
        weigh = self._weigh_idf
        # Each group's norms summed once, not once per record (the group is kept with them, so its
        # id is not reused by another while cached).
        norms: dict[int, tuple[StoryGroup, list[float]]] = {}

        def similarity(record: DocRecord, group: StoryGroup) -> float:
            if id(group) not in norms:
                norms[id(group)] = (group, self._story_norms(group, weigh, len(CHANNELS)))
            return self._story_similarity(record.vectors, None, group, weigh, rights=norms[id(group)][1])

        seed_a = min(records, key=lambda r: (similarity(r, story), r.seq))
        around_a = scratch_story([seed_a])
        seed_b = min(records, key=lambda r: (similarity(r, around_a), r.seq))
        if seed_b is seed_a:
            return None
        groups = ([seed_a], [seed_b])
        for _ in range(rounds):
            centres = (scratch_story(groups[0]), scratch_story(groups[1]))
            regrouped: tuple[list[DocRecord], list[DocRecord]] = ([], [])
            for record in records:
                nearer_a = similarity(record, centres[0]) >= similarity(record, centres[1])
                regrouped[0 if nearer_a else 1].append(record)
            if not regrouped[0] or not regrouped[1]:
                return None
            if [r.id for r in regrouped[0]] == [r.id for r in groups[0]]:
                break
            groups = regrouped
        half_b = scratch_story(groups[1])
        closeness = self._story_similarity(summed_vectors(half_b), None, scratch_story(groups[0]), weigh)
        return groups[0], groups[1], closeness

    # --- re-clustering a topic ---------------------------------------------------------------------

    def _check_regroup(self, topic: TopicGroup, record: DocRecord) -> list[StoryChange]:
        """Re-cluster a small topic that has grown enough since it was last re-clustered."""
        cfg = self.config
        size = len(topic.docs)
        if size < topic.next_regroup or size > cfg.regroup_max_docs:
            return []
        topic.next_regroup = max(size + 1, math.ceil(size * cfg.regroup_growth))
        with self._vectors_held(topic.docs):
            return self._regroup(topic, record)

    def _regroup(self, topic: TopicGroup, record: DocRecord) -> list[StoryChange]:
        """Cluster the topic's documents afresh and map the groups onto the old story ids: the group
        holding most of a story keeps its id; a story none keeps is merged into the group holding most
        of it; a group that keeps no id is split from the story it took most from."""
        cfg = self.config
        records = [self._docs[d] for d in topic.docs]
        # Inside the topic, words most of its documents use tell its stories apart poorly: each term
        # weighs its corpus idf times its idf within the topic.
        size = len(records)

        def weigh(channel: int, ids: np.ndarray) -> np.ndarray:
            inside = topic.tables[channel].counts_at(ids)
            return self._idf(ids) * (np.log((1 + size) / (1.0 + inside)) + 1.0)

        labels = regroup_labels(
            records,
            weigh,
            channel_weights=self._story_weights,
            threshold=cfg.regroup_threshold,
            time_weight=cfg.time_weight,
            time_half_life_days=cfg.time_half_life_days,
            min_size=cfg.regroup_min_story,
            attach_threshold=cfg.regroup_attach_threshold,
        )
        old = [r.story for r in records]
        before: dict[str, set[int]] = {}
        for label, story_id in zip(labels, old, strict=True):
            before.setdefault(story_id, set()).add(label)
        if all(len(groups) == 1 for groups in before.values()) and len(set(labels)) == len(before):
            return []  # the same partition
        kept = match_groups(labels, old, lambda story_id: self._stories[story_id].seq)
        members: dict[int, list[DocRecord]] = {}
        for label, member in zip(labels, records, strict=True):
            members.setdefault(label, []).append(member)
        # Where each story's documents went, to name the source of a split and the target of a merge.
        flows = Counter(zip(old, labels, strict=True))
        survivors = {story_id for story_id in kept.values() if story_id is not None}
        changes: list[StoryChange] = []
        previous = {story_id: self._stories[story_id] for story_id in before}
        topic.stories = [s for s in topic.stories if s not in before]
        why = f"topic {topic.id} re-clustered at {len(records)} documents"
        groups: dict[int, StoryGroup] = {}
        for label in sorted(members, key=lambda lab: min(r.seq for r in members[lab])):
            story_id = kept[label]
            if story_id is None:
                source = max(
                    (s for s in before if flows[(s, label)]),
                    key=lambda s: (flows[(s, label)], -previous[s].seq),
                )
                story = self._found_story(topic, [], split_from=source)
                changes.append(
                    StoryChange(
                        "split",
                        source,
                        story.id,
                        record.id,
                        f"{why}: {len(members[label])} of its documents form a story of their own",
                    )
                )
            else:
                was = previous[story_id]
                story = StoryGroup(
                    id=was.id,
                    seq=was.seq,
                    topic=topic.id,
                    next_check=was.next_check,
                    split_from=was.split_from,
                )
                story.merged_from = list(was.merged_from)
                self._stories[story.id] = story
                topic.stories.append(story.id)
            groups[label] = story
            for member in members[label]:
                self._attach(member, story, count_in_topic=False)
        for story_id, was in previous.items():
            if story_id in survivors:
                continue
            label = max(before[story_id], key=lambda lab: (flows[(story_id, lab)], -lab))
            keep = groups[label]
            keep.merged_from.extend([story_id, *was.merged_from])
            del self._stories[story_id]
            changes.append(
                StoryChange(
                    "merged", keep.id, story_id, record.id, f"{why}: its documents belong with {keep.id}"
                )
            )
        # Every story that gave documents to another must appear in some change, so that whoever keeps
        # rows per story knows to rewrite both.
        paired = {frozenset((c.story_id, c.other)) for c in changes}
        for (story_id, label), count in sorted(
            flows.items(), key=lambda kv: (kv[0][1], previous[kv[0][0]].seq)
        ):
            target = groups[label].id
            if story_id != target and frozenset((story_id, target)) not in paired:
                paired.add(frozenset((story_id, target)))
                changes.append(
                    StoryChange(
                        "moved", target, story_id, record.id, f"{why}: {count} of its documents moved here"
                    )
                )
        topic.stories.sort(key=lambda s: self._stories[s].seq)
        return changes

    # --- regrouping stories into topics -----------------------------------------------------------

    def _check_topic_regroup(self, record: DocRecord) -> list[StoryChange]:
        """Regroup the stories into topics when the collection has grown enough since the last time
        (and holds no more stories than a regrouping can afford)."""
        cfg = self.config
        if self._n_docs < self._next_topic_regroup:
            return []
        self._next_topic_regroup = max(self._n_docs + 1, math.ceil(self._n_docs * cfg.topic_regroup_growth))
        if len(self._stories) > cfg.topic_regroup_max_stories:
            return []
        return self._regroup_topics(record)

    def _regroup_topics(self, record: DocRecord) -> list[StoryChange]:
        """Cluster the stories into topics afresh (:func:`topic_labels`) and map the groups onto the
        old topic ids by the documents they share; only topics whose stories changed are rebuilt."""
        stories = sorted(self._stories.values(), key=lambda s: s.seq)
        n = self._n_docs
        idf = self._idf(np.arange(len(self._vocab)))
        labels = topic_labels(
            stories, idf, channel_weights=self._regroup_weights, threshold=self.config.topic_regroup_threshold
        )
        members: dict[int, list[StoryGroup]] = {}
        for label, story in zip(labels, stories, strict=True):
            members.setdefault(label, []).append(story)
        unchanged = {
            label
            for label, group in members.items()
            if len({s.topic for s in group}) == 1 and len(self._topics[group[0].topic].stories) == len(group)
        }
        if len(unchanged) == len(members):
            return []
        doc_labels = [label for label, story in zip(labels, stories, strict=True) for _ in story.docs]
        doc_topics = [story.topic for story in stories for _ in story.docs]
        kept = match_groups(doc_labels, doc_topics, lambda topic_id: self._topics[topic_id].seq)
        flows = Counter(zip(doc_topics, doc_labels, strict=True))
        rebuilt = [label for label in members if label not in unchanged]
        old_ids = {s.topic for label in rebuilt for s in members[label]}
        previous = {topic_id: self._topics.pop(topic_id) for topic_id in old_ids}
        for topic in previous.values():
            for term_id in topic.term_ids().tolist():
                self._postings.discard(term_id, topic.id)
        changes: list[StoryChange] = []
        why = f"stories regrouped into topics at {n} documents"
        new_ids: dict[int, str] = {}
        moves: dict[tuple[str, str], int] = {}
        for label in sorted(rebuilt, key=lambda lab: members[lab][0].seq):
            topic_id = kept[label]
            if topic_id is not None and topic_id in previous:
                was = previous[topic_id]
                topic = TopicGroup(id=was.id, seq=was.seq, next_regroup=was.next_regroup)
                topic.merged_from = list(was.merged_from)
                self._topics[topic.id] = topic
            else:
                topic = self._found_topic()
                source = max(
                    (t for t in previous if flows[(t, label)]),
                    key=lambda t: (flows[(t, label)], -previous[t].seq),
                )
                changes.append(
                    StoryChange(
                        "topic-split", source, topic.id, record.id, f"{why}: a kind of event of its own"
                    )
                )
            new_ids[label] = topic.id
            for story in sorted(members[label], key=lambda s: s.seq):
                if story.topic != topic.id:
                    moves[(story.topic, topic.id)] = moves.get((story.topic, topic.id), 0) + 1
                story.topic = topic.id
                topic.stories.append(story.id)
                # The story's tables are its documents' sums and counts already.
                topic.absorb(story)
            self._postings.add_many(topic.term_ids(), topic.id)
        for topic_id, was in previous.items():
            if topic_id in self._topics:
                continue
            label = max(
                (lab for lab in rebuilt if flows[(topic_id, lab)]),
                key=lambda lab: (flows[(topic_id, lab)], -lab),
            )
            keep = self._topics[new_ids[label]]
            keep.merged_from.extend([topic_id, *was.merged_from])
            keep.next_regroup = 0  # stories of the two topics may be one story: re-cluster them
            changes.append(
                StoryChange(
                    "topic-merged", keep.id, topic_id, record.id, f"{why}: same kind of event as {keep.id}"
                )
            )
        # Stories that went from one surviving topic to another: recorded too, so that whoever keeps a
        # row per story knows to rewrite them.
        paired = {frozenset((c.story_id, c.other)) for c in changes}
        for (source, target), count in moves.items():
            if source in self._topics and frozenset((source, target)) not in paired:
                changes.append(
                    StoryChange(
                        "topic-moved", target, source, record.id, f"{why}: {count} of its stories moved here"
                    )
                )
        for topic_id in dict.fromkeys(new_ids.values()):
            changes.extend(self._check_regroup(self._topics[topic_id], record))
        return changes

    # --- description -----------------------------------------------------------------------------

    def _story_norms(self, story: Group, weigh: Weigh, channels: int) -> list[float]:
        """The story's squared norm per channel under ``weigh``, summed as :meth:`_story_similarity`
        sums it (so the similarities come out the same to the last bit)."""
        return [self._squared_norm(story.tables[channel], weigh, channel) for channel in range(channels)]

    def _describe(self, story: StoryGroup) -> Story:
        records = [self._docs[d] for d in story.docs]
        best, cohesion = self._centre(story, records)
        dated = [r for r in records if r.span is not None]
        first = min(dated, key=lambda r: (r.span[0], r.seq)).published if dated else None
        last = max(dated, key=lambda r: (r.span[1], -r.seq)).published if dated else None
        return Story(
            id=story.id,
            title=best.title,
            documents=list(story.docs),
            first_seen=first,
            last_seen=last,
            topic=story.topic,
            title_document=best.id,
            keywords=self._top_terms(story.tables[0], 6),
            entities=self._top_terms(story.tables[1], 6),
            cohesion=cohesion,
            merged_from=list(story.merged_from),
            split_from=story.split_from,
        )

    def _centre(self, story: StoryGroup, records: list[DocRecord]) -> tuple[DocRecord, float]:
        """The story's most central document (the most similar to its centroid, on words) and its
        cohesion (the members' mean similarity), reused from the last time while still valid (see
        ``StoryGroup.central``)."""
        kept, size = story.central, len(records)
        if (
            kept is not None
            and kept[0] in self._docs
            and self._docs[kept[0]].story == story.id
            and abs(size - kept[2]) <= kept[2] * 0.1
            and self._n_docs <= kept[3] * 1.1 + 1
        ):
            return self._docs[kept[0]], kept[1]
        # Each member against the story: the story's norm is summed once, not once per member.
        rights = self._story_norms(story, self._weigh_idf, 1)
        with self._vectors_held(story.docs):
            centrality = [
                (self._story_similarity([r.vector(0)], None, story, self._weigh_idf, rights=rights), r)
                for r in records
            ]
        best = max(centrality, key=lambda pair: (pair[0], -pair[1].seq))[1]
        cohesion = round(sum(c for c, _ in centrality) / len(centrality), 4)
        story.central = (best.id, cohesion, size, self._n_docs)
        return best, cohesion

    def _top_terms(self, table: TermTable, k: int) -> list[str]:
        """The ``k`` heaviest terms (summed weight times idf; on a tie, the lower id), prefix dropped."""
        ranked = np.lexsort((table.ids, -(table.sums * self._idf(table.ids))))[:k]
        return [self._vocab.term(t)[2:] for t in table.ids[ranked].tolist()]

    # --- the vector store --------------------------------------------------------------------------

    def use_vector_store(self, fetch: VectorFetch) -> None:
        """Keep documents' vectors in a store rather than in memory: ``fetch`` gives the stored
        vectors of some document ids (as :meth:`state_parts` gave them, in ``"vectors"`` parts). From
        then on the state's documents carry no vectors; the vectors of documents added since the last
        save come in ``"vectors"`` parts for the store to keep, and once it has (:meth:`vectors_saved`)
        they are dropped from memory. Splitting, re-clustering and describing a story load its
        members' vectors for the moment they need them, so memory no longer grows with the vectors of
        every document (two thirds of what a document cost the clusterer)."""
        self._fetch_vectors = fetch
        self._unsaved_vectors = [r for r in self._docs.values() if not r.saved]

    def vectors_saved(self) -> None:
        """The store now keeps the vectors the last :meth:`state_parts` gave: drop them from memory."""
        for record in self._unsaved_vectors:
            record.saved = True
            if not self._holding:
                record.release()
        self._unsaved_vectors = []

    @contextmanager
    def _vectors_held(self, doc_ids: Iterable[str]) -> Iterator[None]:
        """The vectors of ``doc_ids`` in memory while the block (and any block it is inside) runs."""
        missing = [r for r in map(self._docs.__getitem__, doc_ids) if not r.held]
        if missing:
            if self._fetch_vectors is None:
                raise ValueError(f"E060: the vectors of {missing[0].id} are neither held nor in a store")
            fetched = self._fetch_vectors([r.id for r in missing])
            lost = next((r.id for r in missing if r.id not in fetched), None)
            if lost is not None:
                raise ValueError(f"E060: the store has no story vectors of {lost}; re-cluster the documents")
            for record in missing:
                record.hold(unpack_vectors(fetched[record.id]))
            self._loaded.extend(missing)
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding:
                for record in self._loaded:
                    if record.saved:
                        record.release()
                self._loaded = []

    # --- state -----------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything needed to carry on exactly where this clusterer is, as JSON-ready data."""
        return clusterer_state(self)

    def state_parts(self, *, per_part: int = 1000, raw: bool = False) -> Iterator[Any]:
        """:meth:`to_state` in parts, built one at a time: the state with its long lists empty, then
        ``(name, items)`` pairs that extend them in order (at most ``per_part`` documents a part). A
        store writes each as it comes and gives the state back whole; a large state is then never all
        in memory twice. With ``raw``, numbers come as bytes rather than base64 text (for a store that
        writes binary; not JSON-ready)."""
        return clusterer_state_parts(self, per_part=per_part, raw=raw)

    @classmethod
    def from_state(cls, state: dict[str, Any], *, consume: bool = False) -> StoryClusterer:
        """Rebuild a clusterer from :meth:`to_state` output (ValueError E060 if another version wrote it).
        ``consume``: take what it reads out of ``state`` as it goes (a large state is not held twice)."""
        return restore_clusterer(cls, state, consume=consume)

    @classmethod
    def from_parts(
        cls,
        head: dict[str, Any],
        parts: Iterable[tuple[str, Iterable[Any]]],
        *,
        vectors: VectorFetch | None = None,
    ) -> StoryClusterer:
        """Rebuild a clusterer from :meth:`state_parts` output as a store reads it back: the state,
        then ``(name, items)`` pairs, each read and dropped before the next is taken (ValueError E060
        if another version wrote it). ``vectors``: the store that keeps the documents' vectors
        (:meth:`use_vector_store`)."""
        return restore_clusterer_parts(cls, head, parts, vectors=vectors)
